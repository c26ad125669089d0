"""Every record read is counted exactly once in the summary.

A property over mixed inputs: an index already holding some articles, then a
JSONL file of good records (new articles, new versions of indexed ones, the
indexed version again, repeats inside the file), malformed lines and records
without a body, indexed in batches of 1 to 5. The four counts must add up to
the records read, each new article must be added once, each bad line
rejected once, and the index must end holding the last version of each
article.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import orjson
from hypothesis import HealthCheck, given, settings, strategies as st

import carinews
from archive_corpus import make_records, stored_state
from carinews.archive import Archive
from carinews.ingest.articles import Unchanged
from carinews.indexing import run_index

BASE = [r for r in make_records(40, seed=3) if "Ralat" not in r["body"]]
KEYS = list({r["url"]: r for r in BASE}.values())[:6]       # six distinct articles


def version(key: int, number: int) -> dict:
    record = dict(KEYS[key])
    if number:
        record["body"] += f" Ralat nomor {number}: berita ini diperbarui."
    return record


BAD = {"malformed": b'{"title": "Banjir", "body": ', "no body": b'{"title": "Tanpa isi"}',
       "not an object": b'["judul", "isi"]'}

line = st.one_of(
    st.tuples(st.just("good"), st.integers(0, len(KEYS) - 1), st.integers(0, 2)),
    st.tuples(st.just("bad"), st.sampled_from(sorted(BAD)), st.just(0)),
)


def write(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return path


def last_versions(paths: list[Path]) -> dict[str, str]:
    state = {}
    for item in carinews.read_articles([str(p) for p in paths]):
        if isinstance(item, carinews.Article):
            state[item.key] = item.content_hash()
    return state


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(indexed=st.dictionaries(st.integers(0, len(KEYS) - 1), st.integers(0, 2), max_size=4),
       lines=st.lists(line, min_size=1, max_size=14), batch_size=st.integers(1, 5))
def test_the_four_counts_add_up_to_the_records_read(indexed, lines, batch_size):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        index = folder / "index"
        base = write(folder / "base.jsonl", [orjson.dumps(version(k, v)) for k, v in indexed.items()])
        if indexed:
            run_index(index, [str(base)])
        data = write(folder / "mixed.jsonl", [orjson.dumps(version(k, v)) if kind == "good" else BAD[k]
                                              for kind, k, v in lines])
        report = run_index(index, [str(data)], batch_size=batch_size)

        assert report.added + report.replaced + report.unchanged + report.rejected == len(lines)
        assert report.rejected == sum(kind == "bad" for kind, _, _ in lines)
        new_keys = {k for kind, k, _ in lines if kind == "good"} - set(indexed)
        assert report.added == len(new_keys)
        expected = last_versions([base, data] if indexed else [data])
        with Archive.open(index) as archive:      # created by the run even if all was bad
            assert stored_state(archive) == expected


def test_a_record_whose_indexed_copy_is_gone_is_counted(tmp_path, articles):
    """An `Unchanged` item (the index held the record as read) for an article that a
    newer version in the same batch replaces, whose stored copy is no longer there:
    it cannot win, so it is rejected with a reason, and still counted."""
    seen = []
    with Archive.create(tmp_path / "index") as archive:
        report = archive.add([articles[0], Unchanged(articles[0].key, dated=True)], batch_size=10,
                             on_error=seen.append)
        assert (report.added, report.replaced, report.unchanged, report.rejected) == (1, 0, 0, 1)
        assert archive.get(articles[0].id).body == articles[0].body
    assert [str(e) for e in seen] == [f"{articles[0].key}: matched an indexed copy that is no longer "
                                      f"in the index; its newer version is kept"]


def test_repeats_inside_one_batch_are_counted_as_across_batches(tmp_path, articles):
    """The same article twice and a corrected version: one added, the exact repeat
    unchanged, the earlier version replaced, whether they share a batch or not."""
    corrected = carinews.Article(**{**articles[1].__dict__, "body": articles[1].body + " Ralat."})
    items = [articles[0], articles[1], articles[0], corrected]
    counts = []
    for batch_size in (1, 10):
        with Archive.create(tmp_path / f"index-{batch_size}") as archive:
            report = archive.add([carinews.Article(**a.__dict__) for a in items], batch_size=batch_size)
            counts.append((report.added, report.replaced, report.unchanged, report.rejected))
            assert archive.get(articles[1].id).body.endswith(" Ralat.")
    assert counts == [(2, 1, 1, 0), (2, 1, 1, 0)]
