"""Archive: an on-disk carinews index.

Steps: `Archive.create` / `Archive.open` check the folder and its settings file
(`carinews.json`: schema version, analysis version, stemmer); `add` takes
Articles (and reader errors) in batches, skips unchanged ones by content hash,
replaces articles whose key (normalised URL or id) is already indexed, extracts
names and commits each batch; `search`, `get` and `stats` read the last
committed state.

Whoosh commits by writing new segment files and then atomically renaming the
TOC, so a process killed mid-batch leaves the last committed state readable.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from whoosh import index as whoosh_index

from carinews.articles import Article
from carinews.errors import (
    CarinewsError,
    IndexLockedError,
    IndexNotFoundError,
    SchemaMismatchError,
    SourceError,
)
from carinews.schema import SCHEMA_VERSION, STEMMERS, article_fields, build_schema

SETTINGS_FILE = "carinews.json"
INDEX_NAME = "carinews"
DEFAULT_BATCH = 2000


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
    committed_batches: int = 0
    interrupted: bool = False
    abandoned: int = 0          # articles of the batch dropped by an interrupt
    seconds: float = 0.0
    errors: list[SourceError] = field(default_factory=list)
    summary_lines: list[str] = field(default_factory=list)

    @property
    def indexed(self) -> int:
        return self.added + self.replaced

    def to_dict(self) -> dict:
        return {
            "added": self.added, "replaced": self.replaced, "unchanged": self.unchanged,
            "rejected": self.rejected, "warnings": self.warnings,
            "interrupted": self.interrupted, "abandoned": self.abandoned,
            "seconds": round(self.seconds, 3), "summary": self.summary_lines,
            "errors": [str(e) for e in self.errors[:1000]],
        }


class Archive:
    """An index folder. Use `Archive.create` (new or existing) or `Archive.open`."""

    def __init__(self, path: Path, index, settings: dict):
        self.path = path
        self._index = index
        self.settings = settings
        self._searcher = None

    # -- lifecycle -----------------------------------------------------------

    @classmethod
    def create(cls, path: str | os.PathLike | None = None, *, stemmer: str | None = None,
               rebuild: bool = False) -> "Archive":
        """Open the index at `path`, creating it if needed; `rebuild` empties it first.

        `stemmer` is fixed when an index is created; asking an existing index
        for another one is an error that names `--rebuild`.
        """
        path = Path(path) if path is not None else default_index_path()
        if stemmer is not None and stemmer not in STEMMERS:
            raise CarinewsError(f"unknown stemmer {stemmer!r}; choose one of {', '.join(STEMMERS)}")
        if not rebuild and _has_index(path):
            archive = cls.open(path)
            if stemmer is not None and stemmer != archive.stemmer:
                raise SchemaMismatchError(str(path), f"stemmer {archive.stemmer}", f"stemmer {stemmer}")
            return archive
        stemmer = stemmer or "sastrawi"
        try:
            path.mkdir(parents=True, exist_ok=True)
            settings = _settings(stemmer)
            index = whoosh_index.create_in(str(path), build_schema(stemmer), indexname=INDEX_NAME)
            _write_settings(path, settings)
        except OSError as exc:
            raise CarinewsError(f"cannot create index at {path}: {exc.strerror or exc}") from exc
        return cls(path, index, settings)

    @classmethod
    def open(cls, path: str | os.PathLike | None = None) -> "Archive":
        path = Path(path) if path is not None else default_index_path()
        if not _has_index(path):
            raise IndexNotFoundError(str(path))
        settings = _read_settings(path)
        expected = _settings(settings.get("stemmer", "sastrawi"))
        for key in ("schema_version", "analysis_version"):
            if settings.get(key) != expected[key]:
                raise SchemaMismatchError(str(path), f"{key} {settings.get(key)}", f"{expected[key]}")
        try:
            index = whoosh_index.open_dir(str(path), indexname=INDEX_NAME)
        except Exception as exc:  # whoosh raises bare Exceptions for unreadable TOCs
            raise CarinewsError(f"cannot open index at {path}: {exc}") from exc
        return cls(path, index, settings)

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def stemmer(self) -> str:
        return self.settings["stemmer"]

    def searcher(self):
        """A Whoosh searcher on the newest committed state (refreshed cheaply)."""
        if self._searcher is not None and not self._searcher.up_to_date():
            if self._searcher.doc_count_all():
                self._searcher = self._searcher.refresh()  # reuses unchanged segment readers
            else:  # whoosh cannot refresh a searcher opened on an empty index
                self._searcher.close()
                self._searcher = None
        if self._searcher is None:
            self._searcher = self._index.searcher()
        return self._searcher

    # -- writing -------------------------------------------------------------

    def add(self, items: Iterable[Article | SourceError], *, batch_size: int = DEFAULT_BATCH,
            strict: bool = False, progress: Callable[[IndexReport], None] | None = None,
            on_error: Callable[[SourceError], None] | None = None) -> IndexReport:
        """Index articles in committed batches; returns what happened.

        Reader errors in `items` are counted (and passed to `on_error`), not
        raised, unless `strict`. On KeyboardInterrupt the current batch is
        abandoned, earlier batches stay committed, and the report says so.
        """
        report = IndexReport()
        start = time.perf_counter()
        batch: dict[str, tuple[Article, str]] = {}
        try:
            for item in items:
                if isinstance(item, SourceError):
                    self._count_error(item, report, strict, on_error)
                    continue
                batch[item.key] = (item, item.content_hash())
                if len(batch) >= batch_size:
                    self._write_batch(batch, report)
                    batch = {}
                    if progress:
                        progress(report)
            if batch:
                self._write_batch(batch, report)
                batch = {}
        except KeyboardInterrupt:
            report.interrupted = True
            report.abandoned = len(batch)
        finally:
            report.seconds = time.perf_counter() - start
        return report

    @staticmethod
    def _count_error(error: SourceError, report: IndexReport, strict: bool, on_error) -> None:
        from carinews.errors import SourceWarning

        if isinstance(error, SourceWarning):
            report.warnings += 1
        else:
            report.rejected += 1
            if strict:
                raise error
        report.errors.append(error)
        if on_error:
            on_error(error)

    def _write_batch(self, batch: dict[str, tuple[Article, str]], report: IndexReport) -> None:
        searcher = self.searcher()
        todo = []
        for key, (article, digest) in batch.items():
            if searcher.document_number(hash=digest) is not None:
                report.unchanged += 1
                continue
            todo.append((article, digest, searcher.document_number(key=key) is not None))
        if not todo:
            return
        writer = self._writer()
        try:
            for article, digest, exists in todo:
                _fill_names(article)
                doc = article_fields(article, digest)
                if exists:
                    writer.update_document(**doc)
                    report.replaced += 1
                else:
                    writer.add_document(**doc)
                    report.added += 1
        except BaseException:
            writer.cancel()
            report.added -= sum(1 for _, _, e in todo if not e)
            report.replaced -= sum(1 for _, _, e in todo if e)
            raise
        writer.commit()
        report.committed_batches += 1

    def _writer(self):
        from whoosh.index import LockError

        try:
            return self._index.writer(limitmb=256)
        except LockError as exc:
            raise IndexLockedError(
                f"index at {self.path} is being written by another process; wait for it to finish"
            ) from exc

    # -- reading -------------------------------------------------------------

    def get(self, article_id: str) -> Article | None:
        """The stored article with this id (or key / normalised URL)."""
        searcher = self.searcher()
        stored = (searcher.document(id=article_id) or searcher.document(key=article_id)
                  or searcher.document(url=article_id))
        return _stored_article(stored) if stored else None

    def __len__(self) -> int:
        return self.searcher().doc_count()

    def stats(self) -> dict:
        searcher = self.searcher()
        reader = searcher.reader()
        outlets = {name.decode(): reader.doc_frequency("outlet", name)
                   for name in reader.lexicon("outlet")} if "outlet" in reader.indexed_field_names() else {}
        dates = sorted(reader.lexicon("month")) if "month" in reader.indexed_field_names() else []
        undated = searcher.doc_count() - sum(reader.doc_frequency("month", m) for m in dates)
        return {
            "index": str(self.path),
            "articles": searcher.doc_count(),
            "sources": dict(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
            "first_month": dates[0].decode() if dates else None,
            "last_month": dates[-1].decode() if dates else None,
            "undated": undated,
            "stemmer": self.stemmer,
            "schema_version": self.settings["schema_version"],
            "analysis_version": self.settings["analysis_version"],
            "size_bytes": _folder_size(self.path),
        }

    def search(self, query: str, **options):
        """Parse and run a query; see `carinews.search.run_search` for options."""
        from carinews.search import run_search

        return run_search(self, query, **options)

    def names(self, query: str, *, limit: int = 20, **options) -> list[tuple[str, int]]:
        """The names most frequent in the articles matching `query`."""
        from carinews.search import count_names

        return count_names(self, query, limit=limit, **options)


def _fill_names(article: Article) -> None:
    if article.names:
        return
    from carinews.names import extract_names, top_names

    spans = extract_names(article.title + "\n\n" + article.body)
    article.names = top_names(spans, 50)


def _stored_article(stored: dict) -> Article:
    return Article.from_dict(orjson.loads(stored["doc"]))


def _has_index(path: Path) -> bool:
    return path.is_dir() and whoosh_index.exists_in(str(path), indexname=INDEX_NAME)


def _settings(stemmer: str) -> dict:
    from carinews.analysis import ANALYSIS_VERSION

    return {"schema_version": SCHEMA_VERSION, "analysis_version": ANALYSIS_VERSION, "stemmer": stemmer}


def _read_settings(path: Path) -> dict:
    try:
        return orjson.loads((path / SETTINGS_FILE).read_bytes())
    except FileNotFoundError:
        raise SchemaMismatchError(str(path), "no carinews.json", f"schema {SCHEMA_VERSION}") from None
    except orjson.JSONDecodeError as exc:
        raise CarinewsError(f"{path / SETTINGS_FILE}: unreadable settings ({exc})") from exc


def _write_settings(path: Path, settings: dict) -> None:
    tmp = path / (SETTINGS_FILE + ".tmp")
    tmp.write_bytes(orjson.dumps(settings, option=orjson.OPT_INDENT_2))
    os.replace(tmp, path / SETTINGS_FILE)


def _folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
