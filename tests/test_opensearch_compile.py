"""Plan -> OpenSearch query DSL (engines/opensearch/compile.py), compared exactly, and the
pieces of the engine that need no cluster: the fuzzy distance against Whoosh's automaton,
term encoding, stacked texts, a read asked again when a shard failed to answer. Runs without
a cluster."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carinews.engines.opensearch.compile import OpenSearchCompiler
from carinews.engines.opensearch.lexicon import _wildcard, within
from carinews.engines.opensearch.mapping import decode_term, encode_term, stacked_text
from carinews.query import plan
from carinews.query.parse import parse_query

WIB = timezone(timedelta(hours=7))


def compile_plan(node, expansions=None):
    seen = []

    def expand(pattern):
        seen.append(pattern)
        return (expansions or {}).get(pattern.text, [])

    return OpenSearchCompiler("q", expand).compile(node), seen


def test_words_phrases_and_fields():
    parsed = parse_query('Peskov "operasi tangkap tangan" judul:Kremlin -sumber:tribunnews.com')
    compiled, _ = compile_plan(parsed.query)
    assert compiled == {"bool": {
        "must": [
            {"bool": {"should": [{"term": {"title": {"value": "peskov", "boost": 2.0}}},
                                 {"term": {"body": {"value": "peskov"}}}], "minimum_should_match": 1}},
            {"bool": {"should": [
                {"match_phrase": {"title_exact": {"query": "operasi tangkap tangan",
                                                  "analyzer": "carinews_terms", "boost": 2.0}}},
                {"match_phrase": {"body_exact": {"query": "operasi tangkap tangan",
                                                 "analyzer": "carinews_terms"}}}],
                "minimum_should_match": 1}},
            {"term": {"title": {"value": "kremlin", "boost": 2.0}}}],
        "must_not": [{"term": {"source": {"value": "tribunnews.com"}}}]}}


def test_a_partial_level_is_should_with_k_required():
    words = tuple(plan.Term("body", w) for w in ("banjir", "rob", "semarang"))
    compiled, _ = compile_plan(plan.AtLeast(words, 2))
    assert compiled == {"bool": {"should": [{"term": {"body": {"value": w}}}
                                            for w in ("banjir", "rob", "semarang")],
                                 "minimum_should_match": 2}}


def test_proximity_is_nested_ordered_pairs_either_way():
    node = plan.Phrase("body_exact", ("jokowi", "ijazah", "palsu"), 5)
    compiled, _ = compile_plan(node)
    a, b, c = ({"span_term": {"body_exact": t}} for t in ("jokowi", "ijazah", "palsu"))

    def pair(x, y):
        return {"span_near": {"clauses": [x, y], "slop": 4, "in_order": True}}

    ab = {"span_or": {"clauses": [pair(a, b), pair(b, a)]}}
    assert compiled == {"span_or": {"clauses": [pair(ab, c), pair(c, ab)]}}


def test_many_words_within_slop_fall_back_to_one_unordered_span():
    terms = tuple(f"w{i}" for i in range(9))
    compiled, _ = compile_plan(plan.Phrase("body_exact", terms, 3))
    assert compiled == {"span_near": {"clauses": [{"span_term": {"body_exact": t}} for t in terms],
                                      "in_order": False, "slop": 16}}


def test_near_bonus_is_ordered_and_weighted():
    compiled, _ = compile_plan(plan.Near("title", ("bank", "indonesia", "naik"), 2, 0.25))
    b, i, n = ({"span_term": {"title": t}} for t in ("bank", "indonesia", "naik"))
    inner = {"span_near": {"clauses": [b, i], "slop": 1, "in_order": True}}
    assert compiled == {"span_near": {"clauses": [inner, n], "slop": 1, "in_order": True,
                                      "boost": 0.5}}


def test_patterns_are_terms_queries_over_their_expansion():
    parsed = parse_query("korup* Peskof~")
    compiled, seen = compile_plan(parsed.query, {"korup": ["korupsi", "koruptor"]})
    assert [(type(p).__name__, p.field, p.text) for p in seen] == [
        ("Prefix", "title_exact", "korup"), ("Prefix", "body_exact", "korup"),
        ("Fuzzy", "title_exact", "peskof"), ("Fuzzy", "body_exact", "peskof")]
    assert compiled["bool"]["must"][0] == {"bool": {"should": [
        {"terms": {"title_exact": ["korupsi", "koruptor"], "boost": 2.0}},
        {"terms": {"body_exact": ["korupsi", "koruptor"]}}], "minimum_should_match": 1}}
    assert compiled["bool"]["must"][1]["bool"]["should"] == [{"match_none": {}}] * 2


def test_date_windows_keep_their_offset_and_exclusive_end():
    start, end = datetime(2022, 3, 15, tzinfo=WIB), datetime(2022, 3, 16, tzinfo=WIB)
    compiled, _ = compile_plan(plan.And((plan.Term("body", "kabar"), plan.DateRange(start, end))))
    assert compiled == {"bool": {"must": [{"term": {"body": {"value": "kabar"}}}], "filter": [
        {"range": {"date": {"gte": "2022-03-15T00:00:00+07:00", "lt": "2022-03-16T00:00:00+07:00"}}}]}}
    assert compile_plan(plan.DateRange(None, None))[0] == {"exists": {"field": "date"}}
    assert compile_plan(plan.Not(plan.Every()))[0] == {
        "bool": {"must": [{"match_all": {}}], "must_not": [{"match_all": {}}]}}


def test_wildcard_escapes_what_only_opensearch_treats_as_special():
    assert _wildcard("body_exact", "ko*si") == "ko*si"
    assert _wildcard("url", "a?b\\c*") == "a\\?b\\\\c*"


def whoosh_fuzzy(word: str, text: str, maxdist: int, prefix: int) -> bool:
    from whoosh.automata.lev import levenshtein_automaton

    return levenshtein_automaton(text, maxdist, prefix).to_dfa().accept(word)


@settings(max_examples=400, deadline=None)
@given(st.text("abcde", min_size=1, max_size=7), st.text("abcde", min_size=1, max_size=7),
       st.integers(0, 2))
def test_fuzzy_distance_is_whoosh_automaton(word, text, maxdist):
    assert within(word, text, maxdist, 1) == whoosh_fuzzy(word, text, maxdist, 1)


@given(st.text(max_size=30))
def test_encoding_round_trips_and_never_contains_separators(term):
    encoded = encode_term(term)
    assert " " not in encoded and "|" not in encoded and not any(c.isspace() for c in encoded)
    assert decode_term(encoded) == term[:8191] if term else encoded == "%"


def test_stacked_text_puts_a_position_s_terms_in_one_token():
    assert stacked_text({"covid-19": [1], "covid": [1], "19": [1], "kasus": [0], "naik": [2]}) == \
        "kasus covid-19|covid|19 naik"
    assert stacked_text({"": [0], "a b": [1]}) == "% a%0020;b"


def test_no_url_and_unusable_names_are_setting_errors(monkeypatch):
    import pytest

    from carinews.engines.opensearch.cluster import cluster_url
    from carinews.engines.opensearch.engine import check_name
    from carinews.errors import ClusterSettingError

    monkeypatch.delenv("CARINEWS_OPENSEARCH_URL", raising=False)
    with pytest.raises(ClusterSettingError) as caught:
        cluster_url(None)
    assert (caught.value.setting, str(caught.value)) == (
        "url", "no OpenSearch URL: pass --url or set CARINEWS_OPENSEARCH_URL")
    assert cluster_url(" http://127.0.0.1:9200/ ") == "http://127.0.0.1:9200"
    for name in ["News", "_news", "news-lexicon", "berita umum", ""]:
        with pytest.raises(ClusterSettingError):
            check_name(name)
    assert check_name("news-2025.v1") == "news-2025.v1"


def shard_failure():
    from opensearchpy.exceptions import TransportError

    return TransportError(500, "search_phase_execution_exception", {
        "error": {"type": "search_phase_execution_exception", "reason": ""}})


def reads(answers, monkeypatch):
    """An engine (no cluster) whose reads answer `answers` in turn (an exception is raised)."""
    from carinews.engines.opensearch import engine as module

    monkeypatch.setattr(module, "SHARD_RETRY_PAUSES", (0, 0))
    calls = []

    def run():
        calls.append(len(calls))
        answer = answers[len(calls) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    engine = module.OpenSearchEngine(None, "http://127.0.0.1:1", "news", "news-1", "sastrawi")
    return engine, run, calls


def test_a_search_a_shard_failed_to_answer_is_asked_again(monkeypatch):
    engine, run, calls = reads([shard_failure(), shard_failure(), 7], monkeypatch)
    assert engine._call(run) == 7
    assert calls == [0, 1, 2]


def test_a_shard_that_keeps_failing_is_one_error_naming_the_url(monkeypatch):
    from carinews.errors import ClusterUnavailableError

    engine, run, calls = reads([shard_failure()] * 3, monkeypatch)
    with pytest.raises(ClusterUnavailableError) as caught:
        engine._call(run)
    assert str(caught.value) == ("OpenSearch at http://127.0.0.1:1: cannot answer: HTTP 500 "
                                 "search_phase_execution_exception:")
    assert calls == [0, 1, 2]


def test_other_server_errors_are_not_asked_again(monkeypatch):
    from opensearchpy.exceptions import TransportError

    from carinews.errors import ClusterUnavailableError

    other = TransportError(500, "illegal_state_exception", {"error": {"type": "illegal_state_exception",
                                                                      "reason": "broken"}})
    engine, run, calls = reads([other, 7], monkeypatch)
    with pytest.raises(ClusterUnavailableError):
        engine._call(run)
    assert calls == [0]
