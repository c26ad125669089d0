"""Unordered proximity of three or more terms, exactly as the Whoosh engine matches it.

tantivy's sloppy phrase spends one budget of position moves over all its
terms, in any order, and is exact only for two terms (compile.py builds those
from offset windows). For `"a b c"~N`, compile.py finds the candidates (some
order Whoosh's rule allows has every neighbouring pair of terms within its
window, which every match needs); `ProximityCheck` analyses each candidate's
field again from the stored article (`streams_many`, the same terms and
positions the index holds) and keeps the ones Whoosh's rule accepts
(`spans_match`: SpanNear2 unordered, mindist 1). The phrase then matches the
keys of those articles.
"""

from __future__ import annotations

import orjson
from tantivy import Query

from carinews.analysis.terms import streams_many
from carinews.query import plan

TEXT_OF = {"title": "title", "body": "body", "title_exact": "title", "body_exact": "body"}
STEMMED = frozenset({"title", "body"})


class ProximityCheck:
    """`check(compiler, node, candidates)` -> a query for the candidates that match `node`."""

    def __init__(self, stored, stemmer: str):
        self.stored, self.stemmer = stored, stemmer

    def __call__(self, compiler, node: plan.Phrase, candidates):
        searcher = compiler.searcher
        count = searcher.search(candidates, 1, count=True).count
        keys = []
        if count:
            for _, address in searcher.search(candidates, count, count=False).hits:
                record = orjson.loads(self.stored.doc(searcher.doc(address).get_first("doc")))
                if self.matches(record, node):
                    keys.append(record.get("url_key") or "id:" + record["id"])
        return Query.term_set_query(compiler.schema, "key", keys) if keys else Query.empty_query()

    def matches(self, record: dict, node: plan.Phrase) -> bool:
        field = node.field
        if field == "names":
            text = "\n".join(record.get("names") or [])
        else:
            text = record.get(TEXT_OF.get(field, field)) or ""
        words, parts = streams_many(text, (self.stemmer if field in STEMMED else "none",))[0]
        wanted = set(node.terms)
        positions: dict[str, list[int]] = {}
        for pos, word in enumerate(words):
            if word in wanted:
                positions.setdefault(word, []).append(pos)
        for term, pos in parts:
            if term in wanted:
                positions.setdefault(term, []).append(pos)
        return spans_match([positions.get(t, []) for t in node.terms], node.slop)


def spans_match(positions: list[list[int]], slop: int) -> bool:
    """Whoosh's unordered SpanNear2 (mindist 1): starting from the first term's positions,
    each next term must lie outside the span so far, 1..slop positions from its edge."""
    spans = {(p, p) for p in positions[0]}
    for found in positions[1:]:
        grown = set()
        for start, end in spans:
            for pos in found:
                gap = start - pos if pos < start else pos - end if pos > end else 0
                if 1 <= gap <= slop:
                    grown.add((min(start, pos), max(end, pos)))
        if not grown:
            return False
        spans = grown
    return bool(spans)
