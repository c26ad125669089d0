"""carinews through its public library API, as one more peer engine.

Steps: `to_article` turns a corpus dict into a `carinews.Article` (through
`carinews.ingest.articles.make_article` when it exists, else directly), `build`
calls `Archive.create(dir, rebuild=True)` + `archive.add(articles)`,
`search` calls `archive.search(text, limit=k)` and returns each hit's id and
snippet. Anything not importable yet raises EngineUnavailable (= skip).

Pluggable: `CarinewsEngine(stemmer=..., batch_size=..., search_options=...)`;
engine names `carinews`, `carinews-snowball`, `carinews-none` pick the stemmer.
BENCH_CARINEWS_BATCH overrides the add() batch size.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

from peers import Engine, EngineUnavailable


def _import_carinews():
    try:
        import carinews
        from carinews.archive import Archive
        from carinews.ingest.articles import Article
        from carinews.search import run_search  # noqa: F401  (search must exist too)
    except Exception as e:  # noqa: BLE001 - library being written: any failure = skip
        raise EngineUnavailable(f"carinews API not importable yet: {e!r}") from e
    Archive = getattr(carinews, "Archive", Archive)
    return Archive, Article


def to_article(d: dict, Article=None):
    """A corpus dict -> carinews Article (make_article when available)."""
    try:
        from carinews.ingest.articles import make_article
    except ImportError:
        make_article = None
    if make_article is not None:
        return make_article(dict(d))
    date = datetime.fromisoformat(d["date"]) if d.get("date") else None
    return Article(id=d["id"], title=d["title"], body=d["body"], url=d.get("url"),
                   url_key=d.get("url"), source=d.get("source"), date=date,
                   date_source="field:date" if date else None)


class CarinewsEngine(Engine):
    name = "carinews"

    def __init__(self, stemmer: str = "sastrawi", batch_size: int | None = None,
                 search_options: dict | None = None):
        self.Archive, self.Article = _import_carinews()
        self.stemmer = stemmer
        self.batch_size = batch_size or int(os.environ.get("BENCH_CARINEWS_BATCH", "0")) or None
        self.search_options = search_options or {}
        if stemmer != "sastrawi":
            self.name = f"carinews-{stemmer}"
        self.description = (f"carinews Archive API, stemmer={stemmer}, "
                            f"batch={self.batch_size or 'default'}, snippets by carinews")
        self.archive = None
        self.last_report = None

    def _build(self, articles, path) -> int:
        archive = self.Archive.create(path, stemmer=self.stemmer, rebuild=True)
        kw = {"batch_size": self.batch_size} if self.batch_size else {}
        try:
            report = archive.add((to_article(a, self.Article) for a in articles), **kw)
        finally:
            archive.close()
        self.last_report = report
        n = getattr(report, "indexed", None)
        return n if isinstance(n, int) else getattr(report, "added", 0)

    def open(self, path) -> None:
        self.archive = self.Archive.open(path)

    def search(self, text, k=10):
        res = self.archive.search(text, limit=k, **self.search_options)
        return [(h.id, h.snippet) for h in res.hits]

    def close(self):
        if self.archive is not None:
            self.archive.close()
        self.archive = None


def make_carinews_engine(name: str) -> CarinewsEngine:
    stemmer = name.split("-", 1)[1] if "-" in name else "sastrawi"
    return CarinewsEngine(stemmer=stemmer)


def engine_archive(engine, path) -> SimpleNamespace:
    """What `run_search` reads of an Archive, for an engine opened without the facade's
    settings file: the engine, the stemmer and the folder (the "did you mean" speller's
    cache key)."""
    return SimpleNamespace(engine=engine, stemmer="sastrawi", path=Path(path))


def write_articles(engine, articles, workers: int = 2, batch_size: int = 4000) -> int:
    """Articles into a carinews engine index the way the Archive facade writes them: batches
    keyed by article (a later copy replaces an earlier one), each prepared by the writer's
    workers while the previous batch is collected and committed, replacing live articles
    with the same key. Returns the number written."""
    written = 0
    with engine.writer(workers) as writer:
        job, batch = None, {}
        for article in articles:
            batch[article.key] = article
            if len(batch) >= batch_size:
                job, written = _next_batch(engine, writer, job, batch), written + _committed(engine, writer, job)
                batch = {}
        if batch:
            job, written = _next_batch(engine, writer, job, batch), written + _committed(engine, writer, job)
        written += _committed(engine, writer, job)
        writer.finish()
    return written


def _next_batch(engine, writer, job, batch: dict):
    return writer.submit([(a, a.content_hash()) for a in batch.values()])


def _committed(engine, writer, job) -> int:
    if job is None:
        return 0
    done = [d for d in writer.collect(job) if d.error is None]
    writer.commit(job, [d.key for d in done if engine.has("key", d.key)])
    return len(done)


class CarinewsTantivyEngine(Engine):
    """carinews on its tantivy engine: the engine's own batch writer (2 forked workers,
    batches of 4,000 prepared while the previous one commits, as the Archive facade runs
    them) and `run_search` over the engine (snippets and collapse by carinews).

    The row drives the engine the way the facade does (without its settings file), so its
    figures are the engine's, not a shortcut's."""

    name = "carinews-tantivy"

    def __init__(self, workers: int = 2, batch_size: int = 4000):
        try:
            from carinews.engines.tantivy.engine import TantivyEngine
        except Exception as e:  # noqa: BLE001 - engine missing = skip
            raise EngineUnavailable(f"carinews tantivy engine not importable: {e!r}") from e
        self.Engine = TantivyEngine
        self.workers, self.batch_size = workers, batch_size
        self.description = (f"carinews engines/tantivy: {workers} workers, batch {batch_size}, "
                            "carinews analysis, names, snippets and collapse")
        self.engine = None

    def _build(self, articles, path) -> int:
        engine = self.Engine.create(path, "tantivy", "sastrawi")
        try:
            return write_articles(engine, (to_article(d) for d in articles), self.workers,
                                  self.batch_size)
        finally:
            engine.close()

    def open(self, path) -> None:
        self.engine = self.Engine.open(path, "tantivy", "sastrawi")
        self.archive = engine_archive(self.engine, path)

    def search(self, text, k=10):
        from carinews.search import run_search

        res = run_search(self.archive, text, limit=k)
        return [(h.id, h.snippet) for h in res.hits]

    def close(self):
        if self.engine is not None:
            self.engine.close()
        self.engine = None
