"""Re-indexing: records already indexed exactly as read are skipped before cleaning.

`carinews index` passes `Archive.known_record` to `read_articles`, which
recognises a record by the digest of its raw form and yields `Unchanged`
instead of cleaning it. What must hold: the same counts and date summary as
a full read, last-write-wins across versions of one URL in any order and any
batch, and a changed record (or changed cleaning rules) read again.
"""

from __future__ import annotations

import csv

import pytest

import carinews
from archive_corpus import check_index, expected_state, make_records, stored_state, write_jsonl
from carinews.ingest import articles
from carinews.ingest import sources
from carinews.archive import Archive
from carinews.indexing import run_index


@pytest.fixture()
def records():
    return make_records(120, seed=77)


def count_cleaning(monkeypatch) -> list[int]:
    calls = [0]
    real = sources.make_article

    def make_article(*args, **kwargs):
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(sources, "make_article", make_article)
    return calls


def test_unchanged_records_are_not_cleaned_again(tmp_path, records, monkeypatch):
    data = write_jsonl(tmp_path / "berita.jsonl", records)
    index = tmp_path / "index"
    first = run_index(index, [str(data)], batch_size=25)
    calls = count_cleaning(monkeypatch)
    again = run_index(index, [str(data)], batch_size=25)
    last = {}
    for record in records:
        last[articles.make_article(record).key] = record
    superseded = sum(1 for r in records if r != last[articles.make_article(r).key])
    assert superseded > 0
    assert calls[0] == superseded     # only versions the index no longer holds are cleaned
    assert first.added + first.replaced + first.unchanged == len(records)
    # each earlier version is replaced again by the later one (the version the index holds)
    assert (again.added, again.replaced, again.unchanged) == (0, superseded, len(records) - superseded)
    assert again.summary_lines == first.summary_lines      # dates counted from the index
    with Archive.open(index) as archive:
        assert stored_state(archive) == expected_state(data)


def test_a_changed_record_is_cleaned_and_replaced(tmp_path, records, monkeypatch):
    records = list({r["url"]: r for r in reversed(records)}.values())[::-1]   # one record per URL
    data = write_jsonl(tmp_path / "berita.jsonl", records)
    index = tmp_path / "index"
    run_index(index, [str(data)])
    records[7] = {**records[7], "body": records[7]["body"] + " Ralat: judul diperbaiki."}
    write_jsonl(data, records)
    calls = count_cleaning(monkeypatch)
    report = run_index(index, [str(data)])
    assert calls[0] == 1                # only the changed record is cleaned
    assert (report.replaced, report.unchanged) == (1, len(records) - 1)
    with Archive.open(index) as archive:
        assert stored_state(archive) == expected_state(data)


@pytest.mark.parametrize("batch_size", [1, 2, 3, 50])
def test_last_version_wins_when_an_indexed_version_comes_last(tmp_path, records, batch_size):
    """Index version A; then read B, C and A again (A known to the index): A must win,
    whether B is still pending, being written, or committed when A is read."""
    base = records[0]
    a = {**base, "body": base["body"] + " Versi A."}
    b = {**base, "body": base["body"] + " Versi B."}
    c = records[1]
    index = tmp_path / "index"
    run_index(index, [str(write_jsonl(tmp_path / "a.jsonl", [a]))])
    data = write_jsonl(tmp_path / "bca.jsonl", [b, c, a])
    report = run_index(index, [str(data)], batch_size=batch_size)
    with Archive.open(index) as archive:
        assert stored_state(archive) == expected_state(data)
        assert "Versi A." in archive.get(base["id"]).body
    assert check_index(index) == 2
    assert report.added == 1


def test_new_cleaning_rules_read_every_record_again(tmp_path, records, monkeypatch):
    data = write_jsonl(tmp_path / "berita.jsonl", records)
    index = tmp_path / "index"
    first = run_index(index, [str(data)])
    monkeypatch.setattr(articles, "CLEANING_VERSION", "test")
    calls = count_cleaning(monkeypatch)
    again = run_index(index, [str(data)])
    assert calls[0] == len(records)
    # same content: nothing written; the earlier versions of corrected articles are replaced
    # by the later ones again, exact repeats and the articles themselves are unchanged
    assert again.committed_batches == 0
    assert (again.added, again.replaced, again.unchanged) == (0, first.replaced,
                                                              first.added + first.unchanged)


def test_csv_rows_and_pages_are_skipped_too(tmp_path, records, monkeypatch):
    records = list({r["url"]: r for r in reversed(records)}.values())[::-1]   # one record per URL
    table = tmp_path / "berita.csv"
    with open(table, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["id", "url", "title", "date", "body"])
        writer.writeheader()
        for r in records[:20]:
            writer.writerow({k: r[k] for k in ("id", "url", "title", "date", "body")})
    page = tmp_path / "halaman.txt"
    page.write_text(f"{records[30]['title']}\n\n{records[30]['body']}\n", encoding="utf-8")
    index = tmp_path / "index"
    first = run_index(index, [str(table), str(page)])
    calls = count_cleaning(monkeypatch)
    again = run_index(index, [str(table), str(page)])
    assert calls[0] == 0
    assert again.unchanged == first.added + first.replaced + first.unchanged == 21


def test_rebuild_reads_everything(tmp_path, records, monkeypatch):
    data = write_jsonl(tmp_path / "berita.jsonl", records)
    index = tmp_path / "index"
    run_index(index, [str(data)])
    calls = count_cleaning(monkeypatch)
    report = run_index(index, [str(data)], rebuild=True)
    assert calls[0] == len(records)
    # every article is added anew; only repeats inside the file are unchanged or replaced
    assert report.added == len(expected_state(data))
    assert report.added + report.replaced + report.unchanged == len(records)


def test_an_unchanged_reindex_looks_up_no_record_one_by_one(tmp_path, records, monkeypatch):
    """While it holds the write lock the archive answers from the raw digests it read
    once per segment (known_records.py), not with a lookup per record."""
    from whoosh.searching import Searcher

    data = write_jsonl(tmp_path / "a.jsonl", records)
    index = tmp_path / "index"
    run_index(index, [str(data)], batch_size=40)
    lookups = [0]
    real = Searcher.document_number

    def counted(self, **kw):
        lookups[0] += 1
        return real(self, **kw)

    monkeypatch.setattr(Searcher, "document_number", counted)
    report = run_index(index, [str(data)], batch_size=40)
    # 120 records: all unchanged but the 3 earlier versions of corrected articles, which the
    # index does not hold as read (it holds the corrections), are read again and replaced by
    # the corrections later in the file
    assert (report.added, report.replaced, report.rejected, report.unchanged) == (0, 3, 0, 117)
    assert lookups[0] == 3         # only those 3, by content hash (archive._next_batch)
    single = next(r for r in records if sum(x["id"] == r["id"] for x in records) == 1)
    with Archive.open(index) as archive:       # not holding the lock: looked up each time
        assert archive.known_record(articles.raw_digest(single, "json")).key == single["url"]
    assert lookups[0] == 4


def test_digests_read_under_an_earlier_lock_are_not_trusted_later(tmp_path, records):
    """An opened archive takes the lock only while `add` runs; another writer may replace
    articles in between, so each `add` reads the digests afresh."""
    index = tmp_path / "index"
    first = write_jsonl(tmp_path / "a.jsonl", records[:10])
    run_index(index, [str(first)])
    archive = Archive.open(index)
    archive.add(carinews.read_articles([str(first)], known=archive.known_record))
    changed = {**records[0], "body": records[0]["body"] + " Versi baru."}
    run_index(index, [str(write_jsonl(tmp_path / "b.jsonl", [changed]))])   # another writer
    report = archive.add(carinews.read_articles([str(first)], known=archive.known_record))
    assert report.replaced == 1      # records[0] as first read is no longer what the index holds
    assert "Versi baru." not in archive.get(records[0]["id"]).body
    archive.close()


def test_a_changed_extra_field_is_indexed_and_shown(tmp_path, records):
    """Re-indexing a record with only an extra field changed replaces it: by the raw
    digest (the record is no longer known as read) and by the content hash (which
    covers `extra`); `carinews show` then shows the new value."""
    from click.testing import CliRunner

    from carinews.cli import cli

    record = {**records[0], "kanal": "ekonomi"}
    data = write_jsonl(tmp_path / "berita.jsonl", [record])
    index = tmp_path / "index"
    run_index(index, [str(data)])
    write_jsonl(data, [{**record, "kanal": "bisnis"}])
    report = run_index(index, [str(data)])
    assert (report.added, report.replaced, report.unchanged) == (0, 1, 0)
    with Archive.open(index) as archive:
        assert archive.get(record["id"]).extra["kanal"] == "bisnis"
    shown = CliRunner().invoke(cli, ["show", "--index", str(index), record["id"]])
    assert shown.exit_code == 0 and "\nkanal: bisnis\n" in shown.output
    again = run_index(index, [str(data)])
    assert (again.replaced, again.unchanged) == (0, 1)


def test_the_content_hash_skip_sees_extra_fields_too(tmp_path, records, monkeypatch):
    """Without the raw-digest skip (new cleaning rules), the content hash alone must
    tell the changed extra field."""
    record = {**records[0], "kanal": "ekonomi"}
    data = write_jsonl(tmp_path / "berita.jsonl", [record])
    index = tmp_path / "index"
    run_index(index, [str(data)])
    monkeypatch.setattr(articles, "CLEANING_VERSION", "test")
    write_jsonl(data, [{**record, "kanal": "bisnis"}])
    assert run_index(index, [str(data)]).replaced == 1
    with Archive.open(index) as archive:
        assert archive.get(record["id"]).extra["kanal"] == "bisnis"
