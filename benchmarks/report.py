"""Run every benchmark and write benchmarks/RESULTS.md (and RESULTS.json).

Steps: machine and versions -> for each engine, build the corpus (first
BENCH_N, default all) and search it, each in a fresh measured process
(measure.py) -> analysis throughput in this process -> growth table (grow.py)
-> tables of absolute figures and ratios to plain Whoosh -> RESULTS.md.

  python benchmarks/report.py               # full run (corpus + growth)
  python benchmarks/report.py --quick       # BENCH_N=2000, growth at 10k only
  python benchmarks/report.py --no-growth
  python benchmarks/report.py --growth-only # rerun growth (BENCH_GROW_*), merge into RESULTS.json
  python benchmarks/report.py --render      # rewrite RESULTS.md from RESULTS.json

Env: BENCH_N, BENCH_ENGINES, BENCH_PASSES (warm passes per query, 5),
BENCH_BUILD_ROUNDS (builds of whoosh and carinews, interleaved, 3),
BENCH_ANALYSIS_N (1000), BENCH_GROW_* (see grow.py), BENCH_WORK.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import grow  # noqa: E402
import peers  # noqa: E402
from measure import analysis_rates, run_measured  # noqa: E402


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- machine

def machine() -> dict:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "ram": mem,
            "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "load_before": os.getloadavg()[0]}


def versions() -> dict:
    import sqlite3
    from importlib import metadata
    out = {"sqlite": sqlite3.sqlite_version}
    for dist in ("whoosh-reloaded", "tantivy", "PyICU", "PySastrawi", "PyStemmer", "carinews",
                 "pytest-benchmark"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "absent"
    try:
        import icu
        out["ICU"] = icu.ICU_VERSION
    except ImportError:
        pass
    return out


# ---------------------------------------------------------------- runs

def run_engines(n: int | None, passes: int) -> dict:
    results = {}
    work = grow.work_dir()
    for name in peers.engine_names():
        d = work / f"main-{name}-{n or 'all'}"
        log(f"build {name}")
        b = run_measured(build_task(name, d, n))
        if "skipped" in b or "error" in b:
            log(f"  {name}: {b.get('skipped') or b.get('error')}")
            results[name] = {"build": b}
            continue
        log(f"  {b['docs']} docs in {b['seconds']:.1f}s, {b['size_bytes'] / 1e6:.1f} MB")
        log(f"search {name}")
        s = run_measured(["search", name, str(d), "--passes", str(passes), "--dump"])
        if "error" not in s:
            log(f"  p50 {s['p50_ms']:.2f} ms p95 {s['p95_ms']:.2f} ms")
        results[name] = {"build": b, "search": s}
        if os.environ.get("BENCH_KEEP", "") != "1":
            shutil.rmtree(d, ignore_errors=True)
    return results


def build_task(name: str, folder: Path, n: int | None) -> list[str]:
    """measure.py's arguments for building engine `name` into `folder` (first `n` articles)."""
    return ["build", name, str(folder)] + (["--n", str(n)] if n else [])


ROUND_ENGINES = (peers.BASELINE, "carinews", "carinews-tantivy")
LABELS = {"carinews": "carinews (whoosh)", "carinews-tantivy": "carinews (tantivy)"}


def label(name: str) -> str:
    """An engine's row label: the carinews engines say which index they use."""
    return LABELS.get(name, name)


def run_build_rounds(n: int | None, results: dict, rounds: int) -> None:
    """Build plain Whoosh and carinews again, alternately, until each has `rounds`
    builds; the indexing ratio is taken between their medians, so one build slowed
    by the machine's neighbours does not decide it."""
    names = [name for name in ROUND_ENGINES if "seconds" in results.get(name, {}).get("build", {})]
    for name in names:
        results[name]["build"]["rounds_s"] = [results[name]["build"]["seconds"]]
    work = grow.work_dir()
    for k in range(2, rounds + 1):
        for name in names:
            d = work / f"round-{name}"
            shutil.rmtree(d, ignore_errors=True)
            log(f"build {name} (round {k} of {rounds})")
            b = run_measured(build_task(name, d, n))
            shutil.rmtree(d, ignore_errors=True)
            if "seconds" not in b:
                log(f"  {name}: {b.get('skipped') or b.get('error')}")
                continue
            log(f"  {b['seconds']:.1f}s")
            results[name]["build"]["rounds_s"].append(b["seconds"])


def build_seconds(b: dict) -> float:
    """An engine's build time: the median of its rounds when it was built more than once."""
    return statistics.median(b["rounds_s"]) if b.get("rounds_s") else b["seconds"]


def run_reindex() -> dict:
    """`carinews index` on the corpus folder into a new index, then again unchanged:
    the re-index target (< 5% of the build) through the command a user runs."""
    import subprocess

    d = grow.work_dir() / "reindex-carinews"
    shutil.rmtree(d, ignore_errors=True)
    cli = [sys.executable, "-m", "carinews", "index", "--index", str(d), str(corpus.JSONL_DIR)]
    out = {}
    for step in ("build", "reindex"):
        log(f"carinews index ({step})")
        t = time.perf_counter()
        proc = subprocess.run(cli, capture_output=True, text=True)
        out[f"{step}_s"] = time.perf_counter() - t
        out[f"{step}_summary"] = proc.stdout.strip().splitlines()[:1]
        if proc.returncode != 0:
            out["error"] = proc.stderr.strip()[-500:]
            break
    if "reindex_s" in out:
        out["ratio"] = out["reindex_s"] / out["build_s"]
    shutil.rmtree(d, ignore_errors=True)
    return out


def reindex_lines(r: dict) -> list[str]:
    if not r or "ratio" not in r:
        return [f"Re-index not measured: {r.get('error', 'skipped') if r else 'skipped'}", ""]
    return [
        "## Re-index (the `carinews index` command, wall time including start-up)",
        "",
        "| run | seconds | output |",
        "|---|---|---|",
        f"| build into a new index | {r['build_s']:.1f} | {' '.join(r['build_summary'])} |",
        f"| same command again (unchanged) | {r['reindex_s']:.2f} | {' '.join(r['reindex_summary'])} |",
        "",
        f"Re-index / build = **{r['ratio'] * 100:.1f}%** (target < 5%).",
        "",
    ]


def overlap(results: dict, base: str = peers.BASELINE) -> dict:
    """Mean share of the baseline's top-10 ids each engine also returns (sanity, not quality)."""
    ref = results.get(base, {}).get("search", {}).get("top_ids")
    out = {}
    if not ref:
        return out
    for name, r in results.items():
        ids = r.get("search", {}).get("top_ids")
        if not ids:
            continue
        shares = [len(set(ids.get(q, [])) & set(ref[q])) / len(ref[q]) for q in ref if ref[q]]
        out[name] = sum(shares) / len(shares) if shares else None
    return out


# ---------------------------------------------------------------- tables

def fmt(x, nd=1):
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:,.{nd}f}"
    return f"{x:,}" if isinstance(x, int) else str(x)


def ratio(x, base):
    return f"{x / base:.2f}×" if x and base else "–"


def table(head: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def index_table(results: dict) -> str:
    base = results.get(peers.BASELINE, {}).get("build", {})
    rows = []
    for name, r in results.items():
        b = r["build"]
        if "seconds" not in b:
            rows.append([label(name), "skipped: " + str(b.get("skipped") or b.get("error"))[:80]] + [""] * 7)
            continue
        seconds = build_seconds(b)
        rate = b["docs"] / seconds
        rounds = " / ".join(f"{x:.1f}" for x in b.get("rounds_s", []))
        rows.append([label(name), fmt(b["docs"]), fmt(seconds, 2) + (f" ({rounds})" if rounds else ""),
                     fmt(rate, 0),
                     ratio(rate, base.get("docs", 0) / build_seconds(base) if base.get("seconds") else 0),
                     fmt(b["size_bytes"] / 1e6), fmt(b["size_bytes"] / b["raw_bytes"], 2) + "×",
                     ratio(b["size_bytes"], base.get("size_bytes")), fmt(b["peak_rss_mb"], 0)])
    return table(["engine", "articles", "build s", "articles/s", "speed vs whoosh", "size MB",
                  "size / raw text", "size vs whoosh", "peak RSS MB"], rows)


def search_table(results: dict, agree: dict) -> str:
    base = results.get(peers.BASELINE, {}).get("search", {})
    rows = []
    for name, r in results.items():
        s = r.get("search")
        if not s or "p50_ms" not in s:
            continue
        rows.append([label(name), fmt(s["p50_ms"], 2), fmt(s["p95_ms"], 2), fmt(s["max_ms"], 2),
                     ratio(s["p50_ms"], base.get("p50_ms")), ratio(s["p95_ms"], base.get("p95_ms")),
                     fmt(s["open_ms"], 1), fmt(s["cold_first_query_ms"], 1),
                     fmt(s["peak_rss_mb"], 0), f"{agree[name]:.0%}" if agree.get(name) is not None else "–",
                     len(s.get("zero_hit_queries", [])), s.get("slowest", "")])
    return table(["engine", "p50 ms", "p95 ms", "max ms", "p50 vs whoosh", "p95 vs whoosh",
                  "open ms", "cold 1st query ms", "search peak RSS MB", "top-10 overlap w/ whoosh",
                  "0-hit queries", "slowest query"], rows)


def analysis_table(rows: list[dict]) -> str:
    base = next((r for r in rows if r["analyzer"] == "whoosh StandardAnalyzer"), None)
    return table(["analyzer", "tokens", "tokens/s", "MB/s", "vs whoosh StandardAnalyzer", "what"],
                 [[r["analyzer"], fmt(r["tokens"]), fmt(r["tokens_per_s"], 0), fmt(r["mb_per_s"], 2),
                   ratio(r["tokens_per_s"], base["tokens_per_s"] if base else None), r["description"]]
                  for r in rows])


def growth_table(rows: list[dict]) -> str:
    out = []
    for r in sorted(rows, key=lambda r: (r["engine"], r["n"])):
        if r.get("estimated"):
            est = r.get("build_s")
            out.append([label(r["engine"]), fmt(r["n"]), f"≈{est:,.0f} (est.)" if est else "–",
                        "–", "–", "–", "–", "–", "–"])
            continue
        out.append([label(r["engine"]), fmt(r["n"]), fmt(r["build_s"], 1), fmt(r["docs_per_s"], 0),
                    fmt(r["size_mb"]), fmt(r["size_mb"] / r["jsonl_mb"], 2) + "×",
                    fmt(r["p50_ms"], 2), fmt(r["p95_ms"], 2), fmt(r["build_peak_rss_mb"], 0)])
    return table(["engine", "articles", "index s", "articles/s", "size MB", "size / JSONL",
                  "p50 ms", "p95 ms", "build peak RSS MB"], out)


def write_markdown(data: dict, path: Path) -> None:
    m, v = data["machine"], data["versions"]
    parts = [
        "# carinews benchmarks",
        "",
        f"Written by `benchmarks/report.py` on {data['when']} in {data['wall_s'] / 60:.1f} min. "
        "All figures come from this one run, so ratios compare engines on the same noisy machine.",
        "",
        "## Machine and versions",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; RAM {m['ram']}; {m['os']}; Python {m['python']}; "
        f"load average before the run {m['load_before']:.2f}",
        "- " + ", ".join(f"{k} {val}" for k, val in v.items()),
        "",
        f"## Indexing ({data['n_label']} articles of ../shared/corpus/jsonl)",
        "",
        "Each build runs in a fresh process; the corpus is loaded before the clock starts. "
        + (f"{' and '.join(ROUND_ENGINES)} are built {data['build_rounds']} times, alternately "
           "(the first build of each is the one searched below); their `build s` is the median, "
           "with every build's seconds in brackets, and `speed vs whoosh` is the ratio of the "
           "medians. Other engines are built once. " if data.get("build_rounds", 1) > 1 else "")
        + "Size = index folder on disk; raw text = UTF-8 bytes of titles + bodies "
        f"({data['raw_mb']:.1f} MB). Peak RSS = `getrusage(RUSAGE_CHILDREN).ru_maxrss` of the "
        "measuring wrapper (the largest single process, for whoosh-mp2 the largest of the workers/parent).",
        "",
        index_table(data["engines"]),
        "",
        "## Search (warm index, top 10 with body snippets)",
        "",
        f"{data['queries']} queries from `benchmarks/queries.txt`; after one warm-up pass each query "
        f"runs {data['passes']}×; p50/p95/max are over the queries' median latencies. "
        "Cold = open the index in a fresh process, then the first query (`banjir`); the OS page "
        "cache is warm (just built). Overlap = mean share of plain Whoosh's top 10 also returned "
        "(a sanity check that the engines answer the same question, not a quality score).",
        "",
        search_table(data["engines"], data["overlap"]),
        "",
        f"## Analysis throughput (first {data['analysis_n']} articles, title + body, "
        f"{data['analysis_mb']:.1f} MB; median of 2 rounds after 1 warm-up)",
        "",
        analysis_table(data["analysis"]),
        "",
    ] + reindex_lines(data.get("reindex", {}))
    if data.get("growth"):
        parts += [
            "## Growth (grown archives, `benchmarks/grow.py`, seed "
            f"{data['growth_seed']})",
            "",
            "Articles recombined from real paragraphs (new ids/urls, dates over 2006–2025). "
            "Each build streams its JSONL file, so JSON parsing is inside the index time. "
            "Search: one pass of the query mix after the warm-up. `est.` = not run; a power-law "
            "fit (never better than linear) through the two largest measured sizes.",
            "",
            growth_table(data["growth"]),
            "",
        ]
    parts += ["## Engines", ""]
    for name, r in data["engines"].items():
        parts.append(f"- **{label(name)}**: {r['build'].get('description') or r['build'].get('skipped', '')}")
    if data.get("notes"):
        parts += ["", "## Notes", ""] + [f"- {n}" for n in data["notes"]]
    parts += ["", "Raw figures: `benchmarks/RESULTS.json`.", ""]
    path.write_text("\n".join(parts), encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="BENCH_N=2000, growth at 10k only")
    ap.add_argument("--no-growth", action="store_true")
    ap.add_argument("--growth-only", action="store_true",
                    help="run growth only; replace matching (engine, size) rows in RESULTS.json")
    ap.add_argument("--render", action="store_true", help="rewrite the .md from the .json only")
    ap.add_argument("--out", default=str(HERE / "RESULTS.md"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    if args.render or args.growth_only:
        data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
        if args.growth_only:
            data.setdefault("growth_seed", grow.seed())
            t0 = time.perf_counter()
            new = grow.run_growth(log=log)
            keys = {(r["engine"], r["n"]) for r in new}
            data["growth"] = [r for r in data.get("growth", [])
                              if (r["engine"], r["n"]) not in keys] + new
            data["wall_s"] += time.perf_counter() - t0
            data.setdefault("notes", []).append(
                f"growth rows {sorted(keys)} rerun separately on "
                f"{datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}")
            out.with_suffix(".json").write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
        write_markdown(data, out)
        log(f"wrote {out}")
        return 0
    if args.quick:
        os.environ.setdefault("BENCH_N", "2000")
        os.environ.setdefault("BENCH_GROW_SIZES", "10000")
    if not corpus.corpus_available():
        log(f"shared corpus absent ({corpus.JSONL_DIR}); nothing to benchmark")
        return 0
    t0 = time.perf_counter()
    n = corpus.bench_n()
    passes = int(os.environ.get("BENCH_PASSES", "5"))
    data = {"when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(), "versions": versions(), "passes": passes,
            "queries": len(corpus.load_queries())}
    arts = corpus.load_articles(n)
    data["n_label"] = f"{len(arts):,}"
    data["raw_mb"] = corpus.raw_text_bytes(arts) / 1e6
    data["engines"] = run_engines(n, passes)
    data["build_rounds"] = int(os.environ.get("BENCH_BUILD_ROUNDS", "3"))
    run_build_rounds(n, data["engines"], data["build_rounds"])
    data["overlap"] = overlap(data["engines"])
    if "carinews" in data["engines"]:
        data["reindex"] = run_reindex()
    an = int(os.environ.get("BENCH_ANALYSIS_N", "1000"))
    texts = [a["title"] + "\n" + a["body"] for a in arts[:an]]
    del arts
    log("analysis throughput")
    data["analysis"] = analysis_rates(texts)
    data["analysis_n"] = len(texts)
    data["analysis_mb"] = sum(len(t.encode()) for t in texts) / 1e6
    if not args.no_growth:
        data["growth_seed"] = grow.seed()
        data["growth"] = grow.run_growth(log=log)
    data["wall_s"] = time.perf_counter() - t0
    for r in data["engines"].values():      # keep RESULTS.json readable
        r.get("search", {}).pop("top_ids", None)
    out.with_suffix(".json").write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
    write_markdown(data, out)
    log(f"wrote {out} ({data['wall_s'] / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
