"""HTML extraction quality on ../shared/corpus/raw/html/: carinews against trafilatura alone.

For each page with an `expected/` answer (from the source projects' own tests): is the
title exactly right, is the date right to the day in WIB, and the token F1 of the body
against the expected text (lower-cased word tokens, as multisets). Pages carinews skips
as non-articles are counted with their reasons; trafilatura alone indexes everything.

    PYTHONPATH=src python benchmarks/html_eval.py            # print the table
    PYTHONPATH=src python benchmarks/html_eval.py --write    # also update RESULTS.md
    PYTHONPATH=src python benchmarks/html_eval.py --pages    # one line per page
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

from results_section import replace_section

HERE = Path(__file__).resolve().parent
HTML_DIR = HERE.parent.parent / "shared" / "corpus" / "raw" / "html"
SECTION = "## HTML pages: extraction quality"
_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> Counter:
    return Counter(_TOKEN.findall(text.lower()))


def token_f1(got: str, expected: str) -> float:
    a, b = tokens(got), tokens(expected)
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def expected_of(path: Path) -> dict | None:
    """{title, day (WIB, ISO), body} from the expected file, or None."""
    if not path.exists():
        return None
    data = json.loads(path.read_text("utf-8"))
    if "V1" in data:                     # fundus format (mediaindonesia)
        v1 = data["V1"]
        parts = [p for s in v1["body"]["sections"] for p in s["headline"] + s["paragraphs"]]
        return {"title": v1["title"], "day": v1["publishing_date"][:10], "body": "\n".join(parts)}
    return {"title": data["title"], "day": data["date_iso_wib"][:10], "body": data["content"]}


def wib_day(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.date().isoformat()
    from carinews.ingest.dates import WIB
    return value.astimezone(WIB).date().isoformat()


def run_carinews(data: bytes, label: str) -> dict:
    from carinews.ingest.html_pages import NotAnArticle, make_html_article

    try:
        article = make_html_article(data, origin=label)
    except NotAnArticle as skip:
        return {"skipped": skip.reason}
    except ValueError as error:
        return {"skipped": str(error)}
    return {"title": article.title, "day": wib_day(article.date), "body": article.body,
            "sources": article.field_sources, "date_source": article.date_source}


def run_trafilatura(data: bytes, label: str) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(data, favor_precision=True, include_comments=False,
                                      include_tables=False, with_metadata=True)
    if doc is None:
        return {"skipped": "trafilatura found no text"}
    return {"title": doc.title or "", "day": (doc.date or "")[:10] or None, "body": doc.text or ""}


def evaluate(pages: list[Path]) -> dict:
    rows = {}
    for page in pages:
        outlet = page.stem.rsplit("-", 1)[0]
        expected = expected_of(HTML_DIR / "expected" / (page.stem + ".json"))
        data = page.read_bytes()
        rows[page.stem] = {"outlet": outlet, "expected": expected,
                           "carinews": run_carinews(data, str(page)),
                           "trafilatura": run_trafilatura(data, str(page))}
    return rows


def score(row: dict, system: str) -> dict | None:
    got, expected = row[system], row["expected"]
    if expected is None or "skipped" in got:
        return None
    return {"title": got["title"] == expected["title"], "date": got["day"] == expected["day"],
            "f1": token_f1(got["body"], expected["body"])}


def table(rows: dict) -> list[str]:
    out = ["| outlet | pages | with answers | system | skipped (why) | title exact | date (WIB day) | body F1 median | body F1 min |",
           "|---|---:|---:|---|---|---:|---:|---:|---:|"]
    outlets = defaultdict(list)
    for name, row in rows.items():
        outlets[row["outlet"]].append(name)
    totals = {s: {"scores": [], "skipped": []} for s in ("carinews", "trafilatura")}
    for outlet in sorted(outlets):
        names = outlets[outlet]
        answered = [n for n in names if rows[n]["expected"]]
        for system in ("carinews", "trafilatura"):
            skipped = [f"{n}: {rows[n][system]['skipped']}" for n in names if "skipped" in rows[n][system]]
            scores = [s for n in answered if (s := score(rows[n], system))]
            totals[system]["scores"] += scores
            totals[system]["skipped"] += skipped
            out.append(_row(outlet, len(names), len(answered), system, skipped, scores))
    all_pages = len(rows)
    answered = sum(1 for r in rows.values() if r["expected"])
    for system in ("carinews", "trafilatura"):
        out.append(_row("**all**", all_pages, answered, system, totals[system]["skipped"],
                        totals[system]["scores"], bold=True))
    scores = totals["carinews"]["scores"]
    out += ["", f"Pages with answers that carinews skips count as misses here: carinews title "
                f"{sum(s['title'] for s in scores)}/{answered}, date {sum(s['date'] for s in scores)}/{answered}; "
                f"the skipped ones are photo pages whose text is a caption (the answers hold the caption)."]
    return out


def _row(outlet, pages, answered, system, skipped, scores, bold=False) -> str:
    def pct(key):
        return f"{sum(s[key] for s in scores)}/{len(scores)} ({100 * sum(s[key] for s in scores) / len(scores):.0f}%)" if scores else "-"
    f1s = [s["f1"] for s in scores]
    why = "; ".join(skipped) if skipped and not bold else (str(len(skipped)) if skipped else "0")
    if skipped and not bold:
        why = f"{len(skipped)}: {why}"
    median = f"{statistics.median(f1s):.3f}" if f1s else "-"
    low = f"{min(f1s):.3f}" if f1s else "-"
    return f"| {outlet} | {pages} | {answered} | {system} | {why} | {pct('title')} | {pct('date')} | {median} | {low} |"


def page_lines(rows: dict) -> list[str]:
    out = []
    for name, row in rows.items():
        for system in ("carinews", "trafilatura"):
            got = row[system]
            s = score(row, system)
            if "skipped" in got:
                out.append(f"{name:18} {system:11} SKIPPED {got['skipped']}")
                continue
            exp = row["expected"] or {}
            mark = "" if s is None else f"title={'ok' if s['title'] else 'NO'} date={'ok' if s['date'] else 'NO'} f1={s['f1']:.3f}"
            out.append(f"{name:18} {system:11} {mark} | {got['title']!r} vs {exp.get('title')!r} | "
                       f"{got['day']} vs {exp.get('day')} {got.get('date_source') or ''}")
    return out


def write_section(lines: list[str]) -> None:
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    replace_section(SECTION, [f"`benchmarks/html_eval.py`, {stamp}, on the 31 pages of "
                         "`../shared/corpus/raw/html/` (10 outlets; 28 with expected answers from "
                         "the source projects' tests). Title: exact match. Date: the calendar day in "
                         "WIB. Body F1: lower-cased word tokens as multisets against the expected text. "
                         "*trafilatura* is `bare_extraction(favor_precision=True, include_comments=False, "
                         "include_tables=False, with_metadata=True)` with no carinews rules; skipped pages "
                         "are not scored.", "", *lines])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update the section in RESULTS.md")
    parser.add_argument("--pages", action="store_true", help="one line per page and system")
    args = parser.parse_args()
    if not HTML_DIR.is_dir():
        print(f"no pages at {HTML_DIR}", file=sys.stderr)
        return 1
    rows = evaluate(sorted(HTML_DIR.glob("*.html")))
    if args.pages:
        print("\n".join(page_lines(rows)))
    lines = table(rows)
    print("\n".join(lines))
    if args.write:
        write_section(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
