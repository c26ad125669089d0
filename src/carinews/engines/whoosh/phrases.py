"""Exact phrases: find the documents first, then score them by the phrase.

Why not `whoosh.query.Phrase` as it is: its matcher (SpanNear2) walks the
intersection of the phrase's words one document at a time through Python
matchers and decodes positions there; `"Jawa Barat"` on the 50,000-article
grown archive took ~60 ms a pass, and a ranked search needs two passes (the
ranking, then the count). And it scores a phrase as its words (the BM25F of
each word, wherever it is), so among the articles that all hold `"kartu
kredit"`, one that says *kartu* and *kredit* often apart outranks one with the
phrase in its title. `ExactPhrase` gives the same matches with less work, and
scores them by the phrase:

1. `phrase_counts` reads each word's postings a block (128 postings) at a time,
   intersects the document numbers as sets and decodes positions only for
   documents that have every word; a document matches when the words follow
   each other within `slop` positions (Whoosh's ordered SpanNear2 rule:
   each next word at 1..slop positions after the previous one), and the
   number of places where the phrase ends is its count there.
2. The matcher walks those documents only; `PhraseScorer` scores each as BM25F
   scores a term, with the phrase's count as the term frequency (times the
   field's weight, as the index stores a title word's) and the sum of its words'
   idf, as tantivy scores its phrase query.
3. The documents found are kept on the query for each segment reader, so the
   count (docsets.count_matches) reuses them instead of searching again.

`NearPhrase` is Whoosh's ordered sloppy `Phrase` (the proximity bonus of
query/parse.py) scored the same way, the count being its spans.
Anything it cannot read block-wise (a multi-segment reader) falls back to
Whoosh's own Phrase matcher, scored by its spans the same way. Relies on
whoosh-reloaded 2.7.x's W3LeafMatcher blocks and span matchers (pyproject pins
`<2.8`); tests/test_phrases.py compares matches with `whoosh.query.Phrase` and
scores with the formula.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import IntersectionMatcher, NullMatcher, NullMatcherClass, WrappingMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query.spans import SpanWrappingMatcher
from whoosh.scoring import BM25F, bm25
from whoosh.util import make_binary_tree

from carinews.engines.whoosh.docsets import DocListMatcher, FoundPerReader, leaf_blocks
from carinews.engines.whoosh.skipping import LEAF_MATCHERS


class PhraseScorer:
    """`scorer(docnum, count)`: BM25F of a phrase found `count` times in one document of a
    segment searcher (see the module docstring), times the query's boost."""

    def __init__(self, searcher, fieldname: str, words, boost: float = 1.0):
        parent = searcher.get_parent()
        field = searcher.schema[fieldname]
        weighting = parent.weighting if isinstance(parent.weighting, BM25F) else BM25F()
        self.B = weighting._field_B.get(fieldname, weighting.B)
        self.K1 = weighting.K1
        self.idf = sum(parent.idf(fieldname, field.to_bytes(w)) for w in words)
        self.avgfl = parent.avg_field_length(fieldname) or 1
        self.weight = field.format.field_boost
        self.boost = boost
        self.searcher, self.fieldname = searcher, fieldname

    def __call__(self, docnum: int, count: int) -> float:
        length = self.searcher.doc_field_length(docnum, self.fieldname, 1)
        return bm25(self.idf, count * self.weight, length, self.avgfl, self.B, self.K1) * self.boost


class ExactPhrase(FoundPerReader, wq.Phrase):
    """`whoosh.query.Phrase` (same matches), scored by the phrase, with a faster matcher."""

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        counts = self._found(reader, lambda: phrase_counts(reader, self.fieldname, self.words,
                                                           self.slop, searcher.schema))
        if counts is None:                            # not a single segment: Whoosh's way
            return span_scored(wq.Phrase.matcher(self, searcher, context), searcher, self)
        if not counts:
            return NullMatcher()
        field = searcher.schema[self.fieldname]
        terms = [wq.Term(self.fieldname, field.to_bytes(w)).matcher(searcher, context)
                 for w in self.words]
        scorer = PhraseScorer(searcher, self.fieldname, self.words, self.boost)
        return DocListMatcher(make_binary_tree(IntersectionMatcher, terms), list(counts),
                              score_of=lambda docnum: scorer(docnum, counts[docnum]))


class NearPhrase(wq.Phrase):
    """Whoosh's sloppy ordered `Phrase` (same matches), scored by the phrase: its count in
    a document is the number of its spans there."""

    def matcher(self, searcher, context=None):
        return span_scored(super().matcher(searcher, context), searcher, self)


class SpanCountMatcher(WrappingMatcher):
    """A phrase's span matcher, each document scored by `scorer(docnum, spans found)`.
    Its spans may outnumber a word's occurrences (`a b b`, slop 2: two spans), so the
    words' block quality is no bound for it: it gives none."""

    def __init__(self, child, scorer: PhraseScorer):
        super().__init__(child)
        self.scorer = scorer

    def copy(self):
        return SpanCountMatcher(self.child.copy(), self.scorer)

    def _replacement(self, newchild):
        return SpanCountMatcher(newchild, self.scorer)

    def supports_block_quality(self):
        return False

    def score(self):
        return self.scorer(self.child.id(), len(self.child.spans()))


def span_scored(matcher, searcher, query: wq.Phrase):
    """Whoosh's matcher of the Phrase `query`, scored by its spans (see SpanCountMatcher)."""
    if type(matcher) is WrappingMatcher:              # Phrase's boost: the scorer applies it
        matcher = matcher.child
    if isinstance(matcher, NullMatcherClass):
        return matcher
    if not isinstance(matcher, SpanWrappingMatcher):
        raise TypeError(f"unexpected phrase matcher {type(matcher).__name__}")
    return SpanCountMatcher(matcher, PhraseScorer(searcher, query.fieldname, query.words,
                                                  query.boost))


def phrase_docs(reader, fieldname: str, words, slop: int, schema) -> list[int] | None:
    """Sorted document numbers of one segment `reader` with the phrase (see phrase_counts)."""
    counts = phrase_counts(reader, fieldname, words, slop, schema)
    return None if counts is None else list(counts)


def phrase_counts(reader, fieldname: str, words, slop: int, schema) -> dict[int, int] | None:
    """{docnum: times} for the documents of one segment `reader` with `words` in order, each
    within `slop` positions of the previous, in document order; `times` is the number of
    positions where the phrase ends. None when `reader` cannot be read block-wise."""
    if fieldname not in schema:
        return {}
    field = schema[fieldname]
    if not field.format or not field.format.supports("positions"):
        raise wq.QueryError(f"Phrase search: {fieldname!r} field has no positions")
    terms = []
    for word in words:
        try:
            term = field.to_bytes(word)
        except ValueError:
            return {}
        if (fieldname, term) not in reader:
            return {}
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
    found: dict[int, int] = {}
    for docnum in sorted(candidates):
        ends = set(decode(postings[0][docnum]))
        for values in postings[1:]:
            positions = set(decode(values[docnum]))
            ends = {end + gap for end in ends for gap in range(1, slop + 1)} & positions
            if not ends:
                break
        if ends:
            found[docnum] = len(ends)
    return found


def _block_values(matcher: W3LeafMatcher) -> dict[int, bytes]:
    """{docnum: encoded positions} of a term, read a block at a time."""
    values: dict[int, bytes] = {}
    for first in leaf_blocks(matcher):
        matcher._read_values()
        values.update(zip(matcher._ids[first:], matcher._values[first:]))
    return values
