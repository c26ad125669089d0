"""Fixtures for the benchmark suites (run: `pytest benchmarks`; not part of `pytest`).

BENCH_N=2000 for a quick run (default: all 11,868 articles); BENCH_ENGINES=a,b
to choose engines (default: every peer, unavailable ones skip). Full builds run
1 round, subsets of <= 5,000 articles 3 rounds.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import peers  # noqa: E402


@pytest.fixture(scope="session")
def articles() -> list[dict]:
    try:
        return corpus.load_articles(corpus.bench_n())
    except corpus.CorpusMissing as e:
        pytest.skip(f"shared corpus absent: {e}")


@pytest.fixture(scope="session")
def queries() -> list[str]:
    return corpus.load_queries()


@pytest.fixture(scope="session")
def build_rounds(articles) -> int:
    return 1 if len(articles) > 5000 else 3


def make_or_skip(name: str) -> peers.Engine:
    try:
        return peers.make_engine(name)
    except peers.EngineUnavailable as e:
        pytest.skip(f"{name}: {e}")


@pytest.fixture(scope="session")
def built(tmp_path_factory, articles):
    """name -> index dir, built once per session for the search suites."""
    cache: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in cache:
            d = tmp_path_factory.mktemp(f"ix-{name}")
            make_or_skip(name).build(articles, d)
            cache[name] = d
        return cache[name]

    return get
