"""Related articles (results/related.py) on every engine: a KPK case told twice, a copy of one
telling, another KPK case, a football report; through the library, the CLI and the web page."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from carinews.archive import Archive
from carinews.cli import cli
from carinews.errors import ArticleNotFoundError, SearchOptionError
from carinews.ingest.articles import Article
from carinews.results.related import pick_terms, related_plan
from carinews.query import plan
from conftest import article, indexed

MUSTAFA_BODY = (
    "Komisi Pemberantasan Korupsi (KPK) menetapkan Bupati Lampung Tengah Mustafa sebagai "
    "tersangka kasus suap kepada anggota DPRD Lampung Tengah. Suap itu diduga diberikan agar "
    "DPRD menyetujui pinjaman daerah sebesar Rp 300 miliar kepada PT Sarana Multi "
    "Infrastruktur untuk pembangunan infrastruktur jalan.\n\n"
    "Wakil Ketua KPK Basaria Panjaitan mengatakan Mustafa diduga memerintahkan Kepala Dinas "
    "Bina Marga Taufik Rahman mengumpulkan uang dari para kontraktor. Uang suap sebesar "
    "Rp 1 miliar kemudian diserahkan kepada sejumlah anggota DPRD Lampung Tengah.\n\n"
    "Penyidik KPK telah menahan Mustafa di rumah tahanan KPK setelah pemeriksaan selama "
    "sembilan jam.")

ARTICLES = [
    article("mustafa-tersangka", "KPK Tetapkan Bupati Lampung Tengah Mustafa Tersangka Suap DPRD",
            MUSTAFA_BODY, date="2018-02-15T19:00", source="kompas.com"),
    # The same report republished by another outlet with a new dateline and a closing line.
    article("mustafa-salinan", "Bupati Lampung Tengah Mustafa Jadi Tersangka Suap",
            "BANDAR LAMPUNG - " + MUSTAFA_BODY + " Mustafa belum memberikan keterangan.",
            date="2018-02-15T21:00", source="tribunnews.com"),
    article("mustafa-saksi", "KPK Periksa Anggota DPRD Lampung Tengah sebagai Saksi Kasus Mustafa",
            "Penyidik Komisi Pemberantasan Korupsi (KPK) memeriksa lima anggota DPRD Lampung "
            "Tengah sebagai saksi kasus suap pinjaman daerah dengan tersangka Bupati Lampung "
            "Tengah Mustafa. Juru bicara KPK Febri Diansyah mengatakan para saksi ditanya soal "
            "aliran uang suap dari Kepala Dinas Bina Marga Taufik Rahman.\n\n"
            "Pinjaman daerah Rp 300 miliar itu diajukan untuk pembangunan jalan. KPK menduga "
            "uang suap dikumpulkan dari kontraktor proyek di Dinas Bina Marga.",
            date="2018-02-27T16:00", source="detik.com"),
    article("cianjur-ott", "KPK Tangkap Bupati Cianjur Irvan Rivano Muchtar dalam Operasi Tangkap Tangan",
            "Komisi Pemberantasan Korupsi (KPK) menangkap Bupati Cianjur Irvan Rivano Muchtar "
            "dalam operasi tangkap tangan. Irvan diduga memotong dana alokasi khusus pendidikan "
            "yang seharusnya diterima sekolah menengah pertama di Cianjur.\n\n"
            "Wakil Ketua KPK Basaria Panjaitan mengatakan penyidik menyita uang Rp 1,5 miliar "
            "dalam kardus. Irvan kemudian ditetapkan sebagai tersangka bersama Kepala Dinas "
            "Pendidikan Cianjur.",
            date="2018-12-13T20:00", source="tempo.co"),
    article("persib-menang", "Persib Bandung Kalahkan Persija di Stadion Gelora Bandung Lautan Api",
            "Persib Bandung mengalahkan Persija 3-1 dalam laga Liga 1 di Stadion Gelora Bandung "
            "Lautan Api. Dua gol Persib dicetak Ezechiel N'Douassel pada babak pertama.\n\n"
            "Pelatih Persib Mario Gomez memuji permainan anak asuhnya yang tampil menekan sejak "
            "menit awal. Bobotoh memadati tribun stadion sepanjang pertandingan.",
            date="2018-06-30T18:00", source="bola.com"),
]


@pytest.fixture
def archive(tmp_path, engine_name):
    with indexed(tmp_path / "index", engine_name, ARTICLES) as archive:
        yield archive


def test_same_case_first_then_same_agency_copy_apart(archive):
    result = archive.related("mustafa-tersangka")
    assert [h.id for h in result.hits] == ["mustafa-saksi", "cianjur-ott"]
    assert [c["id"] for c in result.copies] == ["mustafa-salinan"]


def test_football_shares_nothing_with_a_bribery_case(archive):
    assert archive.related("persib-menang").hits == []
    assert archive.related("persib-menang").copies == []


def test_each_hit_says_which_names_and_words_it_shares(archive):
    saksi, cianjur = archive.related("mustafa-tersangka").hits
    # "Tengah Mustafa": analysis/names.py reads "Bupati Lampung Tengah Mustafa" so.
    assert saksi.shared_names == ["KPK", "Tengah Mustafa", "Lampung", "DPRD", "DPRD Lampung Tengah",
                                  "Komisi Pemberantasan Korupsi"]
    assert saksi.shared_words == ["suap", "bupati", "tersangka", "anggota", "diduga", "uang",
                                  "pembangunan", "bina", "daerah", "jalan", "kasus", "kontraktor",
                                  "mengumpulkan", "marga", "pemeriksaan", "pinjaman", "rahman"]
    assert cianjur.shared_names == ["KPK", "Komisi Pemberantasan Korupsi", "Basaria Panjaitan"]
    # Not "menengah": its stem "tengah" is, in the Mustafa report, only a word of the name
    # "Lampung Tengah" ("bina" and "marga" above are words of a name too, but written alike).
    assert cianjur.shared_words == ["bupati", "tersangka", "diduga", "uang", "ketua"]


def test_a_related_articles_copies_are_listed_under_it(archive):
    first, second = archive.related("cianjur-ott").hits
    # One group for the report and its copy, led by whichever the engine's BM25 ranks first.
    assert sorted([first.id] + [c["id"] for c in first.copies]) == ["mustafa-salinan",
                                                                     "mustafa-tersangka"]
    assert (second.id, second.copies) == ("mustafa-saksi", [])


def test_the_copy_finds_the_case_too(archive):
    result = archive.related("mustafa-salinan")
    assert [h.id for h in result.hits] == ["mustafa-saksi", "cianjur-ott"]
    assert [c["id"] for c in result.copies] == ["mustafa-tersangka"]


def test_limit_keeps_the_best(archive):
    assert [h.id for h in archive.related("mustafa-tersangka", limit=1).hits] == ["mustafa-saksi"]


def test_unknown_id_is_a_typed_error(archive):
    with pytest.raises(ArticleNotFoundError):
        archive.related("tidak-ada")
    with pytest.raises(SearchOptionError):
        archive.related("mustafa-tersangka", limit=0)


def test_picked_terms_leave_out_stopwords_and_single_article_words(archive):
    terms = [t for t, _ in pick_terms(archive.engine, ARTICLES[0].title, ARTICLES[0].body,
                                      archive.stemmer)]
    assert "yang" not in terms and "kata" not in terms and "dari" not in terms
    assert "sembilan" not in terms and "rp" not in terms     # a number word, the currency
    assert "suap" in terms and "mustafa" in terms    # no names given: name words are words
    named = [t for t, _ in pick_terms(archive.engine, ARTICLES[0].title, ARTICLES[0].body,
                                      archive.stemmer, ["Mustafa", "KPK"])]
    assert "mustafa" not in named and "kpk" not in named and "suap" in named
    cianjur = ARTICLES[3]
    terms = [t for t, _ in pick_terms(archive.engine, cianjur.title, cianjur.body, archive.stemmer)]
    assert "kardus" not in terms            # no other article has it: it relates to nothing
    assert "bupati" in terms


def test_plan_is_an_or_of_terms_names_and_name_words():
    assert related_plan(["suap"], ["Lampung Tengah", "KPK", "DPRD Lampung Tengah"]) == plan.Or((
        plan.Term("title", "suap"), plan.Term("body", "suap"),
        plan.Phrase("names", ("lampung", "tengah")), plan.Phrase("names", ("dprd", "lampung", "tengah")),
        plan.Term("names", "kpk"), plan.Term("names", "dprd")))
    # Name words that are dictionary words ("lampung", "tengah") only count in whole names.
    assert related_plan([], []) == plan.Nothing()


def test_cli_related_text_json_and_unknown_id(archive):
    path = str(archive.path)
    runner = CliRunner()
    out = runner.invoke(cli, ["related", "--index", path, "mustafa-tersangka", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert [h["id"] for h in data["related"]] == ["mustafa-saksi", "cianjur-ott"]
    assert [c["id"] for c in data["copies"]] == ["mustafa-salinan"]
    text = runner.invoke(cli, ["related", "--index", path, "mustafa-tersangka", "--limit", "1"])
    assert text.exit_code == 0
    assert "  1. KPK Periksa Anggota DPRD Lampung Tengah sebagai Saksi Kasus Mustafa" in text.output
    assert "copy: Bupati Lampung Tengah Mustafa Jadi Tersangka Suap  [mustafa-salinan" in text.output
    missing = runner.invoke(cli, ["related", "--index", path, "tidak-ada"])
    assert missing.exit_code == 1
    assert missing.output == f"Error: no article with id 'tidak-ada' in {path}\n"


def test_article_page_lists_related_articles_and_the_copy(archive):
    import httpx

    from web_server import running_server

    with running_server(archive.path) as base, httpx.Client(base_url=base, timeout=30) as http:
        page = http.get("/articles/mustafa-tersangka?lang=id").text
        english = http.get("/articles/persib-menang?lang=en").text
    related = page.split('<section class="related">')[1].split("</section>")[0]
    assert "<h2>Berita terkait</h2>" in related
    assert re.findall(r'href="/articles/([^"?]+)', related) == ["mustafa-saksi", "cianjur-ott"]
    assert ("sama-sama menyebut: <span dir=\"auto\">KPK, Komisi Pemberantasan Korupsi, "
            "Basaria Panjaitan, bupati, tersangka, diduga, uang, ketua</span>") in related
    copies = page.split('<section class="copies">')[1].split("</section>")[0]
    assert re.findall(r'href="/articles/([^"?]+)', copies) == ["mustafa-salinan"]
    assert "<h2>Related articles</h2>" in english and "<p>No related articles.</p>" in english


def test_document_frequencies_count_articles_per_term(archive):
    assert archive.engine.document_frequencies("body", ["suap", "kardus", "bobotoh", "tiadakata"]) == {
        "suap": 3, "kardus": 1, "bobotoh": 1, "tiadakata": 0}
    assert archive.engine.document_frequencies("title", ["bupati", "persib"]) == {"bupati": 3, "persib": 1}


def test_the_base_engines_counting_by_search_agrees(archive):
    from carinews.engines.base import Engine

    terms = ["suap", "kardus", "tiadakata", "bupati"]
    assert Engine.document_frequencies(archive.engine, "body", terms) == \
        archive.engine.document_frequencies("body", terms)


def test_shared_names_whole_partial_or_written_in_the_text():
    from carinews.results.related import shared_with

    doc = {"title": "Struktur Candi Era Mpu Sindok di Kabupaten Malang",
           "body": "Warga menemukan struktur candi dari era Mpu Sindok. Prabowo meninjau lokasi.",
           "names": ["Prabowo", "Kabupaten Malang", "Desa Landungsari"]}
    names = ["Mpu Sindok", "Kabupaten Malang", "Prabowo Subianto", "Kabupaten Blitar"]
    # Whole in its names; one (not dictionary) word of a name in its names; all words written
    # in its text though not extracted; "Kabupaten" of "Kabupaten Blitar" is a dictionary word.
    assert shared_with(doc, ["candi", "banjir"], names, "sastrawi") == (
        ["Mpu Sindok", "Kabupaten Malang", "Prabowo"], ["candi"])


def test_the_plan_compiles_for_opensearch_too():
    from carinews.engines.opensearch.compile import OpenSearchCompiler

    compiled = OpenSearchCompiler("q", lambda pattern: []).compile(
        related_plan(["suap"], ["Lampung Tengah", "KPK"]))
    assert compiled == {"bool": {"should": [
        {"term": {"title": {"value": "suap", "boost": 2.0}}},
        {"term": {"body": {"value": "suap"}}},
        {"match_phrase": {"names": {"query": "lampung tengah", "analyzer": "carinews_terms"}}},
        {"term": {"names": {"value": "kpk"}}}], "minimum_should_match": 1}}


def test_an_article_without_words_or_names_has_nothing_related(tmp_path, engine_name):
    with Archive.create(tmp_path / "index", engine=engine_name) as created:
        created.add([article("angka", "!!!", "... 123 ..."), Article(**ARTICLES[0].__dict__)])
    with Archive.open(tmp_path / "index") as archive:
        result = archive.related("angka")
    assert (result.hits, result.copies, result.words, result.names) == ([], [], [], [])
