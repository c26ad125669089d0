"""Archive safety in one process: version checks, crash-safe rebuilds, disk full,
read-only folders, articles that break analysis.

Disk full and read-only folders are simulated in-process (tests run as root,
where chmod does not stop writes, and no read-only mount is available): the
os-level calls that write (`open` for writing, `os.open`, rename, unlink,
mkdir...) raise ENOSPC or EROFS for paths inside the index folder, exactly
where Whoosh and carinews would meet them.
"""

from __future__ import annotations

import builtins
import errno
import os
import shutil
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

import carinews
from archive_corpus import check_index, expected_state, make_records, stored_state, write_jsonl
from carinews.archive import SETTINGS_FILE, Archive
from carinews.cli import cli
from carinews.errors import (
    CarinewsError,
    EmptyRebuildError,
    IndexNotFoundError,
    IndexWriteError,
    SchemaMismatchError,
    SourceError,
)

BATCH = 20


@pytest.fixture
def data(tmp_path) -> Path:
    return write_jsonl(tmp_path / "berita.jsonl", make_records(120, seed=5))


def read(path: Path) -> list:
    return list(carinews.read_articles([str(path)]))


def build(path: Path, data: Path, **kwargs) -> None:
    with Archive.create(path, **kwargs) as archive:
        archive.add(read(data), batch_size=BATCH)


def snapshot(folder: Path) -> dict:
    """Sizes and times of the index files (the lock file is not index data)."""
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()
            if p.is_file() and p.name != "carinews.lock"}


def run(*args) -> "click.testing.Result":
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# -- versions ------------------------------------------------------------------

@pytest.mark.parametrize("key", ["schema_version", "analysis_version"])
def test_index_of_another_version_is_refused_then_rebuilt(tmp_path, data, key):
    index = tmp_path / "index"
    build(index, data)
    settings = orjson.loads((index / SETTINGS_FILE).read_bytes())
    settings[key] = "0-old"
    (index / SETTINGS_FILE).write_bytes(orjson.dumps(settings))
    before = snapshot(index)

    with pytest.raises(SchemaMismatchError) as caught:
        Archive.open(index)
    assert caught.value.found == f"{key} 0-old"
    message = (f"Error: Index at {index} was built with {key} 0-old, this carinews needs "
               f"{caught.value.expected}; run `carinews index --rebuild --index {index} PATH...`")
    for args in (["search", "--index", str(index), "banjir"], ["stats", "--index", str(index)],
                 ["index", "--index", str(index), str(data)]):
        result = run(*args)
        assert result.exit_code == 1
        assert result.stderr.strip() == message
    assert snapshot(index) == before                       # refused without touching it

    result = run("index", "--rebuild", "--index", str(index), "--batch-size", "50", str(data))
    assert result.exit_code == 0, result.stderr
    assert check_index(index) == len(expected_state(data))
    assert not [f for f in os.listdir(index) if f.startswith(("carinews_", "_carinews_"))]


def test_stemmer_is_fixed_once_created(tmp_path, data):
    index = tmp_path / "index"
    build(index, data)
    result = run("index", "--index", str(index), "--stemmer", "none", str(data))
    assert result.exit_code == 1
    assert "built with stemmer sastrawi, this carinews needs stemmer none" in result.stderr
    assert "--rebuild" in result.stderr
    result = run("index", "--rebuild", "--stemmer", "none", "--index", str(index), str(data))
    assert result.exit_code == 0, result.stderr
    with Archive.open(index) as archive:
        assert archive.stemmer == "none"


def test_missing_or_broken_settings(tmp_path, data):
    index = tmp_path / "index"
    build(index, data)
    (index / SETTINGS_FILE).unlink()
    with pytest.raises(SchemaMismatchError, match="no carinews.json"):
        Archive.open(index)
    (index / SETTINGS_FILE).write_bytes(b"\x00garbage{")
    result = run("search", "--index", str(index), "banjir")
    assert result.exit_code == 1 and "unreadable settings" in result.stderr
    assert "--rebuild" in result.stderr
    result = run("index", "--rebuild", "--index", str(index), str(data))
    assert result.exit_code == 0, result.stderr
    assert check_index(index) == len(expected_state(data))


def test_settings_without_index_name_are_read(tmp_path, data):
    index = tmp_path / "index"
    build(index, data)
    settings = orjson.loads((index / SETTINGS_FILE).read_bytes())
    del settings["index_name"]                     # written before rebuilds existed
    (index / SETTINGS_FILE).write_bytes(orjson.dumps(settings))
    assert check_index(index) == len(expected_state(data))


def test_no_index(tmp_path):
    with pytest.raises(IndexNotFoundError):
        Archive.open(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / SETTINGS_FILE).write_text("{}")    # a create killed before its TOC
    with pytest.raises(IndexNotFoundError):
        Archive.open(tmp_path / "empty")
    Archive.create(tmp_path / "empty").close()
    assert check_index(tmp_path / "empty") == 0


# -- rebuilds --------------------------------------------------------------------

def test_rebuild_keeps_the_old_index_live_until_done(tmp_path, data, articles):
    index = tmp_path / "index"
    build(index, data)
    old = expected_state(data)
    reader = Archive.open(index)
    seen = []

    def items():
        for number, article in enumerate(articles):
            if number == 3:        # two batches of the new index are committed by now
                with Archive.open(index) as other:
                    seen.append(stored_state(other))
            yield article

    with Archive.create(index, rebuild=True, force=True) as archive:   # 107 -> 5 articles: forced
        report = archive.add(items(), batch_size=1)
    assert report.added == len(articles) and not report.rebuild_abandoned
    assert seen == [old]
    assert reader.search("Peskov").total == 1        # an open reader follows to the new index
    assert len(reader) == len(articles)
    reader.close()
    with Archive.open(index) as archive:
        assert {a.key for a in articles} == set(stored_state(archive))
        assert archive.index_name == "carinews-1"
    assert not [f for f in os.listdir(index) if f.startswith(("carinews_", "_carinews_"))]


@pytest.mark.parametrize("failure", ["interrupt", "strict", "bug"])
def test_failed_rebuild_leaves_the_old_index(tmp_path, data, articles, failure):
    index = tmp_path / "index"
    build(index, data)
    old = expected_state(data)

    def items():
        yield from articles[:3]
        if failure == "interrupt":
            raise KeyboardInterrupt
        if failure == "strict":
            yield SourceError("x.jsonl", "malformed JSON", 4)
        raise RuntimeError("reader bug")

    archive = Archive.create(index, rebuild=True)
    if failure == "interrupt":
        report = archive.add(items(), batch_size=1, strict=True)
        assert report.interrupted and report.rebuild_abandoned
        assert "the rebuild was dropped; the previous index is unchanged" in report.notes
        with pytest.raises(CarinewsError, match="abandoned"):
            archive.add(articles)
    else:
        with pytest.raises(SourceError if failure == "strict" else RuntimeError):
            archive.add(items(), batch_size=1, strict=True)
    archive.close()
    with Archive.open(index) as reopened:
        assert stored_state(reopened) == old
        assert reopened.index_name == "carinews"
    assert not [f for f in os.listdir(index) if "carinews-" in f]


def test_cli_rebuild_interrupted(tmp_path, data, monkeypatch):
    index = tmp_path / "index"
    build(index, data)
    expected = expected_state(data)
    import carinews.ingest.sources

    real = carinews.ingest.sources.read_articles

    def interrupted(paths, strict=False, known=None):
        for number, item in enumerate(real(paths, strict=strict, known=known)):
            if number == 50:
                raise KeyboardInterrupt
            yield item

    monkeypatch.setattr(carinews.ingest.sources, "read_articles", interrupted)
    result = run("index", "--rebuild", "--index", str(index), "--batch-size", "10", str(data))
    assert result.exit_code == 130
    assert ("Interrupted: the rebuild was dropped and the previous index is unchanged "
            "(run the same command again to rebuild).") in result.stderr
    assert check_index(index) == len(expected)


def test_rebuild_without_articles_keeps_the_old_index(tmp_path, data):
    index = tmp_path / "index"
    build(index, data)
    before = snapshot(index)
    Archive.create(index, rebuild=True).close()          # never added to: nothing to switch in
    assert check_index(index) == len(expected_state(data))
    with Archive.create(index, rebuild=True) as archive, pytest.raises(EmptyRebuildError) as caught:
        archive.add([SourceError("a.jsonl", "malformed JSON", 1)])
    assert (caught.value.old_count, caught.value.new_count) == (len(expected_state(data)), 0)
    assert caught.value.report.rejected == 1 and caught.value.report.rebuild_abandoned
    assert str(caught.value) == (f"the rebuild of {index} read no article (1 rejected), so it was "
                                 f"dropped; the previous index (107 articles) is still live and unchanged")
    assert snapshot(index) == before
    assert not [f for f in os.listdir(index) if "carinews-" in f]


# -- articles that break analysis ------------------------------------------------

def test_an_article_that_breaks_name_extraction_is_rejected(tmp_path, articles, monkeypatch):
    import carinews.engines.whoosh.prepare as archive_module

    real = archive_module.fill_names

    def fill(article):
        if article.id == "kpk":
            raise RecursionError("maximum recursion depth exceeded")
        real(article)

    monkeypatch.setattr(archive_module, "fill_names", fill)
    articles[1].origin = "arsip/berita 1.jsonl:7"
    seen = []
    with Archive.create(tmp_path / "index") as archive:
        report = archive.add(articles, on_error=seen.append)
        assert report.added == len(articles) - 1 and report.rejected == 1
        assert len(archive) == len(articles) - 1
    assert [str(e) for e in seen] == [
        "arsip/berita 1.jsonl:7: cannot index: RecursionError: maximum recursion depth exceeded"]


def test_an_article_the_writer_chokes_on_is_rejected(tmp_path, articles, monkeypatch):
    from carinews.engines.whoosh.segment_writer import BulkWriter

    real = BulkWriter.add_document

    def add_document(self, **fields):
        if fields["id"] == "anak":
            raise ValueError("bad posting")
        return real(self, **fields)

    monkeypatch.setattr(BulkWriter, "add_document", add_document)
    with Archive.create(tmp_path / "index") as archive:
        report = archive.add(articles)
        assert (report.added, report.rejected, report.committed_batches) == (len(articles) - 1, 1, 1)
    with Archive.open(tmp_path / "index") as archive:
        assert len(stored_state(archive)) == len(articles) - 1
        assert archive.get("anak") is None and archive.search("Peskov").total == 1


def test_many_failures_in_a_row_are_a_bug(tmp_path, articles, monkeypatch):
    import carinews.engines.whoosh.prepare as archive_module

    monkeypatch.setattr(archive_module, "fill_names", lambda article: 1 / 0)
    many = [carinews.Article(**{**a.__dict__, "id": f"{a.id}-{i}", "url_key": f"x/{i}"})
            for i in range(25) for a in articles[:1]]
    with Archive.create(tmp_path / "index") as archive, pytest.raises(ZeroDivisionError):
        archive.add(many)


def test_unstorable_extra_fields_are_replaced(tmp_path, articles):
    deep: dict = {}
    node = deep
    for _ in range(400):                    # deeper than orjson writes
        node["a"] = {}
        node = node["a"]
    articles[0].extra = {"meta": deep}
    articles[1].origin = "arsip/\udcff\udcfe.jsonl:3"     # a file name that is not UTF-8
    with Archive.create(tmp_path / "index") as archive:
        report = archive.add(articles)
        assert report.added == len(articles) and report.warnings == 2
        stored = archive.get("kremlin")
        assert "nested too deeply" in orjson.dumps(stored.extra).decode()
        assert archive.get("kpk").origin == "arsip/\\udcff\\udcfe.jsonl:3"
        orjson.dumps(report.to_dict())


# -- disk full and read-only folders -------------------------------------------

def _inside(path, folder: Path) -> bool:
    try:
        return Path(os.fsdecode(path)).resolve().is_relative_to(folder.resolve())
    except (TypeError, ValueError, OSError):
        return False


class QuotaFile:
    """A writable file whose writes fail with ENOSPC once the shared budget is spent."""

    def __init__(self, handle, disk):
        self._handle, self._disk = handle, disk

    def write(self, data):
        self._disk.spend(len(data))
        return self._handle.write(data)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()


class FullDisk:
    """Writes inside `folder` fail with ENOSPC after `budget` bytes (None = no limit)."""

    def __init__(self, monkeypatch, folder: Path, budget: int | None):
        self.folder, self.budget = folder, budget
        real_open, real_fdopen = builtins.open, os.fdopen

        def quota_open(file, mode="r", *args, **kwargs):
            handle = real_open(file, mode, *args, **kwargs)
            if any(c in mode for c in "wax+") and isinstance(file, (str, bytes, os.PathLike)) \
                    and _inside(file, folder):
                return QuotaFile(handle, self)
            return handle

        monkeypatch.setattr(builtins, "open", quota_open)
        monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: QuotaFile(real_fdopen(fd, *a, **k), self))

    def spend(self, size: int) -> None:
        if self.budget is not None:
            if size > self.budget:
                self.budget = 0
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            self.budget -= size


def read_only(monkeypatch, folder: Path) -> None:
    """Every os-level write inside `folder` fails with EROFS, as on a read-only mount."""
    def refuse(*paths):
        if any(_inside(p, folder) for p in paths if isinstance(p, (str, bytes, os.PathLike))):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(paths[0]))

    real_open, real_os_open = builtins.open, os.open

    def open_(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            refuse(file)
        return real_open(file, mode, *args, **kwargs)

    def os_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC):
            refuse(path)
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", open_)
    monkeypatch.setattr(os, "open", os_open)
    for name in ("rename", "replace", "remove", "unlink", "rmdir", "mkdir", "makedirs"):
        real = getattr(os, name)
        monkeypatch.setattr(os, name, lambda *a, _real=real, **k: (refuse(*a[:2]), _real(*a, **k))[1])
    monkeypatch.setattr(shutil, "rmtree", lambda p, *a, **k: refuse(p))


@pytest.mark.parametrize("budget", [0, 3_000, 40_000, 150_000, 400_000, 900_000])
def test_disk_full_keeps_committed_batches(tmp_path, data, monkeypatch, budget):
    index = tmp_path / "index"
    expected = expected_state(data)
    items = read(data)
    with Archive.create(index) as archive:
        first = archive.add(items[:40], batch_size=BATCH)
    disk = FullDisk(monkeypatch, index, budget)
    with pytest.raises(IndexWriteError) as caught:
        with Archive.create(index) as archive:
            archive.add(items, batch_size=BATCH)
    assert caught.value.errno == errno.ENOSPC
    assert str(caught.value).startswith(f"cannot write to the index at {index}: No space left on device; "
                                        f"nothing committed is lost")
    disk.budget = None
    count = check_index(index)
    assert first.added <= count <= len(expected)
    with Archive.create(index) as archive:
        archive.add(items, batch_size=BATCH)
        assert stored_state(archive) == expected


def test_disk_full_during_a_rebuild(tmp_path, data, monkeypatch):
    index = tmp_path / "index"
    build(index, data)
    disk = FullDisk(monkeypatch, index, 200_000)
    result = run("index", "--rebuild", "--index", str(index), "--batch-size", str(BATCH), str(data))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot write to the index at {index}: No space left on device; "
                                    f"the rebuild was dropped and the previous index is unchanged")
    disk.budget = None
    assert check_index(index) == len(expected_state(data))
    assert not [f for f in os.listdir(index) if "carinews-" in f]


def test_cli_disk_full_message(tmp_path, data, monkeypatch):
    index = tmp_path / "index"
    build(index, data)
    FullDisk(monkeypatch, index, 0)
    more = write_jsonl(tmp_path / "lagi.jsonl", make_records(30, seed=99))
    result = run("index", "--index", str(index), str(more))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.strip() == (
        f"Error: cannot write to the index at {index}: No space left on device; nothing committed is "
        f"lost: the index holds every batch committed before this one (0 articles from this run); "
        f"fix that and run the same command again to finish")


def test_read_only_index(tmp_path, data, monkeypatch):
    index = tmp_path / "index"
    build(index, data)
    before = snapshot(index)
    read_only(monkeypatch, tmp_path)

    result = run("index", "--index", str(index), str(data))
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"Error: cannot take the write lock at {index}: "
                                     f"Read-only file system; the index is unchanged")
    for args in (["search", "--index", str(index), "banjir"], ["stats", "--index", str(index)],
                 ["search", "--index", str(index), "--format", "json", "arsipuji"]):
        result = run(*args)
        assert result.exit_code == 0, result.stderr
    assert check_index(index) == len(expected_state(data))
    with Archive.open(index) as archive, pytest.raises(IndexWriteError, match="Read-only"):
        archive.add(read(data))
    result = run("index", "--index", str(tmp_path / "new"), str(data))
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"Error: cannot create the index folder at {tmp_path / 'new'}: "
                                     f"Read-only file system; the index is unchanged")
    monkeypatch.undo()
    assert snapshot(index) == before


def test_failure_after_the_toc_rename_counts_as_committed(tmp_path, data, monkeypatch):
    """The commit is the TOC rename: an error in the clean-up after it (here deleting
    the previous TOC) neither loses the batch nor leaves Whoosh's lock held."""
    from whoosh.filedb.filestore import FileStorage

    real, calls = FileStorage.delete_file, []

    def delete_file(self, name):
        if name.endswith(".toc"):
            calls.append(name)
            if len(calls) == 2:
                raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real(self, name)

    monkeypatch.setattr(FileStorage, "delete_file", delete_file)
    index = tmp_path / "index"
    with Archive.create(index) as archive:
        report = archive.add(read(data), batch_size=BATCH)
        assert report.committed_batches == len(set(calls)) > 2   # the failed one is retried
        lock = archive._index.lock("WRITELOCK")
        assert lock.acquire()
        lock.release()
    assert [f for f in os.listdir(index) if f.endswith(".toc")] == [f"_carinews_{len(set(calls))}.toc"]
    with Archive.open(index) as archive:
        assert stored_state(archive) == expected_state(data)
