"""Query text -> ParsedQuery: the engine-neutral plan, its relaxed form, what to highlight, the date window.

Steps, in file order after the `ParsedQuery` result class:

1. `parse_syntax` (query_syntax.py) turns the text into a tree, lenient or strict.
2. `split_date_window`: date filters at the top level (and `--since`/`--until`)
   become one window of WIB datetimes; `date_range` turns a window into a plan
   `DateRange`.
3. `QueryBuilder` analyses each word with the index's own analysis
   (`analyze(text, stemmer, mode="query")` for plain words on `title`/`body`,
   the exact analysis for quoted words on `title_exact`/`body_exact`, `names`,
   `author`) and builds one plan node per syntax node (query/plan.py), with an
   explanation line and the terms to highlight. Prefix, wildcard and fuzzy words
   become bounded patterns that engines refuse to expand to more than
   `MAX_EXPANSIONS` index terms.
4. `make_relaxed`: an all-words query with two or more content parts gets an
   any-word twin (filters and exclusions still required) for search.py to run
   when the strict form finds nothing.
5. `ParsedQuery.explain()` prints what was understood.

`parse_date_bound` serves the CLI's `--since`/`--until`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from carinews.analysis import analyze, fold
from carinews.errors import DateParseError, QuerySyntaxError
from carinews.query import plan
from carinews.query.plan import MAX_EXPANSIONS, each_field as _each_field
from carinews.query.aliases import AliasGroup, rewrite as rewrite_aliases
from carinews.query.operators import Condition, Wanted, describe, parse_length
from carinews.query.syntax import (Check, 
    WIB, And, DateFilter, DateValueError, DateWindow, Node, Not, Or, Phrase, Word,
    parse_period, parse_syntax,
)
from carinews.results.snippets import HighlightTerms
from carinews.results.suggest import keep_case

__all__ = ["ParsedQuery", "HighlightTerms", "parse_query", "parse_date_bound", "MAX_EXPANSIONS"]

BONUS_KINDS = ("exact", "near")
NEAR_SLOP = 2          # plain words within 2 positions (in order) earn the proximity bonus
MAX_SPELLED = 12       # words of a query looked up for old spellings (a pasted paragraph costs no more)
NEAR_BOOST = 0.25      # a tie-breaker: a rare phrase must not outweigh the words themselves
EXACT = "none"  # the exact analysis is the pipeline without a stemmer
TEXT_FIELDS = {None: ("title", "body"), "title": ("title",), "body": ("body",)}
EXACT_FIELDS = {"title": "title_exact", "body": "body_exact"}
EXACT_ONLY_FIELDS = {"name": "names", "author": "author"}
KEYWORD_FIELDS = {"source": "source", "section": "section"}
FILTER_FIELDS = {"source", "section", "author", "url"}


# --- the result -------------------------------------------------------------

@dataclass
class ParsedQuery:
    text: str
    query: plan.Node                     # everything, including the date window
    relaxed: plan.Node | None            # any-word version, None when relaxing makes no sense
    highlight: HighlightTerms            # what snippets should mark
    date_from: datetime | None = None    # aware, WIB, inclusive
    date_to: datetime | None = None      # aware, WIB, exclusive
    notes: list[str] = field(default_factory=list)
    stemmer: str = "sastrawi"
    date_label: str = ""                 # the date text(s) the window came from
    lines: list[str] = field(default_factory=list, repr=False)
    bonus: dict[str, list[plan.Node]] = field(default_factory=dict, repr=False)
    words: tuple[plan.Node, ...] = ()    # plain words a partial match may lack (see `fillable_words`)
    names: tuple[str, ...] = ()          # capitalised runs among `words`, each counted as one word
    checks: list = field(default_factory=list)   # query/operators.py Conditions, verified per hit

    def words_label(self) -> str:
        """`3 words`, or `3 words ("Dedi Mulyadi" counts as one)` when a name is among them."""
        n = len(self.words)
        names = " and ".join(f'"{name}"' for name in self.names)
        return f"{n} words" + (f" ({names} count{'s' * (len(self.names) == 1)} as one)" if names else "")

    def explain(self) -> str:
        """A readable account of how the query was understood (for `search --explain`)."""
        out = [f"query: {self.text}", *self.lines]
        if self.date_from or self.date_to:
            out.append(f"date window (WIB): {describe_window(self.date_from, self.date_to)}"
                       f"  [{self.date_label}]")
        if self.words:
            n = len(self.words)
            out.append(f"if fewer than a page of articles have all {self.words_label()}: then "
                       f"articles with {n - 1} of the {n}, and so on down to 1, each group below "
                       "the one before")
        elif self.relaxed is not None:
            out.append("if no article has all of these: any of the words, best first (relaxed)")
        if self.notes:
            out.append("notes:")
            out += [f"  - {note}" for note in self.notes]
        return "\n".join(out)

    def bonus_queries(self, kinds: tuple[str, ...] = BONUS_KINDS) -> list[plan.Node]:
        """Optional ranking clauses: "exact" surface forms and "near" (plain words close together)."""
        return [q for kind in kinds for q in self.bonus.get(kind, [])]


def parse_query(text: str, *, stemmer: str = "sastrawi", strict: bool = False,
                since=None, until=None, derivations: bool = True, variants=None,
                aliases=None) -> ParsedQuery:
    """Parse `text`; raises QuerySyntaxError. `since`/`until`: text, date or datetime (WIB).

    `derivations`: a plain word also finds the other derivations of its root that its stem
    misses (`word_with_derivations`); False for measuring what that adds. `variants`: a
    function giving the (form, kind) spelling variants of a case-folded word
    (analysis/spelling.py `variant_forms` bound to an engine), None for none; `aliases`: an
    alias table (query/aliases.py), None for none."""
    if not re.search(r"[^\s()\"\u201c\u201d\u201e\u201f\u200b\u2060\ufeff\u180e+-]", _strip_operators(text)):
        raise QuerySyntaxError(text, 0, "empty query")
    tree = parse_syntax(text, strict=strict)
    notes = list(tree.notes)
    if tree.root is None:
        raise QuerySyntaxError(text, 0, "empty query")
    root = tree.root if aliases is None else rewrite_aliases(tree.root, aliases)
    filters, rest = split_date_window(root)
    window = _window(filters, since, until)
    builder = QueryBuilder(text, stemmer, notes, derivations, variants)
    built = [(node, builder.build(node, 1)) for node in rest]
    built = [(node, part) for node, part in built if part is not None]
    parts = [part for _, part in built]
    query, relaxed, lines = _assemble(text, parts, window, strict, notes)
    words, names = fillable_words(text, built, window)
    if builder.checks:
        relaxed = None   # an operator is a requirement: never relaxed away
    return ParsedQuery(
        text=text, query=query, relaxed=relaxed, highlight=builder.highlight,
        date_from=window.start.astimezone(WIB) if window and window.start else None,
        date_to=window.end.astimezone(WIB) if window and window.end else None,
        notes=notes, stemmer=stemmer, date_label=window.text if window else "", lines=lines,
        bonus=builder.bonus_queries(), checks=builder.checks,
        words=words, names=names,
    )


def _strip_operators(text: str) -> str:
    return re.sub(r"(?<!\S)(OR|ATAU|AND|DAN|NOT|TIDAK)(?!\S)", " ", text)


# --- 2. dates -----------------------------------------------------------------

def split_date_window(root: Node) -> tuple[list[DateFilter], list[Node]]:
    """Top-level date filters (ANDed with everything) vs the other top-level parts."""
    children = list(root.children) if isinstance(root, And) else [root]
    dates = [child for child in children if isinstance(child, DateFilter)]
    return dates, [child for child in children if not isinstance(child, DateFilter)]


def _window(filters: list[DateFilter], since, until) -> DateWindow | None:
    windows = [f.window for f in filters]
    if since is not None:
        windows.append(DateWindow(_bound(since, "since"), None, f"--since {since}"))
    if until is not None:
        windows.append(DateWindow(None, _bound(until, "until"), f"--until {until}"))
    if not windows:
        return None
    starts = [w.start for w in windows if w.start]
    ends = [w.end for w in windows if w.end]
    text = " and ".join(w.text for w in windows)
    return DateWindow(max(starts) if starts else None, min(ends) if ends else None, text)


def _bound(value, side: str) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=WIB)
    if isinstance(value, date):
        value = value.isoformat()
    return parse_date_bound(str(value), side)


def parse_date_bound(text: str, side: str) -> datetime:
    """`--since 2022-03` -> 2022-03-01 00:00 WIB; `--until 2022-03` -> 2022-04-01 00:00 WIB (exclusive).

    `side` is "since" (or "from") or "until" (or "to"); the forms are those of
    `tanggal:` (a day, month or year; `15 Maret 2022`, `15/3/2022`, a zone name).
    """
    if side not in ("since", "from", "until", "to"):
        raise ValueError(f"side must be 'since' or 'until', not {side!r}")
    try:
        start, end = parse_period(text)
    except DateValueError as exc:
        raise DateParseError(text, exc.brief) from None
    return start if side in ("since", "from") else end


def date_range(window: DateWindow) -> plan.Node:
    """[start, end); undated articles have no date, so they never match."""
    if window.start and window.end and window.start >= window.end:
        return plan.Nothing()
    return plan.DateRange(window.start, window.end)


def date_complement(window: DateWindow) -> plan.Node:
    """NOT a window, among dated articles only (an undated article matches no date filter)."""
    sides = []
    if window.start:
        sides.append(plan.DateRange(None, window.start))
    if window.end:
        sides.append(plan.DateRange(window.end, None))
    return sides[0] if len(sides) == 1 else plan.Or(tuple(sides))


def describe_window(start: datetime | None, end: datetime | None) -> str:
    """'from 2022-03-01 00:00 (inclusive) to 2022-04-01 00:00 (exclusive) = days 2022-03-01..2022-03-31'."""
    fmt = "%Y-%m-%d %H:%M"
    if start and end and start >= end:
        return "empty (the date limits exclude each other)"
    start, end = (d.astimezone(WIB) if d else None for d in (start, end))
    left = f"from {start.strftime(fmt)} (inclusive)" if start else "before"
    right = (" to " if start else " ") + f"{end.strftime(fmt)} (exclusive)" if end else " onwards"
    return left + right + _calendar_days(start, end)


def _calendar_days(start: datetime | None, end: datetime | None) -> str:
    """' = days A..B' when both bounds fall on WIB midnights."""
    at_midnight = all(d is None or d.time() == time(0) for d in (start, end))
    if not at_midnight or not (start or end):
        return ""
    first = start.date().isoformat() if start else ""
    last = (end - timedelta(days=1)).date().isoformat() if end else ""
    return f" = days {first}..{last}"


# --- 3. syntax nodes -> plan nodes ---------------------------------------------

@dataclass
class Part:
    """One built node: its query, explanation lines and whether it is a relaxable content part."""
    query: plan.Node
    lines: list[str]
    content: bool = True
    negative: bool = False


class QueryBuilder:
    """Builds plan nodes from syntax nodes, collecting highlights and bonus clauses."""

    def __init__(self, text: str, stemmer: str, notes: list[str], derivations: bool = True,
                 variants=None):
        self.text, self.stemmer, self.notes = text, stemmer, notes
        self.derivations = derivations
        self.variants = variants      # word -> [(form, kind)] spelling variants, or None
        self._checking = False        # inside an analyst operator: words stay as written
        self._spelled = 0             # words looked up for spelling variants so far
        self.highlight = HighlightTerms(stemmer=stemmer)
        self._bonus_exact: list[str] = []
        self._bonus_stems: list[str] = []
        self.checks: list = []

    def build(self, node: Node, depth: int, negated: bool = False) -> Part | None:
        if isinstance(node, AliasGroup):
            return self._alias(node, depth, negated)
        if isinstance(node, Check):
            return self._check(node, depth, negated)
        if isinstance(node, (And, Or)):
            return self._compound(node, depth, negated)
        if isinstance(node, Not):
            return self._not(node, depth, negated)
        if isinstance(node, DateFilter):
            return self._date(node, depth, negated)
        if isinstance(node, Phrase):
            return self._phrase(node, depth, negated)
        return self._word(node, depth, negated)

    # analyst operators (query/operators.py): the words as required words, plus a check
    def _check(self, node: Check, depth: int, negated: bool) -> Part | None:
        if negated or depth > 1:
            raise QuerySyntaxError(self.text, node.position, "kalimat:, paragraf:, awal:, minimal:"
                                   " and panjang: work only ANDed with the rest of the query"
                                   " (not inside OR, NOT or -)")
        if node.kind == "words":
            bounds = parse_length(node.value)
            if bounds is None:
                raise QuerySyntaxError(self.text, node.position, f"panjang: needs a word count such as"
                                       f" >300, <=50 or 100..300, not {node.value!r}")
            condition = Condition("words", low=bounds[0], high=bounds[1])
            self.checks.append(condition)
            return Part(plan.Every(), [_indent(depth, describe(condition))], content=False)
        self._checking = True
        part = self.build(node.child, depth + 1) if node.child is not None else None
        self._checking = False
        if part is None:
            return None
        condition = Condition(node.kind, tuple(self._wanted(node.child, node.position)), node.number)
        self.checks.append(condition)
        return Part(part.query, [_indent(depth, describe(condition))] + part.lines, content=False)

    def _wanted(self, node: Node, position: int) -> list[Wanted]:
        """The words and phrases inside an operator, as the verification looks for them."""
        if isinstance(node, And):
            return [w for child in node.children for w in self._wanted(child, position)]
        if isinstance(node, Word) and node.kind == "plain" and node.field is None:
            terms = tuple(t.text for t in analyze(node.text, self.stemmer, "query"))
            return [Wanted("stem", terms)] if terms else []
        if isinstance(node, Phrase) and node.field is None and node.slop is None:
            terms = tuple(t.text for t in analyze(node.text, EXACT, "query"))
            return [Wanted("exact", terms)] if terms else []
        raise QuerySyntaxError(self.text, position, "inside kalimat:, paragraf:, awal: and minimal:"
                               " use plain words or quoted phrases only")

    # compounds
    def _compound(self, node: And | Or, depth: int, negated: bool) -> Part | None:
        parts = [p for p in (self.build(c, depth + 1, negated) for c in node.children) if p]
        if len(parts) <= 1:
            return _reindent(parts[0], -1) if parts else None
        cls, label = (plan.And, "all of:") if isinstance(node, And) else (plan.Or, "any of:")
        lines = [_indent(depth, label)] + [line for p in parts for line in p.lines]
        queries = [p.query for p in parts]
        only_negative = all(p.negative for p in parts)
        if only_negative and cls is plan.And:
            queries.insert(0, plan.Every())  # "(-a -b)": every article with neither
        return Part(cls(tuple(queries)), lines, any(p.content for p in parts), only_negative)

    def _not(self, node: Not, depth: int, negated: bool) -> Part | None:
        if isinstance(node.child, DateFilter):
            window = node.child.window
            return Part(date_complement(window), [_indent(depth, f"date outside [{window.text}]: "
                        + describe_window(window.start, window.end))], content=False)
        child = self.build(node.child, depth + 1, not negated)
        if child is None:
            return None
        if len(child.lines) == 1:
            lines = [_indent(depth, "not: " + child.lines[0].strip())]
        else:
            lines = [_indent(depth, "not:")] + child.lines
        return Part(plan.Not(child.query), lines, False, True)

    def _date(self, node: DateFilter, depth: int, negated: bool) -> Part:
        line = f"date [{node.window.text}] (WIB): {describe_window(node.window.start, node.window.end)}"
        return Part(date_range(node.window), [_indent(depth, line)], content=False)

    # words
    def _word(self, node: Word, depth: int, negated: bool) -> Part | None:
        if node.field == "url":
            return self._url(node, depth)
        if node.field in KEYWORD_FIELDS:
            return self._keyword(node, node.text, depth)
        if node.kind != "plain":
            return self._pattern(node, depth, negated)
        if node.field in EXACT_ONLY_FIELDS:
            return self._exact_terms(node, node.text, (EXACT_ONLY_FIELDS[node.field],), depth, negated)
        return self._stemmed(node, depth, negated)

    def _stemmed(self, node: Word, depth: int, negated: bool) -> Part | None:
        fields = TEXT_FIELDS[node.field]
        terms = [t.text for t in analyze(node.text, self.stemmer, "query")]
        if not terms:
            return self._dropped(node)
        if not negated:
            self._remember_stems(node, terms)
        if len(terms) == 1:
            query, line = self.word_with_derivations(node, terms[0], fields)
            query, line = self._spelling(node, terms[0], fields, query, line, negated)
        else:
            query = _each_field(fields, lambda f: plan.Phrase(f, tuple(terms)))
            line = f'word "{node.text}" -> stems {_quoted(terms)} side by side in {_names(fields)}'
        return Part(query, [_indent(depth, line)], content=node.field not in FILTER_FIELDS)

    def word_with_derivations(self, node: Word, stem: str, fields: tuple[str, ...]):
        """The stem in `fields`, or'ed with the roots of the word's other derivations that
        the stem misses (query/derivation.py: `perampokan` -> `ampo`, also `rampok` for
        `dirampok`). Never for a capitalised word (a name) or a protected one; the typed
        form keeps the exact-form bonus, so its own articles rank first."""
        from carinews.analysis.stem import load_protected_words
        from carinews.query.derivation import derivation_roots

        folded = "".join(t.text for t in analyze(node.text, EXACT, "query")[:1])
        roots = ()
        if (self.derivations and self.stemmer == "sastrawi" and node.text[:1].islower()
                and folded not in load_protected_words()):
            roots = derivation_roots(folded, stem)
        label = f'word "{node.text}" -> stem "{stem}" (any form)'
        if not roots:
            return _each_field(fields, lambda f: plan.Term(f, stem)), f"{label} in {_names(fields)}"
        for root in roots:
            self.highlight.stems.add(root)
        query = plan.Or(tuple(plan.Term(f, t) for t in (stem, *roots) for f in fields))
        also = " ".join(f'"{r}"' for r in roots)
        return query, f"{label}, or the root {also} of its other derivations, in {_names(fields)}"

    def _remember_stems(self, node: Word, terms: list[str]) -> None:
        if len(terms) == 1:
            self.highlight.stems.add(terms[0])
        else:
            self.highlight.phrases.append(("stem", tuple(terms)))
        if node.field is None and len(terms) == 1:
            self._bonus_stems.append(terms[0])
            self._bonus_exact += [t.text for t in analyze(node.text, EXACT, "query")][:1]

    def _exact_terms(self, node, text: str, fields: tuple[str, ...], depth: int, negated: bool,
                     slop: int | None = None) -> Part | None:
        terms = [t.text for t in analyze(text, EXACT, "query")]
        if not terms:
            return self._dropped(node)
        label = _names(fields)
        if len(terms) == 1:
            if slop is not None:
                self.notes.append(f'proximity ~{slop} ignored on the single word "{text}"')
            query = _each_field(fields, lambda f: plan.Term(f, terms[0]))
            line = f'exact word "{terms[0]}" in {label}'
            if isinstance(node, Word) and node.field == "name":
                query, line = self._spelling(node, terms[0], fields, query, line, negated)
        elif slop is None:
            query = _each_field(fields, lambda f: plan.Phrase(f, tuple(terms)))
            line = f'exact phrase "{" ".join(terms)}" (consecutive words) in {label}'
        else:
            query = _each_field(fields, lambda f: plan.Phrase(f, tuple(terms), slop))
            line = f'exact words {_quoted(terms)} within {slop} positions, any order, in {label}'
        if not negated:
            self._remember_exact(terms, slop)
        return Part(query, [_indent(depth, line)], content=node.field not in FILTER_FIELDS)

    def _remember_exact(self, terms: list[str], slop: int | None) -> None:
        if len(terms) == 1 or slop is not None:
            self.highlight.words.update(terms)
        else:
            self.highlight.phrases.append(("exact", tuple(terms)))

    def _phrase(self, node: Phrase, depth: int, negated: bool) -> Part | None:
        if node.field == "url":
            return self._url(node, depth)
        if node.field in KEYWORD_FIELDS:
            return self._keyword(node, node.text, depth)
        fields = ((EXACT_ONLY_FIELDS[node.field],) if node.field in EXACT_ONLY_FIELDS
                  else tuple(EXACT_FIELDS[f] for f in TEXT_FIELDS[node.field]))
        return self._exact_terms(node, node.text, fields, depth, negated, node.slop)

    def _keyword(self, node, text: str, depth: int) -> Part | None:
        fieldname = KEYWORD_FIELDS[node.field]
        value = " ".join(text.lower().split())
        if not value:
            return self._dropped(node)
        if isinstance(node, Word) and node.kind == "prefix":
            query = plan.Prefix(fieldname, value, f"'{value}*'", node.position)
            return Part(query, [_indent(depth, f'{node.field} starting with "{value}"')], content=False)
        return Part(plan.Term(fieldname, value), [_indent(depth, f'{node.field} is "{value}"')], content=False)

    def _url(self, node, depth: int) -> Part:
        from carinews.ingest.urls import normalise_url

        raw = node.text.strip()
        if isinstance(node, Word) and node.kind == "prefix":
            value = normalise_url(raw) or raw
            query = plan.Prefix("url", value, f"'{raw}*'", node.position)
            return Part(query, [_indent(depth, f'url starting with "{value}"')], content=False)
        value = normalise_url(raw) or raw
        return Part(plan.Term("url", value), [_indent(depth, f'url is "{value}"')], content=False)

    def _pattern(self, node: Word, depth: int, negated: bool) -> Part | None:
        fields = ((EXACT_ONLY_FIELDS[node.field],) if node.field in EXACT_ONLY_FIELDS
                  else tuple(EXACT_FIELDS[f] for f in TEXT_FIELDS[node.field]))
        literal = node.text.replace("*", "")
        folded = "".join(t.text for t in analyze(literal, EXACT, "query")[:1]) or literal.casefold()
        pattern = folded if node.kind != "wildcard" else _fold_pattern(node.text)
        make, line = self._pattern_maker(node, pattern)
        if not negated:
            self._remember_pattern(node, pattern)
        return Part(_each_field(fields, make), [_indent(depth, f"{line} in {_names(fields)}")],
                    content=node.field not in FILTER_FIELDS)

    def _pattern_maker(self, node: Word, pattern: str):
        if node.kind == "prefix":
            label = f"'{pattern}*'"
            return (lambda f: plan.Prefix(f, pattern, label, node.position),
                    f'words starting with "{pattern}" (exact forms, at most {MAX_EXPANSIONS})')
        if node.kind == "wildcard":
            label = f"'{pattern}'"
            return (lambda f: plan.Wildcard(f, pattern, label, node.position),
                    f'words matching "{pattern}" (exact forms, at most {MAX_EXPANSIONS})')
        label = f"'{pattern}~{node.maxdist}'"
        return (lambda f: plan.Fuzzy(f, pattern, label, node.position, node.maxdist, 1),
                f'words within {node.maxdist} edit{"s" * (node.maxdist > 1)} of "{pattern}" (exact forms, fuzzy)')

    def _remember_pattern(self, node: Word, pattern: str) -> None:
        if node.kind == "fuzzy":
            self.highlight.fuzzy.add((pattern, node.maxdist))
        else:
            self.highlight.prefixes.add(pattern.split("*", 1)[0])

    # spelling variants and aliases (analysis/spelling.py, query/aliases.py)
    def _spelling(self, node: Word, term: str, fields: tuple[str, ...], query: plan.Node,
                  line: str, negated: bool) -> tuple[plan.Node, str]:
        """`query` OR the word's other spellings some article holds (their stems, any form; in
        names, their exact form), and the explanation line saying so."""
        if self.variants is None or self._checking or self._spelled >= MAX_SPELLED:
            return query, line
        self._spelled += 1
        stemmed = fields != (EXACT_ONLY_FIELDS["name"],)
        found = {}
        for form, kind in self.variants(fold(node.text)):
            written = keep_case(node.text, form)
            terms = [t.text for t in analyze(written, self.stemmer if stemmed else EXACT, "query")]
            if len(terms) == 1 and terms[0] != term and terms[0] not in found:
                found[terms[0]] = (written, kind)
        if not found:
            return query, line
        if not negated:
            (self.highlight.stems if stemmed else self.highlight.words).update(found)
        extra = [_each_field(fields, lambda f, t=t: plan.Term(f, t)) for t in found]
        kinds = dict.fromkeys(kind for _, kind in found.values())
        also = ", ".join(f'"{w}"' for w, _ in found.values())
        return plan.Or((query, *extra)), f"{line}; also {also} ({', '.join(kinds)})"

    def _alias(self, node: AliasGroup, depth: int, negated: bool) -> Part | None:
        """What was written OR each other form of its alias row, as a phrase."""
        part = self.build(node.node, depth + 1, negated)
        if part is None:
            return None
        named = node.field == "name"
        fields = (EXACT_ONLY_FIELDS["name"],) if named else TEXT_FIELDS[None]
        queries, lines = [part.query], []
        for other in node.others:
            terms = tuple(t.text for t in analyze(other, EXACT if named else self.stemmer, "query"))
            if not terms:
                continue
            make = (lambda f, t=terms: plan.Term(f, t[0])) if len(terms) == 1 else (
                lambda f, t=terms: plan.Phrase(f, t))
            queries.append(_each_field(fields, make))
            how = ((f'exact word "{terms[0]}"' if named else f'stem "{terms[0]}" (any form)')
                   if len(terms) == 1 else
                   f'{"exact words" if named else "stems"} {_quoted(terms)} side by side')
            lines.append(_indent(depth + 1, f'alias "{other}" -> {how} in {_names(fields)}'))
            if not negated:
                self.highlight.phrases.append(("exact" if named else "stem", terms))
        head = _indent(depth, f'"{node.written}" or its alias{"es" * (len(lines) > 1)} ({node.source};'
                       ' --no-aliases searches only what was written):')
        return Part(plan.Or(tuple(queries)), [head] + part.lines + lines,
                    part.content, part.negative)

    def _dropped(self, node) -> None:
        self.notes.append(f"ignored '{node.text}' at column {node.position + 1}: nothing searchable in it")
        return None

    def bonus_queries(self) -> dict[str, list[plan.Node]]:
        """Exact surface forms of plain words, and their stems close together, rank higher."""
        bonus = {"exact": [_each_field(("title_exact", "body_exact"), lambda f, w=w: plan.Term(f, w))
                           for w in dict.fromkeys(self._bonus_exact)]}
        if len(self._bonus_stems) >= 2:
            stems = tuple(self._bonus_stems)
            bonus["near"] = [_each_field(("title", "body"),
                                         lambda f: plan.Near(f, stems, NEAR_SLOP, NEAR_BOOST))]
        return bonus


def _fold_pattern(pattern: str) -> str:
    pieces = ["".join(t.text for t in analyze(p, EXACT, "query")) if p else "" for p in pattern.split("*")]
    return "*".join(pieces)


def _names(fields: tuple[str, ...]) -> str:
    return ", ".join(f.removesuffix("_exact") for f in fields)


def _quoted(terms) -> str:
    return " ".join(f'"{t}"' for t in terms)


def _indent(depth: int, line: str) -> str:
    return "  " * depth + line


def _reindent(part: Part, shift: int) -> Part:
    lines = [line[2:] if shift < 0 and line.startswith("  ") else line for line in part.lines]
    return Part(part.query, lines, part.content, part.negative)


# --- 4. assembly and relaxing -------------------------------------------------------

def _assemble(text: str, parts: list[Part], window: DateWindow | None, strict: bool,
              notes: list[str]) -> tuple[plan.Node, plan.Node | None, list[str]]:
    """All parts ANDed with the window; an Every() stands in when only exclusions are left."""
    filters = [date_range(window)] if window else []
    positive = [p for p in parts if not p.negative]
    if not parts and not filters:
        raise QuerySyntaxError(text, 0, "empty query: nothing searchable in it")
    if not positive and not filters:
        if strict:
            raise QuerySyntaxError(text, 0, "only excluded words; add something to search for")
        notes.append("only excluded words: showing every other article")
        filters = [plan.Every()]
    queries = [p.query for p in parts] + filters
    query = plan.all_of(queries)
    header = "match all of:" if len(parts) > 1 else "match:"
    lines = [header] + [line for p in parts for line in p.lines] if parts else []
    return query, make_relaxed(parts, filters), lines


def fillable_words(text: str, built: list[tuple[Node, Part]],
                   window: DateWindow | None) -> tuple[tuple[plan.Node, ...], tuple[str, ...]]:
    """The word queries of a query made only of two or more plain words (no operator, quote,
    field, pattern or date): those search.py may fill a short list with articles having most
    of them, and the names among them. Anything explicit stays strict, so it gives ((), ()).
    A name typed in capitals (`Dedi Mulyadi`, `Gunung Rinjani`: two or more capitalised words
    in a row, beside other words) counts as one word, all of it or none, as an alias already
    does: an article with *barak militer* comes before one with only *Dedi Mulyadi*, and
    *Sri Lanka* is not half of the name in `Sri Mulyani pajak`."""
    from carinews.query.syntax import tokenize_query

    if window is not None or len(built) < 2:
        return (), ()
    if not all(isinstance(n, Word) and n.field is None and n.kind == "plain"
               or isinstance(n, AliasGroup) and n.field is None for n, _ in built):
        return (), ()   # an alias of plain words (`Jokowi`, `Gus Dur`) is one of the parts
    if any(t.kind != "WORD" for t in tokenize_query(text)):
        return (), ()
    units: list[list[tuple[Node, Part]]] = []
    run = False
    for node, part in built:
        named = isinstance(node, Word) and _capitalised(node.text)
        if named and run:
            units[-1].append((node, part))
        else:
            units.append([(node, part)])
        run = named
    if len(units) < 2:     # the whole query is one run: a name alone keeps its words apart
        return tuple(part.query for _, part in built), ()
    words = tuple(u[0][1].query if len(u) == 1 else plan.And(tuple(p.query for _, p in u))
                  for u in units)
    return words, tuple(" ".join(n.text for n, _ in u) for u in units if len(u) > 1)


def _capitalised(word: str) -> bool:
    """`Mulyadi`, `Rinjani`; not `KPK` (an acronym is a word of its own) nor `jalan`."""
    return len(word) > 1 and word[0].isupper() and word[1:].islower()


def make_relaxed(parts: list[Part], filters: list[plan.Node]) -> plan.Node | None:
    """Any of the content parts (ranked), with filters and exclusions still required."""
    content = [p.query for p in parts if p.content and not p.negative]
    if len(content) < 2:
        return None
    required = [p.query for p in parts if not (p.content and not p.negative)] + filters
    return plan.And((plan.Or(tuple(content)), *required)) if required else plan.Or(tuple(content))

