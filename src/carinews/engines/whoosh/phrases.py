"""Exact phrases: find the documents first, then let Whoosh score them.

Why not `whoosh.query.Phrase` as it is: its matcher (SpanNear2) walks the
intersection of the phrase's words one document at a time through Python
matchers and decodes positions there; `"Jawa Barat"` on the 50,000-article
grown archive took ~60 ms a pass, and a ranked search needs two passes (the
ranking, then the count). `ExactPhrase` gives the same matches and scores
with less work:

1. `phrase_docs` reads each word's postings a block (128 postings) at a time,
   intersects the document numbers as sets and decodes positions only for
   documents that have every word; a document matches when the words follow
   each other within `slop` positions (Whoosh's ordered SpanNear2 rule:
   each next word at 1..slop positions after the previous one).
2. The matcher walks those documents only and moves the intersection of the
   words' matchers to each, so the score is exactly Whoosh's phrase score
   (SpanNear2 scores as the intersection of its terms).
3. The documents found are kept on the query for each segment reader, so the
   count (docsets.count_matches) reuses them instead of searching again.

Anything it cannot read block-wise (a multi-segment reader) falls back to
Whoosh's own Phrase matcher. Relies on whoosh-reloaded 2.7.x's W3LeafMatcher
blocks (pyproject pins `<2.8`); tests/test_phrases.py compares matches and
scores with `whoosh.query.Phrase`.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import IntersectionMatcher, NullMatcher, WrappingMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util import make_binary_tree

from carinews.engines.whoosh.docsets import DocListMatcher, FoundPerReader, leaf_blocks
from carinews.engines.whoosh.skipping import LEAF_MATCHERS


class ExactPhrase(FoundPerReader, wq.Phrase):
    """`whoosh.query.Phrase` (same matches and scores) with a faster matcher."""

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        docs = self._found(reader, lambda: phrase_docs(reader, self.fieldname, self.words,
                                                       self.slop, searcher.schema))
        if docs is None:                              # not a single segment: Whoosh's way
            return super().matcher(searcher, context)
        if not docs:
            return NullMatcher()
        field = searcher.schema[self.fieldname]
        terms = [wq.Term(self.fieldname, field.to_bytes(w)).matcher(searcher, context)
                 for w in self.words]
        matcher = DocListMatcher(make_binary_tree(IntersectionMatcher, terms), docs)
        return WrappingMatcher(matcher, boost=self.boost) if self.boost != 1.0 else matcher


def phrase_docs(reader, fieldname: str, words, slop: int, schema) -> list[int] | None:
    """Sorted document numbers of one segment `reader` with `words` in order, each within
    `slop` positions of the previous; None when `reader` cannot be read block-wise."""
    if fieldname not in schema:
        return []
    field = schema[fieldname]
    if not field.format or not field.format.supports("positions"):
        raise wq.QueryError(f"Phrase search: {fieldname!r} field has no positions")
    terms = []
    for word in words:
        try:
            term = field.to_bytes(word)
        except ValueError:
            return []
        if (fieldname, term) not in reader:
            return []
        terms.append(term)
    deleted: set[int] = set()
    postings = []
    for term in terms:
        matcher = reader.postings(fieldname, term)
        if type(matcher) is FilterMatcher and matcher._exclude:    # deleted documents
            deleted, matcher = matcher._ids, matcher.child
        if type(matcher) not in LEAF_MATCHERS:
            return None
        postings.append(_block_values(matcher))
    candidates = set(min(postings, key=len))
    for values in postings:
        candidates.intersection_update(values)
    candidates -= deleted
    decode = field.format.decoder("positions")
    found = []
    for docnum in sorted(candidates):
        ends = set(decode(postings[0][docnum]))
        for values in postings[1:]:
            positions = set(decode(values[docnum]))
            ends = {end + gap for end in ends for gap in range(1, slop + 1)} & positions
            if not ends:
                break
        if ends:
            found.append(docnum)
    return found


def _block_values(matcher: W3LeafMatcher) -> dict[int, bytes]:
    """{docnum: encoded positions} of a term, read a block at a time."""
    values: dict[int, bytes] = {}
    for first in leaf_blocks(matcher):
        matcher._read_values()
        values.update(zip(matcher._ids[first:], matcher._values[first:]))
    return values
