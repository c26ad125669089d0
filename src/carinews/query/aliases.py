"""Aliases: the other names of well-known people and institutions (`Jokowi` = `Joko Widodo`,
`KPK` = `Komisi Pemberantasan Korupsi`), so a query for one finds articles using another.

The table is data: ALIASES_FILE (carinews/data/aliases.tsv, with the Wikipedia article
each row was checked against) plus the user's own files in the same format (`--aliases
FILE`, or `CARINEWS_ALIASES`: paths separated by the OS path separator). A row is
`name<TAB>aliases<TAB>source`: a name, its other forms separated by `;`, and where it comes
from (optional in a user's file); every form of a row finds every other. `#` starts a
comment line; a first line `name<TAB>aliases...` is a header. A bad line raises
AliasFileError naming file:line.

`rewrite(root, table)` runs over a syntax tree before it is built (query/parse.py): a plain
word, a run of plain words ANDed together (`Gus Dur`, `Joko Widodo`), `nama:Jokowi` or
`nama:"Joko Widodo"` that spells a form of the table (case-folded, the longest run first)
becomes an `AliasGroup`, built as the words as written OR each other form as a phrase (its
stems side by side; for `nama:` its exact words in the names field). Quoted phrases
outside `nama:`, patterns, other fields and the words of analyst operators stay as written.

Collisions with common words: a form written in capitals in the table (`BI`, `MA`, `PAN`)
whose lower-case form is a common word (a Sastrawi root, or an affixed form of one) or has
at most two letters is matched only by a query word written in capitals (`BI`, not `bi`).
A form is never expanded to another form that contains it word for word (`Megawati` is
not widened to `Megawati Soekarnoputri`: it already finds that).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from carinews.analysis.terms import fold, split_words
from carinews.errors import AliasFileError
from carinews.query.syntax import And, Check, Node, Not, Or, Phrase, Word

ALIASES_FILE = "aliases.tsv"
ENV = "CARINEWS_ALIASES"
MAX_WORDS = 6              # the longest form matched in a query, in words
FIELDS = (None, "name")    # plain words and nama:


def words_of(text: str) -> tuple[str, ...]:
    """The case-folded words of a form or query text."""
    return tuple(fold(text[s:e]) for s, e in split_words(text))


@dataclass(frozen=True)
class AliasGroup:
    """A syntax node: `node` (what was written) is also `others`, the forms of its alias row."""

    node: Node
    written: str
    others: tuple[str, ...]
    field: str | None
    source: str


@dataclass
class AliasTable:
    """Forms (case-folded word tuples) -> the other forms of their row."""

    rows: dict[tuple[str, ...], list[tuple[str, tuple[str, ...], str]]] = field(default_factory=dict)
    caps_only: set[tuple[str, ...]] = field(default_factory=set)

    def add(self, forms: list[str], source: str) -> None:
        keyed = [(form, words_of(form)) for form in forms]
        shy = {k for f, k in keyed if f.isupper() and (len(f) <= 2 or _common(f))}
        self.caps_only |= shy
        for form, key in keyed:
            others = tuple(f for f, k in keyed if k != key and k not in shy and not _contains(k, key))
            if others:
                self.rows.setdefault(key, []).append((form, others, source))

    def match(self, texts: list[str]) -> tuple[int, tuple[str, ...], str] | None:
        """(number of words, other forms, source) of the longest form `texts` start with."""
        for n in range(min(len(texts), MAX_WORDS), 0, -1):
            key = tuple(fold(t) for t in texts[:n])
            if key in self.rows and (key not in self.caps_only
                                     or all(t.isupper() for t in texts[:n])):
                rows = self.rows[key]
                others = tuple(dict.fromkeys(o for _, row, _ in rows for o in row))
                return n, others, rows[0][2]
        return None

    def __len__(self) -> int:
        return len(self.rows)


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return len(longer) > n and any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def _common(form: str) -> bool:
    from carinews.analysis.names import is_common_word

    return is_common_word(form.lower())


# --- loading ------------------------------------------------------------------------

def load_table(user_files=()) -> AliasTable:
    """The shipped table plus `user_files` (paths) and those of $CARINEWS_ALIASES; built
    once per set of files (a file's size and modification time are part of the key)."""
    paths = [str(p) for p in (*user_files, *_env_files())]
    try:
        key = tuple((p, os.stat(p).st_mtime_ns, os.stat(p).st_size) for p in paths)
    except OSError:
        key = None                   # read_file below names the file that cannot be read
    table = _tables.get(key) if key is not None else None
    if table is None:
        table = AliasTable()
        for forms, source in _shipped():
            table.add(forms, source)
        for path in paths:
            for forms, source in read_file(Path(path)):
                table.add(forms, source)
        if len(_tables) >= MAX_TABLES:
            _tables.clear()
        _tables[key] = table
    return table


_tables: dict[tuple, AliasTable] = {}
MAX_TABLES = 16


def _env_files() -> list[str]:
    return [p for p in os.environ.get(ENV, "").split(os.pathsep) if p.strip()]


@lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[list[str], str], ...]:
    text = resources.files("carinews.data").joinpath(ALIASES_FILE).read_text(encoding="utf-8")
    return tuple(parse_rows(text, f"carinews/data/{ALIASES_FILE}", need_source=True))


def read_file(path: Path) -> list[tuple[list[str], str]]:
    """The rows of a user's alias file; AliasFileError when unreadable or malformed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AliasFileError(str(path), 0, f"cannot read it ({getattr(exc, 'strerror', None) or exc})") from None
    return parse_rows(text, str(path))


def parse_rows(text: str, name: str, need_source: bool = False) -> list[tuple[list[str], str]]:
    """(forms, source) per row of an alias file's `text`; AliasFileError names `name`:line."""
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if not rows and cells[0].lower() == "name":
            continue     # the header
        rows.append((_forms(cells, name, number, need_source), cells[2] if len(cells) > 2 else name))
    return rows


def _forms(cells: list[str], name: str, number: int, need_source: bool) -> list[str]:
    if len(cells) < 2 or not cells[1]:
        raise AliasFileError(name, number, "expected name<TAB>aliases[<TAB>source], the aliases"
                             " separated by ';'")
    if len(cells) > 3:
        raise AliasFileError(name, number, f"{len(cells)} tab-separated columns; expected at most 3"
                             " (name, aliases, source)")
    if need_source and (len(cells) < 3 or not cells[2]):
        raise AliasFileError(name, number, "no source column")
    forms = [cells[0]] + [f.strip() for f in cells[1].split(";")]
    for form in forms:
        if not words_of(form):
            raise AliasFileError(name, number, f"empty or unsearchable form {form!r}")
    return forms


# --- the syntax tree ------------------------------------------------------------------

def rewrite(node: Node, table: AliasTable) -> Node:
    """`node` with each alias form it spells wrapped in an AliasGroup (see the module)."""
    if isinstance(node, And):
        return And(tuple(_runs([rewrite_child(c, table) for c in node.children], table)))
    if isinstance(node, Or):
        return Or(tuple(rewrite(c, table) for c in node.children))
    if isinstance(node, Not):
        return Not(rewrite(node.child, table), node.position)
    if isinstance(node, Check):
        return node
    group = _runs([node], table)
    return group[0]


def rewrite_child(node: Node, table: AliasTable) -> Node:
    return node if isinstance(node, (Word, Phrase)) else rewrite(node, table)


def _aliasable(node: Node) -> bool:
    if isinstance(node, Word):
        return node.kind == "plain" and node.field in FIELDS and len(words_of(node.text)) == 1
    return isinstance(node, Phrase) and node.field == "name" and node.slop is None


def _runs(nodes: list[Node], table: AliasTable) -> list[Node]:
    """Consecutive aliasable nodes of one field that spell a form -> one AliasGroup."""
    out, i = [], 0
    while i < len(nodes):
        found = _run_at(nodes, i, table)
        if found is None:
            out.append(nodes[i])
            i += 1
            continue
        n, group = found
        out.append(group)
        i += n
    return out


def _run_at(nodes: list[Node], i: int, table: AliasTable) -> tuple[int, AliasGroup] | None:
    first = nodes[i]
    if not _aliasable(first):
        return None
    if isinstance(first, Phrase):
        texts = [first.text[s:e] for s, e in split_words(first.text)]
        hit = table.match(texts)
        if hit is None or hit[0] != len(texts):
            return None
        return 1, AliasGroup(first, first.text, hit[1], "name", hit[2])
    run = [first]
    for node in nodes[i + 1:i + MAX_WORDS]:
        if not (isinstance(node, Word) and _aliasable(node) and node.field == first.field):
            break
        run.append(node)
    hit = table.match([w.text for w in run])
    if hit is None:
        return None
    n, others, source = hit
    written = run[0] if n == 1 else And(tuple(run[:n]))
    return n, AliasGroup(written, " ".join(w.text for w in run[:n]), others, first.field, source)
