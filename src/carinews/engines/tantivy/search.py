"""Run a plan on a tantivy searcher: rank, count, sort by date, facet.

Steps: compile the plan (compile.py) -> BM25 over the matches with the bonus
clauses (exact forms, and the proximity bonus, which tantivy evaluates cheaply
enough to add to every match rather than to a rescoring window) as optional
clauses of a boolean query, so they add score and never matches -> or sorted
by the `date` column, undated articles last in both orders (as the Whoosh
engine sorts them) -> the exact match count from the same pass -> the facets
over every match (engines/base.py: no key for a match without a value): terms
aggregations on the fast columns `outlet` and `month`, the section terms of the
matches (`terms_with_prefix` filtered by the query), and for `day` and `week`
a date histogram of one-day buckets starting at WIB midnight, labelled by
`day_of` and folded into weeks by `week_of` -> `Match` records from the stored
fields. Dates beyond the years tantivy holds are counted on the day they were
clamped to (documents.py `utc_date`).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

from tantivy import Occur, Order, Query

from carinews.engines.base import DATE_FACETS, Match, Ranked
from carinews.engines.prepare import day_of, week_of
from carinews.engines.tantivy.compile import TantivyCompiler
from carinews.engines.tantivy.stored import Stored, unpack_meta

FACET_SIZE = 1 << 20        # more distinct values than any archive has
WIB_MIDNIGHT = "-7h"        # a histogram offset: days from 17:00 UTC, WIB's midnight (UTC+7, no DST)


def search_plan(searcher, schema, stored: Stored, query, *, query_text: str = "", bonus=(),
                near=(), limit: int = 10, sort: str = "relevance", facets: tuple[str, ...] = (),
                verify=None) -> Ranked:
    compiler = TantivyCompiler(searcher, schema, query_text, verify)
    compiled = compiler.compile(query)
    limit = max(limit, 1)
    if sort == "relevance":
        optional = compiler.compile_all(bonus) + compiler.compile_all(near)
        ranked = Query.boolean_query([(Occur.Must, compiled)] + [(Occur.Should, q) for q in optional]) \
            if optional else compiled
        found = searcher.search(ranked, limit, count=True)
        hits, total = [(score, address) for score, address in found.hits], found.count
    else:
        hits, total = _by_date(searcher, compiled, limit, descending=sort == "-date")
    matches = [_match(stored, searcher.doc(address), score if sort == "relevance" else None)
               for score, address in hits]
    groups = facet_counts(searcher, compiled, facets) if facets and total else {f: {} for f in facets}
    return Ranked(matches, total, groups)


def _by_date(searcher, compiled, limit: int, descending: bool):
    """(hits, total) sorted by date; undated matches after the dated ones either way."""
    if not descending:
        found = searcher.search(compiled, limit, count=True, order_by_field="date", order=Order.Asc)
        return found.hits, found.count
    dated = Query.exists_query("date")
    newest = searcher.search(Query.boolean_query([(Occur.Must, compiled), (Occur.Must, dated)]),
                             limit, count=True, order_by_field="date", order=Order.Desc)
    rest = max(limit - len(newest.hits), 1)
    undated = searcher.search(Query.boolean_query([(Occur.Must, compiled), (Occur.MustNot, dated)]),
                              rest, count=True, order_by_field="date", order=Order.Asc)
    return (newest.hits + undated.hits)[:limit], newest.count + undated.count


def facet_counts(searcher, query, facets) -> dict[str, dict[str, int]]:
    """{facet: {value: matching articles}} over every match of `query` (engines/base.py)."""
    columns = [name for name in facets if name not in DATE_FACETS and name != "section"]
    groups = count_values(searcher, query, columns) if columns else {}
    if "section" in facets:
        groups["section"] = dict(searcher.terms_with_prefix("section", "", filter_query=query))
    for name in (n for n in facets if n in DATE_FACETS):
        label = day_of if name == "day" else week_of
        counts: Counter = Counter()
        for midnight, count in day_buckets(searcher, query):
            counts[label(midnight)] += count
        groups[name] = dict(counts)
    return {name: groups[name] for name in facets}


def count_values(searcher, query, fields) -> dict[str, dict[str, int]]:
    """{field: {value: matching articles}} for fast keyword fields; no value, no key."""
    request = {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in fields}
    found = searcher.aggregate(query, request)
    return {name: {b["key"]: b["doc_count"] for b in found[name]["buckets"]} for name in fields}


def day_buckets(searcher, query) -> list[tuple[datetime, int]]:
    """(WIB midnight as an aware UTC datetime, dated matches that day) for every day with
    a match: one-day histogram buckets that start at WIB midnight."""
    request = {"days": {"date_histogram": {"field": "date", "fixed_interval": "1d",
                                           "offset": WIB_MIDNIGHT, "min_doc_count": 1}}}
    buckets = searcher.aggregate(query, request)["days"]["buckets"]
    return [(datetime.fromtimestamp(b["key"] / 1000, timezone.utc), b["doc_count"]) for b in buckets]


def _match(stored: Stored, document, score) -> Match:
    meta = unpack_meta(document.get_first("meta"))
    return Match(doc=stored.doc(document.get_first("doc")), dup=meta.dup, sketch=meta.sketch,
                 date=meta.date, score=score)
