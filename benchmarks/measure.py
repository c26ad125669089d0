"""Measure one engine in a fresh process: build, then search; report JSON.

Steps: `run_measured(task)` starts `python measure.py wrap TASK...`, a fresh
wrapper process that runs `python measure.py child TASK...` and, once the
child has exited, reads `resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`: the
peak RSS of the child or of any process it started and waited for (Whoosh's
procs=2 workers). The child prints one JSON line; the wrapper adds
`peak_rss_mb` and prints it again.

Tasks:
  build ENGINE DIR [--n N | --jsonl FILE]   index the corpus (first N) or a grown file
  search ENGINE DIR [--passes P]            cold open + first query, then the query
                                            mix warm, P passes; p50/p95/max in ms
The corpus is loaded before the build clock starts; a `--jsonl` file is
streamed, so its reading is inside the build time (see RESULTS.md).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank-with-interpolation percentile (p in 0..100)."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def latency_summary(per_query_ms: dict[str, list[float]]) -> dict:
    """p50/p95/max over queries of each query's median (ms), plus the mean."""
    meds = [statistics.median(v) for v in per_query_ms.values()]
    return {"queries": len(meds), "p50_ms": percentile(meds, 50), "p95_ms": percentile(meds, 95),
            "max_ms": max(meds), "mean_ms": statistics.fmean(meds),
            "slowest": max(per_query_ms, key=lambda q: statistics.median(per_query_ms[q]))}


def stream_jsonl(path):
    import orjson
    with open(path, "rb") as fh:
        for line in fh:
            if line.strip():
                yield orjson.loads(line)


# ---------------------------------------------------------------- analysis throughput

def analysis_candidates() -> dict:
    """name -> (description, text -> number of tokens). Missing carinews parts are left out."""
    import re
    cands = {}
    word = re.compile(r"\w+")
    cands["regex \\w+ lower"] = ("re.findall(r'\\w+', text.lower()): floor for pure Python",
                                 lambda t: len(word.findall(t.lower())))
    from whoosh.analysis import StandardAnalyzer
    std = StandardAnalyzer()
    cands["whoosh StandardAnalyzer"] = ("regex tokenizer + lowercase + English stop words",
                                        lambda t: sum(1 for _ in std(t)))
    try:
        import tantivy
        tv = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
              .filter(tantivy.Filter.remove_long(40)).filter(tantivy.Filter.lowercase()).build())
        cands["tantivy default"] = ("simple + remove_long(40) + lowercase, via Python",
                                    lambda t: len(tv.analyze(t)))
    except Exception:  # noqa: BLE001
        pass
    try:
        from carinews.analysis.tokenize import tokenize
        cands["carinews tokenize (ICU)"] = ("ICU word breaks + compounds, no normalising",
                                            lambda t: len(tokenize(t)))
    except Exception:  # noqa: BLE001
        pass
    try:
        from carinews.engines.whoosh.analyzers import ExactAnalyzer, StemmedAnalyzer
        for label, ana in (("carinews StemmedAnalyzer sastrawi", StemmedAnalyzer("sastrawi")),
                           ("carinews StemmedAnalyzer snowball", StemmedAnalyzer("snowball")),
                           ("carinews StemmedAnalyzer none", StemmedAnalyzer("none")),
                           ("carinews ExactAnalyzer", ExactAnalyzer())):
            cands[label] = ("Whoosh analyzer from the carinews schema",
                            (lambda a: lambda t: sum(1 for _ in a(t)))(ana))
    except Exception:  # noqa: BLE001
        pass
    try:
        from carinews.analysis import analyze
        cands["carinews analyze()"] = ("carinews.analysis.analyze", lambda t: len(list(analyze(t))))
    except Exception:  # noqa: BLE001
        pass
    return cands


def analysis_rates(texts: list[str], rounds: int = 3) -> list[dict]:
    """tokens/s and MB/s of each candidate over `texts` (median of `rounds`; first warms caches)."""
    nbytes = sum(len(t.encode()) for t in texts)
    rows = []
    for name, (desc, fn) in analysis_candidates().items():
        times, tokens = [], 0
        for _ in range(rounds):
            t0 = time.perf_counter()
            tokens = sum(fn(t) for t in texts)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times[1:] if rounds > 1 else times)
        rows.append({"analyzer": name, "description": desc, "tokens": tokens,
                     "first_s": times[0], "median_s": med, "tokens_per_s": tokens / med,
                     "mb_per_s": nbytes / 1e6 / med})
    return rows


# ---------------------------------------------------------------- child tasks

def task_build(args) -> dict:
    import corpus
    from peers import make_engine
    engine = make_engine(args.engine)
    if args.jsonl:
        articles = stream_jsonl(args.jsonl)
        raw = None
    else:
        articles = corpus.load_articles(args.n)
        raw = corpus.raw_text_bytes(articles)
    stats = engine.build(articles, args.dir)
    stats["raw_bytes"] = raw
    stats["description"] = engine.description
    report = getattr(engine, "last_report", None)
    if report is not None and hasattr(report, "to_dict"):
        stats["carinews_report"] = {k: v for k, v in report.to_dict().items()
                                    if isinstance(v, (int, float, str, bool))}
    return stats


def task_search(args) -> dict:
    import corpus
    from peers import make_engine
    queries = corpus.load_queries()
    engine = make_engine(args.engine)
    t0 = time.perf_counter()
    engine.open(args.dir)
    t1 = time.perf_counter()
    first = engine.search(queries[0], k=10)
    t2 = time.perf_counter()
    top_ids = {}
    for q in queries:                      # warm-up pass (also loads every posting list once)
        top_ids[q] = [hit[0] for hit in engine.search(q, k=10)]
    hits_per_query = {q: len(ids) for q, ids in top_ids.items()}
    per_query: dict[str, list[float]] = {q: [] for q in queries}
    for _ in range(args.passes):
        for q in queries:
            s = time.perf_counter()
            engine.search(q, k=10)
            per_query[q].append((time.perf_counter() - s) * 1000)
    engine.close()
    out = {"engine": args.engine, "open_ms": (t1 - t0) * 1000,
           "cold_first_query_ms": (t2 - t1) * 1000, "cold_total_ms": (t2 - t0) * 1000,
           "first_query": queries[0], "first_hits": len(first), "passes": args.passes,
           "zero_hit_queries": sorted(q for q, n in hits_per_query.items() if n == 0)}
    out.update(latency_summary(per_query))
    if args.dump:
        out["per_query_ms"] = {q: statistics.median(v) for q, v in per_query.items()}
        out["top_ids"] = top_ids
    return out


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="measure.py")
    ap.add_argument("mode", choices=["child", "wrap"])
    sub = ap.add_subparsers(dest="task", required=True)
    b = sub.add_parser("build")
    b.add_argument("engine")
    b.add_argument("dir")
    b.add_argument("--n", type=int, default=None)
    b.add_argument("--jsonl", default=None)
    s = sub.add_parser("search")
    s.add_argument("engine")
    s.add_argument("dir")
    s.add_argument("--passes", type=int, default=3)
    s.add_argument("--dump", action="store_true", help="add per-query ms and top-10 ids")
    return ap.parse_args(argv)


def child_main(args) -> int:
    from peers import EngineUnavailable
    try:
        out = task_build(args) if args.task == "build" else task_search(args)
    except EngineUnavailable as e:
        out = {"engine": args.engine, "skipped": str(e)}
    out["self_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out, default=str), flush=True)
    return 0


def wrap_main(argv) -> int:
    proc = subprocess.run([sys.executable, str(Path(__file__)), "child", *argv[1:]],
                          stdout=subprocess.PIPE, text=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024   # KiB on Linux
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        out = {"error": f"child exited {proc.returncode}", "stdout_tail": proc.stdout[-2000:]}
    else:
        out = json.loads(lines[-1])
    out["peak_rss_mb"] = peak
    print(json.dumps(out, default=str), flush=True)
    return 0


def run_measured(task: list[str], timeout: float | None = None) -> dict:
    """Run `task` (e.g. ["build", "fts5", "/tmp/x", "--n", "2000"]) measured; its JSON dict."""
    env = dict(os.environ)
    proc = subprocess.run([sys.executable, str(Path(__file__)), "wrap", *task],
                          stdout=subprocess.PIPE, text=True, timeout=timeout, env=env)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        return {"error": f"wrapper exited {proc.returncode}", "task": task}
    return json.loads(lines[-1])


if __name__ == "__main__":
    argv = sys.argv[1:]
    ns = parse_args(argv)
    sys.exit(child_main(ns) if ns.mode == "child" else wrap_main(argv))
