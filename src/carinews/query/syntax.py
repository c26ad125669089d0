"""Query text -> syntax tree: the first half of query parsing (`query.py` is the second).

Steps, in file order:

1. `tokenize_query` splits the text into tokens: words, quoted phrases (with an
   optional `~N`), parentheses, the operators `OR`/`ATAU`, `AND`/`DAN`,
   `NOT`/`TIDAK` (only in capitals; lowercase they are words), `-`/`+` signs and
   `field:` prefixes in English or Indonesian (`judul:`, `isi:`, `sumber:` ...).
2. `SyntaxParser` builds the tree with the usual precedence (OR < AND < NOT),
   classifying words as plain, prefix (`korup*`), wildcard or fuzzy
   (`Peskof~`). Obvious slips (a stray `)`, a trailing `-`, a dangling `OR`, an
   unclosed `(`) are skipped and noted; `strict=True` raises instead. What cannot
   be read at all (an unbalanced quote, a bad date, a leading wildcard) raises
   `QuerySyntaxError` in both modes.
3. `parse_date_value` reads the value of a `tanggal:`/`date:` item (a day, a
   month, a year, a `..` range, `>=`/`<` bounds, Indonesian or English month
   names, `15/3/2022`) into a `DateWindow` of aware datetimes. Days are calendar
   days in WIB (+07:00) unless the value names a zone (`UTC`, `WITA`, `+08:00`).

The tree is plain frozen dataclasses; nothing here knows about Whoosh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Union

from carinews.ingest.dates import MONTHS, TIMEZONES, WEEKDAYS, WIB
from carinews.errors import QuerySyntaxError

MAX_QUERY_CHARS = 2000
MAX_DEPTH = 32           # nested parentheses
MAX_SLOP = 50            # "a b"~N
MAX_FUZZY = 2            # word~N
MIN_WILDCARD_PREFIX = 2  # letters before the first '*'

OPERATORS = {"OR": "OR", "ATAU": "OR", "AND": "AND", "DAN": "AND", "NOT": "NOT", "TIDAK": "NOT"}

# query field name (English and Indonesian) -> canonical field
FIELD_ALIASES = {
    "title": "title", "judul": "title",
    "body": "body", "isi": "body", "text": "body", "teks": "body",
    "source": "source", "sumber": "source", "media": "source",
    "author": "author", "penulis": "author",
    "name": "name", "names": "name", "nama": "name",
    "url": "url",
    "section": "section", "rubrik": "section", "kanal": "section",
    "date": "date", "tanggal": "date", "tgl": "date",
}

# analyst operators (query/operators.py): name, optional number, ':'
CHECK_NAMES = {"kalimat": "sentence", "sentence": "sentence", "paragraf": "paragraph",
               "paragraph": "paragraph", "awal": "lead", "lead": "lead", "minimal": "atleast",
               "atleast": "atleast", "panjang": "words", "words": "words"}
CHECK_PREFIX = re.compile(r"([A-Za-z]+?)(\d{0,4}):")


def check_field(match: re.Match) -> str | None:
    """`awal50:` -> "check:lead:50"; None when the name is not an operator or takes no number."""
    kind = CHECK_NAMES.get(match.group(1).lower())
    number = match.group(2)
    if kind is None or (number and kind not in ("lead", "atleast")) or (kind == "atleast" and not number):
        return None
    return f"check:{kind}:{number}"


QUOTE_CHARS = '"\u201c\u201d\u201e\u201f'
ZERO_WIDTH = "\u200b\u2060\ufeff\u180e"
_BREAK = set("()") | set(QUOTE_CHARS)


# --- the tree -------------------------------------------------------------

@dataclass(frozen=True)
class Word:
    """An unquoted word. kind: "plain", "prefix" (`korup*`), "wildcard" (`ko*si`), "fuzzy"."""
    text: str
    position: int
    field: str | None = None
    kind: str = "plain"
    maxdist: int = 0


@dataclass(frozen=True)
class Phrase:
    """A quoted text: exact surface form; `slop` set for proximity `"a b"~5`."""
    text: str
    position: int
    field: str | None = None
    slop: int | None = None


@dataclass(frozen=True)
class DateWindow:
    """[start, end) as aware datetimes; either side may be open (None)."""
    start: datetime | None
    end: datetime | None
    text: str


@dataclass(frozen=True)
class DateFilter:
    window: DateWindow
    position: int


@dataclass(frozen=True)
class Not:
    child: "Node"
    position: int


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Check:
    """An analyst operator (query/operators.py): `kind` sentence, paragraph, lead, atleast or
    words; `number` the N of `awal50:`/`minimal3:`; `child` the words it is about (None for
    `panjang:`, whose comparison is `value`)."""
    kind: str
    number: int | None
    child: "Node | None"
    position: int
    value: str = ""


Node = Union[Word, Phrase, DateFilter, Not, And, Or, Check]


@dataclass(frozen=True)
class SyntaxTree:
    root: Node | None
    notes: tuple[str, ...]


# --- 1. tokens --------------------------------------------------------------

@dataclass(frozen=True)
class Token:
    kind: str            # WORD PHRASE LPAREN RPAREN OR AND NOT MINUS PLUS FIELD
    text: str            # word text, phrase content, field canonical name
    pos: int             # 0-based start in the query
    end: int             # one past the last character
    slop: int | None = None
    slop_note: str | None = None


def _is_space(char: str) -> bool:
    return char.isspace() or char in ZERO_WIDTH


def tokenize_query(text: str) -> list[Token]:
    """Split `text` into tokens; raises QuerySyntaxError on an unbalanced quote."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if _is_space(char):
            i += 1
        elif char in "()":
            tokens.append(Token("LPAREN" if char == "(" else "RPAREN", char, i, i + 1))
            i += 1
        elif char in QUOTE_CHARS:
            token = _read_phrase(text, i)
            tokens.append(token)
            i = token.end
        elif char in "-+":  # a sign; the parser decides whether anything follows it
            tokens.append(Token("MINUS" if char == "-" else "PLUS", char, i, i + 1))
            i += 1
        else:
            i = _read_word(text, i, tokens)
    return tokens


def _read_phrase(text: str, start: int) -> Token:
    close = next((j for j in range(start + 1, len(text)) if text[j] in QUOTE_CHARS), -1)
    if close < 0:
        raise QuerySyntaxError(text, start, "unbalanced quote")
    end = close + 1
    slop, note = None, None
    match = re.compile(r"~(\d*)").match(text, end)
    if match:
        end = match.end()
        slop, note = _read_slop(match.group(1), start)
    return Token("PHRASE", text[start + 1:close], start, end, slop, note)


def _read_slop(digits: str, start: int) -> tuple[int | None, str | None]:
    if not digits:
        return None, f"'~' after the quote at column {start + 1} needs a number; searched the exact phrase"
    value = int(digits[:6])
    if value > MAX_SLOP:
        return MAX_SLOP, f"proximity ~{digits} at column {start + 1} is more than {MAX_SLOP}; used ~{MAX_SLOP}"
    return value, None


def _read_word(text: str, start: int, tokens: list[Token]) -> int:
    """Read a word (with a possible `field:` prefix) and append its token(s)."""
    end = start
    while end < len(text) and not _is_space(text[end]) and text[end] not in _BREAK:
        end += 1
    word = text[start:end]
    if word in OPERATORS:
        tokens.append(Token(OPERATORS[word], word, start, end))
        return end
    match = re.match(r"([A-Za-z]+):", word)
    field = FIELD_ALIASES.get(match.group(1).lower()) if match else None
    if field is None and (found := CHECK_PREFIX.match(word)):
        match, field = found, check_field(found)
    if field is None:
        tokens.append(Token("WORD", word, start, end))
        return end
    value_start = start + match.end()
    tokens.append(Token("FIELD", field, start, value_start))
    if value_start < end:
        tokens.append(Token("WORD", text[value_start:end], value_start, end))
    return end


# --- 2. tree ----------------------------------------------------------------

class SyntaxParser:
    """Recursive descent over the tokens: or_expr := and_expr (OR and_expr)*."""

    def __init__(self, text: str, tokens: list[Token], strict: bool = False):
        self.text, self.tokens, self.strict = text, tokens, strict
        self.index = 0
        self.notes: list[str] = []

    def parse(self) -> SyntaxTree:
        for token in self.tokens:
            if token.slop_note:
                self._slip(token.pos, "proximity needs a number from 1 to %d" % MAX_SLOP, token.slop_note)
        root = self._or(None, 0)
        return SyntaxTree(root, tuple(self.notes))

    # helpers
    def _peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _next(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _slip(self, position: int, reason: str, note: str) -> None:
        if self.strict:
            raise QuerySyntaxError(self.text, position, reason)
        self.notes.append(note)

    def _ends_operand(self, token: Token | None) -> bool:
        return token is None or token.kind in ("OR", "AND", "RPAREN")

    # grammar
    def _or(self, field: str | None, depth: int) -> Node | None:
        groups = [self._and(field, depth)]
        while (token := self._peek()) is not None and token.kind == "OR":
            self._next()
            groups.append(self._and(field, depth))
            if not groups[-1] or (len(groups) == 2 and not groups[0]):
                self._slip(token.pos, f"'{token.text}' needs a term on both sides",
                           f"ignored a dangling '{token.text}' at column {token.pos + 1}")
        nodes = [_join(And, items) for items in groups if items]
        return _join(Or, nodes) if nodes else None

    def _and(self, field: str | None, depth: int) -> list[Node]:
        items: list[Node] = []
        while (token := self._peek()) is not None and token.kind != "OR":
            if token.kind == "RPAREN":
                if depth:
                    break
                self._next()
                self._slip(token.pos, "unmatched ')'", f"ignored a stray ')' at column {token.pos + 1}")
            elif token.kind == "AND":
                self._next()
                if not items or self._ends_operand(self._peek()):
                    self._slip(token.pos, f"'{token.text}' needs a term on both sides",
                               f"ignored a dangling '{token.text}' at column {token.pos + 1}")
            elif (node := self._unary(field, depth)) is not None:
                items.append(node)
        return items

    def _unary(self, field: str | None, depth: int) -> Node | None:
        negations, first = 0, None
        while (token := self._peek()).kind in ("NOT", "MINUS", "PLUS"):
            self._next()
            following = self._peek()
            if self._ends_operand(following) or (token.kind != "NOT" and following.pos != token.end):
                label = "'-'" if token.kind == "MINUS" else f"'{token.text}'"
                self._slip(token.pos, f"{label} with nothing after it",
                           f"ignored a dangling {label} at column {token.pos + 1}")
                return None
            if token.kind != "PLUS":
                negations += 1
                first = token if first is None else first
        node = self._primary(field, depth)
        if node is None or negations % 2 == 0:
            return node
        return Not(node, first.pos)

    def _primary(self, field: str | None, depth: int) -> Node | None:
        token = self._next()
        if token.kind == "LPAREN":
            return self._group(token, field, depth)
        if token.kind == "FIELD":
            return self._field(token, depth)
        if token.kind == "PHRASE":
            return self._phrase(token, field)
        return self._word(token, field)

    def _group(self, token: Token, field: str | None, depth: int) -> Node | None:
        if depth >= MAX_DEPTH:
            raise QuerySyntaxError(self.text, token.pos, f"more than {MAX_DEPTH} nested parentheses")
        node = self._or(field, depth + 1)
        close = self._peek()
        if close is not None and close.kind == "RPAREN":
            self._next()
        else:
            self._slip(token.pos, "unbalanced '('", f"closed the '(' at column {token.pos + 1} at the end")
        if node is None:
            self._slip(token.pos, "empty parentheses", f"ignored empty parentheses at column {token.pos + 1}")
        return node

    def _field(self, token: Token, depth: int) -> Node | None:
        value = self._peek()
        name = self.text[token.pos:token.end]
        if value is None or value.pos != token.end or value.kind not in ("WORD", "PHRASE", "LPAREN"):
            self._slip(token.pos, f"missing value after '{name}'",
                       f"ignored '{name}' without a value at column {token.pos + 1}")
            return None
        self._next()
        if token.text.startswith("check:"):
            return self._check(token, value, depth)
        if value.kind == "LPAREN":
            return self._group(value, token.text, depth)
        if token.text == "date":
            return self._date(self._glue_range(value))
        if value.kind == "PHRASE":
            return self._phrase(value, token.text)
        return self._word(value, token.text)

    def _check(self, token: Token, value: Token, depth: int) -> Check:
        """`kalimat:(...)`, `awal50:x`, `minimal3:x`, `panjang:>300`: the operator around its value."""
        _, kind, number = token.text.split(":")
        if kind == "words":
            return Check(kind, None, None, token.pos, self._glue_range(value).text)
        if value.kind == "LPAREN":
            child = self._group(value, None, depth)
        elif value.kind == "PHRASE":
            child = self._phrase(value, None)
        else:
            child = self._word(value, None)
        return Check(kind, int(number) if number else None, child, token.pos)

    def _glue_range(self, value: Token) -> Token:
        """`tanggal:"1 Maret 2022"..2022-03-15`: join the pieces of a range written around quotes."""
        while (following := self._peek()) is not None and following.pos == value.end \
                and following.kind in ("WORD", "PHRASE") \
                and (value.text.endswith("..") or following.text.startswith("..")):
            self._next()
            value = Token("WORD", value.text + following.text, value.pos, following.end)
        return value

    def _phrase(self, token: Token, field: str | None) -> Node | None:
        if field == "date":
            return self._date(token)
        return Phrase(token.text, token.pos, field, token.slop)

    def _word(self, token: Token, field: str | None) -> Node | None:
        if field == "date":
            return self._date(token)
        if field == "url" and "*" not in token.text:
            return Word(token.text, token.pos, field)
        return self._classify(token, field)

    def _classify(self, token: Token, field: str | None) -> Word:
        """plain / prefix / wildcard / fuzzy, with the limits checked."""
        text, kind, maxdist = token.text, "plain", 0
        fuzzy = re.fullmatch(r"(.*[^~])~(\d*)", text, re.S)
        if fuzzy and field not in ("url",):
            text, kind, maxdist = fuzzy.group(1), "fuzzy", self._fuzzy_distance(fuzzy.group(1), fuzzy.group(2), token)
        if "*" in text:
            if kind == "fuzzy":
                self.notes.append(f"'~' ignored on the wildcard '{text}' at column {token.pos + 1}")
            return self._wildcard(text, token, field)
        if kind == "fuzzy" and maxdist == 0:
            kind = "plain"
        return Word(text, token.pos, field, kind, maxdist)

    def _fuzzy_distance(self, word: str, digits: str, token: Token) -> int:
        if not digits:
            return 1 if len(word) <= 4 else 2
        value = int(digits[:6])
        if value > MAX_FUZZY:
            self._slip(token.pos, f"fuzzy distance must be 0, 1 or {MAX_FUZZY}",
                       f"used ~{MAX_FUZZY} instead of ~{digits} at column {token.pos + 1}")
            return MAX_FUZZY
        return value

    def _wildcard(self, text: str, token: Token, field: str | None) -> Word:
        literal = text.split("*", 1)[0]
        if not literal:
            raise QuerySyntaxError(self.text, token.pos, "a word cannot start with the wildcard '*'")
        if len(literal) < MIN_WILDCARD_PREFIX:
            raise QuerySyntaxError(self.text, token.pos,
                                   f"put at least {MIN_WILDCARD_PREFIX} letters before '*'")
        kind = "prefix" if text.rstrip("*") == literal else "wildcard"
        return Word(literal if kind == "prefix" else re.sub(r"\*+", "*", text), token.pos, field, kind)

    def _date(self, token: Token) -> DateFilter:
        try:
            window = parse_date_value(token.text)
        except DateValueError as exc:
            raise QuerySyntaxError(self.text, token.pos, exc.reason) from None
        return DateFilter(window, token.pos)


def _join(cls, items: list[Node]) -> Node:
    return items[0] if len(items) == 1 else cls(tuple(items))


def parse_syntax(text: str, *, strict: bool = False) -> SyntaxTree:
    """Text -> SyntaxTree (root None when nothing is left after leniency)."""
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(text, MAX_QUERY_CHARS, f"query longer than {MAX_QUERY_CHARS} characters")
    return SyntaxParser(text, tokenize_query(text), strict).parse()


# --- 3. dates -----------------------------------------------------------------

# month and weekday names and zone abbreviations are shared with dates.py
ZONES = TIMEZONES
MIN_YEAR, MAX_YEAR = 1800, 2200


class DateValueError(ValueError):
    """A date value that no supported form matches (converted to a typed error by callers).

    `reason` quotes the value (for query errors); `brief` does not (for DateParseError,
    which adds the value itself).
    """

    def __init__(self, reason: str, brief: str):
        self.reason, self.brief = reason, brief
        super().__init__(reason)


def parse_date_value(value: str) -> DateWindow:
    """`2022-03`, `2022-03-01..2022-03-15`, `>=2024-01`, `"15 Maret 2022"` -> DateWindow."""
    text = value.strip()
    if ".." in text:
        return _parse_range(text)
    compare = re.fullmatch(r"(>=|<=|>|<|=)\s*(.*)", text, re.S)
    if compare:
        start, end = parse_period(compare.group(2))
        bounds = {">=": (start, None), ">": (end, None), "<=": (None, end), "<": (None, start), "=": (start, end)}
        return DateWindow(*bounds[compare.group(1)], value)
    start, end = parse_period(text)
    return DateWindow(start, end, value)


def _parse_range(text: str) -> DateWindow:
    left, right = (part.strip() for part in text.split("..", 1))
    if ".." in right:
        raise DateValueError(f"more than one '..' in the date range '{text}'", "more than one '..'")
    if not left and not right:
        reason = "a date range needs a date on at least one side of '..'"
        raise DateValueError(reason, reason)
    zone = _named_zone(right) or _named_zone(left)
    start = parse_period(left, zone)[0] if left else None
    end = parse_period(right, zone)[1] if right else None
    if start and end and start >= end:
        raise DateValueError(f"the date range '{text}' ends before it starts", "the range ends before it starts")
    return DateWindow(start, end, text)


def parse_period(text: str, zone: timezone | None = None) -> tuple[datetime, datetime]:
    """A day, month or year -> (start, end) aware datetimes, end exclusive."""
    body, named = _split_zone(text.strip())
    tz = named or zone or WIB
    body = re.sub(r"^(%s)\b,?\s*" % "|".join(WEEKDAYS), "", body.lower()).strip()
    year, month, day = _read_date_parts(body, text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateValueError(f"year {year} is out of range in '{text}'", f"year {year} is out of range")
    try:
        start = datetime(year, month or 1, day or 1, tzinfo=tz)
    except ValueError:
        raise DateValueError(f"no such day: '{text}'", "no such day") from None
    return start, _period_end(start, month, day)


def _read_date_parts(body: str, original: str) -> tuple[int, int | None, int | None]:
    numeric = [
        (r"(\d{4})", (1, None, None)),
        (r"(\d{4})[-/.](\d{1,2})", (1, 2, None)),
        (r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", (1, 2, 3)),
        (r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", (3, 2, 1)),
        (r"(\d{1,2})[-/.](\d{4})", (2, 1, None)),
    ]
    for pattern, order in numeric:
        if match := re.fullmatch(pattern, body):
            return _pick(match, order, original)
    named = [
        (r"(\d{1,2})[\s\-/.]+([^\W\d_]+)\.?,?[\s\-/.]+(\d{4})", "dmy"),
        (r"([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})", "mdy"),
        (r"([^\W\d_]+)\.?,?[\s\-/.]+(\d{4})", "my"),
    ]
    for pattern, order in named:
        if match := re.fullmatch(pattern, body):
            return _pick_named(match, order, original)
    hint = ' (put dates with spaces in quotes: tanggal:"15 Maret 2022")' if re.fullmatch(r"\d{1,2}", body) or body in MONTHS else ""
    raise DateValueError(f"unrecognised date '{original.strip()}'{hint}", "unrecognised date")


def _pick(match: re.Match, order: tuple, original: str) -> tuple[int, int | None, int | None]:
    year, month, day = (int(match.group(i)) if i else None for i in order)
    if month is not None and not 1 <= month <= 12:
        raise DateValueError(f"no month {month} in '{original.strip()}'", f"no month {month}")
    return year, month, day


def _pick_named(match: re.Match, order: str, original: str) -> tuple[int, int | None, int | None]:
    parts = dict(zip(order, match.groups()))
    month = MONTHS.get(parts["m"])
    if month is None:
        raise DateValueError(f"unknown month '{parts['m']}' in '{original.strip()}'", f"unknown month '{parts['m']}'")
    day = int(parts["d"]) if "d" in parts else None
    return int(parts["y"]), month, day


def _period_end(start: datetime, month: int | None, day: int | None) -> datetime:
    if day is not None:
        return start + timedelta(days=1)
    if month is not None:
        return start.replace(year=start.year + (month == 12), month=month % 12 + 1)
    return start.replace(year=start.year + 1)


_ZONE_RE = re.compile(
    r"(?:(?:^|\s)(?:(?:UTC|GMT)[+-]\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2})"
    r"|(?:^|\s|(?<=\d))(?:WIB|WITA|WIT|UTC|GMT|Z))\s*$",
    re.I,
)


def _split_zone(text: str) -> tuple[str, timezone | None]:
    """'15 Maret 2022 WITA' -> ('15 Maret 2022', WITA); no zone named -> (text, None)."""
    match = _ZONE_RE.search(text)
    zone = _zone(match.group(0).strip()) if match else None
    return (text[:match.start()].strip(), zone) if zone else (text, None)


def _zone(name: str) -> timezone | None:
    key = name.lower()
    if key in ZONES:
        return ZONES[key]
    offset = re.fullmatch(r"(?:utc|gmt)?([+-])(\d{1,2})(?::?(\d{2}))?", key)
    if not offset or int(offset.group(2)) > 14:
        return None
    minutes = int(offset.group(2)) * 60 + int(offset.group(3) or 0)
    return timezone(timedelta(minutes=-minutes if offset.group(1) == "-" else minutes))


def _named_zone(text: str) -> timezone | None:
    return _split_zone(text.strip())[1]
