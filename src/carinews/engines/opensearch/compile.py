"""Plan (query/plan.py) -> OpenSearch query DSL, as plain dicts (tests compare them exactly).

`OpenSearchCompiler(query_text, expand).compile(node)` visits the plan:

- `Term` -> `term` on the field's encoded term (mapping.encode_term); title fields carry the
  title's weight (FIELD_BOOSTS) as a query boost.
- `Phrase`, slop 0 -> `match_phrase` over the terms, analysed by `carinews_terms`
  (whitespace only: the terms come through as they are). With a slop `~N`, Whoosh's
  unordered SpanNear2: each further term must lie outside the span of the terms before it,
  at most N positions from its edge, on either side. That is built from ordered `span_near`
  pairs (`[span, term]` or `[term, span]`, gap at most N - 1 positions), nested term by term,
  so two terms at one position never count as near. The nested form doubles with every
  term; beyond MAX_NESTED_TERMS terms an unordered `span_near` with the same total slack
  stands in (it also accepts some orders Whoosh would not).
- `Near` (the proximity bonus) -> ordered `span_near` pairs nested term by term, each next
  term 1..slop positions after the span before it (Whoosh's ordered SpanNear2).
- `Prefix`, `Wildcard`, `Fuzzy` -> `terms` over the index terms `expand(node)` lists
  (lexicon.py; it raises QuerySyntaxError beyond MAX_EXPANSIONS), `match_none` for none.
- `DateRange` -> `range` on `date` with the window's own bounds, offset included (+07:00
  for WIB days), `lt` the exclusive end.
- `And` -> `bool` (`must`, `must_not` for negated children, `filter` for date windows),
  `Or` -> `bool.should` with one required, `AtLeast` -> `bool.should` with k required,
  `Not` -> `bool.must_not`, `Every` -> `match_all`, `Nothing` -> `match_none`.

User text never reaches `query_string` or any other query parser.
"""

from __future__ import annotations

from carinews.engines.opensearch.mapping import FIELD_BOOSTS, TERMS_ANALYZER, TEXT_FIELDS, encode_term
from carinews.query import plan

MAX_NESTED_TERMS = 8
MATCH_NONE = {"match_none": {}}


def index_value(field: str, text: str) -> str:
    return encode_term(text) if field in TEXT_FIELDS else text


def span_term(field: str, text: str) -> dict:
    return {"span_term": {field: index_value(field, text)}}


def span_pair(first: dict, second: dict, gap: int) -> dict:
    """`second` starting after `first` ends, at most `gap` positions between them."""
    return {"span_near": {"clauses": [first, second], "slop": gap, "in_order": True}}


def boosted(query: dict, field: str, boost: float = 1.0) -> dict:
    """`query` (a one-key dict) with its field's weight times `boost`, when that is not 1."""
    weight = FIELD_BOOSTS.get(field, 1.0) * boost
    if weight == 1.0:
        return query
    [(kind, body)] = query.items()
    return {kind: {**body, "boost": weight}}


class OpenSearchCompiler(plan.Compiler):
    """Compiles the plan of query `query_text`; `expand(node)` lists a pattern's index terms."""

    def __init__(self, query_text: str = "", expand=None):
        self.query_text = query_text
        self.expand = expand

    def visit_Term(self, node: plan.Term):
        return {"term": {node.field: {"value": index_value(node.field, node.text),
                                      **self._boost(node.field)}}}

    def visit_Phrase(self, node: plan.Phrase):
        if node.slop == 0:
            return {"match_phrase": {node.field: {
                "query": " ".join(encode_term(t) for t in node.terms), "analyzer": TERMS_ANALYZER,
                **self._boost(node.field)}}}
        terms = [span_term(node.field, t) for t in node.terms]
        if len(terms) > MAX_NESTED_TERMS:
            span = {"span_near": {"clauses": terms, "in_order": False,
                                  "slop": (node.slop - 1) * (len(terms) - 1)}}
        else:
            span = terms[0]
            for term in terms[1:]:
                span = {"span_or": {"clauses": [span_pair(span, term, node.slop - 1),
                                                span_pair(term, span, node.slop - 1)]}}
        return boosted(span, node.field)

    def visit_Near(self, node: plan.Near):
        span = span_term(node.field, node.terms[0])
        for text in node.terms[1:]:
            span = span_pair(span, span_term(node.field, text), node.slop - 1)
        return boosted(span, node.field, node.boost)

    def _pattern(self, node: plan.Pattern):
        terms = self.expand(node)
        if not terms:
            return MATCH_NONE
        return {"terms": {node.field: terms, **self._boost(node.field)}}

    visit_Prefix = visit_Wildcard = visit_Fuzzy = _pattern

    def visit_DateRange(self, node: plan.DateRange):
        bounds = {}
        if node.start is not None:
            bounds["gte"] = node.start.isoformat()
        if node.end is not None:
            bounds["lt"] = node.end.isoformat()
        return {"range": {"date": bounds}} if bounds else {"exists": {"field": "date"}}

    def visit_And(self, node: plan.And):
        clauses: dict[str, list] = {}
        for child in node.children:
            if isinstance(child, plan.Not):
                clauses.setdefault("must_not", []).append(self.compile(child.child))
            elif isinstance(child, plan.DateRange):
                clauses.setdefault("filter", []).append(self.compile(child))
            else:
                clauses.setdefault("must", []).append(self.compile(child))
        if "must" not in clauses and "filter" not in clauses:
            clauses["must"] = [{"match_all": {}}]
        return {"bool": clauses}

    def visit_Or(self, node: plan.Or):
        return {"bool": {"should": self.compile_all(node.children), "minimum_should_match": 1}}

    def visit_AtLeast(self, node: plan.AtLeast):
        return {"bool": {"should": self.compile_all(node.children), "minimum_should_match": node.k}}

    def visit_Not(self, node: plan.Not):
        return {"bool": {"must": [{"match_all": {}}], "must_not": [self.compile(node.child)]}}

    def visit_Every(self, node: plan.Every):
        return {"match_all": {}}

    def visit_Nothing(self, node: plan.Nothing):
        return MATCH_NONE

    @staticmethod
    def _boost(field: str) -> dict:
        weight = FIELD_BOOSTS.get(field, 1.0)
        return {"boost": weight} if weight != 1.0 else {}
