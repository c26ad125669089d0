"""The Whoosh engine: an on-disk Whoosh index in the index folder, behind `Engine`.

Steps: lifecycle of a named Whoosh index (`carinews`, `carinews-N` for a rebuild)
through storage.py; a searcher on the newest commit, with carinews's block
skipping (skipping.py), reopened when a commit lands; the read side through
search.py; the write side through writer.py; raw-digest lookups answered from a
table read once per segment while the caller holds the folder's write lock
(known_records.py).

What the guarantees rest on: Whoosh commits by writing the segment files, then
the TOC under a temporary name, renamed atomically to
`_<name>_<generation>.toc`; readers take the highest generation. A process
killed at any moment leaves the previous TOC and all its segments in place.
`storage.SyncedStorage` fsyncs each file before the rename and the folder after
it, so a power cut cannot undo a commit either. A reader that loses a race with
a commit (a file deleted between listing and opening) retries.
"""

from __future__ import annotations

import time
from pathlib import Path

from carinews.engines.base import Engine, IndexRace, Ranked
from carinews.engines.whoosh import skipping, storage
from carinews.engines.whoosh.known_records import KnownRecords
from carinews.engines.whoosh.schema import SCHEMA_VERSION
from carinews.errors import IndexChangingError

OPEN_ATTEMPTS = 40


class WhooshEngine(Engine):
    name = "whoosh"
    SCHEMA_VERSION = SCHEMA_VERSION
    DEFAULT_NAME = storage.INDEX_NAME

    def __init__(self, folder: Path, index, stemmer: str, name: str):
        self.folder, self.index, self.stemmer, self.index_name = Path(folder), index, stemmer, name
        self._searcher = None
        self._known: KnownRecords | None = None
        self._columns = None

    # -- lifecycle -----------------------------------------------------------------------

    @classmethod
    def create(cls, folder, name: str, stemmer: str) -> "WhooshEngine":
        return cls(folder, storage.create_index(Path(folder), name, stemmer), stemmer, name)

    @classmethod
    def open(cls, folder, name: str, stemmer: str) -> "WhooshEngine":
        try:
            return cls(folder, storage.open_index(Path(folder), name), stemmer, name)
        except storage.RACES as exc:
            raise IndexRace(str(exc)) from exc

    @classmethod
    def exists(cls, folder, name: str) -> bool:
        return storage.latest_generation(Path(folder), name) >= 0

    @classmethod
    def remove(cls, folder, name: str) -> None:
        storage.remove_index(Path(folder), name)

    @classmethod
    def remove_leftovers(cls, folder, keep: set[str]) -> None:
        storage.clean_leftovers(Path(folder), keep)

    @classmethod
    def next_name(cls, folder) -> str:
        return storage.next_name(Path(folder))

    @classmethod
    def count(cls, folder, name: str) -> int | None:
        """Articles in the committed state of index `name`, from its table of contents;
        None when it cannot be read (an index being rebuilt may be broken)."""
        try:
            return sum(s.doc_count() for s in storage.open_index(Path(folder), name)._read_toc().segments)
        except Exception:  # noqa: BLE001 - unreadable, or written by another version
            return None

    def refresh(self) -> None:
        self._known = None

    def close(self) -> None:
        if self._searcher is not None:
            try:
                self._searcher.close()
            finally:
                self._searcher = None

    # -- reading -------------------------------------------------------------------------

    def searcher(self):
        """A Whoosh searcher on the newest committed state."""
        for attempt in range(OPEN_ATTEMPTS):
            try:
                return self._fresh_searcher()
            except storage.RACES as exc:
                self.close()
                if not self.exists(self.folder, self.index_name):
                    raise IndexRace(f"{self.index_name} was removed") from exc   # a rebuild switched in
                time.sleep(0.002 * (attempt + 1))
        raise IndexChangingError(str(self.folder), "read")

    def _fresh_searcher(self):
        # Not `Searcher.refresh()`: in Whoosh 2.7.5 it keeps the old reader's
        # segments (merged-away ones too) and their cached deletions, so a
        # refreshed searcher shows deleted and duplicated documents.
        if self._searcher is not None and not self._searcher.up_to_date():
            self.close()
        if self._searcher is None:
            self._searcher = skipping.use_skipping(self.index.searcher())
        return self._searcher

    def search(self, query, **options) -> Ranked:
        from carinews.engines.whoosh.search import search_plan

        return search_plan(self.searcher(), query, **options)

    def document(self, field: str, value: str) -> dict | None:
        return self.searcher().document(**{field: value})

    def doc_count(self) -> int:
        return self.searcher().doc_count()

    def field_counts(self, field: str) -> dict[str, int]:
        reader = self.searcher().reader()
        if field not in reader.indexed_field_names():
            return {}
        return {term.decode(): reader.doc_frequency(field, term) for term in reader.lexicon(field)}

    def vocabulary(self, field: str):
        """Summed per segment: reading the segments one by one is several times faster than
        the MultiReader's merged term walk."""
        reader = self.searcher().reader()
        if field not in reader.indexed_field_names():
            return iter(())
        freqs: dict[str, int] = {}
        for leaf, _ in reader.leaf_readers():
            if field in leaf.indexed_field_names():
                for raw, info in leaf.iter_field(field):
                    term = raw.decode() if isinstance(raw, bytes) else raw
                    freqs[term] = freqs.get(term, 0) + info.doc_frequency()
        return iter(freqs.items())

    def document_frequencies(self, field: str, terms) -> dict[str, int]:
        reader = self.searcher().reader()
        if field not in reader.indexed_field_names():
            return {t: 0 for t in terms}
        return {t: reader.doc_frequency(field, t) for t in terms}

    def version(self) -> str:
        """`<index name>:<TOC generation>` of the newest commit: every commit writes the next
        generation, and a rebuild's index gets a name never used in the folder before."""
        return f"{self.index_name}:{self.searcher().reader().generation()}"

    # -- writing -------------------------------------------------------------------------

    def writer(self, workers: int | None = None):
        from carinews.engines.whoosh.writer import WhooshBatchWriter

        return WhooshBatchWriter(self, workers)

    def has(self, field: str, value: str) -> bool:
        return self.searcher().document_number(**{field: value}) is not None

    def lookup_raw(self, raw_digest: str, exclusive: bool = False) -> tuple[str, str] | None:
        """(key, date state) for a raw digest. `exclusive`: the caller holds the write lock,
        so nobody else writes and the table of raw digests can be read once per segment."""
        if exclusive:
            if self._known is None:
                self._known = KnownRecords()
            return self._known.lookup(self.searcher, raw_digest)
        self._known = None        # others may write while we do not hold the lock
        searcher = self.searcher()
        docnum = searcher.document_number(raw=raw_digest)
        if docnum is None:
            return None
        cached = self._columns
        if cached is None or cached[0] is not searcher:
            reader = searcher.reader()
            cached = self._columns = (searcher, reader.column_reader("key"), reader.column_reader("state"))
        return cached[1][docnum], cached[2][docnum]

    def committed(self, replaced_keys) -> None:
        """Our own commit: the raw-digest table reads the new segments and forgets
        the replaced keys' old digests."""
        if self._known is not None:
            self._known.committed(replaced_keys)
