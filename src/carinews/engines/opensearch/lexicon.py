"""Each pattern field's index terms, kept beside an article index: bounded pattern expansion.

Why: a prefix, wildcard or fuzzy word may stand for at most MAX_EXPANSIONS index terms
(query/plan.py), as in Whoosh, which lists the matching terms of its lexicon before it
searches. OpenSearch has no term-listing API (`_terms_enum` is an Elasticsearch X-Pack
feature), and its own multi-term queries either expand silently without bound or keep the
best N terms without saying there were more. So the writer records every term of the
pattern fields (PATTERN_FIELDS: the exact text fields and the keyword fields a pattern can
name) as one small document in a lexicon index, `<index>-lexicon`, before it writes the
articles that hold them; a pattern is expanded by a query on that index, which returns the
matching terms (at most MAX_EXPANSIONS + 1, so "more than" is known), and then searched as
a `terms` query over exactly those terms.

Steps: `lexicon_body` (settings and mapping), `entry_actions` (bulk actions for new terms,
`create` so an existing entry is left alone), `expand(client, lexicon, node, query_text)`.

Like Lucene's and Whoosh's own term dictionaries, the lexicon keeps a term after the last
article holding it is replaced, until the next rebuild. Fuzzy words match by Levenshtein
distance with the first letter fixed, as Whoosh's automaton does (a transposition is two
edits); OpenSearch's `fuzzy` query finds the candidates and `levenshtein` checks each.
"""

from __future__ import annotations

import hashlib

from carinews.engines.opensearch.mapping import (
    PATTERN_FIELDS, TEXT_FIELDS, decode_term, encode_term, index_meta,
)
from carinews.errors import QuerySyntaxError
from carinews.query import plan
from carinews.query.plan import MAX_EXPANSIONS

LEXICON_SUFFIX = "-lexicon"


def lexicon_name(index: str) -> str:
    return index + LEXICON_SUFFIX


def lexicon_body(replicas: int, stemmer: str, alias: str) -> dict:
    return {
        "settings": {"index": {"number_of_shards": 1, "number_of_replicas": replicas,
                               "refresh_interval": "-1"}},
        "mappings": {"dynamic": "strict", "_meta": index_meta(stemmer, alias, "lexicon"),
                     "properties": {"field": {"type": "keyword"}, "term": {"type": "keyword"},
                                    "length": {"type": "integer"}}},
    }


def index_term(field: str, term: str) -> str:
    """`term` as the field holds it in the index (text fields' terms are encoded)."""
    return encode_term(term) if field in TEXT_FIELDS else term


def entry_id(field: str, term: str) -> str:
    return hashlib.blake2b(f"{field}\x1f{term}".encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


def entry_actions(lexicon: str, entries) -> list[dict]:
    """Bulk `create` actions for (field, index term) pairs (409 = already there = fine)."""
    return [{"_op_type": "create", "_index": lexicon, "_id": entry_id(field, term),
             "_source": {"field": field, "term": term, "length": len(decode_term(term))}}
            for field, term in entries]


def article_entries(terms: dict[str, list[str]]) -> set[tuple[str, str]]:
    """(field, index term) pairs from `mapping.article_source`'s pattern-field terms."""
    return {(field, index_term(field, term)) for field, values in terms.items()
            if field in PATTERN_FIELDS for term in values if term}


# Expansion ----------------------------------------------------------------------------------

def expand(client, lexicon: str, node: plan.Pattern, query_text: str) -> list[str]:
    """The index terms of `node.field` that the pattern `node` stands for.

    Raises QuerySyntaxError at the pattern's column when there are more than MAX_EXPANSIONS.
    """
    if isinstance(node, plan.Prefix):
        found = _search(client, lexicon, node.field,
                        {"prefix": {"term": index_term(node.field, node.text)}})
    elif isinstance(node, plan.Wildcard):
        found = _search(client, lexicon, node.field,
                        {"wildcard": {"term": _wildcard(node.field, node.text)}})
    elif isinstance(node, plan.Fuzzy):
        found = [term for term in _search(client, lexicon, node.field, _fuzzy_candidates(node))
                 if within(decode_term(term), node.text, node.maxdist, node.prefix_length)]
    else:
        raise TypeError(f"not a pattern: {type(node).__name__}")
    if len(found) > MAX_EXPANSIONS:
        raise QuerySyntaxError(query_text, node.position,
                               f"{node.label} matches more than {MAX_EXPANSIONS} words; make it longer")
    return sorted(found)


def _search(client, lexicon: str, field: str, match: dict) -> list[str]:
    answer = client.search(index=lexicon, body={
        "query": {"bool": {"filter": [{"term": {"field": field}}, match]}},
        "size": MAX_EXPANSIONS + 1, "_source": ["term"], "track_total_hits": False,
    })
    return [hit["_source"]["term"] for hit in answer["hits"]["hits"]]


def _wildcard(field: str, pattern: str) -> str:
    """carinews's `*`-only pattern in OpenSearch's wildcard syntax (`?` and `\\` escaped)."""
    pieces = [index_term(field, piece) if piece else "" for piece in pattern.split("*")]
    return "*".join(p.replace("\\", "\\\\").replace("?", "\\?").replace("*", "\\*") for p in pieces)


def _fuzzy_candidates(node: plan.Fuzzy) -> dict:
    """A query on the lexicon's `term` for every term within `maxdist` edits of the word
    (and, Lucene being stricter with words no longer than the fixed prefix, all the short
    words sharing that prefix)."""
    text = index_term(node.field, node.text)
    if len(node.text) <= node.prefix_length:
        return {"bool": {"filter": [{"prefix": {"term": text[:node.prefix_length]}},
                                    {"range": {"length": {"lte": len(node.text) + node.maxdist}}}]}}
    return {"fuzzy": {"term": {"value": text, "fuzziness": node.maxdist,
                               "prefix_length": node.prefix_length, "transpositions": False,
                               "rewrite": "constant_score"}}}


def within(word: str, text: str, maxdist: int, prefix: int) -> bool:
    """Whether `word` is within `maxdist` Levenshtein edits of `text` and shares its first
    `prefix` characters (Whoosh's `levenshtein_automaton`)."""
    if word[:prefix] != text[:prefix] or len(word) < prefix:
        return False
    return levenshtein(word[prefix:], text[prefix:], maxdist) <= maxdist


def levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance of `a` and `b` (insert, delete, substitute), or `limit + 1` once it is
    certainly above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
