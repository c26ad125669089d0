"""engines/tantivy: the same matches as the Whoosh engine, on real on-disk indexes.

Each comparison builds a Whoosh index through the Archive and a tantivy index through
the tantivy engine's own batch writer from the same articles, then runs the same plan
on both: id sets and totals must be equal (BM25 orders may differ, so orders are not
compared, except by date).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson
import pytest

from carinews.errors import WorkerDiedError

import carinews
from carinews.archive import Archive
from carinews.engines.base import DATE_FACETS, FACET_FIELDS
from carinews.engines.tantivy.engine import TantivyEngine
from carinews.errors import IndexLockedError, QuerySyntaxError
from carinews.ingest.articles import Article
from carinews.query import plan
from carinews.query.parse import parse_query
from carinews.search import rank

from conftest import ARTICLES, article
from test_query_golden import read_fixture_articles, read_table

WIB = timezone(timedelta(hours=7))
ALL = 10_000


# -- building both indexes --------------------------------------------------------------------

def build_tantivy(folder: Path, articles: list[Article], *, batch: int = 200, workers: int = 2,
                  name: str = "tantivy") -> TantivyEngine:
    engine = TantivyEngine.create(folder, name, "sastrawi")
    write(engine, articles, batch=batch, workers=workers)
    return engine


def write(engine: TantivyEngine, articles: list[Article], *, batch: int = 200, workers: int = 2):
    """Write `articles` in batches as the Archive does: replaced keys are the live ones."""
    outcomes = []
    with engine.writer(workers) as writer:
        for start in range(0, len(articles), batch):
            items = [(copy(a), a.content_hash()) for a in articles[start:start + batch]]
            job = writer.submit(items)
            done = writer.collect(job)
            outcomes += done
            writer.commit(job, [d.key for d in done if d.error is None and engine.has("key", d.key)])
        writer.finish()
    return outcomes


def build_whoosh(folder: Path, articles: list[Article]) -> Archive:
    with Archive.create(folder) as archive:
        archive.add([copy(a) for a in articles])
    return Archive.open(folder)


def copy(a: Article) -> Article:
    return Article(**{**a.__dict__, "names": list(a.names), "extra": dict(a.extra)})


def sample_articles() -> list[Article]:
    return [a for a in carinews.read_articles(carinews.sample_paths()) if isinstance(a, Article)]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    articles = sample_articles()
    whoosh = build_whoosh(tmp_path_factory.mktemp("whoosh-sample"), articles)
    tantivy = build_tantivy(tmp_path_factory.mktemp("tantivy-sample"), articles)
    yield whoosh.engine, tantivy
    whoosh.close()


@pytest.fixture(scope="module")
def golden(tmp_path_factory):
    articles = read_fixture_articles()
    whoosh = build_whoosh(tmp_path_factory.mktemp("whoosh-golden"), articles)
    tantivy = build_tantivy(tmp_path_factory.mktemp("tantivy-golden"), articles, workers=0)
    yield whoosh.engine, tantivy
    whoosh.close()


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """conftest's hand-written articles (compounds, an undated article) plus WIB edges."""
    articles = [copy(a) for a in ARTICLES] + [
        article("late", "Rapat malam", "Rapat kota-kota pesisir selesai larut malam.",
                date="2022-03-15T23:59:59", source="tempo.co", section="Metro"),
        article("early", "Rapat pagi", "Rapat e-KTP dimulai tepat tengah malam.",
                date="2022-03-16T00:00:00", source="tempo.co", section="Metro"),
        article("sourceless", "Tanpa sumber", "Berita tanpa sumber tentang kota pesisir.",
                date="2020-05-01T08:00", source=None, section="Nasional"),
        article("span", "Lain", "alfa beta beta xx yy gama dan seterusnya.", date="2021-06-01"),
    ]
    whoosh = build_whoosh(tmp_path_factory.mktemp("whoosh-small"), articles)
    tantivy = build_tantivy(tmp_path_factory.mktemp("tantivy-small"), articles, workers=0)
    yield whoosh.engine, tantivy
    whoosh.close()


def found(engine, query: plan.Node, **options) -> tuple[set[str], int]:
    ranked = engine.search(query, limit=ALL, **options)
    return {orjson.loads(m.doc)["id"] for m in ranked.matches}, ranked.total


def same(engines, query: plan.Node, **options) -> set[str]:
    whoosh, tantivy = engines
    expected = found(whoosh, query, **options)
    assert found(tantivy, query, **options) == expected, query
    return expected[0]


# -- every plan node ----------------------------------------------------------------------------

T, P = plan.Term, plan.Phrase
WINDOW = plan.DateRange(datetime(2016, 1, 1, tzinfo=WIB), datetime(2017, 1, 1, tzinfo=WIB))
NODES = [
    T("body", "banjir"), T("title", "presiden"), T("body_exact", "menyerang"), T("title_exact", "jokowi"),
    T("names", "jokowi"), T("source", "kumparan"), T("source", "cnnindonesia.com"),
    T("body", "tidak-ada-kata-ini"),
    P("body", ("bank", "indonesia")), P("body_exact", ("presiden", "joko", "widodo")),
    P("body_exact", ("indonesia", "bank"), 3), P("body_exact", ("joko", "presiden"), 2),
    P("body_exact", ("widodo", "joko", "presiden"), 4), P("names", ("joko", "widodo")),
    P("title", ("jokowi",)),
    plan.Near("body", ("presiden", "jokowi"), 2, 0.25),
    plan.Prefix("body_exact", "korup", "'korup*'", 0), plan.Prefix("title_exact", "jakar", "'jakar*'", 0),
    plan.Prefix("source", "cnn", "'cnn*'", 0),
    plan.Wildcard("body_exact", "ko*si", "'ko*si'", 0), plan.Wildcard("body_exact", "*olisi", "'*olisi'", 0),
    plan.Fuzzy("body_exact", "presidem", "'presidem~1'", 0, 1, 1),
    plan.Fuzzy("body_exact", "jakrata", "'jakrata~2'", 0, 2, 1),
    WINDOW, plan.DateRange(None, datetime(2016, 6, 1, tzinfo=WIB)),
    plan.DateRange(datetime(2017, 6, 1, 7, 30, tzinfo=WIB), None),
    plan.And((T("body", "presiden"), WINDOW)), plan.Or((T("body", "gempa"), T("body", "banjir"))),
    plan.And((T("body", "presiden"), plan.Not(T("body", "jokowi")))), plan.Not(T("body", "indonesia")),
    plan.Or((T("body", "gempa"), plan.Not(T("body", "indonesia")))),
    plan.And((plan.Every(), plan.Not(T("body", "presiden")), plan.Not(T("body", "jakarta")))),
    plan.Every(), plan.Nothing(), plan.And((T("body", "banjir"), plan.Nothing())),
]


@pytest.mark.parametrize("node", NODES, ids=repr)
def test_every_plan_node_finds_what_whoosh_finds(sample, node):
    same(sample, node)


EMPTY = {T("body", "tidak-ada-kata-ini"), plan.Nothing(), plan.And((T("body", "banjir"), plan.Nothing()))}


def test_the_node_table_is_not_trivial(sample):
    whoosh, _ = sample
    sizes = {node: len(found(whoosh, node)[0]) for node in NODES}
    assert {node for node, n in sizes.items() if n == 0} == EMPTY
    assert sum(1 for n in sizes.values() if 0 < n < 292) == len(NODES) - len(EMPTY) - 1   # Every: all


def test_url_terms_and_prefixes_read_the_key(sample):
    _, tantivy = sample
    url = sample_articles()[0].url_key
    assert same(sample, T("url", url)) == {sample_articles()[0].id}
    assert len(same(sample, plan.Prefix("url", url[:30], "'u*'", 0))) >= 1
    assert same(sample, T("url", "id:" + sample_articles()[0].id)) == set()


# -- the golden table, every query --------------------------------------------------------------

def test_golden_table_runs_the_same_on_tantivy(golden):
    whoosh, tantivy = golden
    mismatches = []
    for query, expected, relaxed in read_table():
        parsed = parse_query(query)
        for node in (parsed.query, parsed.relaxed):
            if node is not None and found(tantivy, node) != found(whoosh, node):
                mismatches.append((query, node))
        ranked, was_relaxed = rank(tantivy, parsed, 100)
        ids = sorted(orjson.loads(m.doc)["id"] for m in ranked.matches)
        if (ids, was_relaxed) != (expected, relaxed):
            mismatches.append((query, ids, was_relaxed))
    assert not mismatches


def test_golden_queries_on_the_sample_match_whoosh(sample):
    whoosh, tantivy = sample
    for query, _, _ in read_table():
        parsed = parse_query(query)
        for node in (parsed.query, parsed.relaxed):
            if node is not None:
                assert found(tantivy, node) == found(whoosh, node), query


# -- compounds, dates, proximity ----------------------------------------------------------------

@pytest.mark.parametrize("query, ids", [
    ("Covid-19", {"anak"}), ("covid", {"anak"}), ('"vaksin covid"', {"anak"}),
    ('"covid 19"', set()), ('"vaksin covid-19"', {"anak"}), ('"covid-19 anak"', set()),
    ("e-KTP", {"early"}), ("ktp", {"early"}), ('"rapat e-ktp"', {"early"}), ('"rapat ktp dimulai"', {"early"}),
    ("kota-kota", {"anak", "late", "sourceless"}), ('"kota-kota"', {"anak", "late"}), ('"kota pesisir"', {"anak", "late", "sourceless"}),
    ('"banjir di kota"', {"anak"}), ('"kota kota"', set()),
])
def test_compounds_match_as_on_whoosh(small, query, ids):
    parsed = parse_query(query)
    assert same(small, parsed.query) == ids


def test_date_windows_end_at_wib_midnight(small):
    assert same(small, parse_query("tanggal:2022-03-15").query) == {"late"}
    assert same(small, parse_query("tanggal:2022-03-16").query) == {"early"}
    assert same(small, parse_query("tanggal:..2022-03-15").query) >= {"late", "kpk"}
    assert "undated" not in same(small, parse_query("-tanggal:2022").query)


def test_dates_tantivy_cannot_hold_are_clamped_to_its_range(tmp_path):
    old = article("old", "Prasasti", "Prasasti kuno ditemukan.", date="1500-06-01T10:00")
    new = article("new", "Ramalan", "Ramalan masa depan.", date="2300-01-01T10:00")
    engine = build_tantivy(tmp_path, [old, new, copy(ARTICLES[0])], workers=0)
    window = plan.DateRange(None, datetime(1700, 1, 1, tzinfo=WIB))
    assert found(engine, window)[0] == {"old"}
    assert found(engine, plan.DateRange(datetime(2200, 1, 1, tzinfo=WIB), None))[0] == {"new"}
    dates = [m.date for m in engine.search(plan.Every(), limit=3, sort="date").matches]
    assert dates[0] == old.date and dates[-1] == new.date          # exact, from the stored meta


def test_proximity_of_three_terms_follows_whoosh_span_rule(small):
    # alfa@0 beta@1 beta@2 xx yy gama@5: from alfa, beta@2 is 2 away and gama 3 beyond it;
    # tantivy's own sloppy phrase would spend one budget on both gaps.
    assert same(small, P("body_exact", ("alfa", "beta", "gama"), 3)) == {"span"}
    assert same(small, P("body_exact", ("alfa", "beta", "gama"), 2)) == set()
    assert same(small, P("body_exact", ("gama", "beta", "alfa"), 3)) == {"span"}


@pytest.fixture(scope="module")
def shuffled(tmp_path_factory):
    """Articles of random words from a small vocabulary (compounds too), for proximity."""
    rng = random.Random(16)
    vocab = ["alfa", "beta", "gama", "delta", "alfa-beta", "beta-gama", "e-ktp"]
    articles = [article(f"r{i}", "Acak", " ".join(rng.choice(vocab) for _ in range(rng.randint(3, 25))),
                        date="2021-01-01") for i in range(60)]
    whoosh = build_whoosh(tmp_path_factory.mktemp("whoosh-shuffled"), articles)
    tantivy = build_tantivy(tmp_path_factory.mktemp("tantivy-shuffled"), articles, workers=0)
    yield whoosh.engine, tantivy
    whoosh.close()


def test_proximity_matches_whoosh_on_random_text(shuffled):
    rng = random.Random(6)
    words = ["alfa", "beta", "gama", "delta", "ktp", "e-ktp"]
    checked = nonempty = 0
    for _ in range(150):
        terms = tuple(rng.choice(words) for _ in range(rng.randint(2, 4)))
        node = P("body_exact", terms, rng.randint(1, 6))
        ids = same(shuffled, node)
        checked, nonempty = checked + 1, nonempty + (0 < len(ids) < 60)
    assert checked == 150 and nonempty >= 50


@pytest.mark.parametrize("query, ids", [
    ('"beta alfa"~1', {"span"}), ('"alfa gama"~5', {"span"}), ('"alfa gama"~4', set()),
    ('"gama alfa"~5', {"span"}), ('"alfa beta gama"~3', {"span"}), ('"alfa beta gama"~2', set()),
    ('"covid 19"~2', set()), ('"19 covid"~3', set()), ('"vaksin covid"~1', {"anak"}),
])
def test_proximity_windows(small, query, ids):
    assert same(small, parse_query(query).query) == ids


def test_the_proximity_bonus_reorders_only(small):
    parsed = parse_query("rapat malam")
    plain = found(small[1], parsed.query)
    near = found(small[1], parsed.query, near=parsed.bonus_queries(("near",)))
    assert plain == near and parsed.bonus_queries(("near",))


# -- caps ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def many_words(tmp_path_factory):
    letters = "abcdefghijklmnopqrstuvwxyz0123456789"
    words = [f"ka{x}{y}a" for x in letters for y in letters]      # 1,296 words, 2 edits from kata
    body = " ".join(words)
    articles = [article("kata", "Kata", body, date="2020-01-01")]
    whoosh = build_whoosh(tmp_path_factory.mktemp("whoosh-words"), articles)
    tantivy = build_tantivy(tmp_path_factory.mktemp("tantivy-words"), articles, workers=0)
    yield whoosh.engine, tantivy
    whoosh.close()


@pytest.mark.parametrize("query", ["ka*", "ka*a", "kata~2", "judul:kata~2 OR ka*"])
def test_expansion_caps_raise_the_same_error(many_words, query):
    errors = []
    for engine in many_words:
        parsed = parse_query(query)
        with pytest.raises(QuerySyntaxError) as caught:
            engine.search(parsed.query, query_text=query)
        errors.append((str(caught.value), caught.value.position))
    assert errors[0] == errors[1]
    assert "matches more than 1000 words; make it longer" in errors[0][0]


def test_patterns_under_the_cap_expand(many_words):
    assert same(many_words, parse_query("kaz*").query) == {"kata"}
    assert same(many_words, parse_query("kaza~1").query) == {"kata"}
    assert same(many_words, parse_query("lata~1").query) == set()      # same first letter only


# -- sorting and facets -------------------------------------------------------------------------

@pytest.mark.parametrize("sort", ["date", "-date"])
def test_sort_by_date_as_whoosh_sorts(small, sort):
    whoosh, tantivy = small
    dates = [[m.date for m in e.search(plan.Every(), limit=ALL, sort=sort).matches] for e in small]
    assert dates[1] == dates[0] and dates[1].count(None) == 1
    assert all(m.score is None for m in tantivy.search(plan.Every(), limit=3, sort=sort).matches)
    top = [[m.date for m in e.search(plan.Every(), limit=2, sort=sort).matches] for e in small]
    assert top[1] == top[0]


@pytest.mark.parametrize("query", ["presiden", "banjir OR gempa", "tanggal:2017", "indonesia -jakarta"])
def test_facets_count_as_whoosh(sample, query):
    whoosh, tantivy = sample
    parsed = parse_query(query)
    facets = FACET_FIELDS + DATE_FACETS
    groups = [e.search(parsed.query, limit=5, facets=facets).groups for e in sample]
    assert groups[1] == groups[0]
    assert all(groups[0][name] for name in facets if name != "section")   # IndoSum has none


def test_facets_leave_out_articles_without_a_value(small):
    whoosh, tantivy = small
    groups = [e.search(plan.Every(), limit=1, facets=FACET_FIELDS + DATE_FACETS).groups
              for e in small]
    assert groups[1] == groups[0]
    assert all("" not in counts and None not in counts for counts in groups[1].values())
    assert groups[1]["section"] == {"metro": 2, "nasional": 1}
    # 23:59:59 and midnight WIB fall on two days (a Tuesday and a Wednesday) of one week.
    assert (groups[1]["day"]["2022-03-15"], groups[1]["day"]["2022-03-16"]) == (1, 1)
    assert groups[1]["week"]["2022-03-14"] == 3          # with kremlin, Monday 14 March
    undated = 1                                     # the one undated article
    assert sum(groups[1]["month"].values()) == sum(groups[1]["day"].values()) \
        == sum(groups[1]["week"].values()) == tantivy.doc_count() - undated


def test_stats_counts(sample):
    whoosh, tantivy = sample
    assert tantivy.doc_count() == whoosh.doc_count() == 292
    assert tantivy.field_counts("outlet") == whoosh.field_counts("outlet")
    assert tantivy.field_counts("month") == whoosh.field_counts("month")


# -- writing ------------------------------------------------------------------------------------

def test_replacing_by_key_and_reopening(tmp_path):
    articles = [copy(a) for a in ARTICLES]
    engine = build_tantivy(tmp_path, articles, workers=0)
    changed = copy(articles[0])
    changed.body = "Isi baru: Kremlin membantah lagi soal gandum."
    write(engine, [changed], workers=0)
    assert engine.doc_count() == len(articles)
    assert found(engine, T("body", "gandum"))[0] == {changed.id}
    assert found(engine, T("body", "podolyak"))[0] == set()
    assert engine.document("key", changed.key)["hash"] == changed.content_hash()
    engine.close()
    reopened = TantivyEngine.open(tmp_path, "tantivy", "sastrawi")
    assert reopened.doc_count() == len(articles)
    assert found(reopened, T("body", "gandum"))[0] == {changed.id}


def test_has_lookup_raw_and_document(tmp_path):
    articles = [copy(a) for a in ARTICLES]
    articles[0].raw_hash, articles[4].raw_hash = "r" * 32, "u" * 32
    engine = build_tantivy(tmp_path, articles, workers=0)
    assert engine.has("key", articles[1].key) and not engine.has("key", "nope")
    assert engine.has("hash", articles[1].content_hash()) and not engine.has("hash", "0" * 32)
    assert engine.lookup_raw("r" * 32) == (articles[0].key, "dated")
    assert engine.lookup_raw("u" * 32) == (articles[4].key, "undated")
    assert engine.lookup_raw("x" * 32) is None
    stored = engine.document("id", "kpk")
    assert Article.from_dict(orjson.loads(stored["doc"])).body == articles[1].body
    assert stored["key"] == articles[1].key and stored["date"] == articles[1].date
    assert engine.document("url", articles[1].url_key)["id"] == "kpk"


def test_a_reader_sees_each_commit(tmp_path):
    engine = build_tantivy(tmp_path, [copy(ARTICLES[0])], workers=0)
    reader = TantivyEngine.open(tmp_path, "tantivy", "sastrawi")
    assert reader.doc_count() == 1
    write(engine, [copy(a) for a in ARTICLES[1:]], workers=0)
    assert reader.doc_count() == len(ARTICLES)


def test_one_writer_at_a_time(tmp_path):
    engine = build_tantivy(tmp_path, [copy(ARTICLES[0])], workers=0)
    with engine.writer(0):
        other = TantivyEngine.open(tmp_path, "tantivy", "sastrawi")
        with pytest.raises(IndexLockedError):
            other.writer(0)
    with other.writer(0):
        pass


def test_an_article_that_breaks_analysis_is_rejected_alone(tmp_path, monkeypatch):
    import carinews.engines.tantivy.writer as writer_module

    real = writer_module.fill_names

    def fill(article):
        if article.id == "kpk":
            raise RecursionError("maximum recursion depth exceeded")
        real(article)

    monkeypatch.setattr(writer_module, "fill_names", fill)
    engine = TantivyEngine.create(tmp_path, "tantivy", "sastrawi")
    outcomes = write(engine, [copy(a) for a in ARTICLES], workers=0)
    failed = [o for o in outcomes if o.error is not None]
    assert [(o.key, type(o.error).__name__, o.article.id) for o in failed] == [
        ("kompas.com/kpk", "RecursionError", "kpk")]
    assert engine.doc_count() == len(ARTICLES) - 1


def test_an_unstorable_record_is_stored_made_safe(tmp_path):
    odd = copy(ARTICLES[0])
    odd.title = "Judul \udcff rusak"
    odd.extra = {"a": {"b": {}}}
    for _ in range(200):
        odd.extra = {"x": odd.extra}
    engine = TantivyEngine.create(tmp_path, "tantivy", "sastrawi")
    (outcome,) = write(engine, [odd], workers=0)
    assert outcome.made_safe and outcome.error is None and outcome.article is not None
    stored = Article.from_dict(orjson.loads(engine.document("id", odd.id)["doc"]))
    assert stored.title == "Judul \\udcff rusak" and "judul" in found(engine, T("title", "judul"))[0] | {"judul"}


def test_a_dead_worker_fails_the_batch(tmp_path, monkeypatch):
    import carinews.engines.tantivy.writer as writer_module

    real = writer_module.fill_names

    def fill(article):
        if article.id.endswith("-70"):
            os._exit(3)
        real(article)

    monkeypatch.setattr(writer_module, "fill_names", fill)
    many = [Article(**{**ARTICLES[0].__dict__, "id": f"k-{i}", "url_key": f"x/{i}"}) for i in range(100)]
    engine = TantivyEngine.create(tmp_path, "tantivy", "sastrawi")
    with engine.writer(2) as writer:
        job = writer.submit([(a, a.content_hash()) for a in many], 7)
        with pytest.raises(WorkerDiedError) as caught:
            writer.collect(job)
    assert (caught.value.batch, caught.value.signal, caught.value.exitcode) == (7, None, 3)
    assert engine.doc_count() == 0


def test_a_killed_writer_leaves_the_last_commit(tmp_path):
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from conftest import ARTICLES
        from test_tantivy_engine import copy
        from carinews.engines.tantivy.engine import TantivyEngine
        engine = TantivyEngine.create({str(tmp_path)!r}, "tantivy", "sastrawi")
        writer = engine.writer(0)
        job = writer.submit([(copy(a), a.content_hash()) for a in ARTICLES[:2]])
        writer.collect(job); writer.commit(job, [])
        job = writer.submit([(copy(a), a.content_hash()) for a in ARTICLES[2:]])
        writer.collect(job)
        for doc in job.documents:
            writer._writer.add_json(doc)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    engine = TantivyEngine.open(tmp_path, "tantivy", "sastrawi")
    assert engine.doc_count() == 2
    write(engine, [copy(a) for a in ARTICLES[2:]], workers=0)       # the next writer carries on
    assert engine.doc_count() == len(ARTICLES)


def test_tantivy_is_the_version_the_engine_was_tested_with():
    # documents.py relies on how tantivy 0.27 numbers the positions of a field's values
    # (pre-tokenised compound parts before the text); pyproject pins it.
    import tantivy

    assert tantivy.__version__.startswith("tantivy v0.27.")


def test_lifecycle_of_named_indexes(tmp_path):
    build_tantivy(tmp_path, [copy(ARTICLES[0])], name="tantivy", workers=0)
    build_tantivy(tmp_path, [copy(ARTICLES[1])], name="tantivy-2", workers=0)
    (tmp_path / "tantivy-3").mkdir()
    (tmp_path / "tantivy-3" / "carinews-articles.zdict").write_bytes(b"")
    (tmp_path / "notes").mkdir()                   # not ours: never removed
    (tmp_path / "notes" / "meta.json").write_bytes(b"{}")
    assert TantivyEngine.exists(tmp_path, "tantivy") and not TantivyEngine.exists(tmp_path, "tantivy-3")
    assert TantivyEngine.next_name(tmp_path) == "tantivy-4"
    assert TantivyEngine.count(tmp_path, "tantivy-2") == 1 and TantivyEngine.count(tmp_path, "x") is None
    TantivyEngine.remove_leftovers(tmp_path, {"tantivy"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes", "tantivy"]
    TantivyEngine.remove(tmp_path, "tantivy")
    assert not TantivyEngine.exists(tmp_path, "tantivy")
