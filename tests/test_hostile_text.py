"""Hostile article text: terminal escapes never reach the terminal raw, HTML output
never carries live markup, JSON output stays valid."""

from __future__ import annotations

import re

import orjson
import pytest
from click.testing import CliRunner

from carinews.cli import cli

ESCAPES = ["\x1b[31m", "\x1b]0;pwned\x07", "\x1b[2J", "\x9b31m", "\x90q\x9c", "\r", "\x08\x08\x08", "\x07",
           "\x00"]
PAYLOAD = "".join(ESCAPES) + '<script>alert("x")</script>"><img src=x onerror=alert(1)>'
# C0 controls except tab and newline, DEL and C1 controls: none may be printed raw
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("text")
    records = [
        {"id": "racun" + PAYLOAD, "title": "Banjir " + PAYLOAD + " melanda Jakarta",
         "body": "Banjir besar melanda Jakarta Utara. " + PAYLOAD + " Warga Budi Santoso mengungsi ke "
                 "masjid. " + PAYLOAD + " Pemerintah Provinsi DKI Jakarta menyiapkan pompa air.",
         "url": "javascript:alert(1)//" + PAYLOAD, "source": "jahat.example" + PAYLOAD,
         "author": "Penulis " + PAYLOAD, "section": "Metro" + PAYLOAD, "date": "2021-03-01"},
        {"id": "biasa", "title": "Banjir surut di Jakarta Utara",
         "body": "Banjir di Jakarta Utara mulai surut pada Selasa pagi, kata Budi Santoso.",
         "url": "https://contoh.id/biasa\"onmouseover=\"alert(1)", "source": "contoh.id",
         "date": "2021-03-02"},
    ]
    data = folder / "racun.jsonl"
    data.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    result = CliRunner().invoke(cli, ["index", "--index", str(folder / "index"), str(data)])
    assert result.exit_code == 0, result.output
    return folder / "index"


def invoke(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


COMMANDS = [
    ["search", "banjir"],
    ["search", "--format", "plain", "banjir"],
    ["search", "--format", "terminal", "banjir"],
    ["search", "--facets", "--explain", "banjir"],
    ["search", "--no-collapse", "--fragments", "5", "pompa"],
    ["show", "biasa"],
    ["stats"],
    ["names", "banjir"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_no_raw_control_characters_reach_the_terminal(index, args):
    result = invoke(args[0], "--index", str(index), *args[1:])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    found = RAW_CONTROL.findall(result.stdout) + RAW_CONTROL.findall(result.stderr)
    assert not found, f"raw control characters printed: {found!r}"


def test_show_of_the_hostile_article(index):
    shown = invoke("search", "--index", str(index), "--format", "json", "--no-collapse", "mengungsi")
    article_id = orjson.loads(shown.stdout)["hits"][0]["id"]
    result = invoke("show", "--index", str(index), article_id)
    assert result.exit_code == 0
    assert not RAW_CONTROL.findall(result.output)
    assert "\ufffd" in result.output


def test_hostile_query_text_in_messages(index):
    for query in ("\x1b[31mbanjir", "banjir \x9b2J", "judul:\x1b]0;x\x07", '"\x1b[2J'):
        result = invoke("search", "--index", str(index), query)
        assert result.exit_code in (0, 2)
        assert not RAW_CONTROL.findall(result.stdout + result.stderr), (query, result.output)


def test_html_output_is_escaped(index):
    result = invoke("search", "--index", str(index), "--format", "html", "--no-collapse", "banjir")
    assert result.exit_code == 0
    page = result.stdout
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;" in page
    assert 'href="javascript' not in page.lower()
    for tag in re.findall(r"<(/?[a-z0-9]+)", page):
        assert tag.strip("/") in {"section", "article", "h3", "a", "p", "mark"}, tag
    for href in re.findall(r'href="([^"]*)"', page):
        assert href.startswith(("http://", "https://")) and "<" not in href


def test_json_output_is_valid(index):
    result = invoke("search", "--index", str(index), "--format", "json", "--facets", "banjir")
    assert result.exit_code == 0
    data = orjson.loads(result.stdout)
    assert data["total"] == 2
    assert not re.search("[\x00-\x1f]", result.stdout.rstrip("\n"))     # JSON escapes C0 controls
