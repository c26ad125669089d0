"""browsing.py: every match for exports, an article's matches, an article's copies."""

from __future__ import annotations

import pytest

from carinews.archive import Archive
from carinews.errors import SearchOptionError
from conftest import article
from test_search import syndicated


def test_matches_yield_every_match_newest_first(archive):
    matches = archive.matches("harga OR KPK OR anak OR Kremlin")
    assert (matches.total, matches.relaxed) == (4, False)
    assert [a.id for a in matches] == ["kremlin", "anak", "kpk", "undated"]


def test_matches_are_bounded_and_relax_like_search(archive):
    matches = archive.matches("Kremlin narkoba", sort="relevance", limit=1)
    assert (matches.total, matches.relaxed) == (2, True)
    assert len(list(matches)) == 1


def test_matches_read_the_state_committed_when_they_started(tmp_path, articles):
    with Archive.create(tmp_path / "ix") as arch:
        arch.add(articles[:2])
        matches = arch.matches("KPK OR Kremlin OR narkoba")
        arch.add(articles[2:])
        assert [a.id for a in matches] == ["kremlin", "kpk"]
        assert [a.id for a in arch.matches("KPK OR Kremlin OR narkoba")] == ["kremlin", "menangkap", "kpk"]


@pytest.mark.parametrize("options", [{"limit": 0}, {"limit": 10_001}, {"sort": "size"}])
def test_matches_options_are_checked(archive, options):
    with pytest.raises(SearchOptionError) as caught:
        archive.matches("kremlin", **options)
    assert caught.value.option == next(iter(options))


def test_highlight_marks_every_match_in_the_whole_body(archive):
    item = archive.get("kremlin")
    title, body = archive.highlight(item, "Rusia Ukraina")
    assert [item.title[s:e] for s, e in title] == ["Rusia", "Ukraina"]
    assert [item.body[s:e] for s, e in body] == ["Rusia", "Ukraina", "Ukraina", "Rusia"]


def test_copies_of_a_syndicated_article(tmp_path):
    with syndicated(tmp_path) as arch:
        assert sorted(a.id for a in arch.copies(arch.get("copy0"))) == ["copy1", "copy2"]
        assert arch.copies(arch.get("other")) == []


def test_copies_found_by_similar_body_under_another_key(tmp_path):
    body = ("Gubernur meresmikan jembatan baru di pesisir utara yang menghubungkan dua kecamatan. "
            "Jembatan sepanjang 300 meter itu dibangun selama dua tahun dengan dana daerah. "
            "Warga kini tidak perlu lagi menyeberang dengan perahu kecil untuk pergi ke pasar, "
            "sekolah dan puskesmas di kota kecamatan seberang sungai.")
    first = article("first", "Gubernur resmikan jembatan pesisir", body, dup_key="a")
    second = article("second", "Jembatan pesisir diresmikan", "JAKARTA - " + body, dup_key="b",
                     source="lain.id")
    with Archive.create(tmp_path / "ix") as arch:
        arch.add([first, second])
        assert [a.id for a in arch.copies(arch.get("first"))] == ["second"]
