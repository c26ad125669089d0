"""Output formats: terminal safety, HTML escaping, JSON shape."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import orjson

from carinews.results.render import clean_for_terminal, mark, render_result
from carinews.search import Duplicate, Hit, SearchResult

WIB = timezone(timedelta(hours=7))


def result(snippet="Juru bicara Kremlin Dmitry Peskov", highlights=((12, 19),),
           title="Rusia Bantah <script>alert(1)</script>", url="https://serambinews.com/a"):
    hit = Hit(id="a1", score=3.5, title=title, date=datetime(2022, 3, 14, 20, 0, tzinfo=WIB),
              source="serambinews.com", url=url, snippet=snippet, highlights=list(highlights),
              title_highlights=[(0, 5)], names=["Dmitry Peskov"],
              duplicates=[Duplicate("a2", "tribunnews.com", "https://tribunnews.com/a")])
    return SearchResult(query="kremlin", total=1, took_ms=4.2, hits=[hit])


def test_control_characters_never_reach_the_terminal():
    dirty = "Harga \x1b[31mnaik\x1b[0m\x07 hari\x9b ini\r\n"
    clean = clean_for_terminal(dirty)
    assert "\x1b" not in clean and "\x07" not in clean and "\x9b" not in clean and "\r" not in clean
    assert len(clean) == len(dirty)          # one for one: highlight offsets stay valid
    assert clean.endswith("\n")


def test_mark_wraps_spans():
    assert mark("Juru bicara Kremlin", [(12, 19)], "[", "]") == "Juru bicara [Kremlin]"


def test_plain_text_layout():
    text = render_result(result(), "plain", color=False)
    assert text.splitlines() == [
        "1 articles for 'kremlin' (4 ms)",
        "",
        "1. Rusia Bantah <script>alert(1)</script>",
        "   2022-03-14 20:00 WIB · serambinews.com · https://serambinews.com/a · +1 serupa · "
        "names: Dmitry Peskov",
        "   Juru bicara Kremlin Dmitry Peskov",
    ]


def test_terminal_bold_only_with_color():
    text = render_result(result(), "terminal", color=True)
    assert "\x1b[1mKremlin\x1b[0m" in text
    assert "\x1b" not in render_result(result(), "terminal", color=False)


def test_terminal_escapes_hostile_snippets():
    text = render_result(result(snippet="aman \x1b]0;pwned\x07 Kremlin", highlights=[(20, 27)]),
                         "terminal", color=False)
    assert "\x1b" not in text and "\x07" not in text


def test_html_escapes_article_text_and_marks_matches():
    html = render_result(result(snippet="<script>x</script> Kremlin", highlights=[(19, 26)]),
                         "html", color=False)
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt; <mark>Kremlin</mark>" in html
    assert "<mark>Rusia</mark> Bantah &lt;script&gt;" in html


def test_html_never_links_javascript_urls():
    html = render_result(result(url="javascript:alert(1)"), "html", color=False)
    assert "href" not in html


def test_json_shape():
    data = orjson.loads(render_result(result(), "json", color=False))
    assert set(data) == {"query", "total", "partial", "took_ms", "relaxed", "notes", "suggestion", "hits"}
    hit = data["hits"][0]
    assert hit["date"] == "2022-03-14T20:00:00+07:00"
    assert hit["snippet"][slice(*hit["highlights"][0])] == "Kremlin"
    assert hit["duplicates"] == [{"id": "a2", "source": "tribunnews.com",
                                  "url": "https://tribunnews.com/a"}]
