"""Forked workers never keep a lock the parent has let go (engines/prepare.worker_init).

A worker forked while one of the parent's threads holds a lock file (tantivy's segment
updater holds `.tantivy-meta.lock` while it collects garbage) shares that open file and its
flock; before the fix the idle worker kept the lock after the parent released it, and the
parent's next blocking lock on that index waited for ever (seen once in a CI run, in
test_related's tantivy fixture). Real files, real flocks, a real forked pool.
"""

from __future__ import annotations

import fcntl
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pytest

from carinews.engines.prepare import worker_init

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")


def _lock(path, flags=0) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | flags)
    return fd


def _can_lock(path) -> bool:
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def _open_lock_files() -> list[str]:
    names = []
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
        if target.endswith(".lock"):
            names.append(os.path.basename(target))
    return sorted(names)


@pytest.mark.parametrize("initializer, released", [(worker_init, True), (None, False)])
def test_a_lock_released_after_the_fork_is_free(tmp_path, initializer, released):
    """With worker_init the lock is free once the parent closes its descriptor; without
    it (the pool as before) the idle worker still holds it: the failure this guards."""
    meta = tmp_path / ".tantivy-meta.lock"
    held = _lock(meta)
    pool = ProcessPoolExecutor(1, mp_context=get_context("fork"), initializer=initializer)
    try:
        pool.submit(int).result()          # the worker is forked while the lock is held
        os.close(held)                     # the parent lets go, as tantivy's guard does
        assert _can_lock(meta) is released
    finally:
        pool.shutdown(wait=True)
    assert _can_lock(meta)


def test_a_lock_the_parent_still_holds_stays_held(tmp_path):
    """The worker closes only its copies: the parent's own lock (carinews.lock while it
    writes) stays taken until the parent releases it."""
    lock = tmp_path / "carinews.lock"
    held = _lock(lock)
    pool = ProcessPoolExecutor(1, mp_context=get_context("fork"), initializer=worker_init)
    try:
        pool.submit(int).result()
        assert not _can_lock(lock)
        assert pool.submit(_open_lock_files).result() == []
    finally:
        pool.shutdown(wait=True)
        os.close(held)
    assert _can_lock(lock)
