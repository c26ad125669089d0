"""Run a plan on an OpenSearch index: rank, rescore the best hits, count, facet.

Steps: compile the plan (compile.py; patterns expanded through the lexicon) -> one search
request: BM25 with the bonus clauses as `should` beside the query in `must` (they add to
the score of articles that match and never add matches), or sorted by `date` (undated
last in both orders; ties by key) -> the proximity bonus as a `rescore` of the best
RESCORE_WINDOW hits, however many are asked for (the rest follow in their order) -> the
exact match count (`track_total_hits`) -> facet counts over every match from `composite`
aggregations, paged until complete: keyword values (`outlet`, `month`, `section`) by
`terms`, the WIB `day` and `week` of the date by a `date_histogram` of days at +07:00
folded into weeks with `week_of`; a match without a value is left out -> `Match` records
from `_source`, dates aware UTC. A search some shard cannot answer fails
(`allow_partial_search_results` off) rather than count too few.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import partial

from carinews.engines.base import DATE_FACETS, RESCORE_WINDOW, Match, Ranked
from carinews.engines.opensearch.compile import OpenSearchCompiler
from carinews.engines.opensearch.lexicon import expand
from carinews.engines.prepare import day_of, week_of
from carinews.ingest.dates import WIB

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
            body["rescore"] = {"window_size": RESCORE_WINDOW, "query": {
                "rescore_query": (rescoring[0] if len(rescoring) == 1 else
                                  {"bool": {"should": rescoring}}),
                "query_weight": 1.0, "rescore_query_weight": 1.0, "score_mode": "total"}}
    else:
        body["sort"] = [{"date": {"order": "desc" if sort == "-date" else "asc", "missing": "_last"}},
                        {"key": {"order": "asc"}}]
    if facets:
        body["aggs"] = {name: facet_aggregation(name) for name in facets}
    return body


def facet_aggregation(name: str, after: dict | None = None) -> dict:
    """A page of the composite aggregation counting facet `name`."""
    if name in DATE_FACETS:        # both from WIB days; weeks are folded from them
        source = {"date_histogram": {"field": "date", "calendar_interval": "1d", "time_zone": "+07:00"}}
    else:
        source = {"terms": {"field": name}}
    composite = {"size": FACET_PAGE, "sources": [{name: source}]}
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


def facet_counts(client, index: str, query: dict, name: str, first: dict) -> dict[str, int]:
    """Value -> count over every match: the first page of the composite aggregation, then
    the further pages it points to."""
    found: dict[str, int] = {}
    page = first
    while True:
        for bucket in page["buckets"]:
            label = facet_label(name, bucket["key"][name])
            if label:
                found[label] = found.get(label, 0) + bucket["doc_count"]
        if len(page["buckets"]) < FACET_PAGE or page.get("after_key") is None:
            return found
        answer = client.search(index=index, body={
            "query": query, "size": 0, "track_total_hits": False,
            "aggs": {name: facet_aggregation(name, page["after_key"])}},
            allow_partial_search_results=False)
        page = answer["aggregations"][name]


def facet_label(name: str, key) -> str | None:
    """A bucket key as the facet's value: keywords as they are, a WIB day's start (epoch
    milliseconds) as its day or the Monday of its week."""
    if name not in DATE_FACETS:
        return key
    day = datetime.fromtimestamp(key / 1000, WIB)
    return day_of(day) if name == "day" else week_of(day)


def aware(value: str | None) -> datetime | None:
    """A stored UTC date string -> an aware UTC datetime."""
    if not value:
        return None
    return datetime.fromisoformat(value).astimezone(timezone.utc)
