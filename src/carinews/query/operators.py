"""The analyst operators: same sentence/paragraph, lead, at least N times, length.

No engine indexes sentences, leads or counts, so each operator is two steps:
the engine matches its words as ordinary required words (a superset of the
answer), and `passes` checks every candidate against its stored title and body
with carinews's own analysis (the same terms the index holds), so totals and
pages are exact on every engine:

- `kalimat:(a b)` / `sentence:` - all the words in one sentence (ICU sentence breaks
  inside each paragraph); `paragraf:` / `paragraph:` - in one paragraph (the cleaned
  body's non-empty lines);
- `awal:x` / `lead:x` - in the title or the first paragraph; `awal50:x` - within the
  first 50 words of the body;
- `minimal3:x` / `atleast3:x` - each word at least 3 times in title and body, any
  inflected form;
- `panjang:>300` / `words:>300` - body length in words (`>`, `>=`, `<`, `<=`, `=`, `a..b`).

Words are plain words (stems, any form) or quoted phrases (exact forms, in a row).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

import icu

from carinews.analysis.terms import streams_many

MAX_CANDIDATES = 10_000   # articles an operator query verifies at most
EXACT = "none"

_local = threading.local()


@dataclass(frozen=True)
class Wanted:
    """One word or phrase an operator looks for: `mode` "stem" or "exact", its terms in a row."""

    mode: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Condition:
    """One operator of a query: `kind` sentence, paragraph, lead, atleast or words."""

    kind: str
    wanted: tuple[Wanted, ...] = ()
    number: int | None = None
    low: int | None = None        # words: inclusive bounds (None = open)
    high: int | None = None


def parse_length(value: str) -> tuple[int | None, int | None] | None:
    """`>300`, `>=300`, `<50`, `<=50`, `=100`, `100`, `100..300` -> inclusive (low, high); None if unreadable."""
    match = re.fullmatch(r"(>=|<=|>|<|=)?(\d{1,7})", value)
    if match:
        op, n = match.group(1) or "=", int(match.group(2))
        return {">": (n + 1, None), ">=": (n, None), "<": (None, n - 1), "<=": (None, n),
                "=": (n, n)}[op]
    match = re.fullmatch(r"(\d{1,7})?\.\.(\d{1,7})?", value)
    if match and (match.group(1) or match.group(2)):
        low, high = match.group(1), match.group(2)
        return (int(low) if low else None, int(high) if high else None)
    return None


def describe(condition: Condition) -> str:
    """The operator in words, for `--explain`."""
    what = " and ".join(" ".join(w.terms) if w.mode == "stem" else '"' + " ".join(w.terms) + '"'
                        for w in condition.wanted)
    if condition.kind == "sentence":
        return f"{what} in one sentence (checked in the stored text), among:"
    if condition.kind == "paragraph":
        return f"{what} in one paragraph (checked in the stored text), among:"
    if condition.kind == "lead":
        where = (f"the first {condition.number} words of the body" if condition.number
                 else "the title or the first paragraph")
        return f"{what} in {where} (checked in the stored text), among:"
    if condition.kind == "atleast":
        return f"{what} at least {condition.number} times in title and body (checked in the stored text), among:"
    low, high = condition.low, condition.high
    span = (f"{low} to {high}" if low is not None and high is not None
            else f"at least {low}" if low is not None else f"at most {high}")
    return f"body of {span} words (counted in the stored text)"


def passes(record: dict, conditions: list[Condition], stemmer: str) -> bool:
    """Whether the stored article `record` meets every condition."""
    return all(_passes(record, c, stemmer) for c in conditions)


def _passes(record: dict, condition: Condition, stemmer: str) -> bool:
    title, body = record.get("title") or "", record.get("body") or ""
    kind = condition.kind
    if kind == "words":
        count = len(_words(body))
        return ((condition.low is None or count >= condition.low)
                and (condition.high is None or count <= condition.high))
    if kind == "atleast":
        if not _may_hold(title + "\n" + body, condition, condition.number):
            return False
        streams = [_streams(title, stemmer), _streams(body, stemmer)]
        return all(sum(_count(s, w) for s in streams) >= condition.number for w in condition.wanted)
    if kind == "lead":
        if condition.number:
            words = _words(body)
            cut = words[condition.number - 1].end() if len(words) >= condition.number else len(body)
            units = [body[:cut]]
        else:
            units = [title, (paragraphs(body) or [""])[0]]
        if not _may_hold("\n".join(units), condition):
            return False
        streams = [_streams(u, stemmer) for u in units]
        return all(any(_count(s, w) for s in streams) for w in condition.wanted)
    title_units = [title] if kind == "paragraph" else [title[a:b] for a, b in sentence_spans(title)]
    return (any(_holds_all(u, condition, stemmer) for u in title_units)
            or bool(together(body, condition, stemmer)))


def together(body: str, condition: Condition, stemmer: str) -> list[tuple[int, int]]:
    """The (start, end) spans of `body` where a sentence or paragraph `condition`'s words
    occur together: each such sentence, or each such paragraph (its line, without the newline)."""
    units = [(a, b) for a, b in paragraph_spans(body) if _may_hold(body[a:b], condition)]
    if condition.kind == "sentence":
        units = [s for a, b in units for s in sentence_spans(body, a, b)]
    return [(a, b) for a, b in units if _holds_all(body[a:b], condition, stemmer)]


# A quick necessary test before analysing a text: every word the analysis can match
# contains its term's folded letters (a stem, or the stem without its first letter when an
# Indonesian prefix replaced it: pukul -> memukul, kata -> mengatakan, serang -> menyerang;
# results/snippets.py relies on the same), so a text whose folded form holds a needle fewer
# than `times` times cannot pass. Most candidates of a common word fail here, unanalysed.
_MELTING = frozenset("ptks")


def _may_hold(text: str, condition: Condition, times: int = 1) -> bool:
    folded = _fold_text(text)
    for wanted in condition.wanted:
        needles = [_needle(t, wanted.mode) for t in wanted.terms]
        if any(not n or not n.isalnum() for n in needles):
            continue                      # no safe substring (apostrophes, symbols): analyse
        if min(folded.count(n) for n in needles) < times:
            return False
    return True


def _needle(term: str, mode: str) -> str:
    core = term.split("-")[0]
    return core[1:] if mode == "stem" and len(core) > 3 and core[0] in _MELTING else core


def _fold_text(text: str) -> str:
    """Lower case without diacritics (as the analysis folds words), for `_may_hold`."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def relevant_part(body: str, span: tuple[int, int], condition: Condition,
                  stemmer: str) -> tuple[int, int]:
    """Within the paragraph `span` of `body`, the shortest run of its sentences that holds
    all of `condition`'s words (the first of the shortest); the whole paragraph when no run
    of whole sentences does (a phrase across a sentence break)."""
    cuts = sentence_spans(body, *span)
    has = [{i for i, w in enumerate(condition.wanted) if _count(_streams(body[a:b], stemmer), w)}
           for a, b in cuts]
    need, best = set(range(len(condition.wanted))), None
    for i in range(len(cuts)):
        seen: set[int] = set()
        for j in range(i, len(cuts)):
            seen |= has[j]
            if seen == need:
                if best is None or j - i < best[1] - best[0]:
                    best = (i, j)
                break
    if best is None:
        return span
    return cuts[best[0]][0], cuts[best[1]][1]


def _holds_all(text: str, condition: Condition, stemmer: str) -> bool:
    streams = _streams(text, stemmer)
    return all(_count(streams, w) for w in condition.wanted)


def paragraphs(body: str) -> list[str]:
    """The cleaned body's paragraphs: its non-empty lines (blank-line blocks are lines too)."""
    return [body[a:b] for a, b in paragraph_spans(body)]


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of each of the body's paragraphs (see `paragraphs`)."""
    spans, start = [], 0
    for line in body.split("\n"):
        if line.strip():
            spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def sentences(text: str) -> list[str]:
    """ICU sentence breaks (Indonesian locale) of `text`."""
    return [text[a:b] for a, b in sentence_spans(text)] or [text]


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) `str` offsets into `text` of the ICU sentences (Indonesian locale) of
    text[start:end]; ICU counts UTF-16 units, converted so emoji do not shift them."""
    from carinews.analysis.tokenize import _to_str_offsets

    piece = text[start:end]
    if not piece:
        return []
    iterator = getattr(_local, "sentences", None)
    if iterator is None:
        iterator = _local.sentences = icu.BreakIterator.createSentenceInstance(icu.Locale("id_ID"))
    iterator.setText(piece)
    cuts, last = [], iterator.first()
    for cut in iterator:
        cuts.append((last, cut))
        last = cut
    return [(a + start, b + start) for a, b in _to_str_offsets(piece, cuts)]


def _words(text: str) -> list[re.Match]:
    return list(re.finditer(r"\w+(?:[-'’]\w+)*", text))


def _streams(text: str, stemmer: str) -> dict[str, tuple[list[str], dict[int, set[str]]]]:
    """The text's terms per mode: the term at each position, and the compound parts
    (`banjir` and `longsor` of `Banjir-Longsor`) the index also holds at some positions."""
    stem, exact = streams_many(text, (stemmer, EXACT))
    return {"stem": (stem.words, _parts(stem.parts)), "exact": (exact.words, _parts(exact.parts))}


def _parts(parts: list[tuple[str, int]]) -> dict[int, set[str]]:
    at: dict[int, set[str]] = {}
    for term, pos in parts:
        at.setdefault(pos, set()).add(term)
    return at


def _count(streams, wanted: Wanted) -> int:
    """How often `wanted`'s terms occur in a row in the text's stream of its mode (a
    compound part counts, as the engine matched it)."""
    words, parts = streams[wanted.mode]
    terms, n = wanted.terms, len(wanted.terms)
    if n == 1:
        term = terms[0]
        return words.count(term) + sum(1 for p, found in parts.items() if term in found and words[p] != term)
    if not parts:
        return sum(1 for i in range(len(words) - n + 1) if tuple(words[i:i + n]) == terms)
    return sum(1 for i in range(len(words) - n + 1)
               if all(words[i + k] == t or t in parts.get(i + k, ()) for k, t in enumerate(terms)))
