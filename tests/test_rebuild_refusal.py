"""No typo, empty folder or folder of broken files may cost an archive.

Paths are checked before the index is touched (a missing path, or nothing to
read, is a usage error, exit 2); a `--rebuild` is switched in only when it read
at least one article and, without `--force`, holds at least half the articles
of the index it replaces. Every case runs the CLI the way a user would, on a
real index of the bundled sample, and checks that the index files are
untouched and that it still answers with all its articles.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

import carinews
from carinews.cli import cli
from carinews.errors import NoInputError, PathNotFoundError, RebuildShrinkError
from carinews.indexing import run_index

SAMPLE = 292


def run(*args) -> "click.testing.Result":
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def snapshot(folder: Path) -> dict:
    """Names, sizes and times of the index files (the lock file is not index data)."""
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()
            if p.name != "carinews.lock"}


def articles(index: Path) -> int:
    return orjson.loads(run("stats", "--json", "--index", index).stdout)["articles"]


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory) -> Path:
    index = tmp_path_factory.mktemp("rb") / "rb"
    result = run("index", "--index", index, "--sample")
    assert result.exit_code == 0, result.output
    return index


@pytest.fixture
def rb(tmp_path, sample_index) -> Path:
    """A copy of the sample index (292 articles) for one test to try to break."""
    import shutil

    index = tmp_path / "rb"
    shutil.copytree(sample_index, index)
    return index


def sample_records(count: int) -> list[bytes]:
    lines = Path(carinews.sample_paths()[0]).read_bytes().splitlines()
    return lines[:count]


# -- paths are checked first ----------------------------------------------------

def test_a_mistyped_path_with_rebuild_is_a_usage_error(rb, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = snapshot(rb)
    result = run("index", "--index", rb, "--rebuild", "does-not-exist.jsonl")
    assert result.exit_code == 2
    assert result.stderr == ("Error: does-not-exist.jsonl: no such file or directory; nothing was "
                             "read and the index is untouched\n")
    assert result.stdout == ""
    assert snapshot(rb) == before
    assert articles(rb) == SAMPLE


def test_an_empty_folder_with_rebuild_is_a_usage_error(rb, tmp_path):
    empty = tmp_path / "emptydir"
    empty.mkdir()
    (empty / ".hidden.jsonl").write_text('{"title": "x", "body": "y"}\n')   # hidden: not read
    (empty / "notes.pdf").write_bytes(b"%PDF-1.4")                        # not a news file
    before = snapshot(rb)
    result = run("index", "--index", rb, "--rebuild", f"{empty}/")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {empty}/: no file to read in it (expected .jsonl, .json, .csv, "
                             f".txt, .html, .htm, .warc, .arc, optionally .gz); nothing was read and "
                             f"the index is untouched\n")
    assert snapshot(rb) == before
    assert articles(rb) == SAMPLE


def test_any_missing_path_stops_the_run_before_the_good_ones_are_read(rb, tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_bytes(b"\n".join(sample_records(3)) + b"\n")
    before = snapshot(rb)
    result = run("index", "--index", rb, good, tmp_path / "exprots")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {tmp_path / 'exprots'}: no such file or directory;")
    assert snapshot(rb) == before


def test_a_new_index_is_not_even_created(tmp_path):
    result = run("index", "--index", tmp_path / "new", tmp_path / "nope.jsonl")
    assert result.exit_code == 2
    assert not (tmp_path / "new").exists()
    result = run("index", "--dry-run", "--index", tmp_path / "new", tmp_path / "nope.jsonl")
    assert result.exit_code == 2 and "no such file or directory" in result.stderr


def test_the_library_raises_typed_errors_with_the_path(tmp_path):
    with pytest.raises(PathNotFoundError) as caught:
        run_index(tmp_path / "index", [str(tmp_path / "a.jsonl")])
    assert caught.value.path == str(tmp_path / "a.jsonl") and caught.value.reason == "no such file or directory"
    (tmp_path / "e1").mkdir()
    (tmp_path / "e2").mkdir()
    with pytest.raises(NoInputError) as caught:
        run_index(tmp_path / "index", [str(tmp_path / "e1"), str(tmp_path / "e2")])
    assert caught.value.paths == [str(tmp_path / "e1"), str(tmp_path / "e2")]
    assert str(caught.value) == (f"{tmp_path / 'e1'}, {tmp_path / 'e2'}: no file to read in any of them "
                                 f"(expected .jsonl, .json, .csv, .txt, .html, .htm, .warc, .arc, "
                                 f"optionally .gz); nothing was read and the index is untouched")
    (tmp_path / "table.xlsx").write_bytes(b"PK")
    with pytest.raises(NoInputError, match=r"table.xlsx: unsupported file type"):
        run_index(tmp_path / "index", [str(tmp_path / "table.xlsx")])
    assert not (tmp_path / "index").exists()


def test_a_folder_with_one_news_file_among_others_is_read(tmp_path):
    folder = tmp_path / "exports"
    (folder / "deep" / "deeper").mkdir(parents=True)
    (folder / "readme.md").write_text("not news")
    with gzip.open(folder / "deep" / "deeper" / "berita.jsonl.gz", "wb") as handle:
        handle.write(b"\n".join(sample_records(2)) + b"\n")
    report = run_index(tmp_path / "index", [str(folder)])
    assert (report.added, report.rejected) == (2, 0)


# -- a rebuild must read something, and not shrink the archive by accident -------

def test_rebuild_over_only_broken_files_keeps_the_archive(rb, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "a.jsonl").write_text('{"title": "Banjir", "body": "Air naik"\n')   # truncated JSON
    (broken / "b.jsonl").write_bytes(b"")                                        # empty file
    (broken / "c.csv").write_bytes(b"\x00\x01\x02 binary")                       # not text
    (broken / "d.json").write_text('[{"title": "tanpa isi"}]')                    # no body
    (broken / "e.jsonl.gz").write_bytes(gzip.compress(b'{"title": "x", "body": "y"}\n')[:20])
    before = snapshot(rb)
    result = run("index", "--index", rb, "--rebuild", broken)
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 6 and all(line.startswith(str(broken)) for line in errors[:5])
    assert errors[5] == (f"Error: the rebuild of {rb} read no article (5 rejected), so it was dropped; "
                         f"the previous index ({SAMPLE} articles) is still live and unchanged")
    assert result.stdout.startswith("added 0, replaced 0, unchanged 0, rejected 5 in ")
    assert snapshot(rb) == before
    assert articles(rb) == SAMPLE
    found = orjson.loads(run("search", "--json", "--index", rb, "korupsi").stdout)
    assert found["total"] > 0


def test_a_rebuild_that_halves_the_archive_needs_force(rb, tmp_path):
    part = tmp_path / "part.jsonl"
    part.write_bytes(b"\n".join(sample_records(145)) + b"\n")      # 145 of 292: less than half
    before = snapshot(rb)
    result = run("index", "--index", rb, "--rebuild", part)
    assert result.exit_code == 1
    assert result.stderr == (f"Error: the rebuilt index would hold 145 articles, the current one holds "
                             f"{SAMPLE} (less than half); the rebuild was dropped and the current index "
                             f"is still live and unchanged; run again with --force to replace it\n")
    assert result.stdout.startswith("added 145, replaced 0, unchanged 0, rejected 0 in ")
    assert snapshot(rb) == before and articles(rb) == SAMPLE

    with pytest.raises(RebuildShrinkError) as caught:
        run_index(rb, [str(part)], rebuild=True)
    assert (caught.value.old_count, caught.value.new_count) == (SAMPLE, 145)
    assert caught.value.report.added == 145

    result = run("index", "--index", rb, "--rebuild", "--force", part)
    assert result.exit_code == 0, result.output
    assert articles(rb) == 145
    assert not [f for f in os.listdir(rb) if f.startswith(("carinews_", "_carinews_"))]


def test_a_rebuild_to_half_the_archive_is_switched_in(rb, tmp_path):
    half = tmp_path / "half.jsonl"
    half.write_bytes(b"\n".join(sample_records(SAMPLE // 2)) + b"\n")
    result = run("index", "--index", rb, "--rebuild", half)
    assert result.exit_code == 0, result.output
    assert articles(rb) == SAMPLE // 2


def test_force_goes_with_rebuild(rb):
    result = run("index", "--index", rb, "--force", "--sample")
    assert result.exit_code == 2 and "--force goes with --rebuild" in result.stderr


def test_a_rebuild_of_only_skipped_records_says_so(rb):
    """WARC revisits and pages that are not articles are skipped, not rejected: a rebuild
    of nothing else still reads no article, and the message counts them."""
    from carinews.archive import Archive
    from carinews.errors import EmptyRebuildError, SkippedRecord

    before = snapshot(rb)
    with Archive.create(rb, rebuild=True) as archive, pytest.raises(EmptyRebuildError) as caught:
        archive.add([SkippedRecord("arsip.warc", "revisit record", 3, kind="revisit")])
    assert str(caught.value) == (f"the rebuild of {rb} read no article (0 rejected, 1 skipped), so it "
                                 f"was dropped; the previous index ({SAMPLE} articles) is still live "
                                 f"and unchanged")
    assert snapshot(rb) == before
