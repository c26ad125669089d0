"""engines/whoosh/compile.py: each plan node becomes the Whoosh query it always was."""

from datetime import datetime, timedelta, timezone

from whoosh import query as wq
from whoosh.query.spans import SpanNear2

from carinews.engines.whoosh.compile import (
    BoundedFuzzyTerm, BoundedPrefix, BoundedWildcard, WhooshCompiler,
)
from carinews.engines.whoosh.date_filter import DateWindowRange
from carinews.engines.whoosh.phrases import ExactPhrase, NearPhrase
from carinews.query import plan
from carinews.query.parse import parse_query

WIB = timezone(timedelta(hours=7))


def compiled(text: str):
    return WhooshCompiler(text).compile(parse_query(text).query)


def test_words_and_exact_words():
    assert compiled('menyerang "menyerang"') == wq.And([
        wq.Or([wq.Term("title", "serang"), wq.Term("body", "serang")]),
        wq.Or([wq.Term("title_exact", "menyerang"), wq.Term("body_exact", "menyerang")]),
    ])


def test_phrases_and_proximity():
    assert compiled('nama:"Dmitry Peskov"') == ExactPhrase("names", ["dmitry", "peskov"])
    near = compiled('judul:"Jokowi ijazah"~5')
    assert isinstance(near, SpanNear2)
    assert (near.slop, near.ordered, [q.text for q in near.qs]) == (5, False, ["jokowi", "ijazah"])


def test_date_window_is_naive_utc_half_open():
    window = compiled("Peskov tanggal:2022-03-15").subqueries[-1]
    assert isinstance(window, DateWindowRange)
    assert (window.startdate, window.enddate) == (datetime(2022, 3, 14, 17), datetime(2022, 3, 15, 17))
    assert (window.startexcl, window.endexcl) == (False, True)
    assert compiled("-tanggal:2022") == wq.Or([
        DateWindowRange("date", None, datetime(2021, 12, 31, 17), endexcl=True),
        DateWindowRange("date", datetime(2022, 12, 31, 17), None)])


def test_bounded_patterns_carry_the_query_column():
    fuzzy = compiled("kata Peskof~").subqueries[1].subqueries[0]
    assert isinstance(fuzzy, BoundedFuzzyTerm)
    assert (fuzzy.fieldname, fuzzy.text, fuzzy.maxdist, fuzzy.prefixlength) == ("title_exact", "peskof", 2, 1)
    assert (fuzzy.query_text, fuzzy.position, fuzzy.label) == ("kata Peskof~", 5, "'peskof~2'")
    prefix = compiled("korup*").subqueries[1]
    assert isinstance(prefix, BoundedPrefix) and (prefix.fieldname, prefix.text) == ("body_exact", "korup")
    assert isinstance(compiled("ko*si").subqueries[0], BoundedWildcard)


def test_near_bonus_is_a_sloppy_boosted_phrase():
    (near,) = WhooshCompiler().compile_all(parse_query("pembangunan jalan").bonus_queries(("near",)))
    assert near == wq.Or([NearPhrase("title", ["bangun", "jalan"], slop=2, boost=0.25),
                          NearPhrase("body", ["bangun", "jalan"], slop=2, boost=0.25)])


def test_every_nothing_not():
    compiler = WhooshCompiler()
    assert compiler.compile(plan.Every()) == wq.Every()
    assert compiler.compile(plan.Nothing()) is wq.NullQuery
    assert compiler.compile(plan.Not(plan.Term("body", "x"))) == wq.Not(wq.Term("body", "x"))
