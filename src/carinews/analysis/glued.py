"""Words glued together where a scraper stripped markup: "dariAntara", "kepadaLiputan6",
"erupsiGunung", "gariskemiskinanyang".

The stored text keeps what the source said; the split happens in tokenisation
(`analysis.tokenize.split_words`), so "Antara" inside "dariAntara" is a word of its own
whose offsets point at the original characters, for search, phrases and highlights alike.

Steps (`split_points`, one word at a time):
1. camel-case joins: a dictionary word (a Sastrawi root, an affixed form of one, or a
   function word; lower case or capitalised) followed by a capitalised word:
   "dari|Antara", "Mengutip|Antara" (a capitalised head of CAPITAL_HEAD letters or more:
   shorter ones are brands, "TikTok", "KapanLagi", "AirAsia"); a name with a function word glued on: "Gayoung|dan|Lee". Brand forms
   stay: a head of one letter ("iPhone", "eKTP"), a tail of fewer than three letters
   ("kWh", "mAh"), a head in BRAND_HEADS ("detikNews"), a head that is not a dictionary
   word ("tvOne"); "hargaiPhone" splits before the brand ("harga|iPhone").
2. lower-case runs of LONG_RUN letters or more that are not a dictionary word themselves:
   split when exactly one way cuts them into the fewest pieces that are function words,
   roots of four letters or more, or regularly affixed forms of roots:
   "garis|kemiskinan|yang". A run shaped like one affixed word ("ketidakpastian",
   "pertanggungjawaban": ke-/pe-/me-/di-/ber-/ter-/se-/per- ... -an/-kan/-nya/-i) is split
   only where one of the pieces is a function word (RUN_GLUE).
`find_glued` lists the splits of a text (for counting and reading them).
"""

from __future__ import annotations

import re
from functools import lru_cache

CANDIDATES = re.compile(r"[a-z][A-Z]|[a-z]{14,}")   # where a glued word may be (fast pre-check)
LONG_RUN = 14
CAPITAL_HEAD = 6      # a capitalised head shorter than this is a brand ("TikTok", "KapanLagi", "MediaTek")
BRAND_HEADS = frozenset({"detik", "kumparan", "tribun", "kompas", "liputan", "okezone"})
GLUE_WORDS = frozenset("""yang dan di ke dari untuk dengan pada dalam oleh atau ini itu akan
tidak juga sudah telah masih bisa saat kata ujar menurut bahwa karena namun tetapi serta
hingga sejak para kepada terhadap antara sebagai""".split())
_BRAND_TAIL = re.compile(r"(?:iPhone|iPad|iPod|iMac|iOS|iCloud|eSIM)")
# bound prefixes written together with the next word ("antiperadangan", "pascasarjana")
_BOUND_PREFIXES = ("anti", "pasca", "antar", "multi", "non", "pra", "swa", "eks", "super", "inter")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_HEAD = re.compile(r"[a-z]+$")


def split_points(word: str) -> tuple[int, ...]:
    """Offsets inside `word` where it splits into words, or () when it should stay whole."""
    if not word.isalnum():
        return ()
    if word.islower():
        return _run_points(word) if len(word) >= LONG_RUN and word.isalpha() else ()
    points = []
    for m in _CAMEL.finditer(word):
        at = m.start()
        head = _HEAD.search(word, 0, at)
        tail = re.match(r"[A-Z][a-z]+\d*", word[at:])
        if head is None or tail is None or len(tail.group()) < 3:
            continue
        head_word = head.group()
        brand = _BRAND_TAIL.match(word, at - 1)
        if brand and len(head_word) >= 3 and _is_word(head_word[:-1]):
            points.append(at - 1)             # "hargaiPhone": "harga" + "iPhone"
            continue
        if head.start() == 1 and word[0].isupper() and at >= CAPITAL_HEAD and _is_word(word[:at].lower()):
            points.append(at)                 # "MengutipAntara": a sentence's first word
            continue
        if head.start() > 0:
            # "GayoungdanLee": a name with a function word glued to its end
            if head_word in GLUE_WORDS or _tail_glue(word[:at]):
                glue = head_word if head_word in GLUE_WORDS else _tail_glue(word[:at])
                points += [at - len(glue), at]
            continue
        if len(head_word) >= 2 and head_word not in BRAND_HEADS and _is_word(head_word):
            points.append(at)
    return tuple(sorted(set(p for p in points if 0 < p < len(word))))


def _tail_glue(text: str) -> str | None:
    """A function word glued to the end of a capitalised name ("Gayoungdan" -> "dan")."""
    for glue in ("yang", "dari", "dan", "di", "ke"):
        if text.endswith(glue) and len(text) - len(glue) >= 3 and text[-len(glue) - 1].islower() \
                and text[0].isupper():
            name = text[:-len(glue)]
            if not _is_word(name.lower()):
                return glue
    return None


@lru_cache(maxsize=65536)
def _run_points(word: str) -> tuple[int, ...]:
    """Cut points of the one segmentation into the fewest pieces, or () if there are several
    (or none, or the run is a word itself)."""
    if _is_word(word):
        return ()
    n = len(word)
    best: list[tuple[int, int, int] | None] = [None] * (n + 1)   # (pieces, ways, next cut)
    best[n] = (0, 1, n)
    for start in range(n - 1, -1, -1):
        options = [(best[end][0] + 1, best[end][1], end) for end in range(start + 2, n + 1)
                   if best[end] is not None and _is_piece(word[start:end])]
        if options:
            fewest = min(o[0] for o in options)
            ways = sum(o[1] for o in options if o[0] == fewest)
            best[start] = (fewest, ways, next(o[2] for o in options if o[0] == fewest))
    if best[0] is None or best[0][1] != 1 or best[0][0] < 2:
        return ()
    points, at = [], best[0][2]
    while at < n:
        points.append(at)
        at = best[at][2]
    edges = [0, *points, n]
    pieces = [word[a:b] for a, b in zip(edges, edges[1:])]
    if pieces[0] in _BOUND_PREFIXES:
        return ()
    if _LOOKS_AFFIXED.match(word) and not any(piece in RUN_GLUE for piece in pieces):
        return ()         # "ketidakpastian", "pertanggungjawaban": one word with affixes
    return tuple(points)


# A run shaped like one affixed word (prefix ... suffix) is split only at a function word.
_LOOKS_AFFIXED = re.compile(r"^(?:ke|pe|me|di|ber|ter|se|per)\w+(?:an|kan|nya|i|lah)$")
RUN_GLUE = frozenset("""yang dan dari untuk dengan pada dalam oleh atau ini itu akan juga sudah
telah masih bisa saat bahwa karena namun tetapi hingga sejak kepada terhadap sebagai""".split())


_AFFIXED = re.compile(r"^(?:(?:me|di|ber|be|ter|pe|per|se)\w{3,}|ke\w{3,}an|\w{3,}(?:kan|an|nya))$")


@lru_cache(maxsize=131072)
def _is_piece(piece: str) -> bool:
    """A piece of a glued run: a function word, a root of four letters or more, or an
    affixed form of a root with a regular affix shape (no bare "ke-")."""
    if len(piece) < 3:
        return False
    if piece in GLUE_WORDS:
        return True
    if len(piece) < 4:
        return False
    from carinews.analysis.names import _roots, is_common_word

    return piece in _roots() or (is_common_word(piece) and bool(_AFFIXED.match(piece)))


@lru_cache(maxsize=131072)
def _is_word(word: str) -> bool:
    from carinews.analysis.names import is_common_word

    return word in GLUE_WORDS or is_common_word(word)


def split_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`spans` (word spans of `text`) with glued words split; unchanged when none is."""
    if not CANDIDATES.search(text):
        return spans
    out: list[tuple[int, int]] | None = None
    for index, (start, end) in enumerate(spans):
        word = text[start:end]
        if not CANDIDATES.search(word):
            if out is not None:
                out.append((start, end))
            continue
        points = split_points(word)
        if not points:
            if out is not None:
                out.append((start, end))
            continue
        if out is None:
            out = list(spans[:index])
        edges = [start, *(start + p for p in points), end]
        out.extend(zip(edges, edges[1:]))
    return spans if out is None else out


def find_glued(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """(glued word, its parts) for every word of `text` that splits."""
    found = []
    for m in re.finditer(r"\w+", text):
        word = m.group()
        if CANDIDATES.search(word):
            points = split_points(word)
            if points:
                edges = [0, *points, len(word)]
                found.append((word, tuple(word[a:b] for a, b in zip(edges, edges[1:]))))
    return found
