""""Did you mean" vocabulary kept beside an embedded index (results/speller_cache.py): a later
process reads it instead of the term dictionary, only for the index state it was saved for."""

from __future__ import annotations

import pytest

from carinews.archive import Archive
from carinews.results import speller_cache, suggest
from carinews.results.suggest import Speller

from conftest import OPENSEARCH_URL, article

EMBEDDED = ("whoosh", "tantivy")

ARTICLES = [
    article(f"kpk-{i}", "Jokowi minta KPK usut tuntas korupsi bansos",
            "Presiden Jokowi meminta Komisi Pemberantasan Korupsi mengusut kasus korupsi "
            f"bantuan sosial di Jakarta, pekan ke-{i}.", date="2020-12-06")
    for i in range(3)
]


@pytest.fixture(params=EMBEDDED)
def archive(tmp_path, request):
    """An archive on each embedded engine (a cluster's index is never cached: last test)."""
    suggest._cache.clear()
    with Archive.create(tmp_path / "index", engine=request.param) as arch:
        arch.add(list(ARTICLES))
        yield arch
    suggest._cache.clear()


def _new_process(archive, monkeypatch):
    """As a fresh `carinews search`: nothing in memory, and the term dictionary unreadable,
    so a suggestion can only come from the file."""
    suggest._cache.clear()

    def unreadable(field):
        raise AssertionError("the vocabulary was read from the index")

    monkeypatch.setattr(archive.engine, "vocabulary", unreadable)


def test_a_later_process_suggests_from_the_file(archive, monkeypatch):
    assert archive.suggest("korupssi").query == "korupsi"
    assert (archive.path / speller_cache.FILE).is_file()
    _new_process(archive, monkeypatch)
    assert archive.suggest("Jokowii korupssi").query == "Jokowi korupsi"


def test_the_file_holds_the_same_speller(archive):
    version = archive.engine.version()
    built = Speller.from_engine(archive.engine)
    speller_cache.save(archive.path, version, built)
    loaded = speller_cache.load(archive.path, version)
    assert loaded.freqs == built.freqs
    assert loaded.words == built.words
    assert loaded.freqs["korupsi"] == 3
    assert speller_cache.load(archive.path, version + "x") is None


def test_a_new_commit_reads_the_index_again(archive):
    assert archive.suggest("Podolyakk") is None
    archive.add([article(f"ukraina-{i}", "Podolyak: perundingan berlanjut",
                         "Penasihat presiden Ukraina Podolyak mengatakan perundingan berlanjut.",
                         date="2022-03-15") for i in range(2)])
    suggest._cache.clear()
    assert archive.suggest("Podolyakk").query == "Podolyak"


@pytest.mark.parametrize("damage", [
    lambda data: data[:-7],                                   # cut short
    lambda data: data[:30],                                   # header only
    lambda data: b"carinews-vocabulary 9\n" + data[22:],      # another format
    lambda data: data.replace(b'"words":', b'"wordz":'),      # header without a count
    lambda data: b"",
])
def test_a_damaged_file_is_ignored_and_rewritten(archive, damage):
    archive.suggest("korupssi")
    path = archive.path / speller_cache.FILE
    good = path.read_bytes()
    path.write_bytes(damage(good))
    assert speller_cache.load(archive.path, archive.engine.version()) is None
    suggest._cache.clear()
    assert archive.suggest("korupssi").query == "korupsi"
    assert path.read_bytes() == good


@pytest.mark.parametrize("engine_name", EMBEDDED)
def test_creating_an_index_forgets_the_file(tmp_path, engine_name):
    folder = tmp_path / "index"
    folder.mkdir()
    speller_cache.save(folder, "any", Speller({"korupsi": 3}))
    assert (folder / speller_cache.FILE).is_file()
    with Archive.create(folder, engine=engine_name):
        assert not (folder / speller_cache.FILE).exists()


@pytest.mark.opensearch
@pytest.mark.skipif(not OPENSEARCH_URL, reason="CARINEWS_OPENSEARCH_URL not set (`make opensearch`)")
@pytest.mark.parametrize("engine_name", ["opensearch"], indirect=True)
def test_a_cluster_index_is_never_cached(tmp_path, engine_name):
    suggest._cache.clear()
    with Archive.create(tmp_path / "index", engine=engine_name) as arch:
        arch.add(list(ARTICLES))
        assert arch.suggest("korupssi").query == "korupsi"
        assert not (arch.path / speller_cache.FILE).exists()


def test_an_unwritable_place_saves_nothing(tmp_path):
    missing = tmp_path / "no-such-folder"
    speller_cache.save(missing, "v", Speller({"korupsi": 3}))
    assert not missing.exists()
    assert list(tmp_path.iterdir()) == []
