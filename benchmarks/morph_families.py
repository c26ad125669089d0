"""Which affix families the Sastrawi stem joins, misses and over-joins, on the shared JSONL.

Steps: count the lower-case words of titles and bodies (capitalised-only words are left
out: they are mostly names); stem each with carinews's Sastrawi stemmer; for the nouns of
the pe(N)-an, per-an and ke-an families, count how many share their stem with a di- or
meN- verb of the corpus (`joined_families`); then list every word for which
query/derivation.py adds another root, by affix family, with token counts and the root's
forms in the corpus (to judge each join by reading).

    .venv/bin/python benchmarks/morph_families.py [--corpus DIR] [--show 40]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from carinews.analysis.stem import make_stemmer
from carinews.query.derivation import derivation_roots

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus"
WORD = re.compile(r"[A-Za-z]+")
PREFIX_FAMILY = re.compile(r"^(peny|peng|pem|pen|per|pel|pe|ke|meny|meng|mem|men|me|di|ter|ber|be)")


def count_words(files: list[Path]) -> tuple[Counter, Counter]:
    lower, upper = Counter(), Counter()
    for f in files:
        for line in f.open(encoding="utf-8"):
            if not line.strip():
                continue
            art = json.loads(line)
            for word in WORD.findall(f"{art.get('title') or ''} {art.get('body') or ''}"):
                (upper if word[0].isupper() else lower)[word.lower()] += 1
    return lower, upper


def family_of(word: str) -> str:
    match = PREFIX_FAMILY.match(word)
    suffix = next((s for s in ("kan", "an", "i") if word.endswith(s)), "")
    return f"{match.group(1) if match else ''}-{suffix}"


NOUN_FAMILIES = (("pe(N)-an", re.compile(r"^(peny|peng|pem|pen|pe[lmnrwy])\w+an$")),
                 ("per-an", re.compile(r"^per\w+an$")), ("ke-an", re.compile(r"^ke\w+an$")))


def joined_families(lower: Counter, stems: dict[str, str], by_stem: dict[str, Counter],
                    minimum: int = 5) -> None:
    """For the nouns of each family seen `minimum` times or more: how many share their stem
    with a di- or meN- verb of the corpus (the stem field joins them), and examples of those
    that do not. A pe- noun matches both pe(N)-an and per-an patterns; per-an takes it."""
    print("| noun family | nouns (>= 5 tokens) | stem shared with a di-/meN- verb | not joined, most frequent |")
    print("|---|---|---|---|")
    for name, pattern in NOUN_FAMILIES:
        nouns = [w for w, n in lower.items() if n >= minimum and pattern.match(w)
                 and (name == "per-an" or not w.startswith("per"))]
        joined, alone = 0, []
        for w in nouns:
            forms = by_stem.get(stems[w], Counter())
            if any(f.startswith(("di", "me")) for f in forms):
                joined += 1
            else:
                alone.append((lower[w], w))
        examples = ", ".join(f"{w} ({stems[w]})" for _, w in sorted(alone, reverse=True)[:8])
        print(f"| {name} | {len(nouns)} | {joined} | {examples} |")
    print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--show", type=int, default=40)
    args = ap.parse_args()
    files = sorted((args.corpus / "jsonl").glob("*.jsonl"))
    lower, upper = count_words(files)
    stem = make_stemmer("sastrawi")
    stems = {w: stem(w) for w in lower}
    by_stem: dict[str, Counter] = {}
    for w, n in lower.items():
        by_stem.setdefault(stems[w], Counter())[w] = n
    print(f"{len(lower)} lower-case word forms, {sum(lower.values())} tokens, {len(by_stem)} stems\n")
    joined_families(lower, stems, by_stem)

    added = []
    for w, n in lower.items():
        roots = derivation_roots(w, stems[w])
        if roots and n >= 2:
            added.append((n, w, stems[w], roots))
    added.sort(reverse=True)
    fams = Counter()
    for n, w, s, roots in added:
        fams[family_of(w)] += n
    print(f"words (seen >= 2 times) that derivation_roots joins to another root: {len(added)}, "
          f"{sum(a[0] for a in added)} tokens")
    print("by affix family (tokens): " + ", ".join(f"{k} {v}" for k, v in fams.most_common()))
    print("\n| word | tokens | Sastrawi stem | added root | forms of the added root in the corpus |")
    print("|---|---|---|---|---|")
    for n, w, s, roots in added[: args.show]:
        forms = ", ".join(f"{f} {c}" for r in roots for f, c in by_stem.get(r, Counter()).most_common(4))
        print(f"| {w} | {n} | {s} | {', '.join(roots)} | {forms} |")


if __name__ == "__main__":
    sys.exit(main())
