"""Golden table of the analyst operators (query/operators.py): query -> exact article ids.

The fixture (tests/golden/operators_articles.jsonl) has true and false cases
for each operator: two names in one sentence, in two sentences of one
paragraph, in two paragraphs; a word in the title, late in a long first
paragraph, in the first words, only in a later paragraph; 2, 3 and 4
occurrences; a caption and a long article; old and new spellings (Soeharto/Suharto,
Djakarta/Jakarta, Jogja/Yogyakarta, the guarded Djokovic and Michael), aliases and their
namesakes (Jokowi/Joko Widodo/Joko Susilo, Ahok/Basuki Tjahaja Purnama/Basuki Hadimuljono,
BI/Bank Indonesia/bi). tests/golden/operators.tsv was
written by reading the fixture; every engine must return exactly its ids.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from carinews.archive import Archive
from carinews.errors import QuerySyntaxError
from conftest import ENGINES_UNDER_TEST
from test_query_golden import read_fixture_articles as _read

GOLDEN = Path(__file__).parent / "golden"
TABLE = GOLDEN / "operators.tsv"
ARTICLES = GOLDEN / "operators_articles.jsonl"


def read_table() -> list[tuple[str, list[str]]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            query, ids = line.split("\t")
            rows.append((query, sorted(ids.split())))
    return rows


@pytest.fixture(scope="module", params=ENGINES_UNDER_TEST)
def operators_archive(tmp_path_factory, request, monkeypatch_module):
    monkeypatch_module.setattr("test_query_golden.ARTICLES", ARTICLES)
    path = tmp_path_factory.mktemp("operators-index")
    with Archive.create(path, engine=request.param) as archive:
        archive.add(_read())
    with Archive.open(path) as archive:
        yield archive


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_table_is_large_enough():
    rows = read_table()
    assert len(rows) >= 40
    assert len({q for q, _ in rows}) == len(rows), "duplicate query in the table"


def test_operator_queries(operators_archive):
    mismatches = []
    for query, want in read_table():
        result = operators_archive.search(query, limit=100, collapse=False)
        got = sorted(hit.id for hit in result.hits)
        if got != want or result.total != len(want):
            mismatches.append(f"{query!r}: expected {want}, got {got} (total {result.total})")
    assert not mismatches, "\n".join(mismatches)


def test_pages_and_totals_count_only_passing_articles(operators_archive):
    first = operators_archive.search("paragraf:(Peskov Kremlin)", limit=2, collapse=False)
    rest = operators_archive.search("paragraf:(Peskov Kremlin)", limit=2, offset=2, collapse=False)
    assert first.total == 3 and rest.total == 3
    assert sorted(h.id for h in first.hits + rest.hits) == ["s1", "s2", "s4"]


@pytest.mark.parametrize("query, message", [
    ("banjir OR awal:banjir", "work only ANDed with the rest of the query"),
    ("-kalimat:(Peskov Kremlin)", "work only ANDed with the rest of the query"),
    ("kalimat:(Peskov OR Kremlin)", "use plain words or quoted phrases only"),
    ("awal:banj*", "use plain words or quoted phrases only"),
    ("banjir panjang:banyak", "panjang: needs a word count such as >300, <=50 or 100..300, not 'banyak'"),
])
def test_operator_errors(operators_archive, query, message):
    with pytest.raises(QuerySyntaxError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("+", r"\+").replace(".", r"\.")):
        operators_archive.search(query)


def test_explain_describes_each_operator():
    from carinews.query.parse import parse_query

    assert parse_query('awal50:"banjir bandang" atleast2:korupsi words:100..300').explain() == "\n".join([
        'query: awal50:"banjir bandang" atleast2:korupsi words:100..300',
        "match all of:",
        '  "banjir bandang" in the first 50 words of the body (checked in the stored text), among:',
        '    exact phrase "banjir bandang" (consecutive words) in title, body',
        "  korupsi at least 2 times in title and body (checked in the stored text), among:",
        '    word "korupsi" -> stem "korupsi" (any form) in title, body',
        "  body of 100 to 300 words (counted in the stored text)",
    ])


def test_operator_names_need_their_number_or_stay_words():
    from carinews.query.syntax import Check, Word, parse_syntax

    assert parse_syntax("minimal:korupsi").root == Word("minimal:korupsi", 0)
    assert parse_syntax("paragraf2:(a b)").root != Check("paragraph", 2, None, 0)
    assert parse_syntax("Lead12:banjir").root == Check("lead", 12, Word("banjir", 7), 0)
