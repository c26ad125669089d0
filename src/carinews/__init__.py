"""carinews: full-text search for Indonesian news archives.

    from carinews import Archive
    archive = Archive.create("index")
    archive.add(carinews.read_articles(["news.jsonl"]))
    for hit in archive.search('"Dmitry Peskov" tanggal:2022-03').hits:
        print(hit.title, hit.snippet)

Names are imported lazily so that `carinews --help` and small searches start fast.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "Archive": "carinews.archive",
    "IndexReport": "carinews.archive",
    "Article": "carinews.ingest.articles",
    "make_article": "carinews.ingest.articles",
    "read_articles": "carinews.ingest.sources",
    "parse_query": "carinews.query.parse",
    "SearchResult": "carinews.search",
    "Hit": "carinews.search",
    "CarinewsError": "carinews.errors",
    "SourceError": "carinews.errors",
    "SourceWarning": "carinews.errors",
    "SkippedRecord": "carinews.errors",
    "UnknownEngineError": "carinews.errors",
    "IndexExistsError": "carinews.errors",
    "EngineMismatchError": "carinews.errors",
    "NoInputError": "carinews.errors",
    "PathNotFoundError": "carinews.errors",
    "IndexNotFoundError": "carinews.errors",
    "SchemaMismatchError": "carinews.errors",
    "IndexUnreadableError": "carinews.errors",
    "IndexChangingError": "carinews.errors",
    "LockUnsupportedError": "carinews.errors",
    "IndexLockedError": "carinews.errors",
    "IndexWriteError": "carinews.errors",
    "UnknownStemmerError": "carinews.errors",
    "RebuildAbandonedError": "carinews.errors",
    "RebuildRefusedError": "carinews.errors",
    "EmptyRebuildError": "carinews.errors",
    "RebuildShrinkError": "carinews.errors",
    "WorkerDiedError": "carinews.errors",
    "ArticleNotFoundError": "carinews.errors",
    "SearchOptionError": "carinews.errors",
    "QuerySyntaxError": "carinews.errors",
    "DateParseError": "carinews.errors",
    "AliasFileError": "carinews.errors",
    "ClusterUnavailableError": "carinews.errors",
    "ClusterSettingError": "carinews.errors",
    "ArticleTooLargeError": "carinews.errors",
    "BulkWriteError": "carinews.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'carinews' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def sample_paths() -> list:
    """The bundled sample archive (IndoSum articles, CC BY-SA 4.0)."""
    from importlib.resources import files

    folder = files("carinews") / "sample"
    return sorted(str(p) for p in folder.iterdir() if p.name.endswith(".jsonl"))
