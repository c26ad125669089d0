"""search.py additions for browsing: offset paging, day/week and section facets, undated last."""

from __future__ import annotations

import pytest

from carinews.archive import Archive
from carinews.engines.prepare import day_of, week_of
from carinews.errors import SearchOptionError
from conftest import article


def ids(result) -> list[str]:
    return [hit.id for hit in result.hits]


@pytest.mark.parametrize("sort", ["relevance", "date", "-date"])
def test_pages_are_slices_of_one_long_result(segmented_sample, sort):
    # Two words: the proximity bonus reorders the best 200 hits, deeper pages included.
    whole = ids(segmented_sample.search("jakarta indonesia", limit=60, sort=sort))
    pages = [ids(segmented_sample.search("jakarta indonesia", limit=10, offset=o, sort=sort))
             for o in range(0, 60, 10)]
    assert len(whole) == 60
    assert [i for page in pages for i in page] == whole


def test_offset_past_the_end_gives_no_hits_and_the_total(archive):
    result = archive.search("kremlin", offset=10)
    assert (result.total, result.hits) == (1, [])


@pytest.mark.parametrize("offset", [-1, 9_991])
def test_offset_bounds(archive, offset):
    with pytest.raises(SearchOptionError) as caught:
        archive.search("kremlin", offset=offset)
    assert (caught.value.option, caught.value.value) == ("offset", offset)


def test_newest_first_puts_undated_articles_last(archive):
    # "undated" matches "harga" with no date; "kpk" and "anak" have dates.
    result = archive.search("harga OR KPK OR anak", sort="-date")
    assert ids(result) == ["anak", "kpk", "undated"]
    assert ids(archive.search("harga OR KPK OR anak", sort="date")) == ["kpk", "anak", "undated"]


def dated_archive(tmp_path):
    days = ["2022-03-13T23:30", "2022-03-14T00:30", "2022-03-14T10:00", "2022-03-21T09:00"]
    items = [article(f"a{i}", "Kremlin membantah", "Juru bicara Kremlin membantah laporan itu.",
                     date=d, section="Dunia" if i == 3 else "Internasional")
             for i, d in enumerate(days)]
    items.append(article("nodate", "Kremlin diam", "Kremlin tidak menjawab."))
    arch = Archive.create(tmp_path / "ix")
    arch.add(items)
    return arch


def test_day_and_week_facets_count_wib_days(tmp_path):
    with dated_archive(tmp_path) as arch:
        days = arch.search("kremlin", facets=True, date_facet="day").facets
        weeks = arch.search("kremlin", facets=True, date_facet="week").facets
    # 2022-03-13 is a Sunday: its week starts on Monday 7 March.
    assert days["days"] == [["2022-03-13", 1], ["2022-03-14", 2], ["2022-03-21", 1]]
    assert weeks["weeks"] == [["2022-03-07", 1], ["2022-03-14", 2], ["2022-03-21", 1]]
    assert "weeks" not in days and "days" not in weeks
    assert days["months"] == [["2022-03", 4]]


def test_section_facet_counts_over_all_matches(tmp_path):
    with dated_archive(tmp_path) as arch:
        facets = arch.search("kremlin", facets=True).facets
    assert facets["sections"] == [["internasional", 3], ["dunia", 1]]


def test_unknown_date_facet(archive):
    with pytest.raises(SearchOptionError, match="unknown date facet") as caught:
        archive.search("kremlin", facets=True, date_facet="hour")
    assert (caught.value.option, caught.value.choices) == ("date_facet", ("day", "week"))


def test_date_facet_labels_are_wib_days_and_their_mondays():
    from datetime import datetime, timezone

    # 16:59 UTC is 23:59 WIB, 17:00 UTC is midnight WIB of the next day.
    late, midnight = (datetime(2022, 3, 13, 16, 59, tzinfo=timezone.utc),
                      datetime(2022, 3, 13, 17, 0, tzinfo=timezone.utc))
    assert (day_of(late), week_of(late)) == ("2022-03-13", "2022-03-07")      # a Sunday
    assert (day_of(midnight), week_of(midnight)) == ("2022-03-14", "2022-03-14")  # a Monday


@pytest.mark.parametrize("date_facet", ["day", "week"])
def test_date_facets_count_every_dated_match(segmented_sample, date_facet):
    # Over every match, not only the hits fetched (nor the blocks a top-N collector skips).
    from collections import Counter

    label = day_of if date_facet == "day" else week_of
    result = segmented_sample.search("jakarta indonesia", limit=5, facets=True, date_facet=date_facet)
    every = segmented_sample.matches("jakarta indonesia", limit=10_000)
    assert every.total == result.total > 5
    expected = Counter(label(a.date) for a in every if a.date is not None)
    assert result.facets[date_facet + "s"] == sorted([k, v] for k, v in expected.items())
