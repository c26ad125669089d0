"""rescore: the proximity bonus added to the best hits gives the full query's scores."""

import pytest
from whoosh import query as wq

from carinews import search
from carinews.query.parse import parse_query
from carinews.engines.whoosh.rescore import phrase_scores

MULTI_WORD = ["presiden joko widodo", "harga bahan bakar", "polisi menangkap tersangka",
              "pembangunan jalan tol", "Bank Indonesia", "menteri keuangan sri mulyani"]
NEAR_IN_SAMPLE = ["presiden joko widodo", "Bank Indonesia", "menteri keuangan sri mulyani"]


def _full_ranking(searcher, parsed, limit):
    results = searcher.search(search.rank_query(parsed.query, parsed), limit=limit)
    return [(round(score, 9), docnum) for score, docnum in results.top_n], len(results)


@pytest.mark.parametrize("text", MULTI_WORD)
def test_window_holding_every_match_gives_the_full_query_ranking(segmented_sample, text, monkeypatch):
    monkeypatch.setattr(search, "RESCORE_WINDOW", 10**6)
    searcher = segmented_sample.searcher()
    parsed = parse_query(text)
    assert parsed.bonus_queries(("near",)), "needs a proximity clause"
    full, total = _full_ranking(searcher, parsed, 50)
    results, counted, relaxed = search._run(searcher, parsed, 10, "relevance", True, False)
    assert not relaxed and counted == total > 0
    assert [(round(score, 9), docnum) for score, docnum in results.top_n] == full


@pytest.mark.parametrize("text", MULTI_WORD)
def test_the_bonus_goes_to_the_hits_with_the_words_close_together(segmented_sample, text):
    searcher = segmented_sample.searcher()
    parsed = parse_query(text)
    plain = searcher.search(parsed.query, limit=50)
    scores = phrase_scores(searcher, parsed.bonus_queries(("near",))[0],
                           [docnum for _, docnum in plain.top_n])
    assert all(score > 0 for score in scores.values())
    assert bool(scores) == (text in NEAR_IN_SAMPLE)
    near_docs = set(searcher.docs_for_query(parsed.bonus_queries(("near",))[0]))
    assert set(scores) == near_docs & {docnum for _, docnum in plain.top_n}


def test_date_sorted_hits_keep_date_order_and_carry_no_score(segmented_sample):
    result = segmented_sample.search("presiden joko widodo", sort="-date", limit=5)
    dates = [hit.date for hit in result.hits]
    assert len(dates) == 5 and dates == sorted(dates, reverse=True)
    assert [hit.score for hit in result.hits] == [None] * 5
    assert result.to_dict()["hits"][0]["score"] is None
    ranked = segmented_sample.search("presiden joko widodo", limit=5)
    assert all(hit.score > 0 for hit in ranked.hits)


def test_only_phrases_can_be_rescored(segmented_sample):
    with pytest.raises(TypeError):
        phrase_scores(segmented_sample.searcher(), wq.Term("body", "presiden"), [0])
