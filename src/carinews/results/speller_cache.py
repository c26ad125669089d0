"""The "did you mean" vocabulary kept on disk beside an embedded index, so that a one-shot
`carinews search` does not read the whole term dictionary again for its suggestion.

`load(folder, version)` gives the Speller saved for the index state `version` (the engine's
`version()`), or None when there is none, it is of another state or it cannot be read;
`save(folder, version, speller)` writes one, best effort (a read-only archive folder just
goes without); `forget(folder)` deletes it, which `Archive` does whenever it creates an
index, so a new index whose version string repeats an old one's never meets the old words.

The file (`vocabulary.cache` in the archive folder, safe to delete) is a header line, a
JSON line (the version, the counts), the words joined by newlines in UTF-8 and their
document frequencies as little-endian 32-bit integers, the Speller's qualifying words
first. Loading it is a split and an array read, several times faster than orjson on the
same dict and free of marshal's and pickle's trust in the file; nothing in it is executed.
Cluster indexes (OpenSearch) are never cached: others write to them.
"""

from __future__ import annotations

import os
import sys
import tempfile
from array import array
from contextlib import suppress
from pathlib import Path

import orjson

FILE = "vocabulary.cache"
MAGIC = b"carinews-vocabulary 1\n"
_MAX_DF = 2**32 - 1
_COUNTS = "I"                       # 4-byte unsigned on every platform CPython supports;
_STORABLE = array(_COUNTS).itemsize == 4   # elsewhere the cache is simply not used


def load(folder: Path, version: str):
    """The Speller saved in `folder` for `version`, or None."""
    from carinews.results.suggest import Speller

    if not _STORABLE:
        return None
    try:
        data = (folder / FILE).read_bytes()
    except OSError:
        return None
    try:
        if not data.startswith(MAGIC):
            return None
        end = data.index(b"\n", len(MAGIC))
        head = orjson.loads(data[len(MAGIC):end])
        if head.get("version") != version:
            return None
        n, qualifying, size = head["words"], head["qualifying"], head["bytes"]
        blob = data[end + 1:end + 1 + size]
        words = blob.decode().split("\n") if n else []
        dfs = array(_COUNTS)
        dfs.frombytes(data[end + 1 + size:])
        if sys.byteorder != "little":
            dfs.byteswap()
        if len(words) != n or len(dfs) != n or not 0 <= qualifying <= n:
            return None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, orjson.JSONDecodeError):
        return None
    return Speller(dict(zip(words, dfs)), words=set(words[:qualifying]))


def save(folder: Path, version: str, speller) -> None:
    """Write `speller`'s vocabulary for `version` into `folder`, atomically; nothing when
    the folder cannot be written or a word cannot be stored (a newline, a huge count)."""
    if not _STORABLE:
        return
    qualifying = [w for w in speller.freqs if w in speller.words]
    rest = [w for w in speller.freqs if w not in speller.words]
    words = qualifying + rest
    if any("\n" in w for w in words) or any(df > _MAX_DF or df < 0 for df in speller.freqs.values()):
        return
    blob = "\n".join(words).encode()
    dfs = array(_COUNTS, (speller.freqs[w] for w in words))
    if sys.byteorder != "little":
        dfs.byteswap()
    head = orjson.dumps({"version": version, "words": len(words), "qualifying": len(qualifying),
                         "bytes": len(blob)})
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".vocabulary-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(MAGIC + head + b"\n" + blob)
            out.write(dfs.tobytes())
        os.replace(temporary, folder / FILE)
    except OSError:
        pass
    finally:
        with suppress(FileNotFoundError):
            os.unlink(temporary)


def forget(folder: Path) -> None:
    """Delete the saved vocabulary of `folder` (a new index is being created there)."""
    (folder / FILE).unlink(missing_ok=True)
