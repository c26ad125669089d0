"""Time `Archive.related` per call on indexes of the shared corpus, beside a search baseline.

    PYTHONPATH=src python benchmarks/related_speed.py --index whoosh=/tmp/related-whoosh \
        --index tantivy=/tmp/related-tantivy [--articles 50]

Each index must hold ../shared/corpus/jsonl (`carinews index --engine E`). The same
`--articles` ids (every k-th of the corpus files, so the pick is repeatable) are used on each
index; after one warm-up pass each call runs 3 times and its median counts. Baseline, in the
same run: `Archive.search` of the article's title words (the search page's usual work). Writes
the "Related articles: time per call" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from results_section import replace_section

from carinews.archive import Archive

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "jsonl"
HEADING = "## Related articles: time per call (`benchmarks/related_speed.py`)"


def pick_ids(count: int) -> list[str]:
    ids = [json.loads(line)["id"] for path in sorted(CORPUS.glob("*.jsonl"))
           for line in path.open(encoding="utf-8") if line.strip()]
    step = max(len(ids) // count, 1)
    return ids[::step][:count]


def median_ms(call, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(round(share * (len(ordered) - 1))), len(ordered) - 1)]


def measure(path: str, ids: list[str]) -> dict:
    with Archive.open(path) as archive:
        titles = {i: archive.get(i).title for i in ids}
        for i in ids:                                   # warm-up
            archive.related(i)
            archive.search(titles[i])
        related = [median_ms(lambda: archive.related(i)) for i in ids]
        search = [median_ms(lambda: archive.search(titles[i])) for i in ids]
        hits = [len(archive.related(i).hits) for i in ids]
        copies = sum(1 for i in ids if archive.related(i).copies)
    return {"related": related, "search": search, "hits": hits, "with_copies": copies}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", action="append", required=True, help="ENGINE=PATH")
    parser.add_argument("--articles", type=int, default=50)
    args = parser.parse_args()
    ids = pick_ids(args.articles)
    rows = ["| engine | calls | related p50 ms | related p95 ms | related max ms | "
            "search (title) p50 ms | search p95 ms | p50 related / search | mean hits | with copies |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for spec in args.index:
        engine, path = spec.split("=", 1)
        m = measure(path, ids)
        r50, s50 = percentile(m["related"], .5), percentile(m["search"], .5)
        rows.append(f"| {engine} | {len(ids)} | {r50:.1f} | {percentile(m['related'], .95):.1f} | "
                    f"{max(m['related']):.1f} | {s50:.1f} | {percentile(m['search'], .95):.1f} | "
                    f"{r50 / s50:.2f}× | {statistics.mean(m['hits']):.1f} | {m['with_copies']} |")
        print(rows[-1])
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    replace_section(HEADING, [
        f"Run on {when}: `Archive.related(id)` (limit 10) for {len(ids)} articles of "
        "../shared/corpus/jsonl (every k-th id), each the median of 3 calls after a warm-up "
        "pass; p50/p95/max over the articles. Baseline in the same run: `Archive.search` of "
        "the article's title (top 10, snippets). A related call analyses the article, reads "
        "the document frequencies of its words, ranks an Or of up to 25 words (title and "
        "body) and its names, and analyses the hits shown to say what they share.", "", *rows])


if __name__ == "__main__":
    main()
