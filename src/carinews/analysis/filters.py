"""Normalise a word's surface so that index and query spell it the same way.

Steps of ``fold``, in order:

1. ASCII fast path: ``str.lower`` (most Indonesian news words are plain ASCII).
2. Map typographic apostrophes to ``'`` and typographic hyphens to ``-`` (``Ma’ruf`` =
   ``Ma'ruf``; ``e‑KTP`` = ``e-KTP``).
3. NFKC case folding with ICU ``Normalizer2.getNFKCCasefoldInstance()`` (full-width forms,
   ligatures, ``ß`` -> ``ss``, soft hyphens and zero-width characters removed).
4. Strip diacritics (``é`` -> ``e``): decompose, drop nonspacing marks, recompose.

Non-ASCII words are memoised: news repeats the same few thousand of them.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache

import icu

__all__ = ["fold", "is_stemmable"]

# Apostrophe look-alikes (right/left single quote, modifier letter apostrophe, prime, grave,
# acute accent) and hyphen look-alikes (hyphen, non-breaking hyphen). str.translate is a
# one-pass C loop; ICU's Transliterator could do this too but costs far more per call.
_PUNCT_FOLD = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u2010": "-",
        "\u2011": "-",
    }
)

_local = threading.local()


def _casefolder() -> icu.Normalizer2:
    """Return this thread's NFKC_Casefold normaliser (ICU objects are not picklable)."""
    normalizer = getattr(_local, "casefolder", None)
    if normalizer is None:
        normalizer = icu.Normalizer2.getNFKCCasefoldInstance()
        _local.casefolder = normalizer
    return normalizer


def fold(word: str) -> str:
    """Return the case-folded, diacritic-free form of ``word`` (index and query alike)."""
    if word.isascii():
        lowered = word.lower()
        return lowered.replace("`", "'") if "`" in lowered else lowered
    return _fold_unicode(word)


@lru_cache(maxsize=65536)
def _fold_unicode(word: str) -> str:
    folded = _casefolder().normalize(word.translate(_PUNCT_FOLD))
    return _strip_diacritics(folded).translate(_PUNCT_FOLD)


def _strip_diacritics(text: str) -> str:
    """Drop nonspacing marks after canonical decomposition (``é`` -> ``e``, ``İ`` -> ``i``)."""
    decomposed = unicodedata.normalize("NFD", text)
    if decomposed.isascii():
        return decomposed
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", stripped)


def is_stemmable(word: str) -> bool:
    """Return whether a folded word is plain Latin letters (optionally hyphen-joined).

    The Indonesian stemmers only know Latin affixes; numbers, codes (``b2b``), words with
    apostrophes and other scripts are left as they are.
    """
    return word.isascii() and word.replace("-", "").isalpha()
