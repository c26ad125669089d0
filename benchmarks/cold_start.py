"""Cold `carinews search`: wall time of fresh processes, beside Python's own start-up.

Usage:
  python benchmarks/cold_start.py --index /tmp/perf-t12k [--index /tmp/perf-w12k] \
      [--src src] [--before /work/main/src] [--queries 16] [--rounds 3]

Each run is one new process, as a user typing `carinews search ...` in a shell gets:
`python -m carinews search --index IDX QUERY` with PYTHONPATH set to one source tree.
The baselines run in the same loop, interleaved so machine noise falls on every row:
`python -c pass` (interpreter start) and `python -c "import carinews"` (the package).
Queries are the first `--queries` lines of benchmarks/queries.txt spread over its
categories (every k-th line). Bytecode is cached (PYTHONPYCACHEPREFIX under /tmp, one
untimed run first), as for an installed package. Per row: p50/p95/max wall over all runs (queries x rounds).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from measure import percentile  # noqa: E402
# Compiled bytecode goes here (not into the source tree), as an installed package has it:
# the first, untimed run of each command writes it.
PYCACHE = "/tmp/carinews-cold-start-pycache"


def query_mix(count: int) -> list[str]:
    lines = (HERE / "queries.txt").read_text(encoding="utf-8").splitlines()
    queries = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
    step = max(1, len(queries) // count)
    return queries[::step][:count]


def wall(cmd: list[str], src: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(Path(src).resolve()),
               PYTHONPYCACHEPREFIX=PYCACHE + "/" + Path(src).resolve().as_posix().strip("/"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", action="append", required=True)
    ap.add_argument("--src", default="src")
    ap.add_argument("--before", help="a second source tree, measured in the same loop")
    ap.add_argument("--queries", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    py = sys.executable
    trees = {"after": args.src} | ({"before": args.before} if args.before else {})
    rows: dict[str, list[float]] = {}
    queries = query_mix(args.queries)
    for src in trees.values():  # untimed: writes the bytecode cache
        for index in args.index:
            wall([py, "-m", "carinews", "search", "--index", index, queries[0]], src)
    for _ in range(args.rounds):
        for q in queries:
            rows.setdefault("python -c pass", []).append(wall([py, "-c", "pass"], args.src))
            for name, src in trees.items():
                rows.setdefault(f"import carinews ({name})", []).append(
                    wall([py, "-c", "import carinews"], src))
                for index in args.index:
                    cmd = [py, "-m", "carinews", "search", "--index", index, q]
                    rows.setdefault(f"search {Path(index).name} ({name})", []).append(
                        wall(cmd, src))
    summary = {}
    for name, times in rows.items():
        ms = [t * 1000 for t in times]
        summary[name] = {"runs": len(ms), "p50_ms": round(statistics.median(ms), 1),
                         "p95_ms": round(percentile(ms, 95), 1), "max_ms": round(max(ms), 1)}
        print(f"{name:34s} runs {len(ms):3d}  p50 {summary[name]['p50_ms']:6.1f} ms  "
              f"p95 {summary[name]['p95_ms']:6.1f} ms  max {summary[name]['max_ms']:6.1f} ms")
    print(json.dumps({"queries": queries, "rows": summary}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
