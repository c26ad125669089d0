"""The README's quick start stays true: its two commands exist and the demo runs."""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner

from carinews.cli import cli
from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
MAKEFILE = (REPO / "Makefile").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def make_target(name: str) -> list[str]:
    body = re.search(rf"^{name}:.*\n((?:\t.*\n)+)", MAKEFILE, re.M).group(1)
    return [line.strip() for line in body.splitlines()]


def test_quick_start_is_exactly_two_make_commands():
    assert quick_start_commands() == ["make demo", "make test"]


def test_ci_runs_the_readme_test_command():
    """.ci/run may install system packages and start the test cluster, then runs `make test`."""
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))]
    assert commands[-1] == "make test"
    assert commands.index("make opensearch") < commands.index("make test")
    assert make_target("test")[-1] == "$(BIN)/pytest -q"


def demo_commands() -> list[list[str]]:
    commands = []
    for line in make_target("demo"):
        if line.startswith("$(BIN)/carinews "):
            args = shlex.split(line.removeprefix("$(BIN)/carinews "))
            commands.append([a for a in args if a != "$(wildcard" and not a.startswith("$(")])
    return commands


def test_demo_runs_as_written(tmp_path, monkeypatch):
    """Every `carinews` line of `make demo`, in order, against a temporary index."""
    monkeypatch.setenv("CARINEWS_INDEX", str(tmp_path / "index"))
    runner = CliRunner()
    commands = demo_commands()
    assert [c[0] for c in commands] == ["index", "stats", "search", "search", "search"]
    outputs = []
    for args in commands:
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
        outputs.append(result.output)
    assert "articles:  292 " in outputs[1]
    for out in outputs[2:]:
        assert re.search(r"^[1-9]\d* articles for ", out, re.M) and "\n1. " in out, out
