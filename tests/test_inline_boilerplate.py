"""Inline boilerplate in flattened lines: exact removals, sentences that stay, a property."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carinews.ingest.inline_boilerplate import FUNCTION_WORDS, Removal, strip_inline
from carinews.ingest.pages import clean_body


@pytest.mark.parametrize("line, expected, removed", [
    ("namun belum memperoleh dokumen yang dimaksud.Baca juga : Hasil Penyelidikan Tambang Nikel Raja Ampat "
     "Segera Dirilis “Kami tanya ke Minerba, jawabnya di BKPM.",
     "namun belum memperoleh dokumen yang dimaksud. “Kami tanya ke Minerba, jawabnya di BKPM.",
     [Removal("related link", "Baca juga : Hasil Penyelidikan Tambang Nikel Raja Ampat Segera Dirilis")]),
    ("melaju di lajur lambat. Baca juga: Mobil Tabrak Truk di Cengkareng, 3 Orang Tewas Sesampainya di TKP "
     "KM 01--200 jalur B.",
     "melaju di lajur lambat. Sesampainya di TKP KM 01--200 jalur B.",
     [Removal("related link", "Baca juga: Mobil Tabrak Truk di Cengkareng, 3 Orang Tewas")]),
    ("tegas Dian.Baca juga : Pengamat Soroti Gambar AI, Partisipasi Publik yang Sehat Harus Dilandasi Fakta "
     "Meski demikian, KPK memastikan.",
     "tegas Dian. Meski demikian, KPK memastikan.",
     [Removal("related link", "Baca juga : Pengamat Soroti Gambar AI, Partisipasi Publik yang Sehat Harus "
                              "Dilandasi Fakta")]),
    ("Pertandingan berakhir imbang. Pewarta: Nur Imansyah Editor: Ruslan Burhani COPYRIGHT © ANTARA 2025",
     "Pertandingan berakhir imbang.",
     [Removal("copyright", "COPYRIGHT © ANTARA 2025"),
      Removal("credit", "Pewarta: Nur Imansyah Editor: Ruslan Burhani")]),
    ("Hujan turun sejak pagi. Dilarang keras mengambil konten, melakukan crawling atau pengindeksan otomatis "
     "untuk AI di situs web ini tanpa izin tertulis dari Kantor Berita ANTARA. Warga bertahan di rumah.",
     "Hujan turun sejak pagi. Warga bertahan di rumah.",
     [Removal("notice", "Dilarang keras mengambil konten, melakukan crawling atau pengindeksan otomatis untuk "
                        "AI di situs web ini tanpa izin tertulis dari Kantor Berita ANTARA.")]),
    ("sedang berada di restoran Bu Indra, Bali.Ikuti Whatsapp Channel Republika",
     "sedang berada di restoran Bu Indra, Bali.",
     [Removal("notice", "Ikuti Whatsapp Channel Republika")]),
    ("Rapat membahas gugatan hak cipta lagu itu. Copyright © 2025 Tribunnews.com. All rights reserved.",
     "Rapat membahas gugatan hak cipta lagu itu.",
     [Removal("copyright", "Copyright © 2025 Tribunnews.com. All rights reserved.")]),
])
def test_removals(line, expected, removed):
    assert strip_inline(line)[:2] == (expected, removed)


@pytest.mark.parametrize("line", [
    'Dia berkata, "baca juga: buku ini bagus untuk anak-anak" kepada wartawan.',
    "Guru itu menyuruh murid membaca. Baca juga buku sejarah, katanya.",
    "Sengketa hak cipta lagu itu masih berlanjut di pengadilan.",
    "Google News meluncurkan fitur baru bagi penerbit di Indonesia.",
    "Editor senior itu, kata dia, sudah lama bekerja di sana.",
    "Baca juga: Judul Berita Lain di Awal Baris",        # a link that starts the line: line rules
])
def test_sentences_that_stay(line):
    assert strip_inline(line)[:2] == (line, [])


def test_credit_becomes_the_author():
    from carinews.ingest.articles import make_article

    article = make_article({"title": "Imbang", "body": "Laga berakhir imbang tanpa gol di kandang. "
                                                       "Pewarta: Nur Imansyah Editor: Ruslan Burhani"})
    assert (article.body, article.author) == ("Laga berakhir imbang tanpa gol di kandang.", "Nur Imansyah")


# -- property: article sentences survive ------------------------------------------------

_WORDS = ("warga pemerintah kota banjir jalan rumah harga pasar sekolah murid menteri rapat kebijakan "
          "anggaran polisi kasus sidang hakim petani panen hujan listrik sungai jembatan laut kapal").split()
_NAMES = "Jakarta Bandung Jokowi Prabowo KPK DPR Surabaya Bali Papua Antara".split()
_FUNCTION = sorted(FUNCTION_WORDS)


@st.composite
def sentences(draw) -> str:
    """An article sentence of 6+ words: a capitalised word, then ordinary words and names."""
    first = draw(st.sampled_from(_WORDS)).capitalize()
    second = draw(st.sampled_from(_WORDS))
    rest = draw(st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_NAMES), st.sampled_from(_FUNCTION)),
                         min_size=4, max_size=14))
    return " ".join([first, second, *rest]) + draw(st.sampled_from([".", "!", "?"]))


@st.composite
def headlines(draw) -> str:
    """A related-article headline in title case: capitalised words, function words between."""
    words = [draw(st.sampled_from(_WORDS)).capitalize()]
    for _ in range(draw(st.integers(2, 9))):
        if draw(st.booleans()) and words[-1][0].isupper():
            words.append(draw(st.sampled_from(_FUNCTION)))
        words.append(draw(st.one_of(st.sampled_from(_WORDS).map(str.capitalize), st.sampled_from(_NAMES))))
    return " ".join(words)


_BOILERPLATE = st.one_of(
    st.tuples(st.sampled_from(["Baca juga: ", "Baca Juga : ", "Simak juga: ", "BACA JUGA: ", "Lihat juga: "]),
              headlines()).map("".join),
    st.just("Ikuti WhatsApp Channel Kompas.com"),
    st.just("Dilarang keras mengambil konten tanpa izin tertulis dari Kantor Berita ANTARA."),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(sentences(), min_size=2, max_size=6), st.data())
def test_every_article_sentence_survives(article, data):
    line = article[0]
    for sentence in article[1:]:
        if data.draw(st.booleans()):
            glue = data.draw(st.sampled_from([" ", ""]))   # "disebut.Baca juga" or "disebut. Baca juga"
            line += glue + data.draw(_BOILERPLATE)
        line += " " + sentence
    line += data.draw(st.sampled_from(["", " Copyright © 2025 Kompas.com. All rights reserved.",
                                       " Pewarta: Nur Imansyah Editor: Ruslan Burhani"]))
    cleaned = clean_body(line)
    for sentence in article:
        assert sentence in cleaned
    for marker in ("juga:", "Juga :", "JUGA:", "WhatsApp Channel", "Dilarang keras", "Copyright", "Pewarta:"):
        assert marker not in cleaned
