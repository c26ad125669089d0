"""Crash tests: real `carinews index` processes killed at random and at chosen moments.

Each killed run must leave an index that opens, counts, searches consistently
(a search for the marker word finds every article) and stores no key twice;
running the same command again must end with exactly the expected articles,
each in its last version. Rebuilds are killed too: the old index must stay
live, whole, until the new one is switched in.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive_corpus import check_index, expected_state, make_records, stored_state, write_jsonl

SEED = 20240607
ARTICLES = 800
BATCH = 40
KILLS = 24            # at least this many SIGKILLs in the random test
REBUILD_KILLS = 8     # of which at least this many during `--rebuild`


def carinews(*args, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "carinews", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, **kwargs)


def run_to_end(*args, timeout: float = 240) -> subprocess.CompletedProcess:
    proc = carinews(*args)
    out, err = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def kill_after(proc: subprocess.Popen, seconds: float) -> bool:
    """SIGKILL `proc` after `seconds`; False if it finished first."""
    try:
        proc.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        return True


def leftovers(index: Path) -> set[str]:
    """What a killed writer left in the folder: temp TOCs, posting pools, other indexes."""
    return {f for f in os.listdir(index)
            if ".toc." in f or f.endswith(".tmp") or f.startswith(("carinews-", "_carinews-"))}


def assert_versions_known(index: Path, versions: dict[str, set[str]]) -> None:
    from carinews.archive import Archive

    with Archive.open(index) as archive:
        for key, digest in stored_state(archive).items():
            assert digest in versions[key], f"{key} stored in a version that was never in the input"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, str], dict[str, set[str]]]:
    folder = tmp_path_factory.mktemp("crash")
    path = write_jsonl(folder / "berita uji.jsonl", make_records(ARTICLES, SEED))
    versions: dict[str, set[str]] = {}
    import carinews

    for article in carinews.read_articles([str(path)]):
        versions.setdefault(article.key, set()).add(article.content_hash())
    return path, expected_state(path), versions


def test_sigkill_at_random_moments_then_resume(tmp_path, corpus):
    data, expected, versions = corpus
    index = tmp_path / "index"
    args = ["index", "--index", str(index), "--batch-size", str(BATCH), str(data)]
    rng = random.Random(SEED)
    kills, counts, mid_commit = 0, [], 0

    # 1. build, killed at random moments, until done
    complete = False
    while not complete and kills < KILLS - REBUILD_KILLS:
        proc = carinews(*args)
        if kill_after(proc, rng.uniform(0.3, 2.0)):
            kills += 1
            mid_commit += bool(index.exists() and leftovers(index))
            if not (index / "carinews.json").exists():
                counts.append(0)
                continue
            try:
                count = check_index(index)
            except Exception as exc:  # noqa: BLE001
                from carinews.errors import IndexNotFoundError

                assert isinstance(exc, IndexNotFoundError) and not any(counts), exc
                count = 0
            assert count >= max(counts, default=0), "committed articles were lost"
            assert count <= len(expected)
            assert_versions_known(index, versions)
            counts.append(count)
        else:
            assert proc.returncode == 0, proc.stderr.read()
            complete = True
    if not complete:
        done = run_to_end(*args)
        assert done.returncode == 0, done.stderr

    with __import__("carinews").archive.Archive.open(index) as archive:
        assert stored_state(archive) == expected
    assert check_index(index) == len(expected)

    # 2. rebuilds killed at random moments: the old index stays whole and live
    rebuild = ["index", "--rebuild", "--index", str(index), "--batch-size", str(BATCH), str(data)]
    rebuild_kills = 0
    while kills < KILLS or rebuild_kills < REBUILD_KILLS:
        proc = carinews(*rebuild)
        if not kill_after(proc, rng.uniform(0.3, 2.0)):
            assert proc.returncode == 0, proc.stderr.read()
            continue
        kills += 1
        rebuild_kills += 1
        assert check_index(index) == len(expected)
    again = run_to_end(*args)
    assert again.returncode == 0, again.stderr
    assert f"unchanged {len(expected)}" in again.stdout or "unchanged" in again.stdout
    assert not leftovers(index), "a dropped rebuild was not cleaned up"
    done = run_to_end(*rebuild)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    with __import__("carinews").archive.Archive.open(index) as archive:
        assert stored_state(archive) == expected
        assert archive.index_name != "carinews"
    assert not leftovers(index) - {f for f in os.listdir(index) if archive.index_name in f}
    print(f"\ncrash test: {kills} SIGKILLs ({rebuild_kills} during --rebuild), "
          f"{mid_commit} of them with a writer open; committed counts seen: {counts}")
    assert kills >= KILLS


# -- kills and interrupts at chosen points inside a commit ---------------------

HOOKS = r'''
import os, signal, sys
point, _, nth = os.environ["CRASH_POINT"].partition(":")
action = os.environ.get("CRASH_ACTION", "kill")
nth = int(nth or 1)
hits = {"n": 0}

def hit(name):
    if name != point:
        return
    hits["n"] += 1
    if hits["n"] == nth:
        os.kill(os.getpid(), signal.SIGKILL if action == "kill" else getattr(signal, action))

from whoosh.filedb import filestore
from whoosh import writing, codec
import carinews.folder as storage

rename = filestore.FileStorage.rename_file
def rename_file(self, old, new, safe=False):
    if new.endswith(".toc"):
        hit("before_toc_rename")
    rename(self, old, new, safe)
    if new.endswith(".toc"):
        hit("after_toc_rename")
filestore.FileStorage.rename_file = rename_file

delete = filestore.FileStorage.delete_file
def delete_file(self, name):
    delete(self, name)
    hit("while_cleaning")
filestore.FileStorage.delete_file = delete_file

from carinews.engines.whoosh.segment_writer import BulkWriter
add = BulkWriter.add_document
def add_document(self, **fields):
    hit("while_adding")
    return add(self, **fields)
BulkWriter.add_document = add_document

finalize = writing.SegmentWriter._finalize_segment
def _finalize_segment(self):
    hit("before_segment")
    segment = finalize(self)
    hit("after_segment")
    return segment
writing.SegmentWriter._finalize_segment = _finalize_segment

write_settings = storage.write_settings
def _write_settings(path, settings):
    hit("before_switch")
    write_settings(path, settings)
    hit("after_switch")
storage.write_settings = _write_settings

sys.argv[0] = "carinews"
from carinews.cli import main
main()
'''

POINTS = ["while_adding:30", "before_segment:2", "after_segment:2", "before_toc_rename:3",
          "after_toc_rename:3", "while_cleaning:4"]
REBUILD_POINTS = ["before_toc_rename:2", "before_switch:1", "after_switch:1", "while_cleaning:6"]
SMALL = 150
SMALL_BATCH = 30


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("small")
    path = write_jsonl(folder / "kecil.jsonl", make_records(SMALL, SEED + 1))
    return path, expected_state(path)


def same_command(pid_cmdline: bytes) -> list[int]:
    """Processes still running with this command line (forked workers share it)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    if handle.read() == pid_cmdline:
                        found.append(int(entry))
            except OSError:
                pass
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to find the workers")
def test_sigkill_while_workers_write_segments(tmp_path, corpus):
    """Batches of 200 go to forked workers that write their own segments; killing the
    parent mid-batch must kill them too, and leave the index whole and resumable."""
    data, expected, versions = corpus
    index = tmp_path / "index"
    args = ["index", "--index", str(index), "--batch-size", "200", str(data)]
    rng = random.Random(SEED + 7)
    kills = 0
    for _ in range(6):
        proc = carinews(*args)
        time.sleep(0.2)
        try:
            with open(f"/proc/{proc.pid}/cmdline", "rb") as handle:
                cmdline = handle.read()
        except OSError:
            cmdline = b""
        if not kill_after(proc, rng.uniform(0.6, 1.6)):
            assert proc.returncode == 0, proc.stderr.read()
            break
        kills += 1
        deadline = time.monotonic() + 5
        while cmdline and same_command(cmdline) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not (cmdline and same_command(cmdline)), "a worker outlived its killed parent"
        if (index / "carinews.json").exists():
            check_index(index)
            assert_versions_known(index, versions)
    assert kills >= 1
    done = run_to_end(*args)
    assert done.returncode == 0, done.stderr
    with __import__("carinews").archive.Archive.open(index) as archive:
        assert stored_state(archive) == expected
    assert not leftovers(index)
    assert not [f for f in os.listdir(index) if f.endswith(".seg")
                and f.split("_")[1].split(".")[0] not in _live_segment_ids(index)]


def _live_segment_ids(index: Path) -> set[str]:
    from whoosh.index import FileIndex
    from whoosh.filedb.filestore import FileStorage

    ix = FileIndex(FileStorage(str(index)), indexname="carinews")
    return {segment.segid for segment in ix._segments()}


def hooked(point: str, *args, action: str = "kill") -> subprocess.CompletedProcess:
    env = {**os.environ, "CRASH_POINT": point, "CRASH_ACTION": action}
    proc = subprocess.run([sys.executable, "-c", HOOKS, *args], capture_output=True, text=True,
                          env=env, timeout=240)
    return proc


@pytest.mark.parametrize("point", POINTS)
def test_sigkill_inside_commit_then_resume(tmp_path, small, point):
    data, expected = small
    index = tmp_path / "index"
    args = ["index", "--index", str(index), "--batch-size", str(SMALL_BATCH), str(data)]
    crashed = hooked(point, *args)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    count = check_index(index)
    assert count % 1 == 0 and count <= len(expected)
    done = run_to_end(*args)
    assert done.returncode == 0, done.stderr
    assert "stopped without finishing" in done.stderr      # the dead writer is noticed
    from carinews.archive import Archive

    with Archive.open(index) as archive:
        assert stored_state(archive) == expected
    assert not leftovers(index)


@pytest.mark.parametrize("point", REBUILD_POINTS)
def test_sigkill_inside_rebuild(tmp_path, small, point):
    data, expected = small
    index = tmp_path / "index"
    first = run_to_end("index", "--index", str(index), "--batch-size", "500", str(data))
    assert first.returncode == 0, first.stderr
    args = ["index", "--rebuild", "--index", str(index), "--batch-size", str(SMALL_BATCH), str(data)]
    crashed = hooked(point, *args)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    assert check_index(index) == len(expected)     # old index (or the finished new one) is live
    done = run_to_end(*args)
    assert done.returncode == 0, done.stderr
    from carinews.archive import Archive

    with Archive.open(index) as archive:
        assert stored_state(archive) == expected
        live = archive.index_name
    assert {f for f in leftovers(index) if live not in f} == set()


@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_interrupt_inside_commit_finishes_the_commit(tmp_path, small, signame):
    data, expected = small
    index = tmp_path / "index"
    args = ["index", "--index", str(index), "--batch-size", str(SMALL_BATCH), "--json", str(data)]
    # TOC renames: 1 = the new empty index, 2 = batch 1, 3 = batch 2
    proc = hooked("before_toc_rename:3", *args, action=signame)
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr
    import orjson

    report = orjson.loads(proc.stdout)
    assert report["interrupted"] and report["committed_batches"] == 2 and report["abandoned"] == 0
    assert check_index(index) == report["added"] > 0
    plain = hooked("before_toc_rename:3", "index", "--index", str(tmp_path / "other"),
                   "--batch-size", str(SMALL_BATCH), str(data), action=signame)
    assert "Interrupted after committing batch 2; nothing read was abandoned" in plain.stderr
    assert not (index / "carinews.lock").read_bytes()      # released cleanly


def test_interrupt_while_adding_abandons_the_batch(tmp_path, small):
    data, expected = small
    index = tmp_path / "index"
    args = ["index", "--index", str(index), "--batch-size", str(SMALL_BATCH), "--json", str(data)]
    proc = hooked("while_adding:75", *args, action="SIGINT")     # in the 3rd batch
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr
    import orjson

    report = orjson.loads(proc.stdout)
    assert report["interrupted"] and report["committed_batches"] == 2
    assert report["abandoned"] > 0
    assert check_index(index) == report["added"] > 0


def test_sigint_at_random_moments(tmp_path, corpus):
    """Ctrl-C (SIGINT to the process) at random moments: exit 130, one-line
    message, no traceback, and the index holds exactly what the report says."""
    data, expected, _versions = corpus
    index = tmp_path / "index"
    args = ["index", "--index", str(index), "--batch-size", "10", "--json", str(data)]
    rng = random.Random(SEED + 2)
    import orjson

    before, interrupts, mid_run = 0, 0, 0
    for _ in range(10):
        proc = carinews(*args)
        time.sleep(rng.uniform(0.5, 1.4))
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
        assert "Traceback" not in err, err
        if proc.returncode == 0:
            break
        if proc.returncode == -signal.SIGINT:
            # On a loaded machine the signal can beat the interpreter to installing its
            # handler: the process dies before it has read or written anything.
            assert (out, check_index(index) if before else 0) == ("", before), err
            continue
        assert proc.returncode == 130, err
        interrupts += 1
        if out.strip():
            report = orjson.loads(out)
            after = check_index(index)
            assert after == before + report["added"], (before, report)
            assert report["interrupted"] is True
            before, mid_run = after, mid_run + 1
        else:   # interrupted before indexing started (while importing or opening)
            assert "Interrupted" in err
    done = run_to_end(*args[:-2], args[-1])
    assert done.returncode == 0, done.stderr
    from carinews.archive import Archive

    with Archive.open(index) as archive:
        assert stored_state(archive) == expected
    assert interrupts >= 3 and mid_run >= 2, (interrupts, mid_run)
