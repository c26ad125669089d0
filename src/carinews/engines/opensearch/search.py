"""Run a plan on an OpenSearch index: rank, rescore the best hits, count, facet.

Steps: compile the plan (compile.py; patterns expanded through the lexicon) -> one search
request: BM25 with the bonus clauses as `should` beside the query in `must` (they add to
the score of articles that match and never add matches), or sorted by `date` (undated
last, as Whoosh sorts them; ties by key) -> the proximity bonus as a `rescore` of the best
max(limit, RESCORE_WINDOW) hits, added to their scores -> the exact match count
(`track_total_hits`) -> facet counts over every match from `composite` aggregations on the
keyword fields, paged until complete (articles without a value counted under "", as
Whoosh's column facets count an undated article's month) -> `Match` records from `_source`, dates aware UTC. A search some shard cannot answer
fails (`allow_partial_search_results` off) rather than count too few.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import partial

from carinews.engines.base import RESCORE_WINDOW, Match, Ranked
from carinews.engines.opensearch.compile import OpenSearchCompiler
from carinews.engines.opensearch.lexicon import expand

SOURCE_FIELDS = ["doc", "dup", "sketch", "date"]
FACET_PAGE = 10_000


def search_body(compiler: OpenSearchCompiler, query, *, bonus=(), near=(), limit: int = 10,
                sort: str = "relevance", facets: tuple[str, ...] = ()) -> dict:
    """The search request for a plan (see the module docstring)."""
    compiled = compiler.compile(query)
    extra = compiler.compile_all(bonus)
    body = {
        "query": {"bool": {"must": [compiled], "should": extra}} if extra else compiled,
        "size": limit, "track_total_hits": True, "_source": SOURCE_FIELDS,
    }
    if sort == "relevance":
        if near:
            rescoring = compiler.compile_all(near)
            body["rescore"] = {"window_size": max(limit, RESCORE_WINDOW), "query": {
                "rescore_query": (rescoring[0] if len(rescoring) == 1 else
                                  {"bool": {"should": rescoring}}),
                "query_weight": 1.0, "rescore_query_weight": 1.0, "score_mode": "total"}}
    else:
        descending = sort == "-date"
        body["sort"] = [{"date": {"order": "desc" if descending else "asc",
                                  "missing": "_first" if descending else "_last"}},
                        {"key": {"order": "asc"}}]
    if facets:
        body["aggs"] = {name: facet_aggregation(name) for name in facets}
    return body


def facet_aggregation(field: str, after: dict | None = None, missing: bool = True) -> dict:
    """A page of value counts of `field`; with `missing`, articles without a value are
    counted under "" (as Whoosh's column facets count them)."""
    terms = {"field": field, "missing_bucket": True} if missing else {"field": field}
    composite = {"size": FACET_PAGE, "sources": [{field: {"terms": terms}}]}
    if after is not None:
        composite["after"] = after
    return {"composite": composite}


def search_plan(client, index: str, lexicon: str, query, *, query_text: str = "", bonus=(),
                near=(), limit: int = 10, sort: str = "relevance",
                facets: tuple[str, ...] = ()) -> Ranked:
    compiler = OpenSearchCompiler(query_text, partial(expand, client, lexicon, query_text=query_text))
    body = search_body(compiler, query, bonus=bonus, near=near, limit=limit, sort=sort,
                       facets=facets)
    answer = client.search(index=index, body=body, allow_partial_search_results=False)
    ranked = sort == "relevance"
    matches = [Match(doc=hit["_source"]["doc"], dup=hit["_source"]["dup"],
                     sketch=hit["_source"].get("sketch") or [],
                     date=aware(hit["_source"].get("date")),
                     score=(hit["_score"] or 0.0) if ranked else None)
               for hit in answer["hits"]["hits"]]
    groups = {name: facet_counts(client, index, body["query"], name, answer["aggregations"][name])
              for name in facets}
    return Ranked(matches, answer["hits"]["total"]["value"], groups)


def facet_counts(client, index: str, query: dict, field: str, first: dict,
                 missing: bool = True) -> dict[str, int]:
    """Value -> count over every match: the first page of the composite aggregation, then
    the further pages it points to."""
    found = counts(first, field)
    page = first
    while len(page["buckets"]) == FACET_PAGE and page.get("after_key") is not None:
        answer = client.search(index=index, body={
            "query": query, "size": 0, "track_total_hits": False,
            "aggs": {field: facet_aggregation(field, page["after_key"], missing)}})
        page = answer["aggregations"][field]
        found.update(counts(page, field))
    return found


def counts(aggregation: dict, field: str) -> dict[str, int]:
    return {bucket["key"][field] or "": bucket["doc_count"] for bucket in aggregation["buckets"]}


def aware(value: str | None) -> datetime | None:
    """A stored UTC date string -> an aware UTC datetime."""
    if not value:
        return None
    return datetime.fromisoformat(value).astimezone(timezone.utc)
