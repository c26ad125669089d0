"""Golden table: query -> the exact set of fixture articles it returns.

The fixture (tests/golden/queries_articles.jsonl) has articles at WIB day,
month and year boundaries, phrases vs stems, reduplication, several sources and
authors and one undated article. Each row of tests/golden/queries.tsv is run
through `Archive.search` (no duplicate collapsing); the full-match ids and the relaxed flag
must match. Set CARINEWS_UPDATE_GOLDEN=1 (or pass --update-golden when the
conftest offers it) to rewrite the table, then review the diff.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from carinews.archive import Archive
from carinews.ingest.articles import Article
from carinews.ingest.urls import normalise_url
from conftest import ENGINES_UNDER_TEST

GOLDEN = Path(__file__).parent / "golden"
TABLE = GOLDEN / "queries.tsv"
ARTICLES = GOLDEN / "queries_articles.jsonl"


def read_fixture_articles() -> list[Article]:
    articles = []
    for line in ARTICLES.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        record["date"] = datetime.fromisoformat(record["date"]) if record["date"] else None
        record["url_key"] = normalise_url(record.get("url"))
        articles.append(Article(**record))
    return articles


def read_table() -> list[tuple[str, list[str], bool]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, ids, *flags = line.split("\t")
        rows.append((query, sorted(ids.split()), flags == ["relaxed"]))
    return rows


def _update_requested(config) -> bool:
    return bool(os.environ.get("CARINEWS_UPDATE_GOLDEN")) or bool(
        config.getoption("--update-golden", default=False))


@pytest.fixture(scope="module", params=ENGINES_UNDER_TEST)
def fixture_archive(tmp_path_factory, request):
    path = tmp_path_factory.mktemp("golden-index")
    with Archive.create(path, engine=request.param) as archive:
        archive.add(read_fixture_articles())
    with Archive.open(path) as archive:
        yield archive


def run(archive: Archive, query: str) -> tuple[list[str], bool]:
    """The articles the query matches: its full matches, or when relaxed every hit (the table
    does not list the partial matches that follow a short list of full ones; see
    tests/test_partial_fill.py)."""
    result = archive.search(query, limit=100, collapse=False)
    return sorted(hit.id for hit in result.hits if result.relaxed or not hit.partial), result.relaxed


def test_golden_table_is_large_enough():
    rows = read_table()
    assert len(rows) >= 40
    assert len({query for query, _, _ in rows}) == len(rows), "duplicate query in the table"


def test_golden_queries(fixture_archive, request):
    rows = read_table()
    actual = [(query, *run(fixture_archive, query)) for query, _, _ in rows]
    if _update_requested(request.config) and fixture_archive.engine_name == "whoosh":
        _rewrite_table(dict((q, (ids, relaxed)) for q, ids, relaxed in actual))
        pytest.skip("golden table rewritten; review the diff")
    mismatches = [
        f"{query!r}: expected {want} {'(relaxed)' * want_relaxed}, got {got} {'(relaxed)' * got_relaxed}"
        for (query, want, want_relaxed), (_, got, got_relaxed) in zip(rows, actual)
        if (want, want_relaxed) != (got, got_relaxed)
    ]
    assert not mismatches, "\n".join(mismatches)


def _rewrite_table(results: dict[str, tuple[list[str], bool]]) -> None:
    lines = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            lines.append(line)
            continue
        query = line.split("\t", 1)[0]
        ids, relaxed = results[query]
        lines.append("\t".join([query, " ".join(ids)] + (["relaxed"] if relaxed else [])))
    TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")
