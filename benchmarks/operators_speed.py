"""Cost of the analyst operators: a query mix with kalimat:/paragraf:/awal:/minimal:/panjang:
beside the same mix without them, in one run, on indexes of the shared corpus.

    PYTHONPATH=src python benchmarks/operators_speed.py --index whoosh=/tmp/operators2-corpus-whoosh \
        --index tantivy=/tmp/operators2-corpus [--repeats 3]

Each index must hold ../shared/corpus/jsonl (`carinews index --engine E`). Every pair is an
operator query and the same intent typed without the operator (its words as plain words).
After one warm-up pass over the whole mix, each query runs `--repeats` times (interleaved,
operator then plain) and its median counts; p50/p95/max are over the queries. Calls are
`Archive.search` as the CLI makes them: top 10, snippets, copies collapsed. "checked" is how
many candidates the operator query verified against the stored text (the plain query's
total, at most query/operators.py MAX_CANDIDATES). Writes the "Analyst operators: cost"
section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import time

from results_section import replace_section

from carinews.archive import Archive

HEADING = "## Analyst operators: cost (`benchmarks/operators_speed.py`)"

PAIRS = [
    ("kalimat:(jokowi prabowo)", "jokowi prabowo"),
    ("sentence:(trump putin)", "trump putin"),
    ("kalimat:(kpk tersangka)", "kpk tersangka"),
    ('kalimat:("sri mulyani" pajak)', '"sri mulyani" pajak'),
    ("kalimat:(jakarta banjir)", "jakarta banjir"),
    ("paragraf:(sri mulyani pajak)", "sri mulyani pajak"),
    ("paragraph:(israel iran serangan)", "israel iran serangan"),
    ("paragraf:(harga beras naik)", "harga beras naik"),
    ("awal:banjir", "banjir"),
    ("lead:gempa", "gempa"),
    ("awal50:narkoba", "narkoba"),
    ("awal:korupsi", "korupsi"),
    ("awal:jakarta", "jakarta"),
    ("minimal3:trump", "trump"),
    ("atleast3:persib", "persib"),
    ("minimal5:indonesia", "indonesia"),
    ("makan bergizi gratis panjang:>100", "makan bergizi gratis"),
    ("prabowo words:>150", "prabowo"),
    ("timnas panjang:100..600", "timnas"),
    ("awal:banjir panjang:>150", "banjir"),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(round(share * (len(ordered) - 1))), len(ordered) - 1)]


def measure(path: str, repeats: int) -> list[dict]:
    with Archive.open(path) as archive:
        for operator, plain in PAIRS:                      # warm-up
            archive.search(operator)
            archive.search(plain)
        rows = []
        for operator, plain in PAIRS:
            times = {operator: [], plain: []}
            for _ in range(repeats):
                for query in (operator, plain):
                    start = time.perf_counter()
                    result = archive.search(query)
                    times[query].append((time.perf_counter() - start) * 1000)
                    if query == operator:
                        total = result.total
                    else:
                        plain_total = result.total
            rows.append({"operator": operator, "plain": plain, "total": total,
                         "plain_total": plain_total,
                         "op_ms": statistics.median(times[operator]),
                         "plain_ms": statistics.median(times[plain])})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", action="append", required=True, help="ENGINE=PATH")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    summary = ["| engine | queries | with operators p50 ms | p95 ms | max ms | same words without p50 ms "
               "| p95 ms | max ms | p95 with / without |", "|---|---|---|---|---|---|---|---|---|"]
    detail = ["| query | without | checked → kept | " + " | ".join(
        f"{spec.split('=')[0]} with / without ms" for spec in args.index) + " |",
              "|---|---|---|" + "---|" * len(args.index)]
    per_engine = {}
    for spec in args.index:
        engine, path = spec.split("=", 1)
        rows = per_engine[engine] = measure(path, args.repeats)
        op, plain = [r["op_ms"] for r in rows], [r["plain_ms"] for r in rows]
        summary.append(f"| {engine} | {len(rows)} | {percentile(op, .5):.1f} | {percentile(op, .95):.1f} | "
                       f"{max(op):.1f} | {percentile(plain, .5):.1f} | {percentile(plain, .95):.1f} | "
                       f"{max(plain):.1f} | {percentile(op, .95) / percentile(plain, .95):.2f}× |")
        print(summary[-1])
    first = next(iter(per_engine.values()))
    for i, row in enumerate(first):
        cells = " | ".join(f"{r[i]['op_ms']:.0f} / {r[i]['plain_ms']:.0f}" for r in per_engine.values())
        detail.append(f"| `{row['operator']}` | `{row['plain']}` | {row['plain_total']} → {row['total']} "
                      f"| {cells} |")
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    replace_section(HEADING, [
        f"Run on {when}: {len(PAIRS)} operator queries, each beside the same words without the "
        "operator, on ../shared/corpus/jsonl (11,868 articles); `Archive.search` top 10 with "
        f"snippets, the median of {args.repeats} interleaved calls after a warm-up pass; "
        "p50/p95/max over the queries. An operator query asks the engine for all its "
        "candidates (up to 10,000, without facets) and checks each one's stored text with "
        "carinews's analysis, so its cost grows with the candidates checked; the plain query "
        "ranks only the page (and fills a short list with partial matches). The machine is "
        "shared (2 cores, other helpers running): compare rows of one run, not runs.",
        "", *summary, "", "Per query (ms, median):", "", *detail])


if __name__ == "__main__":
    main()
