"""Plans for filling a short result list: articles with at least k of a query's plain words.

A plain-words query (`banjir rob Semarang`) matches only articles with every
word. When that gives fewer articles than a page, search.py continues the list
with the articles that have most of the words: first those missing one word,
then two, down to any single word, each level ranked below the one before.
`at_least(words, k)` is the plan of one level: `plan.AtLeast(words, k)`, which
each engine compiles to its own minimum-should-match (the same articles and
scores as the OR of every k-word AND, without repeating each word in each AND).
Explicit operators, quotes, fields and dates never get here (parse.py gives
`ParsedQuery.words` only for plain-word queries).
"""

from __future__ import annotations

from math import comb

from carinews.query import plan

# A level is skipped where C(n, k) exceeds this (7 words, 3 of them: 35): a query of many
# words (a pasted sentence) gets its top levels and its last ones, not one search per level.
MAX_COMBINATIONS = 64


def at_least(words: tuple[plan.Node, ...], k: int) -> plan.Node | None:
    """Articles with at least `k` of `words`; None for a level skipped (MAX_COMBINATIONS)."""
    if not 1 <= k <= len(words):
        raise ValueError(f"k must be between 1 and {len(words)}, not {k}")
    if k == 1:
        return plan.Or(tuple(words)) if len(words) > 1 else words[0]
    if k == len(words):
        return plan.And(tuple(words))
    if comb(len(words), k) > MAX_COMBINATIONS:
        return None
    return plan.AtLeast(tuple(words), k)


def levels(words: tuple[plan.Node, ...]) -> list[tuple[int, plan.Node]]:
    """(k, plan) from len(words) - 1 down to 1: the partial levels, best first."""
    out = []
    for k in range(len(words) - 1, 0, -1):
        node = at_least(words, k)
        if node is not None:
            out.append((k, node))
    return out


def near_may_match(words: tuple[plan.Node, ...], near: list[plan.Node]) -> bool:
    """Whether the proximity bonus `near` (Ors of `plan.Near`) can match an article that lacks
    one of `words`. It cannot when every word matches whenever a Near does: each Near needs
    all its terms in its field, and every word's plan holds one of them there (a plain
    word's stem; each word of a name). Then the partial levels need not evaluate it."""
    spans = [n for node in near for n in _nears(node)]
    if not spans:
        return False
    return not all(_implied(word, span.field, span.terms) for word in words for span in spans)


def _nears(node: plan.Node) -> list[plan.Near]:
    if isinstance(node, plan.Near):
        return [node]
    if isinstance(node, plan.Or):
        return [n for child in node.children for n in _nears(child)]
    raise TypeError(f"a proximity bonus is Near under Or, not {type(node).__name__}")


def _implied(node: plan.Node, field: str, terms: tuple[str, ...]) -> bool:
    """Whether `node` matches every article that has all of `terms` in `field`."""
    if isinstance(node, plan.Term):
        return node.field == field and node.text in terms
    if isinstance(node, plan.Or):
        return any(_implied(child, field, terms) for child in node.children)
    if isinstance(node, plan.And):
        return all(_implied(child, field, terms) for child in node.children)
    return False
