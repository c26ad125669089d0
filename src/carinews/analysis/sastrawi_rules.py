"""Skip PySastrawi prefix rules that cannot match the word in hand.

Why: Sastrawi removes prefixes by offering the current word to each of its 41
prefix visitors in turn, up to three rounds and again after every suffix it
restores; each visitor runs its rules' regular expressions (``^meng([aiueo])``,
``^ter([bcd...])``, ...). For a word Sastrawi finally returns unchanged (names,
foreign words; half the distinct words Sastrawi sees in the shared corpus and
~85% of its time there) that is ~66 visits a word, nearly all of rules for
other prefixes. PySastrawi has no option for this and no maintained fork
avoids it, so `install` gives each prefix visitor whose every rule begins with
a literal (``meng``, ``ter``) a guard: a word that starts with none of them is
not offered to its rules. Such a word matches none of those rules' patterns
(``re.match`` anchors at the start), so the visitor would have done nothing:
the stems are Sastrawi's own (tests/test_analysis_stem.py compares whole
vocabularies with and without). A visitor with any rule that begins with a
character class (the infix rules ``^([bcd...])el``) is left as it is.
"""

from __future__ import annotations

import inspect
import re

_PATTERN = re.compile(r"""re\.match\(r?(['"])(.*?)\1""")
_OTHER_RE = re.compile(r"re\.(?:search|sub|fullmatch|findall|finditer|compile)\b")
_META = set("^$.[](){}|?*+\\")
_guarded: list = []        # (visitor, its own visit before the guard)


def literal_prefixes(disambiguator) -> tuple[str, ...] | None:
    """The literal starts of every pattern `disambiguator` matches words with, or None
    when one of them starts with a class or group (or its code is not the usual
    ``re.match(r'...', word)`` form), so that no word can be ruled out."""
    try:
        source = inspect.getsource(type(disambiguator).disambiguate)
    except (OSError, TypeError):
        return None
    patterns = [m.group(2) for m in _PATTERN.finditer(source)]
    if not patterns or _OTHER_RE.search(source):
        return None
    literals = []
    for pattern in patterns:
        if "|" in pattern:               # an alternative might start anywhere
            return None
        pattern = pattern.removeprefix("^")
        end = 0
        while end < len(pattern) and pattern[end] not in _META:
            end += 1
        if end < len(pattern) and pattern[end] in "?*{":   # the last letter is optional
            end -= 1
        if end <= 0:
            return None
        literals.append(pattern[:end])
    return tuple(literals)


def install(stemmer) -> int:
    """Guard the prefix visitors of a Sastrawi `Stemmer`; returns how many were guarded."""
    for visitor in stemmer.visitor_provider.get_prefix_visitors():
        rules = getattr(visitor, "disambiguators", None)
        if not rules or "visit" in vars(visitor):
            continue
        starts = [literal_prefixes(rule) for rule in rules]
        if any(s is None for s in starts):
            continue
        visit = visitor.visit
        visitor.visit = _guard(tuple(sorted({p for s in starts for p in s})), visit)
        _guarded.append((visitor, visit))
    return len(_guarded)


def uninstall() -> None:
    """Remove the guards (tests compare stems both ways)."""
    while _guarded:
        visitor, _visit = _guarded.pop()
        del visitor.visit


def _guard(prefixes: tuple[str, ...], visit):
    def guarded(context):
        if context.current_word.startswith(prefixes):
            visit(context)
    return guarded
