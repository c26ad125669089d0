"""Five analyst queries with the operators beside the same intent without them, for reading.

    PYTHONPATH=src python benchmarks/operators_queries.py --index /tmp/operators2-corpus [--removed 10]

For each pair it prints both totals, and the top 10 by relevance and newest first (title,
length in words, snippet) of each query, then the best-ranked articles the operator removed
(full matches of the plain query that fail the operator). Whether a hit is on-topic is
judged by reading this output; the judgements and the table are in benchmarks/RESULTS.md
("Analyst operators on the shared corpus").
"""

from __future__ import annotations

import argparse
import re

from carinews.archive import Archive

PAIRS = [
    ("kalimat:(jokowi prabowo)", "jokowi prabowo"),
    ("awal:banjir", "banjir"),
    ("minimal3:trump", "trump"),
    ("makan bergizi gratis panjang:>100", "makan bergizi gratis"),
    ("paragraf:(sri mulyani pajak)", "sri mulyani pajak"),
    # two more read for the notes: where the operator removed good articles
    ("minimal3:korupsi", "korupsi"),
    ("paragraf:(harga beras naik)", "harga beras naik"),
]
WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def show(archive, query: str, sort: str) -> None:
    result = archive.search(query, limit=10, sort=sort)
    print(f"== {query!r} sort={sort} total={result.total}")
    for n, hit in enumerate(result.hits, 1):
        words = len(WORD.findall(archive.get(hit.id).body))
        day = hit.date.date() if hit.date else None
        print(f"{n:2} {hit.id[:40]} {day} {words}w | {hit.title[:100]}")
        print("     ", hit.snippet[:260].replace("\n", " "))


def removed(archive, operator: str, plain: str, count: int) -> None:
    kept = {h.id for h in archive.search(operator, limit=1000, collapse=False).hits}
    full = [h for h in archive.search(plain, limit=1000, collapse=False).hits if not h.partial]
    gone = [h for h in full if h.id not in kept]
    print(f"== removed by {operator!r} from {plain!r}: {len(gone)} of {len(full)}")
    for n, hit in enumerate(gone[:count], 1):
        words = len(WORD.findall(archive.get(hit.id).body))
        print(f"{n:2} {hit.id[:40]} {words}w | {hit.title[:100]}")
        print("     ", hit.snippet[:260].replace("\n", " "))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--removed", type=int, default=10)
    args = parser.parse_args()
    with Archive.open(args.index) as archive:
        for operator, plain in PAIRS:
            for sort in ("relevance", "-date"):
                show(archive, plain, sort)
                show(archive, operator, sort)
            removed(archive, operator, plain, args.removed)


if __name__ == "__main__":
    main()
