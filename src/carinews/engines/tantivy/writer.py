"""Write batches into a tantivy index: documents prepared by forked workers, one commit each.

Steps: the writer forks its workers (a `ProcessPoolExecutor`; engines/prepare.py's
`worker_init`: SIGINT ignored, killed with the parent; a worker that dies makes
the batch fail with BrokenProcessPool rather than hang) before it opens
tantivy's IndexWriter, whose threads a fork should not copy. `submit` splits a
batch into shares of SHARE articles for them. Each worker extracts names and
builds each article's tantivy JSON document (documents.py); small batches are
prepared in this process. `collect` waits for a batch and returns every
article's outcome. `commit` deletes the live articles the batch replaces, adds
its documents (tantivy parses each JSON string in Rust, off the GIL, and
indexes it on its own thread) and commits: tantivy writes the new segments,
then replaces meta.json atomically, so a process killed at any moment leaves
the previous commit. tantivy merges segments in the background and publishes
each merge the same way; `finish` waits for them.

The parent holds the only tantivy IndexWriter (tantivy's lock file makes a
second one fail, mapped to IndexLockedError); the Archive facade holds the
folder's write lock around all of this.
"""

from __future__ import annotations

import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

from carinews.engines.base import BatchWriter, Prepared
from carinews.engines.prepare import fill_names, prepare_with, worker_death, worker_init
from carinews.engines.tantivy.documents import document_json
from carinews.errors import IndexLockedError

SHARE = 100            # articles per worker task: small enough to spread a batch evenly
MIN_PARALLEL = 64      # smaller batches are prepared inline: forking costs more than it saves
MAX_WORKERS = 8
HEAP_BYTES = 96_000_000
INDEX_THREADS = 1      # the Python workers have the cores; one indexing thread keeps up


class Job:
    """A batch being prepared; `outcomes()` waits for it. `keys` are its articles' keys,
    `number` its place in this run (for messages), `inline` whether it was prepared here."""

    def __init__(self, keys: frozenset[str], number: int | None, pending=None, done=None):
        self.keys, self.number, self.inline = keys, number, pending is None
        self._pending, self._done = pending, done
        self.documents: list[str] = []

    def outcomes(self, died) -> list[tuple[Prepared, str | None]]:
        if self._done is None:
            try:
                self._done = [item for future in self._pending for item in future.result()]
            except BrokenProcessPool:
                raise died(self.number) from None
            self._pending = None
        return self._done


class TantivyBatchWriter(BatchWriter):
    def __init__(self, engine, workers: int | None = None):
        self._engine = engine
        self.workers = min(os.cpu_count() or 1, MAX_WORKERS) if workers is None else workers
        self._pool = None
        self._processes: list = []
        if self.workers >= 2:
            # Fork the workers before tantivy starts its indexing threads in this process.
            self._pool = ProcessPoolExecutor(self.workers, mp_context=get_context("fork"),
                                             initializer=worker_init)
            self._pool.submit(int).result()
            self._processes = list((getattr(self._pool, "_processes", None) or {}).values())
        try:
            self._writer = engine.index.writer(HEAP_BYTES, INDEX_THREADS)
        except ValueError as exc:          # tantivy's lock file is held
            self.close()
            raise IndexLockedError(str(engine.folder), None, str(exc)) from exc

    def submit(self, batch, number: int | None = None) -> Job:
        task = (self._engine.stemmer, str(self._engine.folder))
        keys = frozenset(article.key for article, _ in batch)
        if self._pool is None or len(batch) < MIN_PARALLEL:
            return Job(keys, number, done=prepare_share(batch, *task))
        try:
            return Job(keys, number, pending=[self._pool.submit(prepare_share, batch[i:i + SHARE], *task)
                                              for i in range(0, len(batch), SHARE)])
        except BrokenProcessPool:        # a worker died while the pool was idle
            raise self._died(number) from None

    def _died(self, batch: int | None):
        return worker_death(self._pool, self._processes, batch)

    def collect(self, job: Job) -> list[Prepared]:
        outcomes = job.outcomes(self._died)
        job.documents = [doc for _, doc in outcomes if doc is not None]
        return [done for done, _ in outcomes]

    def commit(self, job: Job, replaced: list[str]) -> None:
        if not job.documents and not replaced:
            return
        writer = self._writer
        try:
            for key in replaced:
                writer.delete_documents_by_term("key", key)
            for doc in job.documents:
                writer.add_json(doc)
            writer.commit()
        except BaseException:
            _rollback(writer)
            raise
        job.documents = []
        self._engine.reload()

    def finish(self) -> None:
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.wait_merging_threads()
            self._engine.reload()

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            _stop(pool)
        writer, self._writer = getattr(self, "_writer", None), None
        if writer is not None:
            _rollback(writer)
            del writer                     # drops tantivy's writer and its lock file


def prepare_share(tasks, stemmer: str, folder: str) -> list[tuple[Prepared, str | None]]:
    """(outcome, JSON document or None) for each (Article, content hash); runs in a worker."""
    out = []
    for article, digest in tasks:
        try:
            fill_names(article)
            doc, made_safe = prepare_with(document_json, article, digest, stemmer, folder)
            out.append((Prepared(article.key, digest, made_safe=made_safe,
                                 article=article if made_safe else None), doc))
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the run
            out.append((Prepared(article.key, digest, error=_portable(exc), article=article), None))
    return out


def _portable(exc: Exception) -> Exception:
    """`exc`, or a RuntimeError naming it when it cannot travel back from a worker."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _rollback(writer) -> None:
    try:
        writer.rollback()
    except Exception:  # noqa: BLE001 - a broken writer is dropped anyway
        pass


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now: queued shares are cancelled and running ones killed."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join()
