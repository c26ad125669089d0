"""Facets of a search: counts by outlet, month, section (and WIB day or week) over every
match, top names of the best."""

from __future__ import annotations

from collections import Counter

import orjson

FACET_NAME_DOCS = 200
MAX_SECTIONS = 30


def make_facets(groups: dict[str, dict[str, int]], ordered) -> dict:
    """`groups` from the engine (all matches); names over the best FACET_NAME_DOCS `ordered`."""
    facets = {
        "sources": _counts(groups.get("outlet", {}), by_count=True),
        "months": _counts(groups.get("month", {})),
        "sections": _counts(groups.get("section", {}), by_count=True)[:MAX_SECTIONS],
        "names": [[k, v] for k, v in count_names(ordered[:FACET_NAME_DOCS]).most_common(15)],
    }
    for date_facet in ("day", "week"):
        if date_facet in groups:
            facets[date_facet + "s"] = _counts(groups[date_facet])
    return facets


def _counts(counts: dict[str, int], by_count: bool = False) -> list[list]:
    """[[value, count], ...] by value, or most frequent first."""
    pairs = [[k, v] for k, v in counts.items()]
    return sorted(pairs, key=lambda kv: (-kv[1], kv[0])) if by_count else sorted(pairs)


def count_names(matches) -> Counter:
    """In how many of `matches` each name occurs."""
    names = Counter()
    for match in matches:
        names.update(set(orjson.loads(match.doc).get("names", [])))
    return names
