"""ICU word splitting, UTF-16 -> str offsets, hyphen compounds, folding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carinews.analysis.filters import fold
from carinews.analysis.tokenize import Word, join_compounds, split_words, tokenize


def surfaces(text: str) -> list[str]:
    return [text[w.start : w.end] for w in tokenize(text)]


# Words and offsets --------------------------------------------------------------------------


def test_words_of_a_real_sentence():
    text = "Pemerintah Rusia membantah telah meminta bantuan militer China."
    assert surfaces(text) == [
        "Pemerintah", "Rusia", "membantah", "telah", "meminta", "bantuan", "militer", "China",
    ]


def test_punctuation_spaces_and_emoji_are_not_words():
    assert surfaces("“Tidak, Rusia…” 👍🏽 (*) — ok!") == ["Tidak", "Rusia", "ok"]


def test_emoji_before_a_word_does_not_shift_offsets():
    text = "😀😀 Peskov 🇷🇺 mengatakan"
    assert surfaces(text) == ["Peskov", "mengatakan"]
    assert tokenize(text)[1] == Word(text.index("mengatakan"), len(text))


def test_numbers_stay_single_tokens():
    text = "Rp 2.000 naik 1,5 persen pada Selasa (15/3/2022)."
    assert surfaces(text) == ["Rp", "2.000", "naik", "1,5", "persen", "pada", "Selasa", "15", "3", "2022"]


def test_apostrophe_words_stay_whole():
    assert surfaces("Wapres Ma’ruf Amin salat Jum'at") == ["Wapres", "Ma’ruf", "Amin", "salat", "Jum'at"]


# Hyphen compounds ---------------------------------------------------------------------------


@pytest.mark.parametrize("compound", ["e-KTP", "pro-Rusia", "Covid-19", "kota-kota", "2019-2020"])
def test_hyphen_compounds_are_joined(compound):
    text = f"soal {compound} itu"
    words = tokenize(text)
    assert [text[w.start : w.end] for w in words] == ["soal", compound, "itu"]
    assert [text[s:e] for s, e in words[1].parts] == compound.split("-")


def test_spaced_or_double_hyphens_do_not_join():
    assert surfaces("Jakarta - Bandung a--b ‐kota") == ["Jakarta", "Bandung", "a", "b", "kota"]


def test_typographic_hyphens_join():
    assert surfaces("kota\u2011kota dan e\u2010KTP") == ["kota\u2011kota", "dan", "e\u2010KTP"]


def test_join_compounds_keeps_plain_words():
    assert join_compounds("ab cd", [(0, 2), (3, 5)]) == [Word(0, 2), Word(3, 5)]


def test_split_words_of_empty_text():
    assert split_words("") == []


# Folding ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "surface, folded",
    [
        ("Pemerintah", "pemerintah"),
        ("KEAMANAN", "keamanan"),
        ("café", "cafe"),
        ("Ma’ruf", "ma'ruf"),
        ("Straße", "strasse"),
        ("ＡＢＣ", "abc"),
        ("ber\u00adita", "berita"),
        ("e\u0301", "e"),
        ("İstanbul", "istanbul"),
        ("e\u2011KTP", "e-ktp"),
    ],
)
def test_fold(surface, folded):
    assert fold(surface) == folded


# Properties ---------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    list("abcdeKTPzé019 .,-'’")
    + ["\u0301", "\u200b", "\u00ad", "\u2010", "\u2011", "😀", "👍🏽", "🇮🇩", "日", "\n", "\ud800"]
    + ["kota", "Covid", "Bali", "menyerang"]
)
_TEXTS = st.one_of(st.lists(_PIECES, max_size=40).map("".join), st.text(max_size=60))


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_word_offsets_are_ordered_str_indices(text):
    last_end = 0
    for word in tokenize(text):
        assert last_end <= word.start < word.end <= len(text)
        for start, end in word.parts:
            assert word.start <= start < end <= word.end
        last_end = word.end
