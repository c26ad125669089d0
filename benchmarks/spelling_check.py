"""Old spellings and aliases on a real archive: totals of a few queries as written, with spelling
variants, with aliases and with both (the default), and what the expansion costs a search.

    PYTHONPATH=src python benchmarks/spelling_check.py /tmp/spelling-corpus [/tmp/spelling-corpus-tantivy]

Each index is `carinews index --index DIR [--engine tantivy] ../shared/corpus/jsonl`. Totals are
the engine's all-words totals (search.rank) of the parsed query; timings are `Archive.search`
(top 10 with snippets) with and without the expansion, median and p95 of ROUNDS rounds, in
the same run. Writes the "Old spellings and aliases" section of benchmarks/RESULTS.md (the
paragraph reading the added articles below its tables is written by hand).
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import datetime, timezone

from carinews.analysis.spelling import variant_forms
from carinews.archive import Archive
from carinews.query.aliases import load_table
from carinews.query.parse import parse_query
from carinews.search import rank

QUERIES = ["Soeharto", "Suharto", "Jokowi", "Ahok", "Joko Widodo", "Gus Dur", "Djakarta",
           "Yogyakarta", "Djokovic"]
ROUNDS = 5


def total(archive, query: str, variants: bool, aliases: bool) -> int:
    engine = archive.engine
    parsed = parse_query(query, stemmer=archive.stemmer,
                         variants=(lambda w: variant_forms(w, engine)) if variants else None,
                         aliases=load_table() if aliases else None)
    return rank(engine, parsed, 10)[0].total


def timings(archive, expanded: bool) -> list[float]:
    runs = []
    for _ in range(ROUNDS):
        for query in QUERIES:
            start = time.perf_counter()
            if expanded:
                archive.search(query)
            else:
                _plain_search(archive, query)
            runs.append((time.perf_counter() - start) * 1000)
    return runs


def _plain_search(archive, query: str) -> None:
    """Archive.search with neither variants nor aliases (not a user option: variants are
    always on), for the baseline."""
    import carinews.search as search

    real = search.expansions
    search.expansions = lambda *args, **kwargs: {"variants": None, "aliases": None}
    try:
        archive.search(query)
    finally:
        search.expansions = real


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main(paths: list[str]) -> None:
    from results_section import replace_section

    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"`benchmarks/spelling_check.py`, {stamp}, over the shared corpus (11,866 articles).",
             "Totals: articles with all the words (no partial fill), the query as written, with old",
             "spellings (analysis/spelling.py), with aliases (query/aliases.py), with both (the default).",
             "", "| engine | query | as written | + old spellings | + aliases | both (default) |",
             "|---|---|---:|---:|---:|---:|"]
    cost = []
    for path in paths:
        with Archive.open(path) as archive:
            for query in QUERIES:
                counts = [total(archive, query, v, a) for v, a in ((0, 0), (1, 0), (0, 1), (1, 1))]
                lines.append(f"| {archive.engine_name} | `{query}` | " + " | ".join(map(str, counts)) + " |")
            timings(archive, True)                      # warm-up
            plain, expanded = timings(archive, False), timings(archive, True)
            cost.append(f"| {archive.engine_name} | {statistics.median(plain):.1f} / {p95(plain):.1f} |"
                        f" {statistics.median(expanded):.1f} / {p95(expanded):.1f} |")
    lines += ["", f"Cost: `Archive.search` of the {len(QUERIES)} queries above, {ROUNDS} rounds after a warm-up,",
              "ms p50 / p95, without any expansion (baseline) and with both (default), same run:", "",
              "| engine | without | with variants + aliases |", "|---|---:|---:|", *cost]
    print("\n".join(lines))
    replace_section("## Old spellings and aliases", lines)


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    main(sys.argv[1:])
