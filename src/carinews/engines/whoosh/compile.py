"""Plan (query/plan.py) -> Whoosh queries.

`WhooshCompiler(query_text).compile(node)` visits the plan: terms and ORs map to
Whoosh's own queries; exact phrases to `ExactPhrase` (phrases.py) and `~N`
proximity to an unordered `SpanNear2`; the near bonus to `NearPhrase`
(Whoosh's sloppy `Phrase`, both scored by the phrase's count, phrases.py); date
windows to `DateWindowRange` (date_filter.py) on the naive-UTC `date` field;
at-least-k levels to `AtLeastOr` (at_least.py); prefix, wildcard and fuzzy
patterns to Whoosh's multi-term queries bounded at `MAX_EXPANSIONS` index terms
(beyond that they raise `QuerySyntaxError` at the pattern's column when the
query runs).
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timezone

from whoosh import query as wq
from whoosh.query.spans import SpanNear2

from carinews.engines.whoosh.at_least import AtLeastOr
from carinews.engines.whoosh.date_filter import DateWindowRange
from carinews.engines.whoosh.phrases import ExactPhrase, NearPhrase
from carinews.errors import QuerySyntaxError
from carinews.query import plan
from carinews.query.plan import MAX_EXPANSIONS


class BoundedExpansion:
    """Mixin: refuse a multi-term query that expands to more than `max_terms` index terms."""

    def bound(self, query_text: str, position: int, label: str, max_terms: int = MAX_EXPANSIONS):
        self.query_text, self.position, self.label, self.max_terms = query_text, position, label, max_terms
        return self

    def _btexts(self, ixreader):
        found = list(itertools.islice(super()._btexts(ixreader), self.max_terms + 1))
        if len(found) > self.max_terms:
            raise QuerySyntaxError(self.query_text, self.position,
                                   f"{self.label} matches more than {self.max_terms} words; make it longer")
        return found


class BoundedPrefix(BoundedExpansion, wq.Prefix):
    pass


class BoundedFuzzyTerm(BoundedExpansion, wq.FuzzyTerm):
    pass


class BoundedWildcard(BoundedExpansion, wq.Wildcard):
    """`*` only (no `?` or `[...]`: those are ordinary characters in news text)."""

    SPECIAL_CHARS = frozenset("*")

    def _get_pattern(self):
        return "".join(".*" if c == "*" else re.escape(c) for c in self.text) + r"\Z"


def to_utc_naive(value: datetime) -> datetime:
    """An aware datetime -> the naive UTC instant the index `date` field holds."""
    return value.astimezone(timezone.utc).replace(tzinfo=None)


class WhooshCompiler(plan.Compiler):
    """Compiles plan nodes of the query `query_text` (named in expansion errors)."""

    def __init__(self, query_text: str = ""):
        self.query_text = query_text

    def visit_Term(self, node: plan.Term):
        return wq.Term(node.field, node.text)

    def visit_Phrase(self, node: plan.Phrase):
        if node.slop == 0:
            return ExactPhrase(node.field, list(node.terms))
        return SpanNear2([wq.Term(node.field, t) for t in node.terms], slop=node.slop, ordered=False)

    def visit_Near(self, node: plan.Near):
        return NearPhrase(node.field, list(node.terms), slop=node.slop, boost=node.boost)

    def visit_Prefix(self, node: plan.Prefix):
        return BoundedPrefix(node.field, node.text).bound(self.query_text, node.position, node.label)

    def visit_Wildcard(self, node: plan.Wildcard):
        return BoundedWildcard(node.field, node.text).bound(self.query_text, node.position, node.label)

    def visit_Fuzzy(self, node: plan.Fuzzy):
        return BoundedFuzzyTerm(node.field, node.text, maxdist=node.maxdist,
                                prefixlength=node.prefix_length).bound(self.query_text, node.position,
                                                                       node.label)

    def visit_DateRange(self, node: plan.DateRange):
        start = to_utc_naive(node.start) if node.start else None
        end = to_utc_naive(node.end) if node.end else None
        return DateWindowRange("date", start, end, endexcl=end is not None)

    def visit_And(self, node: plan.And):
        return wq.And(self.compile_all(node.children))

    def visit_Or(self, node: plan.Or):
        return wq.Or(self.compile_all(node.children))

    def visit_AtLeast(self, node: plan.AtLeast):
        return AtLeastOr(self.compile_all(node.children), node.k)

    def visit_Not(self, node: plan.Not):
        return wq.Not(self.compile(node.child))

    def visit_Every(self, node: plan.Every):
        return wq.Every()

    def visit_Nothing(self, node: plan.Nothing):
        return wq.NullQuery
