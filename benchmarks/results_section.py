"""Replace one `## ` section of benchmarks/RESULTS.md (or append it), leaving the rest alone."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def replace_section(heading: str, lines: list[str], path: Path = RESULTS) -> None:
    text = path.read_text("utf-8") if path.exists() else ""
    section = "\n".join([heading, "", *lines, ""])
    if heading in text:
        start = text.index(heading)
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + section + ("\n" + text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, "utf-8")
