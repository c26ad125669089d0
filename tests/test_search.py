"""search.py: ranking bonuses, sorting, relaxation, collapsing, facets, names."""

from __future__ import annotations

import pytest

from carinews.archive import Archive
from conftest import article


def ids(result) -> list[str]:
    return [hit.id for hit in result.hits]


def test_exact_surface_form_ranks_first(archive):
    # Both articles match the stem "tangkap"; only "kpk" says "Penangkapan".
    assert ids(archive.search("penangkapan"))[:2] == ["kpk", "menangkap"]
    assert ids(archive.search("menangkap"))[0] == "menangkap"


def test_words_close_together_rank_first(tmp_path):
    near = article("near", "Berita hari ini", "Jaksa membacakan tuntutan korupsi proyek jalan tol. " * 2)
    far = article("far", "Berita hari ini",
                  "Jaksa hadir pagi. " + "Sidang berlangsung lama dan saksi banyak. " * 12 +
                  "Kasus korupsi itu. " + "Proyek jalan tol masih berjalan.")
    with Archive.create(tmp_path / "ix") as arch:
        arch.add([far, near])
        assert ids(arch.search("korupsi jalan tol")) == ["near", "far"]


def test_title_counts_more_than_body(tmp_path):
    in_title = article("t", "Banjir rendam Jakarta", "Air naik setinggi satu meter di beberapa wilayah.")
    in_body = article("b", "Cuaca ekstrem pekan ini", "Hujan deras menyebabkan banjir di beberapa wilayah.")
    with Archive.create(tmp_path / "ix") as arch:
        arch.add([in_body, in_title])
        assert ids(arch.search("banjir")) == ["t", "b"]


def test_sort_by_date(archive):
    assert ids(archive.search("polisi OR KPK OR Kremlin", sort="date")) == ["kpk", "menangkap", "kremlin"]
    assert ids(archive.search("polisi OR KPK OR Kremlin", sort="-date")) == ["kremlin", "menangkap", "kpk"]


def test_relaxed_when_no_article_has_all_words(archive):
    result = archive.search("Kremlin narkoba")
    assert result.relaxed is True
    assert sorted(ids(result)) == ["kremlin", "menangkap"]
    assert result.notes == ["no article has all the words; showing articles with any of them"]
    assert archive.search("Kremlin").relaxed is False


def test_title_and_snippet_highlights(archive):
    hit = archive.search("serangan").hits[0]
    assert hit.id == "kremlin"
    assert [hit.title[s:e] for s, e in hit.title_highlights] == ["Serangan"]
    hit = archive.search("kremlin").hits[0]
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["Kremlin"]
    assert hit.snippet.startswith("Juru bicara Kremlin Dmitry Peskov")


def syndicated(tmp_path):
    body = ("Gubernur meresmikan jembatan baru di pesisir utara yang menghubungkan dua kecamatan. "
            "Jembatan sepanjang 300 meter itu dibangun selama dua tahun.")
    copies = [article(f"copy{i}", "Gubernur resmikan jembatan pesisir", body, source=src,
                      dup_key="dup-jembatan", date=f"2025-06-1{i}T10:00")
              for i, src in enumerate(["tribunnews.com", "tribunjabar.id", "tribunbogor.id"])]
    other = article("other", "Jembatan gantung putus diterjang banjir",
                    "Jembatan gantung di desa itu putus.", date="2024-02-01T08:00")
    arch = Archive.create(tmp_path / "ix")
    arch.add(copies + [other])
    return arch


def test_syndicated_copies_collapse_into_one_hit(tmp_path):
    with syndicated(tmp_path) as arch:
        result = arch.search("jembatan")
        assert result.total == 4
        assert len(result.hits) == 2
        first = next(h for h in result.hits if h.id.startswith("copy"))
        assert sorted(d.source for d in first.duplicates) == sorted(
            {"tribunnews.com", "tribunjabar.id", "tribunbogor.id"} - {first.source})
        assert len(arch.search("jembatan", collapse=False).hits) == 4


def test_facets(tmp_path):
    with syndicated(tmp_path) as arch:
        facets = arch.search("jembatan", facets=True).facets
        assert facets["sources"] == [["contoh.id", 1], ["tribunbogor.id", 1], ["tribunjabar.id", 1],
                                     ["tribunnews.com", 1]]
        assert facets["months"] == [["2024-02", 1], ["2025-06", 3]]


def test_names_of_matching_articles(archive):
    names = dict(archive.names("Rusia"))
    assert names["Dmitry Peskov"] == 1 and names["Kremlin"] == 1


@pytest.mark.parametrize("limit", [0, 10_001])
def test_limit_bounds(archive, limit):
    from carinews.errors import CarinewsError

    with pytest.raises(CarinewsError):
        archive.search("kremlin", limit=limit)
