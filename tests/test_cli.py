"""The CLI end to end through CliRunner: exit codes, exact messages, formats."""

from __future__ import annotations

import orjson
import pytest
from click.testing import CliRunner

from carinews.cli import cli
from conftest import shared_path


@pytest.fixture
def run(tmp_path, monkeypatch, engine_name):
    monkeypatch.setenv("CARINEWS_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("CARINEWS_ENGINE", engine_name)
    monkeypatch.delenv("NO_COLOR", raising=False)
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def jsonl(tmp_path):
    from conftest import ARTICLES

    path = tmp_path / "news.jsonl"
    lines = []
    for a in ARTICLES:
        lines.append(orjson.dumps({"id": a.id, "url": a.url, "source": a.source, "title": a.title,
                                   "date": a.date.isoformat() if a.date else None, "body": a.body}))
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_every_command_has_help(run):
    for name, command in cli.commands.items():
        assert command.help, name
        result = run(name, "--help")
        assert result.exit_code == 0 and "Usage: " in result.output


def test_search_without_index_is_one_line(run, tmp_path):
    result = run("search", "kremlin")
    assert result.exit_code == 1
    assert result.output == f"Error: No index at {tmp_path / 'index'}; run `carinews index` first\n"


def test_index_then_search_json(run, jsonl):
    result = run("index", str(jsonl))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("added 5, replaced 0, unchanged 0, rejected 0 in ")
    again = run("index", str(jsonl))
    assert again.output.startswith("added 0, replaced 0, unchanged 5, rejected 0 in ")

    data = orjson.loads(run("search", "--json", "Kremlin").output)
    assert data["total"] == 1
    hit = data["hits"][0]
    assert hit["id"] == "kremlin"
    assert [hit["snippet"][s:e] for s, e in hit["highlights"]] == ["Kremlin"]
    for query in ("kremlin", "menyerang", "Peskov"):
        ids = [h["id"] for h in orjson.loads(run("search", "--json", query).output)["hits"]]
        assert ids == ["kremlin"], query


def test_plain_output_when_piped(run, jsonl):
    run("index", str(jsonl))
    out = run("search", "kremlin").output
    assert "\x1b" not in out
    assert out.splitlines()[2].startswith("1. Rusia Bantah Minta Bantuan Militer")


def test_bad_query_exits_2_with_column(run, jsonl):
    run("index", str(jsonl))
    result = run("search", '"operasi tangkap')
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and "column 1" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_show_and_stats(run, jsonl):
    run("index", str(jsonl))
    shown = orjson.loads(run("show", "--json", "kremlin").output)
    assert shown["title"].startswith("Rusia Bantah") and shown["date"] == "2022-03-14T20:00:00+07:00"
    stats = orjson.loads(run("stats", "--json").output)
    assert stats["articles"] == 5 and stats["undated"] == 1 and stats["stemmer"] == "sastrawi"
    missing = run("show", "nope")
    assert missing.exit_code == 1 and missing.output.startswith("Error: no article with id 'nope'")


def test_index_without_paths_is_usage_error(run):
    result = run("index")
    assert result.exit_code == 2 and "give at least one PATH" in result.output


def test_seed_page_end_to_end(run):
    seed = shared_path("seed")
    assert run("index", str(seed)).exit_code == 0
    data = orjson.loads(run("search", "--json", "Kremlin").output)
    assert data["total"] == 1
    hit = data["hits"][0]
    assert [hit["snippet"][s:e] for s, e in hit["highlights"]] == ["Kremlin"]
    for query in ("kremlin", "menyerang", "Peskov", 'nama:"Dmitry Peskov"'):
        assert orjson.loads(run("search", "--json", query).output)["total"] == 1, query
