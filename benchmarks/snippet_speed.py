"""Search with snippets, top 10, warm: one source tree against another, in the same run.

Usage:
  python benchmarks/snippet_speed.py --index /tmp/perf-t12k --before /work/main/src \
      --after src [--rounds 4] [--passes 3]

Each round starts one fresh process per tree (before, after, alternating so machine noise
falls on both), opens the index, runs the query mix (benchmarks/queries.txt) once to warm
it, then `--passes` timed passes of `Archive.search(q, limit=10)` (snippets and title
highlights included). Per query the median over passes counts; p50/p95 are over queries.
Before timing, each process digests every hit's id, snippet and highlights, so the summary
says whether both trees give byte-identical results.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from measure import percentile  # noqa: E402


def load_queries() -> list[str]:
    lines = (HERE / "queries.txt").read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def child(index: str, passes: int) -> dict:
    """Runs inside one tree's process: timings and a digest of every result."""
    from carinews.archive import Archive

    queries = load_queries()
    archive = Archive.open(index)
    digest = hashlib.sha256()
    for q in queries:
        res = archive.search(q, limit=10)
        for h in res.hits:
            digest.update(json.dumps([h.id, h.snippet, h.highlights, h.title_highlights],
                                     ensure_ascii=False).encode())
    per_query = {q: [] for q in queries}
    for _ in range(passes):
        for q in queries:
            t0 = time.perf_counter()
            archive.search(q, limit=10)
            per_query[q].append((time.perf_counter() - t0) * 1000)
    meds = [statistics.median(v) for v in per_query.values()]
    archive.close()
    return {"p50_ms": percentile(meds, 50), "p95_ms": percentile(meds, 95),
            "max_ms": max(meds), "mean_ms": statistics.fmean(meds),
            "slowest": max(per_query, key=lambda q: statistics.median(per_query[q])),
            "digest": digest.hexdigest()[:16]}


def run_tree(src: str, index: str, passes: int) -> dict:
    env_src = str(Path(src).resolve())
    code = (f"import sys; sys.path.insert(0, {env_src!r}); sys.path.insert(0, {str(HERE)!r});"
            f"import json, snippet_speed as s; print(json.dumps(s.child({index!r}, {passes})))")
    out = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True)
    ap.add_argument("--before", required=True)
    ap.add_argument("--after", required=True)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args(argv)
    rows = {"before": [], "after": []}
    for r in range(args.rounds):
        order = ("before", "after") if r % 2 == 0 else ("after", "before")
        for name in order:
            res = run_tree(getattr(args, name), args.index, args.passes)
            rows[name].append(res)
            print(f"round {r} {name:6s} p50 {res['p50_ms']:6.2f} p95 {res['p95_ms']:6.2f} "
                  f"max {res['max_ms']:6.2f} ({res['slowest']}) digest {res['digest']}",
                  flush=True)
    summary = {}
    for name, results in rows.items():
        summary[name] = {k: statistics.median(r[k] for r in results)
                         for k in ("p50_ms", "p95_ms", "max_ms")}
    same = {r["digest"] for rs in rows.values() for r in rs}
    print(json.dumps({"median_of_rounds": summary,
                      "p50_ratio": summary["before"]["p50_ms"] / summary["after"]["p50_ms"],
                      "p95_ratio": summary["before"]["p95_ms"] / summary["after"]["p95_ms"],
                      "identical_results": len(same) == 1}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
