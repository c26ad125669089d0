"""Peer engines behind one interface, so each is measured the same way.

Steps: an engine is created by name (`make_engine`), `build(articles, dir)`
indexes an iterable of corpus dicts and returns stats, `open(dir)` opens the
index for searching, `search(text, k)` runs one benchmark query (see
`corpus.parse_bench_query`) and returns the top k `(id, snippet)` pairs with a
snippet of the body, `close()` releases it.

Engines: `whoosh` (StandardAnalyzer, one writer, limitmb=256), `whoosh-mp2`
(procs=2, multisegment=True), `fts5` (SQLite FTS5, unicode61 remove_diacritics 2,
bm25 rank, snippet()), `tantivy` (default tokenizer), `tantivy-cn` (tantivy over
text pre-analysed by carinews.analysis, whitespace tokenizer) and `carinews`
and `carinews-tantivy` (see carinews_engine.py). Every engine matches all query words (AND), over
title and body, with the date window as a filter on the site's day.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from corpus import BenchQuery, article_day, parse_bench_query

SNIPPET_CHARS = 200   # target snippet length for every engine


class EngineUnavailable(RuntimeError):
    """The engine cannot run here (library missing or not written yet)."""


def dir_size(path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


def fresh_dir(path) -> Path:
    path = Path(path)
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


class Engine:
    """Base: subclasses implement _build, open, search, close."""

    name = "?"
    description = ""

    def build(self, articles, path) -> dict:
        path = fresh_dir(path)
        t0 = time.perf_counter()
        n = self._build(articles, path)
        seconds = time.perf_counter() - t0
        return {"engine": self.name, "docs": n, "seconds": seconds,
                "size_bytes": dir_size(path)}

    def _build(self, articles, path) -> int:
        raise NotImplementedError

    def open(self, path) -> None:
        raise NotImplementedError

    def search(self, text: str, k: int = 10) -> list[tuple[str, str]]:
        raise NotImplementedError

    def close(self) -> None:
        pass


# ---------------------------------------------------------------- Whoosh

class WhooshEngine(Engine):
    name = "whoosh"
    description = "Whoosh 2.7.5 StandardAnalyzer, title+body, 1 writer limitmb=256, Whoosh highlighter"

    def __init__(self, procs: int = 1, multisegment: bool = False, limitmb: int = 256):
        self.procs, self.multisegment, self.limitmb = procs, multisegment, limitmb
        if procs > 1:
            self.name = f"whoosh-mp{procs}"
            self.description = (f"Whoosh StandardAnalyzer, procs={procs} multisegment="
                                f"{multisegment} limitmb={limitmb} (per process)")
        self.ix = self.searcher = None

    @staticmethod
    def schema():
        from whoosh.analysis import StandardAnalyzer
        from whoosh.fields import DATETIME, ID, TEXT, Schema
        ana = StandardAnalyzer()
        return Schema(id=ID(stored=True, unique=True),
                      title=TEXT(analyzer=ana, stored=True),
                      body=TEXT(analyzer=ana, stored=True),
                      date=DATETIME())

    def _build(self, articles, path) -> int:
        from whoosh import index
        ix = index.create_in(str(path), self.schema())
        kw = {"limitmb": self.limitmb}
        if self.procs > 1:
            kw.update(procs=self.procs, multisegment=self.multisegment)
        w = ix.writer(**kw)
        n = 0
        for a in articles:
            doc = {"id": a["id"], "title": a["title"], "body": a["body"]}
            day = article_day(a)
            if day:
                doc["date"] = datetime(day.year, day.month, day.day)
            w.add_document(**doc)
            n += 1
        w.commit()
        ix.close()
        return n

    def open(self, path) -> None:
        from whoosh import index
        from whoosh.highlight import ContextFragmenter
        from whoosh.qparser import AndGroup, MultifieldParser
        self.ix = index.open_dir(str(path))
        self.searcher = self.ix.searcher()
        self.parser = MultifieldParser(["title", "body"], self.ix.schema, group=AndGroup)
        self.fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=40)

    def query(self, bq: BenchQuery):
        from whoosh.query import And, DateRange
        parts = list(bq.words) + ['"' + " ".join(p) + '"' for p in bq.phrases]
        q = self.parser.parse(" ".join(parts))
        if bq.date_from:
            end = datetime.combine(bq.date_to, datetime.min.time()) - timedelta(microseconds=1)
            q = And([q, DateRange("date", datetime.combine(bq.date_from, datetime.min.time()), end)])
        return q

    def search(self, text, k=10):
        res = self.searcher.search(self.query(parse_bench_query(text)), limit=k)
        res.fragmenter = self.fragmenter
        return [(hit["id"], hit.highlights("body", top=1)) for hit in res]

    def close(self):
        if self.searcher is not None:
            self.searcher.close()
        if self.ix is not None:
            self.ix.close()
        self.ix = self.searcher = None


# ---------------------------------------------------------------- SQLite FTS5

class Fts5Engine(Engine):
    name = "fts5"
    description = "SQLite FTS5 unicode61 remove_diacritics 2, ORDER BY bm25 (rank), snippet()"

    def __init__(self):
        self.db = None

    def _build(self, articles, path) -> int:
        db = sqlite3.connect(path / "fts.db")
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, day UNINDEXED, title, body,"
                   " tokenize='unicode61 remove_diacritics 2')")
        n = 0

        def rows():
            nonlocal n
            for a in articles:
                day = article_day(a)
                n += 1
                yield a["id"], day.isoformat() if day else None, a["title"], a["body"]

        with db:
            db.executemany("INSERT INTO docs(id, day, title, body) VALUES (?,?,?,?)", rows())
        with db:
            db.execute("INSERT INTO docs(docs) VALUES('optimize')")
        db.close()
        return n

    def open(self, path) -> None:
        self.db = sqlite3.connect(Path(path) / "fts.db")

    @staticmethod
    def match_expr(bq: BenchQuery) -> str:
        parts = ['"' + w + '"' for w in bq.words] + ['"' + " ".join(p) + '"' for p in bq.phrases]
        return " AND ".join(parts)

    def search(self, text, k=10):
        bq = parse_bench_query(text)
        sql = ("SELECT id, snippet(docs, 3, '<b>', '</b>', '…', 32) FROM docs"
               " WHERE docs MATCH ?")
        args: list = [self.match_expr(bq)]
        if bq.date_from:
            sql += " AND day >= ? AND day < ?"
            args += [bq.date_from.isoformat(), bq.date_to.isoformat()]
        sql += " ORDER BY rank LIMIT ?"
        args.append(k)
        return self.db.execute(sql, args).fetchall()

    def close(self):
        if self.db is not None:
            self.db.close()
        self.db = None


# ---------------------------------------------------------------- tantivy

def _utc(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=timezone.utc)


class TantivyEngine(Engine):
    name = "tantivy"
    description = "tantivy-py, default tokenizer, heap 256 MB, 2 indexing threads, SnippetGenerator"
    tokenizer = "default"

    def __init__(self, threads: int = 2, heap_mb: int = 256):
        try:
            import tantivy  # noqa: F401
        except ImportError as e:
            raise EngineUnavailable("pip install tantivy") from e
        self.threads, self.heap_mb = threads, heap_mb
        self.index = self.searcher = None

    def schema(self):
        import tantivy
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("id", stored=True, tokenizer_name="raw")
        sb.add_text_field("title", stored=True, tokenizer_name=self.tokenizer)
        sb.add_text_field("body", stored=True, tokenizer_name=self.tokenizer)
        sb.add_date_field("date", indexed=True, fast=True)
        return sb.build()

    def fields(self, a: dict) -> tuple[str, str]:
        return a["title"], a["body"]

    def _build(self, articles, path) -> int:
        import tantivy
        index = tantivy.Index(self.schema(), path=str(path))
        w = index.writer(heap_size=self.heap_mb * 1_000_000, num_threads=self.threads)
        n = 0
        for a in articles:
            title, body = self.fields(a)
            doc = tantivy.Document(id=a["id"], title=title, body=body)
            day = article_day(a)
            if day:
                doc.add_date("date", _utc(day))
            w.add_document(doc)
            n += 1
        w.commit()
        w.wait_merging_threads()
        return n

    def open(self, path) -> None:
        import tantivy
        self.index = tantivy.Index.open(str(path))
        self.schema_ = self.index.schema
        self.searcher = self.index.searcher()

    def query_words(self, bq: BenchQuery) -> tuple[list[str], list[list[str]]]:
        return bq.words, bq.phrases

    def query(self, bq: BenchQuery):
        import tantivy
        words, phrases = self.query_words(bq)
        parts = list(words) + ['"' + " ".join(p) + '"' for p in phrases]
        q = self.index.parse_query(" ".join(parts), ["title", "body"],
                                   conjunction_by_default=True)
        if bq.date_from:
            r = tantivy.Query.range_query(self.schema_, "date", tantivy.FieldType.Date,
                                          _utc(bq.date_from), _utc(bq.date_to),
                                          include_lower=True, include_upper=False)
            q = tantivy.Query.boolean_query([(tantivy.Occur.Must, q), (tantivy.Occur.Must, r)])
        return q

    def search(self, text, k=10):
        import tantivy
        q = self.query(parse_bench_query(text))
        hits = self.searcher.search(q, limit=k).hits
        gen = tantivy.SnippetGenerator.create(self.searcher, q, self.schema_, "body")
        gen.set_max_num_chars(SNIPPET_CHARS)
        out = []
        for _score, addr in hits:
            doc = self.searcher.doc(addr)
            out.append((doc.get_first("id"), gen.snippet_from_doc(doc).to_html()))
        return out

    def close(self):
        self.index = self.searcher = None


def carinews_analyze():
    """carinews.analysis.analyze as `text -> list[str]`, or EngineUnavailable."""
    try:
        from carinews.analysis import analyze
    except Exception as e:  # noqa: BLE001 - the module is being written; any failure = skip
        try:  # fall back to the Whoosh analyzer the schema uses
            from carinews.engines.whoosh.analyzers import StemmedAnalyzer
        except Exception:  # noqa: BLE001
            raise EngineUnavailable(f"carinews.analysis.analyze not importable: {e!r}") from e
        _ana = StemmedAnalyzer()

        def analyze(text):  # tokens are reused by Whoosh: take the text at once
            return [t.text for t in _ana(text)]

    def terms(text: str) -> list[str]:
        out = []
        for t in analyze(text):
            if isinstance(t, str):
                out.append(t)
            elif isinstance(t, tuple):
                out.append(t[0])
            else:
                out.append(getattr(t, "text", None) or getattr(t, "term", None) or str(t))
        return out

    return terms


class TantivyCarinewsEngine(TantivyEngine):
    name = "tantivy-cn"
    description = ("tantivy over carinews.analysis tokens joined by spaces "
                   "(whitespace tokenizer); snippet is of the analysed text")
    tokenizer = "whitespace"

    def __init__(self, **kw):
        super().__init__(**kw)
        self.terms = carinews_analyze()

    def fields(self, a):
        return " ".join(self.terms(a["title"])), " ".join(self.terms(a["body"]))

    def query_words(self, bq):
        words = [t for w in bq.words for t in self.terms(w)]
        phrases = [ts for p in bq.phrases if (ts := self.terms(" ".join(p)))]
        return words, phrases


# ---------------------------------------------------------------- registry

PEERS = ("whoosh", "whoosh-mp2", "fts5", "tantivy", "tantivy-cn", "carinews", "carinews-tantivy")
BASELINE = "whoosh"


def make_engine(name: str) -> Engine:
    """An engine by name; raises EngineUnavailable when it can't run here."""
    if name == "whoosh":
        return WhooshEngine()
    if name == "whoosh-mp2":
        return WhooshEngine(procs=2, multisegment=True)
    if name == "fts5":
        return Fts5Engine()
    if name == "tantivy":
        return TantivyEngine()
    if name == "tantivy-cn":
        return TantivyCarinewsEngine()
    if name == "carinews-tantivy":
        from carinews_engine import CarinewsTantivyEngine
        return CarinewsTantivyEngine()
    if name == "carinews" or name.startswith("carinews-"):
        from carinews_engine import make_carinews_engine
        return make_carinews_engine(name)
    raise ValueError(f"unknown engine {name!r}; one of {', '.join(PEERS)}")


def engine_names() -> list[str]:
    """Engines to run: env BENCH_ENGINES (comma list) or all."""
    raw = os.environ.get("BENCH_ENGINES", "").strip()
    return [s.strip() for s in raw.split(",") if s.strip()] if raw else list(PEERS)
