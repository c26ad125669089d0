"""Skip PySastrawi prefix rules that cannot match the word in hand.

Why: Sastrawi removes prefixes by offering the current word to each of its 41
prefix visitors in turn, up to three rounds and again after every suffix it
restores; each visitor runs its rules' regular expressions (``^meng([aiueo])``,
``^ter([bcd...])``, ...). For a word Sastrawi finally returns unchanged (names,
foreign words; half the distinct words Sastrawi sees in the shared corpus and
87% of its time there) that is ~66 visits a word, nearly all of rules for
other prefixes. PySastrawi has no option for this and no maintained fork
avoids it, so `install` replaces `Context.accept_prefix_visitors` with the
same loop that passes over a visitor whose every rule begins with a literal
(``meng``, ``ter``) none of which the word starts with. Such a word matches
none of those rules' patterns (``re.match`` anchors at the start), so the
visit would have changed nothing: the stems are Sastrawi's own
(tests/test_analysis_stem.py compares whole vocabularies with and without).
A visitor with any rule that begins with a character class (the infix rules
``^([bcd...])el``) or is not a plain ``re.match`` is always visited. All
46,106 words of the shared corpus that reach Sastrawi: 3.5 -> 1.5 s.
"""

from __future__ import annotations

import linecache
import re

_PATTERN = re.compile(r"""re\.match\(r?(['"])(.*?)\1""")
_OTHER_RE = re.compile(r"re\.(?:search|sub|fullmatch|findall|finditer|compile)\b")
_META = set("^$.[](){}|?*+\\")


def literal_prefixes(disambiguator) -> tuple[str, ...] | None:
    """The literal starts of every pattern `disambiguator` matches words with, or None
    when one of them starts with a class or group (or its code is not the usual
    ``re.match(r'...', word)`` form), so that no word can be ruled out."""
    source = _source(type(disambiguator).disambiguate)
    if source is None:
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


def _source(function) -> str | None:
    """The source lines of `function`, from its `def` line to the last line its code
    spans: what `inspect.getsource` gives for the statements, without tokenising the
    module to find the block's end (done for ~60 rules whenever the stemmer loads)."""
    code = getattr(function, "__code__", None)
    if code is None:
        return None
    lines = linecache.getlines(code.co_filename)
    last = max((end for _, end, _, _ in code.co_positions() if end is not None),
               default=code.co_firstlineno)
    if not lines or last > len(lines):
        return None
    return "".join(lines[code.co_firstlineno - 1:last])


def install(stemmer) -> int:
    """Guard the prefix visitors of a Sastrawi `Stemmer`; returns how many are guarded."""
    from Sastrawi.Stemmer.Context.Context import Context

    visitors = stemmer.visitor_provider.get_prefix_visitors()
    plan = []
    for visitor in visitors:
        rules = getattr(visitor, "disambiguators", None)
        starts = [literal_prefixes(rule) for rule in rules] if rules else [None]
        guard = None if any(s is None for s in starts) else tuple(sorted({p for s in starts for p in s}))
        plan.append((visitor, guard))
    _plans[id(visitors)] = (visitors, plan)
    if "_plain_accept_prefix_visitors" not in vars(Context):
        Context._plain_accept_prefix_visitors = Context.accept_prefix_visitors
        Context.accept_prefix_visitors = _accept_prefix_visitors
    return sum(guard is not None for _, guard in plan)


def uninstall() -> None:
    """Remove the guards (tests compare stems both ways)."""
    from Sastrawi.Stemmer.Context.Context import Context

    if "_plain_accept_prefix_visitors" in vars(Context):
        Context.accept_prefix_visitors = Context._plain_accept_prefix_visitors
        del Context._plain_accept_prefix_visitors
    _plans.clear()


_plans: dict[int, tuple[list, list]] = {}     # id(visitor list) -> (the list, [(visitor, guard)])


def _accept_prefix_visitors(context, visitors):
    """`Context.accept_prefix_visitors`, not offering the word to visitors whose guard
    it fails. Such a visit changes nothing, so the checks after it would see what the
    checks after the last visit saw (and returned on, if they were going to): they run
    after real visits, and once for the state as it came in."""
    found = _plans.get(id(visitors))
    if found is None or found[0] is not visitors:
        return context._plain_accept_prefix_visitors(visitors)
    removal_count = len(context.removals)
    checked = False
    for visitor, guard in found[1]:
        if guard is None or context.current_word.startswith(guard):
            context.accept(visitor)
        elif checked:
            continue
        checked = True
        if context.dictionary.contains(context.current_word):
            return context.current_word
        if context.process_is_stopped:
            return context.current_word
        if len(context.removals) > removal_count:
            return None
    return None
