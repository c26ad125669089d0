"""Facets of a search: counts by outlet and month over every match, top names of the best."""

from __future__ import annotations

from collections import Counter

import orjson

FACET_NAME_DOCS = 200


def make_facets(groups: dict[str, dict[str, int]], ordered) -> dict:
    """`groups` from the engine (all matches); names over the best FACET_NAME_DOCS `ordered`."""
    by_source = sorted(groups.get("outlet", {}).items(), key=lambda kv: (-kv[1], kv[0]))
    by_month = sorted(groups.get("month", {}).items())
    return {
        "sources": [[k, v] for k, v in by_source],
        "months": [[k, v] for k, v in by_month],
        "names": [[k, v] for k, v in count_names(ordered[:FACET_NAME_DOCS]).most_common(15)],
    }


def count_names(matches) -> Counter:
    """In how many of `matches` each name occurs."""
    names = Counter()
    for match in matches:
        names.update(set(orjson.loads(match.doc).get("names", [])))
    return names
