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
        streams = [_streams(title, stemmer), _streams(body, stemmer)]
        return all(sum(_count(s, w) for s in streams) >= condition.number for w in condition.wanted)
    if kind == "lead":
        if condition.number:
            words = _words(body)
            cut = words[condition.number - 1].end() if len(words) >= condition.number else len(body)
            units = [body[:cut]]
        else:
            units = [title, (paragraphs(body) or [""])[0]]
        return all(any(_count(_streams(u, stemmer), w) for u in units) for w in condition.wanted)
    units = paragraphs(body) + [title]
    if kind == "sentence":
        units = [s for u in units for s in sentences(u)]
    return any(all(_count(_streams(u, stemmer), w) for w in condition.wanted) for u in units)


def paragraphs(body: str) -> list[str]:
    """The cleaned body's paragraphs: its non-empty lines (blank-line blocks are lines too)."""
    return [line for line in body.split("\n") if line.strip()]


def sentences(text: str) -> list[str]:
    """ICU sentence breaks (Indonesian locale) of `text`."""
    iterator = getattr(_local, "sentences", None)
    if iterator is None:
        iterator = _local.sentences = icu.BreakIterator.createSentenceInstance(icu.Locale("id_ID"))
    iterator.setText(text)
    cuts, start = [], iterator.first()
    for end in iterator:
        cuts.append(text[start:end])
        start = end
    return cuts or [text]


def _words(text: str) -> list[re.Match]:
    return list(re.finditer(r"\w+(?:[-'’]\w+)*", text))


def _streams(text: str, stemmer: str) -> dict[str, list[str]]:
    stem, exact = streams_many(text, (stemmer, EXACT))
    return {"stem": stem.words, "exact": exact.words}


def _count(streams: dict[str, list[str]], wanted: Wanted) -> int:
    """How often `wanted`'s terms occur in a row in the text's stream of its mode."""
    seq, terms = streams[wanted.mode], wanted.terms
    n = len(terms)
    return sum(1 for i in range(len(seq) - n + 1) if tuple(seq[i:i + n]) == terms)
