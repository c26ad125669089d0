"""carinews serve in a real browser: Debian's headless Chromium driven by Playwright.

Marked `browser`; skipped, with the reason, when /usr/bin/chromium or playwright is
missing (`apt-get install chromium`, `pip install playwright`; never `playwright
install`, which downloads a browser of its own). Screenshots go to tests/artifacts/."""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from web_server import HOSTILE_WORD, running_server, web_index

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CARINEWS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"

if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api",
                                     reason="playwright not installed (pip install playwright)")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    index = web_index(tmp_path_factory.mktemp("browser") / "index")
    with running_server(index) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


def new_page(browser, **options):
    options.setdefault("locale", "id-ID")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True,
                                  **options)
    page = context.new_page()
    page.dialogs, page.errors = [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def page_without_js(browser):
    page = new_page(browser, java_script_enabled=False)
    yield page
    page.context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def query_in_url(page) -> str:
    return parse_qs(urlsplit(page.url).query).get("q", [""])[0]


def hit_ids(page) -> list[str]:
    return page.locator("li.hit").evaluate_all("els => els.map(e => e.dataset.id)")


def follow(page, locator) -> None:
    """Click a link and wait for the page it leads to."""
    with page.expect_navigation():
        locator.click()


def search(page, base: str, text: str) -> None:
    page.goto(base + "/")
    page.fill("#q", text)
    page.press("#q", "Enter")
    page.wait_for_selector("#count")


def test_typed_query_shows_highlighted_results(page, base):
    search(page, base, "Justin Bieber")
    assert page.locator("#count").inner_text() == "1–3 dari 3 artikel"
    first = page.locator("li.hit").first
    assert first.locator("h3 mark").all_inner_texts() == ["Justin", "bieber"]
    assert "Bieber" in first.locator(".snippet mark").all_inner_texts()
    assert page.locator("#q").input_value() == "Justin Bieber"
    assert page.errors == []            # no script error, nothing the CSP had to block
    shot(page, "search-justin-bieber")


def test_outlet_facet_and_chart_bar_narrow_the_query(page, base):
    search(page, base, "jakarta")
    assert page.locator("#count").inner_text() == "1–10 dari 165 artikel"
    follow(page, page.locator(".facet a", has_text="kumparan.com"))
    assert query_in_url(page) == "jakarta sumber:kumparan.com"
    assert page.locator("#q").input_value() == "jakarta sumber:kumparan.com"
    assert page.locator("#count").inner_text() == "1–10 dari 16 artikel"
    assert set(page.locator("li.hit .source").all_inner_texts()) == {"kumparan.com"}
    bar = page.locator("svg.bars a.bar").first
    clause = bar.get_attribute("data-clause")
    follow(page, bar)
    assert page.locator("#q").input_value() == f"jakarta sumber:kumparan.com {clause}"
    narrowed = int(page.locator("#count").inner_text().split()[-2])
    assert 0 < narrowed < 16
    shot(page, "search-narrowed")


def test_paging_forward_and_back(page, base):
    search(page, base, "jakarta")
    first = hit_ids(page)
    follow(page, page.get_by_role("link", name="Berikutnya »"))
    assert page.locator("#count").inner_text() == "11–20 dari 165 artikel"
    second = hit_ids(page)
    assert len(second) == 10 and not set(first) & set(second)
    page.go_back()
    assert hit_ids(page) == first
    page.go_forward()
    assert hit_ids(page) == second
    follow(page, page.get_by_role("link", name="« Sebelumnya"))
    assert hit_ids(page) == first
    assert page.locator("#count").inner_text() == "1–10 dari 165 artikel"


def test_open_an_article(page, base):
    search(page, base, "Justin Bieber")
    follow(page, page.locator("li.hit h3 a").first)
    assert page.locator("h1").inner_text() == "Justin bieber konser di jakarta 10 oktober mendatang"
    assert page.locator(".body mark").all_inner_texts() == (
        ["Justin", "Bieber", "Bieber", "Bieber", "Justin"] + ["Bieber"] * 5)
    assert page.locator(".original").get_attribute("href").startswith("https://www.cnnindonesia.com/")
    rows = page.locator(".metadata tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells, c => c.innerText))")
    assert ["date_source", "field:date", "dihitung"] in rows
    assert ["extra.date_source", "url", "rekaman sumber"] in rows
    shot(page, "article-justin-bieber")
    follow(page, page.get_by_role("link", name="« Kembali ke hasil"))
    assert page.locator("#q").input_value() == "Justin Bieber"


def test_download_the_csv_and_read_it_back(page, base):
    search(page, base, HOSTILE_WORD)
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename == "carinews-zzhostile.csv"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 9
    assert "Jalan Soekarno–Hatta “dibuka” lagi, kafé & ꦲꦏ꧀ꦱꦫ zzhostile" in [r["title"] for r in rows]


def test_hostile_articles_run_no_script(page, base):
    search(page, base, HOSTILE_WORD)
    assert page.locator("li.hit").count() == 9
    follow(page, page.locator("li.hit h3 a").first)
    for article_id in ("h-script", "h-img", "h-ansi"):
        page.goto(f"{base}/articles/{article_id}?q={HOSTILE_WORD}")
        assert page.evaluate("window.__xss") is None
    page.goto(f"{base}/?q={HOSTILE_WORD}")
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []
    assert page.locator("img").count() == 0
    assert page.errors == []
    shot(page, "search-hostile")


def test_works_without_javascript(page_without_js, base):
    page = page_without_js
    search(page, base, "jakarta")
    assert page.locator("#count").inner_text() == "1–10 dari 165 artikel"
    page.select_option("select[name=sort]", "newest")      # no auto-submit without script
    follow(page, page.get_by_role("button", name="Cari"))
    assert "sort=newest" in page.url
    assert page.locator("time").first.inner_text() == "1 Mei 2024 10.00 WIB"
    follow(page, page.locator(".facet a", has_text="kumparan.com"))
    assert page.locator("#q").input_value() == "jakarta sumber:kumparan.com"
    follow(page, page.get_by_role("link", name="Berikutnya »"))
    assert page.locator("#count").inner_text() == "11–16 dari 16 artikel"
    page.fill("input[name=since]", "2017-01-01")
    page.fill("input[name=until]", "2017-12-31")
    follow(page, page.get_by_role("button", name="Cari"))
    assert page.locator("#q").input_value() == "jakarta sumber:kumparan.com tanggal:2017-01-01..2017-12-31"
    assert page.locator("#save-search").is_hidden()
    follow(page, page.locator("li.hit h3 a").first)
    assert page.locator(".body").count() == 1
    page.goto(base + "/")
    assert "memerlukan JavaScript" in page.locator(".saved").inner_text()
    shot(page, "search-no-javascript")


def test_keyboard_alone(page, base):
    page.goto(base + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Tab")                  # the brand link
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("Justin Bieber")
    page.keyboard.press("Enter")
    page.wait_for_selector("#count")
    page.keyboard.press("/")                    # back to the box from anywhere
    assert page.evaluate("document.activeElement.id") == "q"
    for _ in range(40):                         # Tab on to the first result's title
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('li.hit h3') !== null"):
            break
    else:
        pytest.fail("no result title reached by Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector(".article h1")
    assert page.locator("h1").inner_text() == "Justin bieber konser di jakarta 10 oktober mendatang"


def test_saved_searches_live_in_the_browser(page, base):
    search(page, base, 'nama:"Justin Bieber"')
    page.get_by_role("button", name="Simpan pencarian ini").click()
    page.goto(base + "/")
    saved = page.locator("#saved-list a")
    assert saved.all_inner_texts() == ['nama:"Justin Bieber"']
    follow(page, saved.first)
    assert page.locator("#q").input_value() == 'nama:"Justin Bieber"'
    page.goto(base + "/")
    page.get_by_role("button", name='hapus: nama:"Justin Bieber"').click()
    assert page.locator("#saved-list").inner_text() == "Belum ada. Simpan pencarian dari halaman hasil."


def test_english_when_the_browser_prefers_it(browser, base):
    page = new_page(browser, locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"})
    try:
        search(page, base, "jakarta")
        assert page.locator("#count").inner_text() == "1–10 of 165 articles"
        assert page.get_by_role("link", name="Next »").count() == 1
    finally:
        page.context.close()


def test_seed_page_kremlin(browser, tmp_path):
    import carinews
    from carinews.archive import Archive
    from conftest import shared_path

    seed = shared_path("seed")
    with Archive.create(tmp_path / "ix") as archive:
        archive.add(carinews.read_articles([str(seed)]))
    page = new_page(browser)
    try:
        with running_server(tmp_path / "ix") as url:
            search(page, url, "Kremlin")
            assert page.locator("li.hit h3").inner_text() == \
                "Rusia Bantah Minta Bantuan Militer China Untuk Memperkuat Serangan ke Ukraina"
            assert page.locator("li.hit .snippet mark").all_inner_texts() == ["Kremlin"]
            assert page.locator("li.hit time").inner_text() == "15 Mar 2022 (tanggal diperkirakan)"
            shot(page, "search-kremlin-seed")
            follow(page, page.locator("li.hit h3 a"))
            assert page.locator(".body mark").all_inner_texts() == ["Kremlin"]
            shot(page, "article-kremlin-seed")
    finally:
        page.context.close()
