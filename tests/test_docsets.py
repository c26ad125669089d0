"""counting.count_matches: the same number as Whoosh's own count, for every query shape."""

import pytest

from carinews.engines.whoosh.compile import WhooshCompiler
from carinews.engines.whoosh.docsets import count_matches
from carinews.engines.whoosh.search import rank_query
from carinews.query.parse import parse_query

# (query, matches in the segmented sample): words, names, phrases, OR, NOT, wildcard,
# date window, fields, only-exclusions, and a word only the replacing versions have.
QUERIES = [
    ("presiden", 36), ("Jokowi", 8), ('"Bank Indonesia"', 3), ("polisi OR tersangka", 47),
    ("pemerintah -Jakarta", 16), ("korup*", 16), ("ekonomi tanggal:2017", 13),
    ('nama:"Joko Widodo"', 13), ("sumber:merdeka", 20), ("pembangunan jalan", 9),
    ("-pemerintah", 247), ('"presiden joko widodo"', 9), ("ralat", 42),
    ("diperbarui pemerintah", 16), ("kata_yang_tidak_ada", 0),
]


def test_the_sample_has_deletions_in_several_segments(segmented_sample):
    segments = segmented_sample._index._read_toc().segments
    assert [s.doc_count_all() for s in segments] == [200, 92, 42]
    assert [s.deleted_count() for s in segments] == [29, 13, 0]


@pytest.mark.parametrize("text,expected", QUERIES)
def test_count_equals_whoosh_count(segmented_sample, text, expected):
    searcher = segmented_sample.searcher()
    parsed = parse_query(text)
    compiler = WhooshCompiler(text)
    query = compiler.compile(parsed.query)
    whoosh_count = len(list(searcher.docs_for_query(query)))
    assert whoosh_count == expected
    assert count_matches(searcher, query) == expected
    # the ranking clauses never add matches
    bonus = compiler.compile_all(parsed.bonus_queries())
    assert count_matches(searcher, rank_query(query, bonus)) == expected


@pytest.mark.parametrize("text,expected", QUERIES)
def test_search_total_is_the_exact_count(segmented_sample, text, expected):
    # aliases off: the count is of the words as the parser above reads them
    result = segmented_sample.search(text, limit=3, aliases=False)
    assert result.total == expected
    assert len(result.hits) == min(3, expected)
