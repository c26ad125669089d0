"""The web layer's pure parts: query refinements, the chart's buckets and bars, language."""

from __future__ import annotations

import pytest

from carinews.web import chart, refine
from carinews.web.i18n import choose_language, format_count, format_date
from carinews.web.views import http_url, marked, safe_text


@pytest.mark.parametrize("field, value, expected", [
    ("sumber", "kompas.com", "sumber:kompas.com"),
    ("nama", "Sri Mulyani", 'nama:"Sri Mulyani"'),
    ("nama", 'Budi "Jago" Santoso', 'nama:"Budi Jago Santoso"'),
    ("rubrik", "hukum(kriminal)", 'rubrik:"hukum(kriminal)"'),
    ("nama", "-Peskov", 'nama:"-Peskov"'),
])
def test_clause_quotes_what_the_query_language_would_misread(field, value, expected):
    assert refine.clause(field, value) == expected


def test_clauses_are_added_once_and_removed_exactly():
    q = refine.with_clause("jakarta", "sumber:kompas.com")
    assert q == "jakarta sumber:kompas.com"
    assert refine.with_clause(q, "sumber:kompas.com") == q
    assert refine.without_clause(q, "sumber:kompas.com") == "jakarta"
    assert refine.without_clause("sumber:kompas.comx jakarta", "sumber:kompas.com") == \
        "sumber:kompas.comx jakarta"


def test_with_dates_replaces_plain_date_clauses_only():
    assert refine.with_dates("banjir tanggal:2022 sumber:x", "tanggal:2022-03") == \
        "banjir sumber:x tanggal:2022-03"
    assert refine.with_dates('banjir tanggal:"15 Maret 2022"', "tanggal:2022-03") == \
        'banjir tanggal:"15 Maret 2022" tanggal:2022-03'
    assert refine.with_dates("-tanggal:2022 banjir", "tanggal:2021") == \
        "-tanggal:2022 banjir tanggal:2021"


@pytest.mark.parametrize("since, until, expected", [
    ("2022-03-01", "2022-03-15", "tanggal:2022-03-01..2022-03-15"),
    ("2022-03-01", "", "tanggal:2022-03-01.."),
    ("", "2022-03-15", "tanggal:..2022-03-15"),
    ("2022-03-01", "2022-03-01", "tanggal:2022-03-01"),
    ("15 Maret 2022", None, 'tanggal:"15 Maret 2022"..'),
    ("", "", None), (None, None, None),
])
def test_range_clause(since, until, expected):
    assert refine.range_clause(since, until) == expected


def test_week_bar_is_monday_to_sunday():
    assert refine.date_clause("week", "2022-03-14") == "tanggal:2022-03-14..2022-03-20"
    assert refine.date_clause("month", "2022-03") == "tanggal:2022-03"


DAYS = [["2022-03-13", 1], ["2022-03-14", 2], ["2022-05-01", 3]]


def test_aggregate_days_into_weeks_months_years():
    assert chart.aggregate("week", DAYS) == [["2022-03-07", 1], ["2022-03-14", 2], ["2022-04-25", 3]]
    assert chart.aggregate("month", DAYS) == [["2022-03", 3], ["2022-05", 3]]
    assert chart.aggregate("year", DAYS) == [["2022", 6]]


def test_interval_is_the_finest_with_few_bars_unless_asked():
    assert chart.choose_interval(DAYS, None) == "day"                 # 50 days
    long = [["2008-01-01", 1], ["2025-12-01", 1]]
    assert chart.choose_interval(long, None) == "year"
    assert chart.choose_interval(long, "month") == "month"           # 216 bars: allowed
    assert chart.choose_interval(long, "day") == "month"             # 6,500: too many
    assert chart.choose_interval([], None) == "month"


def test_buckets_fill_gaps_with_zeros_and_bars_link_their_window():
    assert chart.buckets("month", [["2022-11", 2], ["2023-02", 1]]) == [
        ("2022-11", 2), ("2022-12", 0), ("2023-01", 0), ("2023-02", 1)]
    bars, axis = chart.layout("month", [["2022-11", 2], ["2023-02", 1]])
    assert [(b.label, b.count, b.clause) for b in bars] == [
        ("2022-11", 2, "tanggal:2022-11"), ("2022-12", 0, "tanggal:2022-12"),
        ("2023-01", 0, "tanggal:2023-01"), ("2023-02", 1, "tanggal:2023-02")]
    assert bars[0].height == 2 * bars[3].height and bars[1].height == 0
    assert [a[1:] for a in axis] == [("2022-11", "middle"), ("2022-12", "middle"),
                                     ("2023-01", "middle"), ("2023-02", "middle")]
    assert all(0 <= b.x and b.x + b.width <= chart.WIDTH for b in bars)


def test_a_lone_bar_is_not_the_whole_chart():
    bars, axis = chart.layout("day", [["2022-03-14", 5]])
    assert bars[0].width == chart.MAX_BAR_WIDTH
    assert bars[0].x == (chart.WIDTH - chart.MAX_BAR_WIDTH) / 2


def test_language_negotiation_details():
    assert choose_language("in") == "id"
    assert choose_language("en;q=abc,id;q=0.1") == "id"
    assert choose_language("en-GB;q=0.9, id;q=0.9") == "id"             # a tie: Indonesian
    assert choose_language("id", override="en") == "en"
    assert choose_language("en", override="fr") == "en"


def test_dates_and_counts_per_language():
    from datetime import datetime, timedelta, timezone

    wita = datetime(2022, 3, 15, 0, 30, tzinfo=timezone(timedelta(hours=8)))
    assert format_date(wita, "id") == "14 Mar 2022 23.30 WIB"
    assert format_date(wita, "en") == "14 Mar 2022 23:30 WIB"
    assert (format_count(12345, "id"), format_count(12345, "en")) == ("12.345", "12,345")


def test_safe_text_and_marks():
    assert safe_text("a\x1b[31mb\u202ec\u2066d") == "a\ufffd[31mb\ufffdc\ufffdd"
    assert str(marked('<b>"x"</b> kata', [(11, 15)])) == \
        "&lt;b&gt;&quot;x&quot;&lt;/b&gt; <mark>kata</mark>"


@pytest.mark.parametrize("url, kept", [
    ("https://kompas.com/a", True), ("HTTP://kompas.com/a", True),
    ("javascript:alert(1)", False), (" javascript:alert(1)", False), ("JaVaScRiPt:x", False),
    ("data:text/html,x", False), ("//kompas.com/a", False), ("https://", False),
    ("https://kompas.com/\x1b[31m", False), ("https://kompas.com/a b", False), ("", False),
    ("vbscript:x", False), ("https://[::1", False),
])
def test_http_url(url, kept):
    assert http_url(url) == (url if kept else None)
    assert http_url(None) is None


def test_result_cache_drops_the_least_recently_used():
    from carinews.web.holder import ResultCache

    cache = ResultCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert (cache.get("b"), cache.get("a"), cache.get("c")) == (None, 1, 3)
    none = ResultCache(0)
    none.put("a", 1)
    assert none.get("a") is None


def test_holder_answers_a_repeated_search_from_the_cache_until_a_commit(tmp_path, articles):
    from carinews.archive import Archive
    from carinews.web.holder import ArchiveHolder

    with Archive.create(tmp_path / "ix") as arch:
        arch.add(articles[:1])
    holder = ArchiveHolder(tmp_path / "ix")
    first = holder.search("Kremlin OR narkoba", limit=5)
    assert holder.search("Kremlin OR narkoba", limit=5) is first
    assert holder.search("Kremlin OR narkoba", limit=6) is not first
    with Archive.create(tmp_path / "ix") as arch:
        arch.add(articles[1:])
    fresh = holder.search("Kremlin OR narkoba", limit=5)
    assert (first.total, fresh.total) == (1, 2)
    assert (holder.cache.hits, holder.cache.misses) == (1, 3)
    holder.close()


def test_date_labels():
    from datetime import datetime

    from carinews.ingest.dates import WIB
    from carinews.web.views import date_label

    assert date_label(None, False, "id") == "tanpa tanggal"
    assert date_label(datetime(2022, 3, 15, tzinfo=WIB), True, "id") == \
        "15 Mar 2022 (tanggal diperkirakan)"
    assert date_label(datetime(2022, 3, 15, 9, 5, tzinfo=WIB), True, "en") == \
        "15 Mar 2022 09:05 WIB (date inferred)"
    assert date_label(datetime(2022, 3, 15, tzinfo=WIB), False, "id") == "15 Mar 2022 00.00 WIB"


def test_metadata_rows_say_where_each_field_came_from():
    from carinews.web.views import metadata_rows
    from conftest import article

    item = article("a1", "Judul", "Isi.", date="2022-03-14T20:00", source="kompas.com",
                   author="Rina", field_sources={"title": "meta:og:title", "author": "byline"},
                   extra={"keywords": ["a", "b"]}, origin="berita.jsonl:3")
    rows = {name: (value, origin) for name, value, origin in metadata_rows(item, "id")}
    assert rows["title"] == ("Judul", "meta:og:title")
    assert rows["author"] == ("Rina", "byline")
    assert rows["source"] == ("kompas.com", "rekaman sumber")
    assert rows["date"] == ("14 Mar 2022 20.00 WIB (2022-03-14T20:00:00+07:00)", "field:date")
    assert rows["extra.keywords"] == ('["a","b"]', "rekaman sumber")
    assert rows["origin"] == ("berita.jsonl:3", "dihitung")
