"""What a hit of an analyst operator shows, and what its result counts (search.py, results/).

- the snippet of a `kalimat:` hit is the sentence where the words occur together, of a
  `paragraf:` hit the shortest run of that paragraph's sentences holding them, with the
  query's words highlighted and offsets that slice to the words as written (emoji,
  line breaks and an overlong "sentence" included);
- facets count only the articles that pass the check, not every candidate the engine found;
- paging and date order work on the checked list.

The articles are news sentences about Kremlin's spokesman Dmitry Peskov (Serambinews,
Kompas, Detik, Tempo style), with different outlets, months and sections.
"""

from __future__ import annotations

import pytest

from carinews.archive import Archive
from conftest import article

A1 = ("Pemerintah Rusia membantah telah meminta bantuan militer China. Juru bicara Kremlin "
      "Dmitry Peskov mengatakan laporan itu tidak benar.\n\nPenasihat presiden Ukraina "
      "mengatakan pembicaraan akan dilanjutkan pada Selasa.")
A2 = ("Peskov menyebut sanksi Barat tidak akan mengubah sikap Kremlin. Rusia tetap membuka "
      "pintu perundingan.\n\nKremlin juga menolak tuduhan serangan ke warga sipil.")
A3 = ("Kremlin belum menanggapi laporan pergerakan pasukan di perbatasan.\n\nSecara terpisah, "
      "Peskov enggan berkomentar soal rencana pertemuan puncak.")
A4 = ("Delegasi kedua negara bertemu di Istanbul. Kremlin menilai pertemuan itu bermakna. "
      "Menurut Peskov, kedua pihak sepakat bertemu lagi.\n\nHasil pertemuan belum diumumkan.")
A5 = ("🇷🇺🔥 Kabar terbaru:\n\nHarga minyak naik 🛢️ setelah Kremlin\tmenyebut Peskov akan "
      "memberi keterangan resmi.")
LONG = ("Dalam keterangan yang dibacakan di depan wartawan yang sudah menunggu sejak pagi di "
        "halaman gedung pemerintahan dan yang disiarkan langsung oleh sejumlah stasiun televisi "
        "nasional serta kanal daring milik pemerintah pusat dan daerah sementara hujan turun "
        "cukup deras dan angin bertiup kencang dari arah utara sehingga banyak peserta yang "
        "berdesakan di bawah tenda darurat yang didirikan panitia sejak malam sebelumnya dan "
        "sebagian lain memilih menunggu di dalam kendaraan masing-masing juru bicara Kremlin "
        "Dmitry Peskov mengatakan Rusia tetap membuka pintu dialog dengan semua pihak yang "
        "bersedia duduk bersama tanpa syarat apa pun dan tanpa tekanan dari negara lain yang "
        "selama ini dinilai ikut memperkeruh suasana di kawasan tersebut dan di banyak tempat "
        "lain yang juga sedang dilanda konflik berkepanjangan")

ARTICLES = [
    article("a1", "Rusia Bantah Minta Bantuan Militer China", A1, date="2022-03-14T20:00",
            source="serambinews.com", section="Internasional"),
    article("a2", "Sanksi Tak Ubah Sikap Rusia", A2, date="2022-03-20T08:00",
            source="detik.com", section="Internasional"),
    article("a3", "Pasukan Rusia di Perbatasan", A3, date="2022-04-02T10:00",
            source="kompas.com", section="Dunia"),
    article("a4", "Delegasi Bertemu di Istanbul", A4, date="2022-04-05T10:00",
            source="tempo.co", section="Dunia"),
    article("a5", "Harga Minyak Naik", A5, date="2022-04-09T07:00",
            source="kompas.com", section="Ekonomi"),
    article("a6", "Rusia Buka Pintu Dialog", LONG, date="2022-05-01T09:00",
            source="detik.com", section="Internasional"),
]


@pytest.fixture(scope="module", params=("whoosh", "tantivy"))
def peskov(tmp_path_factory, request):
    path = tmp_path_factory.mktemp("operators-results")
    with Archive.create(path, engine=request.param) as archive:
        archive.add(ARTICLES)
    with Archive.open(path) as archive:
        yield archive


def shown(hit) -> tuple[str, list[str]]:
    return hit.snippet, [hit.snippet[s:e] for s, e in hit.highlights]


def by_id(result) -> dict:
    return {hit.id: hit for hit in result.hits}


def test_sentence_hit_shows_the_sentence(peskov):
    hits = by_id(peskov.search("kalimat:(Peskov Kremlin)", collapse=False))
    assert sorted(hits) == ["a1", "a2", "a5", "a6"]
    assert shown(hits["a1"]) == (
        "Juru bicara Kremlin Dmitry Peskov mengatakan laporan itu tidak benar.",
        ["Kremlin", "Peskov"])
    assert shown(hits["a2"]) == (
        "Peskov menyebut sanksi Barat tidak akan mengubah sikap Kremlin.", ["Peskov", "Kremlin"])


def test_sentence_offsets_survive_emoji_and_tabs(peskov):
    hit = by_id(peskov.search("sentence:(Peskov Kremlin)", collapse=False))["a5"]
    assert shown(hit) == (
        "Harga minyak naik 🛢️ setelah Kremlin menyebut Peskov akan memberi keterangan resmi.",
        ["Kremlin", "Peskov"])
    assert hit.highlights == [(29, 36), (46, 52)]


def test_an_overlong_sentence_is_cut_around_its_words(peskov):
    hit = by_id(peskov.search("kalimat:(Peskov Kremlin)", collapse=False))["a6"]
    assert len(LONG) > 3 * 200
    assert shown(hit) == (
        "…memilih menunggu di dalam kendaraan masing-masing juru bicara Kremlin Dmitry Peskov"
        " mengatakan Rusia tetap membuka pintu dialog dengan semua pihak…", ["Kremlin", "Peskov"])


def test_other_query_words_are_marked_in_the_sentence(peskov):
    hit = by_id(peskov.search("kalimat:(Peskov Kremlin) laporan", collapse=False))["a1"]
    assert shown(hit) == (
        "Juru bicara Kremlin Dmitry Peskov mengatakan laporan itu tidak benar.",
        ["Kremlin", "Peskov", "laporan"])


def test_phrase_inside_sentence_operator(peskov):
    hits = by_id(peskov.search('kalimat:("Dmitry Peskov" Kremlin)', collapse=False))
    assert sorted(hits) == ["a1", "a6"]
    assert shown(hits["a1"]) == (
        "Juru bicara Kremlin Dmitry Peskov mengatakan laporan itu tidak benar.",
        ["Kremlin", "Dmitry Peskov"])


def test_paragraph_hit_shows_the_sentences_that_hold_the_words(peskov):
    hits = by_id(peskov.search("paragraf:(Peskov Kremlin)", collapse=False))
    assert sorted(hits) == ["a1", "a2", "a4", "a5", "a6"]
    # the first sentence of a4's paragraph has neither word: the part shown starts after it
    assert shown(hits["a4"]) == (
        "Kremlin menilai pertemuan itu bermakna. Menurut Peskov, kedua pihak sepakat bertemu lagi.",
        ["Kremlin", "Peskov"])
    # one sentence holds both: just that sentence
    assert shown(hits["a2"]) == (
        "Peskov menyebut sanksi Barat tidak akan mengubah sikap Kremlin.", ["Peskov", "Kremlin"])


def test_second_fragment_is_the_next_sentence_with_the_words(tmp_path, engine_name):
    body = ("Kremlin menyatakan siap berunding, kata Peskov. Harga gandum dunia naik. "
            "Peskov menambahkan Kremlin menunggu jawaban Kyiv.\n\nKremlin membantah. Peskov diam.")
    with Archive.create(tmp_path / "index", engine=engine_name) as archive:
        archive.add([article("b1", "Rusia Siap Berunding", body, date="2022-03-01")])
        hit = archive.search("kalimat:(Peskov Kremlin)").hits[0]
        assert shown(hit) == (
            "Kremlin menyatakan siap berunding, kata Peskov. … Peskov menambahkan Kremlin menunggu"
            " jawaban Kyiv.", ["Kremlin", "Peskov", "Peskov", "Kremlin"])
        one = archive.search("kalimat:(Peskov Kremlin)", fragments=1).hits[0]
        assert shown(one) == ("Kremlin menyatakan siap berunding, kata Peskov.", ["Kremlin", "Peskov"])


def test_words_together_only_in_the_title_keep_the_ordinary_snippet(tmp_path, engine_name):
    with Archive.create(tmp_path / "index", engine=engine_name) as archive:
        archive.add([article("t1", "Peskov: Kremlin Siap Berunding",
                             "Pemerintah Rusia siap membuka perundingan baru dengan Ukraina.",
                             date="2022-03-01")])
        hit = archive.search("kalimat:(Peskov Kremlin)").hits[0]
        assert shown(hit) == ("Pemerintah Rusia siap membuka perundingan baru dengan Ukraina.", [])
        assert [hit.title[s:e] for s, e in hit.title_highlights] == ["Peskov", "Kremlin"]


def test_facets_count_only_the_articles_that_pass(peskov):
    plain = peskov.search("Peskov Kremlin", facets=True, collapse=False)
    checked = peskov.search("kalimat:(Peskov Kremlin)", facets=True, collapse=False)
    assert plain.total == 6 and checked.total == 4
    assert plain.facets["sources"] == [["detik.com", 2], ["kompas.com", 2], ["serambinews.com", 1],
                                       ["tempo.co", 1]]
    assert checked.facets["sources"] == [["detik.com", 2], ["kompas.com", 1], ["serambinews.com", 1]]
    assert checked.facets["months"] == [["2022-03", 2], ["2022-04", 1], ["2022-05", 1]]
    assert checked.facets["sections"] == [["internasional", 3], ["ekonomi", 1]]


def test_facets_equal_the_engines_when_every_candidate_passes(peskov):
    for date_facet in ("day", "week"):
        plain = peskov.search("Peskov Kremlin", facets=True, date_facet=date_facet)
        checked = peskov.search("Peskov Kremlin panjang:>=1", facets=True, date_facet=date_facet)
        assert checked.total == plain.total == 6
        assert {k: v for k, v in checked.facets.items() if k != "names"} == \
            {k: v for k, v in plain.facets.items() if k != "names"}
    assert checked.facets["weeks"] == [["2022-03-14", 2], ["2022-03-28", 1], ["2022-04-04", 2],
                                       ["2022-04-25", 1]]


def test_paging_and_date_order_under_an_operator(peskov):
    newest = peskov.search("paragraf:(Peskov Kremlin)", sort="-date", collapse=False, limit=10)
    assert [h.id for h in newest.hits] == ["a6", "a5", "a4", "a2", "a1"]
    oldest = peskov.search("paragraf:(Peskov Kremlin)", sort="date", collapse=False, limit=10)
    assert [h.id for h in oldest.hits] == ["a1", "a2", "a4", "a5", "a6"]
    pages = [peskov.search("paragraf:(Peskov Kremlin)", sort="date", collapse=False, limit=2,
                           offset=offset) for offset in (0, 2, 4)]
    assert [[h.id for h in page.hits] for page in pages] == [["a1", "a2"], ["a4", "a5"], ["a6"]]
    assert [page.total for page in pages] == [5, 5, 5]
    relevance = [peskov.search("paragraf:(Peskov Kremlin)", collapse=False, limit=2, offset=offset)
                 for offset in (0, 2, 4)]
    assert sorted(h.id for page in relevance for h in page.hits) == ["a1", "a2", "a4", "a5", "a6"]


def test_compound_parts_count_where_the_engine_matched_them(tmp_path, engine_name):
    # the index holds `banjir` and `longsor` at the position of `Banjir-Longsor`: the check
    # must count them too, or an article the engine found is wrongly dropped
    body = ("BMKG mengeluarkan peringatan dini banjir-longsor di sejumlah wilayah Sulawesi Selatan.\n\n"
            "Warga di bantaran sungai diminta waspada banjir.")
    with Archive.create(tmp_path / "index", engine=engine_name) as archive:
        archive.add([article("c1", "Prediksi Cuaca Hari Ini: Waspada Banjir-Longsor", body,
                             date="2025-10-22")])
        found = {q: archive.search(q).total for q in (
            "awal:banjir", "awal:longsor", "minimal3:banjir", "minimal4:banjir",
            "kalimat:(longsor peringatan)", 'kalimat:("banjir longsor")')}
    assert found == {"awal:banjir": 1, "awal:longsor": 1, "minimal3:banjir": 1, "minimal4:banjir": 0,
                     "kalimat:(longsor peringatan)": 1, 'kalimat:("banjir longsor")': 0}


def test_the_quick_pre_check_keeps_melted_prefixes_and_diacritics(tmp_path, engine_name):
    # operators.py skips the analysis of a text without the words' letters; words whose
    # prefix replaced the stem's first letter, and accented forms, must still pass
    body = ("Massa memukul pagar gedung. Seorang petugas dipukul dan menyerang balik.\n\n"
            "Pengunjung Kafé Tugu diserang saat polisi mengatakan situasi aman.")
    with Archive.create(tmp_path / "index", engine=engine_name) as archive:
        archive.add([article("m1", "Ricuh di Depan Gedung Dewan", body, date="2025-08-25")])
        found = {q: archive.search(q).total for q in (
            "minimal2:pukul", "minimal3:pukul", "minimal2:serang", "awal:pukul",
            "kalimat:(kafe serang)", "kalimat:(kata polisi)", 'paragraf:("kafe tugu")')}
    assert found == {"minimal2:pukul": 1, "minimal3:pukul": 0, "minimal2:serang": 1, "awal:pukul": 1,
                     "kalimat:(kafe serang)": 1, "kalimat:(kata polisi)": 1, 'paragraf:("kafe tugu")': 1}
