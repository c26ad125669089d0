"""The Whoosh schema: which fields an article is indexed into, and how.

Steps: `build_schema(stemmer)` declares the fields; `article_fields(article)`
turns an Article into the dict a Whoosh writer takes. Every text field is
indexed twice: stemmed (default matching, any inflected form) and as the exact
case-folded surface form (quoted words and phrases).

SCHEMA_VERSION changes whenever a field or its analysis changes; an index built
with another version is refused (see archive.py), never read with wrong results.
"""

from __future__ import annotations

from datetime import timezone
from functools import lru_cache

from pickle import dumps

from whoosh import fields
from whoosh.formats import Positions
from whoosh.system import pack_uint

from carinews.analysis.terms import positions_many
from carinews.engines.prepare import date_state, month_of, source_terms, stored_fields  # noqa: F401 - public here too
from carinews.analysis.stem import STEMMERS  # noqa: F401 - one list, importable here too
from carinews.engines.whoosh.analyzers import ExactAnalyzer, StemmedAnalyzer
from carinews.ingest.articles import Article

SCHEMA_VERSION = "5"      # 5: duplicate sketches hashed with xxh3

# Field names used by query.py, search.py and the CLI's field aliases.
TEXT_FIELDS = ("title", "body")
EXACT_SUFFIX = "_exact"
TITLE_BOOST = 2.0


class Postings(tuple):
    """A text field's postings, analysed ahead of the writer: (term bytes, freq, weight, positions).

    Indexing analyses each text once for both its stemmed and exact fields
    (`positions_many`) and hands Whoosh finished postings, built in the worker
    processes that write the segments.
    """


class AnalyzedText(fields.TEXT):
    """TEXT that takes `Postings` as well as a string. Pickled into the index: keep the path."""

    def index(self, value, **kwargs):
        if isinstance(value, Postings):
            return iter(value)
        stemmer = getattr(self.analyzer, "stemmer", "none")
        return iter(grouped_postings(positions_many(value, (stemmer,))[0], self.format))


def grouped_postings(positions: dict[str, list[int]], fmt) -> Postings:
    """{term: [positions]} -> Postings in `fmt` (Whoosh's Positions encoding, done faster)."""
    boost = fmt.field_boost
    encode = encode_positions if type(fmt) is Positions else fmt.encode
    return Postings((text.encode("utf-8"), len(poses), len(poses) * boost, encode(poses))
                    for text, poses in positions.items())


_SINGLE_POSITIONS: dict[int, bytes] = {}


def encode_positions(positions: list[int]) -> bytes:
    """The bytes of `whoosh.formats.Positions.encode` (a count, then the pickled deltas).

    Most terms occur once in an article, so single positions are memoised.
    """
    if len(positions) == 1:
        pos = positions[0]
        found = _SINGLE_POSITIONS.get(pos)
        if found is None:
            found = _SINGLE_POSITIONS[pos] = pack_uint(1) + dumps([pos], 2)
        return found
    deltas = [positions[0]] + [b - a for a, b in zip(positions, positions[1:])]
    return pack_uint(len(deltas)) + dumps(deltas, 2)


def build_schema(stemmer: str = "sastrawi") -> fields.Schema:
    stemmed = StemmedAnalyzer(stemmer=stemmer)
    exact = ExactAnalyzer()
    return fields.Schema(
        key=fields.ID(unique=True, stored=True, sortable=True),
        id=fields.ID(stored=True),
        url=fields.ID,
        source=fields.KEYWORD(lowercase=True, scorable=True),
        outlet=fields.ID(sortable=True),
        title=AnalyzedText(analyzer=stemmed, phrase=True, field_boost=TITLE_BOOST),
        title_exact=AnalyzedText(analyzer=exact, phrase=True, field_boost=TITLE_BOOST),
        body=AnalyzedText(analyzer=stemmed, phrase=True),
        body_exact=AnalyzedText(analyzer=exact, phrase=True),
        names=AnalyzedText(analyzer=exact, phrase=True),
        author=fields.TEXT(analyzer=exact),
        section=fields.KEYWORD(lowercase=True, commas=True),
        date=fields.DATETIME(sortable=True, stored=True),
        month=fields.ID(sortable=True),
        dup=fields.ID(stored=True),
        sketch=fields.STORED,
        hash=fields.ID(stored=True),
        raw=fields.ID,                       # raw digest of the record read (re-index skip)
        state=fields.ID(sortable=True),      # dated / inferred / undated, as a column
        doc=fields.STORED,
    )


@lru_cache(maxsize=None)
def _formats(stemmer: str) -> dict:
    schema = build_schema(stemmer)
    return {name: schema[name].format for name in schema.names()}


def article_fields(article: Article, content_hash: str, stemmer: str = "sastrawi") -> dict:
    """The writer's field dict for one article (names already extracted), text pre-analysed."""
    formats = _formats(stemmer)
    doc = stored_fields(article, content_hash)
    if article.raw_hash:
        doc["raw"] = article.raw_hash
    if article.url_key:
        doc["url"] = article.url_key
    if article.source:
        doc["source"] = source_terms(article.source)
        doc["outlet"] = article.source.lower()
    for name, text in (("title", article.title), ("body", article.body)):
        stemmed, exact = positions_many(text, (stemmer, "none"))
        doc[name] = grouped_postings(stemmed, formats[name])
        doc[name + EXACT_SUFFIX] = grouped_postings(exact, formats[name + EXACT_SUFFIX])
    if article.names:
        doc["names"] = grouped_postings(positions_many("\n".join(article.names), ("none",))[0],
                                        formats["names"])
    if article.author:
        doc["author"] = article.author
    if article.section:
        doc["section"] = article.section.replace(",", " ")
    if article.date is not None:
        doc["date"] = article.date.astimezone(timezone.utc).replace(tzinfo=None)
        doc["month"] = month_of(article)
    return doc

