"""The OpenSearch engine (engines/opensearch/) against the local test cluster: the same
articles as the Whoosh engine for the same plans.

Each module fixture writes real articles into its own OpenSearch index (3 shards, 1
replica; a name unique to the run) and the same articles into a Whoosh index (one
segment a batch, so Whoosh's 1,000-term cap counts the whole lexicon as OpenSearch's
does), then every query is run through both engines' `search` and the id sets, totals,
facets and date orders compared: the golden query table (tests/golden/queries.tsv) on its
fixture articles and on the bundled IndoSum sample, compounds, patterns and their caps,
WIB date windows. Also: `_analyze` gives carinews's terms and positions back, replace by
key, the lookups, the alias switch of a rebuild, and errors naming the URL.

Runs only when CARINEWS_OPENSEARCH_URL names a cluster (`make opensearch`).
"""

from __future__ import annotations

import os
import signal
import socket
import uuid

import orjson
import pytest

import carinews
from carinews.analysis.terms import EXACT, analyze, positions_many
from carinews.archive import Archive
from carinews.engines.base import FACET_FIELDS
from carinews.engines.opensearch.cluster import connect
from carinews.engines.opensearch.engine import OpenSearchEngine
from carinews.engines.opensearch.mapping import (
    STACKED_ANALYZER, decode_term, encode_term, section_keywords, source_keywords, stacked_text,
)
from carinews.engines.opensearch.writer import load_articles
from carinews.errors import (
    ArticleTooLargeError, ClusterUnavailableError, IndexNotFoundError, QuerySyntaxError, SchemaMismatchError,
    WorkerDiedError,
)
from carinews.ingest.articles import Article
from carinews.query.parse import parse_query
from carinews.search import rank
from conftest import article
from test_query_golden import read_fixture_articles, read_table

URL = os.environ.get("CARINEWS_OPENSEARCH_URL", "").rstrip("/")

pytestmark = [
    pytest.mark.opensearch,
    pytest.mark.skipif(not URL, reason="CARINEWS_OPENSEARCH_URL not set (start a cluster with `make opensearch`)"),
]

SHARDS, REPLICAS = 3, 1


def index_name(label: str) -> str:
    return f"carinews-test-{label}-{uuid.uuid4().hex[:8]}"


def copies(articles) -> list[Article]:
    return [Article(**a.__dict__) for a in articles]


class Pair:
    """The same articles in a Whoosh index and in an OpenSearch index."""

    def __init__(self, whoosh, opensearch):
        self.whoosh, self.opensearch = whoosh, opensearch


@pytest.fixture(scope="module")
def make_pair(tmp_path_factory):
    made = []

    def make(label: str, articles: list[Article], batch_size: int = 100) -> Pair:
        archive = Archive.create(tmp_path_factory.mktemp(label) / "index")
        archive.add(copies(articles), workers=0)
        engine = OpenSearchEngine.create(URL, index_name(label), shards=SHARDS, replicas=REPLICAS)
        made.append((archive, engine))
        outcomes = load_articles(engine, copies(articles), batch_size=batch_size)
        assert [o.error for o in outcomes if o.error] == []
        return Pair(archive.engine, engine)

    yield make
    for archive, engine in made:
        archive.close()
        OpenSearchEngine.remove(URL, engine.alias)


@pytest.fixture(scope="module")
def sample_articles() -> list[Article]:
    return [a for a in carinews.read_articles(carinews.sample_paths()) if isinstance(a, Article)]


@pytest.fixture(scope="module")
def sample(make_pair, sample_articles) -> Pair:
    return make_pair("sample", sample_articles)


@pytest.fixture(scope="module")
def golden(make_pair) -> Pair:
    return make_pair("golden", read_fixture_articles(), batch_size=7)


def doc_ids(ranked) -> list[str]:
    return [orjson.loads(m.doc)["id"] for m in ranked.matches]


def outcome(engine, plan_node, text: str, **options):
    """(sorted ids, total) of a plan, or the QuerySyntaxError it raised (message, position)."""
    try:
        ranked = engine.search(plan_node, query_text=text, limit=10_000, **options)
    except QuerySyntaxError as error:
        return ("error", str(error), error.position)
    return sorted(doc_ids(ranked)), ranked.total


def compare(pair: Pair, queries: list[str], **options) -> list[str]:
    """The queries whose plan or relaxed plan gives other ids, totals or errors on OpenSearch."""
    mismatches = []
    for text in queries:
        parsed = parse_query(text)
        for label, node in (("query", parsed.query), ("relaxed", parsed.relaxed)):
            if node is None:
                continue
            want = outcome(pair.whoosh, node, text, **options)
            got = outcome(pair.opensearch, node, text, **options)
            if got != want:
                mismatches.append(f"{text!r} ({label}): whoosh {want}, opensearch {got}")
    return mismatches


GOLDEN_QUERIES = [query for query, _, _ in read_table()]

SAMPLE_QUERIES = GOLDEN_QUERIES + [
    # compounds, reduplication, phrases over stacked positions
    "e-KTP", "ktp", '"e-KTP"', '"korupsi e-KTP"', '"proyek e-KTP"', '"proyek e KTP"',
    '"KTP elektronik"', "kota-kota", '"kota-kota"',
    "anak-anak", '"anak-anak"', "anak", "undang-undang", '"undang undang"', '"sela-sela pameran"',
    "masing-masing", '"masing masing"', "ganjil-genap", '"ganjil genap"',
    # phrases and proximity, two and three words, in and out of order
    '"Bank Indonesia"', "Bank Indonesia", '"Presiden Joko Widodo"', '"Joko Widodo"~2',
    '"Widodo Joko"~1', '"Widodo Joko"~2', '"presiden joko widodo"~3', '"widodo presiden joko"~4',
    '"korupsi KPK tersangka"~10', '"anak anak"~3', '"Setya Novanto"', 'nama:"Setya Novanto"',
    "nama:Jokowi", 'judul:"Bank Indonesia"', 'isi:"Bank Indonesia"',
    # patterns
    "korup*", "pemerin*", "ekono*", "men*", "Jokowy~1", "presidn~", "ekonomi~2", "Novanto~1",
    "indonesi~1", "ko*si", "pe*an*", "ber*an", "sumber:suar*", "url:https://www.suara.com/otomotif*",
    # booleans, fields, relaxing
    "KPK -korupsi", "KPK OR Polri", "(Jokowi OR Prabowo) presiden", "-presiden",
    "presiden jokowi duterte eksekusi narkoba", "sumber:suara presiden", "judul:presiden",
    "sumber:cnnindonesia.com KPK", "tidak benar", "hoaks OR hoax",
    # WIB date windows
    "tanggal:2017", "tanggal:2017-06", "tanggal:2016-08-22", 'tanggal:"22 Agustus 2016"',
    "tanggal:<2017", "tanggal:>=2017-07", "presiden tanggal:2017-01..2017-06", "KPK -tanggal:2017",
]


# -- analysis: OpenSearch keeps carinews's terms at carinews's positions ----------------------

ANALYZE_TEXTS = [
    "Warga antre e-KTP dan vaksin Covid-19 di kota-kota pesisir pro-Rusia.",
    "Juru bicara Kremlin Dmitry Peskov mengatakan laporan media itu tidak benar.",
    "Nabi Muhammad \ufdfa bersabda; harga naik 50% | Rp 2.000,00 (15/3/2022) ﬁlm Ａ４ 2019-2020.",
    "Anak-anak belajar di tenda darurat, benar-benar bersama-sama undang-undang.",
]


def analyzed(index: str, text: str) -> list[tuple[str, int]]:
    client, _ = connect(URL)
    answer = client.indices.analyze(index=index, body={"analyzer": STACKED_ANALYZER, "text": text})
    return [(decode_term(t["token"]), t["position"]) for t in answer["tokens"]]


@pytest.mark.parametrize("stemmer", ["sastrawi", EXACT])
def test_analyze_gives_carinews_terms_at_their_positions(sample, sample_articles, stemmer):
    texts = ANALYZE_TEXTS + [a.title for a in sample_articles] + [a.body for a in sample_articles[:20]]
    for text in texts:
        want = sorted((term.text, term.pos) for term in analyze(text, stemmer))
        got = sorted(analyzed(sample.opensearch.index, stacked_text(positions_many(text, (stemmer,))[0])))
        assert got == want, text


def test_terms_with_separators_survive_encoding():
    term = analyze("Nabi Muhammad \ufdfa bersabda", EXACT)[2].text
    assert " " in term                                   # NFKC turns the ligature into words
    assert encode_term(term) == "صلى%0020;الله%0020;عليه%0020;وسلم"
    for raw in [term, "a|b", "50%", "%0020;", "x" * 9000]:
        assert decode_term(encode_term(raw)) == raw[:8191]
    assert encode_term("%0020;") != encode_term(" ")


def test_keywords_are_tokenised_as_whoosh_does():
    from carinews.engines.whoosh.schema import build_schema, source_terms

    schema = build_schema()
    for source in ["kompas.com", "Kompas TV", "detik.com\tnews", None]:
        want = [t.text for t in schema["source"].analyzer(source_terms(source))] if source else []
        assert source_keywords(source) == want
    for section in ["Hukum", "Hukum, Politik", " Nasional ,Daerah ", ",", "  "]:
        want = [t.text for t in schema["section"].analyzer(section.replace(",", " ")) if t.text]
        assert section_keywords(section) == want


# -- the same articles for the same plans ----------------------------------------------------

def test_golden_table_same_ids_totals_and_errors_as_whoosh(golden):
    assert golden.opensearch.doc_count() == golden.whoosh.doc_count() == 19
    assert compare(golden, GOLDEN_QUERIES) == []


def test_golden_table_expected_ids(golden):
    """search.rank on the OpenSearch engine gives the table's ids and relaxed flags."""
    mismatches = []
    for query, want, want_relaxed in read_table():
        ranked, relaxed = rank(golden.opensearch, parse_query(query), 100)
        got = sorted(doc_ids(ranked))
        if (got, relaxed) != (want, want_relaxed):
            mismatches.append(f"{query!r}: expected {want} {want_relaxed}, got {got} {relaxed}")
    assert mismatches == []


def test_sample_same_ids_totals_and_errors_as_whoosh(sample):
    assert sample.opensearch.doc_count() == sample.whoosh.doc_count() == 292
    assert compare(sample, SAMPLE_QUERIES) == []


def test_sample_queries_find_something(sample):
    """The comparison above is not one of empty answers: only these find nothing."""
    empty = {q for q in SAMPLE_QUERIES[len(GOLDEN_QUERIES):]
             if sample.opensearch.search(parse_query(q).query, query_text=q).total == 0}
    assert empty == {"e-KTP", '"e-KTP"', '"korupsi e-KTP"', '"proyek e-KTP"', '"masing masing"',
                     'judul:"Bank Indonesia"'}    # the sample writes "e - KTP"


def test_compounds_in_words_and_phrases(golden):
    want = {"Covid-19": ["c2"], "covid": ["c2"], '"Kasus Covid-19"': ["c2"], '"covid 19"': [],
            "e-KTP": ["c3"], "ktp": ["c3"], '"pembuatan e-KTP"': ["c3"], '"pembuatan ktp"': ["c3"],
            "kota-kota": ["c1", "c2", "c3", "k4"], '"kota-kota kecil"': ["c3"],
            '"kota kecil"': ["c3"], '"kota-kota besar"': ["c1"]}
    got = {q: sorted(doc_ids(golden.opensearch.search(parse_query(q).query, query_text=q, limit=100)))
           for q in want}
    assert got == want
    assert compare(golden, list(want)) == []


def test_prefix_and_wildcard_caps(sample, sample_articles):
    body_terms = set()
    for a in sample_articles:
        body_terms |= set(positions_many(a.body, (EXACT,))[0])
    assert sum(t.startswith("me") for t in body_terms) > 1000          # me* is over the cap
    assert 500 < sum(t.startswith("men") for t in body_terms) <= 1000  # men* is under it
    with pytest.raises(QuerySyntaxError) as caught:
        sample.opensearch.search(parse_query("korupsi me*").query, query_text="korupsi me*")
    assert (str(caught.value), caught.value.position) == (
        "'me*' matches more than 1000 words; make it longer at column 9", 8)
    assert compare(sample, ["korupsi me*", "me*", "men*", "me*an", "isi:me*"]) == []


def test_fuzzy_cap(make_pair):
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = [f"k{x}{y}a" for x in letters for y in letters] + [f"ka{x}{y}" for x in letters for y in letters]
    articles = [article(f"w{i}", "Daftar kata", " ".join(words[i::4]), date="2020-01-01") for i in range(4)]
    pair = make_pair("fuzzy", articles)
    assert compare(pair, ["kata~2", "kata~1", "kata~", "ka*", "kat*"]) == []
    assert outcome(pair.opensearch, parse_query("kata~2").query, "kata~2") == (
        "error", "'kata~2' matches more than 1000 words; make it longer at column 1", 0)
    assert outcome(pair.opensearch, parse_query("kata~1").query, "kata~1")[1] == 4


def test_fuzzy_is_levenshtein_with_the_first_letter_fixed(make_pair):
    """As Whoosh's automaton: a swap of two letters is two edits, the first letter never changes."""
    pair = make_pair("levenshtein", [
        article("a", "Jokowi", "Presiden Jokowi datang ke pasar baru.", date="2022-01-01"),
        article("b", "Okowi", "Kata okowi dan jkoowi bukan nama.", date="2022-01-02")])
    queries = ["jokowi~1", "jkoowi~1", "jkoowi~2", "jokwoi~1", "jokowj~1", "ojkowi~1", "j~2", "jo~1"]
    assert compare(pair, queries) == []
    assert outcome(pair.opensearch, parse_query("jokwoi~1").query, "jokwoi~1") == ([], 0)
    assert outcome(pair.opensearch, parse_query("jokwoi~2").query, "jokwoi~2") == (["a"], 1)


def test_wib_date_windows_at_day_boundaries(make_pair):
    """23:59 WIB is that day, 00:00 WIB the next: windows are WIB days, stored in UTC."""
    pair = make_pair("dates", [
        article("late", "Berita malam", "Kabar malam hari.", date="2022-03-15T23:59:59"),
        article("early", "Berita pagi", "Kabar pagi hari.", date="2022-03-16T00:00:00"),
        article("utc", "Berita siang", "Kabar siang hari.", date="2022-03-16T06:59:59"),
        article("none", "Berita tanpa tanggal", "Kabar tanpa tanggal.")])
    queries = ["tanggal:2022-03-15", "tanggal:2022-03-16", "kabar tanggal:2022-03",
               "tanggal:..2022-03-15", "tanggal:2022-03-16..", "kabar -tanggal:2022-03-16"]
    assert compare(pair, queries) == []
    found = {q: outcome(pair.opensearch, parse_query(q).query, q)[0] for q in queries}
    assert found == {"tanggal:2022-03-15": ["late"], "tanggal:2022-03-16": ["early", "utc"],
                     "kabar tanggal:2022-03": ["early", "late", "utc"],
                     "tanggal:..2022-03-15": ["late"], "tanggal:2022-03-16..": ["early", "utc"],
                     "kabar -tanggal:2022-03-16": ["late"]}    # undated: in no window, nor out


# -- ranking, sorting, facets ----------------------------------------------------------------

def test_sort_by_date_as_whoosh(golden):
    for text in ["-zzzz", "Peskov OR Jokowi OR Kremlin", "kota"]:
        node = parse_query(text).query
        for sort in ("date", "-date"):
            whoosh = golden.whoosh.search(node, sort=sort, limit=1000)
            ours = golden.opensearch.search(node, sort=sort, limit=1000)
            assert [m.date for m in ours.matches] == [m.date for m in whoosh.matches]
            assert sorted(doc_ids(ours)) == sorted(doc_ids(whoosh))
            assert all(m.score is None for m in ours.matches)
    for sort in ("date", "-date"):     # undated last either way
        every = golden.opensearch.search(parse_query("-zzzz").query, sort=sort, limit=1000)
        assert every.matches[-1].date is None and every.matches[0].date is not None


def test_facets_and_field_counts_as_whoosh(sample, golden):
    for pair, queries in ((sample, ["presiden", "KPK OR korupsi", "-zzzz", "tanggal:2017"]),
                          (golden, ["Peskov OR Jokowi", "-zzzz", "kota"])):
        for text in queries:
            node = parse_query(text).query
            for facets in (FACET_FIELDS, ("day",), ("week",)):
                want = pair.whoosh.search(node, facets=facets, limit=5).groups
                got = pair.opensearch.search(node, facets=facets, limit=5).groups
                assert got == want, (text, facets)
        for field in ("outlet", "month", "section", "nothing"):
            assert pair.opensearch.field_counts(field) == pair.whoosh.field_counts(field)


def test_vocabulary_and_document_frequencies_as_whoosh(sample):
    """The "did you mean" vocabulary (every exact term with its article count) and the idf
    counts of related articles: the same numbers on both engines (no deletions here)."""
    for field in ("title_exact", "body_exact"):
        want = dict(sample.whoosh.vocabulary(field))
        assert dict(sample.opensearch.vocabulary(field)) == want
        assert len(want) > 1000 and want["korupsi"] >= 1
    terms = ["korupsi", "jakarta", "tidak-ada-kata-ini", "e-ktp"]
    for field in ("body", "title", "names"):
        assert sample.opensearch.document_frequencies(field, terms) == \
            sample.whoosh.document_frequencies(field, terms)


def test_ranking_with_bonuses_keeps_the_matches(sample):
    """Bonus clauses and the proximity rescore reorder, never add or drop, matches."""
    for text in ["presiden jokowi", "Bank Indonesia", "korupsi e-KTP", "kota-kota pesisir"]:
        parsed = parse_query(text)
        plain = sample.opensearch.search(parsed.query, query_text=text, limit=300)
        full = sample.opensearch.search(parsed.query, query_text=text, limit=300,
                                        bonus=parsed.bonus_queries(("exact",)),
                                        near=parsed.bonus_queries(("near",)))
        assert full.total == plain.total and sorted(doc_ids(full)) == sorted(doc_ids(plain))
        scores = [m.score for m in full.matches]
        assert scores == sorted(scores, reverse=True)


def near_in(text: str, first: str, second: str, slop: int = 2) -> bool:
    """Whether the stem `second` stands 1..slop positions after `first` in `text`."""
    table = positions_many(text, ("sastrawi",))[0]
    return any(1 <= q - p <= slop for p in table.get(first, []) for q in table.get(second, []))


def test_proximity_bonus_goes_exactly_to_articles_with_the_words_close(sample, sample_articles):
    by_id = {a.id: a for a in sample_articles}
    parsed = parse_query("presiden jokowi")
    plain = sample.opensearch.search(parsed.query, limit=300)
    near = sample.opensearch.search(parsed.query, limit=300, near=parsed.bonus_queries(("near",)))
    assert plain.total == near.total <= 300
    before = {orjson.loads(m.doc)["id"]: m.score for m in plain.matches}
    gained = {orjson.loads(m.doc)["id"] for m in near.matches
              if m.score - before[orjson.loads(m.doc)["id"]] > 1e-4}
    close = {i for i in before if near_in(by_id[i].title, "presiden", "jokowi")
             or near_in(by_id[i].body, "presiden", "jokowi")}
    assert gained == close and len(close) >= 3


def test_match_records_carry_the_stored_article(sample, sample_articles):
    by_id = {a.id: a for a in sample_articles}
    ranked = sample.opensearch.search(parse_query("presiden").query, limit=50)
    for match in ranked.matches:
        doc = orjson.loads(match.doc)
        assert doc["title"] == by_id[doc["id"]].title
        assert match.date == by_id[doc["id"]].date and match.date.utcoffset().total_seconds() == 0
        assert len(match.sketch) == 32 and match.dup


def test_facets_leave_out_matches_without_a_value(golden):
    groups = golden.opensearch.search(parse_query("-zzzz").query, facets=FACET_FIELDS + ("day", "week")).groups
    assert "" not in groups["month"] and None not in groups["month"]
    assert sum(groups["month"].values()) == sum(groups["day"].values()) == sum(groups["week"].values()) == 18
    assert groups["section"] and all(groups["section"].values())


def test_version_changes_with_every_commit(make_pair):
    pair = make_pair("version", [article("a", "Satu", "Berita satu.", date="2022-01-01")])
    engine = pair.opensearch
    before = engine.version()
    assert before == f"{engine.index}:1"
    load_articles(engine, [article("b", "Dua", "Berita dua.", date="2022-01-02")])
    assert engine.version() == f"{engine.index}:2"


# -- writing: replace by key, lookups --------------------------------------------------------

def test_replace_by_key_and_lookups(make_pair):
    first = [article("a", "Harga cabai naik", "Harga cabai rawit naik tajam.", date="2022-01-01"),
             article("b", "Banjir di Medan", "Banjir melanda kota Medan.", date="2022-01-02")]
    first[0].raw_hash = "raw-a"
    pair = make_pair("replace", first)
    engine = pair.opensearch
    old_hash = first[0].content_hash()
    assert engine.has("key", first[0].key) and engine.has("hash", old_hash)
    assert engine.lookup_raw("raw-a") == (first[0].key, "dated") and engine.lookup_raw("raw-x") is None
    assert engine.existing("key", [first[0].key, "contoh.id/zzz"]) == {first[0].key}
    stored = engine.document("id", "a")
    assert (stored["key"], stored["hash"], orjson.loads(stored["doc"])["title"]) == (
        first[0].key, old_hash, "Harga cabai naik")
    newer = article("a", "Harga cabai turun", "Harga cabai rawit turun lagi.", date="2022-01-03")
    load_articles(engine, [newer])
    assert engine.doc_count() == 2
    assert outcome(engine, parse_query("naik").query, "naik") == ([], 0)
    assert outcome(engine, parse_query("turun").query, "turun") == (["a"], 1)
    assert not engine.has("hash", old_hash) and engine.has("hash", newer.content_hash())
    assert engine.document("key", "contoh.id/zzz") is None


def test_an_article_too_large_for_a_request_is_rejected_alone(make_pair, monkeypatch):
    import carinews.engines.opensearch.writer as writer_module

    pair = make_pair("large", [article("a", "Kecil", "Berita pendek.", date="2022-01-01")])
    monkeypatch.setattr(writer_module, "MAX_DOCUMENT_BYTES", 8192)
    big = article("b", "Besar", "Berita panjang sekali. " * 400, date="2022-01-02")
    small = article("c", "Kecil lagi", "Berita pendek lagi.", date="2022-01-03")
    outcomes = load_articles(pair.opensearch, [big, small])
    errors = {o.key: o.error for o in outcomes}
    assert isinstance(errors[big.key], ArticleTooLargeError) and errors[small.key] is None
    assert errors[big.key].limit == 8192 and errors[big.key].size > 8192
    assert pair.opensearch.doc_count() == 2 and not pair.opensearch.has("key", big.key)


def test_a_dead_worker_is_named_with_its_batch(sample, sample_articles):
    with sample.opensearch.writer(2) as writer:
        job = writer.submit([(a, a.content_hash()) for a in copies(sample_articles)], 7)
        os.kill(writer._processes[0].pid, signal.SIGKILL)
        with pytest.raises(WorkerDiedError) as caught:
            writer.collect(job)
    assert (caught.value.batch, caught.value.signal) == (7, signal.SIGKILL)
    assert sample.opensearch.doc_count() == 292


# -- lifecycle: alias, rebuild, versions -----------------------------------------------------

def test_rebuild_switches_the_alias_atomically_and_removes_leftovers():
    name = index_name("alias")
    live = OpenSearchEngine.create(URL, name, shards=1, replicas=REPLICAS)
    try:
        load_articles(live, [article("a", "Lama", "Berita lama.", date="2022-01-01")])
        first = live.index
        rebuild = OpenSearchEngine.create(URL, name, shards=1, replicas=REPLICAS, switch=False)
        dropped = OpenSearchEngine.create(URL, name, shards=1, replicas=REPLICAS, switch=False)
        load_articles(rebuild, [article("b", "Baru", "Berita baru.", date="2022-01-02")])
        assert OpenSearchEngine.open(URL, name).index == live.index    # not switched yet
        assert rebuild.publish() == [first]
        opened = OpenSearchEngine.open(URL, name)
        assert (opened.index, opened.doc_count()) == (rebuild.index, 1)
        assert live.doc_count() == 1 and live.index == rebuild.index  # followed the alias
        client, _ = connect(URL)
        assert not client.indices.exists(index=first)
        assert not client.indices.exists(index=f"{first}-lexicon")
        assert client.indices.exists(index=dropped.index)
        OpenSearchEngine.remove_leftovers(URL, set(), name)
        assert not client.indices.exists(index=dropped.index)
        assert client.indices.exists(index=rebuild.index)
    finally:
        OpenSearchEngine.remove(URL, name)
    assert not OpenSearchEngine.exists(URL, name)


def test_create_refuses_an_existing_name_and_open_a_missing_one():
    name = index_name("exists")
    OpenSearchEngine.create(URL, name, shards=1, replicas=0)
    try:
        with pytest.raises(carinews.IndexExistsError) as caught:
            OpenSearchEngine.create(URL, name)
        assert str(caught.value) == f"{URL}/{name} already holds an index"
    finally:
        OpenSearchEngine.remove(URL, name)
    with pytest.raises(IndexNotFoundError) as caught:
        OpenSearchEngine.open(URL, name)
    assert str(caught.value) == f"No index at {URL}/{name}; run `carinews index` first"


def test_other_analysis_version_is_refused():
    name = index_name("version")
    engine = OpenSearchEngine.create(URL, name, shards=1, replicas=0)
    try:
        client, _ = connect(URL)
        client.indices.put_mapping(index=engine.index, body={"_meta": {"carinews": {
            "role": "articles", "alias": name, "mapping_version": "0", "analysis_version": "old",
            "stemmer": "sastrawi"}}})
        with pytest.raises(SchemaMismatchError) as caught:
            OpenSearchEngine.open(URL, name)
        assert caught.value.found == "mapping 0, analysis old"
    finally:
        OpenSearchEngine.remove(URL, name)


# -- errors naming the URL -------------------------------------------------------------------

def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_cluster_is_one_typed_line_naming_the_url():
    url = f"http://127.0.0.1:{closed_port()}"
    for call in (lambda: OpenSearchEngine.open(url, "news"), lambda: OpenSearchEngine.create(url, "news"),
                 lambda: OpenSearchEngine.exists(url, "news")):
        with pytest.raises(ClusterUnavailableError) as caught:
            call()
        assert str(caught.value) == (
            f"OpenSearch at {url}: unreachable: cannot connect (NewConnectionError); start it, "
            f"or check --url / CARINEWS_OPENSEARCH_URL")
        assert caught.value.url == url


def test_red_index_is_refused_naming_the_url():
    name = index_name("red")
    engine = OpenSearchEngine.create(URL, name, shards=1, replicas=0)
    client, _ = connect(URL)
    try:
        client.indices.close(index=engine.index)
        client.indices.put_settings(index=engine.index, body={
            "index.routing.allocation.require._name": "no-such-node"})
        client.indices.open(index=engine.index, params={"wait_for_active_shards": "0"})
        with pytest.raises(ClusterUnavailableError) as caught:
            OpenSearchEngine.open(URL, name)
        assert str(caught.value).startswith(f"OpenSearch at {URL}: index {engine.index},{engine.lexicon} is red (1 unassigned shards")
    finally:
        OpenSearchEngine.remove(URL, name)
