"""The interface every engine implements, and the records it returns.

An engine owns one index's files (or, for a cluster, its index) and answers in
plan terms (query/plan.py): it never parses query text, builds snippets or
collapses copies; carinews does that the same way for every engine. The read
side, used by search.py and the Archive facade:

- `search(query, ...)` -> `Ranked`: the best `limit` matches of a compiled plan,
  ranked by BM25F (title weighted above body) plus optional bonus clauses that
  only reorder matches (`bonus`: exact forms; `near`: proximity, added to the
  best `RESCORE_WINDOW` hits only), or sorted by date; the exact match count; and
  per-field value counts over all matches when `facets` names fields;
- `document(field, value)` -> the stored record of the live article whose
  `field` (`key`, `id`, `url`, `hash`) is `value`;
- `doc_count()`, `field_counts(field)` (value -> live article count: `outlet`,
  `month`), `size_bytes()`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from carinews.query import plan

SORTS = ("relevance", "date", "-date")
RESCORE_WINDOW = 200     # best hits that get the proximity bonus
FACET_FIELDS = ("outlet", "month")


@dataclass
class Match:
    """One ranked article as an engine returns it: what search.py needs to show it."""

    doc: bytes | str                    # the stored Article, as JSON
    dup: str                            # exact-lead duplicate key
    sketch: list[int]                   # near-duplicate sketch (analysis/sketches.py)
    date: datetime | None               # aware UTC
    score: float | None                 # None when sorted by date


@dataclass
class Ranked:
    matches: list[Match]
    total: int                                          # every matching article
    groups: dict[str, dict[str, int]] = field(default_factory=dict)   # facet field -> value -> count


class Engine(ABC):
    """One index of one engine kind (`name`, recorded in the index's settings file)."""

    name: ClassVar[str]

    @abstractmethod
    def search(self, query: plan.Node, *, query_text: str = "", bonus: list[plan.Node] = (),
               near: list[plan.Node] = (), limit: int = 10, sort: str = "relevance",
               facets: tuple[str, ...] = ()) -> Ranked:
        """The best `limit` matches of `query` (see the module docstring)."""

    @abstractmethod
    def document(self, field: str, value: str) -> dict | None:
        """The stored fields (`doc`, `key`, `hash`, ...) of the live article with `field` = `value`."""

    @abstractmethod
    def doc_count(self) -> int:
        """Live articles."""

    @abstractmethod
    def field_counts(self, field: str) -> dict[str, int]:
        """Live articles per value of a keyword field (`outlet`, `month`)."""
