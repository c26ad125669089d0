"""Add the proximity bonus to the best hits only (a rescoring window).

Why: the "near" bonus (plain words within a few positions, query.py) is a
Phrase query; evaluated over every matching article it decodes the positions
of each one. On the 50,000-article grown archive `Bank Indonesia` took 388 ms
with it and 133 ms without ("indonesia" is in most articles). It is a
tie-breaker among articles that already match, so, as Lucene's QueryRescorer
and Elasticsearch's `rescore` do, it is added to the best `window` hits of the
ranking without it, which are then sorted again.

`phrase_scores` gives each candidate exactly the score the bonus clause would
have added in the full query (Whoosh's AndMaybe adds the optional clause's
score): for each field's phrase, the intersection of its terms is moved to the
candidate and the span check of Whoosh's own SpanNear2 matcher runs on that
document alone (`_get_spans`), instead of letting the matcher search forward
for the next document that has the phrase; the spans found are the phrase's
count, which phrases.py's `PhraseScorer` turns into its score. tests/test_rescore.py checks that a
window holding every match gives the full query's scores.

Relies on whoosh-reloaded 2.7.x's span matchers (pyproject pins `<2.8`).
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.matching import NullMatcherClass

from carinews.engines.whoosh.phrases import SpanCountMatcher


def rescore(searcher, results, queries: list[wq.Query], keep: int,
            only_first: int | None = None) -> None:
    """Add the scores of `queries` (Or/Phrase trees) to `results`' scored hits, sort them
    again and keep the best `keep`. With `only_first`, only that many best hits are
    rescored; the rest follow them in their order (their scores are no higher, and the
    bonus only adds). Changes `results` in place."""
    head, tail = results.top_n[:only_first], results.top_n[only_first:] if only_first else []
    docnums = [docnum for _score, docnum in head]
    bonus: dict[int, float] = {}
    for query in queries:
        for docnum, score in phrase_scores(searcher, query, docnums).items():
            bonus[docnum] = bonus.get(docnum, 0.0) + score
    top = [(score + bonus.get(docnum, 0.0), docnum) for score, docnum in head]
    top.sort(key=lambda hit: (-hit[0], hit[1]))   # Whoosh's order: score, then docnum
    results.top_n = (top + list(tail))[:keep]


def phrase_scores(searcher, query: wq.Query, docnums: list[int]) -> dict[int, float]:
    """{docnum: score} of `query` (Phrases, possibly under Or) for the `docnums` it matches."""
    phrases = _phrases(query)
    context = searcher.context()
    scores: dict[int, float] = {}
    for sub, offset in searcher.leaf_searchers():
        end = offset + sub.doc_count_all()
        local = sorted(d - offset for d in docnums if offset <= d < end)
        if not local:
            continue
        for phrase in phrases:
            for docnum, score in _matches(phrase.matcher(sub, context), local):
                scores[docnum + offset] = scores.get(docnum + offset, 0.0) + score
    return scores


def _phrases(query: wq.Query) -> list[wq.Query]:
    if isinstance(query, wq.Or):
        return [p for sub in query.subqueries for p in _phrases(sub)]
    if isinstance(query, wq.Phrase):
        return [query]
    raise TypeError(f"rescoring takes phrases under Or, not {type(query).__name__}")


def _matches(matcher, docnums: list[int]):
    """(docnum, score) for each of the sorted `docnums` a phrase matcher matches."""
    if isinstance(matcher, NullMatcherClass) or not matcher.is_active():
        return
    if not isinstance(matcher, SpanCountMatcher):
        raise TypeError(f"unexpected phrase matcher {type(matcher).__name__}")
    spans = matcher.child
    terms = spans.child                           # the intersection of the phrase's terms
    for docnum in docnums:
        if not terms.is_active():
            return
        if terms.id() < docnum:
            terms.skip_to(docnum)
            if not terms.is_active():
                return
        if terms.id() == docnum:
            found = spans._get_spans()
            if found:
                yield docnum, matcher.scorer(docnum, len(found))
