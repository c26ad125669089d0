"""How often syndicated copies collapse, for 20 common queries on the shared corpus.

    carinews index --index /tmp/carinews-shared ../shared/corpus/jsonl
    .venv/bin/python benchmarks/collapse_report.py --index /tmp/carinews-shared [--groups]

For each query: matching articles, hits on the first page (top 10 groups), how
many of those hits stand for more than one article, and how many copies were
folded into them. Prints a markdown table and the totals. `--groups` also
counts the near-duplicate groups of the whole corpus by the same test search
uses (sketch similarity >= duplicates.SIMILAR; candidates share a sketch hash).
"""

from __future__ import annotations

import argparse

from carinews import Archive

QUERIES = [
    "Prabowo", "Jokowi", "korupsi", "banjir", "harga beras", "Sri Mulyani", "pemilu",
    "gempa", "KPK", "narkoba", "kecelakaan", "sekolah", "ijazah", "Persib",
    "timnas Indonesia", "pajak", "BPJS", "inflasi", "polisi tangkap", "Bank Indonesia",
]


def corpus_groups(archive) -> list[list[str]]:
    """Groups (of 2+ article ids) whose bodies are copies, over the whole index."""
    from collections import defaultdict

    from carinews.analysis.sketches import similar

    reader = archive.searcher().reader()
    sketches = {fields["id"]: fields.get("sketch") or [] for _, fields in reader.iter_docs()}
    buckets = defaultdict(list)
    for doc_id, sketch in sketches.items():
        for h in sketch:
            buckets[h].append(doc_id)
    parent = {doc_id: doc_id for doc_id in sketches}

    def root(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    checked = set()
    for ids in buckets.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                if (a, b) not in checked:
                    checked.add((a, b))
                    if similar(sketches[a], sketches[b]):
                        parent[root(a)] = root(b)
    groups = defaultdict(list)
    for doc_id in sketches:
        groups[root(doc_id)].append(doc_id)
    return [g for g in groups.values() if len(g) > 1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--limit", type=int, default=10)
    ap.add_argument("--groups", action="store_true", help="count near-duplicate groups in the index")
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
    if args.groups:
        with Archive.open(args.index) as archive:
            groups = corpus_groups(archive)
        sizes = sorted((len(g) for g in groups), reverse=True)
        print(f"near-duplicate groups in the index: {len(groups)} ({sum(sizes)} articles; "
              f"largest {sizes[:5]})")


if __name__ == "__main__":
    main()
