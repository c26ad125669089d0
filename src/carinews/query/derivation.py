"""Other derivations of a query word's root that its Sastrawi stem misses.

Sastrawi already gives one stem to most derivations of a root (``pembangunan``,
``membangun``, ``dibangun`` -> ``bangun``; ``kebakaran``, ``terbakar`` -> ``bakar``), so
the stem field joins them. Where it strips the wrong affix it cuts a family apart:
``perampokan`` -> ``ampo`` (read as ``per-ampo-kan``) while ``dirampok`` and ``merampok``
-> ``rampok``. `derivation_roots` finds such a noun's verb root:

1. `pen_an_roots`: the roots whose regular pe(N)-...-an noun is the word, with the nasal's
   lost first letter put back (``penembakan`` <- ``tembak``, ``perampokan`` <- ``rampok``).
   Only this family: per-an and ke-an nouns often mean something else than their root
   (``perhatian`` is not about ``hati``, ``keuangan`` not only about ``uang``), and a free
   strip of any prefix joins mostly wrong roots (``mengatakan`` to ``katak``; see
   benchmarks/morph_families.py).
2. Keep a root only if it is in Sastrawi's dictionary, differs from the word's own stem,
   and Sastrawi stems its di- and meN- verbs to it (so the index joins that family).

Names never reach this: parse.py calls it only for a lower-case plain word.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["derivation_roots", "pen_an_roots", "nasal_prefix"]

MIN_ROOT = 4


def nasal_prefix(root: str, base: str) -> str:
    """`base` ("pe" or "me") with the nasal a root takes, the root's lost letter dropped:
    ("rampok", "pe") -> "perampok", ("tembak", "pe") -> "penembak", ("sapu", "me") -> "menyapu"."""
    head, rest = root[:1], root[1:]
    if head in "lmnrwy":
        return base + root
    if head in "bfv":
        return base + "m" + root
    if head == "p":
        return base + "m" + rest
    if head in "cdjz":
        return base + "n" + root
    if head == "t":
        return base + "n" + rest
    if head in "gh" or head in "aiueo":
        return base + "ng" + root
    if head == "k":
        return base + "ng" + rest
    if head == "s":
        return base + "ny" + rest
    return base + root


def pen_an_roots(word: str) -> set[str]:
    """Roots whose regular pe(N)-...-an noun is `word` (not checked against a dictionary)."""
    if not (word.startswith("pe") and word.endswith("an")):
        return set()
    out = set()
    for prefix, lost in (("peny", "s"), ("peng", "k"), ("peng", ""), ("pem", "p"), ("pem", ""),
                         ("pen", "t"), ("pen", ""), ("pe", "")):
        if word.startswith(prefix):
            core = word[len(prefix):-2]
            root = lost + core if lost else core
            if len(root) >= MIN_ROOT and nasal_prefix(root, "pe") + "an" == word:
                out.add(root)
    return out


@lru_cache(maxsize=4096)
def derivation_roots(word: str, stem: str) -> tuple[str, ...]:
    """Roots of folded `word` besides `stem` (its Sastrawi stem) that a reader would accept."""
    from carinews.analysis.stem import _sastrawi, make_stemmer

    if not word.isalpha():
        return ()
    dictionary = _sastrawi().dictionary
    stem_of = make_stemmer("sastrawi")
    return tuple(root for root in sorted(pen_an_roots(word))
                 if root != stem and dictionary.contains(root)
                 and stem_of("di" + root) == root and stem_of(nasal_prefix(root, "me")) == root)
