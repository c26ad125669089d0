"""What a search returns: `SearchResult` with its `Hit`s, and how hits are built.

`build_hits` turns an engine's ranked `Match`es into hits: copies grouped under
the best-ranked article (collapse.py), the stored article read once, a snippet
and title highlights made from the stored text (snippets.py), so offsets point
at the characters the reader sees whatever the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import orjson


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
    matched: int | None = None    # how many of the query's plain words it has (None: not counted)
    of: int | None = None         # how many plain words the query has

    @property
    def partial(self) -> bool:
        """A hit that lacks some of the query's words (listed after every full match)."""
        return self.matched is not None and self.of is not None and self.matched < self.of

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
            "matched": self.matched, "of": self.of,
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
    suggestion: object | None = None      # results.suggest.Suggestion: "did you mean"
    partial: int = 0     # articles with most but not all of the words, listed after the `total`

    def to_dict(self) -> dict:
        d = {"query": self.query, "total": self.total, "partial": self.partial,
             "took_ms": round(self.took_ms, 2),
             "relaxed": self.relaxed, "notes": self.notes,
             "suggestion": self.suggestion.to_dict() if self.suggestion else None,
             "hits": [h.to_dict() for h in self.hits]}
        if self.facets is not None:
            d["facets"] = self.facets
        if self.explanation is not None:
            d["explain"] = self.explanation
        return d


def build_hits(matches, highlight, limit: int, collapse: bool, fragments: int,
               fragment_chars: int, offset: int = 0, of: int | None = None,
               checks=()) -> list[Hit]:
    """Hits `offset` to `offset + limit` with snippets from ranked `Match`es (copies folded
    when `collapse`). `of`: the query's plain-word count, when search.py counts words; a match
    without `matched` then has all of them. `checks`: the query's operators
    (query/operators.py Conditions); with a same-sentence or same-paragraph one, the snippet
    is the sentences (paragraph parts) where its words occur together."""
    from carinews.results.collapse import group_copies
    from carinews.results.snippets import highlight_text

    hits = []
    for best, *copies in group_copies(matches, offset + limit, collapse)[offset:]:
        doc = orjson.loads(best.doc)
        snippet = _snippet(doc["body"], highlight, fragments, fragment_chars, checks)
        hits.append(Hit(
            id=doc["id"], score=best.score, title=doc["title"],
            date=datetime.fromisoformat(doc["date"]) if doc.get("date") else None,
            date_inferred=bool(doc.get("date_inferred")),
            source=doc.get("source"), url=doc.get("url"),
            snippet=snippet.text, highlights=snippet.highlights,
            title_highlights=highlight_text(doc["title"], highlight),
            names=doc.get("names", [])[:5],
            duplicates=[_duplicate(c) for c in copies],
            matched=(best.matched or of) if of else None, of=of,
        ))
    return hits


def _snippet(body: str, highlight, fragments: int, fragment_chars: int, checks):
    from carinews.results.snippets import make_snippet, make_unit_snippet

    units = together_units(body, checks, highlight.stemmer, fragments) if fragments > 0 else []
    if units:
        return make_unit_snippet(body, units, highlight, fragment_chars=fragment_chars)
    return make_snippet(body, highlight, fragments=fragments, fragment_chars=fragment_chars)


def together_units(body: str, checks, stemmer: str, fragments: int) -> list[tuple[int, int]]:
    """The body spans a same-sentence/paragraph hit shows: the first sentence (shortest
    paragraph part) of each such operator where its words occur together, then the next
    ones in text order, `fragments` in all (more only when there are more operators).
    Empty when the words meet only in the title, or the query has no such operator."""
    from carinews.query.operators import relevant_part, together

    found = []
    for condition in (c for c in checks if c.kind in ("sentence", "paragraph")):
        spans = together(body, condition, stemmer)[:fragments]
        if condition.kind == "paragraph":
            spans = [relevant_part(body, span, condition, stemmer) for span in spans]
        found.append(spans)
    chosen = {spans[0] for spans in found if spans}
    for span in sorted(s for spans in found for s in spans):
        if len(chosen) >= fragments:
            break
        chosen.add(span)
    return sorted(chosen)


def _duplicate(match) -> Duplicate:
    doc = orjson.loads(match.doc)
    return Duplicate(id=doc["id"], source=doc.get("source"), url=doc.get("url"))
