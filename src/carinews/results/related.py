"""Related articles: the articles most like one article by content, its copies apart.

Steps, the same for every engine:

1. `pick_names`: the article's names (analysis/names.py, stored at index time), each
   once however cased, outlet names and (in a large enough index) names in the names of
   more than MAX_DF_SHARE of the articles left out, the first MAX_NAMES of them.
2. `pick_terms`: the stored title and body analysed with carinews's own analysis
   (analysis/terms.py, the index's stemmer); each term weighed tf-idf, document
   frequencies from the engine (`Engine.document_frequencies`), a title occurrence
   counting TITLE_WEIGHT body ones. Left out: the words of the picked names (they count
   through the names), stopwords (data/related_stopwords.txt, stemmed like the text),
   numbers and one-letter terms, terms no other article has, and in an index of at least
   MIN_ARTICLES_FOR_SHARE articles those in more than MAX_DF_SHARE of them. The best
   MAX_TERMS are kept.
3. `related_plan`: an `Or` (query/plan.py) of `Term` nodes on `title` and `body`, of each
   whole name (`Phrase` on `names`) and of each name word on `names` (so "Prabowo" among
   another article's names counts, a whole name more, a common name word little).
4. The engine ranks the best RELATED_WINDOW matches; the article itself is left out;
   a match that copies it (results/collapse.py `copies_of`: similar sketch, or the
   same exact-lead key) is reported as a copy, not as related; the other matches
   are grouped by copies as search hits are, each copy listed under its group;
   a group sharing fewer than MIN_SHARED names and words with the source is dropped.
5. `shared_with`: each related article's stored title and body analysed again, to
   say which of the picked names (whole, or the words of one its names have) and words
   (outside its own names) it shares with the source: the "why".
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import islice
from importlib.resources import files

import orjson

from carinews.analysis.names import is_common_word
from carinews.query import plan

TITLE_WEIGHT = 3            # a title word says more about the story than a body word
MAX_TERMS = 25
MAX_NAMES = 10
MAX_DF_SHARE = 0.2          # a term in more than a fifth of the articles is not a topic
MIN_ARTICLES_FOR_SHARE = 100  # below that, document frequencies are too few to call a term common
RELATED_WINDOW = 60
MIN_SHARED = 2              # one shared word ("pertama") does not make two stories related
MAX_LIMIT = 100
STOPWORDS_FILE = "related_stopwords.txt"


@dataclass
class RelatedHit:
    id: str
    score: float | None
    title: str
    date: datetime | None
    source: str | None
    url: str | None
    shared_names: list[str]
    shared_words: list[str]
    copies: list[dict] = field(default_factory=list)   # {id, source, url} of its own copies

    def to_dict(self) -> dict:
        return {"id": self.id, "score": None if self.score is None else round(self.score, 4),
                "title": self.title, "date": self.date.isoformat() if self.date else None,
                "source": self.source, "url": self.url, "shared_names": self.shared_names,
                "shared_words": self.shared_words, "copies": self.copies}


@dataclass
class RelatedResult:
    id: str
    title: str
    words: list[str]            # the picked words (not words of its names), best first, as written
    names: list[str]            # the picked names
    hits: list[RelatedHit]
    copies: list[dict]          # {id, title, source, url}: near-copies of the article
    took_ms: float = 0.0

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "words": self.words, "names": self.names,
                "took_ms": round(self.took_ms, 2), "related": [h.to_dict() for h in self.hits],
                "copies": self.copies}


# 1. Terms ---------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def stopword_terms(stemmer: str) -> frozenset[str]:
    """The stopword list's words as index terms of `stemmer` (surface and stemmed forms)."""
    from carinews.analysis.terms import analyze

    text = (files("carinews") / "data" / STOPWORDS_FILE).read_text(encoding="utf-8")
    words = " ".join(line for line in text.splitlines() if not line.startswith("#"))
    return frozenset(t.text for t in analyze(words, stemmer, mode="query")) | frozenset(
        t.text for t in analyze(words, "none", mode="query"))


def count_terms(title: str, body: str, stemmer: str) -> tuple[Counter, dict[str, str]]:
    """(term -> weighted count, term -> the first surface form the article writes for it)."""
    from carinews.analysis.terms import analyze

    counts: Counter = Counter()
    surface: dict[str, str] = {}
    for text, weight in ((title, TITLE_WEIGHT), (body, 1)):
        for term in analyze(text, stemmer, mode="query"):
            counts[term.text] += weight
            surface.setdefault(term.text, text[term.startchar:term.endchar].lower())
    return counts, surface


def _candidate(term: str, stop: frozenset[str]) -> bool:
    return (len(term) > 1 and term not in stop and any(c.isalpha() for c in term)
            and not _outlet(term))


def pick_terms(engine, title: str, body: str, stemmer: str,
               names: list[str] = ()) -> list[tuple[str, float]]:
    """The article's MAX_TERMS best (term, tf-idf weight), best first, words of `names` left
    to the names (see the module docstring)."""
    counts, _ = count_terms(title, body, stemmer)
    stop = stopword_terms(stemmer) | name_words(names, stemmer)
    terms = [t for t in counts if _candidate(t, stop)]
    articles = max(engine.doc_count(), 1)
    freqs = engine.document_frequencies("body", terms)
    title_freqs = engine.document_frequencies("title", terms)
    weighted = []
    for term in terms:
        df = max(freqs.get(term, 0), title_freqs.get(term, 0))
        if df <= 1:
            continue            # only this article has it: it relates to nothing
        if articles >= MIN_ARTICLES_FOR_SHARE and df > MAX_DF_SHARE * articles:
            continue
        weighted.append((term, (1 + math.log(counts[term])) * math.log(1 + articles / df)))
    weighted.sort(key=lambda tw: (-tw[1], tw[0]))
    return weighted[:MAX_TERMS]


# 2-3. Names and the plan ------------------------------------------------------------------


def name_terms(name: str) -> tuple[str, ...]:
    """A name's terms in the `names` field (exact, case-folded)."""
    return _terms(name, "none")


@lru_cache(maxsize=65536)
def _terms(text: str, stemmer: str) -> tuple[str, ...]:
    """`text`'s query terms; cached, as the same names come back in article after article."""
    from carinews.analysis.terms import analyze

    return tuple(t.text for t in analyze(text, stemmer, mode="query"))


def name_words(names: list[str], stemmer: str) -> set[str]:
    """The title/body terms of `names` (exact and stemmed)."""
    return {t for n in names for s in ("none", stemmer) for t in _terms(n, s)}


def pick_names(engine, names: list[str]) -> list[str]:
    """The first MAX_NAMES names, each once however cased ("Malang", "MALANG" from a
    dateline), outlet names ("WARTAKOTALIVE.COM") left out, and in an index of at least
    MIN_ARTICLES_FOR_SHARE articles those whose rarest word is among the names of more than
    MAX_DF_SHARE of them (the datelines' "Jakarta", "Indonesia")."""
    picked: dict[tuple[str, ...], str] = {}
    for name in names:
        parts = name_terms(name)
        if parts and parts not in picked and not _outlet(name):
            picked[parts] = name
    articles = engine.doc_count()
    if articles >= MIN_ARTICLES_FOR_SHARE:
        freqs = engine.document_frequencies("names", [w for parts in picked for w in parts])
        picked = {parts: name for parts, name in picked.items()
                  if min(freqs.get(w, 0) for w in parts) <= MAX_DF_SHARE * articles}
    return list(picked.values())[:MAX_NAMES]


def _outlet(name: str) -> bool:
    return any(name.lower().endswith(tail) for tail in (".com", ".co.id", ".id", ".net"))


def related_plan(terms: list[str], names: list[str]) -> plan.Node:
    """Any of the terms in the title or body, or any of the names: a whole name, or one of
    its words among another article's names ("Prabowo" of "Prabowo Subianto", not the
    dictionary word "Kabupaten" of "Kabupaten Malang"), so that a full name counts above
    one of its words and a frequent name word (its idf) little."""
    nodes: list[plan.Node] = []
    for term in terms:
        nodes += [plan.Term("title", term), plan.Term("body", term)]
    words: dict[str, None] = {}
    for name in names:
        parts = name_terms(name)
        if len(parts) > 1:
            nodes.append(plan.Phrase("names", parts))
            words.update(dict.fromkeys(w for w in parts if not is_common_word(w)))
        else:
            words[parts[0]] = None
    nodes += [plan.Term("names", word) for word in words]
    return plan.Or(tuple(nodes)) if nodes else plan.Nothing()


# 4-5. Ranking, copies, the why -------------------------------------------------------------


def find_related(archive, article_id: str, limit: int = 10) -> RelatedResult:
    """The articles most like `article_id`'s (see the module docstring); unknown id:
    ArticleNotFoundError."""
    from carinews.analysis.sketches import make_sketch
    from carinews.engines.base import Match
    from carinews.errors import ArticleNotFoundError, SearchOptionError
    from carinews.results.collapse import copies_of, group_copies

    start = time.perf_counter()
    if not 0 < limit <= MAX_LIMIT:
        raise SearchOptionError("limit", limit, f"limit must be between 1 and {MAX_LIMIT}")
    article = archive.get(article_id)
    if article is None:
        raise ArticleNotFoundError(article_id, str(archive.path))
    engine = archive.engine
    names = pick_names(engine, article.names)
    weighted = pick_terms(engine, article.title, article.body, archive.stemmer, names)
    terms = [t for t, _ in weighted]
    ranked = engine.search(related_plan(terms, names), limit=max(RELATED_WINDOW, limit * 5))
    source = Match(doc="", dup=article.dup_key or article.key, sketch=make_sketch(article.body),
                   date=None, score=None)
    others, copies = [], []
    for match in ranked.matches:
        doc = orjson.loads(match.doc)
        if _key(doc) == article.key:
            continue
        if copies_of(source, match):
            copies.append({"id": doc["id"], "title": doc["title"], "source": doc.get("source"),
                           "url": doc.get("url")})
        else:
            others.append(match)
    _, surface = count_terms(article.title, article.body, archive.stemmer)
    inflected = {t for t in terms if name_terms(surface[t]) != (t,)}
    made = (_hit(group, terms, names, surface, archive.stemmer, inflected)
            for group in group_copies(others, len(others), True))
    hits = list(islice((h for h in made if len(h.shared_names) + len(h.shared_words) >= MIN_SHARED),
                       limit))
    result = RelatedResult(id=article.id, title=article.title, words=[surface[t] for t in terms],
                           names=names, hits=hits, copies=copies)
    result.took_ms = (time.perf_counter() - start) * 1000
    return result


def _key(doc: dict) -> str:
    return doc.get("url_key") or ("id:" + doc["id"])


def _hit(group, terms: list[str], names: list[str], surface: dict[str, str], stemmer: str,
         inflected: set[str]) -> RelatedHit:
    best, *copies = group
    doc = orjson.loads(best.doc)
    shared_names, shared_words = shared_with(doc, terms, names, stemmer, inflected)
    return RelatedHit(
        id=doc["id"], score=best.score, title=doc["title"],
        date=datetime.fromisoformat(doc["date"]) if doc.get("date") else None,
        source=doc.get("source"), url=doc.get("url"), shared_names=shared_names,
        shared_words=[surface[t] for t in shared_words],
        copies=[_copy(c) for c in copies])


def _copy(match) -> dict:
    doc = orjson.loads(match.doc)
    return {"id": doc["id"], "source": doc.get("source"), "url": doc.get("url")}


def shared_with(doc: dict, terms: list[str], names: list[str], stemmer: str,
                inflected: set[str] = frozenset()) -> tuple[list[str], list[str]]:
    """(the picked names `doc` has too: whole or as the words of it its names have, or
    else all of a name's words in its text; and
    the picked terms its title or body has, but for `inflected` ones (stems the source wrote
    in another form) it has only inside its names), in pick order."""
    counts, _ = count_terms(doc["title"], doc["body"], stemmer)
    theirs = {name_terms(n) for n in doc.get("names", [])}
    their_words = {w for parts in theirs for w in parts}
    shared_names, covered = [], set()
    for name in names:
        parts = name_terms(name)
        if parts in theirs:
            shared_names.append(name)
        elif left := {w for w in their_words.intersection(parts) - covered if not is_common_word(w)}:
            shared_names.append(_words_of(name, left))      # "OJK" of "OJK Periode", once
        elif not all(map(is_common_word, parts)) and _written_in(name, counts, stemmer):
            shared_names.append(name)       # in its text, not among its extracted names
        covered.update(parts)
    # A stem the source wrote inflected ("menengah") that the other has only as a word of a
    # name ("Lampung Tengah") is no shared word; "ganjil" of its name "Ganjil Genap" is.
    inside_names = name_words(doc.get("names", []), stemmer) & inflected
    return shared_names, [t for t in terms if t in counts and t not in inside_names]


def _written_in(name: str, counts: Counter, stemmer: str) -> bool:
    return all(t in counts for t in _terms(name, stemmer))


def _words_of(name: str, words: set[str]) -> str:
    """The words of `name` (as written) that are in `words`: "Prabowo" of "Prabowo Subianto"."""
    from carinews.analysis.terms import analyze

    return " ".join(name[t.startchar:t.endchar] for t in analyze(name, "none", mode="query")
                    if t.text in words)
