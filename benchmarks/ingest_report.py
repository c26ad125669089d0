"""Ingest figures for issue #3: date agreement, inferred dates, duplicate groups, throughput.

Steps:
1. CSV dates: for every row of ../shared/corpus/raw/csv/*.csv, compare the day
   stored in the Article with the day in the site's own string (date column,
   read independently here with a strict per-format regex); count inferred and
   undated rows;
2. duplicates: group the shared JSONL by `dup_key`, print group counts and a sample;
3. throughput: read_articles over the three JSONL files, articles/s.

Run: .venv/bin/python benchmarks/ingest_report.py
"""

from __future__ import annotations

import collections
import csv
import random
import re
import sys
import time
from pathlib import Path

from carinews.ingest.dates import MONTHS
from carinews.errors import SourceError
from carinews.ingest.sources import read_articles

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
JSONL = [SHARED / "jsonl" / name for name in ("indonews_scrape_2025.jsonl", "detik_summ_2025.jsonl",
                                              "indosum_dev.jsonl")]
_SHOWN_TEXTUAL = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})")
_SHOWN_NUMERIC = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def shown_day(raw: str) -> tuple[int, int, int] | None:
    """The day a site showed, read by a second, independent rule set."""
    m = _SHOWN_NUMERIC.search(raw)
    if m:
        return int(m[3]), int(m[2]), int(m[1])
    m = _SHOWN_TEXTUAL.search(raw)
    if m and m[2].lower() in MONTHS:
        return int(m[3]), MONTHS[m[2].lower()], int(m[1])
    return None


def report_csv_dates() -> None:
    csv.field_size_limit(1 << 28)
    files = sorted((SHARED / "raw" / "csv").glob("*.csv"))
    shown = {}
    for path in files:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            end = 1
            for row in reader:
                start, end = end + 1, reader.line_num
                raw = row.get("date") or row.get("tanggal_publikasi") or ""
                shown[f"{path}:{start}"] = raw
    counts = collections.Counter()
    for item in read_articles(files):
        if isinstance(item, SourceError):
            counts["errors"] += 1
            continue
        counts["articles"] += 1
        raw = shown.get(item.origin)
        if raw is None:
            counts["unmatched"] += 1
            raw = ""
        day = shown_day(raw)
        if item.date_inferred:
            counts["inferred"] += 1
        if item.date is None:
            counts["undated"] += 1
        if day is None:
            continue
        counts["parseable"] += 1
        if item.date and (item.date.year, item.date.month, item.date.day) == day:
            counts["agree"] += 1
        else:
            counts["disagree"] += 1
            print("  DISAGREE", item.origin, repr(raw), item.date)
    print(f"CSV rows read as articles: {counts['articles']}, row errors: {counts['errors']}, "
          f"rows not matched to the raw CSV: {counts['unmatched']}")
    share = 100.0 * counts["agree"] / max(1, counts["parseable"])
    print(f"date agreement: {counts['agree']}/{counts['parseable']} parseable rows = {share:.2f}%")
    print(f"dates inferred: {counts['inferred']}; undated (no date anywhere): {counts['undated']}")


def report_duplicates(sample: int = 10) -> None:
    groups = collections.defaultdict(list)
    for item in read_articles(JSONL):
        if not isinstance(item, SourceError) and item.dup_key:
            groups[item.dup_key].append(item)
    multi = [g for g in groups.values() if len(g) > 1]
    urls = [g for g in multi if len({a.url_key for a in g}) > 1]
    print(f"dup groups: {len(groups)} keys, {len(multi)} with size>1 "
          f"({sum(len(g) for g in multi)} articles), {len(urls)} of them across different URLs")
    print("  sizes:", collections.Counter(len(g) for g in multi).most_common(6))
    random.seed(3)
    for group in random.sample(urls, min(sample, len(urls))):
        print("  --", len(group), "copies")
        for article in group[:3]:
            print(f"     {article.url} | {article.title[:60]} | {article.body[:70]!r} | {len(article.body)}")


def report_throughput() -> None:
    start = time.perf_counter()
    count = sum(1 for item in read_articles(JSONL) if not isinstance(item, SourceError))
    elapsed = time.perf_counter() - start
    print(f"throughput: {count} articles in {elapsed:.2f}s = {count / elapsed:.0f} articles/s")


if __name__ == "__main__":
    if not SHARED.exists():
        sys.exit(f"no shared corpus at {SHARED}")
    report_csv_dates()
    report_duplicates()
    report_throughput()
