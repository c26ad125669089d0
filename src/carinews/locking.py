"""One writer per index folder, and commits that a signal cannot cut in half.

Steps:
1. `WriteLock.acquire` opens `carinews.lock` in the index folder and takes an
   exclusive `flock` on it. The kernel drops the lock when its holder exits in
   any way (kill -9 included), so a lock never goes stale; Whoosh's own
   `<name>_WRITELOCK` is the same kind of lock. Readers never lock: Whoosh
   readers see the last committed TOC.
2. The holder writes who it is (pid, host, start time, command) into the lock
   file. A second writer reads that back for its message, or waits up to
   `wait` seconds. A record found under a free lock was left by a process that
   died while writing; `WriteLock.previous` reports it and it is overwritten.
3. `release` empties the record and unlocks.
4. `deferred_signals` holds SIGINT/SIGTERM back during a commit or an index
   swap and re-raises them right after, so Ctrl-C never lands half-way.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import orjson

from carinews.errors import IndexLockedError, LockUnsupportedError

LOCK_FILE = "carinews.lock"
POLL_SECONDS = 0.1
_UNSUPPORTED = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}


@dataclass
class LockHolder:
    """Who holds (or held) a write lock, as recorded in the lock file."""

    pid: int
    host: str
    started: str
    command: str

    def is_alive(self) -> bool | None:
        """Whether the process still runs; None when it ran on another host."""
        if self.host != socket.gethostname():
            return None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def describe(self) -> str:
        where = "this process" if self.pid == os.getpid() and self.host == socket.gethostname() \
            else f"pid {self.pid} on {self.host}"
        return f"{where}, since {self.started} ({self.command})"

    @classmethod
    def current(cls) -> "LockHolder":
        command = " ".join(["carinews"] + sys.argv[1:]) if sys.argv and sys.argv[0] else "python"
        return cls(os.getpid(), socket.gethostname(),
                   datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"), command[:200])

    @classmethod
    def parse(cls, data: bytes) -> "LockHolder | None":
        try:
            d = orjson.loads(data)
            return cls(int(d["pid"]), str(d["host"]), str(d["started"]), str(d["command"]))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return None


class WriteLock:
    """An exclusive, crash-proof write lock on an index folder."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.path = self.folder / LOCK_FILE
        self.previous: LockHolder | None = None   # record left by a writer that died
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, wait: float = 0.0) -> None:
        """Take the lock, waiting up to `wait` seconds; IndexLockedError if held."""
        import fcntl

        deadline = time.monotonic() + max(0.0, wait)
        fd = self._open()
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno in _UNSUPPORTED:
                        raise LockUnsupportedError(str(self.path), exc.strerror or str(exc)) from exc
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                if time.monotonic() >= deadline:
                    raise self._locked_error(fd, wait)
                time.sleep(POLL_SECONDS)
            self.previous = LockHolder.parse(_read_all(fd))
            _write_record(fd, orjson.dumps(LockHolder.current().__dict__))
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        import fcntl

        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _write_record(fd, b"")
        except OSError:
            pass   # an empty record is a courtesy; the flock is what counts
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def __del__(self):
        if self._fd is not None:
            with contextlib.suppress(Exception):
                os.close(self._fd)

    def _open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            from carinews.errors import IndexWriteError

            raise IndexWriteError(str(self.folder), exc, "cannot take the write lock") from exc

    def _locked_error(self, fd: int, wait: float) -> IndexLockedError:
        holder = LockHolder.parse(_read_all(fd))
        waited = f" after waiting {wait:g} s" if wait else ""
        if holder is None:
            detail = f"another process holds {self.path}{waited}"
            hint = "wait for it to finish or pass --wait SECONDS"
        else:
            detail = f"it is being written by {holder.describe()}{waited}"
            alive = holder.is_alive()
            if alive is False:
                hint = (f"pid {holder.pid} has exited but a process it started still holds the lock; "
                        f"find it with `fuser -v {self.path}` and stop it")
            elif alive is None:
                hint = (f"wait for it to finish, or pass --wait SECONDS; if nothing runs on {holder.host} "
                        f"any more, the lock is freed by the file server")
            else:
                hint = "wait for it to finish, or pass --wait SECONDS"
        return IndexLockedError(str(self.folder), holder, f"{detail}; {hint}")


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _write_record(fd: int, data: bytes) -> None:
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)


@contextlib.contextmanager
def deferred_signals(signums=(signal.SIGINT, signal.SIGTERM)):
    """Hold SIGINT/SIGTERM back while the block runs, then deliver them.

    Only the main thread can set handlers; elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {}
    for signum in signums:
        try:
            previous[signum] = signal.signal(signum, lambda n, _frame: received.append(n))
        except (ValueError, OSError):
            pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        for signum in dict.fromkeys(received):
            signal.raise_signal(signum)
