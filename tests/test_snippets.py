"""Snippets: fragments cut at boundaries, highlights that slice to matched words."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from carinews.analysis import analyze
from carinews.results.snippets import HighlightTerms, find_matches, highlight_text, make_snippet

SEED_BODY = (
    "SERAMBINEWS.COM, MOSKOW - Pemerintah Rusia membantah telah meminta bantuan militer China "
    "untuk menggempur Ukraina.\n\nJuru bicara Kremlin Dmitry Peskov mengataan laporan media yang "
    "menuduh bahwa Rusia meminta bantuan militer China tidakbenar.\n\n“Tidak, Rusia memiliki "
    "potensinya sendiri untuk melanjutkan operasi, seperti yang telah kami katakan,\" kata Peskov."
)


def marked(snippet) -> list[str]:
    return [snippet.text[s:e] for s, e in snippet.highlights]


def test_name_is_highlighted_exactly_as_written():
    snippet = make_snippet(SEED_BODY, HighlightTerms(stems={"kremlin"}))
    assert marked(snippet) == ["Kremlin"]
    assert snippet.text.startswith("Juru bicara Kremlin Dmitry Peskov")


def test_every_inflected_form_is_highlighted():
    body = "Serangan itu dibalas. Pasukan menyerang kota dan kota itu diserang lagi pada malam hari."
    snippet = make_snippet(body, HighlightTerms(stems={"serang"}))
    assert marked(snippet) == ["Serangan", "menyerang", "diserang"]


def test_phrase_is_one_span():
    snippet = make_snippet(SEED_BODY, HighlightTerms(phrases=[("exact", ("dmitry", "peskov"))]))
    assert marked(snippet) == ["Dmitry Peskov"]


def test_exact_word_does_not_highlight_other_forms():
    body = "Pasukan menyerang kota. Serangan itu gagal."
    snippet = make_snippet(body, HighlightTerms(words={"menyerang"}))
    assert marked(snippet) == ["menyerang"]


def test_prefix_and_compound_parts():
    body = "Kasus korupsi dan koruptor. Vaksin Covid-19 tiba di kota-kota pesisir."
    assert marked(make_snippet(body, HighlightTerms(prefixes={"korup"}))) == ["korupsi", "koruptor"]
    assert marked(make_snippet(body, HighlightTerms(stems={"covid"}))) == ["Covid-19"]
    assert marked(make_snippet(body, HighlightTerms(stems={"kota"}))) == ["kota-kota"]


def test_fuzzy_highlights_the_spelling_in_the_text():
    snippet = make_snippet(SEED_BODY, HighlightTerms(fuzzy={("peskof", 1)}))
    assert marked(snippet) == ["Peskov", "Peskov"]


def test_offsets_survive_emoji_and_newlines():
    body = "🔥🔥 Breaking:\n\n\nJuru bicara 🇷🇺 Kremlin\tDmitry Peskov berbicara."
    snippet = make_snippet(body, HighlightTerms(stems={"kremlin", "peskov"}))
    assert marked(snippet) == ["Kremlin", "Peskov"]
    assert "\n" not in snippet.text and "\t" not in snippet.text


def test_two_fragments_joined_with_ellipsis_and_cut_at_words():
    filler = " ".join(["Warga kota berkumpul di alun-alun."] * 12)
    body = f"Peskov berbicara pagi ini. {filler} Kremlin menjawab sore harinya. {filler}"
    snippet = make_snippet(body, HighlightTerms(stems={"peskov", "kremlin"}), fragment_chars=80)
    assert marked(snippet) == ["Peskov", "Kremlin"]
    assert " … " in snippet.text
    assert len(snippet.text) < 2 * 80 + 40
    first, second = snippet.text.split(" … ")
    assert first.startswith("Peskov berbicara") and second.startswith("Kremlin menjawab")


def test_no_match_shows_the_start_of_the_article():
    snippet = make_snippet(SEED_BODY, HighlightTerms(stems={"tidakada"}), fragment_chars=60)
    assert snippet.highlights == []
    assert snippet.text.startswith("SERAMBINEWS.COM, MOSKOW - Pemerintah Rusia")
    assert snippet.text.endswith("…")


def test_title_highlights():
    title = "Rusia Bantah Minta Bantuan Militer China Untuk Memperkuat Serangan ke Ukraina"
    spans = highlight_text(title, HighlightTerms(stems={"serang"}))
    assert [title[s:e] for s, e in spans] == ["Serangan"]


def test_zero_fragments_is_empty():
    assert make_snippet(SEED_BODY, HighlightTerms(stems={"kremlin"}), fragments=0).text == ""


WORDS = ["Kremlin", "Peskov", "menyerang", "serangan", "Serangan", "kota-kota", "Covid-19",
         "pemerintah", "kata", "2.000", "e-KTP", "diserang", "Jokowi", "ijazah"]
SEPARATORS = [" ", "  ", "\n", "\n\n", ". ", ", ", " 🔥 ", "\u200b", " (", ") ", "\t", "“", "” "]
QUERY_STEMS = [t.text for w in ("kremlin", "serang", "kota", "covid", "jokowi", "2.000")
               for t in analyze(w)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=120),
       st.sets(st.sampled_from(QUERY_STEMS), min_size=1), st.integers(1, 3),
       st.integers(20, 300))
def test_every_highlight_slices_to_a_matching_word(pieces, stems, fragments, size):
    text = "".join(w + s for w, s in pieces)
    snippet = make_snippet(text, HighlightTerms(stems=set(stems)), fragments=fragments,
                           fragment_chars=size)
    for start, end in snippet.highlights:
        word = snippet.text[start:end]
        assert {t.text for t in analyze(word)} & set(stems), (word, snippet.text)
    assert len(snippet.highlights) <= len(find_matches(text, HighlightTerms(stems=set(stems))))


INFLECTED = ["memukul", "pukulan", "mengatakan", "katanya", "menyerang", "serangan", "menulis",
             "tulisan", "penyelidikan", "menyelidiki", "membantah", "bantahan", "kota-kota",
             "Jokowi", "Covid-19", "berlari-lari", "pelari", "sapu", "menyapu", "Kafé"]
INFLECTED_STEMS = sorted({t.text for w in INFLECTED for t in analyze(w)})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(INFLECTED + WORDS), st.sampled_from(SEPARATORS)),
                max_size=80),
       st.sets(st.sampled_from(INFLECTED_STEMS), min_size=1),
       st.sets(st.sampled_from(["menyerang", "kafe", "katanya"]), max_size=2))
def test_skipping_paragraphs_loses_no_match(pieces, stems, words):
    """Only paragraphs holding a stem's (or melted stem's) letters are analysed: the
    matches must be exactly those of analysing the whole text."""
    from carinews.results.snippets import _matches_in

    text = "".join(w + s for w, s in pieces)
    terms = HighlightTerms(stems=set(stems), words=set(words))
    assert find_matches(text, terms) == _matches_in(text, terms)


def test_only_paragraphs_that_can_match_are_analysed(monkeypatch):
    import carinews.results.snippets as snippets

    seen = []
    real = snippets.analyze_words
    monkeypatch.setattr(snippets, "analyze_words", lambda text, stemmer: seen.append(text) or
                        real(text, stemmer))
    body = "Cuaca cerah di Jakarta.\n\nPolisi menyelidiki kasus itu.\n\nHarga cabai naik."
    assert [body[s:e] for s, e, _ in find_matches(body, HighlightTerms(stems={"selidik"}))] == \
        ["menyelidiki"]
    assert seen == ["Polisi menyelidiki kasus itu."]


def _reference_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, the plain full table."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


@given(st.text("abcd", max_size=8), st.text("abcd", max_size=8), st.integers(0, 3))
def test_edit_distance_is_the_reference_distance_up_to_the_limit(a, b, limit):
    from carinews.results.snippets import edit_distance

    assert edit_distance(a, b, limit) == min(_reference_distance(a, b), limit + 1)
