"""The index terms of a text: ``analyze`` and its fast forms ``positions_many`` (grouped by
term) and ``streams_many`` (in position order).

Steps of ``analyze(text, stemmer, mode)``, in order:

1. ``tokenize``: ICU words with ``str`` offsets, hyphen compounds joined (tokenize.py).
2. ``fold``: case folding and diacritics, per word (filters.py).
3. ``stem``: overrides, name protection, Sastrawi/Snowball/none (stem.py).
4. Compound parts: at index time a compound that the stemmer did not reduce to one word
   (``covid-19``, ``e-ktp``, ``pro-rusia``, and ``kota-kota`` when not stemming) is followed,
   at the same position, by each distinct part of 2+ characters with its own offsets:
   ``covid`` and ``19``, ``ktp``, ``pro`` and ``rusia``, ``kota``. Digit parts are kept too,
   so ``2019-2020`` is found by ``2019``. A query (``mode="query"``) gets the joined term only,
   so a phrase query keeps one term per position. Highlighters must analyse with
   ``mode="index"`` to mark ``covid`` inside ``Covid-19``.

No stopwords are removed: ``"tidak benar"`` stays a searchable phrase.

Every engine indexes these terms (Whoosh through engines/whoosh/analyzers.py, tantivy as
pre-tokenised text), so all of them find the same articles. One loop over plain tuples is
faster than a chain of generators that copy tokens.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from carinews.analysis.filters import fold
from carinews.analysis.stem import DEFAULT_STEMMER, check_stemmer, make_stemmer
from carinews.analysis.tokenize import compound_runs, split_words, tokenize

__all__ = ["Stream", "Term", "analyze", "analyze_many", "analyze_one", "positions_many", "streams_many"]

EXACT = "none"  # the exact analysis is the pipeline without a stemmer
_MIN_PART_LENGTH = 2


class Term(NamedTuple):
    """One indexed term: its text, ``str`` offsets into the analysed text, and position."""

    text: str
    startchar: int
    endchar: int
    pos: int


class Stream(NamedTuple):
    """A text's index terms for one stemmer, in position order: ``words[p]`` is the term at
    position ``p``; ``parts`` the ``(term, p)`` compound parts that share position ``p``."""

    words: list[str]
    parts: list[tuple[str, int]]


# The pipeline ------------------------------------------------------------------------------


def analyze(text: str, stemmer: str = DEFAULT_STEMMER, mode: str = "index") -> list[Term]:
    """Return the terms of ``text`` (``stemmer="none"`` gives the exact, unstemmed terms)."""
    return analyze_many(text, (stemmer,), mode)[0]


def analyze_many(text: str, stemmers: tuple[str, ...], mode: str = "index") -> list[list[Term]]:
    """``[analyze(text, s, mode) for s in stemmers]`` from one tokenisation and folding.

    The index holds every text twice (stemmed and exact), so indexing asks for both at once.
    """
    stems = [make_stemmer(name) for name in stemmers]
    with_parts = mode != "query"
    results: list[list[Term]] = [[] for _ in stemmers]
    pos = 0
    for word in tokenize(text):
        surface = fold(text[word.start : word.end])
        if not surface:  # only ignorable characters (e.g. a lone soft hyphen)
            continue
        for stem, terms in zip(stems, results):
            term = stem(surface)
            terms.append(Term(term, word.start, word.end, pos))
            if word.parts and with_parts and "-" in term:
                terms.extend(_part_terms(text, word.parts, stem, term, pos))
        pos += 1
    return results


def word_terms_many(text: str, stemmers: tuple[str, ...]) -> list[tuple[int, int, tuple[frozenset[str], ...]]]:
    """Index-mode terms of ``text`` by word position: ``(start, end, (terms per stemmer))``.

    Per position, the terms ``analyze_many(text, stemmers)`` gives there (the word's own term
    and its compound parts'), without a Term per term: snippets look words up by position,
    and build these for every paragraph of every hit they show. As in `positions_many`, each
    distinct word is folded and stemmed once (memoised across texts, `_word_sets`); the sets
    are shared between positions and texts, never to be changed.
    """
    spans = split_words(text)
    runs = compound_runs(text, spans)
    if runs:
        words = _compound_keys(text, spans, runs)
        bounds = _join_runs(list(spans), runs, lambda i, j: (spans[i][0], spans[j - 1][1]))
    else:
        words, bounds = [text[s:e] for s, e in spans], spans
    memo = _word_sets_memo(stemmers)
    out = []
    for word, (start, end) in zip(words, bounds):
        found = memo.get(word)
        if found is None:
            found = _word_sets(word, stemmers, memo)
        if found is not _IGNORED:
            out.append((start, end, found))
    return out


@lru_cache(maxsize=None)
def _word_sets_memo(stemmers: tuple[str, ...]) -> dict:
    return {}


def _word_sets(word, stemmers: tuple[str, ...], memo: dict) -> tuple:
    """One word's terms for `word_terms_many`: `_word_terms` as a frozenset per stemmer (its
    term and its compound parts'), `_IGNORED` for a word of ignorable characters; remembered
    in `memo`, cleared when full as `_word_terms`' memo is."""
    if not fold(word if type(word) is str else word[0]):
        found = _IGNORED
    else:
        terms_memo = _word_terms_memo(stemmers)
        terms = terms_memo.get(word) or _word_terms(word, stemmers, terms_memo)
        found = tuple(frozenset(t for k, t in terms if k == i) for i in range(len(stemmers)))
    if len(memo) >= _WORD_TERMS_MAX:
        memo.clear()
    memo[word] = found
    return found


def positions_many(text: str, stemmers: tuple[str, ...]) -> list[dict[str, list[int]]]:
    """Index-mode terms of ``text`` grouped by text: ``{term: [positions]}`` per stemmer.

    The same terms and positions as ``analyze_many(text, stemmers)`` without offsets; indexing
    needs only these. Built for speed, as indexing runs it on every title and body: the
    positions are first grouped by the word as written (a slice and a dict append per word),
    then each distinct word is folded and stemmed once (memoised across texts, `_word_terms`)
    and its positions merged into its terms' lists.
    """
    spans = split_words(text)
    runs = compound_runs(text, spans)
    words = _compound_keys(text, spans, runs) if runs else [text[s:e] for s, e in spans]
    grouped: dict = {}
    pos = 0
    for word in words:
        found = grouped.get(word)
        if found is None:
            if type(word) is str and not word.isascii() and not fold(word):
                continue            # only ignorable characters (e.g. a lone soft hyphen)
            grouped[word] = [pos]
        else:
            found.append(pos)
        pos += 1
    results: list[dict[str, list[int]]] = [{} for _ in stemmers]
    memo = _word_terms_memo(stemmers)
    merged = []
    for word, positions in grouped.items():
        terms = memo.get(word)
        if terms is None:
            terms = _word_terms(word, stemmers, memo)
        for k, term in terms:
            table = results[k]
            found = table.get(term)
            if found is None:
                table[term] = positions          # shared, never changed in place
            else:
                table[term] = found + positions  # two spellings of one term: sorted below
                merged.append((table, term))
    for table, term in merged:
        table[term].sort()
    return results


def streams_many(text: str, stemmers: tuple[str, ...]) -> list[Stream]:
    """Index-mode terms of ``text`` in position order, one `Stream` per stemmer.

    The same terms and positions as ``analyze_many(text, stemmers)`` without offsets, for an
    engine that takes a text's terms as a sequence (tantivy). Each distinct word is folded
    and stemmed once (memoised across texts, `_word_forms`); the words' forms are then
    transposed into one sequence per stemmer in C (``zip``), and only compounds are looked
    at one by one.
    """
    spans = split_words(text)
    runs = compound_runs(text, spans)
    words = _compound_keys(text, spans, runs) if runs else [text[s:e] for s, e in spans]
    memo = _word_forms_memo(stemmers)
    forms = list(map(memo.get, words))
    if None in forms:
        forms = [f if f is not None else _word_forms(w, stemmers, memo) for f, w in zip(forms, words)]
    if _IGNORED in forms:
        forms = [f for f in forms if f is not _IGNORED]
    if not forms:
        return [Stream([], []) for _ in stemmers]
    columns = list(zip(*forms))
    count = len(stemmers)
    parts: list[list[tuple[str, int]]] = [[] for _ in stemmers]
    if runs:
        for pos, found in enumerate(columns[count]):
            if found is not None:
                for table, terms in zip(parts, found):
                    table.extend((term, pos) for term in terms)
    return [Stream(list(column), table) for column, table in zip(columns, parts)]


_IGNORED = ()       # a word of ignorable characters only: no term, no position


@lru_cache(maxsize=None)
def _word_forms_memo(stemmers: tuple[str, ...]) -> dict:
    return {}


def _word_forms(word, stemmers: tuple[str, ...], memo: dict) -> tuple:
    """One word's forms for `streams_many`: its term for each stemmer, then None or the
    parts of each stemmer's term (a tuple per stemmer); `_IGNORED` for a word of ignorable
    characters. Remembered in `memo`, cleared when full as `_word_terms` is."""
    surface, spans = (word, ()) if type(word) is str else word
    folded = fold(surface)
    if type(word) is str and not word.isascii() and not folded:
        forms = _IGNORED
    else:
        terms, parts = [], []
        for name in stemmers:
            stem = make_stemmer(name)
            term = stem(folded)
            terms.append(term)
            found = ()
            if spans and "-" in term:
                found = tuple(part.text for part in _part_terms(surface, spans, stem, term, 0))
            parts.append(found)
        forms = (*terms, tuple(parts) if any(parts) else None)
    if len(memo) >= _WORD_TERMS_MAX:
        memo.clear()
    memo[word] = forms
    return forms


def _compound_keys(text: str, spans, runs: dict[int, int]) -> list:
    """The words of ``text`` for `positions_many`: a plain word as its ``str``, a hyphen
    compound as ``(surface, part spans relative to its start)``.

    Every span is sliced as a plain word first, then each compound's spans are replaced by
    one item, last compound first so earlier indices stay put: a text has a few compounds
    among hundreds of words, and one pass of slices is cheaper than a `word_groups` loop.
    """
    def compound(i: int, j: int):
        start, end = spans[i][0], spans[j - 1][1]
        return text[start:end], tuple((a - start, b - start) for a, b in spans[i:j])

    return _join_runs([text[s:e] for s, e in spans], runs, compound)


def _join_runs(items: list, runs: dict[int, int], joined) -> list:
    """`items` (one per word span) with each compound's run ``items[i:j]`` replaced by
    ``joined(i, j)``, last compound first so earlier indices stay put."""
    for i in sorted(runs, reverse=True):
        items[i:runs[i]] = [joined(i, runs[i])]
    return items


_WORD_TERMS_MAX = 1 << 18


@lru_cache(maxsize=None)
def _word_terms_memo(stemmers: tuple[str, ...]) -> dict:
    return {}


def _word_terms(word, stemmers: tuple[str, ...], memo: dict) -> tuple[tuple[int, str], ...]:
    """The terms one word (a `_compound_keys` item) is indexed as, as (stemmer index, term)
    pairs; remembered in `memo` (cleared when full: news vocabularies are a few 100k words)."""
    surface, parts = (word, ()) if type(word) is str else word
    folded = fold(surface)
    out = []
    for k, name in enumerate(stemmers):
        stem = make_stemmer(name)
        term = stem(folded)
        out.append((k, term))
        if parts and "-" in term:
            out.extend((k, part.text) for part in _part_terms(surface, parts, stem, term, 0))
    if len(memo) >= _WORD_TERMS_MAX:
        memo.clear()
    terms = memo[word] = tuple(out)
    return terms


def _part_terms(text, parts, stem, joined: str, pos: int) -> Iterator[Term]:
    """Yield the distinct stemmed parts of an unresolved compound, at the compound's position."""
    seen = {joined}
    for start, end in parts:
        term = stem(fold(text[start:end]))
        if len(term) >= _MIN_PART_LENGTH and term not in seen:
            seen.add(term)
            yield Term(term, start, end, pos)


def analyze_one(value: str, stemmer: str = DEFAULT_STEMMER) -> list[Term]:
    """Analyse ``value`` as a single word (not split into words)."""
    surface = fold(value)
    return [Term(make_stemmer(stemmer)(surface), 0, len(value), 0)] if surface else []
