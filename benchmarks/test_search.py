"""Search, side by side, over the fixed query mix (benchmarks/queries.txt), top 10 with snippets.

Groups: `search-warm` (one round = the whole mix once on an open, warmed index;
extra_info: p50/p95/max of per-query medians in ms), `search-cold` (open the
index + first query; the OS page cache stays warm), `search-subprocess`
(a fresh process: open, first query, warm mix x3; extra_info peak_rss_mb).
"""

from __future__ import annotations

import statistics
import time

import pytest

import peers
from conftest import make_or_skip
from measure import latency_summary, run_measured

ENGINES = peers.engine_names()


@pytest.mark.parametrize("name", ENGINES)
def test_search_warm(benchmark, name, built, queries):
    engine = make_or_skip(name)
    engine.open(built(name))
    per_query = {q: [] for q in queries}
    for q in queries:
        engine.search(q, k=10)              # warm-up

    def run_mix():
        for q in queries:
            t0 = time.perf_counter()
            hits = engine.search(q, k=10)
            per_query[q].append((time.perf_counter() - t0) * 1000)
            assert len(hits) <= 10

    benchmark.group = "search-warm"
    benchmark.pedantic(run_mix, rounds=5, iterations=1, warmup_rounds=0)
    engine.close()
    s = latency_summary(per_query)
    benchmark.extra_info.update({k: round(v, 3) if isinstance(v, float) else v for k, v in s.items()})


@pytest.mark.parametrize("name", ENGINES)
def test_search_cold(benchmark, name, built, queries):
    engine = make_or_skip(name)
    path = built(name)

    def open_and_query():
        engine.open(path)
        engine.search(queries[0], k=10)
        engine.close()

    benchmark.group = "search-cold"
    benchmark.pedantic(open_and_query, rounds=5, iterations=1)


@pytest.mark.parametrize("name", ENGINES)
def test_search_peak_memory(benchmark, name, built):
    path = built(name)
    out = {}

    def run():
        out.update(run_measured(["search", name, str(path), "--passes", "3"]))

    benchmark.group = "search-subprocess"
    benchmark.pedantic(run, rounds=1, iterations=1)
    if "skipped" in out:
        pytest.skip(out["skipped"])
    assert "error" not in out, out
    benchmark.extra_info.update(peak_rss_mb=round(out["peak_rss_mb"], 1),
                                p50_ms=round(out["p50_ms"], 3), p95_ms=round(out["p95_ms"], 3),
                                cold_total_ms=round(out["cold_total_ms"], 2))
