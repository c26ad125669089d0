"""Facets of a search: counts by outlet, month, section (and WIB day or week) over every
match, top names of the best."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import orjson

from carinews.ingest.dates import WIB

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


def count_groups(matches, names: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """The facet groups an engine would give for exactly `matches` (engines/base.py: outlet,
    month, section, day, week; no value, no key), counted from their stored records.

    For operator queries (search.py `_checked`): the engine counts every candidate, but
    only the candidates that pass the check against the stored text are results.
    """
    groups: dict[str, Counter] = {name: Counter() for name in names}
    for match in matches:
        for name, value in _values(orjson.loads(match.doc), names):
            groups[name][value] += 1
    return {name: dict(counts) for name, counts in groups.items()}


def _values(record: dict, names: tuple[str, ...]):
    from carinews.engines.prepare import day_of, week_of

    when = datetime.fromisoformat(record["date"]) if record.get("date") else None
    section = (record.get("section") or "").replace(",", " ").strip().lower()
    values = {"outlet": (record.get("source") or "").lower(), "section": section,
              "month": when.astimezone(WIB).strftime("%Y-%m") if when else "",
              "day": day_of(when) if when else "", "week": week_of(when) if when else ""}
    return [(name, values[name]) for name in names if values[name]]


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
