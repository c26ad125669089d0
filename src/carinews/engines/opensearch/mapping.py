"""How an article is stored in OpenSearch: index settings, the field mapping, the document.

Steps, in file order:

1. Term encoding. carinews's own analysis (analysis/terms.py) gives each text field its
   terms and positions; OpenSearch only has to keep them. A text is sent as one token per
   position, separated by spaces, and the terms that share a position (a compound and its
   parts: `covid-19`, `covid`, `19`) are joined by `|` inside their token. The index
   analyzer `carinews_stacked` (whitespace tokenizer + a `pattern_capture` filter that
   splits a token at `|` without moving the position) turns that back into exactly
   carinews's terms and positions; `tests/test_opensearch_engine.py` checks it with
   `_analyze`. Queries send terms, never text, through `carinews_terms` (whitespace only).
   The few characters these analyzers treat as separators (whitespace, `|`) and the escape
   character `%` are written as `%XXXX;` in a term, at index and at query time alike, and a
   term is cut at MAX_TERM_CHARS so that Lucene never meets a term it refuses.
2. `index_body(shards, replicas, stemmer)`: settings and mapping. Text fields (stemmed
   `title`/`body`, exact `title_exact`/`body_exact`/`names`/`author`) use those analyzers;
   identity and facet fields are keywords; `source` and `section` are keyword lists made
   the way the Whoosh schema tokenises them; `date` is a date (stored in UTC); `doc` (the
   stored Article as JSON) and `sketch` are kept in `_source` only, never indexed. The
   versions of this mapping and of the analysis are recorded in the mapping's `_meta`.
   `title_words`/`body_words` repeat each article's distinct exact terms as doc
   values, for the vocabulary with document frequencies (a terms aggregation).
3. `article_source(article, content_hash, stemmer)`: one article as its document, and
   `article_terms` the terms of its pattern fields (for the lexicon, lexicon.py).
"""

from __future__ import annotations

import hashlib
import re
from datetime import timezone

from carinews.analysis.terms import EXACT, positions_many
from carinews.engines.prepare import month_of, source_terms, stored_fields

MAPPING_VERSION = "2"    # 2: title_words/body_words (the vocabulary for "did you mean")

# Fields, in plan terms (query/plan.py) plus the ones only the engine reads.
TEXT_FIELDS = ("title", "body", "title_exact", "body_exact", "names", "author")
KEYWORD_FIELDS = ("key", "id", "url", "source", "section", "outlet", "month", "dup", "hash",
                  "raw", "state")
FIELD_BOOSTS = {"title": 2.0, "title_exact": 2.0}   # the title weighted twice, as in Whoosh
WORD_FIELDS = {"title_exact": "title_words", "body_exact": "body_words"}   # see index_body
PATTERN_FIELDS = ("title_exact", "body_exact", "names", "author", "source", "section", "url")

STACKED_ANALYZER = "carinews_stacked"
TERMS_ANALYZER = "carinews_terms"
STACK = "|"
EMPTY_POSITION = "%"          # a position whose only term is empty: no query term encodes to it
MAX_TERM_CHARS = 8191         # 4 bytes a character at most: below Lucene's 32,766-byte term limit
MAX_STACK_CHARS = 1_000_000   # below the tokenizer's 1,048,576-character token limit
MAX_TOKEN_LENGTH = 1_048_576
MAX_ID_BYTES = 512            # OpenSearch's limit on a document id
MAX_RESULT_WINDOW = 50_000    # search.py asks for up to 5 x its 10,000-hit limit

# 1. Term encoding ---------------------------------------------------------------------------

# Java's Character.isWhitespace (the whitespace tokenizer's separators), Python's str.isspace,
# the stack separator and the escape character itself.
_SPECIAL = re.compile(r"[%|\s\u001c-\u001f\u1680\u2000-\u200a\u2028\u2029\u205f\u3000]")
_ESCAPED = re.compile(r"%([0-9A-F]{4,6});")


def encode_term(term: str) -> str:
    """`term` as OpenSearch indexes it: separators escaped, cut at MAX_TERM_CHARS."""
    if len(term) > MAX_TERM_CHARS:
        term = term[:MAX_TERM_CHARS]
    if not term:
        return EMPTY_POSITION
    if _SPECIAL.search(term) is None:
        return term
    return _SPECIAL.sub(lambda m: f"%{ord(m.group()):04X};", term)


def decode_term(term: str) -> str:
    """The term `encode_term` was given (up to MAX_TERM_CHARS)."""
    if "%" not in term:
        return term
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), term)


def stacked_text(positions: dict[str, list[int]]) -> str:
    """{term: [positions]} (analysis.terms.positions_many) -> the text `carinews_stacked`
    analyses back into those terms at those positions."""
    if not positions:
        return ""
    last = max(poses[-1] for poses in positions.values())
    slots: list = [None] * (last + 1)
    for term, poses in positions.items():
        encoded = encode_term(term)
        for pos in poses:
            held = slots[pos]
            if held is None:
                slots[pos] = encoded
            elif len(held) + len(encoded) < MAX_STACK_CHARS:
                slots[pos] = held + STACK + encoded
    return " ".join(slot or EMPTY_POSITION for slot in slots)


# 2. Settings and mapping --------------------------------------------------------------------

def analysis_settings() -> dict:
    return {
        "tokenizer": {"carinews_whitespace": {"type": "whitespace",
                                              "max_token_length": MAX_TOKEN_LENGTH}},
        "filter": {"carinews_unstack": {"type": "pattern_capture", "preserve_original": False,
                                        "patterns": [f"([^{re.escape(STACK)}]+)"]}},
        "analyzer": {
            STACKED_ANALYZER: {"type": "custom", "tokenizer": "carinews_whitespace",
                               "filter": ["carinews_unstack"]},
            TERMS_ANALYZER: {"type": "custom", "tokenizer": "carinews_whitespace"},
        },
    }


def index_meta(stemmer: str, alias: str, role: str = "articles") -> dict:
    from carinews.analysis import ANALYSIS_VERSION

    return {"carinews": {"role": role, "alias": alias, "mapping_version": MAPPING_VERSION,
                         "analysis_version": ANALYSIS_VERSION, "stemmer": stemmer}}


def index_body(shards: int, replicas: int, stemmer: str, alias: str) -> dict:
    """The body of the create-index request for an article index."""
    text = {"type": "text", "analyzer": STACKED_ANALYZER, "search_analyzer": TERMS_ANALYZER}
    properties = {name: dict(text) for name in TEXT_FIELDS}
    properties.update({name: {"type": "keyword"} for name in KEYWORD_FIELDS})
    properties["date"] = {"type": "date", "format": "strict_date_optional_time||epoch_millis"}
    properties["doc"] = {"type": "keyword", "index": False, "doc_values": False}
    properties["sketch"] = {"type": "object", "enabled": False}
    # Each article's distinct exact terms again, as doc values only: OpenSearch lists no
    # text field's terms with their document frequencies, a terms aggregation over these
    # does (Engine.vocabulary, for "did you mean"). Not kept in _source.
    properties.update({words: {"type": "keyword", "index": False, "doc_values": True}
                       for words in WORD_FIELDS.values()})
    return {
        "settings": {"index": {
            "number_of_shards": shards, "number_of_replicas": replicas,
            "refresh_interval": "-1",            # visible at each commit, as in Whoosh
            "max_result_window": MAX_RESULT_WINDOW, "max_rescore_window": MAX_RESULT_WINDOW,
            "analysis": analysis_settings(),
        }},
        "mappings": {"dynamic": "strict", "_meta": index_meta(stemmer, alias),
                     "_source": {"excludes": list(WORD_FIELDS.values())},
                     "properties": properties},
    }


# 3. An article as a document ----------------------------------------------------------------

def doc_id(key: str) -> str:
    """The document id of the article with this key: the key itself (idempotent re-sends),
    or a digest of it when it is longer than OpenSearch allows or not valid UTF-8."""
    try:
        raw = key.encode("utf-8")
    except UnicodeEncodeError:
        raw = key.encode("utf-8", "surrogatepass")
    else:
        if len(raw) <= MAX_ID_BYTES:
            return key
    return "blake2b:" + hashlib.blake2b(raw, digest_size=20).hexdigest()


def source_keywords(source: str | None) -> list[str]:
    """`source` values as the Whoosh schema indexes them: whitespace-separated, lower case
    (`kompas.com` -> `kompas.com`, `kompas`)."""
    return re.findall(r"[^ \t\r\n]+", source_terms(source).lower())


def section_keywords(section: str | None) -> list[str]:
    """`section` as the Whoosh schema indexes it (commas made spaces, then one stripped,
    lower-cased keyword), none when that is empty."""
    value = (section or "").replace(",", " ").strip().lower()
    return [value] if value else []


def article_source(article, content_hash: str, stemmer: str) -> tuple[dict, dict[str, list[str]]]:
    """(the document of `article`, names already extracted; the terms of its pattern fields).

    Raises orjson.JSONEncodeError (lone surrogates) or RecursionError (deep `extra`) when
    the article cannot be stored as JSON; the writer then stores a JSON-safe copy.
    """
    doc = stored_fields(article, content_hash)
    doc["doc"] = doc["doc"].decode()
    terms: dict[str, list[str]] = {}
    if article.raw_hash:
        doc["raw"] = article.raw_hash
    if article.url_key:
        doc["url"] = article.url_key
        terms["url"] = [article.url_key]
    if article.source:
        doc["source"] = terms["source"] = source_keywords(article.source)
        doc["outlet"] = article.source.lower()
    if article.section:
        doc["section"] = terms["section"] = section_keywords(article.section)
    for name, text in (("title", article.title), ("body", article.body)):
        stemmed, exact = positions_many(text, (stemmer, EXACT))
        doc[name] = stacked_text(stemmed)
        doc[name + "_exact"] = stacked_text(exact)
        doc[WORD_FIELDS[name + "_exact"]] = [encode_term(term) for term in exact]
        terms[name + "_exact"] = list(exact)
    for name, text in (("names", "\n".join(article.names)), ("author", article.author)):
        if text:
            exact = positions_many(text, (EXACT,))[0]
            doc[name] = stacked_text(exact)
            terms[name] = list(exact)
    if article.date is not None:
        doc["date"] = article.date.astimezone(timezone.utc).isoformat()
        doc["month"] = month_of(article)
    return doc, terms
