"""Plans for filling a short result list: articles with at least k of a query's plain words.

A plain-words query (`banjir rob Semarang`) matches only articles with every
word. When that gives fewer articles than a page, search.py continues the list
with the articles that have most of the words: first those missing one word,
then two, down to any single word, each level ranked below the one before.
`at_least(words, k)` is the plan of one level: the OR of every k-word AND.
Explicit operators, quotes, fields and dates never get here (parse.py gives
`ParsedQuery.words` only for plain-word queries).
"""

from __future__ import annotations

from itertools import combinations
from math import comb

from carinews.query import plan

MAX_COMBINATIONS = 64   # 7 words, 3 of them: 35 ANDs; beyond this a level is skipped


def at_least(words: tuple[plan.Node, ...], k: int) -> plan.Node | None:
    """Articles with at least `k` of `words`; None when the level would need too many clauses."""
    if not 1 <= k <= len(words):
        raise ValueError(f"k must be between 1 and {len(words)}, not {k}")
    if k == 1:
        return plan.Or(tuple(words)) if len(words) > 1 else words[0]
    if comb(len(words), k) > MAX_COMBINATIONS:   # counted before any is built: 40 words, 20 of them
        return None
    ands = tuple(plan.And(group) for group in combinations(words, k))
    return ands[0] if len(ands) == 1 else plan.Or(ands)


def levels(words: tuple[plan.Node, ...]) -> list[tuple[int, plan.Node]]:
    """(k, plan) from len(words) - 1 down to 1: the partial levels, best first."""
    out = []
    for k in range(len(words) - 1, 0, -1):
        node = at_least(words, k)
        if node is not None:
            out.append((k, node))
    return out
