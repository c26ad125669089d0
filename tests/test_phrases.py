"""ExactPhrase: the matches and scores of whoosh.query.Phrase, found block-wise."""

import pytest
from whoosh import query as wq

from carinews.engines.whoosh.docsets import count_matches
from carinews.engines.whoosh.phrases import ExactPhrase, phrase_docs

# (field, words, slop): two- and three-word phrases, a repeated word, a word missing from
# the index, a phrase whose words exist but never in this order, proximity slops.
PHRASES = [
    ("body_exact", ["bank", "indonesia"], 1), ("body_exact", ["joko", "widodo"], 1),
    ("body_exact", ["yang", "di"], 1), ("body_exact", ["yang", "di"], 3),
    ("body_exact", ["presiden", "joko", "widodo"], 1),
    ("body_exact", ["tindak", "pidana", "korupsi"], 1), ("body_exact", ["yang", "yang"], 1),
    ("body_exact", ["bank", "katatidakada"], 1), ("body_exact", ["widodo", "joko"], 1),
    ("body_exact", ["polisi", "tersangka"], 3), ("body", ["bangun", "jalan"], 2),
    ("names", ["joko", "widodo"], 1), ("body_exact", ["indonesia"], 1),
]


def _ranked(searcher, query):
    results = searcher.search(query, limit=None)
    return sorted((docnum, round(score, 9)) for score, docnum in results.top_n)


@pytest.mark.parametrize("field,words,slop", PHRASES)
def test_same_matches_and_scores_as_whoosh_phrase(segmented_sample, field, words, slop):
    searcher = segmented_sample.searcher()
    ours = _ranked(searcher, ExactPhrase(field, words, slop=slop))
    expected = _ranked(searcher, wq.Phrase(field, words, slop=slop))
    assert ours == expected
    assert count_matches(searcher, ExactPhrase(field, words, slop=slop)) == len(expected)


def test_the_cases_are_not_empty(segmented_sample):
    searcher = segmented_sample.searcher()
    sizes = [len(list(searcher.docs_for_query(wq.Phrase(f, w, slop=s)))) for f, w, s in PHRASES]
    assert sizes == [3, 13, 6, 119, 9, 6, 0, 0, 0, 2, 1, 13, 182]    # 0: repeated, missing, reversed


def test_words_in_the_wrong_order_or_too_far_apart_do_not_match(segmented_sample):
    reader = segmented_sample.searcher().reader()
    schema = segmented_sample.searcher().schema
    first = reader.leaf_readers()[0][0]
    assert phrase_docs(first, "body_exact", ["widodo", "joko"], 1, schema) == []
    near = phrase_docs(first, "body_exact", ["yang", "di"], 3, schema)
    adjacent = phrase_docs(first, "body_exact", ["yang", "di"], 1, schema)
    assert adjacent and set(adjacent) < set(near)


def test_a_multi_segment_reader_falls_back_to_whoosh(segmented_sample):
    reader = segmented_sample.searcher().reader()
    assert len(reader.leaf_readers()) == 3
    assert phrase_docs(reader, "body_exact", ["joko", "widodo"], 1, reader.schema) is None
