"""Run a plan on a Whoosh searcher: rank, rescore the best hits, count, facet.

Steps: compile the plan (compile.py) -> BM25F search with the bonus clauses as
Whoosh `AndMaybe` optional clauses (bonus.py), the top N collected without
Whoosh's matcher replacement (`_never_replace`), or sorted by the `date`
column, undated articles last, with the facets counted by Whoosh's collector
(`_facet`: a column, the several sections of an article, or the WIB day or
week of its date) -> the proximity bonus added to the best `RESCORE_WINDOW`
hits only, however many are fetched (rescore.py) -> the exact number of
matches counted block by block (docsets.py: Whoosh's own count runs the query
again a posting at a time, and its collector may drop matches that cannot
reach the top) -> `Match` records from the stored fields.
"""

from __future__ import annotations

from datetime import datetime, timezone

from whoosh import collectors, sorting
from whoosh.query import AndMaybe
from whoosh.util.times import long_to_datetime

from carinews.engines.base import DATE_FACETS, RESCORE_WINDOW, Match, Ranked
from carinews.engines.prepare import day_of, week_of
from carinews.engines.whoosh.bonus import Bonus
from carinews.engines.whoosh.compile import WhooshCompiler


def rank_query(query, bonus: list):
    """`query` plus optional bonus clauses: they add to the score of articles that match
    `query` and never add matches (read only within those articles, bonus.py)."""
    return AndMaybe(query, Bonus(bonus, query)) if bonus else query


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
        kwargs["sortedby"] = _date_order(newest_first=(sort == "-date"))
    if facets:
        kwargs["groupedby"] = {name: _facet(name) for name in facets}
    collector = searcher.collector(**kwargs)
    _never_replace(collector)
    searcher.search_with_collector(rank_query(compiled, compiler.compile_all(bonus)), collector)
    results = collector.results()
    if results.is_empty():
        return Ranked([], 0, {name: {} for name in facets})
    if near:
        rescore(searcher, results, near, keep=limit, only_first=RESCORE_WINDOW)
    # `list(results)` asks for its length: give Results the exact count first.
    results._total = count_matches(searcher, compiled)
    matches = [Match(doc=hit["doc"], dup=hit["dup"], sketch=hit.get("sketch") or [],
                     date=_aware(hit.get("date")), score=(hit.score or 0.0) if ranked else None)
               for hit in results]
    groups = {name: {_text(k): v for k, v in results.groups(name).items() if k}
              for name in facets}
    return Ranked(matches, results._total, groups)


def _never_replace(collector) -> None:
    """Turn off the top-N collector's matcher replacement. Every 10 matches Whoosh's
    `ScoredCollector` asks the matcher tree for a cheaper replacement given the lowest score
    still in the top N (`Matcher.replace(minscore)`), and that dropped articles that belonged
    there: on the 12k archive the top 10, 50 or 200 of 22 of the 65 dev queries' plans (the
    query or one of its partial levels, with the bonus clauses) differed from the unlimited
    ranking of the same query (`Jokowi ijazah palsu`: the top 10 left out the article
    scoring 87.0, the 8th best). Without it they all agree, and the block-quality skipping
    (skipping.py), which keeps the top N exact, still runs. tests/test_whoosh_ranking.py
    checks limited against unlimited rankings. One cause is Whoosh's `ArrayUnionMatcher`
    (an `Or` of more than two clauses on a segment of at most 5,000 documents), whose
    `max_quality()` is its largest clause's bound, not their sum; with that corrected, one
    plan of the 65 (`kebakaran rumah`, any one word, under its bonus) still lost an article
    in replacement, so it stays off: a common single word then scores more of its matches
    (benchmarks/RESULTS.md has the cost)."""
    while collector is not None:
        if isinstance(collector, collectors.ScoredCollector):
            collector.replace = 0
        collector = getattr(collector, "child", None)


_NO_DATE = 2 ** 64 - 1      # the date column's value for an undated article


def _date_order(newest_first: bool):
    """Sort by the date column, undated articles last either way (the column holds the
    largest value for them, which would put them first when the newest come first)."""
    if not newest_first:
        return sorting.FieldFacet("date")
    return sorting.TranslateFacet(lambda value: -1 if value == _NO_DATE else -value,
                                  sorting.FieldFacet("date"))


def _facet(name: str):
    """The Whoosh facet counting `name` over all matches (engines/base.py FACET_FIELDS and
    DATE_FACETS)."""
    if name in DATE_FACETS:
        facet = sorting.TranslateFacet(_day_label if name == "day" else _week_label,
                                       sorting.FieldFacet("date"))
        facet.maptype = sorting.Count
        return facet
    if name == "section":        # an article may carry several
        return sorting.FieldFacet(name, allow_overlap=True, maptype=sorting.Count)
    return sorting.FieldFacet(name, maptype=sorting.Count)


def _day_label(column_value: int) -> str | None:
    return None if column_value == _NO_DATE else day_of(_column_date(column_value))


def _week_label(column_value: int) -> str | None:
    return None if column_value == _NO_DATE else week_of(_column_date(column_value))


def _column_date(column_value: int) -> datetime:
    return long_to_datetime(column_value).replace(tzinfo=timezone.utc)


def _text(key) -> str:
    return key.decode("utf-8", "replace") if isinstance(key, bytes) else key


def _aware(value):
    return value.replace(tzinfo=timezone.utc) if value is not None else None
