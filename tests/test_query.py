"""query/parse.py: plans, WIB day bounds, relaxing, highlights, explain, limits (searched on Whoosh)."""

from __future__ import annotations

import itertools
import string
from datetime import date, datetime, timedelta, timezone

import pytest

from carinews.archive import Archive
from carinews.engines.whoosh.compile import WhooshCompiler
from carinews.errors import DateParseError, QuerySyntaxError
from carinews.ingest.articles import Article
from carinews.query import plan
from carinews.query.parse import MAX_EXPANSIONS, ParsedQuery, parse_date_bound, parse_query

WIB = timezone(timedelta(hours=7))


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


def make_archive(path, articles: list[Article]) -> Archive:
    with Archive.create(path) as archive:
        archive.add(articles)
    return Archive.open(path)


def ids(archive: Archive, text: str, **options) -> list[str]:
    parsed = parse_query(text, **options)
    results = archive.searcher().search(WhooshCompiler(text).compile(parsed.query), limit=None)
    return sorted(hit["id"] for hit in results)


def both(make):
    return plan.Or((make("title"), make("body")))


def both_exact(make):
    return plan.Or((make("title_exact"), make("body_exact")))


def art(id: str, body: str, date: datetime | None = None, title: str = "Berita") -> Article:
    return Article(id=id, title=title, body=body, date=date, names=["Contoh"])


# --- WIB day boundaries ------------------------------------------------------------

@pytest.fixture
def boundary_archive(tmp_path):
    archive = make_archive(tmp_path / "ix", [
        art("late", "Peskov berbicara larut malam.", wib(2022, 3, 15, 23, 30)),   # 16:30 UTC, 15 Mar
        art("early", "Peskov berbicara dini hari.", wib(2022, 3, 16, 0, 30)),     # 17:30 UTC, 15 Mar
        art("midnight", "Peskov berbicara tepat tengah malam.", wib(2022, 3, 16, 0, 0)),
        art("undated", "Peskov berbicara entah kapan."),
    ])
    yield archive
    archive.close()


def test_day_is_a_wib_calendar_day(boundary_archive):
    assert ids(boundary_archive, "tanggal:2022-03-15") == ["late"]
    assert ids(boundary_archive, "tanggal:2022-03-16") == ["early", "midnight"]
    assert ids(boundary_archive, 'tanggal:"15 Maret 2022"') == ["late"]
    assert ids(boundary_archive, "tanggal:15/3/2022") == ["late"]


def test_named_zone_overrides_wib(boundary_archive):
    assert ids(boundary_archive, 'tanggal:"2022-03-15 UTC"') == ["early", "late", "midnight"]


def test_date_range_is_the_wib_day():
    parsed = parse_query("Peskov tanggal:2022-03-15")
    assert parsed.query.children[-1] == plan.DateRange(wib(2022, 3, 15), wib(2022, 3, 16))
    assert (parsed.date_from, parsed.date_to) == (wib(2022, 3, 15), wib(2022, 3, 16))
    assert parsed.date_from.utcoffset() == timedelta(hours=7)


def test_undated_articles_never_match_a_date_filter(boundary_archive):
    assert ids(boundary_archive, "Peskov") == ["early", "late", "midnight", "undated"]
    assert ids(boundary_archive, "Peskov tanggal:2000..") == ["early", "late", "midnight"]
    assert ids(boundary_archive, "Peskov -tanggal:2022-03-16") == ["late"]
    assert ids(boundary_archive, "Peskov NOT tanggal:2022") == []
    assert ids(boundary_archive, "Peskov", since="2000") == ["early", "late", "midnight"]


def test_since_until_take_the_same_forms(boundary_archive):
    assert ids(boundary_archive, "Peskov", since="2022-03-16") == ["early", "midnight"]
    assert ids(boundary_archive, "Peskov", until="15/3/2022") == ["late"]
    assert ids(boundary_archive, "Peskov", since="15 Maret 2022", until="2022-03-15") == ["late"]
    assert ids(boundary_archive, "Peskov", since=date(2022, 3, 16)) == ["early", "midnight"]
    assert ids(boundary_archive, "Peskov", until=wib(2022, 3, 16)) == ["late"]


def test_since_until_intersect_with_query_dates():
    parsed = parse_query("Peskov tanggal:2022", since="2022-03", until="2023-06")
    assert (parsed.date_from, parsed.date_to) == (wib(2022, 3, 1), wib(2023, 1, 1))


def test_parse_date_bound():
    assert parse_date_bound("2022-03", "since") == wib(2022, 3, 1)
    assert parse_date_bound("2022-03", "until") == wib(2022, 4, 1)
    assert parse_date_bound("15/3/2022", "until") == wib(2022, 3, 16)
    assert parse_date_bound("Maret 2022", "since") == wib(2022, 3, 1)
    assert parse_date_bound("2022", "until") == wib(2023, 1, 1)
    with pytest.raises(DateParseError) as info:
        parse_date_bound("kemarin", "since")
    assert str(info.value) == "unrecognised date: 'kemarin'"


def test_contradicting_dates_match_nothing(boundary_archive):
    parsed = parse_query("Peskov tanggal:2022", since="2023")
    assert ids(boundary_archive, "Peskov tanggal:2022", since="2023") == []
    assert "empty" in parsed.explain()


# --- words, phrases, proximity -----------------------------------------------------

def test_plain_words_use_stemmed_fields_quoted_use_exact():
    parsed = parse_query('menyerang "menyerang"')
    first, second = parsed.query.children
    assert first == both(lambda f: plan.Term(f, "serang"))
    assert second == both_exact(lambda f: plan.Term(f, "menyerang"))


@pytest.mark.parametrize("word, stemmed, exact", [
    ("Covid-19", "covid-19", "covid-19"),
    ("kota-kota", "kota", "kota-kota"),
    ("e-KTP", "e-ktp", "e-ktp"),
    ("Peskov", "peskov", "peskov"),
])
def test_query_words_are_analysed_like_the_index(word, stemmed, exact):
    assert parse_query(word).query == both(lambda f: plan.Term(f, stemmed))
    quoted = parse_query(f'"{word}"').query
    assert quoted == both_exact(lambda f: plan.Term(f, exact))


def test_proximity_is_a_sloppy_exact_phrase():
    parsed = parse_query('"Jokowi ijazah"~5')
    assert parsed.query == both_exact(lambda f: plan.Phrase(f, ("jokowi", "ijazah"), 5))


def test_proximity_either_order_within_distance(tmp_path):
    archive = make_archive(tmp_path / "ix", [
        art("forward", "Jokowi satu dua tiga ijazah"),            # 4 positions apart
        art("backward", "ijazah satu dua tiga Jokowi"),
        art("far", "Jokowi satu dua tiga empat lima enam ijazah"),  # 7 apart
    ])
    assert ids(archive, '"Jokowi ijazah"~4') == ["backward", "forward"]
    assert ids(archive, '"ijazah Jokowi"~4') == ["backward", "forward"]
    assert ids(archive, '"Jokowi ijazah"~3') == []
    assert ids(archive, '"Jokowi ijazah"~7') == ["backward", "far", "forward"]
    assert ids(archive, '"Jokowi ijazah"') == []
    archive.close()


def test_fields_map_to_schema_fields():
    assert parse_query("judul:Peskov").query == plan.Term("title", "peskov")
    assert parse_query("isi:Peskov").query == plan.Term("body", "peskov")
    assert parse_query('judul:"Peskov"').query == plan.Term("title_exact", "peskov")
    assert parse_query("sumber:Kompas.com").query == plan.Term("source", "kompas.com")
    assert parse_query("rubrik:Hukum").query == plan.Term("section", "hukum")
    assert parse_query('nama:"Dmitry Peskov"').query == plan.Phrase("names", ("dmitry", "peskov"))
    assert parse_query('penulis:"Rina Sari"').query == plan.Phrase("author", ("rina", "sari"))
    assert parse_query("url:https://www.kompas.com/a/").query == plan.Term("url", "https://kompas.com/a")


def test_fuzzy_is_a_bounded_fuzzy_pattern_on_exact_fields():
    assert parse_query("Peskof~").query == both_exact(
        lambda f: plan.Fuzzy(f, "peskof", "'peskof~2'", 0, maxdist=2, prefix_length=1))
    assert parse_query("Jokow~1").query.children[0].maxdist == 1


def test_prefix_is_bounded_on_exact_fields():
    assert parse_query("Korup*").query == both_exact(lambda f: plan.Prefix(f, "korup", "'korup*'", 0))


def test_expansion_over_the_limit_is_refused(tmp_path):
    letters = ("".join(p) for p in itertools.product(string.ascii_lowercase, repeat=3))
    words = ["ab" + next(letters) for _ in range(MAX_EXPANSIONS + 1)]
    archive = make_archive(tmp_path / "ix", [art("many", " ".join(words))])
    with pytest.raises(QuerySyntaxError) as info:
        archive.search("ab*")
    assert info.value.reason == f"'ab*' matches more than {MAX_EXPANSIONS} words; make it longer"
    assert info.value.position == 0
    assert archive.search("abaa*").total == 1      # 26 words: fine
    assert archive.search("ab*z").total == 1       # 39 matching words: fine
    archive.close()


# --- booleans, relaxing, leniency --------------------------------------------------

def test_relaxed_is_any_word_with_filters_and_exclusions_kept():
    parsed = parse_query("Jokowi ijazah -sekolah sumber:kompas tanggal:2023")
    relaxed = parsed.relaxed
    assert isinstance(relaxed, plan.And)
    any_word, *required = relaxed.children
    assert any_word == plan.Or(parsed.query.children[:2])
    assert required == [plan.Not(both(lambda f: plan.Term(f, "sekolah"))),
                        plan.Term("source", "kompas"),
                        plan.DateRange(wib(2023, 1, 1), wib(2024, 1, 1))]


@pytest.mark.parametrize("text", ["Jokowi", '"operasi tangkap tangan"', "Jokowi OR ijazah",
                                  "Jokowi -sekolah", "Jokowi sumber:kompas", "Jokowi tanggal:2022"])
def test_no_relaxed_form_when_relaxing_changes_nothing(text):
    assert parse_query(text).relaxed is None


def test_only_exclusions():
    parsed = parse_query("-sekolah")
    assert "only excluded words: showing every other article" in parsed.notes
    with pytest.raises(QuerySyntaxError):
        parse_query("-sekolah", strict=True)
    assert parse_query("-sekolah tanggal:2022").notes == []


@pytest.mark.parametrize("text", ["", "   ", "OR", "AND NOT", "( )", "-", '""', "ATAU DAN TIDAK", "\u200b"])
def test_empty_query(text):
    for strict in (False, True):
        with pytest.raises(QuerySyntaxError) as info:
            parse_query(text, strict=strict)
        assert info.value.reason.startswith("empty query")
        assert info.value.position == 0


def test_unsearchable_words_are_dropped_with_a_note():
    parsed = parse_query("😀 Peskov")
    assert parsed.query == both(lambda f: plan.Term(f, "peskov"))
    assert parsed.notes == ["ignored '😀' at column 1: nothing searchable in it"]


def test_lenient_notes_reach_the_parsed_query():
    parsed = parse_query("Jokowi ijazah)")
    assert parsed.notes == ["ignored a stray ')' at column 14"]
    with pytest.raises(QuerySyntaxError, match="unmatched '\\)' at column 14"):
        parse_query("Jokowi ijazah)", strict=True)


# --- highlight and explain ---------------------------------------------------------

def test_highlight_terms():
    parsed = parse_query('menyerang "operasi tangkap tangan" "Kremlin" korup* Peskof~ '
                         '"Jokowi ijazah"~5 nama:"Dmitry Peskov" -sekolah sumber:kompas Covid-19')
    h = parsed.highlight
    assert h.stems == {"serang", "covid-19"}
    assert h.words == {"kremlin", "jokowi", "ijazah"}
    assert h.fuzzy == {("peskof", 2)}
    assert h.prefixes == {"korup"}
    assert ("exact", ("operasi", "tangkap", "tangan")) in h.phrases
    assert ("exact", ("dmitry", "peskov")) in h.phrases
    assert "sekolah" not in h.stems and "kompas" not in h.words
    assert h.stemmer == "sastrawi"


def test_explain_names_stems_exact_forms_and_window():
    text = parse_query('menyerang "operasi tangkap tangan" -sekolah tanggal:2022-03').explain()
    assert 'word "menyerang" -> stem "serang" (any form) in title, body' in text
    assert 'exact phrase "operasi tangkap tangan" (consecutive words) in title, body' in text
    assert 'not: word "sekolah"' in text
    assert ("date window (WIB): from 2022-03-01 00:00 (inclusive) to 2022-04-01 00:00 (exclusive)"
            " = days 2022-03-01..2022-03-31") in text


def test_parsed_query_fields():
    parsed = parse_query("Peskov")
    assert isinstance(parsed, ParsedQuery)
    assert parsed.text == "Peskov" and parsed.notes == [] and parsed.date_from is None
    assert parsed.bonus_queries() == [both_exact(lambda f: plan.Term(f, "peskov"))]


def test_other_stemmers(tmp_path):
    assert parse_query("menyerang", stemmer="none").query.children[0] == plan.Term("title", "menyerang")
