"""articles.make_article: field mapping, dates (given and inferred), ids, extra."""

import pytest

from carinews.ingest.articles import Article, make_article, map_fields

BODY = "JAKARTA, KOMPAS.com - Warga memadati alun-alun sejak pagi, Selasa (15/3/2022).\nBaca juga: Lain\nSelesai."


def test_english_and_indonesian_names_map_to_the_same_fields():
    a = make_article({"title": "T", "body": BODY, "date": "15 Maret 2022", "source": "kompas", "url": "https://x.id/a",
                      "author": "A", "category": "C"})
    b = make_article({"judul": "T", "isi_berita": BODY, "tanggal": "15 Maret 2022", "sumber": "kompas",
                      "link": "https://x.id/a", "penulis": "A", "kategori": "C"})
    assert a.to_dict() == b.to_dict()


def test_unknown_fields_and_meta_go_to_extra():
    mapped, extra = map_fields({"title": "T", "body": "B", "views": 3, "meta": {"raw_date": "x", "views": 4},
                                "category": "News", "sub-category": "Bola"})
    assert mapped == {"title": "T", "body": "B", "section": "News"}
    assert extra == {"views": 3, "raw_date": "x", "meta.views": 4, "sub-category": "Bola"}


def test_body_is_cleaned_and_dateline_read():
    article = make_article({"title": "T", "body": BODY, "date": "2022-03-15T10:00:00+07:00"})
    assert article.body == ("JAKARTA, KOMPAS.com - Warga memadati alun-alun sejak pagi, Selasa (15/3/2022)."
                            "\n\nSelesai.")
    assert (article.dateline, article.source) == ("JAKARTA", "kompas.com")


@pytest.mark.parametrize("fields, iso, source, inferred", [
    ({"date": "Tidak Ditemukan", "url": "https://aceh.tribunnews.com/2025/06/10/x"},
     "2025-06-10T00:00:00+07:00", "url:/2025/06/10/", True),
    ({"date": "Scroll ke bawah untuk membaca berita"}, "2022-03-15T00:00:00+07:00", "text:Selasa (15/3/2022)", True),
    ({"date": None, "meta": {"raw_date": "Rabu, 18 Jun 2025 07:30 WIB"}},
     "2025-06-18T07:30:00+07:00", "field:meta.raw_date", False),
    ({"tanggal": "06 Jun 2025", "jam": "21:02"}, "2025-06-06T21:02:00+07:00", "field:date+time", False),
])
def test_date_resolution(fields, iso, source, inferred):
    article = make_article({"title": "T", "body": BODY, **fields})
    assert (article.date.isoformat(), article.date_source, article.date_inferred) == (iso, source, inferred)


def test_no_date_anywhere_stays_undated():
    article = make_article({"title": "T", "body": "Warga datang sejak pagi.", "date": "Tidak Ditemukan"})
    assert (article.date, article.date_source, article.date_inferred) == (None, None, False)
    assert article.extra == {}


def test_text_inference_prefers_the_latest_weekday_date():
    body = "Artis kelahiran 15 November 1985 itu tampil pada Senin (9/6/2025) dan Selasa (10/6/2025)."
    article = make_article({"title": "T", "body": body})
    assert article.date_source == "text:Selasa (10/6/2025)"


def test_ids():
    assert make_article({"id": "r1", "title": "T", "body": "B b b."}).id == "r1"
    by_url = make_article({"title": "T", "body": "B b b.", "url": "https://www.x.com/a/?utm_source=z"})
    same = make_article({"title": "T2", "body": "C.", "url": "http://x.com/a"})
    assert by_url.id == same.id and by_url.key == "https://x.com/a"
    assert make_article({"title": "T", "body": "B b b."}).key.startswith("id:c")


def test_no_body_is_an_error():
    with pytest.raises(ValueError):
        make_article({"title": "T", "body": "  "})


def test_title_from_url_slug_when_missing():
    article = make_article({"body": "Isi.", "url": "https://rejabar.republika.co.id/berita/sy24g3512/galian-c-longsor"})
    assert (article.title, article.extra["title_from"]) == ("Galian c longsor", "url")


def test_round_trip_to_dict():
    article = make_article({"title": "T", "body": BODY, "date": "15 Maret 2022"})
    assert Article.from_dict(article.to_dict()) == article


def test_content_hash_covers_every_stored_field_but_where_it_was_read():
    """Every Article field changes the hash (a field added later is covered without
    anyone remembering to), except the index-time names and where the record was read."""
    from dataclasses import fields
    from datetime import datetime, timezone

    base = make_article({"title": "T", "body": BODY, "date": "2022-03-15T10:00:00+07:00",
                         "url": "https://x.id/a", "kanal": "ekonomi"}, origin="a.jsonl:1")
    changed = {"date": datetime(2022, 3, 16, tzinfo=timezone.utc), "date_inferred": True,
               "names": ["Joko Widodo"], "extra": {"kanal": "bisnis"}, "raw_hash": "0" * 32}
    left_out = {"names", "origin", "raw_hash"}
    for f in fields(Article):
        value = changed.get(f.name, "lain")
        other = Article(**{**base.__dict__, f.name: value})
        assert (other.content_hash() == base.content_hash()) == (f.name in left_out), f.name
    nested = Article(**{**base.__dict__, "extra": {"kanal": {"nama": "ekonomi", "id": 3}}})
    assert nested.content_hash() != Article(**{**base.__dict__, "extra": {"kanal": {"nama": "bisnis",
                                                                                  "id": 3}}}).content_hash()
    odd = Article(**{**base.__dict__, "extra": {"x": "\udcff", "n": 1 << 70}})   # not JSON: still hashed
    assert odd.content_hash() != base.content_hash()
