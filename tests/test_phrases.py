"""ExactPhrase: the matches of whoosh.query.Phrase, found block-wise, scored by the phrase."""

import orjson
import pytest
from whoosh import query as wq
from whoosh.scoring import bm25

from carinews.analysis import analyze
from carinews.engines.whoosh.docsets import count_matches
from carinews.engines.whoosh.phrases import ExactPhrase, NearPhrase, phrase_docs

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
def test_same_matches_as_whoosh_phrase(segmented_sample, field, words, slop):
    searcher = segmented_sample.searcher()
    ours = _ranked(searcher, ExactPhrase(field, words, slop=slop))
    expected = sorted(searcher.docs_for_query(wq.Phrase(field, words, slop=slop)))
    assert [docnum for docnum, _score in ours] == expected
    assert count_matches(searcher, ExactPhrase(field, words, slop=slop)) == len(expected)


@pytest.mark.parametrize("field,words,slop", [p for p in PHRASES if p[2] == 1])
def test_consecutive_words_score_by_their_count_as_whoosh_spans_count_them(segmented_sample, field,
                                                                           words, slop):
    searcher = segmented_sample.searcher()
    assert _ranked(searcher, ExactPhrase(field, words)) == _ranked(searcher, NearPhrase(field, words))


def test_a_one_word_phrase_scores_as_the_word(segmented_sample):
    searcher = segmented_sample.searcher()
    assert _ranked(searcher, ExactPhrase("body_exact", ["indonesia"])) == \
        _ranked(searcher, wq.Term("body_exact", "indonesia"))


def test_the_score_is_bm25f_with_the_phrase_count_as_its_frequency(segmented_sample):
    """Each article with "joko widodo": BM25F (B 0.75, K1 1.2) with the times the phrase
    stands in its body (counted here from the stored text's own terms) as the frequency,
    and the two words' idf summed."""
    searcher = segmented_sample.searcher()
    ranked = _ranked(searcher, ExactPhrase("body_exact", ["joko", "widodo"]))
    idf = searcher.idf("body_exact", "joko") + searcher.idf("body_exact", "widodo")
    avg = searcher.avg_field_length("body_exact")
    times = []
    for docnum, score in ranked:
        words = [t.text for t in analyze(orjson.loads(searcher.stored_fields(docnum)["doc"])["body"],
                                         "none", "query")]
        count = sum(1 for a, b in zip(words, words[1:]) if (a, b) == ("joko", "widodo"))
        length = searcher.doc_field_length(docnum, "body_exact", 1)
        assert score == round(bm25(idf, count, length, avg, 0.75, 1.2), 9)
        times.append(count)
    assert len(times) == 13 and max(times) > 1


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
