"""Snippets and highlights: show why an article matched.

Steps: find the matched words in a text (`find_matches`: analyse it the way
the index did, mark words whose stem, exact form or prefix the query asked
for, and whole phrases as one span) -> pick up to N windows of about 200
characters with the most distinct matched terms (`_pick_windows`) -> snap them
to sentence, else word, boundaries -> join them with "…" and collapse white
space, carrying highlight offsets into the snippet string.

All offsets are Python `str` indices into the original text (analysis.py
converts ICU's UTF-16 boundaries), so `snippet[s:e]` is exactly a matched word
as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ELLIPSIS = "…"
SEPARATOR = " … "


@dataclass
class HighlightTerms:
    """What a query asks to mark. Filled by query.py."""

    stemmer: str = "sastrawi"
    stems: set[str] = field(default_factory=set)        # stemmed terms (plain words)
    words: set[str] = field(default_factory=set)        # exact case-folded surface forms
    prefixes: set[str] = field(default_factory=set)     # case-folded prefixes (korup*)
    phrases: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # ("exact"|"stem", terms)
    fuzzy: set[tuple[str, int]] = field(default_factory=set)  # (folded word, max edits), first letter fixed

    def __bool__(self) -> bool:
        return bool(self.stems or self.words or self.prefixes or self.phrases or self.fuzzy)


@dataclass
class Snippet:
    text: str
    highlights: list[tuple[int, int]]


# -- 1. matches ------------------------------------------------------------------


def find_matches(text: str, terms: HighlightTerms) -> list[tuple[int, int, str]]:
    """(start, end, matched term) spans in `text`, phrases merged into one span.

    Only the paragraphs that can hold a match are analysed (`_candidate_paragraphs`):
    re-analysing every hit's whole body was most of a search's time.
    """
    if not terms or not text:
        return []
    spans = []
    for start, end in _candidate_paragraphs(text, terms):
        spans += [(s + start, e + start, k) for s, e, k in _matches_in(text[start:end], terms)]
    return spans


def _matches_in(text: str, terms: HighlightTerms) -> list[tuple[int, int, str]]:
    words = analyze_words(text, terms.stemmer)
    spans = _phrase_spans(words, terms)
    covered = {i for _, _, _, members in spans for i in members}
    for i, word in enumerate(words):
        if i in covered:
            continue
        key = _word_key(word, terms)
        if key is not None:
            spans.append((word.start, word.end, key, ()))
    return sorted((s, e, k) for s, e, k, _ in spans)


# A matched word contains its stem, or the stem without its first letter when an
# Indonesian prefix replaced it (meN- + p/t/k/s: pukul -> memukul, kata -> mengatakan,
# serang -> menyerang), or the exact word, prefix or phrase word itself. Paragraphs with
# none of these substrings cannot match and are not analysed.
_MELTING = frozenset("ptks")
_PARAGRAPH = re.compile(r"\n\s*\n")


def _needles(terms: HighlightTerms) -> set[str] | None:
    """Substrings every match contains; None when no cheap test exists (fuzzy terms)."""
    if terms.fuzzy:
        return None
    needles = set(terms.words) | set(terms.prefixes)
    for phrase_kind, phrase in terms.phrases:
        needles.update(phrase if phrase_kind == "exact" else (_stem_needle(t) for t in phrase))
    needles.update(_stem_needle(stem) for stem in terms.stems)
    return {n for n in needles if n}


def _stem_needle(stem: str) -> str:
    core = stem.split("-")[0]
    return core[1:] if len(core) > 3 and core[0] in _MELTING else core


def _candidate_paragraphs(text: str, terms: HighlightTerms) -> list[tuple[int, int]]:
    needles = _needles(terms)
    bounds = [0] + [i for m in _PARAGRAPH.finditer(text) for i in (m.start(), m.end())] + [len(text)]
    paragraphs = list(zip(bounds[::2], bounds[1::2]))
    if needles is None or len(paragraphs) == 1:
        return paragraphs
    pattern = re.compile("|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)),
                         re.IGNORECASE)
    return [(a, b) for a, b in paragraphs if pattern.search(_fold_for_search(text[a:b]))]


def _fold_for_search(text: str) -> str:
    """Fold diacritics the way the analysis does, so `kafe` finds "Kafé"."""
    from carinews.analysis import fold

    return text if text.isascii() else fold(text)


@dataclass(slots=True)
class AnalysedWord:
    """One word position: its span and every term the index holds for it."""

    start: int
    end: int
    stems: frozenset[str]       # shared with other positions and texts (word_terms_many)
    exact: frozenset[str]


def analyze_words(text: str, stemmer: str) -> list[AnalysedWord]:
    """The words of `text` with their stemmed and exact terms, as the index analysed them.

    Index mode, so compound parts (`covid` in `Covid-19`) are there to match.
    """
    from carinews.analysis.terms import word_terms_many

    return [AnalysedWord(start, end, stems, exact)
            for start, end, (stems, exact) in word_terms_many(text, (stemmer, "none"))]


def _word_key(word, terms: HighlightTerms) -> str | None:
    for stem in word.stems:
        if stem in terms.stems:
            return "s:" + stem
    for exact in word.exact:
        if exact in terms.words:
            return "w:" + exact
        for prefix in terms.prefixes:
            if exact.startswith(prefix):
                return "p:" + prefix
        for target, maxdist in terms.fuzzy:
            if _within(exact, target, maxdist):
                return "z:" + target
    return None


def _within(word: str, target: str, maxdist: int) -> bool:
    """The test fuzzy queries apply: the same first letter, at most `maxdist` edits."""
    return (word[:1] == target[:1] and abs(len(word) - len(target)) <= maxdist
            and edit_distance(word, target, maxdist) <= maxdist)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count one edit, each substring
    edited once), or `limit + 1` as soon as it must exceed `limit`.

    Hand-written rather than a dependency: it compares a query word with the few words of
    one paragraph, and the engines' own implementations live inside them.
    """
    two_ago: list[int] = []
    one_ago = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(one_ago[j] + 1, row[j - 1] + 1, one_ago[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb and ca != cb:
                row[j] = min(row[j], two_ago[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        two_ago, one_ago = one_ago, row
    return min(one_ago[-1], limit + 1)


def _phrase_spans(words, terms: HighlightTerms) -> list:
    spans = []
    for kind, phrase in terms.phrases:
        n = len(phrase)
        if not n:
            continue
        for i in range(len(words) - n + 1):
            if all(phrase[k] in (words[i + k].exact if kind == "exact" else words[i + k].stems)
                   for k in range(n)):
                spans.append((words[i].start, words[i + n - 1].end, "f:" + " ".join(phrase),
                              tuple(range(i, i + n))))
    return spans


def highlight_text(text: str, terms: HighlightTerms) -> list[tuple[int, int]]:
    """Highlight spans over a whole short text (titles)."""
    return [(s, e) for s, e, _ in find_matches(text, terms)]


# -- 2. windows ------------------------------------------------------------------


def _pick_windows(matches, count: int, size: int) -> list[tuple[int, int]]:
    """Up to `count` non-overlapping windows holding the most distinct matched terms."""
    scored = []
    for i, (start, _, _) in enumerate(matches):
        inside = [m for m in matches[i:] if m[1] <= start + size]
        scored.append((len({k for _, _, k in inside}), len(inside), -start, start, inside[-1][1]))
    scored.sort(reverse=True)
    chosen: list[tuple[int, int]] = []
    for *_, start, end in scored:
        if len(chosen) == count:
            break
        if all(end < a - 20 or start > b + 20 for a, b in chosen):
            chosen.append((start, end))
    return sorted(chosen)


# -- 3. boundaries ---------------------------------------------------------------

# A sentence ends at . ! ? (maybe followed by a closing quote or bracket) and
# white space, or at a line break. A regex is enough here: we only need the
# nearest boundary around a window, not a full sentence segmentation.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n+")
_SPACE = re.compile(r"\s+")


def _snap(text: str, start: int, end: int, size: int) -> tuple[int, int]:
    """Widen [start, end) to about `size` chars: from the start of the sentence (or a word
    boundary when that sentence begins far before the match) to the last sentence end that
    fits, else a word boundary."""
    lo = _sentence_start(text, start)
    if start - lo > size // 2:
        lo = _word_boundary_after(text, max(0, start - size // 3))
    limit = max(lo + size, end)
    if limit >= len(text):
        return lo, len(text)
    ends = [_end_of(m) for m in _SENTENCE_END.finditer(text, end, limit + 1)]
    ends = [e for e in ends if end <= e <= limit]
    if ends and ends[-1] - lo >= size // 2:
        return lo, ends[-1]
    return lo, max(_word_boundary_before(text, limit), end)


def _end_of(m: re.Match) -> int:
    """Where a sentence ends for a _SENTENCE_END match: after its punctuation and quotes."""
    return m.start() + len(m.group().rstrip())


def _sentence_start(text: str, pos: int) -> int:
    last = 0
    for m in _SENTENCE_END.finditer(text, max(0, pos - 400), pos):
        last = m.end()
    return last


def _word_boundary_after(text: str, pos: int) -> int:
    m = _SPACE.search(text, pos)
    return m.end() if m and m.end() - pos < 30 else pos


def _word_boundary_before(text: str, pos: int) -> int:
    cut = text.rfind(" ", max(0, pos - 30), pos)
    return cut if cut > 0 else pos


# -- 4. assembly -----------------------------------------------------------------


def make_snippet(text: str, terms: HighlightTerms, *, fragments: int = 2,
                 fragment_chars: int = 200) -> Snippet:
    """Up to `fragments` windows around the densest matches, with highlight offsets."""
    if fragments <= 0 or not text:
        return Snippet("", [])
    matches = find_matches(text, terms)
    windows = _pick_windows(matches, fragments, fragment_chars) or [(0, 0)]
    spans = _merge([_snap(text, start, end, fragment_chars) for start, end in windows])
    parts = []
    for n, (lo, hi) in enumerate(spans):
        prefix = SEPARATOR if n else ("" if lo == 0 or _sentence_start(text, lo) == lo else ELLIPSIS)
        last = n == len(spans) - 1
        suffix = ELLIPSIS if last and hi < len(text) and text[hi - 1] not in ".!?\"”" else ""
        parts.append((lo, hi, prefix, suffix))
    return _join(text, parts, matches)


UNIT_CHARS = 3   # a sentence or paragraph part longer than 3 x fragment_chars is cut


def make_unit_snippet(text: str, units: list[tuple[int, int]], terms: HighlightTerms, *,
                      fragment_chars: int = 200) -> Snippet:
    """The snippet of a same-sentence or same-paragraph hit: the `units` of `text` (the
    (start, end) spans of the sentences or paragraph parts where the words occur together,
    query/operators.py) shown whole, in text order, joined by " … ", every query word in
    them highlighted. A unit longer than UNIT_CHARS x `fragment_chars` (a "sentence" with
    no full stops) is cut at word boundaries around its highlights, with "…"."""
    if not text or not units:
        return Snippet("", [])
    cuts, matches = [], []
    for lo, hi in _merge_touching(text, sorted(units)):
        found = [(s + lo, e + lo, k) for s, e, k in find_matches(text[lo:hi], terms)]
        matches += found
        cut_lo, cut_hi = _cut_long(text, lo, hi, found, fragment_chars)
        cuts.append((cut_lo, cut_hi, cut_lo > lo, cut_hi < hi))
    parts = [(lo, hi, SEPARATOR if n else (ELLIPSIS if cut_start else ""),
              ELLIPSIS if cut_end and n == len(cuts) - 1 else "")
             for n, (lo, hi, cut_start, cut_end) in enumerate(cuts)]
    return _join(text, parts, matches)


def _merge_touching(text: str, units: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted units with only white space but no line break between them (two sentences in
    a row of one paragraph) become one."""
    merged: list[tuple[int, int]] = []
    for lo, hi in units:
        gap = text[merged[-1][1]:lo] if merged else "x"
        if merged and not gap.strip() and "\n" not in gap:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _cut_long(text: str, lo: int, hi: int, found, fragment_chars: int) -> tuple[int, int]:
    if hi - lo <= UNIT_CHARS * fragment_chars or not found:
        return lo, hi
    context = fragment_chars // 3
    start = max(lo, _word_boundary_after(text, max(lo, found[0][0] - context)))
    end = min(hi, max(_word_boundary_before(text, min(hi, found[-1][1] + context)), found[-1][1]))
    return (lo if start - lo < 30 else start), (hi if hi - end < 30 else end)


def _join(text: str, parts, matches) -> Snippet:
    """The snippet of `parts` ((lo, hi, prefix, suffix) of `text`), white space collapsed,
    with the `matches` inside them as highlight offsets into the snippet string."""
    pieces, highlights, out_len = [], [], 0
    for lo, hi, prefix, suffix in parts:
        piece, mapped = _collapse(text, lo, hi, [(s, e) for s, e, _ in matches if s >= lo and e <= hi])
        out_len += len(prefix)
        highlights += [(s + out_len, e + out_len) for s, e in mapped]
        pieces += [prefix, piece, suffix]
        out_len += len(piece) + len(suffix)
    return Snippet("".join(pieces), highlights)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join windows that overlap once snapped, so no text shows twice."""
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _collapse(text: str, lo: int, hi: int, spans) -> tuple[str, list[tuple[int, int]]]:
    """text[lo:hi] with white-space runs folded to one space; spans moved to match."""
    out, last = [], lo
    removed = 0
    marks = []
    for m in _SPACE.finditer(text, lo, hi):
        out.append(text[last:m.start()])
        out.append(" ")
        marks.append((m.end(), removed + (m.end() - m.start() - 1)))
        removed += m.end() - m.start() - 1
        last = m.end()
    out.append(text[last:hi])
    piece = "".join(out)

    def moved(pos: int) -> int:
        gone = 0
        for boundary, total in marks:
            if boundary <= pos:
                gone = total
            else:
                break
        return pos - lo - gone

    strip = len(piece) - len(piece.lstrip())
    piece_stripped = piece.strip()
    return piece_stripped, [(moved(s) - strip, moved(e) - strip) for s, e in spans]
