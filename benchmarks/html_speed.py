"""HTML and WARC indexing speed beside JSONL, and peak memory of a large WARC, in one run.

Steps:
1. Build two WARCs (warcio's writer) from the 31 pages of ../shared/corpus/raw/html/,
   repeated with distinct WARC-Target-URIs: SMALL and LARGE responses.
2. Extraction alone: `read_articles` over the LARGE WARC without an index (HTML parsing,
   trafilatura, carinews's rules, make_article); the articles are also written to JSONL.
3. In fresh processes (peak RSS from `getrusage(RUSAGE_CHILDREN)`, index workers
   included): `carinews index` of the LARGE WARC, of the same articles as JSONL, and of
   the SMALL WARC (memory must not grow with the file).

    PYTHONPATH=src python benchmarks/html_speed.py [--small 1000] [--large 3000] [--batch-size N] [--write]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from results_section import replace_section

HERE = Path(__file__).resolve().parent
HTML_DIR = HERE.parent.parent / "shared" / "corpus" / "raw" / "html"
SECTION = "## HTML and WARC: indexing speed and memory"


def write_warc(path: Path, count: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages = [(p.stem, p.read_bytes()) for p in sorted(HTML_DIR.glob("*.html"))]
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for n in range(count):
            stem, payload = pages[n % len(pages)]
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://bench.example.id/{stem}/{n}", "response", payload=io.BytesIO(payload),
                http_headers=headers))


def extract_only(warc: Path, jsonl: Path) -> dict:
    import carinews

    start = time.perf_counter()
    cpu = time.process_time()
    articles = [a for a in carinews.read_articles([warc]) if isinstance(a, carinews.Article)]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    with open(jsonl, "w", encoding="utf-8") as handle:
        for a in articles:
            handle.write(json.dumps({"url": a.url, "title": a.title, "body": a.body, "author": a.author,
                                     "date": a.date.isoformat() if a.date else None,
                                     "source": a.source}, ensure_ascii=False) + "\n")
    return {"articles": len(articles), "seconds": seconds, "cpu_seconds": cpu}


def index_in_child(path: Path, index: Path, batch_size: int) -> dict:
    """`carinews index` in a fresh process; wall time and the peak RSS of it and its workers."""
    code = ("import sys, time, json; from carinews.indexing import run_index; t = time.perf_counter(); "
            "r = run_index(sys.argv[1], [sys.argv[2]], batch_size=int(sys.argv[3])); "
            "print(json.dumps({'added': r.added, 'skipped': r.skipped, 'rejected': r.rejected, "
            "'seconds': time.perf_counter() - t}))")
    wrapper = ("import resource, subprocess, sys, json; "
               "out = subprocess.run([sys.executable, '-c', *sys.argv[1:]], "
               "capture_output=True, text=True, check=True).stdout; "
               "d = json.loads(out.splitlines()[-1]); "
               "d['peak_rss_mb'] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024; "
               "print(json.dumps(d))")
    out = subprocess.run([sys.executable, "-c", wrapper, code, str(index), str(path), str(batch_size)],
                         capture_output=True, text=True, check=True, env=os.environ).stdout
    return json.loads(out.splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=3000)
    parser.add_argument("--batch-size", type=int, default=4000, help="articles per commit")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if not HTML_DIR.is_dir():
        print(f"no pages at {HTML_DIR}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        small, large, jsonl = tmp / "small.warc.gz", tmp / "large.warc.gz", tmp / "large.jsonl"
        write_warc(small, args.small)
        write_warc(large, args.large)
        sizes = {"small_mb": small.stat().st_size / 1e6, "large_mb": large.stat().st_size / 1e6}
        extraction = extract_only(large, jsonl)
        warc_run = index_in_child(large, tmp / "index-warc", args.batch_size)
        jsonl_run = index_in_child(jsonl, tmp / "index-jsonl", args.batch_size)
        small_run = index_in_child(small, tmp / "index-small", args.batch_size)
    lines = report(args, sizes, extraction, warc_run, jsonl_run, small_run)
    print("\n".join(lines))
    if args.write:
        write_section(lines)
    return 0


def report(args, sizes, extraction, warc_run, jsonl_run, small_run) -> list[str]:
    n = warc_run["added"]
    share = extraction["seconds"] / warc_run["seconds"]
    return [
        "| input | records | articles indexed | build s | articles/s | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|",
        f"| WARC ({sizes['large_mb']:.1f} MB gz) | {args.large} | {n} | {warc_run['seconds']:.1f} | "
        f"{n / warc_run['seconds']:.0f} | {warc_run['peak_rss_mb']:.0f} |",
        f"| JSONL of the same articles | {extraction['articles']} | {jsonl_run['added']} | "
        f"{jsonl_run['seconds']:.1f} | {jsonl_run['added'] / jsonl_run['seconds']:.0f} | "
        f"{jsonl_run['peak_rss_mb']:.0f} |",
        f"| WARC ({sizes['small_mb']:.1f} MB gz) | {args.small} | {small_run['added']} | "
        f"{small_run['seconds']:.1f} | {small_run['added'] / small_run['seconds']:.0f} | "
        f"{small_run['peak_rss_mb']:.0f} |",
        "",
        f"Extraction alone (reading the {args.large}-record WARC into Articles, no index): "
        f"{extraction['seconds']:.1f} s ({extraction['cpu_seconds']:.1f} s CPU), "
        f"{extraction['articles'] / extraction['seconds']:.0f} pages/s: {100 * share:.0f}% of the WARC "
        f"build's wall time. Skipped in the WARC builds: {warc_run['skipped']}. Batch size "
        f"{args.batch_size} articles per commit.",
    ]


def write_section(lines: list[str]) -> None:
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    replace_section(SECTION, [f"`benchmarks/html_speed.py`, {stamp}, one run: WARCs built "
                         "from the 31 shared HTML pages repeated with distinct URLs (gzip records), "
                         "indexed by `carinews index` in fresh processes (peak RSS of the process "
                         "and its index workers), beside the same articles as JSONL.", "", *lines])


if __name__ == "__main__":
    sys.exit(main())
