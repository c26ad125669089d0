"""Proper-name extraction: the seed page, real sentences, folding, and offsets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carinews.analysis.names import NameSpan, extract_names, top_names

SEED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seed" / "serambinews-rusia-bantah-2022-03.txt"


def names(text: str) -> list[str]:
    return [s.text for s in extract_names(text)]


# --- the seed page ----------------------------------------------------------

@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("../shared/corpus is not available")
    return SEED.read_text(encoding="utf-8")


def test_seed_names(seed_text):
    found = set(top_names(extract_names(seed_text), None))
    for expected in ["Dmitry Peskov", "Kremlin", "Mykhailo Podolyak", "Vladimir Putin",
                     "Kementerian Pertahanan", "Rusia", "China", "Ukraina", "Belarusia"]:
        assert expected in found


def test_seed_no_titles_days_or_boilerplate(seed_text):
    found = set(top_names(extract_names(seed_text), None))
    for wrong in ["Presiden", "Juru", "Senin", "Selasa", "Baca", "Penasihat", "Pemerintah Rusia",
                  "Presiden Rusia Vladimir Putin", "Kremlin Dmitry Peskov", "Ukraina Mykhailo Podolyak",
                  "Hantam", "Roket Rusia Hantam Menara"]:
        assert wrong not in found


def test_seed_top_names_fold_surname(seed_text):
    top = top_names(extract_names(seed_text), 5)
    assert top[:3] == ["Rusia", "Ukraina", "Dmitry Peskov"]
    assert "Peskov" not in top_names(extract_names(seed_text), None)


def test_seed_spans_slice_back(seed_text):
    for span in extract_names(seed_text):
        assert seed_text[span.start:span.end] == span.text


# --- real sentences (IndoSum, CC BY-SA 4.0; detik) --------------------------

@pytest.mark.parametrize("text, expected", [
    ("Jakarta, CNN Indonesia -- Menteri Luar Negeri Retno Marsudi mengatakan, Indonesia bersama "
     "Malaysia sepakat terus meningkatkan kerja sama.",
     ["Jakarta", "CNN Indonesia", "Retno Marsudi", "Indonesia", "Malaysia"]),
    ("Ketua Dewan Komisioner Otoritas Jasa Keuangan (OJK), Mahendra Siregar, menjelaskan pembentukan "
     "tim kerja ini.",
     ["Otoritas Jasa Keuangan", "OJK", "Mahendra Siregar"]),
    ("Menteri Keuangan Sri Mulyani Indrawati menilai pergerakan kurs rupiah dalam tren menguat "
     "terhadap dolar Amerika Serikat (AS).",
     ["Sri Mulyani Indrawati", "Amerika Serikat", "AS"]),
    ("Kolonel Abdul Jalil yang dimaksud Priharsa itu berasal dari TNI Angkatan Laut.",
     ["Abdul Jalil", "Priharsa", "TNI Angkatan Laut"]),
    ("Presiden Prabowo Subianto menegaskan pentingnya pengendalian inflasi. Dalam sidang kabinet, ia "
     "mengapresiasi kinerja Kabinet Merah Putih.",
     ["Prabowo Subianto", "Kabinet Merah Putih"]),
    ("Dalam kesempatan yang sama, Ketua Umum Pengurus Pusat MDI, M. Choirul Anam MZD, menyampaikan alasan.",
     ["MDI", "M. Choirul Anam MZD"]),
    ("Kementerian Pendidikan dan Kebudayaan menyatakan Rusia dan China tidak diundang.",
     ["Kementerian Pendidikan dan Kebudayaan", "Rusia", "China"]),
])
def test_real_sentences(text, expected):
    assert names(text) == expected


def test_sentence_initial_word_needs_support():
    # "Sementara" and "Diskusi" start sentences; they are ordinary words, not names
    text = "Sementara itu, perundingan berlanjut. Diskusi sebelumnya diadakan di Belarusia."
    assert names(text) == ["Belarusia"]


def test_sentence_initial_name_counts_when_seen_mid_sentence():
    text = "Podolyak menulis di Twitter. Negosiasi berlanjut, tulis Podolyak."
    assert names(text) == ["Podolyak", "Twitter", "Podolyak"]


def test_days_months_and_dateline_outlet():
    text = "Merdeka.com - Rapat digelar pada Senin, 12 Januari, di Gedung DPR."
    assert names(text) == ["Merdeka.com", "Gedung DPR"]


def test_glued_words_are_cut():
    text = "Wakil Menteri PKP Fahri Hamzahmenyampaikan kabar terbaru di Jakarta."
    assert "Fahri Hamzah" in names(text)


# --- top_names ---------------------------------------------------------------

def test_top_names_folds_short_person_names():
    spans = ["Dmitry Peskov", "Peskov", "Peskov", "Rusia", "Vladimir Putin", "Putin"]
    assert top_names(spans, 2) == ["Dmitry Peskov", "Vladimir Putin"]


def test_top_names_does_not_fold_places_into_organisations():
    spans = ["Bank Indonesia", "Indonesia", "Indonesia"]
    assert top_names(spans, None) == ["Indonesia", "Bank Indonesia"]


def test_top_names_accepts_spans():
    assert top_names([NameSpan("Rusia", 0, 5)], 3) == ["Rusia"]


# --- properties ----------------------------------------------------------------

_alphabet = st.sampled_from(list("aAbBkKpPrRsSuU é.,-:'’\"“”()\n") + ["Rusia", " Dmitry ", "Peskov", "bin",
                                                                   " dan ", "KPK", "Presiden ", "🙂"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_alphabet, max_size=40).map("".join))
def test_spans_slice_back_to_text(text):
    for span in extract_names(text):
        assert text[span.start:span.end] == span.text
        assert span.text == span.text.strip() and span.text


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_random_text_never_crashes(text):
    for span in extract_names(text):
        assert text[span.start:span.end] == span.text


def test_lone_roman_numerals_and_initials_are_not_names():
    from carinews.analysis.names import extract_names

    text = ("Pertumbuhan kuartal II lebih tinggi dari kuartal I, kata ekonom Josua Pardede. "
            "Data kuartal III dirilis BPS. Huruf A tertera di dokumen.")
    assert [s.text for s in extract_names(text)] == ["Josua Pardede", "BPS"]


_lower_alphabet = st.sampled_from(list("abkK_1é .,-'\n") + ["kredit", "Kredit", "\u212aredit", "kreditnya", "İ"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_lower_alphabet, max_size=30).map("".join),
       st.sampled_from(["kredit", "k", "ab", "a_b", "é", "b1", "kreditnya", "i̇"]))
def test_has_lower_word_matches_the_regex(text, word):
    # _has_lower_word finds a word with str.find instead of collecting all of them
    from carinews.analysis.names import _has_lower_word

    assert _has_lower_word(text, word) == (word in set(re.findall(r"(?<!\w)[a-z]+(?!\w)", text)))


# the single regex that _CAP_RE, _GLUED_RE and _GLUE_HINT_RE together stand for
_ONE_CAP_RE = (r"(?<![\w'’.\-])(?:[^\W\d_a-z]\w*|[a-z]\w*?[A-Z]\w*|(?:al|el|as|ad|an|ar|at|az)-[A-Z]\w*)"
               r"(?:[.'’\-]\w+)*")
_cap_alphabet = st.sampled_from(list("aAbBkKeélMN_1 .,-'’\n") + ["al-", "ke", "di", "detik", "Rusia", "É"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_cap_alphabet, max_size=30).map("".join))
def test_cap_words_match_the_single_regex(text):
    from carinews.analysis.names import _cap_words

    assert _cap_words(text) == [(m.start(), m.group()) for m in re.finditer(_ONE_CAP_RE, text)]


def test_cap_words_on_glued_words():
    from carinews.analysis.names import _cap_words

    text = "kata dikutipdetikNews, al-Baghdadi dan -Xa McDonald ke-2 YouTube kePersebaya.Com-x"
    assert _cap_words(text) == [(m.start(), m.group()) for m in re.finditer(_ONE_CAP_RE, text)]


def test_is_cap_asks_the_not_name_regex_at_every_capital_it_can_match():
    # _is_cap runs _NOT_NAME_RE only on words starting R, U or N; this fails if the regex
    # ever matches a word that starts with another capital
    from carinews.analysis.names import _NOT_NAME_RE, _is_cap

    for first in map(chr, range(0x41, 0x5B)):
        for rest in ("p1", "S1", "-1", "1", "o1", "pa", "ama"):
            word = first + rest
            plain = not (len(word) > 6 and word.isupper() and word.isalpha()) and not _NOT_NAME_RE.match(word)
            assert _is_cap(word) == plain, word
