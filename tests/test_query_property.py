"""Property: any text gives a ParsedQuery or a QuerySyntaxError, nothing else, in bounded time.

Random strings are built from the pieces that break parsers (quotes, brackets,
colons and field names, operators, signs, `~`, `*`, `..`, dates, emoji,
zero-width spaces) plus arbitrary Unicode. A parsed query must also run on a
small index without error (an over-wide prefix may still refuse with
QuerySyntaxError), and an error's position must lie within the query.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carinews.archive import Archive
from carinews.ingest.articles import Article
from carinews.errors import QuerySyntaxError
from carinews.engines.whoosh.compile import WhooshCompiler
from carinews.query.parse import ParsedQuery, parse_query

MAX_SECONDS = 1.0
PIECES = [
    '"', "\u201c", "\u201d", "(", ")", ":", "~", "~2", "~9", "*", "..", "-", "+", " ", "  ",
    "OR", "ATAU", "AND", "DAN", "NOT", "TIDAK", "or", "atau", "dan", "tidak",
    "judul:", "isi:", "sumber:", "penulis:", "nama:", "url:", "tanggal:", "date:", "title:", "foo:",
    "Jokowi", "ijazah", "kota-kota", "Covid-19", "e-KTP", "Peskov", "korup", "ab",
    "2022", "2022-03", "2022-03-15", "15/3/2022", "Maret", ">=", "<", "UTC", "WIB",
    "\U0001f600", "\u200b", "\u200d", "\ufeff", "\u0301", "\n", "\t", "'", "\\", "@", "#", "$", "%",
]
WIB = timezone(timedelta(hours=7))


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    path = tmp_path_factory.mktemp("prop-index")
    with Archive.create(path) as archive:
        archive.add([
            Article(id="a", title="Jokowi dan ijazah", body="Jokowi menunjukkan ijazah di kota-kota.",
                    source="kompas.com", date=datetime(2022, 3, 15, 10, tzinfo=WIB), names=["Jokowi"]),
            Article(id="b", title="Peskov", body="Dmitry Peskov bicara soal Covid-19 dan e-KTP.",
                    source="detik.com", names=["Dmitry Peskov"]),
        ])
    archive = Archive.open(path)
    yield archive.searcher()
    archive.close()


def check(text: str, strict: bool, searcher) -> None:
    start = time.perf_counter()
    try:
        parsed = parse_query(text, strict=strict)
    except QuerySyntaxError as exc:
        assert 0 <= exc.position <= len(text)
        assert exc.query == text and exc.reason
    else:
        assert isinstance(parsed, ParsedQuery)
        assert parsed.query is not None
        parsed.explain()
        run(searcher, parsed, text)
    assert time.perf_counter() - start < MAX_SECONDS


def run(searcher, parsed: ParsedQuery, text: str) -> None:
    for query in (parsed.query, parsed.relaxed):
        if query is None:
            continue
        try:
            searcher.search(WhooshCompiler(text).compile(query), limit=5)
        except QuerySyntaxError as exc:   # an over-wide prefix refuses at search time
            assert 0 <= exc.position <= len(text)


pieces_text = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)
any_text = st.text(max_size=80)
mixed_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=20).map("".join)


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=pieces_text, strict=st.booleans())
def test_pieces_parse_or_raise_query_syntax_error(text, strict, searcher):
    check(text, strict, searcher)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(any_text, mixed_text), strict=st.booleans())
def test_any_text_parses_or_raises_query_syntax_error(text, strict, searcher):
    check(text, strict, searcher)
