"""At least k of n sub-queries, as one Whoosh query (plan.AtLeast).

Why: Whoosh has no minimum-should-match (`Or(minmatch=)` is "not yet
implemented" in 2.7). The OR of every k-clause AND gives the right articles
and scores, but builds each clause's matchers once per AND in each segment and
counts the same postings again for each. Here each segment's documents with at
least k of the clauses are found up front, every clause's postings read once a
block at a time (docsets.matcher_ids), and the OR of the clauses is walked over
those documents only (`DocListMatcher`): for an article with exactly k clauses
its score is the sum of theirs, the score of their AND.
tests/test_whoosh_ranking.py compares documents and scores with the OR of ANDs.
"""

from __future__ import annotations

from collections import Counter

from whoosh import query as wq
from whoosh.matching import NullMatcher

from carinews.engines.whoosh.docsets import (DocListMatcher, FoundPerReader, matcher_ids,
                                             tree_union)


class AtLeastOr(FoundPerReader, wq.Or):
    """Documents matching at least `k` of `subqueries`, scored as their `Or`."""

    def __init__(self, subqueries, k: int, boost: float = 1.0):
        super().__init__(subqueries, boost=boost)
        self.k = k

    def __str__(self):
        return f"AtLeast({self.k}, {super().__str__()})"

    def __eq__(self, other):
        return super().__eq__(other) and self.k == other.k

    __hash__ = wq.Or.__hash__

    def normalize(self):
        return self

    def estimate_size(self, ixreader):
        """The number of documents found, once `matcher` has found them for this reader."""
        found = self._found_already(ixreader)
        return len(found) if found is not None else super().estimate_size(ixreader)

    def matcher(self, searcher, context=None):
        docs = self._found(searcher.reader(), lambda: self._documents(searcher))
        if not docs:
            return NullMatcher()
        union = tree_union(self.subqueries, self.boost).matcher(searcher, context)
        return DocListMatcher(union, docs)

    def _documents(self, searcher) -> list[int]:
        context = searcher.boolean_context()
        counts: Counter[int] = Counter()
        for sub in self.subqueries:
            counts.update(matcher_ids(sub.matcher(searcher, context)))
        return sorted(doc for doc, n in counts.items() if n >= self.k)
