"""Golden files for pages: the seed page and the raw pages -> Article fields.

The pages are the publishers' copyright and must not be copied into this
repository, so a golden file keeps the metadata and, for the body, one short
hash per paragraph (`golden_view`): any change to any paragraph shows up as a
diff at that paragraph's index, without the text itself being stored here.

`python tests/golden_pages.py` (or pytest `--update-golden`, if the conftest
offers it) rewrites tests/golden/pages/*.json; review the diff.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from carinews.ingest.articles import make_article
from carinews.ingest.sources import read_articles

TESTS = Path(__file__).resolve().parent
GOLDEN = TESTS / "golden" / "pages"
SHARED = TESTS.parent.parent / "shared" / "corpus"
SEED = SHARED / "seed" / "serambinews-rusia-bantah-2022-03.txt"
RAW_PAGES = SHARED / "raw" / "pages" / "indonews_scrape_2025"
FIELDS = ("title", "body", "source", "date", "date_source", "date_inferred", "author", "section", "dateline",
          "url_key")


def seed_fields() -> dict:
    article = next(read_articles([SEED]))
    return _fields(article)


def raw_page_cases() -> list[tuple[str, dict]]:
    cases = []
    for path in sorted(RAW_PAGES.glob("*.json")):
        for index, page in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            cases.append((f"{path.stem}-{index}", page))
    return cases


def raw_page_fields(page: dict) -> dict:
    record = {"url": page["url"], "title": page["title"], "body": page["raw_body"],
              "author": page.get("author"), "meta": {"raw_date": page["raw_date"]}}
    return _fields(make_article(record))


def _fields(article) -> dict:
    data = article.to_dict()
    return {name: data[name] for name in FIELDS}


def write_all() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    _write(GOLDEN / "seed.json", seed_fields())
    for name, page in raw_page_cases():
        _write(GOLDEN / f"{name}.json", raw_page_fields(page))


def golden_view(fields: dict) -> dict:
    """The fields as stored in a golden file: body paragraphs replaced by their hashes."""
    view = dict(fields)
    body = view.pop("body")
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    view["body_chars"] = len(body)
    view["body_paragraph_sha1"] = [hashlib.sha1(p.encode("utf-8")).hexdigest()[:12] for p in paragraphs]
    return view


def _write(path: Path, data: dict) -> None:
    data = golden_view(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_all()
