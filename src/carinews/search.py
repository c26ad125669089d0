"""Run a query against an Archive and return hits people can judge.

Steps: parse the text (query.py) -> add ranking bonuses (exact surface forms,
words close together) -> run it in Whoosh with BM25F (title weighted above
body) -> relax to any-word when an all-words query finds nothing -> collapse
syndicated copies (same duplicate group) into one hit -> build snippets and
highlights (snippets.py) -> facets over the whole result set.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone

import orjson
from whoosh import sorting
from whoosh.query import AndMaybe, Or

from carinews.errors import CarinewsError

SORTS = ("relevance", "date", "-date")
MAX_LIMIT = 10_000


@dataclass
class Duplicate:
    id: str
    source: str | None
    url: str | None


@dataclass
class Hit:
    id: str
    score: float | None           # None when sorted by date
    title: str
    date: datetime | None
    source: str | None
    url: str | None
    snippet: str
    highlights: list[tuple[int, int]]
    title_highlights: list[tuple[int, int]]
    names: list[str] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    date_inferred: bool = False

    def to_dict(self) -> dict:
        return {
            "id": self.id, "score": None if self.score is None else round(self.score, 4),
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "date_inferred": self.date_inferred,
            "source": self.source, "url": self.url,
            "snippet": self.snippet, "highlights": [list(h) for h in self.highlights],
            "title_highlights": [list(h) for h in self.title_highlights],
            "names": self.names,
            "duplicates": [d.__dict__ for d in self.duplicates],
        }


@dataclass
class SearchResult:
    query: str
    total: int
    took_ms: float
    hits: list[Hit]
    relaxed: bool = False
    notes: list[str] = field(default_factory=list)
    facets: dict | None = None
    explanation: str | None = None

    def to_dict(self) -> dict:
        d = {"query": self.query, "total": self.total, "took_ms": round(self.took_ms, 2),
             "relaxed": self.relaxed, "notes": self.notes,
             "hits": [h.to_dict() for h in self.hits]}
        if self.facets is not None:
            d["facets"] = self.facets
        if self.explanation is not None:
            d["explain"] = self.explanation
        return d


def run_search(archive, text: str, *, limit: int = 10, since: str | None = None,
               until: str | None = None, sort: str = "relevance", recent: bool = False,
               collapse: bool = True, facets: bool = False, fragments: int = 2,
               fragment_chars: int = 200, strict: bool = False, explain: bool = False,
               ranking: str = "full") -> SearchResult:
    """Search `archive` for `text`; see the module docstring for the steps.

    `ranking` is "full" (BM25F + exact-form and proximity bonuses), or for
    measuring what each adds: "bm25f", "bm25f+exact", "bm25f+near".
    """
    from carinews.query.parse import parse_query

    start = time.perf_counter()
    if sort not in SORTS:
        raise CarinewsError(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}")
    if not 0 < limit <= MAX_LIMIT:
        raise CarinewsError(f"limit must be between 1 and {MAX_LIMIT}")
    if ranking not in RANKINGS:
        raise CarinewsError(f"unknown ranking {ranking!r}; choose one of {', '.join(RANKINGS)}")
    parsed = parse_query(text, stemmer=archive.stemmer, strict=strict, since=since, until=until)
    searcher = archive.searcher()
    results, total, relaxed = _run(searcher, parsed, limit, sort, collapse, facets,
                                   RANKINGS[ranking])
    notes = list(parsed.notes)
    if relaxed:
        notes.append("no article has all the words; showing articles with any of them")
    ordered = _rerank_recent(list(results)) if recent and sort == "relevance" else list(results)
    result = SearchResult(
        query=text, total=total, took_ms=0.0,
        hits=_build_hits(ordered, parsed, limit, collapse, fragments, fragment_chars,
                         scored=(sort == "relevance")),
        relaxed=relaxed, notes=notes,
        facets=_facets(results, ordered) if facets else None,
        explanation=parsed.explain() if explain else None,
    )
    result.took_ms = (time.perf_counter() - start) * 1000
    return result


RANKINGS = {"full": ("exact", "near"), "bm25f": (), "bm25f+exact": ("exact",),
            "bm25f+near": ("near",)}


def rank_query(query, parsed, bonuses=RANKINGS["full"]):
    """`query` plus optional bonus clauses (exact surface forms, proximity): they add to the
    score of articles that match `query` and never add matches."""
    bonus = parsed.bonus_queries(bonuses)
    return AndMaybe(query, Or(bonus)) if bonus else query


RESCORE_WINDOW = 200    # best hits that get the proximity bonus (rescore.py)


def _run(searcher, parsed, limit, sort, collapse, facets, bonuses=RANKINGS["full"]):
    """Ranked results (the best `window`), the exact number of matches, and whether the
    query was relaxed. The proximity bonus is added to the best RESCORE_WINDOW hits only
    (and not at all when sorting by date: Whoosh then keeps no scores)."""
    from carinews.engines.whoosh.docsets import count_matches
    from carinews.engines.whoosh.rescore import rescore

    window = max(limit * 5, 50) if collapse else limit
    ranked = sort == "relevance"
    near = parsed.bonus_queries(("near",)) if "near" in bonuses and ranked else []
    first = tuple(kind for kind in bonuses if kind != "near")
    kwargs = {"limit": max(window, RESCORE_WINDOW) if near else window}
    if not ranked:
        kwargs["sortedby"] = sorting.FieldFacet("date", reverse=(sort == "-date"))
    if facets:
        kwargs["groupedby"] = {name: sorting.FieldFacet(name, maptype=sorting.Count)
                               for name in FACET_FIELDS}
    query, relaxed = parsed.query, False
    results = searcher.search(rank_query(query, parsed, first), **kwargs)
    if results.is_empty() and parsed.relaxed is not None:
        query, relaxed = parsed.relaxed, True
        results = searcher.search(rank_query(query, parsed, first), **kwargs)
    if near:
        rescore(searcher, results, near, keep=window)
    # Whoosh's count runs the query again, slowly, when its ranking skipped blocks, and
    # its collector may drop matches that cannot reach the top (`Matcher.replace`) even
    # when it says it counted; count here, and give Results the count (`list(results)`
    # asks for its length).
    results._total = count_matches(searcher, query)
    return results, results._total, relaxed


RECENCY_HALF_LIFE_DAYS = 365.0
RECENCY_WEIGHT = 0.25


def _rerank_recent(hits: list) -> list:
    """A mild preference for newer articles: up to +25% for today's, half that a year ago."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)

    def boosted(hit):
        date = hit.get("date")
        if date is None:
            return hit.score
        age = max((now - date).days, 0)
        return hit.score * (1 + RECENCY_WEIGHT * 0.5 ** (age / RECENCY_HALF_LIFE_DAYS))

    return sorted(hits, key=boosted, reverse=True)


def _build_hits(results, parsed, limit, collapse, fragments, fragment_chars,
                scored=True) -> list[Hit]:
    """Hits with snippets; `scored` False (sorted by date): Whoosh's "score" is then the
    sort key, so hits carry no score."""
    from carinews.results.snippets import highlight_text, make_snippet

    hits = []
    for best, *copies in _group_copies(results, limit, collapse):
        doc = orjson.loads(best["doc"])
        snippet = make_snippet(doc["body"], parsed.highlight, fragments=fragments,
                               fragment_chars=fragment_chars)
        hits.append(Hit(
            id=doc["id"], score=(best.score or 0.0) if scored else None, title=doc["title"],
            date=datetime.fromisoformat(doc["date"]) if doc.get("date") else None,
            date_inferred=bool(doc.get("date_inferred")),
            source=doc.get("source"), url=doc.get("url"),
            snippet=snippet.text, highlights=snippet.highlights,
            title_highlights=highlight_text(doc["title"], parsed.highlight),
            names=doc.get("names", [])[:5],
            duplicates=[_duplicate(c) for c in copies],
        ))
    return hits


def _group_copies(results, limit: int, collapse: bool) -> list[list]:
    """Up to `limit` groups of hits in rank order; with `collapse`, a hit joins the group of
    a better hit it copies: a similar body (duplicates.py), or the same exact-lead key when
    a body is too short to sketch."""
    from carinews.analysis.sketches import similar

    groups: list[list] = []
    for hit in results:
        if collapse:
            sketch, key = hit.get("sketch") or [], hit["dup"]
            home = next((g for g in groups if _copies(g[0], sketch, key, similar)), None)
            if home is not None:
                home.append(hit)
                continue
        if len(groups) < limit:
            groups.append([hit])
    return groups


def _copies(leader, sketch: list[int], key: str, similar) -> bool:
    leader_sketch = leader.get("sketch") or []
    if sketch and leader_sketch:
        return similar(sketch, leader_sketch)
    return key == leader["dup"]


def _duplicate(hit) -> Duplicate:
    doc = orjson.loads(hit["doc"])
    return Duplicate(id=doc["id"], source=doc.get("source"), url=doc.get("url"))


NAMES_WINDOW = 1000


def count_names(archive, text: str, *, limit: int = 20, since=None, until=None,
                strict: bool = False) -> list[tuple[str, int]]:
    """Names most frequent among the best 1,000 articles matching `text`."""
    from carinews.query.parse import parse_query

    parsed = parse_query(text, stemmer=archive.stemmer, strict=strict, since=since, until=until)
    results, _, _ = _run(archive.searcher(), parsed, NAMES_WINDOW, "relevance", False, False)
    names = Counter()
    for hit in results:
        names.update(set(orjson.loads(hit["doc"]).get("names", [])))
    return names.most_common(limit)


FACET_FIELDS = ("outlet", "month")
FACET_NAME_DOCS = 200


def _facets(results, ordered) -> dict:
    """Counts by outlet and month over all matches; top names over the best 200."""
    by_source = sorted(results.groups("outlet").items(), key=lambda kv: (-kv[1], kv[0]))
    by_month = sorted(results.groups("month").items())
    names = Counter()
    for hit in ordered[:FACET_NAME_DOCS]:
        names.update(set(orjson.loads(hit["doc"]).get("names", [])))
    return {
        "sources": [[k, v] for k, v in by_source if k is not None],
        "months": [[k, v] for k, v in by_month if k is not None],
        "names": [[k, v] for k, v in names.most_common(15)],
    }
