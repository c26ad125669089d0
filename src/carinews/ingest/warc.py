"""WARC and ARC files -> Articles, one per archived HTML page, streamed record by record.

Steps:
1. warcio's ArchiveIterator over the raw file (it finds gzip members itself, so offsets
   are offsets in the file); ARC files give their `uri` and `archive-date` instead.
2. Each record: `response` (or an ARC `response`) with an HTML payload and HTTP status 200
   becomes an Article through `html_pages.make_html_article`, its `WARC-Target-URI` as URL
   and its `WARC-Date` as the date when the page shows none. `revisit` records,
   non-HTML payloads, other HTTP statuses and pages that are not articles are skipped,
   each with a `SkippedRecord` that says why. `warcinfo`, `request` and `metadata`
   records are not pages and pass silently.
3. Damage: a record whose block ends before its `Content-Length` (a truncated file) or a
   file warcio cannot parse further stops the reading with one `SourceError` naming the
   byte offset where the damaged record starts; every record before it was yielded.

Payloads are read one at a time, up to MAX_PAYLOAD_BYTES each; nothing else is kept. With
`known` (the archive's `known_record`), a page indexed before from the same payload and URL
is recognised by its raw digest before it is extracted.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from carinews.ingest.articles import Article, Unchanged, raw_digest
from carinews.errors import SkippedRecord, SourceError

MAX_PAYLOAD_BYTES = 20 * 1024 * 1024
HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(path: str, known=None) -> Iterator[Article | SourceError]:
    """Articles and skips of one WARC/ARC file (see the module docstring)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        handle = open(path, "rb")
    except OSError as error:
        yield SourceError(path, f"cannot open: {error.strerror or error}")
        return
    with handle:
        records = ArchiveIterator(handle)
        offset, first_format = 0, None
        try:
            for record in records:
                page = _read_record(record)      # first: warcio's offset reads to the record's end
                offset = records.get_record_offset()
                first_format = first_format or record.format
                if record.format != first_format:    # warcio read garbage in a WARC as an ARC line
                    yield SourceError(path, f"damaged at byte {offset}: not a {first_format.upper()} "
                                            f"record; the records before it were read")
                    return
                if page.truncated:
                    yield SourceError(path, f"damaged at byte {offset}: the record there is cut short "
                                            f"(file truncated?); the records before it were read")
                    return
                item = _item(path, page, offset, known)
                if item is not None:
                    yield item
                offset += records.get_record_length() or 0
        except (ArchiveLoadFailed, zlib.error, EOFError, ValueError) as error:
            yield SourceError(path, f"damaged at byte {offset}: {_short(error)}; "
                                    f"the records before it were read")


@dataclass
class _Page:
    kind: str                       # the record type
    uri: str | None
    content_type: str = ""
    status: str = "200"
    payload: bytes | None = None    # an HTML payload, read
    date: datetime | None = None
    truncated: bool = False


def _read_record(record) -> _Page:
    """What the reader needs of one record; its block is read to the end."""
    uri = record.rec_headers.get_header("WARC-Target-URI" if record.format == "warc" else "uri")
    page = _Page(record.rec_type, uri)
    if page.kind == "response" and record.http_headers is not None:
        page.content_type = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
        page.status = record.http_headers.get_statuscode() or ""
        if page.content_type in HTML_TYPES and page.status == "200":
            page.payload = record.content_stream().read(MAX_PAYLOAD_BYTES + 1)
            page.date = _warc_date(record)
    stream = record.raw_stream
    while stream.read(1 << 16):
        pass
    page.truncated = getattr(stream, "limit", 0) > 0    # the block ended before its Content-Length
    return page


def _item(path: str, page: _Page, offset: int, known=None) -> Article | SourceError | Unchanged | None:
    where = f"record at byte {offset}" + (f" ({page.uri})" if page.uri else "")
    if page.kind == "revisit":
        return SkippedRecord(path, f"{where}: revisit record (no payload of its own)", kind="revisit")
    if page.kind != "response":
        return None
    if page.content_type not in HTML_TYPES:
        return SkippedRecord(path, f"{where}: not HTML ({page.content_type or 'no type'})", kind="not HTML")
    if page.status != "200":
        return SkippedRecord(path, f"{where}: HTTP status {page.status}", kind="HTTP status")
    if len(page.payload) > MAX_PAYLOAD_BYTES:
        return SourceError(path, f"{where}: page larger than {MAX_PAYLOAD_BYTES} bytes; skipped")
    from carinews.ingest.html_pages import NotAnArticle, make_html_article

    digest = raw_digest(page.payload + b"\x1f" + (page.uri or "").encode("utf-8", "replace"), "warc") if known else None
    unchanged = known(digest) if digest else None
    if unchanged is not None:
        return unchanged
    try:
        article = make_html_article(page.payload, origin=f"{path}@{offset}", url=page.uri,
                                    fallback_date=page.date)
        article.raw_hash = digest
        return article
    except NotAnArticle as skip:
        return SkippedRecord(path, f"{where}: not an article: {skip.reason}", kind="not an article")
    except ValueError as error:
        return SkippedRecord(path, f"{where}: not an article: {error}", kind="not an article")


def _warc_date(record) -> datetime | None:
    from carinews.ingest import dates
    from carinews.errors import CarinewsError

    if record.format == "warc":
        value = record.rec_headers.get_header("WARC-Date")
    else:                       # ARC: 14-digit archive date, UTC
        stamp = record.rec_headers.get_header("archive-date") or ""
        value = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[8:10]}:{stamp[10:12]}:{stamp[12:14]}Z" if len(stamp) >= 14 else ""
    if not value:
        return None
    try:
        return dates.parse_date(value)
    except CarinewsError:
        return None


def _short(error: Exception) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:160]
