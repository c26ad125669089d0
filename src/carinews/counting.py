"""Count the articles a query matches, a block of postings at a time.

Why not Whoosh's count (`len(results)`): a ranked search skips blocks that
cannot reach the top hits, so Whoosh counts by running the query a second time
through `Matcher.all_ids`, which walks every posting with three Python calls
(`is_active`, `id`, `next`) and intersects through sets of those. On the
50,000-article grown archive that second pass was 30% of the benchmark
mix's time (56 ms of 444 for `Bank Indonesia`: "indonesia" is in most
articles). Here each segment's matcher tree is reduced to a set of document
numbers: a term's postings are read a whole block (128 ids) at a time, and
And/Or/AndNot become set operations. Matchers that must look inside documents
(phrases, spans, inverses) keep Whoosh's own `all_ids`.

Relies on the block layout of whoosh-reloaded 2.7.x's `W3LeafMatcher`
(pyproject pins `<2.8`); tests/test_counting.py checks every query shape
against Whoosh's own count.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import (
    AndMaybeMatcher,
    AndNotMatcher,
    IntersectionMatcher,
    NullMatcherClass,
    UnionMatcher,
)
from whoosh.matching.wrappers import (
    ConstantScoreWrapperMatcher,
    CoordMatcher,
    FilterMatcher,
    RequireMatcher,
    SingleTermMatcher,
    WrappingMatcher,
)

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
    if kind is W3LeafMatcher:
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
    return set(matcher.all_ids())


def _leaf_ids(matcher: W3LeafMatcher) -> set[int]:
    """A term's postings from the matcher's position on, block by block."""
    ids: list[int] = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        ids.extend(matcher._ids[matcher._i:])
        matcher._next_block()
    return set(ids)
