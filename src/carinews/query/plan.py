"""The engine-neutral query plan: what to match, as a tree every engine compiles.

A plan is a tree of frozen dataclasses over the index's logical fields:

- `Term` (one analysed term in one field), `Phrase` (terms in a row, or within
  `slop` positions in any order), `Near` (terms in order within `slop`, the
  ranking bonus for plain words close together);
- `Prefix`, `Wildcard`, `Fuzzy`: patterns over a field's terms that may expand to
  at most `MAX_EXPANSIONS` index terms (an engine raises `QuerySyntaxError` at the
  pattern's query column beyond that);
- `DateRange`: [start, end) over the `date` field, aware datetimes (either side open);
- `And`, `Or`, `Not`, `Every`, `Nothing`; `AtLeast` (articles with at least `k` of
  its children, as Lucene's minimum-should-match: the partial levels of a short
  result list, query/partial.py).

Fields: `title`, `body` (stemmed), `title_exact`, `body_exact`, `names`, `author`
(exact, case-folded surface forms), `source`, `section` (keywords), `url`
(the normalised URL). query/parse.py builds plans; each engine's `compile` module
turns one into its own query objects (a visitor with a method per node type, as
SQLAlchemy's compilers are), and tests compare plans exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Union

MAX_EXPANSIONS = 1000


@dataclass(frozen=True)
class Term:
    field: str
    text: str


@dataclass(frozen=True)
class Phrase:
    """`terms` consecutive and in order (`slop` 0), or all within `slop` positions, any order."""

    field: str
    terms: tuple[str, ...]
    slop: int = 0


@dataclass(frozen=True)
class Near:
    """`terms` in order with at most `slop` positions between neighbours (a ranking bonus,
    its score scaled by `boost`)."""

    field: str
    terms: tuple[str, ...]
    slop: int
    boost: float = 1.0


@dataclass(frozen=True)
class Pattern:
    """Base of the bounded patterns: `label` names it in errors, `position` is its query column."""

    field: str
    text: str
    label: str
    position: int


@dataclass(frozen=True)
class Prefix(Pattern):
    pass


@dataclass(frozen=True)
class Wildcard(Pattern):
    """`*` stands for any letters; no other character is special."""


@dataclass(frozen=True)
class Fuzzy(Pattern):
    maxdist: int = 1
    prefix_length: int = 1


@dataclass(frozen=True)
class DateRange:
    """Articles dated in [start, end) (aware datetimes; None = open). Undated never match."""

    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class AtLeast:
    """Articles matching at least `k` of `children` (2 <= k < len(children)), scored as their
    `Or` (the sum of the children matched): for an article with exactly k of them that is the
    score of the `And` of those k."""

    children: tuple["Node", ...]
    k: int


@dataclass(frozen=True)
class Not:
    child: "Node"


@dataclass(frozen=True)
class Every:
    pass


@dataclass(frozen=True)
class Nothing:
    pass


Node = Union[Term, Phrase, Near, Prefix, Wildcard, Fuzzy, DateRange, And, Or, AtLeast, Not, Every,
             Nothing]


def each_field(fields: tuple[str, ...], make) -> Node:
    """`make(field)` for one field, or their `Or` for several."""
    nodes = tuple(make(f) for f in fields)
    return nodes[0] if len(nodes) == 1 else Or(nodes)


def all_of(nodes: list[Node]) -> Node:
    return nodes[0] if len(nodes) == 1 else And(tuple(nodes))


class Compiler:
    """Base of the engines' plan compilers: `compile(node)` calls `visit_<NodeType>(node)`."""

    def compile(self, node: Node):
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise TypeError(f"{type(self).__name__} cannot compile {type(node).__name__}")
        return method(node)

    def compile_all(self, nodes) -> list:
        return [self.compile(n) for n in nodes]
