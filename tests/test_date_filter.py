"""DateWindowRange: the documents and constant score of whoosh.query.DateRange."""

from datetime import datetime

import pytest
from whoosh import query as wq

from carinews.engines.whoosh.date_filter import DateWindowRange
from carinews.engines.whoosh.docsets import count_matches

# [start, end) windows in naive UTC: a year, a month, a day, open ends, an empty window.
WINDOWS = [
    (datetime(2017, 1, 1), datetime(2018, 1, 1)), (datetime(2016, 8, 1), datetime(2016, 9, 1)),
    (datetime(2017, 10, 19), datetime(2017, 10, 20)), (None, datetime(2017, 1, 1)),
    (datetime(2017, 6, 1), None), (datetime(2030, 1, 1), datetime(2031, 1, 1)),
]


def _ranked(searcher, query):
    return sorted((docnum, score) for score, docnum in searcher.search(query, limit=None).top_n)


@pytest.mark.parametrize("start,end", WINDOWS)
def test_same_documents_and_scores_as_whoosh(segmented_sample, start, end):
    searcher = segmented_sample.searcher()
    whoosh = wq.DateRange("date", start, end, endexcl=end is not None)
    ours = DateWindowRange("date", start, end, endexcl=end is not None)
    assert _ranked(searcher, ours) == _ranked(searcher, whoosh)
    assert count_matches(searcher, ours) == len(list(searcher.docs_for_query(whoosh)))
    words = wq.Or([wq.Term("body", "presiden"), wq.Term("title", "presiden")])
    assert (_ranked(searcher, wq.And([words, ours]))
            == _ranked(searcher, wq.And([words, whoosh])))


def test_the_windows_are_not_all_empty(segmented_sample):
    searcher = segmented_sample.searcher()
    sizes = [count_matches(searcher, DateWindowRange("date", s, e, endexcl=e is not None))
             for s, e in WINDOWS]
    assert sizes == [223, 4, 1, 38, 188, 0]
