"""Pool candidate articles for dev-set queries, show them for reading, record the grades.

Steps: `pool` runs each query (new ones: those without qrels rows) through several systems and
writes the union of their top results, in order of first appearance, to a TSV (pool.tsv); `show`
prints one query's pooled articles that have no grade yet (title, lead, the query words in
context) for a person to read; `grade` turns one grade per such article (0-3, README.md), in
the order shown, into qrels.tsv rows. A deeper or wider pool later only asks for the new ones.

    .venv/bin/python benchmarks/relevance/pool.py pool  --out benchmarks/relevance/pool.tsv [--depth 20] [--qids q34,q35]
    .venv/bin/python benchmarks/relevance/pool.py show  --pool benchmarks/relevance/pool.tsv q34
    .venv/bin/python benchmarks/relevance/pool.py grade --pool benchmarks/relevance/pool.tsv q34 3201000...

Systems pooled (each to `--depth`):
  carinews       carinews on Whoosh (Archive.search, all words, partial fill of short lists)
  tantivy        carinews on tantivy (the same ranking through run_search)
  partial        the partial-fill hits of carinews (fewer than all the words), first `--depth`
                 among its top 100: articles missing one word rank low but are read too
  any-stemmed    carinews with the query's words joined by OR (stemmed, any word)
  unquoted       carinews with the quotes removed (for phrase queries: articles with both words
                 apart, which a phrase ranking must put below the phrase)
  baseline       Whoosh StandardAnalyzer, BM25F, any word (no stemming)
  baseline-and   the same index, all words (plain word search)
  variants       a scan of title + body for hand-written patterns of the query's other forms
                 (`variants.tsv`: qid, regex), 3 x title matches + body matches, top 30
Indexes come from benchmarks/relevance.py's cache (`--cache`), built there once.
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import relevance  # noqa: E402
from relevance_metrics import read_qrels, read_queries  # noqa: E402

VARIANTS_DEPTH = 30


def read_pool(path: Path) -> dict[str, list[dict]]:
    """TSV qid, doc_id, systems (comma-separated), in pool order; {} when the file is absent."""
    out: dict[str, list[dict]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("qid\t"):
                qid, doc, systems = line.split("\t")
                out.setdefault(qid, []).append({"id": doc, "from": systems.split(",")})
    return out


def write_pool(path: Path, pool: dict[str, list[dict]]) -> None:
    rows = ["qid\tdoc_id\tsystems"]
    rows += [f"{q}\t{p['id']}\t{','.join(p['from'])}" for q, docs in pool.items() for p in docs]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def any_word_query(query: str) -> str:
    """The query's words (a quoted phrase stays one unit) joined by OR."""
    parts = shlex.split(query.replace("'", " "), posix=False)
    return " OR ".join(parts)


def read_variants(path: Path) -> dict[str, str]:
    out = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith(("#", "qid\t")):
                qid, pattern = line.split("\t", 1)
                out[qid] = pattern
    return out


def variant_scan(pattern: str, articles: dict[str, dict], depth: int) -> list[str]:
    rx = re.compile(pattern, re.IGNORECASE)
    scored = []
    for doc_id, art in articles.items():
        t = len(rx.findall(art.get("title") or ""))
        b = len(rx.findall(art.get("body") or ""))
        if t or b:
            scored.append((-(3 * t + b), doc_id))
    return [d for _, d in sorted(scored)[:depth]]


def carinews_runs(index_dir: Path, depth: int):
    """(partial, any-word, unquoted) searches on the carinews Whoosh index."""
    from carinews import Archive

    archive = Archive.open(index_dir)

    def hits(query: str) -> list:
        return archive.search(query, limit=relevance.LIMIT, fragments=0).hits

    def partial(query: str) -> list[str]:
        return [h.id for h in hits(query) if h.partial][:depth]

    def any_stemmed(query: str) -> list[str]:
        return [h.id for h in hits(any_word_query(query))][:depth]

    def unquoted(query: str) -> list[str]:
        return [h.id for h in hits(query.replace('"', ""))][:depth] if '"' in query else []

    return partial, any_stemmed, unquoted


def pool(args) -> None:
    files = sorted((args.corpus / "jsonl").glob("*.jsonl"))
    queries = read_queries(HERE / "queries.tsv")
    judged = read_qrels(HERE / "qrels.tsv")
    qids = args.qids.split(",") if args.qids else [q for q in queries if q not in judged]
    if args.qids == "all":
        qids = list(queries)
    variants = read_variants(HERE / "variants.tsv")
    runs = {}
    for name in ("carinews", "tantivy", "baseline", "baseline-and"):
        runs[name], _ = relevance.open_system(name, files, args.cache, rebuild=False)
    index_dir = args.cache / f"carinews-{relevance.cache_key(files, 'carinews')}"
    runs["partial"], runs["any-stemmed"], runs["unquoted"] = carinews_runs(index_dir, args.depth)
    articles = {a["id"]: a for a in relevance.iter_jsonl(files)}
    out = read_pool(args.out)
    for qid in qids:
        seen: dict[str, list[str]] = {}
        for name, search in runs.items():
            for doc in search(queries[qid])[:args.depth]:
                seen.setdefault(doc, []).append(name)
        if qid in variants:
            for doc in variant_scan(variants[qid], articles, VARIANTS_DEPTH):
                seen.setdefault(doc, []).append("variants")
        out[qid] = [{"id": d, "from": s} for d, s in seen.items()]
        print(f"{qid}\t{queries[qid]}\t{len(seen)} pooled", file=sys.stderr)
    write_pool(args.out, out)


def context(text: str, words: list[str], width: int, count: int) -> list[str]:
    """Up to `count` windows of `text` around words starting with a query word's first 4 letters."""
    if not words:
        return []
    rx = re.compile(r"\b(" + "|".join(re.escape(w[:4]) for w in words) + r")\w*", re.IGNORECASE)
    out, last = [], -10**9
    for m in rx.finditer(text):
        if m.start() - last < width * 2:
            continue
        last = m.start()
        out.append(text[max(0, m.start() - width):m.end() + width].replace("\n", " "))
        if len(out) == count:
            break
    return out


def unjudged(pool_file: Path, qid: str) -> list[dict]:
    """The pooled articles of `qid` that qrels.tsv has no grade for yet, in pool order."""
    judged = read_qrels(HERE / "qrels.tsv").get(qid, {})
    return [p for p in read_pool(pool_file)[qid] if p["id"] not in judged]


def show(args) -> None:
    files = sorted((args.corpus / "jsonl").glob("*.jsonl"))
    queries = read_queries(HERE / "queries.tsv")
    pooled = unjudged(args.pool, args.qid)
    wanted = {p["id"] for p in pooled}
    articles = {a["id"]: a for a in relevance.iter_jsonl(files) if a["id"] in wanted}
    words = [w for w in re.findall(r"\w+", queries[args.qid]) if len(w) > 2 and w.upper() != "OR"]
    print(f"# {args.qid} {queries[args.qid]}  ({len(pooled)} articles)")
    for n, p in enumerate(pooled):
        art = articles[p["id"]]
        body = " ".join((art.get("body") or "").split())
        print(f"\n[{n}] {p['id']} {(art.get('date') or '')[:10]} ({','.join(p['from'])})")
        print(f"T: {art.get('title')}")
        print(f"L: {body[:args.lead]}")
        for c in context(body[args.lead:], words, args.width, args.contexts):
            print(f"K: …{c}…")


def grade(args) -> None:
    pooled = unjudged(args.pool, args.qid)
    grades = args.grades.replace(" ", "")
    if len(grades) != len(pooled) or set(grades) - set("0123"):
        raise SystemExit(f"{args.qid}: {len(pooled)} unjudged pooled articles, {len(grades)} grades given")
    with open(HERE / "qrels.tsv", "a", encoding="utf-8") as fh:
        for p, g in zip(pooled, grades):
            fh.write(f"{args.qid}\t{p['id']}\t{g}\n")
    print(f"{args.qid}: {len(pooled)} rows, {sum(g != '0' for g in grades)} relevant")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=relevance.DEFAULT_CORPUS)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/carinews-relevance-cache"))
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pool")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--depth", type=int, default=20)
    p.add_argument("--qids", default="", help="comma-separated, or `all`; default: queries without qrels")
    s = sub.add_parser("show")
    s.add_argument("--pool", type=Path, required=True)
    s.add_argument("--lead", type=int, default=300)
    s.add_argument("--contexts", type=int, default=3, help="keyword-in-context windows per article")
    s.add_argument("--width", type=int, default=90, help="characters each side of a window's word")
    s.add_argument("qid")
    g = sub.add_parser("grade")
    g.add_argument("--pool", type=Path, required=True)
    g.add_argument("qid")
    g.add_argument("grades", help="one digit 0-3 per pooled article, in pool order")
    args = ap.parse_args()
    {"pool": pool, "show": show, "grade": grade}[args.cmd](args)


if __name__ == "__main__":
    main()
