"""The stemmers as pure functions: table test, overrides, name protection, data files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from carinews.analysis.stem import (
    DATA_DIR,
    PROTECTED_FILE,
    STEMMERS,
    algorithm,
    load_overrides,
    load_protected_words,
    make_stemmer,
    stem_word,
)

GOLDEN = Path(__file__).parent / "golden" / "analysis" / "stems.tsv"


def read_table() -> list[tuple[str, str, str]]:
    rows = []
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            stemmer, word, expected = line.split("\t")
            rows.append((stemmer, word, expected))
    return rows


def rewrite_table() -> None:
    """Refill the expected column from the current stemmers (UPDATE_GOLDEN=1)."""
    lines = []
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            stemmer, word, _ = line.split("\t")
            line = f"{stemmer}\t{word}\t{stem_word(word, stemmer)}"
        lines.append(line)
    GOLDEN.write_text("\n".join(lines) + "\n", encoding="utf-8")


if os.environ.get("UPDATE_GOLDEN") == "1":
    rewrite_table()


@pytest.mark.parametrize("stemmer, word, expected", read_table())
def test_stem_table(stemmer, word, expected):
    assert stem_word(word, stemmer) == expected


def test_inflections_share_a_stem():
    assert len({stem_word(w) for w in ["menyerang", "serangan", "diserang"]}) == 1


@pytest.mark.parametrize("name", ["Kremlin", "Peskov", "Jokowi", "Bali"])
@pytest.mark.parametrize("stemmer", STEMMERS)
def test_names_are_kept(name, stemmer):
    assert stem_word(name, stemmer) == name.lower()


def test_protection_ignores_case():
    assert stem_word("BALI") == stem_word("bali") == stem_word("Bali") == "bali"


def test_unknown_stemmer_is_refused():
    with pytest.raises(ValueError, match="sastrawi, snowball, none"):
        make_stemmer("porter")


def test_stemmer_is_memoised():
    stem = make_stemmer("sastrawi")
    assert stem is make_stemmer("sastrawi")
    stem("menyerang")
    assert stem.cache_info().currsize >= 1


# Data files ---------------------------------------------------------------------------------


def test_overrides_fix_what_sastrawi_gets_wrong():
    sastrawi = algorithm("sastrawi")
    for word, stem in load_overrides().items():
        assert word == word.lower() and stem
        assert sastrawi(word) != stem, f"{word}: override is what Sastrawi already does"


def test_lexicon_holds_names_that_need_protection():
    words = load_protected_words()
    assert 300 < len(words) < 2000
    assert {"bali", "setiawan", "megawati", "jokowi", "maluku"} <= words
    # Common title words were excluded by hand: they keep their stems.
    assert not {"kementerian", "pengadilan", "pertahanan", "presiden"} & words


def test_lexicon_words_are_folded():
    assert all(word == word.lower() and " " not in word for word in load_protected_words())


def test_lexicon_credits_indosum():
    header = (DATA_DIR / PROTECTED_FILE).read_text(encoding="utf-8")
    assert "IndoSum" in header and "CC BY-SA 4.0" in header


def _vocabulary(texts) -> set[str]:
    from carinews.analysis import fold, tokenize
    from carinews.analysis.filters import is_stemmable

    words = set()
    for text in texts:
        for word in tokenize(text):
            folded = fold(text[word.start:word.end])
            if is_stemmable(folded):
                words.add(folded)
    return words


def _sample_texts():
    import orjson

    import carinews

    for path in carinews.sample_paths():
        for line in open(path, encoding="utf-8"):
            record = orjson.loads(line)
            yield record["title"]
            yield record["body"]


def _check_shortcut(words) -> int:
    """Every word the Sastrawi shortcut returns as is, Sastrawi itself returns as is."""
    from carinews.analysis import stem

    skipped = [w for w in words if not stem._SASTRAWI_MAY_CHANGE.search(w)]
    changed = [w for w in skipped if stem._sastrawi().stem_word(w) != w]
    assert changed == []
    return len(skipped)


def _check_speedups(words) -> int:
    """Sastrawi with its regexes served by `sastrawi_regex` and its prefix rules guarded by
    `sastrawi_rules` stems exactly as plain Sastrawi."""
    from carinews.analysis import sastrawi_regex, sastrawi_rules, stem

    words = sorted(w for w in words if stem._SASTRAWI_MAY_CHANGE.search(w))
    sastrawi = stem._sastrawi()
    fast = [sastrawi.stem_word(w) for w in words]
    sastrawi_regex.uninstall()
    sastrawi_rules.uninstall()
    try:
        plain = [sastrawi.stem_word(w) for w in words]
    finally:
        sastrawi_regex.install()
        assert sastrawi_rules.install(sastrawi) == 35
    assert [(w, a, b) for w, a, b in zip(words, fast, plain) if a != b] == []
    return len(words)


def test_sastrawi_shortcut_only_skips_words_sastrawi_keeps():
    words = _vocabulary(_sample_texts()) | {
        "kinerja", "premanisme", "finalis", "lain-lain", "kaukasus", "kautsar", "gelombang",
        "gemuruh", "seruling", "tinju", "jakarta", "covid", "rusia", "prabowo"}
    assert _check_shortcut(words) > 1000
    assert _check_speedups(words) > 1000
    from carinews.analysis.stem import _stem_sastrawi

    assert [_stem_sastrawi(w) for w in ("kinerja", "premanisme", "lain-lain", "kaukasus")] == [
        "kerja", "preman", "lain", "kasus"]


def test_sastrawi_shortcut_on_the_shared_corpus():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "jsonl"
    if not folder.is_dir():
        pytest.skip("shared corpus absent")
    import carinews

    texts = (t for a in carinews.read_articles([str(folder)]) if isinstance(a, carinews.Article)
             for t in (a.title, a.body))
    words = _vocabulary(texts)
    assert _check_shortcut(words) > 40_000
    assert _check_speedups(words) > 40_000


def test_prefix_guards_only_skip_rules_that_cannot_match():
    from carinews.analysis import sastrawi_rules, stem

    rules = {type(rule).__name__[len("DisambiguatorPrefixRule"):]: rule
             for visitor in stem._sastrawi().visitor_provider.get_prefix_visitors()
             for rule in getattr(visitor, "disambiguators", ())}
    assert sastrawi_rules.literal_prefixes(rules["17c"]) == ("menge",)
    assert sastrawi_rules.literal_prefixes(rules["2"]) == ("ber", "er")   # and its inner match
    assert sastrawi_rules.literal_prefixes(rules["4"]) is None           # `word == 'belajar'`
    assert sastrawi_rules.literal_prefixes(rules["40a"]) is None         # starts with a class

    class Optional:
        def disambiguate(self, word):
            import re
            return re.match(r"^ber?([aiueo])(.*)$", word) and word

    class Alternatives:
        def disambiguate(self, word):
            import re
            return re.match(r"^me|pe", word) and word

    assert sastrawi_rules.literal_prefixes(Optional()) == ("be",)
    assert sastrawi_rules.literal_prefixes(Alternatives()) is None


def test_fast_regex_substitutes_like_re():
    import re

    from carinews.analysis import sastrawi_regex

    fast = sastrawi_regex.FAST_RE
    for pattern, repl, text, count in [("kan", "", "makanan", 1), ("an", "", "makanan", 0),
                                       ("an", "x", "makanan", 2), ("a-b", "", "xa-bya-b", 1),
                                       ("^(di|ke|se)", "", "dikelola", 1), (r"an$", "", "makan", 0),
                                       ("kan", r"\\1", "makan", 1), ("", "", "abc", 1)]:
        assert fast.sub(pattern, repl, text, count=count) == re.sub(pattern, repl, text, count=count)
    assert fast.match(r"^me(.*)$", "memukul").group(1) == "mukul"
    assert fast.search("(?i)KAN", "makan").group() == "kan"
    assert fast.IGNORECASE is re.IGNORECASE
    assert fast.match("^ber", "BERLARI", fast.IGNORECASE)
