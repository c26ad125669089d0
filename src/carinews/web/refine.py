"""Refinements as query text: every click on a facet, a chart bar or the date inputs
becomes words in the query box, so the URL is the whole state.

Steps: `clause` writes `field:value` in the query language (quoted when the value
has spaces or syntax characters; the language has no escape for a quote, so
quotes inside a value become spaces); `with_clause` / `without_clause` add or
remove one clause; `with_dates` replaces the query's plain top-level `tanggal:`
clauses by a new window (a bar inside the current window narrows it);
`date_clause` is the window of one chart bar; `range_clause` that of the date inputs.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from carinews.query.syntax import QUOTE_CHARS

_PLAIN = re.compile(r"[^\s()\"“”„‟:~*+\-][^\s()\"“”„‟:~*]*")
_QUOTES = re.compile(f"[{QUOTE_CHARS}]")
_DATE_CLAUSE = re.compile(r"(?:(?<=\s)|^)(?:tanggal|date):[^\s\"“”„‟()]+(?=\s|$)")
_DATE_VALUE = re.compile(r"[0-9A-Za-z/.\-]{1,40}")


def clause(field: str, value: str) -> str:
    value = " ".join(_QUOTES.sub(" ", value).split())
    if _PLAIN.fullmatch(value):
        return f"{field}:{value}"
    return f'{field}:"{value}"'


def has_clause(query: str, text: str) -> bool:
    return f" {text} " in f" {' '.join(query.split())} "


def with_clause(query: str, text: str) -> str:
    if has_clause(query, text):
        return query
    return f"{query.strip()} {text}".strip()


def without_clause(query: str, text: str) -> str:
    words = f" {' '.join(query.split())} ".replace(f" {text} ", " ")
    return words.strip()


def with_dates(query: str, window: str) -> str:
    """`query` with its plain `tanggal:` clauses replaced by `window`."""
    rest = " ".join(_DATE_CLAUSE.sub(" ", query).split())
    return f"{rest} {window}".strip()


def date_clause(interval: str, label: str) -> str:
    """The window of one bar: a day, a week (from its Monday), a month or a year."""
    if interval == "week":
        monday = date.fromisoformat(label)
        return f"tanggal:{monday.isoformat()}..{(monday + timedelta(days=6)).isoformat()}"
    return f"tanggal:{label}"


def range_clause(since: str | None, until: str | None) -> str | None:
    """`tanggal:A..B` (or an open range) from the date inputs (YYYY-MM-DD from a date
    picker, or any date the query language reads, typed), None if both are empty.
    The parser judges the dates (a bad one is an error shown with the query)."""
    since, until = _date_value(since), _date_value(until)
    if not since and not until:
        return None
    if since == until:
        return f"tanggal:{since}"
    return f"tanggal:{since}..{until}"


def _date_value(text: str | None) -> str:
    text = " ".join(_QUOTES.sub(" ", text or "").split())
    return text if not text or _DATE_VALUE.fullmatch(text) else f'"{text}"'
