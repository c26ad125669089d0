"""Build ``data/articles.zdict``: the zstd dictionary the tantivy engine compresses stored articles with.

Run as ``python -m carinews.engines.tantivy.build_dictionary [CORPUS]``.

Steps:

1. Read the IndoSum dev set (``../shared/corpus/jsonl/indosum_dev.jsonl``), the only corpus
   whose licence (CC BY-SA 4.0) lets us ship a file derived from it, into Articles with
   their names, as the index stores them.
2. Train a zstd dictionary of DICT_SIZE bytes on their JSON (the field names and the
   common words of Indonesian news), so that each article compressed on its own compresses
   almost as well as a block of many.
3. Write it; a new index copies it into its folder (stored.py), so an index keeps reading
   its articles whatever later versions ship.
"""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import zstandard

DEFAULT_CORPUS = Path(__file__).resolve().parents[5] / "shared/corpus/jsonl/indosum_dev.jsonl"
DICT_SIZE = 64 * 1024


def main(argv: list[str] | None = None) -> int:
    from carinews.engines.prepare import fill_names
    from carinews.engines.tantivy.stored import DICTIONARY
    from carinews.ingest.articles import Article
    from carinews.ingest.sources import read_articles

    args = sys.argv[1:] if argv is None else argv
    corpus = Path(args[0]) if args else DEFAULT_CORPUS
    samples = []
    for article in read_articles([str(corpus)]):
        if isinstance(article, Article):
            fill_names(article)
            samples.append(orjson.dumps(article.to_dict()))
    dictionary = zstandard.train_dictionary(DICT_SIZE, samples)
    DICTIONARY.write_bytes(dictionary.as_bytes())
    print(f"{DICTIONARY}: {len(dictionary.as_bytes()):,} bytes from {len(samples):,} articles of {corpus}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
