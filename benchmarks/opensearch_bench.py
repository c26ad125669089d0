"""The OpenSearch engine on the shared corpus, beside the embedded engines in the same run.

Steps: read the corpus (BENCH_N articles, default all) as carinews Articles -> build a
Whoosh and a tantivy index (Archive.add, their default workers) and an OpenSearch index on the cluster at
CARINEWS_OPENSEARCH_URL (BENCH_OS_SHARDS x BENCH_OS_REPLICAS, default 3 x 1; loaded with
engines/opensearch/writer.load_articles in batches of 4,000, two forked workers), timing
each -> run the fixed query mix (queries.txt) through each engine as `carinews search`
does (search.rank for the top 50 with the ranking bonuses, then results.hits.build_hits:
copies folded, top 10 with snippets), BENCH_PASSES warm passes, each query's median ->
p50/p95/max -> the node JVMs' resident memory -> benchmarks/opensearch_results.md and .json
(opensearch_results_200k.* for BENCH_GROWN=200000).
BENCH_EMBEDDED (default "whoosh,tantivy") names the embedded engines built beside it;
BENCH_GROWN=N uses the first N articles grown by benchmarks/grow.py instead of the corpus.

  make opensearch && CARINEWS_OPENSEARCH_URL=http://127.0.0.1:9200 \\
      .venv/bin/python benchmarks/opensearch_bench.py
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from carinews_engine import to_article  # noqa: E402
from measure import percentile  # noqa: E402

BATCH = 4000
WINDOW = 50          # run_search's window for 10 hits with copies folded
CLUSTER_WORK = HERE.parent / "cluster" / "work"


def search_once(engine, stemmer: str, text: str):
    from carinews.query.parse import parse_query
    from carinews.results.hits import build_hits
    from carinews.search import rank

    parsed = parse_query(text, stemmer=stemmer)
    ranked, _ = rank(engine, parsed, WINDOW)
    return build_hits(ranked.matches, parsed.highlight, 10, True, 2, 200), ranked.total


def time_queries(engine, queries: list[str], passes: int) -> tuple[dict, dict]:
    """Latency summary (ms) over each query's median of `passes` warm runs, and totals."""
    totals, medians = {}, []
    for text in queries:
        _, totals[text] = search_once(engine, "sastrawi", text)        # warm-up
        runs = []
        for _ in range(passes):
            start = time.perf_counter()
            search_once(engine, "sastrawi", text)
            runs.append((time.perf_counter() - start) * 1000)
        medians.append(statistics.median(runs))
    return ({"queries": len(medians), "p50_ms": percentile(medians, 50),
             "p95_ms": percentile(medians, 95), "max_ms": max(medians)}, totals)


def node_memory() -> list[int]:
    """Resident memory (MB) of each node JVM that cluster/opensearch.sh started."""
    found = []
    for pid_file in sorted(CLUSTER_WORK.glob("node-*/node.pid")):
        try:
            status = Path(f"/proc/{pid_file.read_text().strip()}/status").read_text()
        except OSError:
            continue
        found += [int(line.split()[1]) // 1024 for line in status.splitlines() if line.startswith("VmRSS:")]
    return found


EMBEDDED = tuple(e for e in os.environ.get("BENCH_EMBEDDED", "whoosh,tantivy").split(",") if e)


def build_embedded(articles, folder: Path, engine: str) -> float:
    from carinews.archive import Archive

    start = time.perf_counter()
    with Archive.create(folder, engine=engine) as archive:
        report = archive.add(articles, batch_size=BATCH)
    assert report.rejected == 0, report.rejected
    return time.perf_counter() - start


def build_opensearch(articles, url: str, name: str, shards: int, replicas: int):
    from carinews.engines.opensearch.engine import OpenSearchEngine
    from carinews.engines.opensearch.writer import load_articles

    start = time.perf_counter()
    engine = OpenSearchEngine.create(url, name, shards=shards, replicas=replicas)
    outcomes = load_articles(engine, articles, batch_size=BATCH)
    seconds = time.perf_counter() - start
    assert not [o for o in outcomes if o.error], "articles rejected"
    return engine, seconds


def main() -> int:
    from carinews.archive import Archive
    from carinews.engines.opensearch.engine import OpenSearchEngine
    from carinews.engines.opensearch.cluster import connect

    url = os.environ.get("CARINEWS_OPENSEARCH_URL", "")
    if not url:
        print("CARINEWS_OPENSEARCH_URL is not set (start the test cluster with `make opensearch`)")
        return 2
    shards = int(os.environ.get("BENCH_OS_SHARDS", "3"))
    replicas = int(os.environ.get("BENCH_OS_REPLICAS", "1"))
    passes = int(os.environ.get("BENCH_PASSES", "5"))
    grown = int(os.environ.get("BENCH_GROWN", "0"))
    if grown:      # a grown archive (benchmarks/grow.py: real paragraphs recombined)
        import grow
        raw = list(grow.grow_articles(grown))
    else:
        raw = corpus.load_articles(corpus.bench_n())
    queries = corpus.load_queries()
    n = len(raw)
    results = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
               "articles": n, "grown": bool(grown), "shards": shards, "replicas": replicas, "passes": passes}
    name = f"bench-{n}-{int(time.time())}"
    with tempfile.TemporaryDirectory() as folder:
        seconds = {e: build_embedded([to_article(dict(d)) for d in raw], Path(folder) / e, e)
                   for e in EMBEDDED}
        engine, os_seconds = build_opensearch([to_article(dict(d)) for d in raw], url, name,
                                              shards, replicas)
        try:
            client, _ = connect(url)
            stats = client.indices.stats(index=f"{engine.index},{engine.lexicon}", metric="store,docs")
            results["opensearch"] = {
                "build_s": os_seconds, "articles_per_s": n / os_seconds, "docs": engine.doc_count(),
                "store_mb": stats["_all"]["total"]["store"]["size_in_bytes"] / 1e6,
                "lexicon_terms": stats["indices"][engine.lexicon]["primaries"]["docs"]["count"],
                "node_rss_mb": node_memory()}
            results["opensearch"]["search"], os_totals = time_queries(engine, queries, passes)
            results["same_totals"] = {}
            for e in EMBEDDED:
                with Archive.open(Path(folder) / e) as archive:
                    results[e] = {"build_s": seconds[e], "articles_per_s": n / seconds[e],
                                  "docs": len(archive)}
                    results[e]["search"], totals = time_queries(archive.engine, queries, passes)
                results["same_totals"][e] = sum(totals[q] == os_totals[q] for q in queries)
            results["queries"] = len(queries)
        finally:
            OpenSearchEngine.remove(url, name)
    # A grown run keeps its own files, so the shared-corpus figures stay beside it.
    stem = "opensearch_results" + (f"_{n // 1000}k" if results.get("grown") else "")
    (HERE / f"{stem}.json").write_text(json.dumps(results, indent=2) + "\n")
    (HERE / f"{stem}.md").write_text(render(results))
    print(render(results))
    return 0


def render(r: dict) -> str:
    embedded = list(r["same_totals"])
    names = [*embedded, "opensearch"]
    cols = [r[e] for e in names]
    o = r["opensearch"]
    return "\n".join([
        "# OpenSearch engine benchmark (benchmarks/opensearch_bench.py)",
        "",
        f"{r['when']}; {r['machine']}; {r['articles']:,} {'grown' if r.get('grown') else 'shared-corpus'} articles; OpenSearch 2.19.6, "
        f"3 local nodes (512 MB heap each) on the same machine, {r['shards']} shards x "
        f"{r['replicas']} replica; the {' and '.join(embedded)} engine(s) built in the same run. Search: the "
        f"{r['queries']} queries of queries.txt, top 10 with snippets (search.rank + "
        f"results.hits.build_hits), median of {r['passes']} warm passes each.",
        "",
        "| | " + " | ".join(f"{e} engine" for e in names) + " |",
        "|---|" + "---|" * len(names),
        "| build | " + " | ".join(f"{c['build_s']:.1f} s ({c['articles_per_s']:.0f} articles/s)"
                                  for c in cols) + " |",
        "| search p50 / p95 / max | " + " | ".join(
            f"{c['search']['p50_ms']:.1f} / {c['search']['p95_ms']:.1f} / {c['search']['max_ms']:.0f} ms"
            for c in cols) + " |",
        "| articles | " + " | ".join(f"{c['docs']:,}" for c in cols) + " |",
        "",
        "Same total as OpenSearch: " + ", ".join(
            f"{e} {r['same_totals'][e]} of {r['queries']} queries" for e in embedded) + ". OpenSearch "
        f"store (primaries and replicas, article and lexicon indexes): {o['store_mb']:.0f} MB; "
        f"lexicon: {o['lexicon_terms']:,} terms; node resident memory after the run: "
        f"{', '.join(f'{m} MB' for m in o['node_rss_mb'])}.",
        "",
    ])


if __name__ == "__main__":
    sys.exit(main())
