""""Did you mean" on 30 hand-made misspellings of real query words over a real index.

Steps: open the index, time the first `Archive.suggest` (it reads the vocabulary:
the one-off build), then for each misspelling (benchmarks/suggest/misspellings.tsv:
deletions, insertions, substitutions, transpositions, doubled letters, old
spelling, made from benchmarks/queries.txt, benchmarks/relevance/queries.tsv and
names in the corpus) check whether the suggested query is the expected one
(first) and whether each changed word's expected correction is among the speller's
best three (top 3); then time `Archive.suggest` per query (p50/p95) beside
`Archive.search` of the same query in the same run (the baseline).

    PYTHONPATH=src .venv/bin/python -m carinews index --index /tmp/suggest-corpus --engine tantivy ../shared/corpus/jsonl
    PYTHONPATH=src .venv/bin/python benchmarks/suggest_eval.py /tmp/suggest-corpus [--show]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from carinews.analysis.terms import fold
from carinews.archive import Archive
from carinews.results.suggest import speller_for

HERE = Path(__file__).resolve().parent
CASES = HERE / "suggest" / "misspellings.tsv"
ROUNDS = 5


def read_cases(path: Path = CASES) -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            query, expected, kind, _ = line.split("\t")
            rows.append((query, expected, kind))
    return rows


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index")
    parser.add_argument("--show", action="store_true", help="print every case")
    args = parser.parse_args()
    cases = read_cases()
    with Archive.open(args.index) as archive:
        start = time.perf_counter()
        archive.suggest("korupsi")
        build = time.perf_counter() - start
        speller = speller_for(str(archive.path), archive.engine.version(), archive.engine)
        first = top3 = 0
        for query, expected, kind in cases:
            got = archive.suggest(query)
            shown = got.query if got else None
            wrong = [(w, e) for w, e in zip(query.split(), expected.split()) if w != e]
            in3 = all(fold(e) in speller.corrections(fold(w), 3) for w, e in wrong)
            first += shown == expected
            top3 += in3
            if args.show:
                print(f"{'ok ' if shown == expected else 'BAD'} {kind:13s} {query!r} -> {shown!r} "
                      f"(want {expected!r}; top3 {'yes' if in3 else 'no'})")
        suggest_ms, search_ms = [], []
        for _ in range(ROUNDS):
            for query, _, _ in cases:
                t = time.perf_counter()
                archive.suggest(query)
                suggest_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                archive.search(query)
                search_ms.append((time.perf_counter() - t) * 1000)
        print(f"index: {args.index} ({archive.engine_name}, {len(archive)} articles, "
              f"{len(speller.freqs)} exact-form words, {len(speller.words)} words with neighbours)")
        print(f"right suggestion first: {first}/{len(cases)}; expected correction in top 3: "
              f"{top3}/{len(cases)}")
        print(f"vocabulary build (first suggestion): {build:.2f} s")
        print(f"suggest p50 {statistics.median(suggest_ms):.2f} ms, p95 {percentile(suggest_ms, 95):.2f} ms; "
              f"search of the same queries (baseline, includes its own suggestion when few hits) "
              f"p50 {statistics.median(search_ms):.2f} ms, p95 {percentile(search_ms, 95):.2f} ms "
              f"({ROUNDS} rounds of {len(cases)})")


if __name__ == "__main__":
    main()
