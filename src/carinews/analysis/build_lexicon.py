"""Build ``data/protected_words.txt``: words news writes capitalised mid-sentence.

Run as ``python -m carinews.analysis.build_lexicon [CORPUS] [--min-count N] [--min-ratio R]``.

Steps:

1. Read the bodies of the IndoSum dev set (``../shared/corpus/jsonl/indosum_dev.jsonl``), the
   only corpus whose licence (CC BY-SA 4.0) lets us ship a file derived from it.
2. Count, per case-folded word, its mid-sentence occurrences (not at a line start and not
   after ``. ! ? : ;``, a quote, a bracket, a bullet or a spaced dash) and how many of those
   are capitalised.
3. Keep words seen mid-sentence at least ``--min-count`` times, capitalised in at least
   ``--min-ratio`` of them, that a stemmer would change (the others need no protection),
   minus words ending in the clitic ``-nya`` and minus ``EXCLUDED``: common words that
   titles capitalise (``Kementerian``, ``Pengadilan``) whose stems are worth keeping.
4. Write the list with a header crediting IndoSum, and print a summary.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from carinews.analysis.filters import fold, is_stemmable
from carinews.analysis.stem import DATA_DIR, PROTECTED_FILE, algorithm
from carinews.analysis.tokenize import tokenize

DEFAULT_CORPUS = Path(__file__).resolve().parents[4] / "shared/corpus/jsonl/indosum_dev.jsonl"
MIN_COUNT = 3
MIN_RATIO = 0.9

# Characters after which a capital letter says nothing: a new sentence, clause or quote.
_SENTENCE_STARTERS = frozenset(".!?:;\"“”'‘’()[]•*-–—|/")

# Institution and title words (first two paragraphs) and clitic forms (last line) capitalised in names ("Kementerian Pertahanan", "Pengadilan
# Negeri") but common words in their own right: protecting them would lose valid stems
# (kementerian ~ menteri, pengadilan ~ mengadili). Chosen by reading the candidate list.
EXCLUDED = frozenset(
    """
    kementerian kepolisian kejaksaan pengadilan kecamatan kelurahan kabupaten pertahanan
    perhubungan kepresidenan perdagangan pendidikan kesehatan keuangan kehutanan kelautan
    perikanan pertanian perindustrian pariwisata kebudayaan ketenagakerjaan perumahan
    pemerintahan pemerintah pemberantasan penanggulangan pembangunan perencanaan
    penyelenggara pengawas pemeriksa perwakilan permusyawaratan kesejahteraan kemanusiaan
    kemerdekaan persatuan kepulauan pegunungan pelabuhan penerbangan perkebunan
    kehakiman kemaritiman pendayagunaan perhimpunan perserikatan penyehatan perundang
    pembina penerbang pengabdi
    kubaca kartuku istirahatlah
    """.split()
)

# Words ending in the clitic -nya ("Instagramnya") are capitalised only for the name inside.
_CLITIC_ENDING = "nya"

HEADER = """\
# carinews: protected words (never stemmed), one case-folded word a line.
# Words that Indonesian news writes capitalised mid-sentence (names of people, places,
# organisations) and that a stemmer would otherwise change: Bali stays "bali", not "bal".
# Derived from IndoSum (Kurniawan & Louvan 2018, "IndoSum: A New Benchmark Dataset for
# Indonesian Text Summarization"), dev folds, licensed CC BY-SA 4.0; this file is
# therefore also CC BY-SA 4.0. Rebuild: python -m carinews.analysis.build_lexicon
# Criterion: seen mid-sentence >= {min_count} times, capitalised in >= {min_ratio:.0%} of them,
# changed by the Sastrawi or Snowball stemmer; not ending in -nya; minus {excluded} words
# excluded by hand (title words such as "kementerian", and clitic forms).
"""


# 1. Corpus ---------------------------------------------------------------------------------


def read_bodies(path: Path) -> Iterator[str]:
    """Yield the ``body`` of each JSONL record."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            body = json.loads(line).get("body")
            if body:
                yield body


# 2. Counting -------------------------------------------------------------------------------


def is_mid_sentence(text: str, start: int) -> bool:
    """Return whether the word at ``start`` follows a word or comma on the same line."""
    before = text[:start].rstrip(" \t\u00a0")
    if not before or before[-1] == "\n":
        return False
    # "-" too: a spaced dash ends a dateline ("JAKARTA, KOMPAS.com - Presiden").
    return before[-1] not in _SENTENCE_STARTERS


def count_capitals(bodies: Iterable[str]) -> tuple[collections.Counter, collections.Counter]:
    """Return (mid-sentence count, capitalised mid-sentence count) per folded word."""
    seen: collections.Counter = collections.Counter()
    capital: collections.Counter = collections.Counter()
    for text in bodies:
        for word in tokenize(text):
            if word.parts or not is_mid_sentence(text, word.start):
                continue
            surface = text[word.start : word.end]
            folded = fold(surface)
            seen[folded] += 1
            capital[folded] += surface[0].isupper()
    return seen, capital


# 3. Selection ------------------------------------------------------------------------------


def needs_protection(word: str) -> bool:
    """Return whether bare Sastrawi or Snowball (no overrides, no lexicon) changes ``word``."""
    return is_stemmable(word) and any(
        algorithm(name)(word) != word for name in ("sastrawi", "snowball")
    )


def select_words(seen, capital, min_count: int, min_ratio: float) -> list[str]:
    """Return the sorted words that pass the criterion in the module docstring."""
    return sorted(
        word
        for word, count in seen.items()
        if count >= min_count
        and capital[word] >= min_ratio * count
        and word not in EXCLUDED
        and not word.endswith(_CLITIC_ENDING)
        and needs_protection(word)
    )


# 4. Output ---------------------------------------------------------------------------------


def write_lexicon(words: list[str], path: Path, min_count: int, min_ratio: float) -> None:
    header = HEADER.format(min_count=min_count, min_ratio=min_ratio, excluded=len(EXCLUDED))
    path.write_text(header + "".join(word + "\n" for word in words), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--min-count", type=int, default=MIN_COUNT)
    parser.add_argument("--min-ratio", type=float, default=MIN_RATIO)
    parser.add_argument("--output", type=Path, default=DATA_DIR / PROTECTED_FILE)
    args = parser.parse_args(argv)
    seen, capital = count_capitals(read_bodies(args.corpus))
    words = select_words(seen, capital, args.min_count, args.min_ratio)
    write_lexicon(words, args.output, args.min_count, args.min_ratio)
    print(f"{len(words)} protected words from {len(seen)} mid-sentence words -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
