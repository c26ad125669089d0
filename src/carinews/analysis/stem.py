"""Reduce a folded word to its stem: ``stem(word) -> str``, a pure, memoised function.

Steps of a stemmer built by ``make_stemmer(name)``, in order:

1. Override table (``data/stem_overrides.tsv``, Sastrawi only): fixes for Sastrawi's known
   errors (``membantah`` -> ``bantah``, not ``ban``).
2. Name protection (``data/protected_words.txt``): words that news writes capitalised
   mid-sentence (``Bali``, ``Setiawan``) stay as they are, so a name is never stemmed into
   another word. The same check runs at index and query time, whatever the case.
3. Only plain Latin words (optionally hyphen-joined) are stemmed; numbers, codes and other
   scripts pass through.
4. The algorithm: ``sastrawi`` (PySastrawi; resolves reduplication ``kota-kota`` -> ``kota``),
   ``snowball`` (PyStemmer's Indonesian Snowball, plus the same reduplication rule) or
   ``none``.

Stemmers expect a word already folded by ``filters.fold``; ``stem_word`` does both.

``sastrawi_regex`` and ``sastrawi_rules`` speed Sastrawi up through its internals; they are
tested against ``SASTRAWI_VERSION`` only, which pyproject.toml pins and a test checks.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from carinews.analysis.filters import fold, is_stemmable

SASTRAWI_VERSION = "1.2.1"

__all__ = [
    "STEMMERS",
    "DEFAULT_STEMMER",
    "make_stemmer",
    "algorithm",
    "check_stemmer",
    "stem_word",
    "load_overrides",
    "load_protected_words",
    "data_digest",
    "OVERRIDES_FILE",
    "PROTECTED_FILE",
]

STEMMERS = ("sastrawi", "snowball", "none")
DEFAULT_STEMMER = "sastrawi"
DATA_DIR = Path(__file__).resolve().parents[1] / "data"
OVERRIDES_FILE = "stem_overrides.tsv"
PROTECTED_FILE = "protected_words.txt"

# Distinct words in a large news archive run to a few hundred thousand; beyond that the
# least recently used stems are recomputed.
_MEMO_SIZE = 1 << 18

# Data files --------------------------------------------------------------------------------


def _data_lines(name: str) -> list[str]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=None)
def load_overrides() -> dict[str, str]:
    """Return the Sastrawi override table: folded word -> stem."""
    table = {}
    for line in _data_lines(OVERRIDES_FILE):
        word, stem = line.split("\t")[:2]
        table[word.strip()] = stem.strip()
    return table


@lru_cache(maxsize=None)
def load_protected_words() -> frozenset[str]:
    """Return the folded words that are never stemmed (the name lexicon)."""
    return frozenset(line.split("\t")[0].strip() for line in _data_lines(PROTECTED_FILE))


def data_digest() -> str:
    """Return a short hash of the override and lexicon files (part of ANALYSIS_VERSION)."""
    digest = hashlib.sha256()
    for name in (OVERRIDES_FILE, PROTECTED_FILE):
        digest.update((DATA_DIR / name).read_bytes())
    return digest.hexdigest()[:12]


# Algorithms --------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _sastrawi():
    """Build Sastrawi's stemmer once (loading its dictionary takes ~0.1 s)."""
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from carinews.analysis import sastrawi_regex, sastrawi_rules

    # The stemmer StemmerFactory.create_stemmer wraps, without the wrapper: CachedStemmer's
    # stem() re-normalises text with regexes on every call; we memoise ourselves and call
    # the word stemmer directly. The dictionary holds what ArrayDictionary.add would keep,
    # filled in one step rather than one method call per word of its ~30,000.
    dictionary = ArrayDictionary()
    dictionary.words = {w: w for w in StemmerFactory().get_words() if w and w.strip()}
    stemmer = Stemmer(dictionary)
    sastrawi_regex.install()
    sastrawi_rules.install(stemmer)
    return stemmer


# Words no Sastrawi rule can touch: no hyphen (reduplication), none of its prefixes
# (di- ke- se- be(r)- te(r)- me- pe(r)- ku- kau-), no infix (-el- -em- -er- -in- after a
# first consonant) and none of its suffixes (-lah -kah -tah -pun -ku -mu -nya -i -kan -an
# -is -isme). Sastrawi tries every rule on them anyway (~70 us a word) and returns them
# unchanged; they are half the distinct words of a news archive (48,533 of 94,116 in the
# shared corpus, all returned unchanged by Sastrawi: tests/test_analysis_stem.py).
_SASTRAWI_MAY_CHANGE = re.compile(
    r"^(?:di|ke|se|be|te|me|pe|ku|kau)|^[bcdfghjklmnpqrstvwxyz](?:el|em|er|in)[aiueo]"
    r"|(?:lah|kah|tah|pun|ku|mu|nya|is|isme|i|kan|an)$|-")


@lru_cache(maxsize=_MEMO_SIZE)
def _stem_sastrawi(word: str) -> str:
    # Memoised here too: names.is_common_word asks the bare algorithm about the
    # same words the analysis stems, and Sastrawi costs ~0.1 ms per new word.
    if not _SASTRAWI_MAY_CHANGE.search(word):
        return word
    return _sastrawi().stem_word(word)


_snowball_local = threading.local()


def _snowball_stem_word() -> Callable[[str], str]:
    """Return this thread's PyStemmer stem function (PyStemmer objects are not thread-safe)."""
    local = _snowball_local
    stemmer = getattr(local, "stemmer", None)
    if stemmer is None:
        import Stemmer

        stemmer = local.stemmer = Stemmer.Stemmer("indonesian")
    return stemmer.stemWord


def _stem_snowball(word: str) -> str:
    if "-" not in word:
        return _snowball_stem_word()(word)
    return _stem_reduplication(word, _snowball_stem_word())


def _stem_reduplication(word: str, stem: Callable[[str], str]) -> str:
    """``kota-kota`` -> ``kota``, ``berlari-lari`` -> ``lari``; other compounds unchanged.

    Sastrawi does this itself (Asian 2007); Snowball knows no hyphens, so we apply the same
    rule: two parts whose stems agree are one reduplicated word.
    """
    parts = word.split("-")
    if len(parts) == 2 and all(parts):
        first, second = stem(parts[0]), stem(parts[1])
        if first == second:
            return first
    return word


def _stem_none(word: str) -> str:
    return word


_ALGORITHMS: dict[str, Callable[[str], str]] = {
    "sastrawi": _stem_sastrawi,
    "snowball": _stem_snowball,
    "none": _stem_none,
}


def algorithm(name: str) -> Callable[[str], str]:
    """Return the bare algorithm of stemmer ``name``: no overrides, no protection, no memo."""
    return _ALGORITHMS[check_stemmer(name)]


# Stemmer -----------------------------------------------------------------------------------


def check_stemmer(name: str) -> str:
    """Return ``name`` if it names a stemmer, else raise ``ValueError`` listing the choices."""
    if name not in _ALGORITHMS:
        raise ValueError(f"Unknown stemmer {name!r}; choose one of {', '.join(STEMMERS)}")
    return name


@lru_cache(maxsize=None)
def make_stemmer(name: str = DEFAULT_STEMMER) -> Callable[[str], str]:
    """Return the memoised ``stem(folded_word) -> str`` for stemmer ``name``."""
    stem_algorithm = algorithm(name)
    if name == "none":
        return _stem_none
    overrides = load_overrides() if name == "sastrawi" else {}
    protected = load_protected_words()

    @lru_cache(maxsize=_MEMO_SIZE)
    def stem(word: str) -> str:
        override = overrides.get(word)
        if override is not None:
            return override
        if word in protected or not is_stemmable(word):
            return word
        return stem_algorithm(word)

    stem.__name__ = f"stem_{name}"
    return stem


def stem_word(word: str, stemmer: str = DEFAULT_STEMMER) -> str:
    """Fold and stem one word exactly as the analyzers do (``"Diserang"`` -> ``"serang"``)."""
    return make_stemmer(stemmer)(fold(word))
