"""Run a query against an Archive and return hits people can judge.

Steps: parse the text into a plan (query/parse.py) -> the engine ranks it with
BM25F (title weighted above body) and the ranking bonuses (exact surface forms,
words close together) -> relax to any-word when an all-words query finds
nothing -> "did you mean" when it finds fewer than results/suggest.py FEW_HITS
articles -> an optional mild preference for recent articles -> collapse
syndicated copies into one hit, build snippets and highlights from the stored
text (results/) -> facets over the whole result set. Nothing here depends on
the engine.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone

from carinews.engines.base import DATE_FACETS, FACET_FIELDS, SORTS
from carinews.errors import SearchOptionError
from carinews.results.hits import Duplicate, Hit, SearchResult  # noqa: F401 - public here too

MAX_LIMIT = 10_000
RANKINGS = {"full": ("exact", "near", "derivations"), "bm25f": (), "bm25f+exact": ("exact",),
            "bm25f+near": ("near",), "full-derivations": ("exact", "near"),
            "full-near": ("exact", "derivations"), "full-exact": ("near", "derivations")}


def run_search(archive, text: str, *, limit: int = 10, since: str | None = None,
               until: str | None = None, sort: str = "relevance", recent: bool = False,
               collapse: bool = True, facets: bool = False, fragments: int = 2,
               fragment_chars: int = 200, strict: bool = False, explain: bool = False,
               ranking: str = "full", offset: int = 0,
               date_facet: str | None = None, aliases: bool = True,
               alias_files=()) -> SearchResult:
    """Search `archive` for `text`; see the module docstring for the steps.

    `ranking` is "full" (BM25F + exact-form and proximity bonuses, a word also finding
    the derivations of its root its stem misses), or for measuring what each adds:
    "bm25f", "bm25f+exact", "bm25f+near", and for ablations "full" without one part:
    "full-derivations", "full-near", "full-exact".
    `offset` skips that many hits (after collapsing) for paging: the hits of
    `offset=10, limit=10` are hits 11-20 of `limit=20` (not with `recent`, which
    reorders whatever window was fetched). `date_facet` ("day" or "week") adds
    counts per WIB day or week (from its Monday) to the facets, beside the months.
    Plain words also find their old spellings (analysis/spelling.py) and, unless `aliases`
    is False, the other names of the alias table (query/aliases.py) extended by
    `alias_files` (paths of the user's own tables) and $CARINEWS_ALIASES.
    """
    from carinews.query.parse import parse_query
    from carinews.results.facets import make_facets
    from carinews.results.hits import build_hits
    from carinews.results.suggest import FEW_HITS, speller_for, suggest

    start = time.perf_counter()
    if sort not in SORTS:
        raise SearchOptionError("sort", sort, f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}",
                                SORTS)
    if not 0 < limit <= MAX_LIMIT:
        raise SearchOptionError("limit", limit, f"limit must be between 1 and {MAX_LIMIT}")
    if not 0 <= offset <= MAX_LIMIT - limit:
        raise SearchOptionError("offset", offset, f"offset + limit must be at most {MAX_LIMIT}")
    if date_facet is not None and date_facet not in DATE_FACETS:
        raise SearchOptionError("date_facet", date_facet,
                                f"unknown date facet {date_facet!r}; choose one of {', '.join(DATE_FACETS)}",
                                DATE_FACETS)
    if ranking not in RANKINGS:
        raise SearchOptionError("ranking", ranking,
                                f"unknown ranking {ranking!r}; choose one of {', '.join(RANKINGS)}", RANKINGS)
    parsed = parse_query(text, stemmer=archive.stemmer, strict=strict, since=since, until=until,
                         derivations="derivations" in RANKINGS[ranking],
                         **expansions(archive, aliases, alias_files))
    # Enough matches for the copies of the hits shown (the pages before them included).
    window = offset + max(limit * 5, 50) if collapse else offset + limit
    wanted = (FACET_FIELDS + ((date_facet,) if date_facet else ())) if facets else ()
    ranked, relaxed = rank(archive.engine, parsed, window, sort, wanted, RANKINGS[ranking])
    notes = list(parsed.notes)
    full = [] if relaxed else ranked.matches
    ordered = _rerank_recent(full) if recent and sort == "relevance" else full
    partial = Filled([], 0)
    if parsed.words and (relaxed or ranked.total < offset + limit):
        partial = fill(archive.engine, parsed, full, window, sort, RANKINGS[ranking])
        ordered = ordered + partial.matches
        relaxed = relaxed and bool(partial.matches)
        if not relaxed:
            notes.append(_fill_note(parsed, ranked.total, partial))
    elif relaxed:
        ordered = _rerank_recent(ranked.matches) if recent and sort == "relevance" else ranked.matches
    if relaxed:
        notes.append("no article has all the words; showing articles with any of them")
    result = SearchResult(
        query=text, total=0 if relaxed else ranked.total, took_ms=0.0,
        hits=build_hits(ordered, parsed.highlight, limit, collapse, fragments, fragment_chars,
                        offset=offset, of=len(parsed.words) or None, checks=parsed.checks),
        relaxed=relaxed, notes=notes, partial=partial.total,
        facets=make_facets(ranked.groups, ordered) if facets else None,
        explanation=parsed.explain() if explain else None,
    )
    if (relaxed or ranked.total < FEW_HITS) and offset == 0:
        result.suggestion = suggest(speller_for(str(archive.path), archive.engine.version(),
                                                archive.engine), text)
    result.took_ms = (time.perf_counter() - start) * 1000
    return result


def expansions(archive, aliases: bool = True, alias_files=()) -> dict:
    """parse_query's `variants` (old spellings some article of `archive` holds) and `aliases`
    (the alias table, None when switched off)."""
    from carinews.analysis.spelling import variant_forms
    from carinews.query.aliases import load_table

    engine = archive.engine
    return {"variants": lambda word: variant_forms(word, engine),
            "aliases": load_table(alias_files) if aliases else None}


def rank(engine, parsed, limit: int, sort: str = "relevance", facets: tuple[str, ...] = (),
         bonuses=RANKINGS["full"]):
    """The engine's ranking of `parsed` (its relaxed form when the strict one finds nothing),
    and whether it was relaxed."""
    options = dict(limit=limit, **_ranking_options(parsed, sort, facets, bonuses))
    if parsed.checks:
        return _checked(engine, parsed, options), False
    ranked = engine.search(parsed.query, **options)
    if not ranked.matches and parsed.relaxed is not None:
        return engine.search(parsed.relaxed, **options), True
    return ranked, False


def _ranking_options(parsed, sort: str, facets: tuple[str, ...], bonuses) -> dict:
    """engine.search's options for `parsed` but the limit: the bonus clauses of the
    `bonuses` kinds, the proximity bonus apart (the Whoosh engine rescores the best hits)."""
    return dict(query_text=parsed.text, sort=sort, facets=facets,
                bonus=parsed.bonus_queries(tuple(k for k in bonuses if k != "near")),
                near=parsed.bonus_queries(("near",)) if "near" in bonuses else [])


@dataclass
class Filled:
    matches: list          # partial matches, best level first, each with `matched` set
    total: int             # articles with at least the lowest level's k words, but not all


def fill(engine, parsed, full: list, window: int, sort: str = "relevance",
         bonuses=RANKINGS["full"]) -> Filled:
    """Articles with most of `parsed.words` after the `full` matches: those lacking one word,
    then two, ... (query/partial.py), each level ranked by the engine and placed below the
    level before, until `window` matches in all. Each match's `matched` is its level."""
    from carinews.query.partial import levels, near_may_match

    options = _ranking_options(parsed, sort, (), bonuses)
    if not near_may_match(parsed.words, options["near"]):
        options["near"] = []
    seen = {m.doc for m in full}
    out: list = []
    total = 0
    for k, node in levels(parsed.words):
        need = window - len(full) - len(out)
        ranked = engine.search(node, limit=max(need, 0) + len(seen), **options)
        total = ranked.total - len(full)   # at least k words, minus the full matches
        for match in ranked.matches:
            if match.doc not in seen and len(out) < window - len(full):
                seen.add(match.doc)
                match.matched = k
                out.append(match)
        if len(full) + len(out) >= window:
            break
    return Filled(out, max(total, 0))


def _fill_note(parsed, full_total: int, partial: Filled) -> str:
    """`--explain`/notes line: how many articles have all the words, and what followed them."""
    n = len(parsed.words)
    head = f"only {full_total} article{' has' if full_total == 1 else 's have'} all {parsed.words_label()}"
    if not partial.matches:
        return head + "; no other article has any of them"
    counts = sorted({m.matched for m in partial.matches})
    span = f"{counts[0]}" if len(counts) == 1 else f"{counts[0]} to {counts[-1]}"
    return head + f"; then articles with {span} of the {n} ({partial.total} in all), ranked below them"

def _checked(engine, parsed, options):
    """An operator query (query/operators.py): the engine's candidates, each checked against
    its stored text, so the total, every page and the facets count only the articles that
    pass (the engine's own facet counts would count every candidate)."""
    from carinews.engines.base import Ranked
    from carinews.query.operators import MAX_CANDIDATES, passes
    from carinews.results.facets import count_groups

    import orjson

    limit = options["limit"]
    ranked = engine.search(parsed.query, **dict(options, limit=MAX_CANDIDATES, facets=()))
    kept = [m for m in ranked.matches if passes(orjson.loads(m.doc), parsed.checks, parsed.stemmer)]
    if ranked.total > MAX_CANDIDATES:
        parsed.notes.append(f"{ranked.total} articles have the words; only the best {MAX_CANDIDATES}"
                            " were checked for kalimat:/paragraf:/awal:/minimal:/panjang: (narrow the query)")
    return Ranked(kept[:limit], len(kept), count_groups(kept, options["facets"]))


RECENCY_HALF_LIFE_DAYS = 365.0
RECENCY_WEIGHT = 0.25


def _rerank_recent(matches: list) -> list:
    """A mild preference for newer articles: up to +25% for today's, half that a year ago."""
    now = datetime.now(timezone.utc)

    def boosted(match):
        if match.date is None:
            return match.score
        age = max((now - match.date).days, 0)
        return match.score * (1 + RECENCY_WEIGHT * 0.5 ** (age / RECENCY_HALF_LIFE_DAYS))

    return sorted(matches, key=boosted, reverse=True)


NAMES_WINDOW = 1000


def count_names(archive, text: str, *, limit: int = 20, since=None, until=None,
                strict: bool = False, aliases: bool = True, alias_files=()) -> list[tuple[str, int]]:
    """Names most frequent among the best 1,000 articles matching `text`."""
    from carinews.query.parse import parse_query
    from carinews.results.facets import count_names as count_in

    parsed = parse_query(text, stemmer=archive.stemmer, strict=strict, since=since, until=until,
                         **expansions(archive, aliases, alias_files))
    ranked, _ = rank(archive.engine, parsed, NAMES_WINDOW)
    return count_in(ranked.matches).most_common(limit)
