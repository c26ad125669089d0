"""Inline boilerplate and glued words on the shared corpus: counts and samples to read.

Inline boilerplate: how many bodies of the shared JSONL files and raw pages carry a
"Baca juga:"-style link inside a line (not at its start) or a copyright tail, before
(the body as given) and after carinews's cleaning (`make_article`), and a seeded sample
of removals to check by reading.

Glued words: how many words `carinews.analysis.glued` splits in the same bodies, in how many
bodies, and a seeded sample of splits to check by reading.

    PYTHONPATH=src python benchmarks/cleaning_report.py [--sample 20] [--glued-sample 30]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "corpus"
INLINE_LINK = re.compile(r"\S[ \t]*(?:Baca|BACA|Simak|SIMAK|Lihat|LIHAT)\s+(?:juga|Juga|JUGA)\s*:")
COPYRIGHT = re.compile(r"(?:Copyright|COPYRIGHT|©)\s*(?:©\s*)?(?:\d{4}|[A-Z])|All\s+[Rr]ights\s+[Rr]eserved")


def records():
    """(label, raw record) of the shared JSONL files and raw pages."""
    for path in sorted((SHARED / "jsonl").glob("*.jsonl")):
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                yield f"{path.name}:{number}", json.loads(line)
    for path in sorted((SHARED / "raw" / "pages").glob("*/*.json")):
        for number, page in enumerate(json.loads(path.read_text("utf-8")), 1):
            yield f"{path.name}:{number}", {"url": page["url"], "title": page["title"],
                                            "body": page["raw_body"], "meta": {"raw_date": page["raw_date"]}}


def has_inline(body: str) -> tuple[bool, bool]:
    lines = body.split("\n")
    return (any(INLINE_LINK.search(line) for line in lines), bool(COPYRIGHT.search(body)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--glued-sample", type=int, default=30)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    from carinews.ingest.articles import make_article
    from carinews.analysis.glued import find_glued
    from carinews.ingest.inline_boilerplate import strip_inline
    from carinews.ingest.pages import split_lines

    before, after, kinds = Counter(), Counter(), Counter()
    removals, splits, split_bodies, bodies, files = [], [], Counter(), Counter(), Counter()
    for label, record in records():
        body = record.get("body") or ""
        name = label.split(":")[0]
        bodies[name] += 1
        link, copyright_ = has_inline(body)
        before["link"] += link
        before["copyright"] += copyright_
        before["either"] += link or copyright_
        for line in split_lines(body):
            for removal in strip_inline(line)[1]:
                kinds[removal.kind] += 1
                removals.append((label, removal.kind, removal.text, line))
        try:
            cleaned = make_article(dict(record)).body
        except ValueError:
            continue
        link, copyright_ = has_inline(cleaned)
        after["link"] += link
        after["copyright"] += copyright_
        after["either"] += link or copyright_
        found = find_glued(cleaned)
        if found:
            split_bodies[name] += 1
            splits.extend((label, word, parts) for word, parts in found)
    total = sum(bodies.values())
    print(f"bodies read: {total} ({', '.join(f'{k} {v}' for k, v in bodies.items())})")
    print(f"inline related link:  before {before['link']}, after {after['link']}")
    print(f"copyright tail/notice: before {before['copyright']}, after {after['copyright']}")
    print(f"either:               before {before['either']}, after {after['either']}")
    print(f"removals by kind: {dict(kinds)}")
    rng = random.Random(args.seed)
    print(f"\n-- {args.sample} removals (seed {args.seed}) --")
    for label, kind, text, line in rng.sample(removals, min(args.sample, len(removals))):
        at = line.find(text)
        context = line[max(0, at - 60):at + len(text) + 60].replace("\n", " ")
        print(f"[{kind}] {label}\n    removed: {text}\n    context: …{context}…")
    words = Counter(word for _, word, _ in splits)
    print(f"\nglued words split: {len(splits)} ({len(words)} distinct) in "
          f"{sum(split_bodies.values())} bodies ({', '.join(f'{k} {v}' for k, v in split_bodies.items())})")
    print(f"most frequent: {', '.join(f'{w} {n}' for w, n in words.most_common(15))}")
    print(f"\n-- {args.glued_sample} splits (seed {args.seed}) --")
    for label, word, parts in rng.sample(splits, min(args.glued_sample, len(splits))):
        print(f"{label}: {word} -> {' | '.join(parts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
