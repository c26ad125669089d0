"""Skip within a block of postings by binary search, in carinews's own searchers only.

Why: whoosh-reloaded's `W3LeafMatcher.skip_to` finds the block that can hold
the target by its header, then walks the block's ids one `next()` at a time
(up to 127 Python calls). Intersections (every word of a query must match)
call it for each candidate. The block's ids are a sorted tuple once read, so
`bisect` finds the target in one C call; the same hits and scores for every
query.

How, without patching Whoosh for the whole process: `use_skipping(searcher)`
gives each segment reader of one searcher a `SkippingCodec`, whose postings
reader makes `SkippingLeafMatcher`s (a W3LeafMatcher subclass with the faster
`skip_to`). Other Whoosh users in the same process are untouched. Relies on
whoosh-reloaded 2.7.5's reader and block fields (`_terms._codec`, `_ids`, `_i`,
`_maxid`; see WHOOSH_VERSION); tests/test_skipping.py compares it with the
original on every term of an index with many blocks.
"""

from __future__ import annotations

from bisect import bisect_left

from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher
from whoosh.matching.mcore import ReadTooFar


class SkippingLeafMatcher(W3LeafMatcher):
    def skip_to(self, targetid):
        """`W3LeafMatcher.skip_to`, with the in-block walk replaced by a binary search."""
        if not self.is_active():
            raise ReadTooFar
        if self._ids is None:
            self._read_ids()
        if targetid <= self._ids[self._i]:
            return
        if targetid > self._maxid:
            while self.is_active() and targetid > self._maxid:   # next block that can hold it
                self._next_block()
            if not self.is_active():
                return
            self._read_ids()
        self._i = bisect_left(self._ids, targetid, self._i)


class SkippingCodec(W3Codec):
    """W3Codec whose block postings come as SkippingLeafMatchers (inlined ones as before)."""

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return SkippingLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


LEAF_MATCHERS = (W3LeafMatcher, SkippingLeafMatcher)   # block postings, for type dispatch


def use_skipping(searcher):
    """Make `searcher`'s segment readers skip by binary search; returns the searcher."""
    for reader, _offset in searcher.reader().leaf_readers():
        terms = getattr(reader, "_terms", None)
        codec = getattr(terms, "_codec", None)
        if type(codec) is W3Codec:
            skipping = SkippingCodec.__new__(SkippingCodec)
            skipping.__dict__.update(codec.__dict__)
            terms._codec = skipping
    return searcher
