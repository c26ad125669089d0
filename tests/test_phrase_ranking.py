"""Phrases rank by the phrase (issue 17): for `"kartu kredit"`, and for the unquoted
words `kartu kredit`, the article with the phrase in its title comes first, then the one
with it twice in the body, then once, then (unquoted only) the one with both words apart.

Fixture: four short articles in the style of Indonesian banking and crime reports, each
body the same length (30 terms), each article holding *kartu* and *kredit* twice (the
first one: once in its title, once apart in its body), so the words alone cannot tell the
bodies apart; only where the words stand does. `NOISY` adds an article
with the phrase once among many scattered *kartu* and *kredit*: ranked by its words (as
the Whoosh engine did before), it came above the article with the phrase twice.
"""

from __future__ import annotations

import pytest

from carinews.analysis import analyze
from conftest import article, indexed

CARDS = [
    article("judul", "Bank Indonesia batasi bunga kartu kredit",
            "Bank Indonesia menurunkan batas bunga menjadi 1,75 persen per bulan mulai pekan ini. "
            "Bank penerbit kartu wajib mengikuti aturan baru itu sejak Juli. "
            "Nasabah yang membayar cicilan kredit diharapkan terbantu.",
            date="2025-06-02T09:00", source="kompas.com"),
    article("dua-kali", "Belanja daring melonjak menjelang Lebaran",
            "Transaksi belanja daring melonjak tajam menjelang Lebaran tahun ini. "
            "Sebagian besar pembeli membayar dengan kartu kredit atau dompet digital. "
            "Bank mencatat pemakaian kartu kredit naik 30 persen dibanding bulan lalu.",
            date="2025-03-20T10:00", source="detik.com"),
    article("sekali", "Polisi tangkap komplotan pembobol rekening",
            "Polisi menangkap lima anggota komplotan pembobol rekening nasabah. "
            "Pelaku mencuri data kartu kredit korban lewat pesan palsu. "
            "Mereka juga memalsukan kartu identitas untuk mengajukan pinjaman, lalu kredit itu tak dibayar.",
            date="2025-04-11T14:00", source="antaranews.com"),
    article("terpisah", "Koperasi salurkan pinjaman untuk petani",
            "Koperasi desa menyalurkan kredit usaha kepada 200 petani di Boyolali kemarin. "
            "Setiap petani cukup menunjukkan kartu tanda penduduk kepada pengurus. "
            "Pengurus memeriksa kartu anggota, lalu dana kredit dicairkan dalam sepekan.",
            date="2025-05-05T08:00", source="kompas.com"),
]

NOISY = article("ramai", "Polisi bongkar penipuan pinjaman daring",
                "Polisi membongkar penipuan pinjaman daring di Bekasi. Pelaku mencuri data kartu "
                "kredit korban. Mereka memalsukan kartu identitas, kartu keluarga dan kartu pegawai "
                "untuk mengajukan kredit ke koperasi, lalu kredit dan kredit susulan itu tak dibayar.",
                date="2025-04-12T14:00", source="detik.com")


def _archive(tmp_path, engine_name, articles):
    return indexed(tmp_path / "index", engine_name, articles)


def _ids(arch, query: str) -> list[str]:
    return [hit.id for hit in arch.search(query, limit=10, fragments=0).hits]


def test_the_fixture_tells_the_articles_apart_only_by_where_the_words_stand():
    counts = []
    for a in CARDS:
        title, body = ([t.text for t in analyze(text, "none", "query")] for text in (a.title, a.body))
        counts.append((len(body), body.count("kartu"), body.count("kredit"),
                       (title + body).count("kartu"), (title + body).count("kredit")))
    assert counts == [(30, 1, 1, 2, 2)] + [(30, 2, 2, 2, 2)] * 3


@pytest.mark.parametrize("query,expected", [
    ('"kartu kredit"', ["judul", "dua-kali", "sekali"]),
    ("kartu kredit", ["judul", "dua-kali", "sekali", "terpisah"]),
])
def test_title_phrase_then_twice_then_once_then_words_apart(tmp_path, engine_name, query, expected):
    arch = _archive(tmp_path, engine_name, CARDS)
    assert _ids(arch, query) == expected


def test_a_quoted_phrase_twice_beats_it_once_among_scattered_words(tmp_path, engine_name):
    arch = _archive(tmp_path, engine_name, [CARDS[1], NOISY])
    assert _ids(arch, '"kartu kredit"') == ["dua-kali", "ramai"]
