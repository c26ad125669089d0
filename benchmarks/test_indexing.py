"""Indexing, side by side: build time (in process), then size and peak RSS (in a subprocess).

Groups: `build-<N>` (the timed build, articles/s and size in extra_info) and
`build-subprocess-<N>` (a fresh process: python start + corpus load + build;
extra_info peak_rss_mb from getrusage(RUSAGE_CHILDREN)).
"""

from __future__ import annotations

import pytest

import corpus
import peers
from conftest import make_or_skip
from measure import run_measured

ENGINES = peers.engine_names()


@pytest.mark.parametrize("name", ENGINES)
def test_build(benchmark, name, articles, build_rounds, tmp_path):
    engine = make_or_skip(name)
    benchmark.group = f"build-{len(articles)}"
    stats = {}

    def build():
        stats.update(engine.build(articles, tmp_path / "ix"))

    benchmark.pedantic(build, rounds=build_rounds, iterations=1)
    assert stats["docs"] == len(articles)
    raw = corpus.raw_text_bytes(articles)
    benchmark.extra_info.update(
        docs=stats["docs"], articles_per_s=round(stats["docs"] / stats["seconds"], 1),
        size_mb=round(stats["size_bytes"] / 1e6, 2), size_vs_raw=round(stats["size_bytes"] / raw, 3))


@pytest.mark.parametrize("name", ENGINES)
def test_build_peak_memory(benchmark, name, articles, tmp_path):
    benchmark.group = f"build-subprocess-{len(articles)}"
    out = {}

    def run():
        out.update(run_measured(["build", name, str(tmp_path / "ix"), "--n", str(len(articles))]))

    benchmark.pedantic(run, rounds=1, iterations=1)
    if "skipped" in out:
        pytest.skip(out["skipped"])
    assert "error" not in out, out
    benchmark.extra_info.update(peak_rss_mb=round(out["peak_rss_mb"], 1),
                                build_s=round(out["seconds"], 2))
