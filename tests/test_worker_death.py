"""A worker process that dies (the OOM killer, a crash in a C extension) stops
`carinews index` within seconds with one line naming the batch and the signal;
the index keeps its last commit and a re-run finishes the job.

Each run is a real `carinews index` process; the test finds its forked workers
from its pid (/proc/PID/task/*/children), waits until one is busy writing (its
CPU time grows) and SIGKILLs it at a random moment.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive_corpus import expected_state, make_records, stored_state, write_jsonl
from conftest import SHARED

SEED = 20250615
KILLS = 10
BATCH = 2000
DEADLINE = 30.0        # seconds from the kill to the end of the run
CORPUS = SHARED / "jsonl" / "indonews_scrape_2025.jsonl"
MESSAGE = re.compile(
    r"Error: a worker process \(pid (?P<pid>\d+)\) was killed by SIGKILL while "
    r"(?:writing batch (?P<batch>\d+)|merging segments); nothing committed is lost: the index holds "
    r"every batch committed before this one \((?P<kept>\d+) articles from this run\); run the same "
    r"command again to finish")

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to find the workers")


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """The 7,496-article scrape of the shared corpus, else articles cut from the bundled
    sample (one record per URL, so a commit adds exactly the articles it reports)."""
    if CORPUS.exists():
        path = CORPUS
    else:
        records = list({r["url"]: r for r in make_records(6000, SEED)}.values())
        path = write_jsonl(tmp_path_factory.mktemp("workers") / "berita.jsonl", records)
    expected = expected_state(path)
    return path, expected


def stored(index: Path) -> int:
    """Open the index as a reader would and count its articles, checking that each is
    stored once (from the key column: reading every stored article would take longer
    than the run)."""
    from carinews.archive import Archive

    with Archive.open(index) as archive:
        keys = []
        for reader, _base in archive.searcher().reader().leaf_readers() if len(archive) else ():
            column = reader.column_reader("key")
            keys += [column[n] for n in range(reader.doc_count_all()) if not reader.is_deleted(n)]
        assert len(archive) == len(keys) == len(set(keys))
        assert archive.search("yang", limit=1).total > 0 or not keys
    return len(keys)


def start(index: Path, data: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "carinews", "index", "--index", str(index),
                             "--batch-size", str(BATCH), str(data)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
        except OSError:
            pass
    return found


def cpu_ticks(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])      # utime + stime


def busy_worker(proc: subprocess.Popen, timeout: float = 60) -> int | None:
    """A worker of `proc` that is using CPU now (writing a share or a merge), or None
    when `proc` ends first."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        workers = children(proc.pid)
        before = {pid: cpu_ticks(pid) for pid in workers}
        time.sleep(0.05)
        for pid in workers:
            now = cpu_ticks(pid)
            if now is not None and before[pid] is not None and now > before[pid]:
                return pid
    return None


@pytest.mark.slow      # about a minute of CPU: ten runs and a full build of the 7,496 articles
def test_a_killed_worker_stops_the_run_and_a_rerun_finishes(tmp_path, data):
    path, expected = data
    rng = random.Random(SEED)
    folder, index = 0, tmp_path / "index-0"
    kills, committed, batches_hit, slowest = 0, 0, [], 0.0
    while kills < KILLS:
        proc = start(index, path)
        worker = busy_worker(proc)
        if worker is not None:      # writing has begun: kill one busy at a random moment
            time.sleep(rng.uniform(0.0, 2.5))
            worker = busy_worker(proc)
        if worker is None:          # the build finished before a kill: start another one
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            folder, committed = folder + 1, 0
            index = tmp_path / f"index-{folder}"
            continue
        workers = children(proc.pid)
        os.kill(worker, signal.SIGKILL)
        killed = time.monotonic()
        try:
            out, err = proc.communicate(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            pytest.fail(f"`carinews index` still ran {DEADLINE:.0f} s after its worker was killed")
        slowest = max(slowest, time.monotonic() - killed)
        if proc.returncode == 0:    # the worker had just finished its last share
            committed = stored(index)
            continue
        kills += 1
        assert proc.returncode == 1, err
        lines = err.splitlines()
        assert len(lines) == 1 and "Traceback" not in err, err
        found = MESSAGE.fullmatch(lines[0])
        assert found, lines[0]
        assert int(found["pid"]) == worker
        batches_hit.append(found["batch"])
        # the index opens with its last commit: what it held, plus what this run committed
        assert stored(index) == committed + int(found["kept"])
        committed += int(found["kept"])
        gone = time.monotonic() + 5
        while any(cpu_ticks(pid) is not None for pid in workers) and time.monotonic() < gone:
            time.sleep(0.05)
        assert not [pid for pid in workers if cpu_ticks(pid) is not None], "a worker outlived its run"
    done = subprocess.run([sys.executable, "-m", "carinews", "index", "--index", str(index),
                           "--batch-size", str(BATCH), str(path)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"added {len(expected) - committed}, replaced 0, "
                                  f"unchanged {committed}, rejected 0 in ")
    assert stored(index) == len(expected)
    with __import__("carinews").archive.Archive.open(index) as archive:
        assert stored_state(archive) == expected
    print(f"\nworker kills: {kills} (batches {batches_hit}), builds completed between kills: "
          f"{folder}, slowest end after a kill {slowest:.2f} s")
