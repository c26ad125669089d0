"""What a reader of the archive needs beyond one page of hits: every match, an
article's matches, an article's copies. Engine-neutral: plans and the Engine
interface only (engines/base.py).

Steps, in file order:

1. `iter_matches` ranks the articles matching a query (the same query, relaxation
   and ranking as `run_search`, without collapsing or snippets), up to a bound,
   for exports and feeds. The ranking is taken when it is called, so iterating
   it later (while the archive serves other requests, or after a commit) yields
   the state committed then.
2. `highlight_article` gives the spans of a query's matches in an article's
   whole title and body (the article page marks every match, not a snippet's).
3. `find_copies` lists the articles that are copies of one article (syndicated
   or near-identical: the test search collapses by), looked for among the best
   matches for its title's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import orjson

from carinews.errors import SearchOptionError
from carinews.ingest.articles import Article

MAX_MATCHES = 10_000
COPY_CANDIDATES = 50


# -- 1. every match ---------------------------------------------------------------

@dataclass
class Matches:
    """`total` matching articles; iterate for the first `limit` of them as Articles."""

    total: int
    relaxed: bool
    _matches: list

    def __iter__(self) -> Iterator[Article]:
        for match in self._matches:
            yield Article.from_dict(orjson.loads(match.doc))


def iter_matches(archive, text: str, *, sort: str = "-date", since: str | None = None,
                 until: str | None = None, limit: int = MAX_MATCHES,
                 strict: bool = False, aliases: bool = True, alias_files=()) -> Matches:
    """The articles matching `text`, best (or newest, oldest) first, at most `limit`."""
    from carinews.engines.base import SORTS
    from carinews.query.parse import parse_query
    from carinews.search import expansions, rank

    if sort not in SORTS:
        raise SearchOptionError("sort", sort, f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}",
                                SORTS)
    if not 0 < limit <= MAX_MATCHES:
        raise SearchOptionError("limit", limit, f"limit must be between 1 and {MAX_MATCHES}")
    parsed = parse_query(text, stemmer=archive.stemmer, strict=strict, since=since, until=until,
                         **expansions(archive, aliases, alias_files))
    ranked, relaxed = rank(archive.engine, parsed, limit, sort)
    return Matches(total=ranked.total, relaxed=relaxed, _matches=ranked.matches)


# -- 2. an article's matches ---------------------------------------------------------

def highlight_article(archive, article: Article, text: str, *, aliases: bool = True,
                      alias_files=()):
    """(title spans, body spans) of `text`'s matches in the whole article; str indices."""
    from carinews.query.parse import parse_query
    from carinews.results.snippets import highlight_text
    from carinews.search import expansions

    terms = parse_query(text, stemmer=archive.stemmer,
                        **expansions(archive, aliases, alias_files)).highlight
    return highlight_text(article.title, terms), highlight_text(article.body, terms)


# -- 3. an article's copies --------------------------------------------------------------

_WORD = re.compile(r"\w+")


def find_copies(archive, article: Article, *, limit: int = 20) -> list[Article]:
    """Other articles that are copies of `article`, by the test `search` collapses by."""
    from carinews.analysis.sketches import make_sketch
    from carinews.engines.base import Match
    from carinews.query.parse import parse_query
    from carinews.results.collapse import copies_of
    from carinews.search import rank

    words = " ".join(w.lower() for w in _WORD.findall(article.title)[:30])
    if not words:
        return []
    parsed = parse_query(words, stemmer=archive.stemmer)
    if parsed.relaxed is not None:       # any of the title's words, best first
        parsed.query, parsed.relaxed = parsed.relaxed, None
    ranked, _ = rank(archive.engine, parsed, COPY_CANDIDATES)
    leader = Match(doc="", dup=article.dup_key or article.key, sketch=make_sketch(article.body),
                   date=None, score=None)
    copies = []
    for match in ranked.matches:
        other = Article.from_dict(orjson.loads(match.doc))
        if other.key != article.key and copies_of(leader, match):
            copies.append(other)
    return copies[:limit]
