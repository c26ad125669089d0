"""Old Indonesian spellings (Ejaan Soewandi 1947, and van Ophuijsen before it) and their
modern (EYD, 1972) forms: `Soeharto`/`Suharto`, `Djakarta`/`Jakarta`, `Tjahaja`/`Cahaya`.

`modern(word)` is the key: the EYD form of a case-folded word written in the old spelling,
the word itself otherwise. Two words are spelling variants when their keys are equal.

The rules are oe->u, dj->j, tj->c, ch->kh, nj->ny, sj->sy and j->y, but three of them
are ambiguous in a modern word: `nj` is n+j in `banjir`/`menjadi`, `sj` is s+j in
`masjid`, and a bare `j` is the modern j in `Jakarta` and `saja` (while old `saja` is
modern `saya`). So a word counts as old only when it shows an unambiguous marker (`oe`,
`dj`, `tj`, `ch`, or `nj`/`sj` at its start: modern Indonesian starts no word with them),
and only then are all seven rules applied, left to right, each letter once. A word with
a bare `j` and no other marker (`jang`, `Jogjakarta`) is left alone: the curated groups
of VARIANTS_FILE (`Jogja`/`Yogyakarta`) cover the well-known ones.

Words that merely look old (foreign names and loanwords: `Djokovic`, `Michael`, `Chelsea`),
names that keep an old spelling whose modern form is another common word (`Tjahaja`, not
`cahaya`), and words under MIN_LETTERS letters (`DJ`, `Joe`) keep themselves as key;
GUARD_FILE says how its list was made.

Variants are found at query time, not indexed (query/parse.py calls `variant_forms`):
the modern key of the query word, then every spelling of that key (`spellings`: each
convertible letter of the key in its old or new form, kept only if it maps back to the
same key) looked up with `Engine.document_frequencies` on the exact fields, so only forms
some article holds are searched, explained and highlighted. Why at query time: it works on
every existing index of every engine (no re-index, no schema or analysis version change),
costs a few term look-ups per query word instead of a whole-vocabulary read per index
state, and a guard-list or rule change takes effect without a rebuild. An indexed
normalised token would also need its own field per engine and could not tell an
explanation which spellings an archive actually holds.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

GUARD_FILE = "spelling_guard.txt"
VARIANTS_FILE = "spelling_variants.txt"
EXACT_FIELDS = ("title_exact", "body_exact")
MAX_SPELLINGS = 256            # spellings tried per word (2^8: eight convertible letters)
MIN_LETTERS = 4                # shorter "old" words are acronyms and foreign names (DJ, Joe)

# old -> new, longest first so `dj` wins over `j`; `nj`/`sj` only mean ny/sy in an old word
_OLD = {"oe": "u", "dj": "j", "tj": "c", "ch": "kh", "nj": "ny", "sj": "sy", "j": "y"}
_OLD_UNIT = re.compile("oe|dj|tj|ch|nj|sj|j")
_MARKER = re.compile(r"oe|dj|tj|ch|^nj|^sj")
# new -> the old forms a modern letter group may have been written in
_NEW = {"u": ("u", "oe"), "j": ("j", "dj"), "c": ("c", "tj"), "kh": ("kh", "ch"),
        "ny": ("ny", "nj"), "sy": ("sy", "sj"), "y": ("y", "j")}
_NEW_UNIT = re.compile("kh|ny|sy|u|j|c|y")


def modern(word: str) -> str:
    """The EYD form of case-folded `word` if it is written in the old spelling, else `word`."""
    if len(word) < MIN_LETTERS or not _MARKER.search(word) or word in guard():
        return word
    return _OLD_UNIT.sub(lambda m: _OLD[m.group()], word)


def spellings(word: str) -> list[str]:
    """Every way of writing `word`'s modern key that maps back to it (old, new and mixed
    forms: `suharto` -> suharto, soeharto), the key first; at most MAX_SPELLINGS tried."""
    key = modern(word)
    pieces: list[tuple[str, ...]] = []
    last = 0
    for m in _NEW_UNIT.finditer(key):
        pieces += [(key[last:m.start()],), _NEW[m.group()]]
        last = m.end()
    pieces.append((key[last:],))
    forms = [""]
    for choice in pieces:
        forms = [f + c for f in forms for c in choice]
        if len(forms) > MAX_SPELLINGS:
            return [key]
    return [f for f in dict.fromkeys(forms) if modern(f) == key]


def group_of(word: str) -> tuple[str, ...]:
    """The curated variant group (VARIANTS_FILE) holding case-folded `word`, or ()."""
    return _groups().get(word, ())


def variant_forms(word: str, engine=None) -> list[tuple[str, str]]:
    """(form, kind) of the other spellings of case-folded `word`: kind "old spelling" or
    "variant" (curated). With `engine`, only forms some article holds in its exact fields;
    without one, the modern key and the curated group. A guarded word has none."""
    if word in guard():
        return []
    rules = [f for f in (spellings(word) if engine is not None else [modern(word)]) if f != word]
    curated = [f for f in group_of(word) if f != word and f not in rules]
    if engine is not None and (rules or curated):
        held = _held(engine, rules + curated)
        rules, curated = [f for f in rules if f in held], [f for f in curated if f in held]
    return [(f, "old spelling") for f in rules] + [(f, "variant") for f in curated]


def _held(engine, forms: list[str]) -> set[str]:
    """The `forms` some article holds in its title or body (exact forms)."""
    held: set[str] = set()
    for field in EXACT_FIELDS:
        held |= {t for t, df in engine.document_frequencies(field, forms).items() if df > 0}
    return held


@lru_cache(maxsize=1)
def guard() -> frozenset[str]:
    """Case-folded words that look old but are not (GUARD_FILE)."""
    return frozenset(line.split("#")[0].strip() for line in _data_lines(GUARD_FILE)) - {""}


@lru_cache(maxsize=1)
def _groups() -> dict[str, tuple[str, ...]]:
    groups: dict[str, tuple[str, ...]] = {}
    for line in _data_lines(VARIANTS_FILE):
        words = tuple(line.split("#")[0].split())
        for word in words:
            groups[word] = words
    return groups


def _data_lines(name: str) -> list[str]:
    text = resources.files("carinews.data").joinpath(name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
