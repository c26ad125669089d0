"""Dev-set figures per query kind and per subset: nDCG@10 and Recall@100 with query counts.

Steps: open each system through benchmarks/relevance.py (same cached indexes, same search
functions, limit 100); score every judged dev query; print one markdown table per subset
(all queries, q01-q33 "old", q34+ "new"), one row per system, nDCG@10 and Recall@100 overall
and per kind (topic, morph, name, phrase, mixed). relevance.py prints nDCG per kind only;
this adds recall per kind and the old/new split the dev-set growth is judged by.

    .venv/bin/python benchmarks/relevance/report.py [--systems baseline,carinews,tantivy]
                                                    [--cache DIR] [--qrels FILE] [--per-query]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import relevance  # noqa: E402
from relevance_metrics import read_qrels, read_queries  # noqa: E402

KINDS = ("topic", "morph", "name", "phrase", "mixed")
OLD_LAST = 33  # q01-q33: the set as first judged (2025-11-25); q34 on: added 2026-12-03


def subsets(qids: list[str]) -> dict[str, list[str]]:
    old = [q for q in qids if int(q[1:]) <= OLD_LAST]
    new = [q for q in qids if int(q[1:]) > OLD_LAST]
    return {"all": qids, f"old (q01-q{OLD_LAST})": old, f"new (q{OLD_LAST + 1}+)": new}


def mean(values: list[float]) -> str:
    return f"{sum(values) / len(values):.3f}" if values else "-"


def table(title: str, qids: list[str], kinds: dict[str, str], rows: dict[str, dict]) -> list[str]:
    present = [k for k in KINDS if any(kinds[q] == k for q in qids)]
    counts = {k: sum(1 for q in qids if kinds[q] == k) for k in present}
    head = "| system | queries | nDCG@10 | R@100 | " + " | ".join(
        f"{k} ({counts[k]}) nDCG / R" for k in present) + " |"
    out = [f"\n{title}:\n", head, "|---|---|---|---|" + "---|" * len(present)]
    for name, per_query in rows.items():
        scored = [q for q in qids if q in per_query]
        cells = []
        for k in present:
            ks = [q for q in scored if kinds[q] == k]
            cells.append(f"{mean([per_query[q][0] for q in ks])} / {mean([per_query[q][1] for q in ks])}")
        out.append(f"| {name} | {len(scored)} | {mean([per_query[q][0] for q in scored])} | "
                   f"{mean([per_query[q][1] for q in scored])} | " + " | ".join(cells) + " |")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=relevance.DEFAULT_CORPUS)
    ap.add_argument("--cache", type=Path,
                    default=Path(os.environ.get("CARINEWS_BENCH_CACHE",
                                                Path(tempfile.gettempdir()) / "carinews-relevance-cache")))
    ap.add_argument("--systems", default="baseline,carinews,tantivy")
    ap.add_argument("--qrels", type=Path, default=HERE / "qrels.tsv")
    ap.add_argument("--per-query", action="store_true")
    args = ap.parse_args()

    files = sorted((args.corpus / "jsonl").glob("*.jsonl"))
    queries = read_queries(HERE / "queries.tsv")
    qrels = read_qrels(args.qrels)
    kinds = relevance.read_kinds(HERE / "queries.tsv")
    rows = {}
    for name in args.systems.split(","):
        search, _ = relevance.open_system(name, files, args.cache, rebuild=False)
        rows[name] = relevance.evaluate(search, queries, qrels)["per_query"]
    judged = [q for q in queries if q in rows[next(iter(rows))]]
    lines = [f"{len(judged)} judged queries, {sum(len(qrels[q]) for q in judged)} judgements ({args.qrels.name})"]
    for title, qids in subsets(judged).items():
        lines += table(title, qids, kinds, rows)
    if args.per_query:
        lines += ["", "| qid | kind | query | " + " | ".join(f"{n} nDCG / R" for n in rows) + " |",
                  "|---|---|---|" + "---|" * len(rows)]
        for q in judged:
            lines.append(f"| {q} | {kinds[q]} | {queries[q]} | " + " | ".join(
                f"{rows[n][q][0]:.3f} / {rows[n][q][1]:.3f}" for n in rows) + " |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
