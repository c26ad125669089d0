"""Screenshots of `carinews serve` for notes and reviews: the search page for a query
and the page of its first hit, taken by Debian's headless Chromium through Playwright.

    python benchmarks/web_screenshots.py --index /tmp/ix12k --query '"Sri Mulyani"' \
        --out tests/artifacts/sri-mulyani

writes OUT-search.png and OUT-article.png. The server runs in this process on a free
127.0.0.1 port and stops when the pictures are taken.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from web_server import running_server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--query", required=True)
    parser.add_argument("--out", required=True, help="path prefix of the PNG files")
    parser.add_argument("--lang", default="id-ID")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with running_server(Path(args.index)) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale=args.lang,
                                extra_http_headers={"Accept-Language": args.lang})
        page.goto(base + "/")
        page.fill("#q", args.query)
        with page.expect_navigation():
            page.press("#q", "Enter")
        page.screenshot(path=f"{args.out}-search.png", full_page=True)
        print(page.locator("#count").inner_text())
        with page.expect_navigation():
            page.locator("li.hit h3 a").first.click()
        page.screenshot(path=f"{args.out}-article.png", full_page=True)
        print(page.locator("h1").inner_text())
        browser.close()


if __name__ == "__main__":
    main()
