"""WARC files written with warcio's own writer: responses, a revisit, a non-HTML payload,
a request record and a truncated tail; indexed through the public library."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import carinews
from carinews.errors import SkippedRecord, SourceError
from carinews.ingest.warc import read_warc
from conftest import shared_path

FIXTURES = Path(__file__).parent / "fixtures" / "html"
ARTICLES = {"jsonld-article.html": "https://www.suara.com/otomotif/2016/08/19/110340/calya",
            "pubdate-z.html": "https://tekno.example.id/read/2016/08/22/retas-apple",
            "declared-latin1.html": "http://www.kabarkita.com/berita/istana-tegaskan.html"}


def _response(writer: WARCWriter, url: str, payload: bytes, content_type: str = "text/html",
              date: str = "2016-08-30T10:00:00Z", status: str = "200 OK"):
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    return writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers,
                                     warc_headers_dict={"WARC-Date": date})


def write_warc(path: Path, pages: list[tuple[str, bytes]], *, gzip: bool, tail: bytes | None = None) -> int:
    """Write `pages` as responses, then a revisit of the first, a JPEG, a request and a tag
    page; with `tail`, one more response cut short. Returns the offset of that record."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for url, payload in pages:
            writer.write_record(_response(writer, url, payload))
        first_url = pages[0][0]
        revisit = writer.create_revisit_record(first_url, digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                               refers_to_uri=first_url, refers_to_date="2016-08-30T10:00:00Z")
        writer.write_record(revisit)
        writer.write_record(_response(writer, "https://img.example.id/a.jpg", b"\xff\xd8\xff" + b"\0" * 500,
                                      content_type="image/jpeg"))
        writer.write_record(writer.create_warc_record(first_url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
        writer.write_record(_response(writer, "http://www.kabarkita.com/tag/otomotif",
                                      (FIXTURES / "tag-page.html").read_bytes()))
        cut_at = handle.tell()
        if tail is not None:
            whole = io.BytesIO()
            tail_writer = WARCWriter(whole, gzip=gzip)
            tail_writer.write_record(_response(tail_writer, "https://cut.example.id/berita/1", tail))
            handle.write(whole.getvalue()[:len(whole.getvalue()) // 2])
    return cut_at


def _fixture_pages() -> list[tuple[str, bytes]]:
    return [(url, (FIXTURES / name).read_bytes()) for name, url in ARTICLES.items()]


@pytest.mark.parametrize("gzip", [True, False])
def test_warc_counts_and_search(tmp_path, gzip):
    warc = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    cut_at = write_warc(warc, _fixture_pages(), gzip=gzip, tail=(FIXTURES / "jsonld-article.html").read_bytes())
    archive = carinews.Archive.create(tmp_path / "index")
    errors = []
    with archive:
        report = archive.add(carinews.read_articles([warc]), on_error=errors.append)
        assert (report.added, report.replaced, report.rejected) == (3, 0, 1)
        assert report.skipped == {"revisit": 1, "not HTML": 1, "not an article": 1}
        damaged = [e for e in errors if not isinstance(e, SkippedRecord)]
        assert [str(e) for e in damaged] == [
            f"{warc}: damaged at byte {cut_at}: the record there is cut short (file truncated?); "
            f"the records before it were read"]
        result = archive.search("Calya")
        assert [hit.url for hit in result.hits] == [ARTICLES["jsonld-article.html"]]
        assert result.total == 1
        article = archive.get(result.hits[0].id)
        assert article.field_sources["url"] == "warc:WARC-Target-URI"
        assert article.date.isoformat() == "2016-08-19T11:03:40+07:00"
        assert archive.search("Jokowi").total == 1


def test_warc_skip_messages_name_offsets_and_reasons(tmp_path):
    warc = tmp_path / "crawl.warc"
    write_warc(warc, _fixture_pages()[:1], gzip=False)
    items = list(read_warc(str(warc)))
    kinds = [(type(i).__name__, getattr(i, "kind", None)) for i in items]
    assert kinds == [("Article", None), ("SkippedRecord", "revisit"), ("SkippedRecord", "not HTML"),
                     ("SkippedRecord", "not an article")]
    assert items[2].reason.endswith("(https://img.example.id/a.jpg): not HTML (image/jpeg)")
    assert items[3].reason.endswith("not an article: index or tag page (/tag/otomotif)")
    assert items[1].reason.startswith("record at byte ")


def test_warc_date_is_the_fallback_date(tmp_path):
    page = (b"<html><head><title>Warga Desa Membangun Jembatan Sendiri</title></head><body>"
            + b"<p>" + b"Warga desa itu bergotong royong membangun jembatan bambu di atas sungai. " * 12
            + b"</p></body></html>")
    warc = tmp_path / "nodate.warc"
    with open(warc, "wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        writer.write_record(_response(writer, "https://desa.example.id/berita/jembatan", page,
                                      date="2019-03-04T20:30:00Z"))
    [article] = list(read_warc(str(warc)))
    assert article.date.isoformat() == "2019-03-04T20:30:00+00:00"
    assert (article.date_source, article.date_inferred) == ("warc:WARC-Date", True)


def test_corrupt_warc_keeps_records_before_the_damage(tmp_path):
    warc = tmp_path / "broken.warc"
    cut_at = write_warc(warc, _fixture_pages(), gzip=False)
    with open(warc, "ab") as handle:
        handle.write(b"this is not a WARC record at all\r\n\r\n" * 3)
    items = list(read_warc(str(warc)))
    assert sum(isinstance(i, carinews.Article) for i in items) == 3
    last = items[-1]
    assert type(last) is SourceError
    # the damage starts where the last good record ends (before its CRLF CRLF separator)
    assert str(last) == (f"{warc}: damaged at byte {cut_at - 4}: Invalid WARC record, first line: "
                         f"this is not a WARC record at all; the records before it were read")


def test_shared_pages_as_a_warc(tmp_path):
    html_dir = shared_path("raw", "html")
    pages = []
    for line in (html_dir / "INDEX.tsv").read_text("utf-8").splitlines()[1:]:
        name, url = line.split("\t")[0], line.split("\t")[6].split()[0]
        pages.append((url, (html_dir / name).read_bytes()))
    warc = tmp_path / "shared.warc.gz"
    write_warc(warc, pages, gzip=True, tail=pages[0][1])
    with carinews.Archive.create(tmp_path / "index") as archive:
        report = archive.add(carinews.read_articles([warc]))
        assert (report.added, report.rejected) == (28, 1)
        assert report.skipped == {"revisit": 1, "not HTML": 1, "not an article": 4}
        result = archive.search("Zuckerberg")
        assert [hit.url for hit in result.hits] == [
            "http://internasional.kompas.com/read/2016/02/16/14115471/Diancam.Lewat.Dunia.Maya.Mark.Zuckerberg.Sewa.16.Tukang.Pukul."]


def test_indexing_the_same_warc_again_recognises_every_page(tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, _fixture_pages(), gzip=True)
    from carinews.indexing import run_index

    first = run_index(tmp_path / "index", [str(warc)])
    again = run_index(tmp_path / "index", [str(warc)])
    assert (first.added, first.unchanged, first.skipped) == (3, 0, {"revisit": 1, "not HTML": 1, "not an article": 1})
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 3)
    assert again.skipped == {"revisit": 1, "not HTML": 1, "not an article": 1}
