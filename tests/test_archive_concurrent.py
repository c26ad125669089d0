"""Searching while another process indexes or rebuilds: every read sees one
committed state (count = what a search finds, no key twice), counts never go
back, and a reader opened before a rebuild follows it to the new index."""

from __future__ import annotations

import subprocess
import sys
import time

from archive_corpus import MARKER, check_index, expected_state, make_records, stored_state, write_jsonl
from carinews.archive import Archive

BATCH = 15


def start(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "carinews", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def watch(index, proc, long_lived: Archive | None = None) -> list[int]:
    """Read the index over and over until `proc` ends; returns the counts seen."""
    counts = []
    while proc.poll() is None:
        if (index / "carinews.json").exists():
            try:
                counts.append(check_index(index))
            except Exception as exc:  # noqa: BLE001
                from carinews.errors import IndexNotFoundError

                assert isinstance(exc, IndexNotFoundError) and not counts, exc
        if long_lived is not None:
            count = len(long_lived)
            assert long_lived.search(MARKER, limit=1, collapse=False).total == count
            assert len(stored_state(long_lived)) == count
        time.sleep(0.02)
    return counts


def test_search_while_indexing(tmp_path):
    data = write_jsonl(tmp_path / "berita.jsonl", make_records(250, seed=21))
    expected = expected_state(data)
    index = tmp_path / "index"
    proc = start("index", "--index", str(index), "--batch-size", str(BATCH), str(data))
    counts = watch(index, proc)
    assert proc.returncode == 0, proc.stderr.read()
    assert counts == sorted(counts), "a reader saw committed articles disappear"
    assert len(set(counts)) >= 3, f"too few states observed: {counts}"
    with Archive.open(index) as archive:
        assert stored_state(archive) == expected


def test_search_while_rebuilding(tmp_path):
    data = write_jsonl(tmp_path / "berita.jsonl", make_records(200, seed=22))
    expected = expected_state(data)
    index = tmp_path / "index"
    first = start("index", "--index", str(index), "--batch-size", "300", str(data))
    assert first.wait(120) == 0, first.stderr.read()
    reader = Archive.open(index)
    proc = start("index", "--rebuild", "--index", str(index), "--batch-size", str(BATCH), str(data))
    counts = watch(index, proc, long_lived=reader)
    assert proc.returncode == 0, proc.stderr.read()
    assert set(counts) == {len(expected)}, "readers must see the old index whole until the switch"
    assert reader.index_name == "carinews-1" or len(reader) == len(expected)
    assert stored_state(reader) == expected
    reader.close()
