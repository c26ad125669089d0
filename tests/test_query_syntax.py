"""query_syntax.py: tokens, tree, leniency vs strict, date values."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from carinews.errors import QuerySyntaxError
from carinews.query.syntax import (
    MAX_DEPTH, WIB, And, DateFilter, DateValueError, Not, Or, Phrase, Word,
    parse_date_value, parse_syntax, tokenize_query,
)


def kinds(text: str) -> list[str]:
    return [t.kind for t in tokenize_query(text)]


def root(text: str, strict: bool = False):
    return parse_syntax(text, strict=strict).root


# --- tokens ----------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Jokowi OR Prabowo", ["WORD", "OR", "WORD"]),
    ("Jokowi ATAU Prabowo", ["WORD", "OR", "WORD"]),
    ("Jokowi AND ijazah", ["WORD", "AND", "WORD"]),
    ("Jokowi DAN ijazah", ["WORD", "AND", "WORD"]),
    ("ijazah NOT sekolah", ["WORD", "NOT", "WORD"]),
    ("ijazah TIDAK sekolah", ["WORD", "NOT", "WORD"]),
    ("jokowi atau prabowo dan tidak", ["WORD"] * 5),       # lowercase: words
    ("Or Atau", ["WORD", "WORD"]),
    ("-sekolah +ijazah", ["MINUS", "WORD", "PLUS", "WORD"]),
    ("kota-kota e-KTP", ["WORD", "WORD"]),                 # inner hyphens stay in the word
    ('judul:"Operasi Tangkap"', ["FIELD", "PHRASE"]),
    ("isi:(a OR b)", ["FIELD", "LPAREN", "WORD", "OR", "WORD", "RPAREN"]),
    ("10:30 foo:bar", ["WORD", "WORD"]),                   # not field names
    ("a\u200bb", ["WORD", "WORD"]),                        # zero-width space separates
    ("\u201cJokowi ijazah\u201d", ["PHRASE"]),             # typographic quotes
])
def test_tokens(text, expected):
    assert kinds(text) == expected


def test_field_aliases_both_languages():
    pairs = {"judul": "title", "title": "title", "isi": "body", "body": "body",
             "sumber": "source", "source": "source", "penulis": "author", "author": "author",
             "nama": "name", "name": "name", "url": "url", "tanggal": "date", "date": "date",
             "rubrik": "section", "JUDUL": "title"}
    for alias, field in pairs.items():
        token = tokenize_query(f"{alias}:x")[0]
        assert (token.kind, token.text) == ("FIELD", field), alias


def test_phrase_with_proximity():
    token = tokenize_query('"Jokowi ijazah"~5')[0]
    assert (token.kind, token.text, token.slop) == ("PHRASE", "Jokowi ijazah", 5)


def test_unbalanced_quote_names_column_in_both_modes():
    for strict in (False, True):
        with pytest.raises(QuerySyntaxError) as info:
            parse_syntax('Peskov AND "Kremlin', strict=strict)
        assert info.value.position == 11
        assert str(info.value) == "unbalanced quote at column 12"


# --- tree ------------------------------------------------------------------------

def test_precedence_or_below_and_below_not():
    tree = root("a b OR c -d")
    assert tree == Or((And((Word("a", 0), Word("b", 2))), And((Word("c", 7), Not(Word("d", 10), 9)))))


def test_parentheses_and_field_groups():
    tree = root("judul:(Peskov OR Zelensky) serangan")
    assert tree == And((Or((Word("Peskov", 7, "title"), Word("Zelensky", 17, "title"))),
                        Word("serangan", 27)))


def test_word_kinds():
    assert root("korup*") == Word("korup", 0, None, "prefix")
    assert root("korup**") == Word("korup", 0, None, "prefix")
    assert root("ko*si") == Word("ko*si", 0, None, "wildcard")
    assert root("Peskof~") == Word("Peskof", 0, None, "fuzzy", 2)
    assert root("Jokow~1") == Word("Jokow", 0, None, "fuzzy", 1)
    assert root("Rusia~") == Word("Rusia", 0, None, "fuzzy", 2)
    assert root("KPK~") == Word("KPK", 0, None, "fuzzy", 1)    # short words: 1 edit
    assert root("Peskov~0") == Word("Peskov", 0)


def test_phrase_node():
    assert root('nama:"Dmitry Peskov"') == Phrase("Dmitry Peskov", 5, "name")
    assert root('"Jokowi ijazah"~5') == Phrase("Jokowi ijazah", 0, None, 5)


def test_double_negation_cancels():
    assert root("NOT NOT Jokowi") == Word("Jokowi", 8)
    assert root("--Jokowi") == Word("Jokowi", 2)


@pytest.mark.parametrize("text, note, reason, position", [
    ("Jokowi ijazah)", "ignored a stray ')' at column 14", "unmatched ')'", 13),
    ("Zelensky -", "ignored a dangling '-' at column 10", "'-' with nothing after it", 9),
    ("Peskov OR", "ignored a dangling 'OR' at column 8", "'OR' needs a term on both sides", 7),
    ("ATAU Peskov", "ignored a dangling 'ATAU' at column 1", "'ATAU' needs a term on both sides", 0),
    ("Peskov AND", "ignored a dangling 'AND' at column 8", "'AND' needs a term on both sides", 7),
    ("Peskov NOT", "ignored a dangling 'NOT' at column 8", "'NOT' with nothing after it", 7),
    ("(Peskov Kremlin", "closed the '(' at column 1 at the end", "unbalanced '('", 0),
    ("Peskov () Kremlin", "ignored empty parentheses at column 8", "empty parentheses", 7),
    ("judul: Peskov", "ignored 'judul:' without a value at column 1", "missing value after 'judul:'", 0),
    ("Peskov~7", "used ~2 instead of ~7 at column 1", "fuzzy distance must be 0, 1 or 2", 0),
    ('"Jokowi ijazah"~500', "proximity ~500 at column 1 is more than 50; used ~50",
     "proximity needs a number from 1 to 50", 0),
])
def test_slips_lenient_noted_strict_raised(text, note, reason, position):
    tree = parse_syntax(text)
    assert tree.root is not None
    assert note in tree.notes
    with pytest.raises(QuerySyntaxError) as info:
        parse_syntax(text, strict=True)
    assert (info.value.reason, info.value.position) == (reason, position)


def test_a_doubled_or_is_noted_once():
    tree = parse_syntax("Peskov OR OR Zelensky")
    assert tree.notes == ("ignored a dangling 'OR' at column 8",)
    assert tree.root == Or((Word("Peskov", 0), Word("Zelensky", 13)))


@pytest.mark.parametrize("text, reason", [
    ("*korupsi", "a word cannot start with the wildcard '*'"),
    ("*a*", "a word cannot start with the wildcard '*'"),
    ("k*", "put at least 2 letters before '*'"),
    ("tanggal:kemarin", "unrecognised date 'kemarin'"),
    ("tanggal:2022-13", "no month 13 in '2022-13'"),
    ("(" * (MAX_DEPTH + 1) + "a", f"more than {MAX_DEPTH} nested parentheses"),
    ("a" * 2001, "query longer than 2000 characters"),
])
def test_refused_in_both_modes(text, reason):
    for strict in (False, True):
        with pytest.raises(QuerySyntaxError) as info:
            parse_syntax(text, strict=strict)
        assert info.value.reason == reason


def test_unquoted_date_with_spaces_gets_a_hint():
    with pytest.raises(QuerySyntaxError) as info:
        parse_syntax("tanggal:15 Maret 2022")
    assert 'put dates with spaces in quotes: tanggal:"15 Maret 2022"' in info.value.reason
    assert info.value.position == 8


def test_date_range_glued_around_quotes():
    tree = root('tanggal:"1 Maret 2022"..2022-03-15')
    assert isinstance(tree, DateFilter)
    assert (tree.window.start, tree.window.end) == (datetime(2022, 3, 1, tzinfo=WIB),
                                                    datetime(2022, 3, 16, tzinfo=WIB))


# --- dates -----------------------------------------------------------------------

def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.mark.parametrize("value, start, end", [
    ("2022-03-15", wib(2022, 3, 15), wib(2022, 3, 16)),
    ("2022-03", wib(2022, 3, 1), wib(2022, 4, 1)),
    ("2022-12", wib(2022, 12, 1), wib(2023, 1, 1)),
    ("2022", wib(2022, 1, 1), wib(2023, 1, 1)),
    ("15/3/2022", wib(2022, 3, 15), wib(2022, 3, 16)),
    ("15-03-2022", wib(2022, 3, 15), wib(2022, 3, 16)),
    ("3/2022", wib(2022, 3, 1), wib(2022, 4, 1)),
    ("15 Maret 2022", wib(2022, 3, 15), wib(2022, 3, 16)),
    ("15 Mar 2022", wib(2022, 3, 15), wib(2022, 3, 16)),
    ("Selasa, 15 Maret 2022", wib(2022, 3, 15), wib(2022, 3, 16)),
    ("March 15, 2022", wib(2022, 3, 15), wib(2022, 3, 16)),
    ("Maret 2022", wib(2022, 3, 1), wib(2022, 4, 1)),
    ("Agustus 2021", wib(2021, 8, 1), wib(2021, 9, 1)),
    ("2022-03-01..2022-03-15", wib(2022, 3, 1), wib(2022, 3, 16)),
    ("2022-03..", wib(2022, 3, 1), None),
    ("..2021", None, wib(2022, 1, 1)),
    (">=2024-01", wib(2024, 1, 1), None),
    (">2024-01", wib(2024, 2, 1), None),
    ("<2020", None, wib(2020, 1, 1)),
    ("<=2020", None, wib(2021, 1, 1)),
    ("15 Maret 2022 UTC", datetime(2022, 3, 15, tzinfo=timezone.utc), datetime(2022, 3, 16, tzinfo=timezone.utc)),
    ("2022-03-15 WITA", datetime(2022, 3, 15, tzinfo=timezone(timedelta(hours=8))),
     datetime(2022, 3, 16, tzinfo=timezone(timedelta(hours=8)))),
    ("2022-03-15 +09:00", datetime(2022, 3, 15, tzinfo=timezone(timedelta(hours=9))),
     datetime(2022, 3, 16, tzinfo=timezone(timedelta(hours=9)))),
])
def test_date_values(value, start, end):
    window = parse_date_value(value)
    assert (window.start, window.end) == (start, end)
    for bound in (window.start, window.end):
        assert bound is None or bound.utcoffset() is not None


def test_zone_named_on_one_side_applies_to_both():
    window = parse_date_value("1 Mei 2022..3 Mei 2022 UTC")
    assert window.start == datetime(2022, 5, 1, tzinfo=timezone.utc)
    assert window.end == datetime(2022, 5, 4, tzinfo=timezone.utc)


@pytest.mark.parametrize("value", ["kemarin", "31/2/2022", "2022-03-15..2022-03-01", "0001", "..",
                                   "1..2..3", "15 Foo 2022", ">=", ""])
def test_bad_date_values(value):
    with pytest.raises(DateValueError):
        parse_date_value(value)
