"""One writer at a time: a live writer blocks (or makes the next one wait), a dead one never does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from carinews.archive import Archive
from carinews.errors import IndexLockedError
from carinews.locking import LOCK_FILE, LockHolder, WriteLock, deferred_signals

HOLD = r'''
import sys, time
from carinews.locking import WriteLock
from whoosh.index import open_dir
lock = WriteLock(sys.argv[1]); lock.acquire()
if len(sys.argv) > 3:          # also take Whoosh's own WRITELOCK, as a writer in a commit does
    whoosh_lock = open_dir(sys.argv[1], indexname="carinews").lock("WRITELOCK")
    assert whoosh_lock.acquire()
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
lock.release()
'''


def hold_lock(folder, seconds: float, whoosh: bool = False) -> subprocess.Popen:
    args = [sys.executable, "-c", HOLD, str(folder), str(seconds)] + (["whoosh"] if whoosh else [])
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked", proc.stderr.read()
    return proc


def cli(*args, timeout=60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "carinews", *args], capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture
def index(tmp_path, articles):
    with Archive.create(tmp_path / "index") as archive:
        archive.add(articles[:2])
    return tmp_path / "index"


@pytest.fixture
def jsonl(tmp_path):
    path = tmp_path / "satu.jsonl"
    path.write_text('{"id": "x1", "title": "Banjir di Jakarta", "body": "Banjir melanda Jakarta '
                    'Utara pada Senin pagi setelah hujan deras semalaman."}\n', encoding="utf-8")
    return path


def test_second_writer_fails_naming_the_pid(index, jsonl):
    holder = hold_lock(index, 30)
    try:
        started = time.monotonic()
        result = cli("index", "--index", str(index), str(jsonl))
        assert time.monotonic() - started < 20
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        line = result.stderr.strip().splitlines()[-1]
        assert line.startswith(f"Error: Index at {index} is locked: it is being written by pid {holder.pid} on ")
        assert "--wait SECONDS" in line
        with Archive.open(index) as archive:       # readers never wait
            assert len(archive) == 2
            assert archive.search("Peskov").total == 1
    finally:
        holder.kill()
        holder.wait()


def test_second_writer_waits_for_the_first(index, jsonl):
    holder = hold_lock(index, 1.5)
    started = time.monotonic()
    result = cli("index", "--index", str(index), "--wait", "30", str(jsonl))
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started >= 1.0
    assert holder.wait(5) == 0
    with Archive.open(index) as archive:
        assert len(archive) == 3


def test_wait_gives_up_after_timeout(index, jsonl):
    holder = hold_lock(index, 30)
    try:
        started = time.monotonic()
        result = cli("index", "--index", str(index), "--wait", "0.7", str(jsonl))
        assert time.monotonic() - started >= 0.7
        assert result.returncode == 1
        assert f"pid {holder.pid}" in result.stderr and "after waiting 0.7 s" in result.stderr
    finally:
        holder.kill()
        holder.wait()


def test_lock_of_a_killed_writer_is_not_stale(index, jsonl):
    """Both our lock and Whoosh's WRITELOCK are flock()s: kill -9 frees them. The
    dead writer's record stays in the lock file and is reported, then replaced."""
    holder = hold_lock(index, 30, whoosh=True)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (index / "carinews_WRITELOCK").exists()
    record = LockHolder.parse((index / LOCK_FILE).read_bytes())
    assert record is not None and record.pid == holder.pid and record.is_alive() is False
    result = cli("index", "--index", str(index), str(jsonl))
    assert result.returncode == 0, result.stderr
    assert f"note: the previous write (pid {holder.pid} on " in result.stderr
    assert "stopped without finishing; its committed batches are kept" in result.stderr
    assert (index / LOCK_FILE).read_bytes() == b""      # released cleanly this time
    with Archive.open(index) as archive:
        assert len(archive) == 3


def test_lock_in_the_same_process(index):
    first = WriteLock(index)
    first.acquire()
    try:
        with pytest.raises(IndexLockedError, match="written by this process") as caught:
            WriteLock(index).acquire()
        assert caught.value.holder.pid == os.getpid()
        with pytest.raises(IndexLockedError):
            Archive.create(index)
    finally:
        first.release()
    Archive.create(index).close()


def test_archive_create_holds_the_lock_until_close(index, articles):
    archive = Archive.create(index)
    with pytest.raises(IndexLockedError):
        Archive.open(index).add(articles[2:3])
    archive.close()
    reader = Archive.open(index)
    report = reader.add(articles[2:3])      # an opened archive takes the lock just while adding
    assert report.added == 1
    Archive.create(index).close()
    reader.close()


def test_lock_on_a_file_system_without_locks(index, monkeypatch):
    import errno
    import fcntl

    def no_locks(fd, op):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    with pytest.raises(Exception, match="does not support locks"):
        WriteLock(index).acquire()


def test_deferred_signals_delivers_after_the_block():
    order = []
    with pytest.raises(KeyboardInterrupt):
        with deferred_signals():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            order.append("block finished")
    assert order == ["block finished"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
