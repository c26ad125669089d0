"""HTML pages -> Articles: fields and where each came from, skips, encodings, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import carinews
from carinews.cli import cli
from carinews.errors import SkippedRecord
from carinews.ingest.html_meta import strip_site_name
from carinews.ingest.html_pages import NotAnArticle, decode_html, make_html_article
from carinews.ingest.html_rules import clean_main_text

FIXTURES = Path(__file__).parent / "fixtures" / "html"


def _article(name: str) -> carinews.Article:
    return make_html_article((FIXTURES / name).read_bytes(), origin=name)


def test_json_ld_article():
    article = _article("jsonld-article.html")
    assert article.title == "Belum sebulan penjualan toyota calya sudah lampaui target"
    assert article.date.isoformat() == "2016-08-19T11:03:40+07:00"
    assert (article.date_source, article.date_inferred) == ("json-ld:datePublished", False)
    assert article.author == "Dinda Rachmawati"
    assert article.url == "http://www.suara.com/otomotif/2016/08/19/110340/belum-sebulan-penjualan-toyota-calya-sudah-lampaui-target"
    assert article.source == "suara.com"
    assert article.field_sources == {
        "encoding": "utf-8", "url": "link:canonical", "title": "json-ld:headline+h1",
        "author": "json-ld:author", "site_name": "meta:og:site_name", "language": "html:lang",
        "date": "json-ld:datePublished", "body": "trafilatura+rules"}
    assert article.extra == {"site_name": "Suara.com", "language": "id"}
    for furniture in ("ADVERTISEMENT", "Baca juga", "Harga Mobil Bekas", "All Rights Reserved", "Home"):
        assert furniture not in article.body
    assert article.body.startswith("Suara.com - Diluncurkan sekitar dua pekan lalu, mobil baru Toyota Calya")
    assert article.body.endswith("masing-masing dilego dengan harga Rp 138 juta, Rp 150 juta.")


def test_pubdate_z_is_jakarta_time_when_the_byline_says_so():
    article = _article("pubdate-z.html")
    # read as UTC, 23:30Z would be 06:30 WIB the next day
    assert article.date.isoformat() == "2016-08-22T23:30:00+07:00"
    assert article.date_source == "meta:pubdate"


def test_bytes_over_declared_charset_and_site_prefix_and_lead_outside_paragraphs():
    data = (FIXTURES / "declared-latin1.html").read_bytes()
    assert decode_html(data)[1] == "utf-8"
    article = _article("declared-latin1.html")
    assert article.title == "Istana tegaskan presiden jokowi netral di pilgub dki"
    assert article.field_sources["title"] == "meta:og:title+h1"
    assert "“ramah”" in article.body                    # UTF-8, not mojibake
    assert article.body.startswith("KabarKita.com – Pak Ucok “ramah” — Merdeka.com - Juru Bicara")
    assert article.date.isoformat() == "2016-08-25T07:15:00+07:00"
    assert article.date_source == "byline:Kamis, 25 Agustus 2016 07:15"
    assert (article.extra["language"], article.field_sources["language"]) == ("id", "text")


def test_not_utf8_falls_back_to_the_declared_charset():
    page = '<html><head><meta charset="iso-8859-1"></head><body>Caf\xe9</body></html>'.encode("latin-1")
    assert decode_html(page) == ('<html><head><meta charset="iso-8859-1"></head><body>Café</body></html>', "cp1252")


@pytest.mark.parametrize("name, reason", [
    ("tag-page.html", "index or tag page (/tag/otomotif)"),
    ("photo-page.html", "photo page with a caption only (14 words)"),
])
def test_pages_that_are_not_articles(name, reason):
    with pytest.raises(NotAnArticle) as caught:
        _article(name)
    assert caught.value.reason == reason


@pytest.mark.parametrize("title, expected", [
    ("Samsul Arif Tak Beban Lawan Arema - Kompas.com", "Samsul Arif Tak Beban Lawan Arema"),
    ("Polres Serahkan Anggota ke Kejaksaan - Kompas.com Regional", "Polres Serahkan Anggota ke Kejaksaan"),
    ("KapanLagi.com: FOTO: Dian Saat Berusia 13 Tahun, Masih Cantik?", "FOTO: Dian Saat Berusia 13 Tahun, Masih Cantik?"),
    ("Jamaah Haji Ikuti Pemeriksaan Kesehatan | ihram.co.id", "Jamaah Haji Ikuti Pemeriksaan Kesehatan"),
    ("Sering Depresi Berat - Health :: Okezone Lifestyle", "Sering Depresi Berat - Health"),
    ("Tri Indonesia: Broadband Dorong Ekosistem Digital", "Tri Indonesia: Broadband Dorong Ekosistem Digital"),
])
def test_strip_site_name(title, expected):
    assert strip_site_name(title, ["kompas.com", "kapanlagi.com", "okezone", "liputan6.com"]) == expected


def test_main_text_rules():
    text = "\n".join(["Baca juga:", "Harga Cabai Naik Lagi di Pasar Induk", "",
                      "Warga mengeluhkan harga cabai yang terus naik sejak pekan lalu.",
                      "ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT",
                      "Presiden meninjau pasar. (Foto: ANTARA/Budi)", "- Kamis, 05/11/2015 09:25 WIB", "-", "01",
                      "Pedagang berharap pasokan kembali normal."])
    assert clean_main_text(text) == ("Warga mengeluhkan harga cabai yang terus naik sejak pekan lalu.\n"
                                     "Pedagang berharap pasokan kembali normal.")


def test_read_articles_reads_html_and_skips_non_articles(tmp_path):
    items = list(carinews.read_articles([FIXTURES]))
    articles = [i for i in items if isinstance(i, carinews.Article)]
    skips = [i for i in items if isinstance(i, SkippedRecord)]
    assert sorted(a.title for a in articles) == [
        "Belum sebulan penjualan toyota calya sudah lampaui target",
        "Bisa retas apple bakal dikasih bonus rp2 6 miliar",
        "Istana tegaskan presiden jokowi netral di pilgub dki"]
    assert [(Path(s.path).name, s.reason) for s in skips] == [
        ("photo-page.html", "not an article: photo page with a caption only (14 words)"),
        ("tag-page.html", "not an article: index or tag page (/tag/otomotif)")]


def test_cli_index_and_show_provenance(tmp_path):
    runner = CliRunner()
    index = str(tmp_path / "index")
    result = runner.invoke(cli, ["index", "--index", index, str(FIXTURES)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith(
        "added 3, replaced 0, unchanged 0, rejected 0, skipped 2 (not an article 2) in ")
    assert result.stderr.splitlines() == [
        f"{FIXTURES}/photo-page.html: not an article: photo page with a caption only (14 words)",
        f"{FIXTURES}/tag-page.html: not an article: index or tag page (/tag/otomotif)"]
    found = json.loads(runner.invoke(cli, ["search", "--index", index, "--json", "Calya"]).stdout)
    shown = runner.invoke(cli, ["show", "--index", index, found["hits"][0]["id"]]).stdout.splitlines()
    assert "title: Belum sebulan penjualan toyota calya sudah lampaui target  [from json-ld:headline+h1]" in shown
    assert "date_source: json-ld:datePublished" in shown
    assert "author: Dinda Rachmawati  [from json-ld:author]" in shown
    assert ("fields from: encoding=utf-8, url=link:canonical, title=json-ld:headline+h1, author=json-ld:author, "
            "site_name=meta:og:site_name, language=html:lang, date=json-ld:datePublished, "
            "body=trafilatura+rules") in shown
