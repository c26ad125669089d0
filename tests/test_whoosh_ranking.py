"""The Whoosh engine's rankings: at-least-k levels, bonus clauses, limited top N.

`AtLeastOr(words, k)` (engines/whoosh/at_least.py) stands for the OR of every k-word AND
that the partial fill used to run, and `Bonus` (bonus.py) for the plain `Or` of a search's
optional clauses. On the bundled sample in three segments, with deletions, each must give
the same documents, the same count and the same scores as the query it replaces; and a
search's top N must be the head of the same ranking collected in full.
"""

from __future__ import annotations

from itertools import combinations

import pytest
from whoosh import query as wq

from carinews.engines.whoosh import bonus as bonus_module
from carinews.engines.whoosh.at_least import AtLeastOr
from carinews.engines.whoosh.bonus import Bonus, size_bound
from carinews.engines.whoosh.compile import WhooshCompiler
from carinews.engines.whoosh.docsets import count_matches
from carinews.query.parse import parse_query

QUERIES = ["harga beras naik menjelang lebaran", "presiden joko widodo resmikan jalan tol",
           "banjir rendam rumah warga", "polisi tangkap pelaku narkoba"]


def _words(text):
    parsed = parse_query(text)
    compiler = WhooshCompiler(text)
    return parsed, compiler, tuple(compiler.compile_all(parsed.words))


def _or_of_ands(words, k):
    return wq.Or([wq.And(list(group)) for group in combinations(words, k)])


def _ranking(searcher, query):
    return sorted((round(score, 9), docnum) for score, docnum in searcher.search(query, limit=None).top_n)


def _docs_with(searcher, words, k):
    """Documents with at least k of `words`, counted one word at a time."""
    sets = [set(searcher.docs_for_query(word)) for word in words]
    return {doc for doc in set().union(*sets) if sum(doc in s for s in sets) >= k}


@pytest.mark.parametrize("text", QUERIES)
def test_at_least_matches_and_scores_as_the_or_of_ands(segmented_sample, text):
    searcher = segmented_sample.engine.searcher()
    _, _, words = _words(text)
    for k in range(2, len(words)):
        expected = _docs_with(searcher, words, k)
        assert expected, (text, k)
        query = AtLeastOr(list(words), k)
        assert set(searcher.docs_for_query(query)) == expected
        assert count_matches(searcher, AtLeastOr(list(words), k)) == len(expected)
        # The scores agree with the OR of ANDs wherever an article has exactly k words.
        exact = _docs_with(searcher, words, k) - _docs_with(searcher, words, k + 1)
        ours = {doc: score for score, doc in _ranking(searcher, query)}
        theirs = {doc: score for score, doc in _ranking(searcher, _or_of_ands(words, k))}
        assert set(ours) == set(theirs)
        assert {d: ours[d] for d in exact} == {d: theirs[d] for d in exact}


def test_at_least_gives_nothing_when_too_few_words_meet(segmented_sample):
    searcher = segmented_sample.engine.searcher()
    words = [wq.Term("body", "zzzyyy"), wq.Term("body", "qqqxxx"), wq.Term("body", "banjir")]
    assert list(searcher.docs_for_query(AtLeastOr(words, 2))) == []
    assert searcher.search(AtLeastOr(words, 2)).is_empty()


@pytest.mark.parametrize("factor", [0, 10**9])     # the tree every time / Whoosh's own choice
@pytest.mark.parametrize("text", QUERIES + ["investasi asing masuk Indonesia", "banjir"])
def test_bonus_scores_as_the_plain_or(segmented_sample, text, factor, monkeypatch):
    """Over the query and each of its partial levels."""
    monkeypatch.setattr(bonus_module, "TREE_FACTOR", factor)
    searcher = segmented_sample.engine.searcher()
    parsed, compiler, words = _words(text)
    extras = compiler.compile_all(parsed.bonus_queries(("exact",)))
    bases = [compiler.compile(parsed.query)] + [AtLeastOr(list(words), k) for k in range(1, len(words))]
    rankings = [_ranking(searcher, wq.AndMaybe(base, wq.Or(extras))) for base in bases]
    assert any(rankings)
    assert [_ranking(searcher, wq.AndMaybe(base, Bonus(extras, base))) for base in bases] == rankings


def test_bonus_takes_the_tree_only_when_the_query_matches_few_of_its_postings(segmented_sample):
    searcher = segmented_sample.engine.searcher()
    reader = searcher.reader()
    indonesia = wq.Or([wq.Term("title_exact", "indonesia"), wq.Term("body_exact", "indonesia")])
    rare = wq.And([wq.Or([wq.Term("title", "banjir"), wq.Term("body", "banjir")]),
                   wq.Or([wq.Term("title", "rob"), wq.Term("body", "rob")])])
    assert size_bound(rare, reader) * bonus_module.TREE_FACTOR < size_bound(indonesia, reader)
    assert Bonus([indonesia], rare)._few_base_documents(reader)
    assert not Bonus([indonesia], indonesia)._few_base_documents(reader)
    date = wq.DateRange("date", None, None)
    assert size_bound(date, reader) is None
    assert not Bonus([indonesia], date)._few_base_documents(reader)


RANKED = QUERIES + ["Jokowi resmikan jalan tol", "investasi asing masuk Indonesia", "banjir Jakarta",
                    "harga beras", "presiden", "Sri Mulyani pajak", "kebakaran hutan dan lahan"]


@pytest.mark.parametrize("text", RANKED)
def test_a_limited_ranking_is_the_head_of_the_unlimited_one(segmented_sample, text):
    """The top N of the query and of each partial level, with the bonus clauses, is the first
    N of the same ranking collected in full (search.py turns off Whoosh's matcher
    replacement, which dropped articles that belonged in the top N)."""
    from carinews.query.aliases import load_table
    from carinews.query.partial import levels

    engine = segmented_sample.engine
    parsed = parse_query(text, aliases=load_table(()))
    options = dict(query_text=text, bonus=parsed.bonus_queries(("exact",)))
    plans = [parsed.query] + [node for _, node in levels(parsed.words)]
    for node in plans:
        everything = [(round(m.score, 6), m.doc) for m in engine.search(node, limit=10**6, **options).matches]
        for limit in (1, 3, 10):
            head = [(round(m.score, 6), m.doc) for m in engine.search(node, limit=limit, **options).matches]
            assert [s for s, _ in head] == [s for s, _ in everything[:limit]], (node, limit)
