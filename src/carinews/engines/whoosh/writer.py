"""The Whoosh engine's batch writer: segments written by workers, committed here.

Steps: `submit` splits a batch between forked workers (prepare.py), each
extracting names, analysing and writing one new segment; `collect` waits for
them (WorkerDiedError when one died); `commit` deletes the articles the batch
replaces and adds its segments in one TOC, with SIGINT/SIGTERM held back, and
installs a finished segment merge in the same TOC. Merges chosen by
`segment_writer.choose_merge` run on a worker beside the batches; `finish`
waits for the last ones.
"""

from __future__ import annotations

from carinews.engines.base import BatchWriter
from carinews.engines.whoosh.prepare import Preparer
from carinews.engines.whoosh.segment_writer import keep_all
from carinews.errors import IndexLockedError
from carinews.locking import deferred_signals


class WhooshBatchWriter(BatchWriter):
    def __init__(self, engine, workers: int | None = None):
        self.engine = engine
        self.notes: list[str] = []          # merges dropped after a disk error
        self._preparer = Preparer(engine.stemmer, (str(engine.folder), engine.index_name), workers)
        self._merge = None
        self._merge_failed = False

    def submit(self, batch, number: int | None = None):
        return self._preparer.submit(batch, number)

    def collect(self, job):
        outcomes, job.segments = job.results()
        return outcomes

    def commit(self, job, replaced: list[str]) -> None:
        self._commit(replaced, job.segments if job is not None else [])
        self._plan_merge()

    def finish(self) -> None:
        """Wait for the running merge, install it, and any it calls for."""
        while self._merge is not None:
            self._merge.wait()
            self._commit([], [])
            if not self._merge_failed:
                self._plan_merge()

    def close(self) -> None:
        self._preparer.close()

    def _commit(self, replaced: list[str], segments: list) -> None:
        """Delete `replaced` and add `segments` in one TOC. Signals wait until the commit
        is over, so an interrupt never leaves it half done."""
        index = self.engine.index
        with deferred_signals():
            writer = self._writer()
            try:
                for key in replaced:
                    writer.delete_by_term("key", key)
                merge = self._take_finished_merge()
                if merge is not None:
                    writer.install_merge(*merge)
            except BaseException:
                _cancel(writer)
                raise
            try:
                writer.commit_segments(segments, mergetype=keep_all)
            except OSError:
                committed = index.latest_generation() >= writer.generation
                _cancel(writer)         # frees Whoosh's lock either way
                if not committed:
                    raise
                # the TOC was renamed, so the batch is committed; only a clean-up step failed
            self.engine.committed(replaced)

    def _plan_merge(self) -> None:
        """Start merging segments when the tiered policy asks for it and no merge runs.
        With workers the merge runs beside the next batches; it is installed by the
        first commit after it finishes."""
        from carinews.engines.whoosh.segment_writer import choose_merge

        if self._merge is None and not self._merge_failed:
            sources = choose_merge(self.engine.index._read_toc().segments)
            if sources:
                self._merge = self._preparer.merge(sources)

    def _take_finished_merge(self):
        """(sources, merged segment) of a merge that has finished, else None. A merge
        the disk stopped is dropped (its files are leftovers); the index is unchanged."""
        merge = self._merge
        if merge is None or not merge.ready():
            return None
        self._merge = None
        try:
            return merge.sources, merge.result()
        except OSError as exc:
            self._merge_failed = True        # not retried in this run
            self.notes.append(f"a segment merge failed and was dropped: {exc}")
            return None

    def _writer(self):
        from carinews.engines.whoosh.segment_writer import BulkWriter

        index = self.engine.index
        lock = index.lock("WRITELOCK")
        if not lock.acquire():
            raise IndexLockedError(str(self.engine.folder), None, f"another process holds {lock.filename}")
        try:
            writer = BulkWriter(index)
        except BaseException:
            lock.release()
            raise
        writer.writelock = lock      # released by whoosh at commit or cancel
        return writer


def _cancel(writer) -> None:
    """Cancel a writer that may be half broken (disk full) and free its lock."""
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001
        pass
    lock = getattr(writer, "writelock", None)
    if lock is not None and getattr(lock, "fd", None) is not None:
        try:
            lock.release()
        except OSError:
            pass
