"""Analysis throughput, side by side: tokens/s over the first BENCH_ANALYSIS_N articles (1000).

Group `analysis`: one round = every text through one analyzer; extra_info
tokens and tokens_per_s. carinews analyzers appear once their modules import.
"""

from __future__ import annotations

import os

import pytest

from measure import analysis_candidates

CANDIDATES = analysis_candidates()


@pytest.fixture(scope="module")
def texts(articles):
    n = int(os.environ.get("BENCH_ANALYSIS_N", "1000"))
    return [a["title"] + "\n" + a["body"] for a in articles[:n]]


@pytest.mark.parametrize("name", list(CANDIDATES))
def test_analysis(benchmark, name, texts):
    _desc, fn = CANDIDATES[name]
    benchmark.group = "analysis"
    tokens = benchmark.pedantic(lambda: sum(fn(t) for t in texts), rounds=3, iterations=1,
                                warmup_rounds=1)
    benchmark.extra_info.update(tokens=tokens, mb=round(sum(len(t.encode()) for t in texts) / 1e6, 2),
                                tokens_per_s=round(tokens / benchmark.stats.stats.median))
