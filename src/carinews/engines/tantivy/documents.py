"""Article -> one tantivy JSON document, with carinews's own terms and positions.

Steps of `document_json(article, content_hash, stemmer, folder)` (names already
extracted, engines/prepare.py):

1. the keyword fields as plain strings (tantivy's `raw` tokenizer makes each one
   term), `source` as a list of its terms, `section` as Whoosh's comma keyword
   analyser leaves it (one stripped, lower-cased term);
2. each text field analysed once for its stemmed and exact forms
   (`streams_many`, analysis/terms.py) and written by `text_value` so that
   tantivy indexes exactly carinews's positions, the parts of a compound
   (`covid` and `19` of `Covid-19`) at the compound's position;
3. the date in UTC (clamped to the years tantivy's dates can hold) for windows
   and sorting, and the two stored fields (stored.py): the compressed Article
   and its `meta` (exact date, sketch, content hash, duplicate key).

How a text field is written (`text_value`). tantivy-py takes positions only as
pre-tokenised strings, whose tokens it parses from JSON one object at a time:
for a whole article that costs several times the indexing itself. So most terms
go as plain text, split by the field's `TOKENIZER` (whitespace, which numbers
words 0, 1, 2, ...), and only the terms that occur as a compound part anywhere
in the field (every occurrence of them, so each term's positions arrive in
order) go as pre-tokenised tokens, in a first value of the field, their places
in the text held by `FILLER`, which the tokenizer's stop filter drops without
renumbering. tantivy starts a field's next value at the previous value's end
position + 1, and a token's end is position + position_length in u32
arithmetic, which wraps in its release builds: each pre-tokenised token gets
the length that brings its end back to 0, so the text starts at position 1,
and a part of the compound at text position p is given position 1 + p. A text
whose terms the tokenizer would split or drop (ASCII whitespace, `FILLER`) goes
wholly as tokens. tests/test_tantivy_engine.py checks compounds in words and
phrases against the Whoosh engine; pyproject pins tantivy to the tested minor.

Why one JSON string: documents are built in forked worker processes, and a
string is the cheapest thing to send back to the parent, where
`IndexWriter.add_json` parses it in Rust without holding the GIL.
"""

from __future__ import annotations

import base64
import re
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import orjson
import tantivy

from carinews.analysis.sketches import make_sketch
from carinews.analysis.terms import Stream, streams_many
from carinews.engines.prepare import date_state, month_of, source_terms
from carinews.engines.tantivy.stored import pack_doc, pack_meta

if TYPE_CHECKING:  # the ingest stage loads only when an index is written
    from carinews.ingest.articles import Article

_KEYWORD_SPLIT = re.compile(r"[^ \t\r\n]+")       # Whoosh's KEYWORD tokenizer


def document_json(article: Article, content_hash: str, stemmer: str, folder: str) -> str:
    """The tantivy JSON document of one article (see the module docstring); `folder` is
    the index's, whose dictionary compresses the stored article."""
    record = article.to_dict()
    doc = {
        "key": article.key,
        "id": article.id,
        "hash": content_hash,
        "state": date_state(article),
        "doc": _b64(pack_doc(folder, record)),
        "meta": _b64(pack_meta(content_hash, article.date, article.dup_key or article.key,
                               make_sketch(article.body))),
    }
    if article.raw_hash:
        doc["raw"] = article.raw_hash
    if article.url_key and article.url_key.startswith(ID_PREFIX):
        doc["url"] = article.url_key           # else `url:` queries read `key` (compile.py)
    if article.source:
        doc["source"] = _KEYWORD_SPLIT.findall(source_terms(article.source))
        doc["outlet"] = article.source.lower()
    if article.section:
        section = article.section.replace(",", " ").strip().lower()
        if section:
            doc["section"] = section
    if article.date is not None:
        doc["date"] = utc_date(article.date).isoformat()
        doc["month"] = month_of(article)
    texts = []
    for name, text in (("title", article.title), ("body", article.body)):
        stemmed, exact = streams_many(text, (stemmer, "none"))
        texts += [(name, stemmed), (name + "_exact", exact)]
    if article.names:
        texts.append(("names", streams_many("\n".join(article.names), ("none",))[0]))
    if article.author:
        texts.append(("author", streams_many(article.author, ("none",))[0]))
    head = orjson.dumps(doc).decode()
    parts = [f',"{name}":{text_value(stream)}' for name, stream in texts if stream.words]
    return head[:-1] + "".join(parts) + "}"


ID_PREFIX = "id:"               # the key of an article without a URL


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


FILLER = "\x00"
TOKENIZER = "carinews"        # whitespace, then FILLER dropped (schema.term_tokenizer)
_SPLIT_BY_TOKENIZER = re.compile(r"[\x00\t\n\x0c\r]")   # besides the space
_WRAP = 1 << 32


def text_value(stream: Stream) -> str:
    """One text field's value as JSON: plain text, or pre-tokenised terms + text."""
    words, parts = stream
    text = " ".join(words)
    if text.count(" ") != len(words) - 1 or _SPLIT_BY_TOKENIZER.search(text) or "" in words:
        return pre_tokenized(_positions(words, parts, range(len(words))), 0)
    if not parts:
        return orjson.dumps(text).decode()
    tokened = {term for term, _ in parts}
    held = [FILLER if word in tokened else word for word in words]
    places = [pos for pos, word in enumerate(held) if word is FILLER]
    text = " ".join(held)
    return f"[{pre_tokenized(_positions(words, parts, places), 1)},{orjson.dumps(text).decode()}]"


def _positions(words: list[str], parts: list[tuple[str, int]], places) -> dict[str, list[int]]:
    """{term: sorted positions} of the words at `places` and of the parts."""
    table: dict[str, list[int]] = {}
    for pos in places:
        table.setdefault(words[pos], []).append(pos)
    for term, pos in parts:
        table.setdefault(term, []).append(pos)
    for positions in table.values():
        positions.sort()
    return table


def pre_tokenized(table: dict[str, list[int]], shift: int) -> str:
    """{term: [positions]} -> a tantivy pre-tokenised string, as JSON; with `shift` 1 the
    positions move up by one and every token ends at 0 (see the module docstring)."""
    tokens = []
    for term, positions in table.items():
        text = orjson.dumps(term).decode()
        for pos in positions:
            length = _WRAP - pos - shift if shift else 1
            tokens.append(f'{{"offset_from":0,"offset_to":0,"position":{pos + shift},'
                          f'"position_length":{length},"text":{text}}}')
    return '{"text":"","tokens":[' + ",".join(tokens) + "]}"


def utc_date(value: datetime) -> datetime:
    """`value` in UTC, clamped to the instants tantivy's dates hold (1677-09-21 .. 2262-04-11)."""
    return min(max(value, tantivy.MIN_DATETIME), tantivy.MAX_DATETIME).astimezone(timezone.utc)
