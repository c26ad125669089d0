"""Benchmark inputs: the shared corpus and the fixed query mix.

Steps: locate ../shared (skip cleanly when absent), read the JSONL articles
(optionally the first BENCH_N), read `queries.txt`, and split a benchmark
query into words, quoted phrases and a date window so every peer engine can
translate the same query into its own syntax.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
SHARED = REPO_ROOT.parent / "shared"
JSONL_DIR = SHARED / "corpus" / "jsonl"
QUERIES_FILE = BENCH_DIR / "queries.txt"


class CorpusMissing(RuntimeError):
    """The shared corpus folder is not beside the checkout."""


def corpus_available() -> bool:
    return JSONL_DIR.is_dir() and any(JSONL_DIR.glob("*.jsonl"))


def bench_n(default: int | None = None) -> int | None:
    """Article count from env BENCH_N ("all"/"0"/unset = every article)."""
    raw = os.environ.get("BENCH_N", "").strip().lower()
    if raw in ("", "all", "0"):
        return default
    return int(raw)


def load_articles(n: int | None = None) -> list[dict]:
    """The corpus articles as dicts {id, url, source, title, date, body, meta}.

    Files are read in name order so the first `n` are always the same ones.
    Raises CorpusMissing when ../shared is absent (callers turn it into a skip).
    """
    if not corpus_available():
        raise CorpusMissing(f"no corpus at {JSONL_DIR}")
    out: list[dict] = []
    for path in sorted(JSONL_DIR.glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    d = json.loads(line)
                    d["title"] = d.get("title") or ""
                    d["body"] = d.get("body") or ""
                    out.append(d)
                    if n is not None and len(out) >= n:
                        return out
    return out


def raw_text_bytes(articles) -> int:
    """UTF-8 size of titles + bodies: the denominator of 'index size / raw text'."""
    return sum(len(a["title"].encode()) + len(a["body"].encode()) + 1 for a in articles)


def article_day(a: dict) -> date | None:
    """The day the site showed (the ISO date's own calendar day), or None."""
    d = a.get("date")
    if not d:
        return None
    try:
        return date.fromisoformat(d[:10])
    except ValueError:
        return None


def load_queries(path: Path = QUERIES_FILE) -> list[str]:
    """The query mix: one query a line; blank lines and `#` comments skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [s.strip() for s in lines if s.strip() and not s.lstrip().startswith("#")]


@dataclass
class BenchQuery:
    """A benchmark query in engine-neutral form."""

    text: str                                            # as written in queries.txt
    words: list[str] = field(default_factory=list)       # bare words
    phrases: list[list[str]] = field(default_factory=list)  # quoted phrases, as word lists
    date_from: date | None = None                        # inclusive
    date_to: date | None = None                          # exclusive

    @property
    def terms(self) -> list[str]:
        """Every word, bare or in a phrase (for highlighting, analysis)."""
        return self.words + [w for p in self.phrases for w in p]


_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_DATE = re.compile(r"^tanggal:(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$", re.I)
_WORD = re.compile(r"\w+", re.UNICODE)


def parse_bench_query(text: str) -> BenchQuery:
    """Split `banjir "Jakarta Utara" tanggal:2025-06` into words, phrases, window."""
    q = BenchQuery(text=text)
    for m in _TOKEN.finditer(text):
        if m.group(1) is not None:
            words = _WORD.findall(m.group(1))
            if len(words) == 1:
                q.words.append(words[0])
            elif words:
                q.phrases.append(words)
            continue
        tok = m.group(2)
        dm = _DATE.match(tok)
        if dm:
            q.date_from, q.date_to = _window(*dm.groups())
            continue
        q.words.extend(_WORD.findall(tok))
    return q


def _window(y: str, m: str | None, d: str | None) -> tuple[date, date]:
    yi = int(y)
    if m is None:
        return date(yi, 1, 1), date(yi + 1, 1, 1)
    mi = int(m)
    if d is None:
        nxt = date(yi + 1, 1, 1) if mi == 12 else date(yi, mi + 1, 1)
        return date(yi, mi, 1), nxt
    start = date(yi, mi, int(d))
    return start, date.fromordinal(start.toordinal() + 1)
