"""The tantivy engine's `Engine` object: one named index, a sub-folder of the index folder.

Steps: the lifecycle class methods create, open, find and remove `<folder>/<name>/`
(a tantivy index plus the dictionary its stored articles are compressed with);
`writer` returns the batch writer (writer.py); the read side searches the newest
commit: before each read the index's meta.json is checked (tantivy replaces it
on every commit and merge, in this process or another) and the reader reloaded
when it changed, and `version` names that commit by meta.json's opstamp; `has`,
`lookup_raw` and `document` are term lookups on live articles; `doc_count` and
`field_counts` count live articles.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import orjson
from tantivy import Query

import re

from carinews.engines.base import Engine, IndexRace, Ranked
from carinews.engines.tantivy.documents import ID_PREFIX
from carinews.engines.tantivy.schema import COLUMNS, KEYWORDS, SCHEMA_VERSION, create_index, open_index
from carinews.engines.tantivy.stored import INDEX_DICTIONARY, Stored
from carinews.errors import IndexExistsError, IndexNotFoundError

META = "meta.json"
_NAME = re.compile(r"^tantivy(?:-(\d+))?$")


class TantivyEngine(Engine):
    name = "tantivy"
    SCHEMA_VERSION = SCHEMA_VERSION
    DEFAULT_NAME = "tantivy"

    def __init__(self, folder: Path, index, stemmer: str):
        self.folder, self.index, self.stemmer = folder, index, stemmer
        self.schema = index.schema
        self.stored = Stored(folder)
        index.config_reader("manual")
        self._seen = None
        self._searcher = None
        self._opstamp = None        # meta.json's commit counter when the reader was reloaded

    # -- lifecycle ---------------------------------------------------------------------

    @classmethod
    def create(cls, folder, name: str, stemmer: str) -> "TantivyEngine":
        path = Path(folder) / name
        if cls.exists(folder, name):
            raise IndexExistsError(str(path))
        shutil.rmtree(path, ignore_errors=True)      # what a killed create left
        path.mkdir(parents=True)
        return cls(path, create_index(path), stemmer)

    @classmethod
    def open(cls, folder, name: str, stemmer: str) -> "TantivyEngine":
        path = Path(folder) / name
        if not cls.exists(folder, name):
            if (Path(folder) / name).exists():
                raise IndexNotFoundError(str(folder))
            raise IndexRace(f"{path} was removed")      # a rebuild switched meanwhile: retry
        return cls(path, open_index(path), stemmer)

    @classmethod
    def next_name(cls, folder) -> str:
        numbers = [int(m.group(1) or 0) for m in map(_NAME.match, os.listdir(folder)) if m]
        return f"{cls.DEFAULT_NAME}-{max(numbers, default=0) + 1}"

    @classmethod
    def count(cls, folder, name: str) -> int | None:
        try:
            return cls.open(folder, name, "none").doc_count()
        except Exception:  # noqa: BLE001 - unreadable, or written by another version
            return None

    @classmethod
    def exists(cls, folder, name: str) -> bool:
        return (Path(folder) / name / META).is_file()

    @classmethod
    def remove(cls, folder, name: str) -> None:
        shutil.rmtree(Path(folder) / name, ignore_errors=True)

    @classmethod
    def remove_leftovers(cls, folder, keep: set[str]) -> None:
        """Remove this engine's index folders not in `keep` (a dropped or unfinished
        rebuild); tantivy removes the unfinished segment files of a killed writer itself
        when the next writer commits."""
        for child in Path(folder).iterdir():
            if child.name in keep or not _NAME.match(child.name) or not child.is_dir() \
                    or child.is_symlink():
                continue
            if (child / INDEX_DICTIONARY).exists() or (child / META).exists():
                shutil.rmtree(child, ignore_errors=True)

    # -- writing -------------------------------------------------------------------------

    def writer(self, workers: int | None = None):
        from carinews.engines.tantivy.writer import TantivyBatchWriter

        return TantivyBatchWriter(self, workers)

    def has(self, field: str, value: str) -> bool:
        return self._first(field, value) is not None

    def lookup_raw(self, raw_digest: str, exclusive: bool = False) -> tuple[str, str] | None:
        found = self._first("raw", raw_digest)
        if found is None:
            return None
        fields = self.stored.fields(found)
        return fields["key"], fields["state"]

    # -- reading -------------------------------------------------------------------------

    def search(self, query, **options) -> Ranked:
        from carinews.engines.tantivy.proximity import ProximityCheck
        from carinews.engines.tantivy.search import search_plan

        return search_plan(self.searcher(), self.schema, self.stored, query,
                           verify=ProximityCheck(self.stored, self.stemmer), **options)

    def document(self, field: str, value: str) -> dict | None:
        found = self._first(field, value)
        return self.stored.fields(found) if found is not None else None

    def doc_count(self) -> int:
        return self.searcher().num_docs

    def field_counts(self, field: str) -> dict[str, int]:
        searcher = self.searcher()
        if field in COLUMNS:
            from carinews.engines.tantivy.search import count_values

            return count_values(searcher, Query.all_query(), (field,))[field]
        if field in KEYWORDS:
            return dict(searcher.terms_with_prefix(field, "", filter_query=Query.all_query()))
        return {}

    def vocabulary(self, field: str):
        return iter(self.searcher().terms_with_prefix(field, ""))

    def document_frequencies(self, field: str, terms) -> dict[str, int]:
        searcher = self.searcher()
        return {t: searcher.doc_freq(field, t) for t in terms}

    def searcher(self):
        """A searcher on the newest commit (the reader reloads when meta.json changed)."""
        try:
            stat = os.stat(self.folder / META)
            seen = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            seen = None
        if self._searcher is None or seen != self._seen:
            opstamp = _opstamp(self.folder)     # before the reload: never newer than what it loads
            self.index.reload()
            self._searcher, self._seen, self._opstamp = self.index.searcher(), seen, opstamp
        return self._searcher

    def version(self) -> str:
        """`<index name>:<opstamp>`: tantivy's operation stamp in meta.json grows with every
        commit, and a rebuild's index gets a name never used in the folder before."""
        self.searcher()
        return f"{self.folder.name}:{self._opstamp}"

    def reload(self) -> None:
        self._seen = None

    def close(self) -> None:
        self._searcher = None

    def _first(self, field: str, value: str):
        """The stored document of the first live article whose `field` is `value`."""
        if field == "url":
            field = "url" if value.startswith(ID_PREFIX) else "key"
        searcher = self.searcher()
        hits = searcher.search(Query.term_query(self.schema, field, value, index_option="basic"), 1,
                               count=False).hits
        return searcher.doc(hits[0][1]) if hits else None


def _opstamp(folder: Path) -> int | None:
    """The commit counter in `folder`'s meta.json (None when it cannot be read)."""
    try:
        return orjson.loads((folder / META).read_bytes())["opstamp"]
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
        return None
