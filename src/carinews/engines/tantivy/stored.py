"""What the tantivy index stores of an article, compactly, and how it is read back.

Two stored fields per article, both bytes:

- `doc`: the Article as JSON, compressed with zstd and the index's own dictionary
  (`data/articles.zdict`, build_dictionary.py, copied into the index folder when the
  index is created by `install_dictionary`). Compressed one by one with a dictionary,
  articles shrink about 2.9 times; tantivy's own LZ4 blocks manage about 2;
- `meta`: what a search needs of every ranked match without reading the article: the
  date (microseconds since the epoch, UTC), the near-duplicate sketch, the content hash
  and the exact-lead duplicate key (`pack_meta` / `unpack_meta`).

Key, id, raw digest and date state are indexed, not stored: `Stored.fields` derives
them from the article, as the Whoosh engine's stored fields give them.
"""

from __future__ import annotations

import shutil
import struct
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import orjson
import zstandard

DICTIONARY = Path(__file__).resolve().parents[2] / "data" / "articles.zdict"
INDEX_DICTIONARY = "carinews-articles.zdict"
LEVEL = 3
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_UNDATED = -(1 << 63)
_HEAD = struct.Struct("<qBH")       # date, sketch length, hash length


def install_dictionary(folder: Path) -> None:
    """Copy the shipped dictionary into a new index's folder."""
    shutil.copyfile(DICTIONARY, folder / INDEX_DICTIONARY)


@lru_cache(maxsize=8)
def compressor(folder: str) -> zstandard.ZstdCompressor:
    data = zstandard.ZstdCompressionDict((Path(folder) / INDEX_DICTIONARY).read_bytes())
    return zstandard.ZstdCompressor(level=LEVEL, dict_data=data, write_content_size=True)


def pack_doc(folder: str, record: dict) -> bytes:
    return compressor(folder).compress(orjson.dumps(record))


def pack_meta(content_hash: str, date: datetime | None, dup: str, sketch: list[int]) -> bytes:
    hashed = content_hash.encode()
    micros = _UNDATED if date is None else (date - _EPOCH) // timedelta(microseconds=1)
    return (_HEAD.pack(micros, len(sketch), len(hashed)) + struct.pack(f"<{len(sketch)}Q", *sketch)
            + hashed + dup.encode())


@dataclass
class Meta:
    date: datetime | None          # aware UTC
    sketch: list[int]
    hash: str
    dup: str


def unpack_meta(data: bytes) -> Meta:
    micros, count, hashed = _HEAD.unpack_from(data)
    start = _HEAD.size + 8 * count
    sketch = list(struct.unpack_from(f"<{count}Q", data, _HEAD.size))
    date = None if micros == _UNDATED else _EPOCH + timedelta(microseconds=micros)
    return Meta(date, sketch, data[start:start + hashed].decode(), data[start + hashed:].decode())


class Stored:
    """Reads the stored fields of one index (its folder holds the dictionary)."""

    def __init__(self, folder: Path):
        data = zstandard.ZstdCompressionDict((folder / INDEX_DICTIONARY).read_bytes())
        self._decompressor = zstandard.ZstdDecompressor(dict_data=data)

    def doc(self, data: bytes) -> bytes:
        """The stored Article as JSON bytes."""
        return self._decompressor.decompress(data)

    def fields(self, document) -> dict:
        """A stored tantivy document as the Whoosh engine's stored fields: `doc` (JSON
        bytes), `key`, `id`, `hash`, `dup`, `state`, `date` (aware UTC), `sketch`."""
        doc = self.doc(document.get_first("doc"))
        record = orjson.loads(doc)
        meta = unpack_meta(document.get_first("meta"))
        state = "undated" if not record.get("date") else (
            "inferred" if record.get("date_inferred") else "dated")
        return {"doc": doc, "key": record.get("url_key") or "id:" + record["id"], "id": record["id"],
                "hash": meta.hash, "dup": meta.dup, "state": state, "date": meta.date,
                "sketch": meta.sketch}
