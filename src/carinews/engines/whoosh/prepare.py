"""Prepare articles and write them as index segments, in worker processes.

Steps: `prepare_article` extracts names, analyses the title and body once for
their stemmed and exact fields and builds the writer's field dict (schema.py),
falling back to a JSON-safe copy when the stored record cannot be encoded.
`write_share` prepares a share of a batch and writes it into a new segment
(segment_writer.BulkWriter) without touching the index's TOC. `Preparer`
splits each batch between forked workers, one segment each, so both cores
analyse *and* write; the parent (archive.py) only deletes replaced articles
and commits the segments, while the workers already handle the next batch.
Small batches are written in the parent.

Workers are forked, so they start with the parent's warm stem and name caches;
they ignore SIGINT and are killed with the parent (engines/prepare.py's
`worker_init`); a segment they leave unfinished is in no TOC, and the next
writer removes it. The pool is a
`concurrent.futures.ProcessPoolExecutor`, which notices a worker that dies
(the OOM killer, a crash in a C extension): waiting for a batch or a merge
then raises WorkerDiedError naming the batch and the signal, instead of
waiting for ever as `multiprocessing.Pool` does.
"""

from __future__ import annotations

import gc
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context

from carinews.engines.prepare import (  # noqa: F401 - json_text, json_safe: public here too
    fill_names, json_safe, json_text, prepare_with, worker_death, worker_init,
)
from carinews.engines.whoosh.schema import article_fields
from carinews.errors import WorkerDiedError
from carinews.ingest.articles import Article

MIN_PARALLEL = 64      # smaller batches are written inline: forking costs more than it saves
MAX_WORKERS = 8        # default cap: more workers would cut a 4,000-article batch into tiny segments


@dataclass
class Prepared:
    """The outcome for one article: its writer fields, or the error that stopped it."""

    article: Article | None          # dropped once written (the parent needs only the key)
    digest: str
    doc: dict | None = None
    made_safe: bool = False           # stored with characters or nesting JSON cannot hold replaced
    error: Exception | None = None
    key: str = ""

    def __post_init__(self):
        if self.article is not None:
            self.key = self.article.key


def prepare_article(article: Article, digest: str, stemmer: str) -> Prepared:
    try:
        fill_names(article)
        doc, made_safe = prepare_with(article_fields, article, digest, stemmer)
        return Prepared(article, digest, doc, made_safe=made_safe)
    except Exception as exc:  # noqa: BLE001 - one bad article must not stop the run
        return Prepared(article, digest, error=exc)


def write_share(tasks: list[tuple[Article, str]], stemmer: str, index) -> tuple[list[Prepared], object]:
    """Prepare articles and write them into one new segment of `index` (no TOC).

    Returns each article's outcome (fields dropped once written) and the
    finished segment, or None when nothing was written. An article whose
    fields make the writer fail is rejected alone; a file system error stops
    the share (the caller reports it; the unfinished segment is a leftover for
    the next writer to remove).
    """
    from carinews.engines.whoosh.segment_writer import BulkWriter

    with _collector_paused():
        return _write_share(tasks, stemmer, index, BulkWriter(index))


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while a share is written.

    A share keeps millions of small containers alive (every term's posting lists) and
    creates no reference cycles of its own; the collector would traverse them all again
    and again as they grow. Measured on 6,000 articles in one process: 26.4-28.4 s of CPU
    with the collector, 24.1 s without. Reference counting still frees everything as
    usual; the collector resumes after the share (or when it fails).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write_share(tasks, stemmer: str, index, writer) -> tuple[list[Prepared], object]:
    outcomes = []
    try:
        for article, digest in tasks:
            done = prepare_article(article, digest, stemmer)
            if done.error is None:
                try:
                    writer.add_document(**done.doc)
                except OSError:
                    raise
                except Exception as exc:  # noqa: BLE001 - this article's fields, not the disk
                    done.error = exc
            done.doc = None
            if done.error is None and not done.made_safe:
                done.article = None        # not sent back: the parent has it
            outcomes.append(done)
        return outcomes, writer.finish_segment()
    except BaseException:
        writer.discard()
        raise


def _write_task(task) -> tuple[list[Prepared], object]:
    tasks, stemmer, (folder, name) = task
    from pathlib import Path

    from carinews.engines.whoosh.storage import open_index

    return write_share(tasks, stemmer, open_index(Path(folder), name))


def _merge_task(task):
    sources, (folder, name) = task
    from pathlib import Path

    from carinews.engines.whoosh.segment_writer import merge_segments
    from carinews.engines.whoosh.storage import open_index

    return merge_segments(open_index(Path(folder), name), sources)


class Job:
    """A batch being prepared and written as segments; `results()` waits for it.

    `number` is the batch's place in this run (for messages)."""

    def __init__(self, keys: frozenset[str], number: int | None = None, pending=None, done=None,
                 preparer: "Preparer | None" = None):
        self.keys = keys            # the batch's article keys
        self.number = number
        self.inline = pending is None
        self._pending, self._shares = pending, done     # done: [(outcomes, segment)] per share
        self._preparer = preparer

    def results(self) -> tuple[list[Prepared], list]:
        """Every article's outcome, and the finished segments holding the written ones.
        WorkerDiedError if a worker died."""
        if self._shares is None:
            self._shares = self._preparer.collect(self._pending, self.number)
        return ([done for outcomes, _ in self._shares for done in outcomes],
                [segment for _, segment in self._shares if segment is not None])


class MergeJob:
    """Segments being merged; `result()` waits for the merged segment (None: all deleted)."""

    def __init__(self, sources: list, pending=None, run=None, preparer: "Preparer | None" = None):
        self.sources = sources
        self._pending, self._run = pending, run     # a worker's future, or run here
        self._preparer = preparer

    def ready(self) -> bool:
        return self._pending is None or self._pending.done()

    def wait(self) -> None:
        if self._pending is not None:
            self._preparer.collect([self._pending], None)

    def result(self):
        if self._pending is None:
            return self._run()
        return self._preparer.collect([self._pending], None)[0]


class Preparer:
    """Prepares batches and writes them as new segments of the index at `location`
    (folder, Whoosh index name): in this process, or split between `workers`
    forked processes (default: the CPU count, at most MAX_WORKERS), each writing
    its own segment.
    """

    def __init__(self, stemmer: str, location: tuple[str, str], workers: int | None = None):
        self.stemmer = stemmer
        self.location = location
        self.workers = min(os.cpu_count() or 1, MAX_WORKERS) if workers is None else workers
        self._pool: ProcessPoolExecutor | None = None
        self._processes: list = []       # the pool's workers, to tell which died and how
        self._futures: list = []         # submitted, maybe unfinished

    def submit(self, batch: list[tuple[Article, str]], number: int | None = None) -> Job:
        keys = frozenset(article.key for article, _ in batch)
        if self.workers < 2 or len(batch) < MIN_PARALLEL:
            return Job(keys, number, done=[_write_task((batch, self.stemmer, self.location))])
        size = -(-len(batch) // self.workers)
        shares = [(batch[i:i + size], self.stemmer, self.location) for i in range(0, len(batch), size)]
        return Job(keys, number, pending=[self._submit(_write_task, share, number) for share in shares],
                   preparer=self)

    def merge(self, sources: list) -> "MergeJob":
        """Merge index segments into one, on a worker when there is a pool (beside the
        batches' shares), else here and now."""
        task = (sources, self.location)
        if self._pool is None:
            return MergeJob(sources, run=lambda: _merge_task(task))
        return MergeJob(sources, pending=self._submit(_merge_task, task, None), preparer=self)

    def collect(self, futures: list, batch: int | None) -> list:
        """The futures' results, in order; WorkerDiedError if a worker died first."""
        try:
            return [future.result() for future in futures]
        except BrokenProcessPool:
            raise self._died(batch) from None

    def _submit(self, function, task, batch: int | None):
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=get_context("fork"),
                                             initializer=worker_init)
        try:
            future = self._pool.submit(function, task)
        except BrokenProcessPool:        # a worker died while the pool was idle
            raise self._died(batch) from None
        if not self._processes:          # forked by the first submit, all at once (fork context)
            self._processes = list((getattr(self._pool, "_processes", None) or {}).values())
        self._futures = [f for f in self._futures if not f.done()] + [future]
        return future

    def _died(self, batch: int | None) -> WorkerDiedError:
        return worker_death(self._pool, self._processes, batch)

    def close(self) -> None:
        """Stop the workers: at once if they still have work (an interrupt or an error:
        what they were writing is a leftover), else when they are done."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if any(not future.done() for future in self._futures):
            for process in self._processes:
                if process.exitcode is None:
                    process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        self._futures = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
