"""How often syndicated copies collapse, for 20 common queries on the shared corpus.

    carinews index --index /tmp/carinews-shared ../shared/corpus/jsonl
    .venv/bin/python benchmarks/collapse_report.py --index /tmp/carinews-shared

For each query: matching articles, hits on the first page (top 10 groups), how
many of those hits stand for more than one article, and how many copies were
folded into them. Prints a markdown table and the totals.
"""

from __future__ import annotations

import argparse

from carinews import Archive

QUERIES = [
    "Prabowo", "Jokowi", "korupsi", "banjir", "harga beras", "Sri Mulyani", "pemilu",
    "gempa", "KPK", "narkoba", "kecelakaan", "sekolah", "ijazah", "Persib",
    "timnas Indonesia", "pajak", "BPJS", "inflasi", "polisi tangkap", "Bank Indonesia",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--limit", type=int, default=10)
    args = ap.parse_args()
    rows, fired, folded = [], 0, 0
    with Archive.open(args.index) as archive:
        for query in QUERIES:
            result = archive.search(query, limit=args.limit, fragments=0)
            groups = [h for h in result.hits if h.duplicates]
            copies = sum(len(h.duplicates) for h in groups)
            fired += bool(groups)
            folded += copies
            rows.append((query, result.total, len(result.hits), len(groups), copies))
    print("| query | matches | hits shown | hits with copies | copies folded |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(str(x) for x in row) + " |")
    print(f"\ncollapsing fired for {fired} of {len(QUERIES)} queries; {folded} copies folded "
          f"into the first {args.limit} hits overall")


if __name__ == "__main__":
    main()
