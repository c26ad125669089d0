"""Load run of `carinews serve` on loopback: N concurrent clients over the query mix.

Steps:
1. Baseline in the same run: the library alone (`Archive.search` with the options the
   search page uses: facets, day facet, 10 hits) over the query mix, one query after
   another in this process: its p50/p99 is the work one page costs before HTTP.
2. Start `carinews serve --index DIR --cache C` as a subprocess on a free 127.0.0.1
   port, once with the result cache off (`--cache 0`: every request searches) and once
   with it on (the default: a search repeated on the same committed state is answered
   from memory, as the mix's 59 queries are after their first round), and once more
   with it on after one warming round of every query (the steady state of a server
   whose feeds and saved searches are polled).
3. CLIENTS asyncio clients (httpx, one connection each) loop over the query mix (each
   from another starting point) requesting the search page `/?q=…` until DURATION
   seconds have passed, then stop; every request has a timeout.
4. Report requests/s, latency p50/p90/p99/max, errors (non-200 or transport errors),
   as text and, with --json, one JSON object. Then stop the server.

Only 127.0.0.1 is ever contacted; the run is bounded in time and stops by itself.

    python benchmarks/web_load.py --index /tmp/ix12k --clients 20 --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import load_queries  # noqa: E402
from measure import percentile  # noqa: E402

REPO = HERE.parent
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30.0


def library_baseline(index: str, queries: list[str], passes: int) -> dict:
    from carinews.archive import Archive

    with Archive.open(index) as archive:
        archive.search(queries[0], facets=True, date_facet="day")           # warm the caches
        times = []
        for _ in range(passes):
            for q in queries:
                start = time.perf_counter()
                archive.search(q, limit=10, facets=True, date_facet="day")
                times.append((time.perf_counter() - start) * 1000)
    return summary(times, sum(times) / 1000, 0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(index: str, port: int, cache: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "carinews", "serve", "--index", index,
                             "--host", HOST, "--port", str(port), "--cache", str(cache)],
                            env=env, stderr=subprocess.PIPE, text=True)
    proc.stderr.readline()
    return proc


async def wait_until_up(base: str, client) -> None:
    for _ in range(400):
        try:
            await client.get(base + "/api/stats")
            return
        except Exception:  # noqa: BLE001 - not listening yet
            await asyncio.sleep(0.05)
    raise RuntimeError("server did not start")


async def one_client(n: int, base: str, queries: list[str], deadline: float, out: list,
                     errors: list) -> None:
    import httpx

    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT,
                                 limits=httpx.Limits(max_connections=1)) as client:
        i = n * 7
        while time.perf_counter() < deadline:
            q = queries[i % len(queries)]
            i += 1
            start = time.perf_counter()
            try:
                reply = await client.get(base + "/", params={"q": q})
                await reply.aread()
                if reply.status_code != 200:
                    errors.append(f"{reply.status_code} {q}")
            except Exception as exc:  # noqa: BLE001 - counted and reported
                errors.append(f"{type(exc).__name__} {q}")
            out.append((time.perf_counter() - start) * 1000)


async def load(base: str, queries: list[str], clients: int, seconds: float, warm: bool) -> dict:
    import httpx

    async with httpx.AsyncClient() as probe:
        await wait_until_up(base, probe)
        for q in (queries if warm else queries[:5]):                      # warm-up
            await probe.get(base + "/", params={"q": q}, timeout=REQUEST_TIMEOUT)
    times: list[float] = []
    errors: list[str] = []
    start = time.perf_counter()
    deadline = start + seconds
    await asyncio.gather(*(one_client(n, base, queries, deadline, times, errors)
                           for n in range(clients)))
    return {**summary(times, time.perf_counter() - start, len(errors)), "error_samples": errors[:10]}


def summary(times: list[float], elapsed: float, errors: int) -> dict:
    return {"requests": len(times), "seconds": round(elapsed, 1),
            "requests_per_s": round(len(times) / elapsed, 1) if elapsed else None,
            "p50_ms": round(percentile(times, 50), 1), "p90_ms": round(percentile(times, 90), 1),
            "p99_ms": round(percentile(times, 99), 1), "max_ms": round(max(times), 1),
            "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--baseline-passes", type=int, default=2)
    parser.add_argument("--runs", nargs="+", default=["0", "256", "256:warm"],
                        help="one load run each: a result-cache size, ':warm' to request "
                             "every query once before the clock starts")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 0 < args.seconds <= 600:
        parser.error("at most 200 clients and 600 seconds")
    queries = load_queries()
    baseline = library_baseline(args.index, queries, args.baseline_passes)
    runs = {}
    for run in args.runs:
        cache, _, warm = run.partition(":")
        port = free_port()
        server = start_server(args.index, port, int(cache))
        try:
            runs[run] = asyncio.run(load(f"http://{HOST}:{port}", queries, args.clients,
                                         args.seconds, warm == "warm"))
        finally:
            server.terminate()
            server.wait(timeout=30)
    report = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              "index": args.index, "queries": len(queries), "clients": args.clients,
              "library_baseline": baseline, "search_page": runs}
    if args.json:
        print(json.dumps(report))
        return
    print(f"{report['machine']}; {len(queries)} queries; index {args.index}")
    b = baseline
    print(f"library alone (1 at a time, {b['requests']} searches): p50 {b['p50_ms']} ms, "
          f"p99 {b['p99_ms']} ms, max {b['max_ms']} ms")
    for cache, r in runs.items():
        print(f"search page, cache {cache}, {args.clients} clients, {r['seconds']} s: "
              f"{r['requests']} requests, {r['requests_per_s']} req/s, p50 {r['p50_ms']} ms, "
              f"p90 {r['p90_ms']} ms, p99 {r['p99_ms']} ms, max {r['max_ms']} ms, "
              f"errors {r['errors']}")
        for sample in r["error_samples"]:
            print("  error:", sample)


if __name__ == "__main__":
    main()
