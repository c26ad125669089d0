"""Every match as CSV or JSONL, and the newest as an Atom feed, written as they are read.

Steps: `csv_chunks` writes a UTF-8 BOM (spreadsheets then read Indonesian
letters right) and one row per article, with cells that a spreadsheet would run
as a formula (`=`, `+`, `-`, `@` first) prefixed by `'`; `jsonl_chunks` writes
each article as the JSON object `carinews show --json` prints; `atom_feed`
writes a feed of the newest dated matches, XML-escaped, characters XML cannot
hold replaced. The columns and fields are the ones `carinews index` reads, so an
export can be indexed again.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from carinews.results.render import to_json
from carinews.web.views import http_url, safe_text

CSV_COLUMNS = ("id", "date", "date_inferred", "source", "title", "url", "author", "section",
               "names", "body")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
CELL_MAX = 32_000       # a spreadsheet cell holds 32,767 characters
CHUNK = 64 * 1024


def _cell(value) -> str:
    text = "" if value is None else str(value)
    text = text[:CELL_MAX]
    return "'" + text if text.startswith(_FORMULA) else text


def csv_chunks(articles: Iterable) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(CSV_COLUMNS)
    for article in articles:
        row = article.to_dict()
        row["names"] = "; ".join(article.names)
        writer.writerow([_cell(row.get(name)) for name in CSV_COLUMNS])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def jsonl_chunks(articles: Iterable) -> Iterator[bytes]:
    lines: list[str] = []
    size = 0
    for article in articles:
        line = to_json(article.to_dict()) + "\n"
        lines.append(line)
        size += len(line)
        if size >= CHUNK:
            yield "".join(lines).encode("utf-8")
            lines, size = [], 0
    yield "".join(lines).encode("utf-8")


def export_filename(query: str, ext: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", query.lower()).strip("-")[:60] or "hasil"
    return f"carinews-{slug}.{ext}"


# -- Atom ----------------------------------------------------------------------

def _xml(text: str | None) -> str:
    return escape(safe_text(text))


def atom_feed(articles: Iterable, *, query: str, feed_url: str, page_url: str,
              base: str, lang: str, title: str) -> Iterator[str]:
    """The feed of `articles` (newest first; undated ones are left out: an entry needs a date)."""
    entries = [a for a in articles if a.date is not None]
    updated = entries[0].date if entries else datetime(1970, 1, 1, tzinfo=timezone.utc)
    yield '<?xml version="1.0" encoding="utf-8"?>\n'
    yield f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">\n'
    yield f"<title>{_xml(title)}</title>\n"
    yield f"<id>urn:carinews:search:{quote(query, safe='')}</id>\n"
    yield f"<updated>{updated.isoformat()}</updated>\n"
    yield f"<link rel=\"self\" href={quoteattr(feed_url)}/>\n"
    yield f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(page_url)}/>\n"
    yield "<author><name>carinews</name></author>\n<generator>carinews</generator>\n"
    for article in entries:
        yield _entry(article, base)
    yield "</feed>\n"


def _entry(article, base: str) -> str:
    page = f"{base}/articles/{quote(article.id, safe='')}"
    original = http_url(article.url)
    parts = ["<entry>",
             f"<title>{_xml(article.title)}</title>",
             f"<id>urn:carinews:article:{quote(article.id, safe='')}</id>",
             f"<updated>{article.date.isoformat()}</updated>",
             f"<published>{article.date.isoformat()}</published>",
             f"<link rel=\"alternate\" href={quoteattr(original or page)}/>",
             f"<link rel=\"related\" type=\"text/html\" href={quoteattr(page)}/>"]
    if article.author:
        parts.append(f"<author><name>{_xml(article.author)}</name></author>")
    if article.source:
        parts.append(f"<category term={quoteattr(safe_text(article.source))}/>")
    summary = " ".join(article.body.split())[:400]
    parts.append(f"<summary>{_xml(summary)}</summary>")
    parts.append("</entry>\n")
    return "\n".join(parts)
