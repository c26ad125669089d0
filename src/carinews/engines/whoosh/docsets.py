"""Document sets: the articles a query matches, found a block of postings at a time.

Why not Whoosh's count (`len(results)`): a ranked search skips blocks that
cannot reach the top hits, so Whoosh counts by running the query a second time
through `Matcher.all_ids`, which walks every posting with three Python calls
(`is_active`, `id`, `next`) and intersects through sets of those. On the
50,000-article grown archive that second pass was 30% of the benchmark
mix's time (56 ms of 444 for `Bank Indonesia`: "indonesia" is in most
articles). Here each segment's matcher tree is reduced to a set of document
numbers: a term's postings are read a whole block (128 ids) at a time, and
And/Or/AndNot become set operations. Matchers that must look inside documents
(spans, inverses) keep Whoosh's own `all_ids`; exact phrases (phrases.py) and
date windows (date_filter.py) find their documents up front, once per segment
reader (`FoundPerReader`), and match through `DocListMatcher`.

Relies on the block layout of whoosh-reloaded 2.7.x's `W3LeafMatcher`
(pyproject pins `<2.8`); tests/test_docsets.py checks every query shape
against Whoosh's own count.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import (
    AndMaybeMatcher,
    AndNotMatcher,
    IntersectionMatcher,
    NullMatcher,
    NullMatcherClass,
    UnionMatcher,
)
from whoosh.matching.mcore import ReadTooFar
from whoosh.matching.wrappers import (
    ConstantScoreWrapperMatcher,
    CoordMatcher,
    FilterMatcher,
    RequireMatcher,
    SingleTermMatcher,
    WrappingMatcher,
)

from carinews.engines.whoosh.skipping import LEAF_MATCHERS

# Wrappers that match exactly what their child matches (span matchers subclass
# WrappingMatcher too, but match fewer documents: they are not in this list).
# RequireMatcher's child is the intersection of its two sides.
_SAME_AS_CHILD = (WrappingMatcher, ConstantScoreWrapperMatcher, CoordMatcher, SingleTermMatcher,
                  RequireMatcher)


def count_matches(searcher, query) -> int:
    """How many live documents of `searcher` match `query` (= Whoosh's `len(results)`)."""
    total = 0
    for sub, _offset in searcher.leaf_searchers():
        total += len(matcher_ids(query.matcher(sub, sub.boolean_context())))
    return total


def matcher_ids(matcher) -> set[int]:
    """The document numbers a fresh matcher would yield."""
    kind = type(matcher)
    if kind in LEAF_MATCHERS:
        return _leaf_ids(matcher)
    if isinstance(matcher, NullMatcherClass):
        return set()
    if kind is UnionMatcher:
        return matcher_ids(matcher.a) | matcher_ids(matcher.b)
    if kind is IntersectionMatcher:
        return matcher_ids(matcher.a) & matcher_ids(matcher.b)
    if kind is AndNotMatcher:
        return matcher_ids(matcher.a) - matcher_ids(matcher.b)
    if kind is AndMaybeMatcher:
        return matcher_ids(matcher.a)
    if kind is FilterMatcher:
        ids = matcher_ids(matcher.child)
        return ids - matcher._ids if matcher._exclude else ids & matcher._ids
    if kind in _SAME_AS_CHILD:
        return matcher_ids(matcher.child)
    if kind is DocListMatcher:                 # documents found up front
        return set(matcher.remaining())
    return set(matcher.all_ids())


class FoundPerReader:
    """Mixin for queries that find their documents up front (phrases.py, date_filter.py):
    `_found(reader, compute)` runs `compute()` once per segment reader for this query
    object, as the ranking and the count of one search open each segment's matchers."""

    def _found(self, reader, compute):
        cache = self.__dict__.setdefault("_per_reader", {})
        found = cache.get(reader)
        if found is None:
            found = cache[reader] = compute()
        return found

    def _found_already(self, reader):
        """What `_found` computed for `reader`, or None before it has."""
        return self.__dict__.get("_per_reader", {}).get(reader)

    def __getstate__(self):      # the cache holds readers; never pickle it
        state = dict(self.__dict__)
        state.pop("_per_reader", None)
        return state


def leaf_blocks(matcher: W3LeafMatcher) -> Iterator[int]:
    """Walk a term's postings a block at a time from the matcher's position on: for each
    block, its ids read (`matcher._ids`), yields the index of its first remaining posting."""
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        yield matcher._i
        matcher._next_block()


def _leaf_ids(matcher: W3LeafMatcher) -> set[int]:
    """A term's postings from the matcher's position on, block by block."""
    ids: list[int] = []
    for first in leaf_blocks(matcher):
        ids.extend(matcher._ids[first:])
    return set(ids)


def tree_union(subqueries, boost: float = 1.0) -> wq.Or:
    """The `Or` of `subqueries` matched as a binary tree of unions, which moves to the
    documents asked for (`skip_to`), never as Whoosh's preloaded array (every posting read
    and scored up front), whatever the segment's size."""
    union = wq.Or(subqueries, boost=boost)
    union.matcher_type = wq.Or.DEFAULT_MATCHER
    return union


class DocListMatcher(WrappingMatcher):
    """Matches the sorted `docs` (all of which `child` matches), scored by `child`, or by
    `score_of(docnum)` when given (phrases.py: by the phrase's count)."""

    def __init__(self, child, docs: list[int], i: int = 0, boost: float = 1.0, score_of=None):
        super().__init__(child, boost)
        self.docs, self._i, self.score_of = docs, i, score_of
        self._sync()

    def score(self):
        if self.score_of is None:
            return self.child.score() * self.boost
        return self.score_of(self.docs[self._i]) * self.boost

    def _sync(self):
        if self._i < len(self.docs):
            target = self.docs[self._i]
            if self.child.id() < target:
                self.child.skip_to(target)

    def copy(self):
        return DocListMatcher(self.child.copy(), self.docs, self._i, self.boost, self.score_of)

    def remaining(self) -> list[int]:
        return self.docs[self._i:]

    def is_active(self):
        return self._i < len(self.docs)

    def id(self):
        return self.docs[self._i]

    def next(self):
        if not self.is_active():
            raise ReadTooFar
        self._i += 1
        self._sync()
        return False

    def skip_to(self, target):
        if not self.is_active():
            raise ReadTooFar
        if target > self.docs[self._i]:
            self._i = bisect_left(self.docs, target, self._i)
            self._sync()

    def all_ids(self):
        return iter(self.remaining())

    def supports_block_quality(self):
        return False

    def replace(self, minquality=0):
        return self if self.is_active() else NullMatcher()

    def reset(self):
        self.child.reset()
        self._i = 0
        self._sync()

    def spans(self):
        raise NotImplementedError("phrase spans are not kept")
