"""Prepare articles for the writer, in worker processes while the writer writes.

Steps: `prepare_article` extracts names, analyses the title and body once for
their stemmed and exact fields and builds the writer's field dict (schema.py),
falling back to a JSON-safe copy when the stored record cannot be encoded.
`Preparer` runs it for a whole batch, on a pool of forked workers when the
batch is large enough, so that analysing batch N+1 overlaps with Whoosh
writing batch N in the parent (Whoosh's writer itself is single-process).

Workers are forked, so they start with the parent's warm stem and name caches;
they ignore SIGINT (the parent decides what an interrupt means) and die with
the parent, which owns the only connection to them.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from multiprocessing import get_context

import orjson

from carinews.articles import Article
from carinews.schema import article_fields

MAX_STORED_DEPTH = 100
MIN_PARALLEL = 64      # smaller batches are prepared inline: forking costs more than it saves
CHUNK = 16


@dataclass
class Prepared:
    """The outcome for one article: its writer fields, or the error that stopped it."""

    article: Article
    digest: str
    doc: dict | None = None
    made_safe: bool = False           # stored with characters or nesting JSON cannot hold replaced
    error: Exception | None = None


def prepare_article(article: Article, digest: str, stemmer: str) -> Prepared:
    try:
        fill_names(article)
        try:
            return Prepared(article, digest, article_fields(article, digest, stemmer))
        except (orjson.JSONEncodeError, RecursionError):  # lone surrogates, deep `extra`
            safe = Article(**{k: json_safe(v) for k, v in article.__dict__.items()})
            return Prepared(article, digest, article_fields(safe, digest, stemmer), made_safe=True)
    except Exception as exc:  # noqa: BLE001 - one bad article must not stop the run
        return Prepared(article, digest, error=exc)


def fill_names(article: Article) -> None:
    if article.names:
        return
    from carinews.names import extract_names, top_names

    spans = extract_names(article.title + "\n\n" + article.body)
    article.names = top_names(spans, 50)


def json_text(text: str) -> str:
    """`text` with lone surrogates (undecodable file names) made printable."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8") if isinstance(text, str) else text


def json_safe(value, depth: int = 0):
    if isinstance(value, str):
        return json_text(value)
    if depth > MAX_STORED_DEPTH and isinstance(value, (dict, list, tuple)):
        return "(nested too deeply to store)"
    if isinstance(value, dict):
        return {json_text(str(k)): json_safe(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v, depth + 1) for v in value]
    return value


def _prepare_task(task: tuple[Article, str, str]) -> Prepared:
    return prepare_article(*task)


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


class Job:
    """A batch being prepared; `results()` waits for it."""

    def __init__(self, keys: frozenset[str], pending=None, done: list[Prepared] | None = None):
        self.keys = keys            # the batch's article keys
        self.inline = pending is None
        self._pending, self._done = pending, done

    def results(self) -> list[Prepared]:
        if self._done is None:
            self._done = self._pending.get()
        return self._done


class Preparer:
    """Prepares batches inline or on `workers` forked processes (default: the CPU count)."""

    def __init__(self, stemmer: str, workers: int | None = None):
        self.stemmer = stemmer
        self.workers = (os.cpu_count() or 1) if workers is None else workers
        self._pool = None

    def submit(self, batch: list[tuple[Article, str]]) -> Job:
        tasks = [(article, digest, self.stemmer) for article, digest in batch]
        keys = frozenset(article.key for article, _ in batch)
        if self.workers < 2 or len(tasks) < MIN_PARALLEL:
            return Job(keys, done=[_prepare_task(t) for t in tasks])
        if self._pool is None:
            self._pool = get_context("fork").Pool(self.workers, initializer=_ignore_interrupts)
        return Job(keys, pending=self._pool.map_async(_prepare_task, tasks, chunksize=CHUNK))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
