"""Relevance benchmark: nDCG@10 and Recall@100 per system on the carinews dev set.

Steps: find the corpus files; build or reuse one index per system (cached under
the cache dir, keyed by the corpus files' paths, sizes and mtimes); run every
query of each query set with limit 100; score with `relevance_metrics`; print
one markdown table.

    .venv/bin/python benchmarks/relevance.py [--corpus DIR] [--cache DIR] [--systems baseline,carinews]
                                             [--per-query] [--rebuild]

Query sets:
  dev    benchmarks/relevance/queries.tsv + qrels.tsv (graded 0-3 by hand; see relevance/README.md)
  detik  ../shared/corpus/dev-queries/detik_keywords.tsv + .qrels (weak binary labels, detik only):
         a smoke test, not something to tune to.

Systems:
  baseline      Whoosh StandardAnalyzer (lower-case, English stop list, no stemming) on title
                and body, BM25F with Whoosh defaults, MultifieldParser with OR grouping (any word).
  baseline-and  the same index, AND grouping (all words), to compare with carinews, which
                matches all words and relaxes to any word only when nothing matches.
  carinews      carinews.Archive.create(dir); archive.add(read_articles(files));
                archive.search(query, limit=100).hits[*].id (collapsed duplicates are listed
                right after their hit, since they are the same article under another id).
  carinews-bm25f, -bm25f+exact, -bm25f+near
                the same index ranked by BM25F alone (stemmed fields, title boosted), plus
                only the exact-surface-form bonus, plus only the proximity bonus: what each
                ranking change adds on its own; `carinews` has both bonuses.
  carinews-full-derivations, tantivy-full-derivations
                everything but the derivations a word's stem misses (query/derivation.py):
                what that adds on its own.
  tantivy       carinews on its tantivy engine (engines/tantivy), the same Articles and
                ranking, searched through carinews.search.run_search.
A system is a function `build(files, dir) -> search(query) -> [ids]`; add one to SYSTEMS.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from relevance_metrics import ndcg_at, read_qrels, read_queries, recall_at  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus"
LIMIT = 100

Search = Callable[[str], list[str]]


# ---------------------------------------------------------------------------
# systems

def build_baseline(files: list[Path], index_dir: Path, all_words: bool = False) -> Search:
    from whoosh import index as windex
    from whoosh.analysis import StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import AndGroup, MultifieldParser, OrGroup

    if not windex.exists_in(str(index_dir)):
        index_dir.mkdir(parents=True, exist_ok=True)
        schema = Schema(id=ID(stored=True, unique=True),
                        title=TEXT(analyzer=StandardAnalyzer()),
                        body=TEXT(analyzer=StandardAnalyzer()))
        ix = windex.create_in(str(index_dir), schema)
        writer = ix.writer(limitmb=256)
        for art in iter_jsonl(files):
            writer.add_document(id=art["id"], title=art.get("title") or "", body=art.get("body") or "")
        writer.commit()
    ix = windex.open_dir(str(index_dir))
    searcher = ix.searcher()  # BM25F(B=0.75, K1=1.2)
    parser = MultifieldParser(["title", "body"], ix.schema, group=AndGroup if all_words else OrGroup)

    def search(query: str) -> list[str]:
        return [hit["id"] for hit in searcher.search(parser.parse(query), limit=LIMIT)]

    return search


def build_carinews(files: list[Path], index_dir: Path, ranking: str = "full") -> Search:
    from carinews import Archive, read_articles

    marker = index_dir / ".complete"
    if not marker.exists():
        archive = Archive.create(index_dir, rebuild=True)
        report = archive.add(read_articles([str(f) for f in files]))
        print(f"carinews: indexed {report.indexed} articles in {report.seconds:.0f}s", file=sys.stderr)
        marker.write_text("ok")
    archive = Archive.open(index_dir)

    def search(query: str) -> list[str]:
        ids: list[str] = []
        for hit in archive.search(query, limit=LIMIT, ranking=ranking, fragments=0).hits:
            ids.append(hit.id)
            ids.extend(d.id for d in getattr(hit, "duplicates", []) or [])
        return ids[:LIMIT]

    return search


def build_tantivy(files: list[Path], index_dir: Path, ranking: str = "full") -> Search:
    """carinews on its tantivy engine: the same Articles (read_articles), written by the
    engine's batch writer (carinews_engine.write_articles), searched by run_search."""
    from carinews import Article, read_articles
    from carinews.engines.tantivy.engine import TantivyEngine
    from carinews.search import run_search
    from carinews_engine import engine_archive, write_articles

    marker = index_dir / ".complete"
    if not marker.exists():
        shutil.rmtree(index_dir, ignore_errors=True)
        engine = TantivyEngine.create(index_dir, "tantivy", "sastrawi")
        articles = (a for a in read_articles([str(f) for f in files]) if isinstance(a, Article))
        n = write_articles(engine, articles)
        print(f"tantivy: indexed {n} articles", file=sys.stderr)
        marker.write_text("ok")
    archive = engine_archive(TantivyEngine.open(index_dir, "tantivy", "sastrawi"), index_dir)

    def search(query: str) -> list[str]:
        ids: list[str] = []
        for hit in run_search(archive, query, limit=LIMIT, ranking=ranking, fragments=0).hits:
            ids.append(hit.id)
            ids.extend(d.id for d in hit.duplicates)
        return ids[:LIMIT]

    return search


SYSTEMS: dict[str, Callable[[list[Path], Path], Search]] = {
    "baseline": build_baseline,
    "baseline-and": lambda files, index_dir: build_baseline(files, index_dir, all_words=True),
    "carinews-bm25f": lambda files, index_dir: build_carinews(files, index_dir, "bm25f"),
    "carinews-bm25f+exact": lambda files, index_dir: build_carinews(files, index_dir, "bm25f+exact"),
    "carinews-bm25f+near": lambda files, index_dir: build_carinews(files, index_dir, "bm25f+near"),
    "carinews": build_carinews,
    "carinews-full-derivations": lambda files, index_dir: build_carinews(files, index_dir, "full-derivations"),
    "tantivy": build_tantivy,
    "tantivy-bm25f": lambda files, index_dir: build_tantivy(files, index_dir, "bm25f"),
    "tantivy-bm25f+exact": lambda files, index_dir: build_tantivy(files, index_dir, "bm25f+exact"),
    "tantivy-bm25f+near": lambda files, index_dir: build_tantivy(files, index_dir, "bm25f+near"),
    "carinews-full-near": lambda files, index_dir: build_carinews(files, index_dir, "full-near"),
    "carinews-full-exact": lambda files, index_dir: build_carinews(files, index_dir, "full-exact"),
    "tantivy-full-near": lambda files, index_dir: build_tantivy(files, index_dir, "full-near"),
    "tantivy-full-exact": lambda files, index_dir: build_tantivy(files, index_dir, "full-exact"),
    "tantivy-full-derivations": lambda files, index_dir: build_tantivy(files, index_dir, "full-derivations"),
}

# Ablation rows: (label, full system, system without that change), per engine.
ABLATION = [("near bonus (words together, scored by the phrase)", "full-near"),
            ("exact-form bonus", "full-exact"),
            ("derivation roots (pe(N)-an nouns)", "full-derivations")]


# ---------------------------------------------------------------------------
# corpus and cache

def iter_jsonl(files: list[Path]):
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)


def cache_key(files: list[Path], system: str) -> str:
    h = hashlib.sha1(system.encode())
    for f in files:
        st = f.stat()
        h.update(f"{f.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
    if system == "carinews":  # a code change that changes the index invalidates it
        try:
            from carinews.archive import _settings

            h.update(json.dumps(_settings("sastrawi"), sort_keys=True, default=str).encode())
        except Exception:  # noqa: BLE001 - best effort; the Archive itself checks versions too
            pass
    if system == "tantivy":
        from carinews.analysis import ANALYSIS_VERSION
        from carinews.engines.tantivy.schema import SCHEMA_VERSION

        h.update(f"{SCHEMA_VERSION}|{ANALYSIS_VERSION}".encode())
    return h.hexdigest()[:16]


def open_system(name: str, files: list[Path], cache: Path, rebuild: bool) -> tuple[Search, float]:
    base = name.split("-")[0]  # variants of a system share its index ("baseline-and")
    index_dir = cache / f"{base}-{cache_key(files, base)}"
    if rebuild and index_dir.exists():
        shutil.rmtree(index_dir)
    t0 = time.perf_counter()
    try:
        search = SYSTEMS[name](files, index_dir)
    except BaseException:
        shutil.rmtree(index_dir, ignore_errors=True)  # never leave a half-built index in the cache
        raise
    return search, time.perf_counter() - t0


# ---------------------------------------------------------------------------
# evaluation

def evaluate(search: Search, queries: dict[str, str], qrels: dict[str, dict[str, int]]) -> dict:
    rows = {}
    t0 = time.perf_counter()
    for qid, text in queries.items():
        grades = qrels.get(qid, {})
        if not any(g > 0 for g in grades.values()):
            continue
        ranked = search(text)
        rows[qid] = (ndcg_at(ranked, grades, 10), recall_at(ranked, grades, LIMIT))
    n = len(rows)
    return {
        "queries": n,
        "ndcg10": sum(r[0] for r in rows.values()) / n if n else 0.0,
        "recall100": sum(r[1] for r in rows.values()) / n if n else 0.0,
        "ms_per_query": (time.perf_counter() - t0) * 1000 / max(n, 1),
        "per_query": rows,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the shared corpus folder")
    ap.add_argument("--cache", type=Path,
                    default=Path(os.environ.get("CARINEWS_BENCH_CACHE",
                                                Path(tempfile.gettempdir()) / "carinews-relevance-cache")))
    ap.add_argument("--systems", default=",".join(SYSTEMS))
    ap.add_argument("--per-query", action="store_true", help="also print nDCG@10 per dev query")
    ap.add_argument("--rebuild", action="store_true", help="ignore cached indexes")
    args = ap.parse_args()

    files = sorted((args.corpus / "jsonl").glob("*.jsonl"))
    if not files:
        raise SystemExit(f"no JSONL files under {args.corpus / 'jsonl'}")
    sets = {
        "dev (graded)": (read_queries(HERE / "relevance" / "queries.tsv"),
                         read_qrels(HERE / "relevance" / "qrels.tsv")),
        "detik keywords (weak)": (read_queries(args.corpus / "dev-queries" / "detik_keywords.tsv"),
                                  read_qrels(args.corpus / "dev-queries" / "detik_keywords.qrels")),
    }
    results = {}
    for name in args.systems.split(","):
        try:
            search, seconds = open_system(name, files, args.cache, args.rebuild)
        except ImportError as exc:
            print(f"{name}: not available ({exc}); skipped", file=sys.stderr)
            continue
        print(f"{name}: index ready in {seconds:.1f}s", file=sys.stderr)
        for set_name, (queries, qrels) in sets.items():
            results[(name, set_name)] = evaluate(search, queries, qrels)

    print(f"corpus: {sum(1 for _ in iter_jsonl(files))} articles in {len(files)} files; limit {LIMIT}\n")
    print("| system | query set | queries | nDCG@10 | Recall@100 | ms/query |")
    print("|---|---|---|---|---|---|")
    for (name, set_name), r in results.items():
        print(f"| {name} | {set_name} | {r['queries']} | {r['ndcg10']:.3f} | {r['recall100']:.3f} "
              f"| {r['ms_per_query']:.0f} |")
    print_per_kind(results, [n for n in args.systems.split(",") if (n, "dev (graded)") in results])
    print_ablation(results)
    if args.per_query:
        dev_q = sets["dev (graded)"][0]
        names = [n for n in args.systems.split(",") if (n, "dev (graded)") in results]
        print("\n| qid | query | " + " | ".join(f"{n} nDCG@10" for n in names) + " |")
        print("|---|---|" + "---|" * len(names))
        for qid, text in dev_q.items():
            cells = [results[(n, "dev (graded)")]["per_query"].get(qid) for n in names]
            print(f"| {qid} | {text} | " + " | ".join(f"{c[0]:.3f}" if c else "-" for c in cells) + " |")


def read_kinds(path: Path) -> dict[str, str]:
    """qid -> kind (the third column of queries.tsv)."""
    kinds = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[0] != "qid" and not line.startswith("#"):
            kinds[parts[0]] = parts[2]
    return kinds


def print_per_kind(results: dict, names: list[str]) -> None:
    """nDCG@10 per query kind on the dev set (the issue's five kinds), with each kind's query count."""
    kinds = read_kinds(HERE / "relevance" / "queries.tsv")
    order = [k for k in ("topic", "morph", "name", "phrase", "mixed") if k in kinds.values()]
    counts = {k: sum(1 for v in kinds.values() if v == k) for k in order}
    print("\ndev set, nDCG@10 per kind (Recall@100 overall):\n")
    print("| system | queries | nDCG@10 | Recall@100 | " + " | ".join(f"{k} ({counts[k]})" for k in order) + " |")
    print("|---|---|---|---|" + "---|" * len(order))
    for name in names:
        r = results[(name, "dev (graded)")]
        cells = []
        for k in order:
            vals = [v[0] for q, v in r["per_query"].items() if kinds.get(q) == k]
            cells.append(f"{sum(vals) / len(vals):.3f}" if vals else "-")
        print(f"| {name} | {r['queries']} | {r['ndcg10']:.3f} | {r['recall100']:.3f} | " + " | ".join(cells) + " |")


def _per_kind(r: dict, kinds: dict[str, str], order: list[str]) -> list[float | None]:
    out = []
    for k in order:
        vals = [v[0] for q, v in r["per_query"].items() if kinds.get(q) == k]
        out.append(sum(vals) / len(vals) if vals else None)
    return out


def print_ablation(results: dict) -> None:
    """Each ranking change's own contribution on the dev set: nDCG@10 with everything on
    minus nDCG@10 with only that change off, overall and per kind, per engine (rows only
    for the systems that were run: `carinews`/`tantivy` and their `-bm25f+...` variants)."""
    kinds = read_kinds(HERE / "relevance" / "queries.tsv")
    order = [k for k in ("topic", "morph", "name", "phrase", "mixed") if k in kinds.values()]
    counts = {k: sum(1 for v in kinds.values() if v == k) for k in order}
    rows = []
    for engine in ("carinews", "tantivy"):
        full = results.get((engine, "dev (graded)"))
        for label, without in ABLATION:
            off = results.get((f"{engine}-{without}", "dev (graded)"))
            if full and off:
                on_k, off_k = _per_kind(full, kinds, order), _per_kind(off, kinds, order)
                cells = [f"{a - b:+.3f}" if a is not None else "-" for a, b in zip(on_k, off_k)]
                rows.append(f"| {'whoosh' if engine == 'carinews' else engine} | {label} | {full['queries']} "
                            f"| {off['ndcg10']:.3f} | {full['ndcg10']:.3f} | {full['ndcg10'] - off['ndcg10']:+.3f} | "
                            + " | ".join(cells) + " |")
    if not rows:
        return
    print("\nablation, dev set nDCG@10: everything on vs that change alone off (delta per kind):\n")
    print("| engine | change | queries | off | on | delta | " + " | ".join(f"{k} ({counts[k]})" for k in order) + " |")
    print("|---|---|---|---|---|---|" + "---|" * len(order))
    print("\n".join(rows))


if __name__ == "__main__":
    main()
