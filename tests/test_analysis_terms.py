"""analyze() and the Whoosh analyzers: golden terms, compounds, Whoosh protocol, pickling."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields, highlight, qparser
from whoosh.filedb.filestore import RamStorage

from carinews.analysis import ANALYSIS_VERSION, analyze
from carinews.engines.whoosh.analyzers import ExactAnalyzer, StemmedAnalyzer
from carinews.analysis.terms import Stream, analyze_many, positions_many, streams_many, word_terms_many
from carinews.analysis.filters import fold
from carinews.analysis.stem import STEMMERS, make_stemmer

GOLDEN = Path(__file__).parent / "golden" / "analysis" / "sentences.tsv"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "corpus" / "seed" / "serambinews-rusia-bantah-2022-03.txt"
INDOSUM = SHARED / "corpus" / "jsonl" / "indosum_dev.jsonl"

# Short real sentences: the seed page (Serambinews, March 2022) and IndoSum (CC BY-SA 4.0).
SENTENCES = [
    "Pemerintah Rusia membantah telah meminta bantuan militer China untuk menggempur Ukraina.",
    "Juru bicara Kremlin Dmitry Peskov mengataan laporan media yang menuduh bahwa Rusia "
    "meminta bantuan militer China tidakbenar.",
    "“Tidak, Rusia memiliki potensinya sendiri untuk melanjutkan operasi,” kata Peskov.",
    "Presiden Rusia Vladimir Putin telah memerintahkan militer untuk menahan diri dari "
    "penyerbuan segera kota-kota besar termasuk Kiev.",
    "Dia menambahkan pada saat yang sama, Kementerian Pertahanan memastikan keamanan "
    "maksimum penduduk sipil.",
    "Perundingan yang dilakukan melalui video conference itu merupakan putaran keempat "
    "yang pertama dilakukan dalam sepekan.",
    "Podolyak mengatakan pembicaraan dengan Rusia berakhir pada Senin, tetapi akan "
    "dilanjutkan pada Selasa (15/3/2022).",
    "Namun personel TNI terutama dibidik untuk mengisi pos-pos keamanan.",
    "Perubahan nota kesepahaman ditandatangi oleh Ketua KPK nonaktif Abraham Samad.",
    "😀 Harga e-KTP naik Rp 2.000 atau 1,5 persen; kasus Covid-19 di Bali turun.",
]


# Golden terms -------------------------------------------------------------------------------


def render_golden() -> str:
    lines = ["# analyzer<TAB>pos<TAB>start<TAB>end<TAB>surface<TAB>term; UPDATE_GOLDEN=1 rewrites"]
    for sentence in SENTENCES:
        lines.append(f"## {sentence}")
        for name in ("sastrawi", "none"):
            for term in analyze(sentence, name):
                surface = sentence[term.startchar : term.endchar]
                lines.append(
                    f"{name}\t{term.pos}\t{term.startchar}\t{term.endchar}\t{surface}\t{term.text}"
                )
    return "\n".join(lines) + "\n"


def test_golden_terms():
    rendered = render_golden()
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(rendered, encoding="utf-8")
    assert rendered == GOLDEN.read_text(encoding="utf-8")


# Compounds and positions --------------------------------------------------------------------


def texts(terms):
    return [(t.text, t.pos) for t in terms]


def test_reduplication_stems_to_base_and_exact_keeps_surface_and_base():
    text = "kota-kota besar"
    assert texts(analyze(text, "sastrawi")) == [("kota", 0), ("besar", 1)]
    assert texts(analyze(text, "none")) == [("kota-kota", 0), ("kota", 0), ("besar", 1)]


def test_compound_parts_share_the_position_and_have_own_offsets():
    text = "kasus Covid-19 dan pro-Rusia"
    terms = analyze(text, "sastrawi")
    assert texts(terms) == [
        ("kasus", 0), ("covid-19", 1), ("covid", 1), ("19", 1), ("dan", 2),
        ("pro-rusia", 3), ("pro", 3), ("rusia", 3),
    ]
    assert [text[t.startchar : t.endchar] for t in terms[1:4]] == ["Covid-19", "Covid", "19"]


def test_one_letter_parts_are_not_terms():
    assert texts(analyze("e-KTP", "none")) == [("e-ktp", 0), ("ktp", 0)]


def test_query_mode_gives_one_term_per_word():
    assert texts(analyze("Covid-19 kota-kota", "none", mode="query")) == [
        ("covid-19", 0), ("kota-kota", 1),
    ]
    assert texts(analyze("kota-kota", "sastrawi", mode="query")) == [("kota", 0)]


def test_stopwords_are_kept():
    assert [t.text for t in analyze("tidak benar", "sastrawi")] == ["tidak", "benar"]


# Whoosh protocol ----------------------------------------------------------------------------


def test_whoosh_token_protocol():
    analyzer = StemmedAnalyzer()
    tokens = [
        (t.text, t.pos, t.startchar, t.endchar, t.original)
        for t in analyzer(
            "Rusia menyerang", positions=True, chars=True, keeporiginal=True,
            start_pos=10, start_char=100, mode="index",
        )
    ]
    assert tokens == [("rusia", 10, 100, 105, "Rusia"), ("serang", 11, 106, 115, "menyerang")]


def test_whoosh_untokenized_value_is_one_term():
    assert [t.text for t in StemmedAnalyzer()("Menyerang Bali", tokenize=False)] == [
        "menyerang bali"
    ]


def test_no_morph_skips_stemming():
    assert [t.text for t in StemmedAnalyzer()("menyerang", no_morph=True)] == ["menyerang"]


@pytest.mark.parametrize("analyzer", [StemmedAnalyzer(), StemmedAnalyzer("snowball"), ExactAnalyzer()])
def test_pickle_round_trip(analyzer):
    copy = pickle.loads(pickle.dumps(analyzer))
    assert copy == analyzer and type(copy) is type(analyzer)
    text = SENTENCES[-1]
    assert [t.text for t in copy(text)] == [t.text for t in analyzer(text)]


def test_analyzers_pickle_as_settings_only():
    assert StemmedAnalyzer("snowball").__dict__ == {"stemmer": "snowball"}
    assert ExactAnalyzer().__dict__ == {}


def test_unknown_stemmer_is_refused():
    with pytest.raises(ValueError):
        StemmedAnalyzer("porter")


def test_analysis_version_names_libraries_and_data():
    for part in ("icu/", "pysastrawi/", "pystemmer/", "data/"):
        assert part in ANALYSIS_VERSION


# Searching a Whoosh index -------------------------------------------------------------------

DOCS = [
    "Penyerbuan segera kota-kota besar termasuk Kiev.",
    "Kasus Covid-19 di Bali turun; pendaftaran e-KTP dibuka.",
    "Peskov mengatakan laporan itu tidak benar.",
    "Kelompok pro-Rusia menyerang pos militer.",
    "Benar, pasukan tidak menyerang.",
]


@pytest.fixture(scope="module")
def searcher():
    schema = fields.Schema(
        n=fields.STORED,
        body=fields.TEXT(analyzer=StemmedAnalyzer(), stored=True),
        body_exact=fields.TEXT(analyzer=ExactAnalyzer()),
    )
    index = RamStorage().create_index(schema)
    with index.writer() as writer:
        for n, text in enumerate(DOCS):
            writer.add_document(n=n, body=text, body_exact=text)
    with index.searcher() as searcher:
        yield searcher


def hits(searcher, field, query):
    parsed = qparser.QueryParser(field, searcher.schema).parse(query)
    return sorted(hit["n"] for hit in searcher.search(parsed))


@pytest.mark.parametrize(
    "field, query, expected",
    [
        ("body_exact", "kota", [0]),
        ("body_exact", "kota-kota", [0]),
        ("body", "kota", [0]),
        ("body", "covid", [1]),
        ("body", "covid-19", [1]),
        ("body_exact", "Covid-19", [1]),
        ("body", "ktp", [1]),
        ("body", "rusia", [3]),
        ("body", "serangan", [3, 4]),
        ("body", "Bali", [1]),
        ("body", '"tidak benar"', [2]),
        ("body_exact", '"kota-kota besar"', [0]),
        ("body", '"pro-rusia menyerang"', [3]),
    ],
)
def test_search(searcher, field, query, expected):
    assert hits(searcher, field, query) == expected


def test_highlight_marks_compound_part(searcher):
    parsed = qparser.QueryParser("body", searcher.schema).parse("covid")
    results = searcher.search(parsed)
    results.formatter = highlight.UppercaseFormatter()
    assert "COVID" in results[0].highlights("body")


# Properties ---------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    list("abcdeKTPzé019 .,-'’")
    + ["\u0301", "\u200b", "\u00ad", "\u2010", "\u2011", "😀", "👍🏽", "🇮🇩", "日", "\n", "\ud800"]
    + ["kota", "Covid", "Bali", "menyerang", "anak-anak"]
)
_TEXTS = st.one_of(st.lists(_PIECES, max_size=40).map("".join), st.text(max_size=80))


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.sampled_from(STEMMERS), st.sampled_from(["index", "query"]))
def test_offsets_slice_back_to_the_term(text, stemmer, mode):
    stem = make_stemmer(stemmer)
    last_pos = 0
    for term in analyze(text, stemmer, mode):
        assert 0 <= term.startchar < term.endchar <= len(text)
        assert last_pos <= term.pos <= last_pos + 1
        assert term.text and stem(fold(text[term.startchar : term.endchar])) == term.text
        last_pos = term.pos


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_analyzers_survive_random_text(text):
    for analyzer in (StemmedAnalyzer(), ExactAnalyzer()):
        for token in analyzer(text, positions=True, chars=True, mode="index"):
            assert text[token.startchar : token.endchar]


def _grouped(text: str, stemmers: tuple[str, ...]) -> list[dict[str, list[int]]]:
    """`positions_many`'s answer computed the plain way, from `analyze_many`."""
    tables: list[dict[str, list[int]]] = [{} for _ in stemmers]
    for table, terms in zip(tables, analyze_many(text, stemmers)):
        for term in terms:
            table.setdefault(term.text, []).append(term.pos)
    return tables


def test_positions_many_merges_spellings_of_one_term_in_order():
    text = "Serangan itu menyerang e-KTP. Diserang lagi, serangan-serangan e-KTP dan Covid-19 2019-2020."
    stemmed, exact = positions_many(text, ("sastrawi", "none"))
    assert stemmed["serang"] == [0, 2, 4, 6]
    assert exact["serangan"] == [0, 6]             # the word, then the part of a compound
    assert exact["serangan-serangan"] == [6] and "serangan" not in stemmed
    assert stemmed["e-ktp"] == stemmed["ktp"] == [3, 7]
    assert exact["covid-19"] == exact["covid"] == exact["19"] == [9]
    assert exact["2019"] == exact["2020"] == [10]
    assert (stemmed, exact) == tuple(_grouped(text, ("sastrawi", "none")))


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.sampled_from(STEMMERS))
def test_positions_many_equals_grouped_analysis(text, stemmer):
    assert positions_many(text, (stemmer, "none")) == _grouped(text, (stemmer, "none"))


def test_positions_many_equals_grouped_analysis_on_the_sample():
    import carinews

    articles = list(carinews.read_articles(carinews.sample_paths()))
    assert len(articles) > 200
    for article in articles:
        for text in (article.title, article.body):
            assert positions_many(text, ("sastrawi", "none")) == _grouped(text, ("sastrawi", "none"))


def _by_position(text: str, stemmers: tuple[str, ...]) -> list:
    """`word_terms_many`'s answer computed the plain way: each position's span (its word's
    own term) and its terms per stemmer, from `analyze_many`."""
    words: dict[int, tuple] = {}
    for k, terms in enumerate(analyze_many(text, stemmers)):
        for term in terms:
            start, end, sets = words.setdefault(term.pos, (term.startchar, term.endchar,
                                                        [set() for _ in stemmers]))
            sets[k].add(term.text)
    return [(start, end, tuple(frozenset(x) for x in sets)) for start, end, sets in
            (words[pos] for pos in sorted(words))]


def test_word_terms_many_gives_each_position_its_span_and_terms():
    text = "Vaksin Covid-19 di kota-kota; diserang\u00ad lagi \u00ad e-KTP."
    got = word_terms_many(text, ("sastrawi", "none"))
    assert [text[s:e] for s, e, _ in got] == ["Vaksin", "Covid-19", "di", "kota-kota", "diserang\u00ad",
                                             "lagi", "e-KTP"]
    assert got[1][2] == (frozenset({"covid-19", "covid", "19"}),) * 2
    assert got[4][2] == (frozenset({"serang"}), frozenset({"diserang"}))
    assert got == _by_position(text, ("sastrawi", "none"))


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.sampled_from(STEMMERS))
def test_word_terms_many_equals_the_analysis_by_position(text, stemmer):
    assert word_terms_many(text, (stemmer, "none")) == _by_position(text, (stemmer, "none"))


def _streams(text: str, stemmers: tuple[str, ...]) -> list[Stream]:
    """`streams_many` computed the slow way, from `analyze_many`."""
    streams = []
    for terms in analyze_many(text, stemmers):
        words, parts = [], []
        for term in terms:
            if term.pos == len(words):
                words.append(term.text)
            else:
                parts.append((term.text, term.pos))
        streams.append(Stream(words, parts))
    return streams


def test_streams_many_puts_compound_parts_at_the_compound_position():
    text = "Vaksin Covid-19 untuk e-KTP di kota-kota, serangan-serangan 2019-2020."
    stemmed, exact = streams_many(text, ("sastrawi", "none"))
    assert exact.words == ["vaksin", "covid-19", "untuk", "e-ktp", "di", "kota-kota",
                           "serangan-serangan", "2019-2020"]
    assert exact.parts == [("covid", 1), ("19", 1), ("ktp", 3), ("kota", 5), ("serangan", 6),
                           ("2019", 7), ("2020", 7)]
    assert stemmed.words[5:7] == ["kota", "serang"] and ("kota", 5) not in stemmed.parts
    assert [stemmed, exact] == _streams(text, ("sastrawi", "none"))


def test_streams_many_skips_words_of_ignorable_characters():
    text = "harga \u00ad naik \u200b turun"
    assert streams_many(text, ("none",)) == _streams(text, ("none",))
    assert streams_many(text, ("none",))[0].words == ["harga", "naik", "turun"]


@settings(max_examples=300, deadline=None)
@given(_TEXTS, st.sampled_from(STEMMERS))
def test_streams_many_equals_the_analysis_in_order(text, stemmer):
    assert streams_many(text, (stemmer, "none")) == _streams(text, (stemmer, "none"))


def test_streams_many_equals_the_analysis_in_order_on_the_sample():
    import carinews

    for article in carinews.read_articles(carinews.sample_paths()):
        for text in (article.title, article.body):
            assert streams_many(text, ("sastrawi", "none")) == _streams(text, ("sastrawi", "none"))


# Real pages (skipped without ../shared) ----------------------------------------------------


def test_seed_page_offsets_and_names():
    if not SEED.exists():
        pytest.skip("../shared corpus not available")
    text = SEED.read_text(encoding="utf-8")
    terms = analyze(text)
    exact = analyze(text, "none")
    for term in exact:
        assert fold(text[term.startchar : term.endchar]) == term.text
    words = {t.text for t in terms}
    assert {"kremlin", "peskov", "podolyak", "rusia", "bantah", "pekan", "kota"} <= words
    assert "kota-kota" in {t.text for t in exact}


def test_indosum_bodies_analyse_consistently():
    if not INDOSUM.exists():
        pytest.skip("../shared corpus not available")
    with INDOSUM.open(encoding="utf-8") as lines:
        bodies = [json.loads(next(lines))["body"] for _ in range(50)]
    for body in bodies:
        stemmed = analyze(body)
        exact = analyze(body, "none", mode="query")
        assert [t.startchar for t in analyze(body, "sastrawi", "query")] == [
            t.startchar for t in exact
        ]
        assert stemmed[-1].pos == exact[-1].pos
