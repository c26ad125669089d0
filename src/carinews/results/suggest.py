""""Did you mean": the nearest words of the index's own vocabulary for misspelt query words.

Steps: `Speller.from_engine` reads the exact-form vocabulary (`title_exact`,
`body_exact`: lower-cased surface forms, never stemmed) with each word's
document frequency through `Engine.vocabulary`, and keys every word of at least
MIN_LETTERS letters seen in MIN_DOCS articles under itself, its modern spelling
and its one-letter deletions (a SymSpell-style deletion neighbourhood, looked up
without building its table, see `Speller`). `Speller.correct(word)`
makes the word's deletions of up to two letters and looks them up there, so
every index word within two insertions, one deletion, one substitution (plus an
insertion) or one transposition of the query word is a candidate; candidates are
ranked by `distance` (Indonesian-aware: a doubled or undoubled letter and an
old-spelling form cost half an edit), then by how many articles hold them.

`suggest(speller, query)` corrects the plain words of a query only: words of
field operators (`judul:...`), patterns (`korup*`, `Peskof~`), negated words (`-kata`), the operators AND/OR/NOT
words under MIN_LETTERS or over MAX_LETTERS letters and words after the first
MAX_WORDS checked are left alone, and a word counts as
misspelt only when the index lacks it or holds it in at most RARE_DOCS articles
while the correction is in RARE_RATIO times as many. The correction keeps the
user's casing (`Jokowii` -> `Jokowi`, `KORUPSSI` -> `KORUPSI`).

`speller_for(path, version, engine)` keeps one Speller per index state (path + engine
version), so only the first suggestion after a commit pays for reading the vocabulary; for
an embedded engine it is also kept in the archive folder (speller_cache), so a later
`carinews search` process reads it from there instead of the term dictionary.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

from carinews.analysis.terms import fold, split_words

FIELDS = ("title_exact", "body_exact")
MIN_LETTERS = 4          # shorter words have too many neighbours to guess from
MAX_LETTERS = 30         # longer "words" are not typos of a word (and cost len^2 deletions)
MAX_WORDS = 12           # words checked per query: a pasted paragraph gets no suggestion cost
MIN_DOCS = 2             # a word in a single article is as likely a typo as a correction
RARE_DOCS = 2            # a query word in this few articles may still be a typo ...
RARE_RATIO = 20          # ... when the correction is in this many times as many
MAX_DISTANCE = 2.0
TABLE_AFTER = 50         # word lookups answered by search before building the key table
FEW_HITS = 3             # searches finding fewer articles than this get a suggestion
PATTERN_MARKS = (":", "*", "?", "~")     # field operators, prefixes, wildcards, fuzzy words
OPERATORS = frozenset({"AND", "OR", "NOT", "DAN", "ATAU", "BUKAN"})
OLD_SPELLING = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("nj", "ny"), ("sj", "sy"), ("ch", "kh"))
_CHUNK = re.compile(r"\S+")
_OLD_SPELLED = re.compile("|".join(old for old, _ in OLD_SPELLING))


@dataclass
class Suggestion:
    """A corrected query: `query` is the text to search instead, `words` the
    (original, correction) pairs that changed."""

    query: str
    words: list[tuple[str, str]]

    def to_dict(self) -> dict:
        return {"query": self.query,
                "words": [{"word": w, "suggestion": s} for w, s in self.words]}


class Speller:
    """An index's vocabulary with document frequencies, looked up as a deletion neighbourhood.

    A word qualifies (MIN_DOCS articles, MIN_LETTERS letters, letters only) and its keys are
    itself, its modern spelling and its one-letter deletions. Instead of a table of every
    word's keys (building it reads the whole vocabulary letter by letter, which a one-shot
    `carinews search` would pay for one suggestion), the first TABLE_AFTER lookups find the
    words whose keys meet the query word's keys directly: the keys themselves, the keys with one letter inserted
    (a word one of whose deletions is a key), and the few old-spelling words by their modern
    form. The candidates are exactly those the table gives."""

    def __init__(self, freqs: dict[str, int], words: set[str] | None = None):
        """`words`: the qualifying words of `freqs` when already known (speller_cache)."""
        self.freqs = freqs
        self.words = words if words is not None else {
            w for w, df in freqs.items() if df >= MIN_DOCS and len(w) >= MIN_LETTERS and w.isalpha()}
        self.letters = "".join(sorted(set().union(*self.words)))
        self.table: dict[str, list[str]] | None = None
        self.lookups = 0
        self.by_modern: dict[str, list[str]] = {}
        for word in filter(_OLD_SPELLED.search, self.words):
            modern = _modern(word)
            if modern != word:
                self.by_modern.setdefault(modern, []).append(word)

    def neighbours(self, keys: set[str]) -> set[str]:
        """The qualifying words whose own keys (word, modern form, deletions) meet `keys`;
        from the table of every word's keys once this Speller has answered TABLE_AFTER
        lookups (a long-lived process, the web server, then looks up faster)."""
        self.lookups += 1
        if self.table is None and self.lookups > TABLE_AFTER:
            table: dict[str, list[str]] = {}   # whole before other threads see it
            for word in self.words:
                for key in {word, _modern(word), *_deletions(word)}:
                    table.setdefault(key, []).append(word)
            self.table = table
        if self.table is not None:
            return {c for k in keys for c in self.table.get(k, ())}
        found = keys & self.words
        for key in keys:
            found |= {c for i in range(len(key) + 1) for letter in self.letters
                      if (c := key[:i] + letter + key[i:]) in self.words}
            found.update(self.by_modern.get(key, ()))
        return found

    @classmethod
    def from_engine(cls, engine) -> "Speller":
        """The vocabulary of `engine`; empty (no suggestions) for an engine that cannot list
        its terms, so its searches still work."""
        freqs: dict[str, int] = {}
        try:
            for field in FIELDS:
                for term, df in engine.vocabulary(field):
                    if df > freqs.get(term, 0):
                        freqs[term] = df
        except NotImplementedError:
            return cls({})
        return cls(freqs)

    def candidates(self, word: str) -> list[tuple[float, int, str]]:
        """(distance, -doc freq, index word) of the index words near `word`, best first."""
        keys = {word, _modern(word)} | _deletions(word)
        keys |= {d for k in list(keys) if len(k) < len(word) for d in _deletions(k)}
        found = self.neighbours(keys) - {word}
        scored = [(distance(word, c), -self.freqs[c], c) for c in found]
        return sorted(s for s in scored if s[0] <= MAX_DISTANCE)

    def corrections(self, word: str, n: int = 1) -> list[str]:
        """The best `n` corrections of lower-cased `word`, best first; none when it looks
        right (in more than RARE_DOCS articles) or no near word is RARE_RATIO times as common."""
        own = self.freqs.get(word, 0)
        if own > RARE_DOCS:
            return []
        wanted = max(1, own * RARE_RATIO)
        return [c for _, neg_df, c in self.candidates(word) if -neg_df >= wanted][:n]

    def correct(self, word: str) -> str | None:
        """The best correction of lower-cased `word`, or None when it looks right."""
        found = self.corrections(word)
        return found[0] if found else None


def suggest(speller: Speller, query: str) -> Suggestion | None:
    """The query with its misspelt plain words corrected, or None when none is."""
    pieces, changed, last, checked = [], [], 0, 0
    for chunk in _CHUNK.finditer(query):
        text = chunk.group()
        if text.startswith("-") or text in OPERATORS or any(c in text for c in PATTERN_MARKS):
            continue
        for start, end in split_words(text):
            original = text[start:end]
            if not MIN_LETTERS <= len(original) <= MAX_LETTERS or not original.isalpha():
                continue
            checked += 1
            if checked > MAX_WORDS:
                break
            fixed = speller.correct(fold(original))
            if fixed:
                fixed = keep_case(original, fixed)
                pieces += [query[last:chunk.start() + start], fixed]
                last = chunk.start() + end
                changed.append((original, fixed))
    if not changed:
        return None
    return Suggestion("".join(pieces) + query[last:], changed)


def keep_case(original: str, fixed: str) -> str:
    """`fixed` in the casing style of `original`: all capitals, capitalised or as is."""
    if original.isupper() and len(original) > 1:
        return fixed.upper()
    if original[:1].isupper():
        return fixed[:1].upper() + fixed[1:]
    return fixed


def distance(a: str, b: str) -> float:
    """Damerau-Levenshtein (adjacent transposition = 1) where inserting or deleting a
    letter next to the same letter costs 0.5 (`korupssi`, `Jokowii`) and words that are
    one old spelling apart (`Soeharto`/`Suharto`, `Djakarta`/`Jakarta`) are 0.5 apart."""
    if a == b:
        return 0.0
    if _modern(a) == _modern(b):
        return 0.5
    rows = [[0.0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        rows[i][0] = rows[i - 1][0] + _indel(a, i - 1)
    for j in range(1, len(b) + 1):
        rows[0][j] = rows[0][j - 1] + _indel(b, j - 1)
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            best = min(rows[i - 1][j] + _indel(a, i - 1), rows[i][j - 1] + _indel(b, j - 1),
                       rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, rows[i - 2][j - 2] + 1)
            rows[i][j] = best
    return rows[-1][-1]


def _indel(word: str, i: int) -> float:
    """Cost of inserting or deleting word[i]: half when a neighbour is the same letter."""
    doubled = (i > 0 and word[i - 1] == word[i]) or (i + 1 < len(word) and word[i + 1] == word[i])
    return 0.5 if doubled else 1.0


def _modern(word: str) -> str:
    for old, new in OLD_SPELLING:
        word = word.replace(old, new)
    return word


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


_cache: dict[str, tuple[str, Speller]] = {}
_lock = threading.Lock()


def speller_for(path: str, version: str, engine) -> Speller:
    """The Speller of the index at `path` in state `version`, built once per state
    (a newer state replaces the older one's); an embedded engine's is also kept on disk
    for the next process (speller_cache)."""
    with _lock:
        seen = _cache.get(path)
        if seen is None or seen[0] != version:
            seen = _cache[path] = (version, _speller(Path(path), version, engine))
        return seen[1]


def _speller(folder: Path, version: str, engine) -> Speller:
    if getattr(engine, "SHARED", True):     # a cluster's index: others write to it
        return Speller.from_engine(engine)
    from carinews.results import speller_cache

    speller = speller_cache.load(folder, version)
    if speller is None:
        speller = Speller.from_engine(engine)
        speller_cache.save(folder, version, speller)
    return speller
