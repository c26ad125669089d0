"""README.md, query-language section: the `--explain` examples are what parse_query prints today."""

from __future__ import annotations

import re
from pathlib import Path

from carinews.query.parse import parse_query

DOC = Path(__file__).resolve().parents[1] / "README.md"


def explain_blocks() -> list[str]:
    return re.findall(r"```explain\n(.*?)\n```", DOC.read_text(encoding="utf-8"), re.S)


def test_doc_has_five_explain_examples():
    assert len(explain_blocks()) >= 5


def test_explain_examples_are_current():
    for block in explain_blocks():
        query = block.splitlines()[0].removeprefix("query: ")
        assert parse_query(query).explain() == block
