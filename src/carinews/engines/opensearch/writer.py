"""Bulk-load batches of articles into an OpenSearch index (the engine's `BatchWriter`).

Steps: `submit` splits a batch between forked worker processes (a
`ProcessPoolExecutor` with the fork context, so workers start with the parent's warm stem
and name caches) that extract names, analyse every text with carinews's own analysis and
serialise each article's document (mapping.py) and the terms of its pattern fields
(lexicon.py); `collect` waits for every article's outcome; `commit` sends the batch with
`opensearchpy.helpers.streaming_bulk`: first the lexicon entries this writer has not sent
yet (so a pattern never misses a term of a written article), then the articles, each under
its key (`mapping.doc_id`: re-sending an article overwrites it, so a retried or repeated
batch never duplicates anything), and a delete for each replaced key it does not rewrite;
then a refresh makes the batch visible, and the commit is counted in the index mapping's
`_meta` (engine.version). Items the cluster refuses for a passing reason
(429, 5xx, a connection lost, a node gone) are sent again with exponential back-off; a
batch still not written after ATTEMPTS rounds, or refused for good, raises
`BulkWriteError` naming the batch and the articles not written; a worker that dies is a
`WorkerDiedError` naming the batch and the signal. Each acknowledged write is durable (the
translog is synced before the cluster answers).
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

import orjson
from opensearchpy.exceptions import TransportError
from opensearchpy.helpers import streaming_bulk

from carinews.engines.base import BatchWriter, Prepared
from carinews.engines.prepare import fill_names, prepare_with, worker_death, worker_init
from carinews.engines.opensearch.cluster import describe, talking
from carinews.engines.opensearch.lexicon import article_entries, entry_actions
from carinews.engines.opensearch.mapping import article_source, doc_id
from carinews.errors import ArticleTooLargeError, BulkWriteError, CarinewsError

MIN_PARALLEL = 64                # smaller batches are prepared inline
MAX_WORKERS = 8
MAX_DOCUMENT_BYTES = 90 << 20    # one bulk request must stay under http.max_content_length (100 MB)
CHUNK_ACTIONS = 1000
CHUNK_BYTES = 10 << 20
ATTEMPTS = 8                     # rounds of sending a batch's failed items
BACKOFF = 0.5                    # seconds before the second round, doubling each round
MAX_BACKOFF = 20.0
SHARD_WAIT = "1m"                # how long the cluster waits for a shard's primary before failing an item
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, "N/A", None})
BULK_TIMEOUT = 120               # seconds for one bulk request (the client's own timeout)
MAX_KNOWN_TERMS = 4_000_000      # lexicon entries remembered as sent (then forgotten and re-sent)


def document_json(article, digest: str, stemmer: str) -> tuple[str, dict]:
    """(the document of `article` as JSON, the terms of its pattern fields)."""
    source, terms = article_source(article, digest, stemmer)
    return orjson.dumps(source).decode(), terms


def prepare_article(article, digest: str, stemmer: str) -> tuple[Prepared, str | None, set]:
    """(outcome, the document as JSON or None, its lexicon entries) for one article."""
    done = Prepared(article.key, digest)
    try:
        fill_names(article)
        (text, terms), made_safe = prepare_with(document_json, article, digest, stemmer)
        if made_safe:
            done.made_safe, done.article = True, article
        if len(text) > MAX_DOCUMENT_BYTES // 4 and len(text.encode()) > MAX_DOCUMENT_BYTES:
            raise ArticleTooLargeError(done.key, len(text.encode()), MAX_DOCUMENT_BYTES)
        return done, text, article_entries(terms)
    except Exception as exc:  # noqa: BLE001 - one bad article must not stop the run
        done.error, done.article = exc, article
        return done, None, set()


def prepare_share(share: list[tuple[object, str]], stemmer: str):
    """Prepare part of a batch: [(outcome, doc id, JSON)] and the union of lexicon entries."""
    prepared, entries = [], set()
    for article, digest in share:
        done, text, found = prepare_article(article, digest, stemmer)
        prepared.append((done, doc_id(done.key) if text is not None else None, text))
        entries |= found
    return prepared, entries


class Job:
    """A batch being prepared; `results()` waits for it. `keys` are its articles' keys,
    `number` its place in this run (for messages), `inline` whether it was prepared here."""

    def __init__(self, keys: frozenset[str], number: int | None, futures=None, done=None):
        self.keys, self.number, self.inline = keys, number, futures is None
        self._futures, self._done = futures, done

    def results(self, died):
        """([(outcome, doc id, JSON)] in batch order, the union of lexicon entries);
        `died(number)` gives the error for a worker that died meanwhile."""
        if self._done is None:
            try:
                self._done = _merged([future.result() for future in self._futures])
            except BrokenProcessPool:
                raise died(self.number) from None
        return self._done


class OpenSearchBatchWriter(BatchWriter):
    """Writes batches into the article index `index` (and its lexicon) of the cluster at `url`."""

    def __init__(self, client, url: str, index: str, lexicon: str, stemmer: str,
                 workers: int | None = None, *, attempts: int = ATTEMPTS, backoff: float = BACKOFF,
                 shard_wait: str = SHARD_WAIT):
        self.client, self.url, self.index, self.lexicon, self.stemmer = client, url, index, lexicon, stemmer
        self.workers = min(os.cpu_count() or 1, MAX_WORKERS) if workers is None else workers
        self.attempts, self.backoff, self.shard_wait = attempts, backoff, shard_wait
        self.batches = 0                 # batches committed by this writer
        # (a batch is named by the number the facade gives `submit`, else by its place here)
        self.retried = 0                 # items sent more than once
        self._pool, self._processes = None, []
        self._sent_terms: set = set()

    # -- preparing ---------------------------------------------------------------------------

    def submit(self, batch: list[tuple[object, str]], number: int | None = None) -> Job:
        keys = frozenset(article.key for article, _ in batch)
        if self.workers < 2 or len(batch) < MIN_PARALLEL:
            return Job(keys, number, done=_merged([prepare_share(batch, self.stemmer)]))
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=get_context("fork"),
                                             initializer=worker_init)
            self._pool.submit(int).result()          # the workers are forked now
            self._processes = list((getattr(self._pool, "_processes", None) or {}).values())
        size = -(-len(batch) // self.workers)
        try:
            futures = [self._pool.submit(prepare_share, batch[i:i + size], self.stemmer)
                       for i in range(0, len(batch), size)]
        except BrokenProcessPool:                    # a worker died while the pool was idle
            raise self._died(number) from None
        return Job(keys, number, futures=futures)

    def _died(self, number: int | None):
        return worker_death(self._pool, self._processes, number)

    def collect(self, job: Job) -> list[Prepared]:
        return [done for done, _, _ in job.results(self._died)[0]]

    # -- writing -----------------------------------------------------------------------------

    def commit(self, job: Job, replaced: list[str]) -> None:
        prepared, entries = job.results(self._died)
        number = job.number if job.number is not None else self.batches + 1
        new_terms = entries - self._sent_terms
        batch_keys = sorted(done.key for done, _, text in prepared if text is not None)
        self._send(entry_actions(self.lexicon, sorted(new_terms)), number, "lexicon entries",
                   lambda failed: batch_keys)       # the articles wait for their entries
        actions = [{"_op_type": "index", "_index": self.index, "_id": id_, "_source": text}
                   for _, id_, text in prepared if text is not None]
        written = {a["_id"] for a in actions}
        actions += [{"_op_type": "delete", "_index": self.index, "_id": doc_id(key)}
                    for key in replaced if doc_id(key) not in written]
        keys = {doc_id(done.key): done.key for done, _, _ in prepared}
        keys.update({doc_id(key): key for key in replaced})
        self._send(actions, number, "articles",
                   lambda failed: sorted(keys[a["_id"]] for a in failed))
        self._refresh(number)
        self._count_commit()
        if len(self._sent_terms) + len(new_terms) > MAX_KNOWN_TERMS:
            self._sent_terms.clear()
        self._sent_terms |= new_terms
        self.batches += 1

    def _send(self, actions: list[dict], number: int, what: str, unwritten) -> None:
        """Send `actions`, again and again for the items that failed for a passing reason."""
        pending, reason = actions, ""
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(min(MAX_BACKOFF, self.backoff * 2 ** (attempt - 1)))
                self.retried += len(pending)
            by_id = {(a["_op_type"], a["_id"]): a for a in pending}
            failed, refused = [], []
            for _, item in streaming_bulk(self.client, pending, chunk_size=CHUNK_ACTIONS,
                                          max_chunk_bytes=CHUNK_BYTES, raise_on_error=False,
                                          raise_on_exception=False, yield_ok=False,
                                          timeout=self.shard_wait, request_timeout=BULK_TIMEOUT):
                [(op, info)] = item.items()
                status = info.get("status")
                if op == "create" and status == 409:
                    continue                         # the entry is there already
                if op == "delete" and status == 404:
                    continue                         # nothing to delete
                if status in RETRY_STATUSES:
                    failed.append(by_id[(op, info["_id"])])
                    reason = _reason(info)
                else:
                    refused.append(by_id[(op, info["_id"])])
                    refusal = _reason(info)
            if refused:
                raise BulkWriteError(self.url, self.index, number, unwritten(refused),
                                     f"{what} refused: {refusal}")
            if not failed:
                return
            pending = failed
        raise BulkWriteError(self.url, self.index, number, unwritten(pending),
                             f"{len(pending)} {what} still failing after {self.attempts} "
                             f"attempts: {reason}")

    def _refresh(self, number: int) -> None:
        for attempt in range(self.attempts):
            try:
                with talking(self.url):
                    self.client.indices.refresh(index=f"{self.index},{self.lexicon}")
                return
            except (TransportError, CarinewsError) as exc:
                if attempt + 1 == self.attempts:
                    raise BulkWriteError(self.url, self.index, number, [],
                                         f"written, but not made visible: {describe(exc)}") from None
                time.sleep(min(MAX_BACKOFF, self.backoff * 2 ** attempt))

    def _count_commit(self) -> None:
        """One more commit in the index mapping's `_meta` (what `Engine.version` reads)."""
        with talking(self.url):
            mapping = self.client.indices.get_mapping(index=self.index)[self.index]["mappings"]
            meta = mapping.get("_meta", {})
            meta.setdefault("carinews", {})["commits"] = meta["carinews"].get("commits", 0) + 1
            self.client.indices.put_mapping(index=self.index, body={"_meta": meta})

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _merged(shares):
    return ([p for prepared, _ in shares for p in prepared],
            set().union(*(entries for _, entries in shares)))


def _reason(info: dict) -> str:
    error = info.get("error")
    if isinstance(error, dict):
        return " ".join(f"HTTP {info.get('status')} {error.get('type')}: {error.get('reason')}".split())[:300]
    return " ".join(f"HTTP {info.get('status')}: {error}".split())[:300]


def load_articles(engine, articles, batch_size: int = 1000, workers: int | None = None,
                  progress=None, **options) -> list[Prepared]:
    """Write `articles` in batches, preparing the next batch while the last one is sent (the
    Archive facade's loop, without its skipping of unchanged records and reject reporting:
    for this engine's tests and benchmarks). Returns every article's outcome."""
    outcomes: list[Prepared] = []

    def finish(writer, job):
        done = writer.collect(job)
        outcomes.extend(done)
        written = [d.key for d in done if d.error is None]
        writer.commit(job, sorted(engine.existing("key", written)))
        if progress is not None:
            progress(writer)

    with engine.writer(workers, **options) as writer:
        job = None
        for number, start in enumerate(range(0, len(articles), batch_size), 1):
            batch = [(a, a.content_hash()) for a in articles[start:start + batch_size]]
            new = writer.submit(batch, number)
            if job is not None:
                finish(writer, job)
            job = new
        if job is not None:
            finish(writer, job)
    return outcomes
