"""Run a plan on a Whoosh searcher: rank, rescore the best hits, count, facet.

Steps: compile the plan (compile.py) -> BM25F search with the bonus clauses as
Whoosh `AndMaybe` optional clauses (or sorted by the `date` column) -> the
proximity bonus added to the best `RESCORE_WINDOW` hits only (rescore.py) ->
the exact number of matches counted block by block (docsets.py: Whoosh's own
count runs the query again a posting at a time, and its collector may drop
matches that cannot reach the top) -> `Match` records from the stored fields.
"""

from __future__ import annotations

from datetime import timezone

from whoosh import sorting
from whoosh.query import AndMaybe, Or

from carinews.engines.base import RESCORE_WINDOW, Match, Ranked
from carinews.engines.whoosh.compile import WhooshCompiler


def rank_query(query, bonus: list):
    """`query` plus optional bonus clauses: they add to the score of articles that match
    `query` and never add matches."""
    return AndMaybe(query, Or(bonus)) if bonus else query


def search_plan(searcher, query, *, query_text: str = "", bonus=(), near=(), limit: int = 10,
                sort: str = "relevance", facets: tuple[str, ...] = ()) -> Ranked:
    from carinews.engines.whoosh.docsets import count_matches
    from carinews.engines.whoosh.rescore import rescore

    compiler = WhooshCompiler(query_text)
    compiled = compiler.compile(query)
    ranked = sort == "relevance"
    near = compiler.compile_all(near) if ranked else []
    kwargs = {"limit": max(limit, RESCORE_WINDOW) if near else limit}
    if not ranked:
        kwargs["sortedby"] = sorting.FieldFacet("date", reverse=(sort == "-date"))
    if facets:
        kwargs["groupedby"] = {name: sorting.FieldFacet(name, maptype=sorting.Count)
                               for name in facets}
    results = searcher.search(rank_query(compiled, compiler.compile_all(bonus)), **kwargs)
    if results.is_empty():
        return Ranked([], 0, {name: {} for name in facets})
    if near:
        rescore(searcher, results, near, keep=limit)
    # `list(results)` asks for its length: give Results the exact count first.
    results._total = count_matches(searcher, compiled)
    matches = [Match(doc=hit["doc"], dup=hit["dup"], sketch=hit.get("sketch") or [],
                     date=_aware(hit.get("date")), score=(hit.score or 0.0) if ranked else None)
               for hit in results]
    groups = {name: {k: v for k, v in results.groups(name).items() if k is not None}
              for name in facets}
    return Ranked(matches, results._total, groups)


def _aware(value):
    return value.replace(tzinfo=timezone.utc) if value is not None else None
