"""Grow larger archives from the real articles, and measure engines as they grow.

Steps: `paragraph_pool` splits every corpus body into paragraphs;
`grow_article(i)` builds article i from its own seeded RNG (so article i is
the same whatever the total): a base article's first paragraph, its title
half-recombined with another title, more paragraphs drawn from the whole pool,
a new id/url, a date spread uniformly over 20 years (2006-2025, WIB);
`write_grown(n)` writes the first n to a JSONL file (cached); `run_growth`
builds and searches each engine at each size in fresh processes and, where an
engine is capped (BENCH_GROW_MAX), estimates its time by a power-law fit.

Env: BENCH_GROW_SIZES (default 10000,50000,200000), BENCH_GROW_ENGINES
(default whoosh,fts5,tantivy,tantivy-cn,carinews,carinews-tantivy), BENCH_GROW_MAX (e.g.
"whoosh=50000,carinews=50000": larger sizes are estimated, not run),
BENCH_GROW_SEED (default 6), BENCH_WORK (default /tmp/carinews-bench).

  python benchmarks/grow.py                 # run the growth table, print JSON
  python benchmarks/grow.py --write 50000   # just write the grown JSONL
"""

from __future__ import annotations

import math
import os
import random
import re
import sys
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

WIB = timezone(timedelta(hours=7))
START = datetime(2006, 1, 1, tzinfo=WIB)
SPAN_SECONDS = int((datetime(2026, 1, 1, tzinfo=WIB) - START).total_seconds())
DEFAULT_SIZES = (10_000, 50_000, 200_000)
DEFAULT_ENGINES = ("whoosh", "fts5", "tantivy", "tantivy-cn", "carinews", "carinews-tantivy")


def work_dir() -> Path:
    return Path(os.environ.get("BENCH_WORK", "/tmp/carinews-bench"))


def seed() -> int:
    return int(os.environ.get("BENCH_GROW_SEED", "6"))


@lru_cache(maxsize=1)
def paragraph_pool() -> tuple[list[dict], list[str]]:
    """(articles with at least one paragraph, every paragraph of >= 40 chars)."""
    bases, pool = [], []
    for a in corpus.load_articles():
        paras = [p.strip() for p in a["body"].split("\n") if len(p.strip()) >= 40]
        if paras and a["title"]:
            a = {"id": a["id"], "url": a.get("url"), "source": a.get("source"),
                 "title": a["title"], "paras": paras}
            bases.append(a)
            pool.extend(paras)
    return bases, pool


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80]


def grow_article(i: int, seed_: int | None = None) -> dict:
    """Article i of the grown archive: deterministic for (seed, i)."""
    bases, pool = paragraph_pool()
    rng = random.Random(f"{seed() if seed_ is None else seed_}:{i}")
    base = bases[rng.randrange(len(bases))]
    other = bases[rng.randrange(len(bases))]["title"].split()
    words = base["title"].split()
    title = " ".join(words[: max(1, len(words) // 2)] + other[len(other) // 2:])
    n_paras = min(max(len(base["paras"]), 3), 14)
    paras = [base["paras"][0]] + [pool[rng.randrange(len(pool))] for _ in range(n_paras - 1)]
    when = START + timedelta(seconds=rng.randrange(SPAN_SECONDS))
    url = base.get("url") or "https://example.invalid/"
    host = re.sub(r"^https?://([^/]+)/?.*$", r"\1", url)
    return {"id": f"grow:{i:07d}", "url": f"https://{host}/grow/{i}/{_slug(title)}",
            "source": base.get("source"), "title": title, "date": when.isoformat(),
            "body": "\n".join(paras), "meta": {"grown_from": base["id"]}}


def grow_articles(n: int, seed_: int | None = None):
    for i in range(n):
        yield grow_article(i, seed_)


def write_grown(n: int, seed_: int | None = None) -> Path:
    """JSONL of the first n grown articles (reused when already written)."""
    import orjson
    s = seed() if seed_ is None else seed_
    path = work_dir() / f"grown-s{s}-{n}.jsonl"
    if path.exists() and path.stat().st_size > 0:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        for a in grow_articles(n, s):
            fh.write(orjson.dumps(a) + b"\n")
    tmp.rename(path)
    return path


def _env_list(name: str, default) -> list[str]:
    raw = os.environ.get(name, "").strip()
    return [s.strip() for s in raw.split(",") if s.strip()] if raw else [str(x) for x in default]


def growth_sizes() -> list[int]:
    return [int(s) for s in _env_list("BENCH_GROW_SIZES", DEFAULT_SIZES)]


def growth_engines() -> list[str]:
    return _env_list("BENCH_GROW_ENGINES", DEFAULT_ENGINES)


def growth_caps() -> dict[str, int]:
    caps = {}
    for item in _env_list("BENCH_GROW_MAX", ()):
        name, _, n = item.partition("=")
        caps[name.strip()] = int(n)
    return caps


def estimate(points: list[tuple[int, float]], n: int) -> float | None:
    """Extrapolate y(n) from measured (size, y) by a power law through the two largest."""
    pts = sorted(p for p in points if p[1] and p[1] > 0)
    if not pts:
        return None
    if len(pts) == 1:
        return pts[0][1] * n / pts[0][0]
    (n1, y1), (n2, y2) = pts[-2], pts[-1]
    b = math.log(y2 / y1) / math.log(n2 / n1)
    return y2 * (n / n2) ** max(b, 1.0)   # never assume better than linear


def run_growth(log=print) -> list[dict]:
    """Rows {engine, n, build_s, size_mb, p50_ms, p95_ms, peak_rss_mb, estimated}."""
    from measure import run_measured
    rows = []
    caps = growth_caps()
    for n in growth_sizes():
        path = write_grown(n)
        raw = path.stat().st_size
        for name in growth_engines():
            measured = [(r["n"], r["build_s"]) for r in rows
                        if r["engine"] == name and not r.get("estimated") and r.get("build_s")]
            if name in caps and n > caps[name]:
                rows.append({"engine": name, "n": n, "estimated": True,
                             "build_s": estimate(measured, n)})
                log(f"growth {name} {n}: estimated {rows[-1]['build_s']}")
                continue
            d = str(work_dir() / f"grow-{name}-{n}")
            b = run_measured(["build", name, d, "--jsonl", str(path)])
            if "skipped" in b or "error" in b:
                log(f"growth {name} {n}: {b.get('skipped') or b.get('error')}")
                continue
            s = run_measured(["search", name, d, "--passes", "1"])
            rows.append({"engine": name, "n": n, "estimated": False, "build_s": b["seconds"],
                         "docs_per_s": b["docs"] / b["seconds"], "size_mb": b["size_bytes"] / 1e6,
                         "jsonl_mb": raw / 1e6, "p50_ms": s.get("p50_ms"), "p95_ms": s.get("p95_ms"),
                         "build_peak_rss_mb": b["peak_rss_mb"], "search_peak_rss_mb": s.get("peak_rss_mb")})
            log(f"growth {name} {n}: {rows[-1]}")
            if os.environ.get("BENCH_KEEP", "") != "1":
                import shutil
                shutil.rmtree(d, ignore_errors=True)
    return rows


if __name__ == "__main__":
    import json
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        print(write_grown(int(sys.argv[2])))
    else:
        print(json.dumps(run_growth(log=lambda m: print(m, file=sys.stderr)), indent=1))
