"""Ranking metrics for the relevance benchmark: nDCG@k (graded) and Recall@k.

Steps: `read_qrels` and `read_queries` load the files; `ndcg_at` and `recall_at`
score one ranked list of ids against one query's judgements; `self_check` runs
when the module is executed (`python benchmarks/relevance_metrics.py`).

nDCG uses gains 2^grade - 1 and a log2(rank + 1) discount; the ideal ranking is
built from every judged article of the query, so unjudged articles count as 0.
Recall@k counts an article as relevant when its grade is >= `min_grade` (1).
"""

from __future__ import annotations

import math
from pathlib import Path


def dcg(gains: list[float]) -> float:
    return sum(g / math.log2(rank + 2) for rank, g in enumerate(gains))


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    gains = [2 ** grades.get(doc, 0) - 1 for doc in ranked[:k]]
    ideal = sorted((2 ** g - 1 for g in grades.values() if g > 0), reverse=True)[:k]
    best = dcg(ideal)
    return dcg(gains) / best if best > 0 else 0.0


def recall_at(ranked: list[str], grades: dict[str, int], k: int = 100, min_grade: int = 1) -> float:
    relevant = {doc for doc, g in grades.items() if g >= min_grade}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def read_queries(path: Path) -> dict[str, str]:
    """TSV: qid, query[, ...]; a header row starting with "qid" and lines starting with # are skipped."""
    out = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("qid\t"):
            continue
        parts = line.split("\t")
        out[parts[0]] = parts[1]
    return out


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """TSV (qid, doc, grade) or TREC (qid 0 doc grade), one judgement a line."""
    out: dict[str, dict[str, int]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("qid\t"):
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        qid, doc, grade = (parts[0], parts[2], parts[3]) if len(parts) == 4 else parts[:3]
        out.setdefault(qid, {})[doc] = int(grade)
    return out


def self_check() -> None:
    grades = {"a": 3, "b": 2, "c": 0, "d": 1}
    assert ndcg_at(["a", "b", "d"], grades) == 1.0
    assert ndcg_at(["x", "y"], grades) == 0.0
    assert ndcg_at([], {}) == 0.0
    # one relevant doc (grade 1) at rank 2: DCG = 1/log2(3); ideal = 1/log2(2) = 1
    assert math.isclose(ndcg_at(["x", "d"], {"d": 1}), 1 / math.log2(3))
    # swapping a 3 and a 2 costs: (7/1 + 3/log2 3) vs (3 + 7/log2 3)
    swapped = (3 + 7 / math.log2(3)) / (7 + 3 / math.log2(3))
    assert math.isclose(ndcg_at(["b", "a"], {"a": 3, "b": 2}), swapped)
    assert ndcg_at(["d", "a"], grades, k=1) == 1 / 7
    assert recall_at(["a", "x", "d"], grades) == 2 / 3
    assert recall_at(["a", "x", "d"], grades, k=1) == 1 / 3
    assert recall_at(["b"], grades, min_grade=2) == 0.5
    assert recall_at(["a"], {"a": 0}) == 0.0


if __name__ == "__main__":
    self_check()
    print("relevance_metrics: self-check passed")
