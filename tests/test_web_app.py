"""carinews serve over HTTP: pages, refinements, paging, language, exports, feed, API, errors.

A real uvicorn server on a loopback port over a real index of the bundled sample
plus hand-made hostile articles (web_server.py)."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from html import unescape
from urllib.parse import parse_qs, urlsplit

import httpx
import orjson
import pytest

from carinews.archive import Archive
from conftest import ENGINES_UNDER_TEST, article
from web_server import HOSTILE_WORD, UNICODE_TITLE, running_server, web_index

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module", params=ENGINES_UNDER_TEST)
def index(tmp_path_factory, request):
    return web_index(tmp_path_factory.mktemp("web") / "index", request.param)


@pytest.fixture(scope="module")
def client(index):
    with running_server(index) as base, httpx.Client(base_url=base, timeout=30) as http:
        yield http


def hrefs(html: str, pattern: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html) if re.search(pattern, unescape(h))]


def query_of(url: str) -> str:
    return parse_qs(urlsplit(url).query).get("q", [""])[0]


def hit_ids(html: str) -> list[str]:
    return [unescape(i) for i in re.findall(r'<li class="hit" data-id="([^"]*)"', html)]


# -- the search page ---------------------------------------------------------------------

def test_front_page_shows_the_archive_and_the_help(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "301 artikel dari 13 media, 2015-05 s.d. 2024-05" in page.text
    assert 'Cara menulis kueri' in page.text and 'id="saved-list"' in page.text


def test_results_show_highlighted_titles_and_snippets(client):
    page = client.get("/", params={"q": "Justin Bieber"})
    assert page.status_code == 200
    assert "<mark>Justin</mark> <mark>bieber</mark> konser di jakarta 10 oktober mendatang" in page.text
    assert re.search(r"<mark>Bieber</mark>", page.text)
    assert "20 Jul 2017 12.23 WIB" in page.text


def test_every_hit_links_to_its_article_page_with_the_query(client):
    page = client.get("/", params={"q": "Justin Bieber"})
    links = hrefs(page.text, r"^/articles/")
    assert links[0] == ("/articles/indosum%3A1500609600-justin-bieber-konser-di-jakarta-10-oktober"
                        "?q=Justin+Bieber")


def test_outlet_facet_adds_the_outlet_to_the_query_and_removes_it(client):
    page = client.get("/", params={"q": "jakarta"})
    link = hrefs(page.text, r"sumber%3Akumparan")[0]
    assert query_of(link) == "jakarta sumber:kumparan.com"
    narrowed = client.get(link)
    assert "1–10 dari 16 artikel" in narrowed.text
    assert query_of(hrefs(narrowed.text, r"^/\?q=jakarta$")[0]) == "jakarta"    # the ✕ link


def test_chart_bar_narrows_the_query_to_its_window(client):
    page = client.get("/", params={"q": "jakarta", "interval": "month"})
    bars = re.findall(r'<a href="([^"]*)" class="bar" aria-label="([^"]*)"', page.text)
    href, label = bars[0]
    assert query_of(unescape(href)) == "jakarta tanggal:2015-05"
    assert label == "2015-05: 1 artikel"
    narrowed = client.get(unescape(href))
    assert "1 artikel" in narrowed.text and len(hit_ids(narrowed.text)) == 1


def test_a_new_bar_replaces_the_date_window_it_narrows(client):
    page = client.get("/", params={"q": "jakarta tanggal:2017", "interval": "month"})
    href = unescape(re.findall(r'<a href="([^"]*)" class="bar"', page.text)[0])
    assert query_of(href) == "jakarta tanggal:2017-01"


def test_date_inputs_become_words_in_the_query(client):
    reply = client.get("/", params={"q": "jakarta", "since": "2017-01-01", "until": "2017-06-30",
                                    "sort": "newest"})
    assert reply.status_code == 303
    assert reply.headers["location"] == "/?q=jakarta+tanggal%3A2017-01-01..2017-06-30&sort=newest"


def test_pages_follow_each_other_without_overlap(client):
    first = client.get("/", params={"q": "jakarta"})
    second = client.get(hrefs(first.text, r"page=2$")[0])
    third = client.get("/", params={"q": "jakarta", "page": 3})
    ids = hit_ids(first.text) + hit_ids(second.text) + hit_ids(third.text)
    api = client.get("/api/search", params={"q": "jakarta", "limit": 30}).json()
    assert ids == [h["id"] for h in api["hits"]]
    assert "11–20 dari 165 artikel" in second.text
    assert 'rel="prev"' in second.text and hrefs(second.text, r"^/\?q=jakarta$")


def test_paging_is_bounded(client):
    page = client.get("/", params={"q": "jakarta", "page": 101})
    assert page.status_code == 400
    assert "Halaman terlalu jauh: paling banyak 1000 hasil." in page.text
    assert client.get("/", params={"q": "jakarta", "n": 51}).status_code == 400


def test_sort_newest_and_explain(client):
    page = client.get("/", params={"q": "jakarta", "sort": "newest", "explain": "1"})
    dates = re.findall(r"<time>([^<]*)</time>", page.text)
    assert dates[:2] == ["1 Mei 2024 10.00 WIB", "27 Feb 2018 10.32 WIB"]
    assert '<pre class="explain">query: jakarta\nmatch:\n  word &#34;jakarta&#34;' in page.text


def test_relaxed_note_and_no_results(client):
    relaxed = client.get("/", params={"q": "Bieber zzzkatayangtidakada"})
    assert "Tidak ada artikel yang memuat semua kata" in relaxed.text
    empty = client.get("/", params={"q": "zzzkatayangtidakada"})
    assert "Tidak ada artikel yang cocok." in empty.text


def test_a_query_that_cannot_be_read_is_a_400_with_the_reason(client):
    page = client.get("/", params={"q": '"Sri Mulyani'})
    assert page.status_code == 400
    assert "Kueri tidak dapat dibaca: unbalanced quote at column 1" in page.text
    assert 'value="&#34;Sri Mulyani"' in page.text


def test_names_link_to_a_name_query(client):
    page = client.get("/", params={"q": "Justin Bieber"})
    assert query_of(hrefs(page.text, r"nama%3A%22Purpose")[0]) == 'Justin Bieber nama:"Purpose Tour"'


# -- language ------------------------------------------------------------------------------

@pytest.mark.parametrize("accept, expected", [
    (None, "id"), ("en-US,en;q=0.9", "en"), ("id-ID,id;q=0.9,en;q=0.8", "id"),
    ("en;q=0.5,id;q=0.8", "id"), ("fr-FR,en;q=0.7", "en"), ("de", "id"),
])
def test_language_follows_accept_language(client, accept, expected):
    headers = {"Accept-Language": accept} if accept else {}
    page = client.get("/", params={"q": "jakarta"}, headers=headers)
    assert page.headers["content-language"] == expected
    assert f'<html lang="{expected}">' in page.text
    assert ("1–10 of 165 articles" if expected == "en" else "1–10 dari 165 artikel") in page.text


def test_lang_parameter_wins_and_links_keep_it(client):
    page = client.get("/", params={"q": "jakarta", "lang": "en"}, headers={"Accept-Language": "id"})
    assert "Most relevant" in page.text
    assert all("lang=en" in h for h in hrefs(page.text, r"^/\?q=jakarta.*page="))


# -- article page ----------------------------------------------------------------------------

def test_article_page_marks_every_match_and_lists_metadata(client):
    page = client.get("/articles/indosum:1500609600-justin-bieber-konser-di-jakarta-10-oktober",
                      params={"q": "jakarta"})
    assert page.status_code == 200
    assert page.text.count("<mark>") == 4
    assert "4 kecocokan disorot" in page.text
    assert '<a class="original" href="https://www.cnnindonesia.com/hiburan/' in page.text
    assert "<th scope=\"row\">date_source</th><td dir=\"auto\">field:date</td>" in page.text
    assert "Tidak ada salinan di media lain." in page.text
    assert hrefs(page.text, r"^/\?q=jakarta$")        # back to the results


def test_article_page_lists_copies(tmp_path):
    body = ("Gubernur meresmikan jembatan baru di pesisir utara yang menghubungkan dua kecamatan. "
            "Jembatan sepanjang 300 meter itu dibangun selama dua tahun dengan dana daerah. "
            "Warga kini tidak perlu lagi menyeberang dengan perahu kecil untuk pergi ke pasar.")
    copies = [article(f"copy{i}", "Gubernur resmikan jembatan pesisir", body, source=src,
                      date=f"2025-06-1{i}T10:00") for i, src in enumerate(["satu.id", "dua.id"])]
    with Archive.create(tmp_path / "ix") as arch:
        arch.add(copies)
    with running_server(tmp_path / "ix") as base:
        results = httpx.get(base + "/", params={"q": "jembatan"}).text
        page = httpx.get(base + "/articles/copy0").text
    assert "+1 serupa" in results
    assert '<li><a href="/articles/copy1">dua.id</a> — <span dir="auto">Gubernur resmikan' in page


def test_unknown_article_is_404(client):
    page = client.get("/articles/tidak-ada")
    assert page.status_code == 404 and "Artikel tidak ditemukan." in page.text
    api = client.get("/api/articles/tidak-ada")
    assert (api.status_code, api.json()) == (404, {"error": "no article with id 'tidak-ada'"})


# -- exports and feed --------------------------------------------------------------------------

def test_csv_export_has_every_match_with_a_bom_and_intact_text(client):
    reply = client.get("/export.csv", params={"q": HOSTILE_WORD})
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "text/csv; charset=utf-8"
    assert reply.headers["content-disposition"] == 'attachment; filename="carinews-zzhostile.csv"'
    assert reply.content.startswith(b"\xef\xbb\xbfid,date,date_inferred,source,title,url")
    rows = list(csv.DictReader(io.StringIO(reply.content.decode("utf-8-sig"))))
    assert len(rows) == 9 == int(reply.headers["x-carinews-total"])
    by_id = {r["id"]: r for r in rows}
    assert by_id["h-unicode"]["title"] == f"{UNICODE_TITLE} {HOSTILE_WORD}"
    assert by_id["h-formula"]["title"].startswith("'=HYPERLINK(")
    assert by_id["h-formula"]["body"].startswith("'+62 812")
    assert [r["id"] for r in rows][:2] == ["h-unicode", "h/../<b>id</b>?x=1#frag"]   # newest first


def test_jsonl_export_is_the_stored_articles(client, index):
    reply = client.get("/export.jsonl", params={"q": "jakarta", "sort": "oldest"})
    lines = [orjson.loads(line) for line in reply.content.splitlines()]
    assert len(lines) == 165
    with Archive.open(index) as arch:
        assert lines[0] == arch.get(lines[0]["id"]).to_dict()
    assert lines[0]["date"] <= lines[-1]["date"]


def test_atom_feed_lists_the_newest_dated_matches(client):
    reply = client.get("/feed.atom", params={"q": "jakarta"})
    assert reply.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(reply.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 50
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.find(f"{ATOM}updated").text == updated[0]
    assert feed.find(f"{ATOM}title").text == "carinews: jakarta"


# -- API -----------------------------------------------------------------------------------------

def test_api_search_is_the_cli_json_plus_paging(client):
    data = client.get("/api/search", params={"q": "Justin Bieber", "facets": "true"}).json()
    assert set(data) == {"query", "total", "partial", "took_ms", "relaxed", "notes", "suggestion", "hits", "facets",
                         "offset", "limit"}
    assert data["total"] == 3 and data["hits"][0]["title_highlights"] == [[0, 6], [7, 13]]
    assert data["hits"][0]["id"] == "indosum:1500609600-justin-bieber-konser-di-jakarta-10-oktober"
    assert data["facets"]["sources"] == [["cnnindonesia.com", 2], ["antaranews.com", 1]]
    assert (data["offset"], data["limit"]) == (0, 10)


def test_api_errors_are_json_with_the_reason(client):
    bad = client.get("/api/search", params={"q": '"Sri'})
    assert (bad.status_code, bad.json()) == (400, {"error": "unbalanced quote at column 1",
                                                    "position": 0})
    invalid = client.get("/api/search", params={"q": "x", "limit": "banyak"})
    assert invalid.status_code == 422
    assert invalid.json()["problems"][0]["parameter"] == "limit"


def test_api_stats_and_openapi(client):
    assert client.get("/api/stats").json()["articles"] == 301
    spec = client.get("/openapi.json").json()
    assert {"/", "/api/search", "/api/articles/{article_id}", "/api/stats", "/api/names",
            "/export.csv", "/export.jsonl", "/feed.atom"} <= set(spec["paths"])


# -- safety and freshness ----------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/?q=jakarta", "/api/stats", "/static/carinews.css",
                                  "/articles/tidak-ada", "/feed.atom?q=jakarta"])
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    assert headers["content-security-policy"].startswith("default-src 'none'; script-src 'self';")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_other_host_names_are_refused_on_loopback(client):
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "localhost:8080"}).status_code == 200
    assert client.get("/", headers={"Host": "[::1]:8080"}).status_code == 200


def test_new_commits_show_without_a_restart(tmp_path, articles):
    with Archive.create(tmp_path / "ix") as arch:
        arch.add(articles[:1])
    query = {"q": "Kremlin OR narkoba"}
    with running_server(tmp_path / "ix") as base:
        before = httpx.get(base + "/api/search", params=query).json()["total"]
        page_before = httpx.get(base + "/", params=query).text
        assert httpx.get(base + "/", params=query).text == page_before      # from the cache
        with Archive.create(tmp_path / "ix") as arch:
            arch.add(articles[1:])
        after = httpx.get(base + "/api/search", params=query).json()["total"]
        page_after = httpx.get(base + "/", params=query).text
    assert (before, after) == (1, 2)
    assert ("1–1 dari 1 artikel" in page_before, "1–2 dari 2 artikel" in page_after) == (True, True)


def test_did_you_mean_links_to_the_corrected_query(client):
    page = client.get("/", params={"q": "Justin Bieberr"})
    link = re.search(r'<p class="note suggestion">Maksud Anda: <a href="([^"]*)" rel="nofollow">'
                     r'Justin Bieber</a></p>', page.text)
    assert query_of(unescape(link.group(1))) == "Justin Bieber"
    english = client.get("/", params={"q": "Justin Bieberr", "lang": "en"})
    assert "Did you mean: <a" in english.text
    assert 'class="note suggestion"' not in client.get("/", params={"q": "Justin Bieber"}).text
