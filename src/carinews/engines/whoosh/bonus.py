"""The optional ranking clauses of a search, read the cheaper way for each segment.

Why: a ranked search is `AndMaybe(query, Or(bonus))` (search.py): the bonus
clauses (exact surface forms, titles) add to the score of articles that match
the query and never add matches. On segments of at most 5,000 documents
Whoosh's `Or` preloads every posting of its clauses and scores them all; for
a common word (`Indonesia`) that scored thousands of postings per segment for a
query matching a few dozen articles. A binary tree
of the clauses' matchers instead moves to each document the query matches (a
few Python calls per clause and document), which is the slower way when the
query matches most of what the clauses do. `Bonus` picks per segment from
document frequencies (`size_bound`: an upper bound of the query's matches,
for words, their ANDs and ORs and the at-least levels): the tree when the
query can match at most `1 / TREE_FACTOR` of the clauses' postings, Whoosh's
own choice otherwise (and for any other query: estimating a date window or a
pattern would cost more than it saves). Either way every document gets the
same score. tests/test_whoosh_ranking.py compares the scores with the plain
`Or`.
"""

from __future__ import annotations

from whoosh import query as wq

from carinews.engines.whoosh.at_least import AtLeastOr
from carinews.engines.whoosh.docsets import tree_union

TREE_FACTOR = 4


class Bonus(wq.Or):
    """The `Or` of `subqueries`, the optional side of `AndMaybe(base, ...)`."""

    def __init__(self, subqueries, base):
        super().__init__(subqueries)
        self.base = base

    def normalize(self):
        return self

    def matcher(self, searcher, context=None):
        few = self._few_base_documents(searcher.reader())
        return (tree_union if few else wq.Or)(self.subqueries).matcher(searcher, context)

    def _few_base_documents(self, reader) -> bool:
        base = size_bound(self.base, reader)
        if base is None:
            return False
        postings = 0
        for sub in self.subqueries:
            size = size_bound(sub, reader)
            if size is None:
                return False
            postings += size
            if base * TREE_FACTOR < postings:
                return True
        return False


def size_bound(query, reader) -> int | None:
    """At least as many as the documents `query` matches in `reader`, from document
    frequencies; None for a query other than terms, And, Or and AtLeastOr."""
    if isinstance(query, wq.Term):
        return reader.doc_frequency(query.fieldname, query.text)
    if isinstance(query, AtLeastOr):
        return query.estimate_size(reader)
    if type(query) in (wq.And, wq.Or):
        sizes = [size_bound(sub, reader) for sub in query.subqueries]
        if not sizes or None in sizes:
            return None
        return min(sizes) if type(query) is wq.And else sum(sizes)
    return None
