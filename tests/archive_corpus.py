"""Test articles made from real Indonesian news text, and helpers to check an index.

`make_corpus(n, seed)` cuts the bundled IndoSum sample (CC BY-SA 4.0) into
sentences and deals them into `n` short articles, each with a unique URL and
the marker word MARKER in its body, so that a search for MARKER must find
every committed article. About 5% of records repeat an earlier URL unchanged
and 3% repeat it with a new body (a correction): `expected_state` says what
the index must hold at the end (key -> content hash of the last version).

`check_index(path)` opens an index the way a user would and checks that it
answers consistently: article count, a search for MARKER, unique keys.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import orjson

import carinews

MARKER = "arsipuji"
_BOILERPLATE = re.compile(r"(?i)baca|lihat|simak|editor|foto|video|copyright|\bwib\b|\.com|http")
SOURCES = ["kompas.com", "detik.com", "tempo.co", "antaranews.com", "suara.com"]


def _sentences() -> list[str]:
    out = []
    for path in carinews.sample_paths():
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            body = orjson.loads(line)["body"]
            out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if 40 <= len(s.strip()) <= 240]
    return [s for s in out if not _BOILERPLATE.search(s)]


def make_records(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    sentences = _sentences()
    records: list[dict] = []
    for i in range(n):
        roll = rng.random()
        if records and roll < 0.05:
            records.append(dict(rng.choice(records)))            # same article again
            continue
        if records and roll < 0.08:
            again = dict(rng.choice(records))                      # corrected version
            again["body"] = again["body"] + " Ralat: " + rng.choice(sentences)
            records.append(again)
            continue
        day = 1 + i % 28
        body = " ".join(rng.sample(sentences, 3)) + f" {MARKER} nomor {i}."
        records.append({
            "id": f"uji-{i}",
            "url": f"https://{SOURCES[i % 5]}/berita/2021/03/{day:02d}/uji-{i}",
            "source": SOURCES[i % 5],
            "title": rng.choice(sentences)[:90],
            "date": f"2021-03-{day:02d}T{8 + i % 12:02d}:00:00+07:00",
            "body": body,
        })
    return records


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def expected_state(path: Path) -> dict[str, str]:
    """key -> content hash of the last version of each article in the file."""
    state = {}
    for item in carinews.read_articles([str(path)]):
        assert isinstance(item, carinews.Article), item
        state[item.key] = item.content_hash()
    return state


def stored_state(archive) -> dict[str, str]:
    """key -> content hash, asserting that no key is stored twice."""
    keys = [(d["key"], d["hash"]) for d in archive.searcher().all_stored_fields()]
    state = dict(keys)
    assert len(state) == len(keys), "an article is stored twice"
    return state


def check_index(path: Path) -> int:
    """Open, count, search and check keys; returns the number of articles.

    Another process may commit between two calls, so the search is compared
    with counts taken just before and after it, retried until they agree.
    """
    from carinews.archive import Archive

    with Archive.open(path) as archive:
        for _ in range(100):
            before = len(archive)
            found = archive.search(MARKER, limit=1, collapse=False).total
            stored = len(stored_state(archive))
            if before == len(archive):
                assert found == before == stored, (found, before, stored)
                return before
        raise AssertionError("the index never stood still long enough to check")
