"""rescore: the proximity bonus added to the best hits gives the full query's scores."""

import orjson
import pytest
from whoosh import query as wq

from carinews.engines.whoosh import search
from carinews.engines.whoosh.compile import WhooshCompiler
from carinews.engines.whoosh.rescore import phrase_scores
from carinews.query.parse import parse_query

MULTI_WORD = ["presiden joko widodo", "harga bahan bakar", "polisi menangkap tersangka",
              "pembangunan jalan tol", "Bank Indonesia", "menteri keuangan sri mulyani"]
NEAR_IN_SAMPLE = ["presiden joko widodo", "Bank Indonesia", "menteri keuangan sri mulyani"]


def _compiled(parsed, *kinds):
    compiler = WhooshCompiler(parsed.text)
    return compiler.compile(parsed.query), compiler.compile_all(parsed.bonus_queries(kinds))


def _full_ranking(searcher, parsed, limit):
    query, bonus = _compiled(parsed, "exact", "near")
    results = searcher.search(search.rank_query(query, bonus), limit=limit)
    return [(round(score, 9), docnum) for score, docnum in results.top_n], len(results)




@pytest.mark.parametrize("text", MULTI_WORD)
def test_window_holding_every_match_gives_the_full_query_ranking(segmented_sample, text, monkeypatch):
    monkeypatch.setattr(search, "RESCORE_WINDOW", 10**6)
    searcher = segmented_sample.searcher()
    parsed = parse_query(text)
    assert parsed.bonus_queries(("near",)), "needs a proximity clause"
    full, total = _full_ranking(searcher, parsed, 50)
    ranked = search.search_plan(searcher, parsed.query, query_text=text, limit=50,
                                bonus=parsed.bonus_queries(("exact",)),
                                near=parsed.bonus_queries(("near",)))
    assert ranked.total == total > 0
    ids = [searcher.stored_fields(docnum)["id"] for _score, docnum in full]
    assert [(round(m.score, 9), orjson.loads(m.doc)["id"]) for m in ranked.matches] == \
        [(score, id) for (score, _), id in zip(full, ids)]


@pytest.mark.parametrize("text", MULTI_WORD)
def test_the_bonus_goes_to_the_hits_with_the_words_close_together(segmented_sample, text):
    searcher = segmented_sample.searcher()
    parsed = parse_query(text)
    query, (near,) = _compiled(parsed, "near")
    plain = searcher.search(query, limit=50)
    scores = phrase_scores(searcher, near, [docnum for _, docnum in plain.top_n])
    assert all(score > 0 for score in scores.values())
    assert bool(scores) == (text in NEAR_IN_SAMPLE)
    near_docs = set(searcher.docs_for_query(near))
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
