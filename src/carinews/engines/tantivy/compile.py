"""Plan (query/plan.py) -> tantivy queries, with the Whoosh engine's matches.

`TantivyCompiler(searcher, schema, query_text, verify).compile(node)` visits the plan:

- `Term` -> a term query (title fields boosted TITLE_BOOST, as Whoosh's field
  boost); `url:` terms are read from `key` (documents.py keeps `url` only for
  URL keys that look like id keys);
- `Phrase` slop 0 -> a phrase query. With a slop, Whoosh's rule (SpanNear2,
  unordered): taking the terms in query order, each next one lies outside the
  span of those before it, 1..slop positions from its edge. tantivy's sloppy
  phrase is another rule (a budget of position moves that also allows reordered
  terms), exact only for two terms, where it means "the second term within
  `slop` positions of the first term's place": `_windows` turns "b lies 1..N
  positions after a" into one or two such phrases with explicit offsets. Two
  terms are that, either way round; for three or more, the articles where every
  neighbouring pair of some allowed order (`v_orders`) lies in its window are
  candidates, which `verify` (proximity.py) checks against the stored text;
- `Near` (the proximity bonus: in order, gaps 1..slop) -> the windows of its two
  terms, boosted; with more terms, tantivy's own sloppy phrase with the same
  total slack (only the ranking bonus is approximate, never a match);
- `Prefix`, `Wildcard`, `Fuzzy` -> the index terms they expand to (at most
  MAX_EXPANSIONS, else QuerySyntaxError at the pattern's column) as a
  constant-score term set: prefix from the term dictionary, wildcard by our own
  `*`-only pattern over the terms of its literal prefix, fuzzy with Whoosh's
  rule (same first letter, Damerau-Levenshtein distance within maxdist);
- `DateRange` -> a range over the fast `date` column ([start, end); an open
  window still needs a date);
- `And`/`Or`/`Not` -> boolean queries, `AtLeast` -> one with a minimum number of
  SHOULD clauses; a negation alone means every article
  without the child; `Every`/`Nothing` -> all/empty.
"""

from __future__ import annotations

import re

import tantivy
from tantivy import Occur, Query

from carinews.engines.tantivy.documents import ID_PREFIX, utc_date
from carinews.engines.tantivy.schema import TITLE_BOOST, TITLE_FIELDS
from carinews.errors import QuerySyntaxError
from carinews.query import plan
from carinews.query.plan import MAX_EXPANSIONS
from carinews.results.snippets import edit_distance

class TantivyCompiler(plan.Compiler):
    """Compiles plan nodes of the query `query_text` (named in expansion errors) for one
    searcher (patterns expand against its terms)."""

    def __init__(self, searcher: tantivy.Searcher, schema: tantivy.Schema, query_text: str = "",
                 verify=None):
        self.searcher, self.schema, self.query_text = searcher, schema, query_text
        self.verify = verify          # (compiler, Phrase, candidates) -> matches: proximity.py

    # -- words and phrases ---------------------------------------------------------------

    def visit_Term(self, node: plan.Term):
        if node.field == "url":
            field = "url" if node.text.startswith(ID_PREFIX) else "key"
            return Query.term_query(self.schema, field, node.text, index_option="basic")
        return self._boosted(node.field, Query.term_query(self.schema, node.field, node.text,
                                                          index_option="freq"))

    def visit_Phrase(self, node: plan.Phrase):
        if len(node.terms) == 1:
            return self.visit_Term(plan.Term(node.field, node.terms[0]))
        if node.slop == 0:
            return self._boosted(node.field, Query.phrase_query(self.schema, node.field, list(node.terms)))
        if len(node.terms) == 2:
            a, b = node.terms
            near = _any(self._windows(node.field, a, b, node.slop) + self._windows(node.field, b, a, node.slop))
        else:
            near = self.verify(self, node, self.neighbours(node))
        # Scored as Whoosh scores a span query: by its terms.
        terms = [self.visit_Term(plan.Term(node.field, t)) for t in dict.fromkeys(node.terms)]
        return _all(terms + [Query.const_score_query(near, 0.0)])

    def neighbours(self, node: plan.Phrase):
        """Articles where, for some order Whoosh's rule allows, every neighbouring pair of
        terms lies 1..slop positions apart: a superset of the phrase's matches."""
        chains = []
        for order in v_orders(len(node.terms)):
            terms = [node.terms[i] for i in order]
            chains.append(_all([_any(self._windows(node.field, a, b, node.slop))
                                for a, b in zip(terms, terms[1:])]))
        return _any(chains)

    def visit_Near(self, node: plan.Near):
        if len(node.terms) == 2:
            phrase = _any(self._windows(node.field, *node.terms, node.slop))
        else:
            phrase = Query.phrase_query(self.schema, node.field, list(node.terms),
                                        (len(node.terms) - 1) * (node.slop - 1))
        return self._boosted(node.field, Query.boost_query(phrase, node.boost))

    def _windows(self, field: str, first: str, second: str, slop: int) -> list:
        """Phrases matching `second` 1..slop positions after `first`: tantivy's two-term
        phrase with offsets (0, d) and slop k matches a gap in d-k..d+k, so each piece of
        odd width is one phrase, and an even width leaves its last gap as an exact one."""
        pieces, low, high = [], 1, slop
        if (high - low) % 2:
            pieces.append((high, 0))
            high -= 1
        pieces.append(((low + high) // 2, (high - low) // 2))
        return [Query.phrase_query(self.schema, field, [(0, first), (gap, second)], k)
                for gap, k in pieces]

    def _boosted(self, field: str, query):
        return Query.boost_query(query, TITLE_BOOST) if field in TITLE_FIELDS else query

    # -- patterns ------------------------------------------------------------------------

    def visit_Prefix(self, node: plan.Prefix):
        if node.field == "url":
            return self._url_prefix(node)
        found = self._terms(node.field, node.text, MAX_EXPANSIONS + 1)
        return self._term_set(node, node.field, found)

    def visit_Wildcard(self, node: plan.Wildcard):
        literal = node.text.split("*", 1)[0]
        pattern = re.compile("".join(".*" if c == "*" else re.escape(c) for c in node.text) + r"\Z",
                             re.S)
        found = [t for t in self._terms(node.field, literal) if pattern.match(t)]
        return self._term_set(node, node.field, found)

    def visit_Fuzzy(self, node: plan.Fuzzy):
        text, maxdist = node.text, node.maxdist
        found = [t for t in self._terms(node.field, text[:node.prefix_length])
                 if abs(len(t) - len(text)) <= maxdist and edit_distance(t, text, maxdist) <= maxdist]
        return self._term_set(node, node.field, found)

    def _url_prefix(self, node: plan.Prefix):
        """`url:` prefixes over `key`, less the id keys, plus `url`'s id-like URL keys."""
        text = node.text
        keys = [] if text.startswith(ID_PREFIX) else [
            t for t in self._terms("key", text, None if ID_PREFIX.startswith(text) else MAX_EXPANSIONS + 1)
            if not t.startswith(ID_PREFIX)]
        urls = self._terms("url", text, MAX_EXPANSIONS + 1)
        self._check_cap(node, len(keys) + len(urls))
        return _any([Query.const_score_query(Query.term_set_query(self.schema, field, terms), 1.0)
                     for field, terms in (("key", keys), ("url", urls)) if terms])

    def _terms(self, field: str, prefix: str, limit: int | None = None) -> list[str]:
        return [t for t, _ in self.searcher.terms_with_prefix(field, prefix, limit=limit)]

    def _term_set(self, node: plan.Pattern, field: str, terms: list[str]):
        self._check_cap(node, len(terms))
        if not terms:
            return Query.empty_query()
        return self._boosted(field, Query.const_score_query(
            Query.term_set_query(self.schema, field, terms), 1.0))

    def _check_cap(self, node: plan.Pattern, count: int) -> None:
        if count > MAX_EXPANSIONS:
            raise QuerySyntaxError(self.query_text, node.position,
                                   f"{node.label} matches more than {MAX_EXPANSIONS} words; make it longer")

    # -- dates and booleans ----------------------------------------------------------------

    def visit_DateRange(self, node: plan.DateRange):
        if node.start is None and node.end is None:
            return Query.exists_query("date")
        return Query.range_query(
            self.schema, "date", tantivy.FieldType.Date,
            utc_date(node.start) if node.start else None, utc_date(node.end) if node.end else None,
            include_lower=True, include_upper=node.end is None)

    def visit_And(self, node: plan.And):
        positive = [self.compile(c) for c in node.children if not isinstance(c, plan.Not)]
        negative = [self.compile(c.child) for c in node.children if isinstance(c, plan.Not)]
        return _all(positive or [Query.all_query()], negative)

    def visit_Or(self, node: plan.Or):
        return _any(self.compile_all(node.children))

    def visit_AtLeast(self, node: plan.AtLeast):
        return Query.boolean_query([(Occur.Should, q) for q in self.compile_all(node.children)],
                                   minimum_number_should_match=node.k)

    def visit_Not(self, node: plan.Not):
        return _all([Query.all_query()], [self.compile(node.child)])

    def visit_Every(self, node: plan.Every):
        return Query.all_query()

    def visit_Nothing(self, node: plan.Nothing):
        return Query.empty_query()


def _all(required: list, excluded: list = ()):
    if len(required) == 1 and not excluded:
        return required[0]
    return Query.boolean_query([(Occur.Must, q) for q in required]
                               + [(Occur.MustNot, q) for q in excluded])


def _any(queries: list):
    if not queries:
        return Query.empty_query()
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Should, q) for q in queries])


def v_orders(count: int) -> list[tuple[int, ...]]:
    """The left-to-right orders of query terms 0..count-1 that Whoosh's unordered span rule
    allows: each term after the first goes to the left or the right end (2**(count-1))."""
    orders = [(0,)]
    for index in range(1, count):
        orders = [o for order in orders for o in ((index, *order), (*order, index))]
    return orders
