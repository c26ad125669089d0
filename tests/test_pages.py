"""pages.py: seed page and raw pages against golden files; cleaning rules."""

import json
import re

import pytest

from carinews.ingest.pages import clean_body, parse_page, split_dateline

from golden_pages import GOLDEN, RAW_PAGES, SEED, golden_view, raw_page_cases, raw_page_fields, seed_fields

needs_shared = pytest.mark.skipif(not SEED.exists(), reason="../shared corpus not present")


@needs_shared
def test_seed_page_matches_golden():
    assert golden_view(seed_fields()) == json.loads((GOLDEN / "seed.json").read_text(encoding="utf-8"))


@needs_shared
def test_seed_page_fields():
    fields = seed_fields()
    assert fields["title"] == "Rusia Bantah Minta Bantuan Militer China Untuk Memperkuat Serangan ke Ukraina"
    assert (fields["section"], fields["author"], fields["source"], fields["dateline"]) == (
        "Internasional", "M Nur Pakar", "serambinews.com", "MOSKOW")
    assert (fields["date"], fields["date_source"], fields["date_inferred"]) == (
        "2022-03-15T00:00:00+07:00", "text:Selasa (15/3/2022)", True)
    body = fields["body"]
    for gone in ("Baca juga", "Ikuti kami", "KOMENTAR", "BERITA TERKINI", "TRIBUNnews.com Network", "VOA",
                 "Breaking News", "mengataan laporan media\n"):
        assert gone not in body
    assert body.startswith("SERAMBINEWS.COM, MOSKOW - Pemerintah Rusia membantah")
    assert body.endswith("namun masih sulit.(*)")


@needs_shared
@pytest.mark.parametrize("name, page", raw_page_cases() if RAW_PAGES.exists() else [])
def test_raw_page_matches_golden(name, page):
    assert golden_view(raw_page_fields(page)) == json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


BOILERPLATE_SENTENCE = re.compile(r"(?i)baca juga|lihat juga|simak juga|scroll to continue|ikuti whatsapp|"
                                  r"ayo ikuti saluran|advertisement|gambas|image by|editor:")


def _sentences(text):
    text = " ".join(text.replace("\xa0", " ").split())
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 6]


@needs_shared
@pytest.mark.parametrize("name, page", raw_page_cases() if RAW_PAGES.exists() else [])
def test_no_article_sentence_is_lost(name, page):
    body = " ".join(raw_page_fields(page)["body"].split())
    for line in page["raw_body"].split("\n"):
        if BOILERPLATE_SENTENCE.search(line):
            continue
        for sentence in _sentences(line):
            assert sentence in body, sentence


def test_teaser_repeating_the_lead_is_dropped():
    text = ("Judul Berita\n\nWarga memadati alun-alun sejak pagi. Mereka datang dari\n\n"
            "KOTA.COM, BANDUNG - Warga memadati alun-alun sejak pagi.\n\nMereka datang dari berbagai desa.")
    parts = parse_page(text)
    assert parts.title == "Judul Berita"
    assert parts.body == ("KOTA.COM, BANDUNG - Warga memadati alun-alun sejak pagi.\n\n"
                          "Mereka datang dari berbagai desa.")


def test_teaser_with_new_text_is_kept():
    text = ("Judul Berita\n\nRingkasan yang tidak diulang di badan berita sama sekali.\n\n"
            "KOTA.COM, BANDUNG - Warga memadati alun-alun sejak pagi.")
    assert parse_page(text).body.startswith("Ringkasan yang tidak diulang")


def test_clean_body_rules():
    raw = ("Jakarta\n-\nLuna Maya\nternyata memiliki alasan.\nSCROLL TO CONTINUE WITH CONTENT\nBaca juga:\n"
           "3 Ratu Horor Beradu Akting di Film Jalan Pulang\nIstri Maxime itu juga mengapresiasi.\nADVERTISEMENT\n"
           "Video: Luna Maya Langsung Sibuk Syuting Lagi Seusai Nikah\n(fbr/wes)\nluna maya\nfilm jalan pulang")
    assert clean_body(raw) == ("Jakarta - Luna Maya ternyata memiliki alasan.\n\nIstri Maxime itu juga mengapresiasi."
                               "\n\n(fbr/wes)")


def test_related_headlines_stop_at_a_continued_sentence():
    raw = ("Paragraf pertama.\nBaca Juga\nOmbudsman Jateng Masih Temukan Kasus Sekolah\n"
           "Adapun hingga saat ini, kata dia, belum ada laporan pengaduan ke\nKejagung\nterkait potensi pelanggaran.")
    assert clean_body(raw) == ("Paragraf pertama.\n\nAdapun hingga saat ini, kata dia, belum ada laporan pengaduan ke "
                               "Kejagung terkait potensi pelanggaran.")


def test_nested_container_lines_are_unnested():
    p1, p2, p3 = ("Paragraf satu yang cukup panjang untuk diuji.", "Paragraf dua yang juga cukup panjang.",
                  "Paragraf tiga penutup berita ini ya.")
    raw = "\n".join([p1 + p2 + p3, p1, p2 + p3, p2, p3])
    assert clean_body(raw) == "\n\n".join([p1, p2, p3])


def test_glued_baca_juga_link_inside_a_line_goes_up_to_the_next_item():
    raw = "Negara itu disebut.Baca Juga: 10 Negara Paling Bugar di Dunia 1. MoldovaMoldova menempati posisi teratas."
    assert clean_body(raw) == "Negara itu disebut. 1. MoldovaMoldova menempati posisi teratas."


def test_a_sentence_quoting_baca_juga_stays():
    raw = 'Guru itu berpesan, "Baca juga buku sejarah," katanya. Dia menambahkan: baca juga: koran pagi.'
    assert clean_body(raw) == raw


@pytest.mark.parametrize("text, outlet, city", [
    ("SERAMBINEWS.COM, MOSKOW - Pemerintah", "serambinews.com", "MOSKOW"),
    ("JAKARTA, KOMPAS.com –Badan", "kompas.com", "JAKARTA"),
    ("TEMPO.CO,Jakarta-Ginjal", "tempo.co", "JAKARTA"),
    ("REPUBLIKA.CO.ID, CIREBON--Kepolisian", "republika.co.id", "CIREBON"),
    ("BINTAN, Posmetro.co: Adzan", "posmetro.co", "BINTAN"),
    ("Jakarta, CNN Indonesia -- Komisi", "cnnindonesia.com", "JAKARTA"),
    ("JAKARTA– Kehilangan", None, "JAKARTA"),
])
def test_split_dateline(text, outlet, city):
    found = split_dateline(text)
    assert (found.outlet, found.city) == (outlet, city)


def test_no_dateline():
    assert split_dateline("Tambang ilegal ditemukan di Pulau Citlim.") is None


@pytest.mark.parametrize("text", ["Presiden   Joko\u3000Widodo  meresmikan", "  Presiden Joko Widodo meresmikan bendungan",
                                  "Presiden Joko " + " " * 200 + "Widodo", "Presiden Joko", "Presiden Jokowi", "",
                                  " \u2028 ", "Presiden " + "\t" * 80 + "Joko Widodo meresmikan"])
@pytest.mark.parametrize("prefix", ["", "P", "Presiden Joko Widodo", "Presiden Joko Widodo meresmikan"])
def test_squashed_startswith_matches_squashing_everything(text, prefix):
    from carinews.ingest.pages import _squash, _squashed_startswith

    assert _squashed_startswith(text, prefix) == _squash(text).startswith(prefix)
