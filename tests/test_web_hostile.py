"""Hostile article text through every page, export and feed of carinews serve: nothing
an article carries runs as script, leaves its element, reorders the page or reaches a
terminal or spreadsheet as a command."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from html import unescape
from urllib.parse import quote

import httpx
import pytest

from conftest import ENGINES_UNDER_TEST
from web_server import HOSTILE, HOSTILE_WORD, running_server, web_index

RAW_MARKUP = ["<script>window.__xss", "<img src=x", "<b>id</b>"]
FORBIDDEN_CHARS = ["\x1b", "\x07", "\u202e", "\u2066", "\u2067", "\u2069"]


@pytest.fixture(scope="module", params=ENGINES_UNDER_TEST)
def client(tmp_path_factory, request):
    index = web_index(tmp_path_factory.mktemp("hostile") / "index", request.param)
    with running_server(index) as base, httpx.Client(base_url=base, timeout=30) as http:
        yield http


def pages(client) -> dict[str, str]:
    urls = {"results": f"/?q={HOSTILE_WORD}", "explain": f"/?q={HOSTILE_WORD}&explain=1",
            "english": f"/?q={HOSTILE_WORD}&lang=en"}
    urls |= {a.id: f"/articles/{quote(a.id, safe='')}?q={HOSTILE_WORD}" for a in HOSTILE}
    return {name: client.get(url).text for name, url in urls.items()}


def test_no_article_markup_reaches_any_page_unescaped(client):
    for name, html in pages(client).items():
        for raw in RAW_MARKUP:
            assert raw not in html, (name, raw)
        assert html.count("<script") == 1, name          # the page's own script tag only


def test_the_markup_is_shown_as_text(client):
    html = client.get("/", params={"q": HOSTILE_WORD}).text
    assert "&lt;script&gt;window.__xss = 1; alert(&quot;xss&quot;)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x onerror=&quot;window.__xss=2&quot;&gt;" in html


def test_only_http_links_leave_the_site(client):
    for name, html in pages(client).items():
        links = [unescape(h).strip().lower() for h in re.findall(r'href="([^"]*)"', html)]
        external = [h for h in links if not h.startswith(("/", "#"))]
        assert all(h.startswith(("http://", "https://")) for h in external), (name, external)
        assert not any("javascript:" in h or h.startswith("data:") for h in links), name


def test_control_and_bidi_characters_never_reach_a_page(client):
    for name, html in pages(client).items():
        for char in FORBIDDEN_CHARS:
            assert char not in html, (name, repr(char))
    html = client.get("/", params={"q": HOSTILE_WORD}).text
    assert "\ufffd[31mMERAH\ufffd[0m" in html          # replaced one for one, still readable
    assert "Berkas \ufffdgpj.exe" in html


def test_an_odd_id_round_trips_through_its_link(client):
    odd = "h/../<b>id</b>?x=1#frag"
    html = client.get("/", params={"q": HOSTILE_WORD}).text
    link = next(unescape(h) for h in re.findall(r'href="(/articles/[^"]*)"', html)
                if "frag" in unescape(h))
    assert link == f"/articles/{quote(odd, safe='')}?q={HOSTILE_WORD}"
    page = client.get(link)
    assert page.status_code == 200
    assert "Id aneh" in page.text
    assert client.get(f"/api/articles/{quote(odd, safe='')}").json()["id"] == odd


def test_the_feed_is_well_formed_xml_with_the_text_escaped(client):
    reply = client.get("/feed.atom", params={"q": HOSTILE_WORD})
    feed = ET.fromstring(reply.content)        # raises on any character XML cannot hold
    ns = "{http://www.w3.org/2005/Atom}"
    titles = [e.find(f"{ns}title").text for e in feed.findall(f"{ns}entry")]
    assert '<script>window.__xss = 1; alert("xss")</script> Jakarta zzhostile' in titles
    assert "\ufffd[31mMERAH\ufffd[0m zzhostile \ufffd]0;judul\ufffd" in titles
    alternates = [link.get("href") for e in feed.findall(f"{ns}entry")
                  for link in e.findall(f"{ns}link")]
    assert all(h.startswith(("http://", "https://")) for h in alternates)


def test_csv_cells_never_start_a_formula(client):
    reply = client.get("/export.csv", params={"q": HOSTILE_WORD})
    rows = list(csv.reader(io.StringIO(reply.content.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert "'=HYPERLINK(\"http://contoh.invalid\",\"klik\") zzhostile" in cells


def test_json_keeps_the_text_exactly(client):
    data = client.get("/api/search", params={"q": HOSTILE_WORD, "limit": 20}).json()
    titles = {h["id"]: h["title"] for h in data["hits"]}
    assert titles["h-ansi"] == "\x1b[31mMERAH\x1b[0m zzhostile \x1b]0;judul\x07"
    assert titles["h-script"].startswith("<script>")
