"""Split text into words with ICU word boundaries; offsets are Python ``str`` indices.

Steps, in the order of this file:

1. ``word_iterator`` -- one ICU word BreakIterator (locale ``id_ID``) per thread, built lazily.
   ICU objects cannot be pickled, so nothing else in carinews holds one.
2. ``split_words`` -- run the iterator once over the whole text, keep only segments that ICU
   tags as words (rule status >= 100: numbers, letters, kana, ideographs; punctuation, spaces
   and emoji are dropped), convert ICU's UTF-16 offsets to ``str`` indices, and split words
   glued where markup was stripped ("dariAntara" -> "dari", "Antara"; ``carinews.analysis.glued``).
3. ``join_compounds`` -- ICU splits at hyphens (``e-KTP`` -> ``e``, ``KTP``); re-join word runs
   linked by a single hyphen with no spaces (``e-KTP``, ``pro-Rusia``, ``Covid-19``,
   ``kota-kota``) into one ``Word`` spanning the whole compound, keeping each part's span.

``tokenize(text)`` is steps 2 and 3. Numbers such as ``2.000`` and ``1,5`` are already single
segments in ICU's word rules.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections.abc import Iterator
from typing import NamedTuple

import icu

__all__ = ["Word", "tokenize", "split_words", "join_compounds", "compound_runs", "word_groups",
           "HYPHENS"]

# ICU rule status ranges (UBRK_WORD_*): NONE is 0..99; NUMBER, LETTER, KANA, IDEO start at 100.
_WORD_STATUS_MIN = 100

# Characters that link the parts of a compound: hyphen-minus, hyphen, non-breaking hyphen.
HYPHENS = frozenset("-\u2010\u2011")

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_HYPHEN = re.compile("[" + re.escape("".join(sorted(HYPHENS))) + "]")
_local = threading.local()


class Word(NamedTuple):
    """A word's span in the text; ``parts`` holds the part spans of a hyphen compound."""

    start: int
    end: int
    parts: tuple[tuple[int, int], ...] = ()


# 1. ICU iterator ---------------------------------------------------------------------------


def word_iterator() -> icu.BreakIterator:
    """Return this thread's word BreakIterator (BreakIterators are stateful, not thread-safe)."""
    iterator = getattr(_local, "word_iterator", None)
    if iterator is None:
        iterator = icu.BreakIterator.createWordInstance(icu.Locale("id_ID"))
        _local.word_iterator = iterator
    return iterator


# 2. Word segments --------------------------------------------------------------------------


def split_words(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) ``str`` spans of the word segments of ``text``, in order."""
    if not text:
        return []
    iterator = word_iterator()
    iterator.setText(text)
    spans = []
    start = 0
    status = iterator.getRuleStatus
    for end in iterator:
        if status() >= _WORD_STATUS_MIN:
            spans.append((start, end))
        start = end
    return split_glued(text, _to_str_offsets(text, spans))


def split_glued(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Words glued where markup was stripped ("dariAntara") become two spans over the
    same characters (carinews.analysis.glued)."""
    from carinews.analysis.glued import split_spans

    return split_spans(text, spans)


def _to_str_offsets(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Convert UTF-16 spans to ``str`` spans.

    Every character outside the BMP (emoji, some CJK) takes two UTF-16 units but one ``str``
    index, so a boundary moves back by the number of such characters before it.
    """
    astral_at = [m.start() for m in _ASTRAL.finditer(text)]
    if not astral_at:
        return spans
    # UTF-16 offset of the k-th astral character = its str index + k.
    units_at = [index + k for k, index in enumerate(astral_at)]

    def convert(offset: int) -> int:
        return offset - bisect_left(units_at, offset)

    return [(convert(start), convert(end)) for start, end in spans]


# 3. Hyphen compounds -----------------------------------------------------------------------


def compound_runs(text: str, spans: list[tuple[int, int]]) -> dict[int, int]:
    """``{i: j}`` for each hyphen compound made of ``spans[i:j]`` (``j - i >= 2``).

    Spans ``k`` and ``k + 1`` are linked when exactly one hyphen character separates them.
    Hyphens are found with one regex pass over the text, so a text without compounds (most
    sentences) costs no per-word work here.
    """
    hyphens = [m.start() for m in _HYPHEN.finditer(text)]
    if not hyphens:
        return {}
    starts = [start for start, _ in spans]
    runs: dict[int, int] = {}
    last = len(spans) - 1
    first_of: dict[int, int] = {}       # the run each linked span belongs to
    for at in hyphens:
        k = bisect_left(starts, at + 1) - 1     # the span starting at or before the hyphen
        if 0 <= k < last and spans[k][1] == at and spans[k + 1][0] == at + 1:
            first = first_of.get(k, k)
            runs[first] = k + 2
            first_of[k + 1] = first
    return runs


def word_groups(spans: list[tuple[int, int]], runs: dict[int, int]) -> Iterator[tuple[int, int]]:
    """``(i, j)`` for each word: ``spans[i:j]`` is a plain word (``j == i + 1``) or, per
    `compound_runs`, a hyphen compound."""
    i, n = 0, len(spans)
    while i < n:
        j = runs.get(i, i + 1)
        yield i, j
        i = j


def join_compounds(text: str, spans: list[tuple[int, int]]) -> list[Word]:
    """Merge runs of spans separated by exactly one hyphen character into compound ``Word``s."""
    runs = compound_runs(text, spans)
    if not runs:
        return [Word(start, end) for start, end in spans]
    return [Word(*spans[i]) if j == i + 1 else Word(spans[i][0], spans[j - 1][1], tuple(spans[i:j]))
            for i, j in word_groups(spans, runs)]


def tokenize(text: str) -> list[Word]:
    """Return the words of ``text`` (ICU word segments, hyphen compounds joined)."""
    return join_compounds(text, split_words(text))
