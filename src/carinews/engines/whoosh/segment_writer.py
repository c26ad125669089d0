"""Write Whoosh segments in bulk: the index format stays Whoosh's, the writing is ours.

Why not Whoosh's own `SegmentWriter`: measured on 2,000 prepared articles it
spends ~12 microseconds per posting (847k postings, 18 s under the profiler):
every posting is a tuple pushed through an external sorting pool, then through
`FieldWriter.add_postings`, which reads each document's field length back from
the column it has just written, then through `add_posting`, which appends to
arrays one value at a time. Whoosh-reloaded has no bulk path, and no other
maintained library writes Whoosh's format, so this module keeps the postings
in memory grouped by term and writes each term's blocks in one go, in Whoosh's
W3 format: the same term table, block statistics, lengths, stored fields and
columns, read by Whoosh's own reader. Blocks differ only in their bytes (pickle
protocol 4, small blocks uncompressed, a smaller zlib window; see `_TermWriter`);
tests/test_segment_writer.py checks that a segment written here reads back
identically to one written by Whoosh.

Steps:
1. `BulkWriter.add_document` takes a document's fields (text fields usually
   as pre-built `schema.Postings`), writes its stored fields, lengths and
   columns through Whoosh's per-document writer, and files its postings under
   their terms. A document whose fields fail is not half-added.
2. `add_reader` (called by a merge policy) copies a segment's documents the
   way Whoosh does and queues its postings to be streamed at flush, block by
   block, with document numbers remapped past deletions.
3. At flush, every field's terms from the buffer and the queued segments are
   merged in sorted order and each term's postings are written as blocks of
   128 (pickled, zlib-compressed, with the block statistics Whoosh's matchers
   use to skip).
4. `finish_segment()` closes the segment without a TOC (for worker processes);
   `commit_segments()` writes a TOC with extra finished segments and deletes
   only the files of segments merged away, so segments that other processes
   are still writing are never touched.

Merging: `choose_merge` groups segments in size tiers (powers of MERGE_FACTOR
documents) and merges a tier once it holds MERGE_FACTOR segments, so each
posting is rewritten about log8(N / batch) times instead of at every commit.
`merge_segments` runs it in a worker and `BulkWriter.install_merge` puts the
result in place; `tiered_merge` is the same choice as a Whoosh merge policy.

Relies on whoosh-reloaded 2.7.x internals (W3FieldWriter's term table and
postings file, W3PostingsWriter's block layout); pyproject pins `<2.8`.
"""

from __future__ import annotations

import heapq
import math
import struct
import zlib
from array import array
from itertools import accumulate
from operator import sub
from pickle import dumps, loads

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3PerDocWriter, W3TermInfo
from whoosh.filedb.filetables import _hash_functions
from whoosh.filedb.filetables import _lengths as _ROW_LENGTHS
from whoosh.system import pack_int, pack_long, pack_ushort, unpack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

BLOCK = 128            # postings per block, as W3Codec's default blocklimit
COMPRESSION = 1        # zlib level (W3Codec: 3); 3,000 articles: 7% less writing CPU, 1.7% larger
MIN_COMPRESS = 160     # bytes: smaller blocks gain little; stored uncompressed (the header says so)
PICKLE_PROTOCOL = 4
ZLIB_WINDOW_BITS, ZLIB_MEM_LEVEL = 12, 4
MERGE_FACTOR = 8
FLUSH_BYTES = 1 << 20
_TERMINFO = W3TermInfo._struct
_EXTENT = struct.Struct("!qi")       # after the term info: postings offset, length
_FLOAT32 = struct.Struct("f")
_CRC32_HASH = 1      # whoosh.filedb.filetables hash types: 0 MD5, 1 CRC32, 2 CDB


class _LengthRecordingPerDocWriter(W3PerDocWriter):
    """Whoosh's per-document writer that also keeps each field's length bytes in
    memory, so block statistics need not read them back from the column."""

    def __init__(self, codec, storage, segment):
        super().__init__(codec, storage, segment)
        self.length_bytes: dict[str, bytearray] = {}

    def add_field(self, fieldname, fieldobj, value, length):
        super().add_field(fieldname, fieldobj, value, length)
        if length:
            column = self.length_bytes.get(fieldname)
            if column is None:
                column = self.length_bytes[fieldname] = bytearray()
            missing = self._docnum - len(column)
            if missing > 0:
                column.extend(bytes(missing))
            column.append(length_to_byte(length))

    def cancel_doc(self):
        super().cancel_doc()
        for column in self.length_bytes.values():
            del column[self._docnum:]


class BulkWriter(SegmentWriter):
    """A Whoosh SegmentWriter with in-memory term grouping and bulk block writing.

    Takes no Whoosh write lock itself: the caller holds it (archive.py) or is a
    worker writing a segment for a caller that holds it.
    """

    def __init__(self, ix, codec=None):
        # SegmentWriter.__init__ minus the posting pool and the lock.
        self.writelock = None
        self.codec = codec or W3Codec(blocklimit=BLOCK, compression=COMPRESSION)
        self.storage = ix.storage
        self.indexname = ix.indexname
        info = ix._read_toc()
        self.generation = info.generation + 1
        self.schema = info.schema
        self.segments = info.segments
        self.docnum = self.docbase = 0
        self._setup_doc_offsets()
        self.newsegment = self.codec.new_segment(self.storage, self.indexname)
        self.compound = self.newsegment.should_assemble()
        self.is_closed = False
        self._added = False
        self.perdocwriter = _LengthRecordingPerDocWriter(self.codec, self.storage, self.newsegment)
        self.fieldwriter = self.codec.field_writer(self.storage, self.newsegment)
        _hash_terms_with_crc32(self.fieldwriter._tindex)
        self.merge, self.optimize, self.mergetype = True, False, None
        self._searcher = None
        unsupported = [name for name, field in self.schema.items()
                       if field.vector or field.separate_spelling()]
        if unsupported:
            raise NotImplementedError(f"BulkWriter writes no vectors or spelling fields: {unsupported}")
        # field -> term -> [docnum, weight, value, docnum, weight, value, ...]: one flat
        # list a term, extended once a posting (three appends to three lists cost more;
        # 2,000 articles: add_document 0.90-0.96 -> 0.78 s), split by _buffer_terms.
        self._terms: dict[str, dict[bytes, list]] = {}
        self._queued: list[_SegmentPostings] = []
        self.merged_away: list = []

    # -- documents -----------------------------------------------------------

    def add_document(self, **fields):
        self._check_state()
        if self._queued:
            raise RuntimeError("add documents before merging segments into the writer")
        schema, docnum = self.schema, self.docnum
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        rows = []                      # (name, field, postings, length, value)
        for name in names:             # everything that can fail, before anything is written
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            postings, length = (), 0
            if field.indexed:
                postings = field.index(value)
                if not isinstance(postings, (list, tuple)):
                    postings = list(postings)
                if field.scorable:
                    length = sum(p[1] for p in postings)
            rows.append((name, field, postings, length, value))
        pdw = self.perdocwriter
        pdw.start_doc(docnum)
        try:
            for name, field, _postings, length, value in rows:
                pdw.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    pdw.add_column_value(name, field.column_type, field.to_column_value(value))
            pdw.finish_doc()
        except Exception:
            pdw.cancel_doc()
            raise
        terms = self._terms
        for name, _field, postings, _length, _value in rows:
            if not postings:
                continue
            table = terms.get(name)
            if table is None:
                table = terms[name] = {}
            for tbytes, _freq, weight, vbytes in postings:
                entry = table.get(tbytes)
                if entry is None:
                    table[tbytes] = [docnum, weight, vbytes]
                else:
                    entry += (docnum, weight, vbytes)
        self._added = True
        self.docnum += 1

    def add_reader(self, reader):
        """Copy a segment reader's documents; its postings are streamed at flush."""
        self._check_state()
        basedoc = self.docnum
        fieldnames = set(self.schema.names()) | {
            name for name in reader.indexed_field_names() if name in self.schema}
        docmap = self.write_per_doc(fieldnames, reader)
        segment = reader.segment()
        self._queued.append(_SegmentPostings(self.storage, segment, basedoc, docmap))
        self.merged_away.append(segment)
        self._added = True

    # -- flushing ------------------------------------------------------------

    def _flush_segment(self):
        pdw = self.perdocwriter
        pdw.close()
        lengths = pdw.length_bytes
        fw = self.fieldwriter
        sources = [_buffer_terms(self._terms)] + [q.terms() for q in self._queued]
        current = None
        for (fieldname, btext), parts in _merge_terms(sources):
            if fieldname != current:
                if current is not None:
                    writer.flush()
                    fw.finish_field()
                fw.start_field(fieldname, self.schema[fieldname])
                current = fieldname
                writer = _TermWriter(fw, self.schema[fieldname].format, lengths.get(fieldname))
            writer.write(btext, parts)
        if current is not None:
            writer.flush()
            fw.finish_field()
        fw.close()
        for queued in self._queued:
            queued.close()
        self._terms = {}

    def _close_segment(self):
        if not self.perdocwriter.is_closed:
            self.perdocwriter.close()
        if not self.fieldwriter.is_closed:
            self.fieldwriter.close()

    def _finish(self):
        # Not SegmentWriter._finish: it destroys the shared `<index>.tmp` folder,
        # where other writers may be assembling columns right now.
        if self._searcher is not None:
            self._searcher._orig_close()
            self._searcher = None
        if self.writelock:
            self.writelock.release()
        self.is_closed = True

    def finish_segment(self):
        """Close this writer's segment without writing a TOC; None when it is empty."""
        self._check_state()
        try:
            if not self._added:
                self._close_segment()
                _delete_segment_files(self.storage, self.newsegment)
                return None
            return self._finalize_segment()
        finally:
            self._finish()

    def commit_segments(self, extra=(), mergetype=None):
        """Commit a TOC holding the surviving segments, this writer's own and `extra`
        (finished by other writers), after the merge policy; returns the TOC's segments."""
        self._check_state()
        try:
            self.segments = list(self.segments) + list(extra)
            self._setup_doc_offsets()
            final = (mergetype or tiered_merge)(self, self.segments)
            if self._added:
                final.append(self._finalize_segment())
            else:
                self._close_segment()
                _delete_segment_files(self.storage, self.newsegment)
            self._commit_toc(final)
            return final
        finally:
            self._finish()

    def install_merge(self, sources, merged) -> None:
        """Replace `sources` (merged, as they were when the merge began) by `merged`
        in this writer's segment list. Articles deleted from a source since then
        (replaced by later batches) are deleted from `merged` too, by key."""
        from whoosh.reading import SegmentReader

        current = {s.segid: s for s in self.segments}
        if not all(s.segid in current for s in sources):
            raise RuntimeError("a merged segment is no longer in the index")
        if merged is not None:
            gone = []
            for old in sources:
                now = current[old.segid]
                fresh = set(now.deleted_docs()) - set(old.deleted_docs())
                if fresh:
                    reader = SegmentReader(self.storage, self.schema, now)
                    try:
                        gone += [reader.stored_fields(n)["key"] for n in sorted(fresh)]
                    finally:
                        reader.close()
            if gone:
                reader = SegmentReader(self.storage, self.schema, merged)
                try:
                    for key in gone:
                        if ("key", key) in reader:
                            for docnum in reader.postings("key", key).all_ids():
                                merged.delete_document(docnum)
                finally:
                    reader.close()
        ids = {s.segid for s in sources}
        self.merged_away += [current[i] for i in ids]
        self.segments = [s for s in self.segments if s.segid not in ids]
        if merged is not None:
            self.segments.append(merged)
        self._setup_doc_offsets()

    def commit(self, mergetype=None, optimize=None, merge=None):
        self.commit_segments(mergetype=mergetype)

    def cancel(self):
        self._check_state()
        self._close_segment()
        _delete_segment_files(self.storage, self.newsegment)
        self._finish()

    def discard(self) -> None:
        """Cancel after a failure, best effort: what is left is removed by the next writer."""
        if not self.is_closed:
            try:
                self.cancel()
            except Exception:  # noqa: BLE001 - the failure being handled matters, not this one
                pass

    def _commit_toc(self, segments):
        from whoosh.index import TOC

        TOC(self.schema, segments, self.generation).write(self.storage, self.indexname)
        # Whoosh's clean_files would delete every segment not in this TOC,
        # including segments workers are still writing: delete only what was
        # merged away, and older TOCs.
        for segment in self.merged_away:
            _delete_segment_files(self.storage, segment)
        prefix = f"_{self.indexname}_"
        for name in self.storage.list():
            if name.startswith(prefix) and name.endswith(".toc"):
                generation = name[len(prefix):-4]
                if generation.isdigit() and int(generation) < self.generation:
                    _try_delete(self.storage, name)


def choose_merge(segments) -> list:
    """The segments the tiered policy merges now: the smallest size tier once it
    holds MERGE_FACTOR segments (with the tiers above it it fills), plus any
    segment with more than half its documents deleted; [] when none."""
    def tier(segment):
        return int(math.log(max(segment.doc_count(), 1), MERGE_FACTOR))

    by_tier: dict[int, list] = {}
    for segment in segments:
        by_tier.setdefault(tier(segment), []).append(segment)
    chosen: list = []
    for level in sorted(by_tier):
        group = by_tier[level] + chosen
        if len(group) >= MERGE_FACTOR:
            chosen = group
        elif chosen:
            break
    chosen += [s for s in segments if s not in chosen
               and s.doc_count_all() and s.deleted_count() * 2 > s.doc_count_all()]
    return chosen


def tiered_merge(writer, segments):
    """Whoosh merge policy: merge `choose_merge(segments)` into the writer's segment."""
    chosen = choose_merge(segments)
    _merge_into(writer, chosen)
    return [s for s in segments if s not in chosen]


def keep_all(writer, segments):
    """Whoosh merge policy that merges nothing (merges run elsewhere)."""
    return list(segments)


def merge_segments(index, segments):
    """Merge `segments` of `index` into one new segment (no TOC); None if all deleted.

    Runs in a worker while the parent keeps committing batches; the parent
    installs the result with `BulkWriter.install_merge`.
    """
    writer = BulkWriter(index)
    try:
        _merge_into(writer, segments)
        return writer.finish_segment()
    except BaseException:
        writer.discard()
        raise


def _merge_into(writer, segments) -> None:
    from whoosh.reading import SegmentReader

    for segment in segments:
        if segment.doc_count():
            reader = SegmentReader(writer.storage, writer.schema, segment)
            try:
                writer.add_reader(reader)
            finally:
                reader.close()
        else:
            writer.merged_away.append(segment)


def _hash_terms_with_crc32(tindex) -> None:
    """Make a new term table hash its keys with CRC32 instead of MD5.

    Whoosh's `OrderedHashWriter` always picks MD5 (hash type 0: md5, hexdigest, int(),
    ~1 us a term) though its format has CRC32 (type 1); the type is a byte of the table's
    header and `HashReader` hashes with whatever the header says. So the byte is rewritten
    right after the header (nothing else is written yet): every term written here, and
    every lookup in these segments, hashes 3-5x faster.
    """
    dbfile = tindex.dbfile
    end = dbfile.tell()
    dbfile.seek(tindex.startoffset + len(b"HSH3"))
    dbfile.write_byte(_CRC32_HASH)
    dbfile.seek(end)
    tindex.hashtype, tindex.hashfn = _CRC32_HASH, _hash_functions[_CRC32_HASH]


# -- postings --------------------------------------------------------------------

def _buffer_terms(terms: dict):
    """The buffer's postings as ((field, term), (ids, weights, values)) in sorted order."""
    for fieldname in sorted(terms):
        table = terms[fieldname]
        for btext in sorted(table):
            flat = table[btext]
            yield (fieldname, btext), (flat[0::3], flat[1::3], flat[2::3])


def _merge_terms(sources):
    """Merge sorted ((field, term), postings) streams; yields each key with its
    postings from every source that has it, in source order (= document order)."""
    if len(sources) == 1:       # a new segment's own buffer: nothing to merge
        return ((key, [postings]) for key, postings in sources[0])
    return _merged_terms(sources)


def _merged_terms(sources):
    streams = [((key, n, postings) for key, postings in source) for n, source in enumerate(sources)]
    current, parts = None, []
    for key, _n, postings in heapq.merge(*streams, key=lambda item: (item[0], item[1])):
        if key != current:
            if parts:
                yield current, parts
            current, parts = key, []
        parts.append(postings)
    if parts:
        yield current, parts


class _TermWriter:
    """Writes one field's terms as W3FieldWriter + W3PostingsWriter would.

    Both files are written through in-memory buffers, positions counted rather
    than asked of the file, and the term table's rows appended the way
    `OrderedHashWriter.add` does (same hash, same buckets, same order index).
    """

    def __init__(self, fieldwriter, fmt, lengths: bytearray | None):
        self.postfile = fieldwriter._postfile
        self.tindex = fieldwriter._tindex
        self.fieldid = pack_ushort(fieldwriter._fieldid)
        self.fixed = fmt.fixed_value_size()
        self.lengths = lengths
        self.posts, self.post_base = bytearray(), self.postfile.tell()
        self.rows, self.row_base = bytearray(), self.tindex.dbfile.tell()

    def write(self, btext: bytes, parts) -> None:
        if len(parts) == 1:
            ids, weights, values = parts[0]
        else:
            ids, weights, values = [], [], []
            for pids, pweights, pvalues in parts:
                ids += pids
                weights += pweights
                values += pvalues
        start = self.post_base + len(self.posts)
        self.posts += WHOOSH3_HEADER_MAGIC
        total = len(ids)
        if total == 1:      # most terms: one article in the segment
            weight, low, high, maxweight = self._single(ids[0], weights[0], values[0])
        elif total <= BLOCK:
            weight, low, high, maxweight = self._block(ids, weights, values, True)
        else:
            weight, low, high, maxweight = 0.0, 0, 0, 0
            for begin in range(0, total, BLOCK):
                end = min(begin + BLOCK, total)
                w, lo, hi, mw = self._block(ids[begin:end], weights[begin:end], values[begin:end],
                                            end == total)
                weight += w
                if lo and (not low or lo < low):
                    low = lo
                high, maxweight = max(high, hi), max(maxweight, mw)
        extent = self.post_base + len(self.posts) - start
        info = _TERMINFO.pack(0, weight, total, low, high, maxweight, ids[0], ids[-1])
        self._row(self.fieldid + btext, info + pack_long(start) + pack_int(extent))
        if len(self.posts) > FLUSH_BYTES:
            self.flush()

    def _single(self, docnum: int, weight: float, value: bytes):
        """`_block` for a one-posting term, without the per-block generality."""
        lengths = self.lengths
        low = lengths[docnum] if lengths is not None and docnum < len(lengths) else 0
        rounded = _FLOAT32.unpack(_FLOAT32.pack(weight))[0]
        maxweight = weight if weight > 0 else 0
        self._append((docnum,), None if rounded == 1.0 else rounded, self._mini_values([value]),
                     docnum, maxweight, low, low, True)
        return rounded, low, low, maxweight

    def _block(self, ids, weights, values, last: bool):
        """Append one block; returns its (weight sum, min/max length byte, max weight)."""
        floats = array("f", weights)
        if self.lengths is None:
            low = high = 0
        else:
            lengths, size = self.lengths, len(self.lengths)
            if ids[-1] < size:      # ids ascend: every document has its length byte
                found = list(map(lengths.__getitem__, ids))
                if 0 in found:
                    found = [n for n in found if n]
            else:
                found = [lengths[i] for i in ids if i < size and lengths[i]]
            low, high = (min(found), max(found)) if found else (0, 0)
        maxweight = max(max(weights), 0)
        first = floats[0]
        if first == 1.0 and floats.count(1.0) == len(floats):
            mini_weights = None
        elif floats.count(first) == len(floats):
            mini_weights = first
        else:
            mini_weights = tuple(floats)
        deltas = (ids[0], *map(sub, ids[1:], ids))
        self._append(deltas, mini_weights, self._mini_values(values), ids[-1], maxweight, low, high,
                     last)
        return sum(floats), low, high, maxweight

    def _mini_values(self, values):
        """The block's values as W3PostingsWriter minifies them (empty values dropped)."""
        if self.fixed is None or self.fixed < 0:
            return tuple(filter(None, values))
        if self.fixed == 0:
            return None
        return b"".join(filter(None, values))

    def _append(self, deltas, mini_weights, mini_values, lastid, maxweight, low, high, last) -> None:
        """Write one block: its length (negative for a term's last), header, then data."""
        # Pickle protocol 4 rather than Whoosh's 2 (which encodes bytes through
        # `_codecs.encode`): 4x faster and half the size; Whoosh's reader
        # unpickles any protocol.
        data = dumps((deltas, mini_weights, mini_values), PICKLE_PROTOCOL)
        comp = COMPRESSION if len(data) >= MIN_COMPRESS else 0
        if comp:
            data = _compress(data)
        header = dumps((len(deltas), lastid, maxweight, comp, low, high), PICKLE_PROTOCOL)
        size = len(header) + len(data)
        posts = self.posts
        posts += pack_int(-size if last else size)
        posts += header
        posts += data

    def _row(self, key: bytes, value: bytes) -> None:
        tindex = self.tindex
        if key <= tindex.lastkey:
            raise ValueError(f"terms out of order: {tindex.lastkey!r}..{key!r}")
        position = self.row_base + len(self.rows)
        tindex.index.append(position)
        self.rows += _ROW_LENGTHS.pack(len(key), len(value))
        self.rows += key
        self.rows += value
        code = tindex.hashfn(key)
        tindex.buckets[code & 255].append((code, position))
        tindex.lastkey = key

    def flush(self) -> None:
        self.postfile.write(bytes(self.posts))
        self.post_base += len(self.posts)
        self.posts = bytearray()
        self.tindex.dbfile.write(bytes(self.rows))
        self.row_base += len(self.rows)
        self.rows = bytearray()


def _compress(data: bytes) -> bytes:
    """zlib with a 4 KB window: a block is at most a few KB, and zlib.compress's
    default 32 KB window + 256 KB state cost ~30 us to set up per block (2.8 us
    here, same output size on real blocks). zlib.decompress reads any window."""
    packer = zlib.compressobj(COMPRESSION, zlib.DEFLATED, ZLIB_WINDOW_BITS, ZLIB_MEM_LEVEL)
    return packer.compress(data) + packer.flush()


class _SegmentPostings:
    """A segment's postings read block by block, ids remapped into the merged segment."""

    def __init__(self, storage, segment, basedoc: int, docmap: dict | None):
        self.storage, self.segment, self.basedoc, self.docmap = storage, segment, basedoc, docmap
        self._terms = self._compound = None

    def terms(self):
        codec = self.segment.codec()
        files = self.storage
        if self.segment.is_compound():
            files = self._compound = self.segment.open_compound_file(self.storage)
        self._terms = codec.terms_reader(files, self.segment)
        postfile = self._terms._postfile
        names = self._terms._fieldunmap
        skip = _TERMINFO.size
        read = self._read
        # Raw rows of the term table (ordered by field number, then term): the
        # postings extent is all a merge needs from each term's info.
        for keybytes, valbytes in self._terms._tindex.items():
            offset = _EXTENT.unpack_from(valbytes, skip)[0]
            postings = read(postfile, offset)
            if postings[0]:
                yield (names[unpack_ushort(keybytes[:2])[0]], keybytes[2:]), postings

    def _read(self, postfile, offset: int):
        postfile.seek(offset)
        if postfile.read(4) != WHOOSH3_HEADER_MAGIC:
            raise ValueError(f"segment {self.segment.segment_id()}: bad postings block at {offset}")
        ids, weights, values = [], [], []
        while True:
            position = postfile.tell()
            length = postfile.read_int()
            last = length < 0
            length = abs(length)
            count, _maxid, _maxweight, comp, _low, _high = postfile.read_pickle()
            data = postfile.read(position + 4 + length - postfile.tell())
            block_ids, block_weights, block_values = loads(zlib.decompress(data) if comp else data)
            block_ids = list(accumulate(block_ids))
            if block_weights is None:
                block_weights = [1.0] * count
            elif not isinstance(block_weights, tuple):
                block_weights = [block_weights] * count
            if block_values is None:
                block_values = [b""] * count
            elif isinstance(block_values, bytes):
                size = len(block_values) // count if count else 0
                block_values = [block_values[i:i + size] for i in range(0, len(block_values), size)]
            ids += block_ids
            weights += block_weights
            values += block_values
            if last:
                break
        docmap, base = self.docmap, self.basedoc
        if docmap is None:
            ids = [i + base for i in ids]
        else:
            keep = [n for n, i in enumerate(ids) if i in docmap]
            if len(keep) != len(ids):
                weights = [weights[n] for n in keep]
                values = [values[n] for n in keep]
            ids = [docmap[ids[n]] for n in keep]
        return ids, list(weights), values

    def close(self):
        if self._terms is not None:
            self._terms.close()
            self._terms = None
        if self._compound is not None:
            self._compound.close()
            self._compound = None


def _delete_segment_files(storage, segment) -> None:
    prefix = segment.segment_id() + "."
    for name in storage.list():
        if name.startswith(prefix):
            _try_delete(storage, name)


def _try_delete(storage, name: str) -> None:
    try:
        storage.delete_file(name)
    except OSError:
        pass   # already gone, or held open elsewhere: the next writer's clean-up removes it
