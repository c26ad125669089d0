"""Hostile queries: random text, very long queries, pathological wildcards, huge
limits. Each gives a result or a clean CarinewsError, in bounded time and memory."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_corpus import make_records, write_jsonl
from carinews.archive import Archive
from conftest import ENGINES_UNDER_TEST
from carinews.cli import cli
from carinews.errors import CarinewsError, QuerySyntaxError

SECONDS = 5.0          # per query, on a loaded CI machine
PEAK_BYTES = 150 * 2**20


@pytest.fixture(scope="module", params=ENGINES_UNDER_TEST)
def index(tmp_path_factory, request):
    folder = tmp_path_factory.mktemp("queries")
    data = write_jsonl(folder / "berita.jsonl", make_records(300, seed=11))
    import carinews

    with Archive.create(folder / "index", engine=request.param) as archive:
        archive.add(carinews.read_articles([str(data)]), batch_size=300)
    return folder / "index"


@pytest.fixture(scope="module")
def archive(index):
    with Archive.open(index) as opened:
        yield opened


def timed_search(archive, query: str, **options):
    started = time.perf_counter()
    try:
        result = archive.search(query, **options)
    except CarinewsError as exc:
        result = exc
    seconds = time.perf_counter() - started
    assert seconds < SECONDS, f"{query[:80]!r} took {seconds:.1f} s"
    return result


QUERY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200) | st.text(
    alphabet='abc *?~"()[]{}:^-+!&|\\/<>=,.\'0123456789 judul:sumber:tanggal:ATAU DAN BUKAN NEAR/',
    max_size=120)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(QUERY_TEXT)
def test_random_queries(archive, query):
    result = timed_search(archive, query)
    if isinstance(result, CarinewsError):
        assert str(result)
    else:
        assert result.total >= 0


@pytest.mark.parametrize("query", [
    "*a*", "*", "**", "*?*?*?*?*", "a*b*c*d*e*", "?" * 50, "*" * 500, "pe*an", "*an",
    "ber* OR me* OR di* OR ke* OR se* OR pe* OR te*", " ".join(f"*{c}*" for c in "aiueo"),
    "judul:*a* sumber:* tanggal:*", '"* * * *"', "~" * 100, "banjir~10", "(" * 500 + "banjir",
    '"' * 301, "NEAR/1000 " * 100,
])
def test_pathological_queries(archive, query):
    tracemalloc.start()
    try:
        timed_search(archive, query)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BYTES, f"{query[:40]!r} peaked at {peak / 2**20:.0f} MB"


@pytest.mark.parametrize("words", [1_000, 20_000])
def test_very_long_queries(archive, words):
    query = " ".join(["banjir", "pemerintah", "jakarta", "kata*", '"warga kota"'] * (words // 5))
    timed_search(archive, query)
    timed_search(archive, "x" * 200_000)


def test_huge_limit(archive, index):
    with pytest.raises(CarinewsError, match="limit"):
        archive.search("arsipuji", limit=10**12)
    result = timed_search(archive, "arsipuji", limit=10_000)
    assert result.total > 0 and len(result.hits) <= 10_000
    cli_result = CliRunner().invoke(cli, ["search", "--index", str(index), "--limit", "999999999999",
                                          "arsipuji"])
    assert cli_result.exit_code == 2
    assert "Traceback" not in cli_result.output
    cli_result = CliRunner().invoke(cli, ["search", "--index", str(index), "--limit", "10000", "--format",
                                          "json", "arsipuji"])
    assert cli_result.exit_code == 0


def test_query_errors_are_one_line(index):
    for query in ('"unclosed', "judul:", "(banjir", "AND", "tanggal:2099-99-99"):
        result = CliRunner().invoke(cli, ["search", "--index", str(index), "--strict", query])
        assert result.exit_code in (0, 2), result.output
        assert "Traceback" not in result.output
        if result.exit_code == 2:
            assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("Error: ")


def test_strict_parse_of_random_text_raises_only_syntax_errors(archive):
    for query in ('"', "(((", ")", "judul:(", "a NEAR/ b", "~~~"):
        try:
            archive.search(query, strict=True)
        except QuerySyntaxError as exc:
            assert exc.position >= 0
        except CarinewsError:
            pass
