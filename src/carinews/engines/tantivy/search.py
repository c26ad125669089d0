"""Run a plan on a tantivy searcher: rank, count, sort by date, facet.

Steps: compile the plan (compile.py) -> BM25 over the matches with the bonus
clauses (exact forms, and the proximity bonus, which tantivy evaluates cheaply
enough to add to every match rather than to a rescoring window) as optional
clauses of a boolean query, so they add score and never matches -> or sorted
by the `date` column, undated articles last for `date` and first for `-date`
(as the Whoosh engine's column sorts them) -> the exact match count from the
same pass -> per-value counts of `outlet` and `month` over every match (terms
aggregations on their fast columns, articles without a value counted under "",
as Whoosh's groups count them) -> `Match` records from the stored fields.
"""

from __future__ import annotations

from tantivy import Occur, Order, Query

from carinews.engines.base import Match, Ranked
from carinews.engines.tantivy.compile import TantivyCompiler
from carinews.engines.tantivy.stored import Stored, unpack_meta

FACET_SIZE = 1 << 20        # more distinct values than any archive has


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
    groups = count_values(searcher, compiled, facets) if facets and total else {f: {} for f in facets}
    return Ranked(matches, total, groups)


def _by_date(searcher, compiled, limit: int, descending: bool):
    """(hits, total) sorted by date; undated matches after the dated ones, or before them
    when `descending`."""
    if not descending:
        found = searcher.search(compiled, limit, count=True, order_by_field="date", order=Order.Asc)
        return found.hits, found.count
    dated = Query.exists_query("date")
    undated = searcher.search(Query.boolean_query([(Occur.Must, compiled), (Occur.MustNot, dated)]),
                              limit, count=True, order_by_field="date", order=Order.Asc)
    rest = max(limit - len(undated.hits), 1)
    newest = searcher.search(Query.boolean_query([(Occur.Must, compiled), (Occur.Must, dated)]),
                             rest, count=True, order_by_field="date", order=Order.Desc)
    return (undated.hits + newest.hits)[:limit], undated.count + newest.count


def count_values(searcher, query, fields) -> dict[str, dict[str, int]]:
    """{field: {value: matching articles}} for fast keyword fields; no value counts as ""."""
    request = {name: {"terms": {"field": name, "size": FACET_SIZE, "missing": ""}} for name in fields}
    found = searcher.aggregate(query, request)
    return {name: {b["key"]: b["doc_count"] for b in found[name]["buckets"]} for name in fields}


def _match(stored: Stored, document, score) -> Match:
    meta = unpack_meta(document.get_first("meta"))
    return Match(doc=stored.doc(document.get_first("doc")), dup=meta.dup, sketch=meta.sketch,
                 date=meta.date, score=score)
