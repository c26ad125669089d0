"""segment_writer.BulkWriter against Whoosh's own SegmentWriter.

The same prepared articles written by both must read back identically: every
posting (term, document, weight, positions), every term's statistics (the
ones BM25F and block skipping use), stored fields, field lengths and sortable
columns. Merging segments with deletions must equal writing the survivors
once. Real text: articles cut from the bundled IndoSum sample.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.writing import SegmentWriter

from archive_corpus import make_records
from carinews.ingest.articles import make_article
from carinews.engines.whoosh.prepare import prepare_article, write_share
from carinews.engines.whoosh.segment_writer import BLOCK, BulkWriter, tiered_merge
from carinews.engines.whoosh.storage import create_index

STEMMER = "sastrawi"


@pytest.fixture(scope="module")
def docs():
    articles = {}
    for record in make_records(160, seed=31):
        article = make_article(record)
        articles[article.key] = article          # last version of each URL, as the index keeps
    out = []
    for article in articles.values():
        done = prepare_article(article, article.content_hash(), STEMMER)
        assert done.error is None
        out.append(done.doc)
    return out


def new_index(path: Path):
    path.mkdir()
    return create_index(path, "carinews", STEMMER)


def write(ix, docs, writer_class):
    writer = SegmentWriter(ix) if writer_class is SegmentWriter else writer_class(ix)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return ix


def term_stats(reader, fieldname, btext):
    info = reader.term_info(fieldname, btext)
    return (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
            info.max_weight(), info.min_id(), info.max_id())


def contents(ix) -> dict:
    """Everything a search reads from an index, in comparable form."""
    with ix.reader() as reader:
        postings = sorted(reader.iter_postings())
        terms = sorted({(f, t) for f, t, *_ in postings})
        return {
            "postings": postings,
            "terms": [(f, t, term_stats(reader, f, t)) for f, t in terms],
            "stored": [reader.stored_fields(n) for n in reader.all_doc_ids()],
            "lengths": [(n, f, reader.doc_field_length(n, f))
                        for n in reader.all_doc_ids() for f in ("title", "body", "body_exact", "names")],
            "field_lengths": {f: reader.field_length(f) for f in ("title", "body", "names")},
            "dates": list(reader.column_reader("date")) if reader.has_column("date") else None,
            "doc_count": reader.doc_count(),
        }


def test_same_index_as_whoosh(tmp_path, docs):
    theirs = contents(write(new_index(tmp_path / "whoosh"), docs, SegmentWriter))
    ours = contents(write(new_index(tmp_path / "bulk"), docs, BulkWriter))
    assert len(theirs["postings"]) > 20_000
    for key in theirs:
        assert ours[key] == theirs[key], key


def test_term_tables_hash_with_crc32(tmp_path, docs):
    ix = write(new_index(tmp_path / "bulk"), docs[:5], BulkWriter)
    with ix.reader() as reader:
        table = reader._terms._tindex
        assert (table.hashtype, table.hashfn.__name__) == (1, "crc_hash")
        assert reader.term_info("body", b"arsipuji").doc_frequency() == 5


def test_long_posting_lists_span_blocks(tmp_path, docs):
    """'arsipuji' is in every article: its postings cross BLOCK-sized blocks."""
    many = docs * 2    # > BLOCK documents with the same terms
    assert len(many) > BLOCK
    theirs = contents(write(new_index(tmp_path / "whoosh"), many, SegmentWriter))
    ours = contents(write(new_index(tmp_path / "bulk"), many, BulkWriter))
    assert ours == theirs
    assert [s for f, t, s in ours["terms"] if (f, t) == ("body", b"arsipuji")][0][1] == len(many)


def test_merging_segments_with_deletions_equals_writing_the_survivors(tmp_path, docs):
    ix = new_index(tmp_path / "merged")
    shares = [docs[:40], docs[40:90], docs[90:]]
    segments = []
    for share in shares:
        writer = BulkWriter(ix)
        for doc in share:
            writer.add_document(**doc)
        segments.append(writer.finish_segment())
    BulkWriter(ix).commit_segments(segments, mergetype=lambda w, segs: list(segs))
    gone = {docs[3]["key"], docs[45]["key"], docs[120]["key"]}
    writer = BulkWriter(ix)
    for key in gone:
        writer.delete_by_term("key", key)

    def merge_all(w, segs):
        for seg in segs:
            from whoosh.reading import SegmentReader

            reader = SegmentReader(w.storage, w.schema, seg)
            w.add_reader(reader)
            reader.close()
        return []

    final = writer.commit_segments(mergetype=merge_all)
    assert len(final) == 1
    survivors = [d for d in docs if d["key"] not in gone]
    expected = contents(write(new_index(tmp_path / "once"), survivors, SegmentWriter))
    merged = contents(ix)
    # Merging re-adds lengths from their one-byte approximations (as Whoosh's merge
    # does), so the field totals BM25 averages are close, not equal.
    for field, total in expected.pop("field_lengths").items():
        assert abs(merged["field_lengths"][field] - total) <= 0.03 * total
    del merged["field_lengths"]
    assert merged == expected
    assert sorted(f for f in ix.storage.list() if f.endswith(".seg")) == [final[0].make_filename(".seg")]


def test_a_failing_document_is_not_half_added(tmp_path, docs):
    ix = new_index(tmp_path / "ix")
    writer = BulkWriter(ix)
    writer.add_document(**docs[0])
    with pytest.raises(Exception):
        writer.add_document(**{**docs[1], "date": "not a date"})
    writer.add_document(**docs[2])
    writer.commit()
    expected = contents(write(new_index(tmp_path / "whoosh"), [docs[0], docs[2]], SegmentWriter))
    assert contents(ix) == expected


def test_write_share_rejects_one_article_and_keeps_the_rest(tmp_path, monkeypatch):
    ix = new_index(tmp_path / "ix")
    articles = list({a.key: a for a in map(make_article, make_records(20, seed=4))}.values())[:6]
    tasks = [(a, a.content_hash()) for a in articles]
    real = BulkWriter.add_document

    def add_document(self, **fields):
        if fields["key"] == articles[2].key:
            raise ValueError("bad field")
        return real(self, **fields)

    monkeypatch.setattr(BulkWriter, "add_document", add_document)
    outcomes, segment = write_share(tasks, STEMMER, ix)
    assert [str(o.error) if o.error else None for o in outcomes] == [None, None, "bad field", None, None, None]
    assert outcomes[2].article is articles[2] and outcomes[0].article is None
    assert [o.key for o in outcomes] == [a.key for a in articles]
    assert segment.doc_count() == 5


def test_write_share_stops_on_a_disk_error_and_leaves_no_segment(tmp_path, monkeypatch):
    import errno

    ix = new_index(tmp_path / "ix")
    articles = [make_article(r) for r in make_records(6, seed=4)]
    calls = []

    def add_document(self, **fields):
        calls.append(1)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(BulkWriter, "add_document", add_document)
    with pytest.raises(OSError):
        write_share([(a, a.content_hash()) for a in articles], STEMMER, ix)
    assert len(calls) == 1
    assert not [f for f in ix.storage.list() if f.endswith(".seg")]


def test_tiered_merge_waits_for_a_full_tier(tmp_path, docs):
    ix = new_index(tmp_path / "ix")
    counts = []
    for n in range(9):
        writer = BulkWriter(ix)
        for doc in docs[n * 10:(n + 1) * 10]:
            writer.add_document(**doc)
        segments = writer.commit_segments()
        counts.append(len(segments))
    # tier of 8..63 documents: merged once 8 segments of 10 are committed
    assert counts == [1, 2, 3, 4, 5, 6, 7, 8, 1]
    assert ix.doc_count() == 90
    assert sum(1 for f in ix.storage.list() if f.endswith(".seg")) == 1


def test_tiered_merge_drops_mostly_deleted_segments(tmp_path, docs):
    ix = new_index(tmp_path / "ix")
    writer = BulkWriter(ix)
    for doc in docs[:10]:
        writer.add_document(**doc)
    writer.commit_segments()
    writer = BulkWriter(ix)
    for doc in docs[10:30]:
        writer.add_document(**doc)
    writer.commit_segments()
    writer = BulkWriter(ix)
    for doc in docs[:6]:
        writer.delete_by_term("key", doc["key"])
    final = writer.commit_segments(mergetype=tiered_merge)
    assert [s.doc_count_all() for s in final] == [20, 4]
    assert ix.doc_count() == 24


def test_install_merge_carries_deletions_made_while_merging(tmp_path, docs):
    from carinews.engines.whoosh.segment_writer import keep_all, merge_segments

    ix = new_index(tmp_path / "ix")
    for share in (docs[:30], docs[30:60], docs[60:90]):
        writer = BulkWriter(ix)
        for doc in share:
            writer.add_document(**doc)
        writer.commit_segments(mergetype=keep_all)
    sources = ix._read_toc().segments
    merged = merge_segments(ix, sources)           # as a worker would, from this snapshot
    writer = BulkWriter(ix)                         # meanwhile a batch replaces two articles
    for doc in (docs[5], docs[70]):
        writer.delete_by_term("key", doc["key"])
        writer.add_document(**doc)
    writer.commit_segments(mergetype=keep_all)
    writer = BulkWriter(ix)
    writer.install_merge(sources, merged)
    final = writer.commit_segments(mergetype=keep_all)
    assert [s.doc_count() for s in final] == [2, 88]
    with ix.searcher() as searcher:
        assert sorted(searcher.document(key=d["key"])["id"] for d in docs[:90]) == sorted(d["id"] for d in docs[:90])
        assert searcher.doc_count() == 90
    assert sorted(f for f in ix.storage.list() if f.endswith(".seg")) == sorted(
        s.make_filename(".seg") for s in final)


def test_archive_merges_on_workers_while_batches_replace_articles(tmp_path):
    from archive_corpus import check_index, expected_state, stored_state, write_jsonl

    import carinews
    from carinews.archive import Archive

    data = write_jsonl(tmp_path / "berita.jsonl", make_records(900, seed=12))
    index = tmp_path / "index"
    with Archive.create(index) as archive:
        report = archive.add(carinews.read_articles([str(data)]), batch_size=100, workers=2)
        assert stored_state(archive) == expected_state(data)
        segments = archive._index._read_toc().segments
    assert report.replaced > 0 and report.committed_batches == 9
    assert len(segments) < 18          # 18 segments written, merged along the way
    assert check_index(index) == len(expected_state(data))
