"""Evaluate `carinews.analysis.names` against hand-annotated names and detik's entity lists.

Steps: load the gold file (article ids + names, no text), fetch the articles from
the shared corpus, run `extract_names` on title + body, fold with `top_names`, and
report precision/recall; then the same against `meta.entities` of every
detik_summ_2025 article (a weaker, differently-scoped reference); then speed on
the IndoSum bodies.

    .venv/bin/python benchmarks/names_eval.py [--corpus ../shared/corpus/jsonl] [--show]

Matching: "exact" compares whitespace-normalised strings (case-sensitive);
"partial" counts a pair as matching when one is a contiguous word sequence of the
other, ignoring case ("Presiden Prabowo Subianto" ~ "Prabowo Subianto").
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from carinews.analysis.names import extract_names, top_names

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "jsonl"


def read_jsonl(path: Path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def article_text(art: dict) -> str:
    return (art.get("title") or "") + "\n\n" + (art.get("body") or "")


def predict(art: dict) -> list[str]:
    return top_names(extract_names(article_text(art)), None)


def norm(s: str) -> str:
    return " ".join(s.split())


def _words(s: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", s.lower()))


def _contains(big: tuple, small: tuple) -> bool:
    n = len(small)
    return n > 0 and any(big[i:i + n] == small for i in range(len(big) - n + 1))


def partial_match(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    return _contains(wa, wb) or _contains(wb, wa)


def score(pairs: list[tuple[list[str], list[str]]]) -> dict:
    """pairs of (predicted, reference) name lists per article -> micro P/R/F1, exact and partial."""
    tp_e = n_pred = n_ref = 0
    hit_pred_p = hit_ref_p = 0
    for pred, ref in pairs:
        p, r = {norm(x) for x in pred}, {norm(x) for x in ref}
        n_pred += len(p)
        n_ref += len(r)
        tp_e += len(p & r)
        hit_pred_p += sum(1 for x in p if any(partial_match(x, y) for y in r))
        hit_ref_p += sum(1 for y in r if any(partial_match(x, y) for x in p))

    def prf(tp_p, tp_r):
        P = tp_p / n_pred if n_pred else 0.0
        R = tp_r / n_ref if n_ref else 0.0
        return P, R, (2 * P * R / (P + R) if P + R else 0.0)

    return {"articles": len(pairs), "predicted": n_pred, "reference": n_ref,
            "exact": prf(tp_e, tp_e), "partial": prf(hit_pred_p, hit_ref_p)}


def entity_names(meta: dict) -> list[str]:
    """detik `meta.entities` (a JSON string of category -> list) -> names; "X (ABC)" gives X and ABC."""
    raw = meta.get("entities")
    if not raw:
        return []
    data = json.loads(raw) if isinstance(raw, str) else raw
    out = []
    for values in data.values():
        for v in values or []:
            m = re.match(r"^(.*?)\s*\(([^)]+)\)\s*$", v)
            out.extend([m.group(1), m.group(2)] if m else [v])
    return [x for x in (norm(o) for o in out) if x]


def print_row(label: str, s: dict) -> None:
    e, p = s["exact"], s["partial"]
    print(f"| {label} | {s['articles']} | {s['predicted']} | {s['reference']} | "
          f"{e[0]:.3f} | {e[1]:.3f} | {e[2]:.3f} | {p[0]:.3f} | {p[1]:.3f} | {p[2]:.3f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--gold", type=Path, default=HERE / "names_gold.jsonl")
    ap.add_argument("--show", action="store_true", help="print misses and false positives per article")
    args = ap.parse_args()

    gold = {g["id"]: g["names"] for g in read_jsonl(args.gold)}
    arts = {}
    for f in sorted(args.corpus.glob("*.jsonl")):
        for a in read_jsonl(f):
            arts[a["id"]] = a
    missing = [i for i in gold if i not in arts]
    if missing:
        raise SystemExit(f"gold ids not in corpus: {missing}")

    by_source: dict[str, list] = {}
    for gid, names in gold.items():
        pred = predict(arts[gid])
        by_source.setdefault(gid.split(":")[0], []).append((pred, names))
        if args.show:
            p, r = {norm(x) for x in pred}, {norm(x) for x in names}
            print(f"## {gid}\n  missed: {sorted(r - p)}\n  extra:  {sorted(p - r)}")

    print("| reference | articles | predicted | reference names | P exact | R exact | F1 exact "
          "| P partial | R partial | F1 partial |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    allpairs = [pair for pairs in by_source.values() for pair in pairs]
    for src, pairs in sorted(by_source.items()):
        print_row(f"hand gold: {src}", score(pairs))
    print_row("hand gold: all 30", score(allpairs))

    detik = [a for a in read_jsonl(args.corpus / "detik_summ_2025.jsonl")]
    pairs = [(predict(a), entity_names(a.get("meta") or {})) for a in detik]
    pairs = [p for p in pairs if p[1]]
    print_row("detik meta.entities (weak)", score(pairs))

    bodies = [a["body"] for a in read_jsonl(args.corpus / "indosum_dev.jsonl")]
    chars = sum(map(len, bodies))
    for label in ("cold cache", "warm cache"):
        t0 = time.perf_counter()
        for b in bodies:
            extract_names(b)
        dt = time.perf_counter() - t0
        print(f"\nspeed ({label}): {len(bodies)} IndoSum bodies ({chars / len(bodies):.0f} chars avg) "
              f"in {dt:.2f}s = {len(bodies) / dt:,.0f} articles/s")


if __name__ == "__main__":
    main()
