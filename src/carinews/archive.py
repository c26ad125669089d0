"""Archive: an on-disk carinews index.

Steps:
1. `Archive.open` reads the folder's settings file (`carinews.json`: schema
   version, analysis version, stemmer and `index_name`, the live Whoosh index
   in the folder) and refuses an index written by another version
   (SchemaMismatchError naming `--rebuild`). `Archive.create` also takes the
   folder's write lock (locking.py) and holds it until `close`; `add` on an
   opened archive holds it while it runs.
2. `add` takes Articles (and reader errors, and `Unchanged` records the reader
   recognised by raw digest through `known_record`) in batches, skips
   unchanged ones by content hash, has the rest written as new segments by
   worker processes (prepare.py), deletes the articles they replace (same key:
   normalised URL or id) and commits each batch with SIGINT/SIGTERM held back.
   Segment merges chosen by `segment_writer.choose_merge` run on a worker and
   are installed by a later commit.
3. A rebuild writes a second Whoosh index (`carinews-N`) beside the live one.
   The end of the first complete `add` switches `carinews.json` to it with one
   atomic rename and deletes the old one; until then readers keep the old
   index. An interrupted or failed rebuild is dropped, and so is one that read
   no article, or (unless `force`) one that holds less than half the articles
   of the index it would replace (RebuildRefusedError): a typo or a folder of
   broken files never replaces an archive. A worker process that dies stops
   `add` with WorkerDiedError; what was committed before stays.
4. `search`, `get` and `stats` read the last committed state.

What the guarantees rest on:
- Whoosh commits by writing the segment files, then the TOC under a temporary
  name, renamed atomically to `_<name>_<generation>.toc`; readers take the
  highest generation. A process killed at any moment leaves the previous TOC
  and all its segments in place. `storage.SyncedStorage` fsyncs each file
  before the rename and the folder after it, so a power cut cannot undo a
  commit either.
- Leftovers of a killed writer (temporary TOCs, `<name>.tmp` pools,
  unreferenced segments, a dropped rebuild) are deleted by the next writer,
  under the lock.
- A reader that loses a race with a commit (a file deleted between listing and
  opening) retries, following a rebuild to the new index.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from carinews.engines.whoosh import skipping
from carinews.engines.whoosh import storage
from carinews.ingest.articles import Article, Unchanged
from carinews.errors import (
    EmptyRebuildError,
    IndexChangingError,
    IndexLockedError,
    IndexNotFoundError,
    IndexWriteError,
    RebuildAbandonedError,
    RebuildShrinkError,
    SchemaMismatchError,
    SkippedRecord,
    SourceError,
    SourceWarning,
    UnknownStemmerError,
    WorkerDiedError,
)
from carinews.engines.whoosh.known_records import KnownRecords
from carinews.locking import WriteLock, deferred_signals
from carinews.engines.whoosh.prepare import Preparer, json_text as _json_text
from carinews.engines.whoosh.segment_writer import keep_all
from carinews.engines.whoosh.schema import STEMMERS
from carinews.engines.whoosh.storage import SETTINGS_FILE  # noqa: F401 - public: the settings file name

DEFAULT_BATCH = 4000
OPEN_ATTEMPTS = 40
MAX_FAILURES_IN_A_ROW = 20   # more articles than this failing one after another is a bug



def default_index_path() -> Path:
    """`$CARINEWS_INDEX`, else `./index`."""
    return Path(os.environ.get("CARINEWS_INDEX") or "index")


@dataclass
class IndexReport:
    """What one `Archive.add` call did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    rejected: int = 0
    warnings: int = 0
    skipped: dict[str, int] = field(default_factory=dict)   # records not indexed on purpose, by kind
    committed_batches: int = 0
    interrupted: bool = False
    abandoned: int = 0          # articles read but not committed because of an interrupt
    rebuild_abandoned: bool = False
    seconds: float = 0.0
    errors: list[SourceError] = field(default_factory=list)
    summary_lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # recovery and rebuild notes for the user

    @property
    def indexed(self) -> int:
        return self.added + self.replaced

    def count_error(self, error: SourceError, strict: bool = False, on_error=None) -> None:
        """Count a rejected record (raised when `strict`), a skipped one or a warning, and pass it on."""
        if isinstance(error, SkippedRecord):
            self.skipped[error.kind] = self.skipped.get(error.kind, 0) + 1
        elif isinstance(error, SourceWarning):
            self.warnings += 1
        else:
            self.rejected += 1
            if strict:
                raise error
        self.errors.append(error)
        if on_error:
            on_error(error)

    def to_dict(self) -> dict:
        return {
            "added": self.added, "replaced": self.replaced, "unchanged": self.unchanged,
            "rejected": self.rejected, "warnings": self.warnings, "skipped": dict(self.skipped),
            "committed_batches": self.committed_batches,
            "interrupted": self.interrupted, "abandoned": self.abandoned,
            "rebuild_abandoned": self.rebuild_abandoned,
            "seconds": round(self.seconds, 3), "summary": self.summary_lines,
            "notes": [_json_text(n) for n in self.notes],
            "errors": [_json_text(str(e)) for e in self.errors[:1000]],
        }


class Archive:
    """An index folder. Use `Archive.create` (new or existing) or `Archive.open`."""

    def __init__(self, path: Path, index, settings: dict):
        self.path = path
        self._index = index
        self.settings = settings
        self._searcher = None
        self.lock_wait = 0.0            # seconds `add` waits for another writer
        self._lock: WriteLock | None = None
        self._old_name: str | None = None   # live index while a rebuild is pending
        self._old_count: int | None = None  # its articles (None: unreadable)
        self._force = False                 # switch a rebuild in even if it shrinks the archive
        self._abandoned = False
        self._notes: list[str] = []
        self._failures = 0
        self._columns = None
        self._known = KnownRecords()

    # -- lifecycle -----------------------------------------------------------

    @classmethod
    def create(cls, path: str | os.PathLike | None = None, *, stemmer: str | None = None,
               rebuild: bool = False, force: bool = False, wait: float = 0.0) -> "Archive":
        """Open the index at `path` for writing, creating it if needed.

        Takes the folder's write lock (waiting up to `wait` seconds for another
        writer) until `close`. `rebuild` builds a new index beside the old one,
        which stays live until the first `add` completes and is switched in
        only if that `add` read at least one article and, unless `force`, holds
        at least half as many articles as the old one. `stemmer` is fixed when
        an index is created; asking an existing one for another is an error
        that names `--rebuild`.
        """
        path = Path(path) if path is not None else default_index_path()
        if stemmer is not None and stemmer not in STEMMERS:
            raise UnknownStemmerError(stemmer, STEMMERS)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IndexWriteError(str(path), exc, "cannot create the index folder") from exc
        lock = _take_lock(path, wait)
        try:
            archive = cls._create_locked(path, stemmer, rebuild)
        except BaseException:
            lock.release()
            raise
        archive._lock, archive.lock_wait, archive._force = lock, wait, force
        archive._notes += _lock_notes(lock)
        return archive

    @classmethod
    def _create_locked(cls, path: Path, stemmer: str | None, rebuild: bool) -> "Archive":
        current = storage.read_settings(path, missing_ok=True, broken_ok=rebuild)
        live_name = (current or {}).get("index_name", storage.INDEX_NAME)
        live = storage.latest_generation(path, live_name) >= 0
        if live and not rebuild:
            archive = cls._open_checked(path)
            if stemmer is not None and stemmer != archive.stemmer:
                raise SchemaMismatchError(str(path), f"stemmer {archive.stemmer}", f"stemmer {stemmer}")
            storage.clean_leftovers(path, {live_name})
            return archive
        stemmer = stemmer or "sastrawi"
        try:
            if live:
                name = storage.next_name(path)
                storage.clean_leftovers(path, {live_name})
                archive = cls(path, storage.create_index(path, name, stemmer), storage.new_settings(stemmer, name))
                archive._old_name, archive._old_count = live_name, _count_articles(path, live_name)
                return archive
            storage.clean_leftovers(path, set())
            settings = storage.new_settings(stemmer, storage.INDEX_NAME)
            storage.write_settings(path, settings)      # first: a folder with settings but no TOC is "no index"
            return cls(path, storage.create_index(path, storage.INDEX_NAME, stemmer), settings)
        except OSError as exc:
            raise IndexWriteError(str(path), exc, "cannot create the index") from exc

    @classmethod
    def open(cls, path: str | os.PathLike | None = None) -> "Archive":
        """Open an existing index for reading (and `add`, which then takes the lock)."""
        path = Path(path) if path is not None else default_index_path()
        for attempt in range(OPEN_ATTEMPTS):
            try:
                return cls._open_checked(path)
            except storage.RACES:   # a commit or rebuild removed files while we opened them
                time.sleep(0.002 * (attempt + 1))
        raise IndexChangingError(str(path), "open")

    @classmethod
    def _open_checked(cls, path: Path) -> "Archive":
        if not path.is_dir():
            raise IndexNotFoundError(str(path))
        settings = storage.read_settings(path, missing_ok=True)
        name = (settings or {}).get("index_name", storage.INDEX_NAME)
        if storage.latest_generation(path, name) < 0:
            if settings != storage.read_settings(path, missing_ok=True, broken_ok=True):
                raise FileNotFoundError(name)   # switched by a rebuild meanwhile: retry
            raise IndexNotFoundError(str(path))
        if settings is None:
            raise SchemaMismatchError(str(path), "no carinews.json", f"schema {storage.SCHEMA_VERSION}")
        storage.check_versions(path, settings)
        return cls(path, storage.open_index(path, name), settings)

    def close(self) -> None:
        try:
            self._abandon_rebuild(IndexReport())    # a rebuild never added to: the old index stays
        finally:
            self._drop_searcher()
            self._release_lock()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is not None and self._old_name is not None:
            self._abandon_rebuild(IndexReport())
        self.close()

    @property
    def stemmer(self) -> str:
        return self.settings["stemmer"]

    @property
    def index_name(self) -> str:
        return self.settings.get("index_name", storage.INDEX_NAME)

    @property
    def engine(self):
        """The engine answering searches on this index (engines/base.py)."""
        from carinews.engines.whoosh.engine import WhooshEngine

        return WhooshEngine(self.searcher)

    def searcher(self):
        """A Whoosh searcher on the newest committed state."""
        for attempt in range(OPEN_ATTEMPTS):
            try:
                return self._fresh_searcher()
            except storage.RACES:
                self._drop_searcher()
                self._follow_rebuild()
                time.sleep(0.002 * (attempt + 1))
        raise IndexChangingError(str(self.path), "read")

    def _fresh_searcher(self):
        # Not `Searcher.refresh()`: in Whoosh 2.7.5 it keeps the old reader's
        # segments (merged-away ones too) and their cached deletions, so a
        # refreshed searcher shows deleted and duplicated documents.
        if self._searcher is not None and not self._searcher.up_to_date():
            self._drop_searcher()
        if self._searcher is None:
            self._searcher = skipping.use_skipping(self._index.searcher())
        return self._searcher

    def _drop_searcher(self) -> None:
        if self._searcher is not None:
            try:
                self._searcher.close()
            finally:
                self._searcher = None

    def _follow_rebuild(self) -> None:
        """Another process rebuilt the index: switch to the new one."""
        if self._old_name is not None:
            return
        settings = storage.read_settings(self.path, missing_ok=True, broken_ok=True)
        if settings and settings.get("index_name", storage.INDEX_NAME) != self.index_name:
            storage.check_versions(self.path, settings)
            try:
                self._index, self.settings = storage.open_index(self.path, settings["index_name"]), settings
            except storage.RACES:
                pass

    # -- writing -------------------------------------------------------------

    def add(self, items: Iterable[Article | SourceError], *, batch_size: int = DEFAULT_BATCH,
            strict: bool = False, progress: Callable[[IndexReport], None] | None = None,
            on_error: Callable[[SourceError], None] | None = None,
            workers: int | None = None) -> IndexReport:
        """Index articles in committed batches; returns what happened.

        Each batch is split between `workers` forked processes (default: one
        per CPU; 0 or 1 = in this process) that extract names, analyse and
        write one new segment each (prepare.py, segment_writer.py); this
        process reads the next batch meanwhile and commits the segments, and
        merges run on the workers beside the batches.

        Every item is counted once: added, replaced (a later record of the same
        article, even in the same batch, replaces an earlier one), unchanged or
        rejected. Reader errors in `items` are counted (and passed to
        `on_error`), not raised, unless `strict`. On KeyboardInterrupt the
        current batch is committed if its commit had begun, else abandoned;
        earlier batches stay committed and the report says which. A worker that
        dies raises WorkerDiedError; earlier batches stay committed. A pending
        rebuild is switched in when this call completes (see `create`: else
        RebuildRefusedError) and dropped when it does not.
        """
        if self._abandoned:
            raise RebuildAbandonedError(str(self.path))
        report = IndexReport()
        start = time.perf_counter()
        own_lock = self._lock is None
        if own_lock:
            self._lock = _take_lock(self.path, self.lock_wait)
            self._known = KnownRecords()    # others may have written since we last held it
            self._notes += _lock_notes(self._lock)
            storage.clean_leftovers(self.path, {self.index_name})
        report.notes, self._notes = self._notes, []
        pending: dict[str, Article] = {}
        self._open_batches: list[int] = []   # prepared or preparing, not yet being written
        self._writing = 0                     # articles of the batch being written
        self._batches = 0                     # batches read in this call
        try:
            try:
                with Preparer(self.stemmer, (str(self.path), self.index_name), workers) as preparer:
                    self._preparer, self._merge, self._merge_failed = preparer, None, False
                    job = None
                    for item in items:
                        article = self._admit(item, pending, job, report, strict, on_error)
                        if article is None:
                            continue
                        if article.key in pending:
                            _count_superseded(pending[article.key], article, report)
                        pending[article.key] = article
                        if len(pending) >= batch_size:
                            batch, pending = pending, {}
                            job = self._next_batch(job, batch, preparer, report, on_error)
                            if progress:
                                progress(report)
                    if pending:
                        batch, pending = pending, {}
                        job = self._next_batch(job, batch, preparer, report, on_error)
                    self._write_prepared(job, report, on_error)
                    self._finish_merges(report)
            except WorkerDiedError as exc:
                raise exc.with_state(str(self.path), self._kept(report)) from None
            if self._old_name is not None:
                self._finish_rebuild(report)
        except KeyboardInterrupt:
            report.interrupted = True
            report.abandoned += len(pending) + sum(self._open_batches) + self._writing
            self._abandon_rebuild(report)
        except BaseException:
            self._abandon_rebuild(report)
            raise
        finally:
            # The workers are gone: remove segments they left unfinished or that an
            # interrupt abandoned, and the writers' shared temporary folder.
            keep = {self.index_name} | ({self._old_name} if self._old_name else set())
            storage.clean_leftovers(self.path, keep)
            report.seconds = time.perf_counter() - start
            if own_lock:
                self._release_lock()
        return report

    def _admit(self, item, pending: dict[str, Article], job, report: IndexReport, strict: bool,
               on_error) -> Article | None:
        """The article an item of `add` puts in the batch, or None when it is counted
        already (a reader error, a record the index holds as read)."""
        if isinstance(item, SourceError):
            report.count_error(item, strict, on_error)
            return None
        if not isinstance(item, Unchanged):
            return item
        if item.key not in pending and (job is None or item.key not in job.keys):
            report.unchanged += 1
            return None
        # a newer version of it is waiting to be written: this one, later in the
        # input, wins; the index has it stored
        stored = self._stored_by_key(item.key)
        if stored is None:
            report.count_error(SourceError(_json_text(item.key), "matched an indexed copy that is no "
                                           "longer in the index; its newer version is kept"),
                               strict, on_error)
        return stored

    def _next_batch(self, job, batch: dict[str, Article], preparer, report: IndexReport,
                    on_error):
        """Skip the batch's unchanged articles, start preparing the rest, then write the
        batch prepared before it (so preparing and writing overlap). Returns the new job,
        or None when it was prepared inline and written at once."""
        searcher = self.searcher()
        unwritten = job.keys if job is not None else frozenset()
        todo = []
        for key, article in batch.items():
            digest = article.content_hash()
            # The index does not have the batch before this one yet: an article that
            # batch also holds must be written again, after it, even if "unchanged".
            if key not in unwritten and searcher.document_number(hash=digest) is not None:
                report.unchanged += 1
            else:
                todo.append((article, digest))
        self._batches += 1
        if todo:
            self._open_batches.append(len(todo))     # abandoned if interrupted from here on
        try:
            new_job = preparer.submit(todo, self._batches) if todo else None
        except OSError as exc:      # written inline: the disk failed
            raise self._write_error(exc, report) from exc
        self._write_prepared(job, report, on_error)
        if new_job is not None and new_job.inline:  # nothing to overlap: write it now
            self._write_prepared(new_job, report, on_error)
            return None
        return new_job

    def _write_prepared(self, job, report: IndexReport, on_error) -> None:
        """Collect a written batch, count its rejects and commit its segments."""
        if job is None:
            return
        try:
            outcomes, segments = job.results()
        except OSError as exc:
            raise self._write_error(exc, report) from exc
        written = []
        searcher = self.searcher()
        for done in outcomes:
            if done.error is not None:
                self._reject(done.article, done.error, report, on_error)
                continue
            if done.made_safe:
                report.count_error(_article_error(done.article, "stored with characters or nesting "
                                                  "that JSON cannot hold replaced", SourceWarning),
                                   on_error=on_error)
            self._failures = 0
            written.append((done.key, searcher.document_number(key=done.key) is not None))
        self._open_batches.pop(0)
        if written:
            self._writing = len(written)     # abandoned if interrupted before the commit
            self._commit(written, segments, report)
            self._plan_merge()

    def _plan_merge(self) -> None:
        """Start merging segments when the tiered policy asks for it and no merge runs.
        With workers the merge runs beside the next batches; it is installed by the
        first commit after it finishes."""
        from carinews.engines.whoosh.segment_writer import choose_merge

        if self._merge is None and not self._merge_failed:
            sources = choose_merge(self._index._read_toc().segments)
            if sources:
                self._merge = self._preparer.merge(sources)

    def _finish_merges(self, report: IndexReport) -> None:
        """At the end of `add`: wait for the running merge, install it, and any it calls for."""
        while self._merge is not None:
            self._merge.wait()
            self._commit([], [], report)
            if not self._merge_failed:
                self._plan_merge()

    def _reject(self, article: Article, exc: Exception, report: IndexReport, on_error) -> None:
        """Reject an article that made analysis or the writer fail; many failures in
        a row are a bug, not bad input, and are raised."""
        self._failures += 1
        if self._failures >= MAX_FAILURES_IN_A_ROW:
            raise exc
        report.count_error(_article_error(article, f"cannot index: {type(exc).__name__}: {exc}"),
                           on_error=on_error)

    def _commit(self, written: list[tuple[str, bool]], segments: list, report: IndexReport) -> None:
        """Commit one batch: delete the articles it replaces and add its segments
        (written by the preparer) in one TOC. Signals wait until the commit is
        over, so an interrupt never leaves it half done."""
        with deferred_signals():
            writer = self._writer(report)
            try:
                for key, exists in written:
                    if exists:
                        writer.delete_by_term("key", key)
                merge = self._take_finished_merge(report)
                if merge is not None:
                    writer.install_merge(*merge)
            except OSError as exc:
                _cancel(writer)
                raise self._write_error(exc, report) from exc
            except BaseException:
                _cancel(writer)
                raise
            try:
                writer.commit_segments(segments, mergetype=keep_all)
            except OSError as exc:
                committed = self._index.latest_generation() >= writer.generation
                _cancel(writer)         # frees Whoosh's lock either way
                if not committed:
                    raise self._write_error(exc, report) from exc
                # the TOC was renamed, so the batch is committed; only a clean-up step failed
            self._known.committed(key for key, exists in written if exists)
            if written:
                report.added += sum(1 for _, exists in written if not exists)
                report.replaced += sum(1 for _, exists in written if exists)
                report.committed_batches += 1
            self._writing = 0

    def _take_finished_merge(self, report: IndexReport):
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
            report.notes.append(f"a segment merge failed and was dropped: {exc}")
            return None

    def _writer(self, report: IndexReport):
        from carinews.engines.whoosh.segment_writer import BulkWriter

        lock = self._index.lock("WRITELOCK")
        try:
            if not lock.acquire():
                raise IndexLockedError(str(self.path), None, f"another process holds {lock.filename}")
            try:
                writer = BulkWriter(self._index)
            except BaseException:
                lock.release()
                raise
        except OSError as exc:
            raise self._write_error(exc, report) from exc
        writer.writelock = lock      # released by whoosh at commit or cancel
        return writer

    def _write_error(self, error: OSError, report: IndexReport) -> IndexWriteError:
        return IndexWriteError(str(self.path), error, "cannot write to the index",
                               self._kept(report, "fix that and run"))

    def _kept(self, report: IndexReport, advice: str = "run") -> str:
        """What the index keeps after a failure in this `add`, and what to do."""
        if self._old_name is not None:
            return "the rebuild was dropped and the previous index is unchanged"
        return (f"nothing committed is lost: the index holds every batch committed before this one "
                f"({report.indexed} articles from this run); {advice} the same command again to finish")

    def _finish_rebuild(self, report: IndexReport) -> None:
        """Switch a finished rebuild in, unless it read no article or (without
        `force`) would shrink the archive to less than half: then drop it, keep
        the old index live and raise RebuildRefusedError."""
        new, old = _count_articles(self.path, self.index_name), self._old_count
        if new == 0:
            self._abandon_rebuild(report, note=False)
            raise EmptyRebuildError(str(self.path), old, report)
        if old is not None and 2 * (new or 0) < old and not self._force:
            self._abandon_rebuild(report, note=False)
            raise RebuildShrinkError(str(self.path), old, new or 0, report)
        self._publish(report)

    def _publish(self, report: IndexReport) -> None:
        """Make a finished rebuild the live index: one atomic settings rename."""
        with deferred_signals():
            try:
                storage.write_settings(self.path, self.settings)
            except OSError as exc:
                raise IndexWriteError(str(self.path), exc, "cannot switch to the rebuilt index",
                                      "the previous index is unchanged") from exc
            old, self._old_name = self._old_name, None
        storage.remove_index(self.path, old)

    def _abandon_rebuild(self, report: IndexReport, note: bool = True) -> None:
        if self._old_name is None:
            return
        name, old = self.index_name, self._old_name
        self._old_name, self._abandoned = None, True
        self._drop_searcher()
        report.rebuild_abandoned = True
        if note:
            report.notes.append("the rebuild was dropped; the previous index is unchanged")
        storage.remove_index(self.path, name)
        try:
            self.settings = storage.read_settings(self.path, missing_ok=True, broken_ok=True) or self.settings
            self._index = storage.open_index(self.path, old)
        except Exception:  # noqa: BLE001 - the old index may be unreadable (that is why it was rebuilt)
            pass

    def _release_lock(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()

    # -- reading -------------------------------------------------------------

    def known_record(self, raw_digest: str) -> Unchanged | None:
        """`Unchanged` if a record with this raw digest is indexed (for `read_articles`).
        While this archive holds the write lock, answered from the index's raw digests
        read once per segment (known_records.py); otherwise looked up each time."""
        if self._lock is not None:
            found = self._known.lookup(self.searcher, raw_digest)
        else:
            found = self._lookup_raw(raw_digest)
        if found is None:
            return None
        key, state = found
        return Unchanged(key, dated=state != "undated", inferred=state == "inferred")

    def _lookup_raw(self, raw_digest: str) -> tuple[str, str] | None:
        searcher = self.searcher()
        docnum = searcher.document_number(raw=raw_digest)
        if docnum is None:
            return None
        cached = self._columns
        if cached is None or cached[0] is not searcher:
            reader = searcher.reader()
            cached = self._columns = (searcher, reader.column_reader("key"), reader.column_reader("state"))
        return cached[1][docnum], cached[2][docnum]

    def _stored_by_key(self, key: str) -> Article | None:
        stored = self.searcher().document(key=key)
        return _stored_article(stored) if stored else None

    def get(self, article_id: str) -> Article | None:
        """The stored article with this id (or key / normalised URL)."""
        engine = self.engine
        stored = (engine.document("id", article_id) or engine.document("key", article_id)
                  or engine.document("url", article_id))
        return _stored_article(stored) if stored else None

    def __len__(self) -> int:
        return self.searcher().doc_count()

    def stats(self) -> dict:
        engine = self.engine
        outlets = engine.field_counts("outlet")
        months = engine.field_counts("month")
        articles = engine.doc_count()
        return {
            "index": str(self.path),
            "articles": articles,
            "sources": dict(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
            "first_month": min(months) if months else None,
            "last_month": max(months) if months else None,
            "undated": articles - sum(months.values()),
            "stemmer": self.stemmer,
            "schema_version": self.settings["schema_version"],
            "analysis_version": self.settings["analysis_version"],
            "size_bytes": storage.folder_size(self.path),
        }

    def search(self, query: str, **options):
        """Parse and run a query; see `carinews.search.run_search` for options."""
        from carinews.search import run_search

        return run_search(self, query, **options)

    def names(self, query: str, *, limit: int = 20, **options) -> list[tuple[str, int]]:
        """The names most frequent in the articles matching `query`."""
        from carinews.search import count_names

        return count_names(self, query, limit=limit, **options)


# -- articles -----------------------------------------------------------------

def _stored_article(stored: dict) -> Article:
    return Article.from_dict(orjson.loads(stored["doc"]))


def _count_superseded(earlier: Article, later: Article, report: IndexReport) -> None:
    """Count a record that a later one of the same article replaces before either is
    written: unchanged if it is the same, else replaced (as across batches)."""
    if earlier.content_hash() == later.content_hash():
        report.unchanged += 1
    else:
        report.replaced += 1


def _article_error(article: Article, reason: str, kind=SourceError) -> SourceError:
    origin = article.origin or article.key
    path, _, line = origin.rpartition(":")
    if path and line.isdigit():
        return kind(_json_text(path), reason, int(line))
    return kind(_json_text(origin), reason)


# -- the folder -----------------------------------------------------------------

def _count_articles(path: Path, name: str) -> int | None:
    """Articles in the committed state of the Whoosh index `name`, from its table of
    contents; None when it cannot be read (an index being rebuilt may be broken)."""
    try:
        return sum(segment.doc_count() for segment in storage.open_index(path, name)._read_toc().segments)
    except Exception:  # noqa: BLE001 - unreadable, or written by another version
        return None


def _take_lock(path: Path, wait: float) -> WriteLock:
    lock = WriteLock(path)
    lock.acquire(wait)
    return lock


def _lock_notes(lock: WriteLock) -> list[str]:
    if lock.previous is None:
        return []
    return [f"the previous write ({lock.previous.describe()}) stopped without finishing; "
            f"its committed batches are kept and its leftovers were removed"]


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
