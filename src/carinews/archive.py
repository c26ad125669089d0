"""Archive: a carinews index, the facade over one engine (engines/base.py).

Steps:
1. `Archive.open` reads the folder's settings file (`carinews.json`, folder.py:
   engine, schema and analysis versions, stemmer and `index_name`, the engine's
   live index in the folder) and refuses an index written by another version
   (SchemaMismatchError naming `--rebuild`). `Archive.create` also takes the
   folder's write lock (locking.py) and holds it until `close`; `add` on an
   opened archive holds it while it runs.
2. `add` takes Articles (and reader errors, and `Unchanged` records the reader
   recognised by raw digest through `known_record`) in batches, skips
   unchanged ones by content hash, has the engine's batch writer prepare the
   rest in worker processes, deletes the articles they replace (same key:
   normalised URL or id) and commits each batch.
3. A rebuild writes a second index of the engine (`carinews-N`) beside the live
   one. The end of the first complete `add` switches `carinews.json` to it with
   one atomic rename and deletes the old one; until then readers keep the old
   index. An interrupted or failed rebuild is dropped, and so is one that read
   no article, or (unless `force`) one that holds less than half the articles
   of the index it would replace (RebuildRefusedError): a typo or a folder of
   broken files never replaces an archive. A worker process that dies stops
   `add` with WorkerDiedError; what was committed before stays.
4. `search`, `get` and `stats` read the last committed state; a reader follows a
   rebuild another process switched in.

Leftovers of a killed writer (an engine's unfinished files, a dropped rebuild)
are deleted by the next writer, under the lock.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from carinews import folder
from carinews.engines import engine_class
from carinews.engines.base import IndexRace
from carinews.errors import (
    ClusterSettingError,
    EmptyRebuildError,
    EngineMismatchError,
    IndexChangingError,
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
from carinews.analysis.stem import STEMMERS
from carinews.engines.prepare import json_text as _json_text

if TYPE_CHECKING:  # the ingest stage loads only when an archive adds or returns articles
    from carinews.ingest.articles import Article, Unchanged
from carinews.folder import DEFAULT_ENGINE, SETTINGS_FILE  # noqa: F401 - public: the settings file name
from carinews.locking import WriteLock, deferred_signals

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

    def __init__(self, path: Path, engine, settings: dict):
        self.path = path
        self._engine = engine
        self.settings = settings
        self.lock_wait = 0.0            # seconds `add` waits for another writer
        self._lock: WriteLock | None = None
        self._old_name: str | None = None   # live index while a rebuild is pending
        self._old_count: int | None = None  # its articles (None: unreadable)
        self._old_kind = None               # its engine class
        self._old_where = None              # where it lives (Engine.location)
        self._force = False                 # switch a rebuild in even if it shrinks the archive
        self._abandoned = False
        self._notes: list[str] = []
        self._failures = 0

    # -- lifecycle -----------------------------------------------------------

    @classmethod
    def create(cls, path: str | os.PathLike | None = None, *, stemmer: str | None = None,
               engine: str | None = None, rebuild: bool = False, force: bool = False,
               wait: float = 0.0, engine_options: dict | None = None) -> "Archive":
        """Open the index at `path` for writing, creating it if needed.

        Takes the folder's write lock (waiting up to `wait` seconds for another
        writer) until `close`. `rebuild` builds a new index beside the old one,
        which stays live until the first `add` completes and is switched in
        only if that `add` read at least one article and, unless `force`, holds
        at least half as many articles as the old one. `stemmer` and `engine`
        (`whoosh`, the default, or another of `carinews.engines.ENGINES`) are
        fixed when an index is created; asking an existing one for another is
        an error that names `--rebuild`.

        `engine_options` are the engine's own settings for a new index or a rebuild, kept
        in the settings file (the OpenSearch engine: `url`, `index_name`, `shards`,
        `replicas`; see its `settings_for`); a rebuild with the same engine keeps the ones
        not given. Given for an existing index, they must be its own (ClusterSettingError).
        """
        options = {k: v for k, v in (engine_options or {}).items() if v is not None}
        path = Path(path) if path is not None else default_index_path()
        if stemmer is not None and stemmer not in STEMMERS:
            raise UnknownStemmerError(stemmer, STEMMERS)
        if engine is not None:
            engine_class(engine)            # UnknownEngineError before anything is touched
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise IndexWriteError(str(path), exc, "cannot create the index folder") from exc
        lock = _take_lock(path, wait)
        try:
            archive = cls._create_locked(path, stemmer, engine, rebuild, options)
        except BaseException:
            lock.release()
            raise
        archive._lock, archive.lock_wait, archive._force = lock, wait, force
        archive._notes += _lock_notes(lock)
        return archive

    @classmethod
    def _create_locked(cls, path: Path, stemmer: str | None, engine: str | None,
                       rebuild: bool, options: dict) -> "Archive":
        current = folder.read_settings(path, missing_ok=True, broken_ok=rebuild) or {}
        live_kind = engine_class(folder.engine_name(current))
        live_where = live_kind.location(path, current)
        live_name = current.get("index_name", live_kind.DEFAULT_NAME)
        live = live_kind.exists(live_where, live_name)
        if live and not rebuild:
            archive = cls._open_checked(path)
            if engine is not None and engine != archive.engine_name:
                raise EngineMismatchError(str(path), archive.engine_name, engine)
            if stemmer is not None and stemmer != archive.stemmer:
                raise SchemaMismatchError(str(path), f"stemmer {archive.stemmer}", f"stemmer {stemmer}")
            _check_options(path, archive.settings, live_kind, options)
            live_kind.remove_leftovers(live_where, {live_name})
            return archive
        kind = engine_class(engine or current.get("engine") or DEFAULT_ENGINE)
        carried = {k: current[k] for k in kind.OPTION_KEYS if k in current} \
            if current.get("engine") == kind.name else {}
        extra = kind.settings_for({**carried, **options})
        settings = folder.new_settings(kind, stemmer or "sastrawi", extra.pop("index_name", kind.DEFAULT_NAME),
                                       **extra)
        where, name = kind.location(path, settings), settings["index_name"]
        creation = kind.creation_options(settings)
        try:
            from carinews.results import speller_cache

            speller_cache.forget(path)      # a new index may repeat an old one's version string
            if live:
                live_kind.remove_leftovers(live_where, {live_name})
                if kind is not live_kind or where != live_where:
                    kind.remove_leftovers(where, set())
                replaces = kind is live_kind and where == live_where and name == live_name
                engine_now, settings["index_name"] = kind.create_rebuild(
                    where, name, replaces, settings["stemmer"], **creation)
                archive = cls(path, engine_now, settings)
                archive._old_name, archive._old_count = live_name, live_kind.count(live_where, live_name)
                archive._old_kind, archive._old_where = live_kind, live_where
                return archive
            kind.remove_leftovers(where, set())
            if kind.SHARED and kind.exists(where, name):     # a cluster's index: this folder joins it
                return cls._attach(path, kind, where, settings, stemmer)
            folder.write_settings(path, settings)   # first: a folder with settings but no commit is "no index"
            return cls(path, kind.create(where, name, settings["stemmer"], **creation), settings)
        except OSError as exc:
            raise IndexWriteError(str(path), exc, "cannot create the index") from exc

    @classmethod
    def _attach(cls, path: Path, kind, where, settings: dict, stemmer: str | None) -> "Archive":
        """A new folder for an index that exists already where its engine keeps indexes
        (another machine made it): the settings file takes the index's own stemmer."""
        engine = kind.open(where, settings["index_name"], settings["stemmer"])
        if stemmer is not None and stemmer != engine.stemmer:
            engine.close()
            raise SchemaMismatchError(f"{where}/{settings['index_name']}", f"stemmer {engine.stemmer}",
                                      f"stemmer {stemmer}")
        settings["stemmer"] = engine.stemmer
        folder.write_settings(path, settings)
        return cls(path, engine, settings)

    @classmethod
    def open(cls, path: str | os.PathLike | None = None) -> "Archive":
        """Open an existing index for reading (and `add`, which then takes the lock)."""
        path = Path(path) if path is not None else default_index_path()
        for attempt in range(OPEN_ATTEMPTS):
            try:
                return cls._open_checked(path)
            except (FileNotFoundError, IndexRace):   # a commit or rebuild removed files meanwhile
                time.sleep(0.002 * (attempt + 1))
        raise IndexChangingError(str(path), "open")

    @classmethod
    def _open_checked(cls, path: Path) -> "Archive":
        if not path.is_dir():
            raise IndexNotFoundError(str(path))
        settings = folder.read_settings(path, missing_ok=True)
        kind = engine_class(folder.engine_name(settings or {}))
        name = (settings or {}).get("index_name", kind.DEFAULT_NAME)
        where = kind.location(path, settings or {})
        if not kind.exists(where, name):
            if settings != folder.read_settings(path, missing_ok=True, broken_ok=True):
                raise FileNotFoundError(name)   # switched by a rebuild meanwhile: retry
            raise IndexNotFoundError(str(path))
        if settings is None:
            raise SchemaMismatchError(str(path), "no carinews.json", f"schema {kind.SCHEMA_VERSION}")
        folder.check_versions(path, settings, kind)
        return cls(path, kind.open(where, name, settings["stemmer"]), settings)

    def close(self) -> None:
        try:
            self._abandon_rebuild(IndexReport())    # a rebuild never added to: the old index stays
        finally:
            self._engine.close()
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
    def engine_name(self) -> str:
        return folder.engine_name(self.settings)

    @property
    def index_name(self) -> str:
        return self.settings.get("index_name", self._engine.DEFAULT_NAME)

    @property
    def _where(self):
        """Where the engine keeps this index (the folder; a cluster URL for OpenSearch)."""
        return type(self._engine).location(self.path, self.settings)

    @property
    def engine(self):
        """The engine holding this index (engines/base.py), on its newest commit; a
        rebuild another process switched in meanwhile is followed first."""
        if self._lock is None and self._old_name is None:
            self._follow_rebuild()
        return self._engine

    def searcher(self):
        """The Whoosh engine's searcher (Whoosh indexes only: tests and benchmarks)."""
        return self.engine.searcher()

    @property
    def _index(self):
        """The Whoosh engine's FileIndex (Whoosh indexes only: tests and benchmarks)."""
        return self._engine.index

    def _follow_rebuild(self) -> None:
        """Another process rebuilt the index: switch to the new one."""
        settings = folder.read_settings(self.path, missing_ok=True, broken_ok=True)
        if not settings or settings.get("index_name") in (None, self.index_name):
            return
        kind = engine_class(folder.engine_name(settings))
        folder.check_versions(self.path, settings, kind)
        try:
            engine = kind.open(kind.location(self.path, settings), settings["index_name"], settings["stemmer"])
        except (FileNotFoundError, IndexRace):     # switched again meanwhile: keep ours this time
            return
        self._engine.close()
        self._engine, self.settings = engine, settings

    # -- writing -------------------------------------------------------------

    def add(self, items: Iterable[Article | SourceError], *, batch_size: int = DEFAULT_BATCH,
            strict: bool = False, progress: Callable[[IndexReport], None] | None = None,
            on_error: Callable[[SourceError], None] | None = None,
            workers: int | None = None) -> IndexReport:
        """Index articles in committed batches; returns what happened.

        Each batch is prepared by the engine's batch writer, split between
        `workers` forked processes (default: one per CPU; 0 or 1 = in this
        process) that extract names and analyse the texts; this process reads
        the next batch meanwhile and commits the one before.

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
            self._engine.refresh()      # others may have written since we last held it
            self._notes += _lock_notes(self._lock)
            self._engine.clean_leftovers(self._where, {self.index_name})
        report.notes, self._notes = self._notes, []
        pending: dict[str, Article] = {}
        self._open_batches: list[int] = []   # prepared or preparing, not yet being written
        self._writing = 0                     # articles of the batch being written
        self._batches = 0                     # batches read in this call
        writer = None
        try:
            try:
                with self._engine.writer(workers) as writer:
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
                            job = self._next_batch(job, batch, writer, report, on_error)
                            if progress:
                                progress(report)
                    if pending:
                        batch, pending = pending, {}
                        job = self._next_batch(job, batch, writer, report, on_error)
                    self._write_prepared(job, writer, report, on_error)
                    self._guard(writer.finish, report)
            except WorkerDiedError as exc:
                raise exc.with_state(str(self.path), self._kept(report)) from None
            finally:
                report.notes += getattr(writer, "notes", [])
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
            # The workers are gone: remove what they left unfinished or what an
            # interrupt abandoned.
            keep = {self.index_name} | ({self._old_name} if self._old_name else set())
            self._engine.clean_leftovers(self._where, keep)
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
        from carinews.ingest.articles import Unchanged

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

    def _next_batch(self, job, batch: dict[str, Article], writer, report: IndexReport, on_error):
        """Skip the batch's unchanged articles, start preparing the rest, then write the
        batch prepared before it (so preparing and writing overlap). Returns the new job,
        or None when it was prepared inline and written at once."""
        engine = self._engine
        unwritten = job.keys if job is not None else frozenset()
        todo = []
        digests = {key: article.content_hash() for key, article in batch.items()}
        # The index does not have the batch before this one yet: an article that
        # batch also holds must be written again, after it, even if "unchanged".
        known = engine.existing("hash", [d for key, d in digests.items() if key not in unwritten])
        for key, article in batch.items():
            digest = digests[key]
            if key not in unwritten and digest in known:
                report.unchanged += 1
            else:
                todo.append((article, digest))
        self._batches += 1
        if todo:
            self._open_batches.append(len(todo))     # abandoned if interrupted from here on
        new_job = self._guard(lambda: writer.submit(todo, self._batches), report) if todo else None
        self._write_prepared(job, writer, report, on_error)
        if new_job is not None and new_job.inline:  # nothing to overlap: write it now
            self._write_prepared(new_job, writer, report, on_error)
            return None
        return new_job

    def _write_prepared(self, job, writer, report: IndexReport, on_error) -> None:
        """Collect a prepared batch, count its rejects and commit it."""
        if job is None:
            return
        outcomes = self._guard(lambda: writer.collect(job), report)
        keys = []
        for done in outcomes:
            if done.error is not None:
                self._reject(done.article, done.error, report, on_error)
                continue
            if done.made_safe:
                report.count_error(_article_error(done.article, "stored with characters or nesting "
                                                  "that JSON cannot hold replaced", SourceWarning),
                                   on_error=on_error)
            self._failures = 0
            keys.append(done.key)
        present = self._engine.existing("key", keys) if keys else set()
        written = [(key, key in present) for key in keys]
        self._open_batches.pop(0)
        if written:
            self._writing = len(written)     # abandoned if interrupted before the commit
            with deferred_signals():         # an interrupt during the commit waits for its count
                self._guard(lambda: writer.commit(job, [key for key, exists in written if exists]),
                            report)
                report.added += sum(1 for _, exists in written if not exists)
                report.replaced += sum(1 for _, exists in written if exists)
                report.committed_batches += 1
                self._writing = 0

    def _guard(self, step, report: IndexReport):
        """Run a writer step; a disk error becomes IndexWriteError saying what is kept."""
        try:
            return step()
        except OSError as exc:
            raise IndexWriteError(str(self.path), exc, "cannot write to the index",
                                  self._kept(report, "fix that and run")) from exc

    def _reject(self, article: Article, exc: Exception, report: IndexReport, on_error) -> None:
        """Reject an article that made analysis or the writer fail; many failures in
        a row are a bug, not bad input, and are raised."""
        self._failures += 1
        if self._failures >= MAX_FAILURES_IN_A_ROW:
            raise exc
        report.count_error(_article_error(article, f"cannot index: {type(exc).__name__}: {exc}"),
                           on_error=on_error)

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
        new, old = self._engine.rebuilt_count(self._where, self.index_name), self._old_count
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
                folder.write_settings(self.path, self.settings)
            except OSError as exc:
                raise IndexWriteError(str(self.path), exc, "cannot switch to the rebuilt index",
                                      "the previous index is unchanged") from exc
            old, self._old_name = self._old_name, None
            self._engine.publish_rebuild()
        if (self._old_kind, self._old_where, old) != (type(self._engine), self._where, self.index_name):
            self._old_kind.remove(self._old_where, old)   # an engine that replaced it in place did

    def _abandon_rebuild(self, report: IndexReport, note: bool = True) -> None:
        if self._old_name is None:
            return
        name, old = self.index_name, self._old_name
        self._old_name, self._abandoned = None, True
        self._engine.close()
        report.rebuild_abandoned = True
        if note:
            report.notes.append("the rebuild was dropped; the previous index is unchanged")
        self._engine.drop(self._where, name)
        try:
            self.settings = folder.read_settings(self.path, missing_ok=True, broken_ok=True) or self.settings
            self._engine = self._old_kind.open(self._old_where, old, self.stemmer)
        except Exception:  # noqa: BLE001 - the old index may be unreadable (that is why it was rebuilt)
            pass

    def _release_lock(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()

    # -- reading -------------------------------------------------------------

    def known_record(self, raw_digest: str) -> Unchanged | None:
        """`Unchanged` if a record with this raw digest is indexed (for `read_articles`).
        While this archive holds the write lock the engine may answer from a table it
        reads once; otherwise it looks each one up."""
        found = self._engine.lookup_raw(raw_digest, exclusive=self._lock is not None)
        if found is None:
            return None
        key, state = found
        from carinews.ingest.articles import Unchanged

        return Unchanged(key, dated=state != "undated", inferred=state == "inferred")

    def _stored_by_key(self, key: str) -> Article | None:
        stored = self._engine.document("key", key)
        return _stored_article(stored) if stored else None

    def _reading(self, read):
        """`read()`, again on the new index when a rebuild another process switched in
        removed ours while it ran."""
        for attempt in range(OPEN_ATTEMPTS):
            try:
                return read()
            except IndexRace:
                self._follow_rebuild()
                time.sleep(0.002 * (attempt + 1))
        raise IndexChangingError(str(self.path), "read")

    def get(self, article_id: str) -> Article | None:
        """The stored article with this id (or key / normalised URL)."""
        return self._reading(lambda: self._get(article_id))

    def _get(self, article_id: str) -> Article | None:
        engine = self.engine
        stored = (engine.document("id", article_id) or engine.document("key", article_id)
                  or engine.document("url", article_id))
        return _stored_article(stored) if stored else None

    def version(self) -> str:
        """A token that changes whenever a commit or a rebuild changes what searches see
        (for caches of search results)."""
        return self.engine.version()

    def __len__(self) -> int:
        return self._reading(lambda: self.engine.doc_count())

    def stats(self) -> dict:
        return self._reading(self._stats)

    def _stats(self) -> dict:
        engine = self.engine
        outlets = engine.field_counts("outlet")
        months = engine.field_counts("month")
        articles = engine.doc_count()
        return {
            "index": str(self.path),
            "engine": self.engine_name,
            "articles": articles,
            "sources": dict(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
            "first_month": min(months) if months else None,
            "last_month": max(months) if months else None,
            "undated": articles - sum(months.values()),
            "stemmer": self.stemmer,
            "schema_version": self.settings["schema_version"],
            "analysis_version": self.settings["analysis_version"],
            "size_bytes": engine.store_bytes(self.path),
        }

    def search(self, query: str, **options):
        """Parse and run a query; see `carinews.search.run_search` for options."""
        from carinews.search import run_search

        return self._reading(lambda: run_search(self, query, **options))

    def suggest(self, query: str):
        """"Did you mean": `query` with its misspelt words replaced by the nearest words of
        this index's vocabulary (a `results.suggest.Suggestion`), or None when every word
        looks right. The vocabulary is read once per committed state of the index."""
        from carinews.results.suggest import speller_for, suggest

        def run():
            engine = self.engine
            return suggest(speller_for(str(self.path), engine.version(), engine), query)

        return self._reading(run)

    def names(self, query: str, *, limit: int = 20, **options) -> list[tuple[str, int]]:
        """The names most frequent in the articles matching `query`."""
        from carinews.search import count_names

        return self._reading(lambda: count_names(self, query, limit=limit, **options))

    def related(self, article_id: str, *, limit: int = 10):
        """The articles most like `article_id`'s by content, with the names and words they
        share, its near-copies apart; see `carinews.results.related`."""
        from carinews.results.related import find_related

        return self._reading(lambda: find_related(self, article_id, limit=limit))

    # -- for readers of the archive (browsing.py) ------------------------------------------

    def matches(self, query: str, **options):
        """Every article matching `query` (bounded), for exports; see `browsing.iter_matches`."""
        from carinews.browsing import iter_matches

        return iter_matches(self, query, **options)

    def highlight(self, article: Article, query: str, **options):
        """(title spans, body spans) of `query`'s matches in the whole article (`options`:
        `aliases`, `alias_files` as for `search`)."""
        from carinews.browsing import highlight_article

        return highlight_article(self, article, query, **options)

    def copies(self, article: Article, *, limit: int = 20) -> list[Article]:
        """Syndicated and near-identical copies of `article` in the index."""
        from carinews.browsing import find_copies

        return find_copies(self, article, limit=limit)


# -- articles -----------------------------------------------------------------

def _stored_article(stored: dict) -> Article:
    from carinews.ingest.articles import Article

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

def _check_options(path: Path, settings: dict, kind, options: dict) -> None:
    """Engine options given for an existing index must be its own."""
    if not options:
        return
    wanted = kind.settings_for(options)
    for key in sorted(options):
        if wanted.get(key) != settings.get(key):
            raise ClusterSettingError(key, str(options[key]), (
                f"index at {path} has {key.replace('_', ' ')} {settings.get(key)}, not "
                f"{wanted.get(key)}; leave out --{key.replace('_', '-')} to add to it, or rebuild "
                f"it with --rebuild"))


def _take_lock(path: Path, wait: float) -> WriteLock:
    lock = WriteLock(path)
    lock.acquire(wait)
    return lock


def _lock_notes(lock: WriteLock) -> list[str]:
    if lock.previous is None:
        return []
    return [f"the previous write ({lock.previous.describe()}) stopped without finishing; "
            f"its committed batches are kept and its leftovers were removed"]
