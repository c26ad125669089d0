"""The index folder on disk: settings file, the Whoosh indexes in it, durable writes.

Steps: `read_settings` / `write_settings` handle `carinews.json` (schema and
analysis versions, stemmer, `index_name` of the live Whoosh index), replaced
atomically and fsynced, so switching to a rebuilt index is one rename;
`open_index` / `create_index` use `SyncedStorage`, a Whoosh FileStorage that
fsyncs every file it writes and the folder after each rename, so a committed
TOC never points at data still in the page cache; `owner` tells which Whoosh
index (`carinews`, `carinews-N`) a file belongs to, so `clean_leftovers` can
remove what killed writers left (temporary TOCs, posting pools, unreferenced
segments, dropped rebuilds) and `remove_index` an old index after a rebuild.
Only `carinews.archive` uses this module, with the write lock held for changes.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import orjson
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, FileIndex, clean_files

from carinews.errors import CarinewsError, IndexUnreadableError, SchemaMismatchError
from carinews.engines.whoosh.schema import SCHEMA_VERSION, build_schema

SETTINGS_FILE = "carinews.json"
INDEX_NAME = "carinews"

_NAME = r"carinews(?:-\d+)?"
TOC_FILE = re.compile(rf"^_({_NAME})_(\d+)\.toc$")
_OWNED = [re.compile(p) for p in (
    rf"^_({_NAME})_\d+\.toc\..+$",          # a TOC being written (temporary name)
    rf"^({_NAME})_[0-9a-z]+\.[A-Za-z0-9_.]+$",  # segment files
    rf"^({_NAME})_WRITELOCK$",
    rf"^({_NAME})\.tmp$",                   # the writer's posting pool (a folder)
)]
RACES = (FileNotFoundError, EmptyIndexError)   # what a reader meets when a commit removes files


class SyncedStorage(FileStorage):
    """A Whoosh FileStorage that makes each file durable before a TOC rename."""

    def create_file(self, name, excl=False, mode="wb", **kwargs):
        handle = super().create_file(name, excl=excl, mode=mode, **kwargs)
        chained = handle.onclose
        handle.onclose = lambda f: (fsync_file(f), chained and chained(f))
        return handle

    def rename_file(self, oldname, newname, safe=False):
        super().rename_file(oldname, newname, safe=safe)
        fsync_folder(self.folder)


def new_settings(stemmer: str, index_name: str = INDEX_NAME) -> dict:
    """The settings this carinews writes for a new index."""
    from carinews.analysis import ANALYSIS_VERSION

    return {"schema_version": SCHEMA_VERSION, "analysis_version": ANALYSIS_VERSION, "stemmer": stemmer,
            "index_name": index_name}


def check_versions(path: Path, settings: dict) -> None:
    """SchemaMismatchError unless the index was written with this schema and analysis."""
    expected = new_settings(settings.get("stemmer", "sastrawi"))
    for key in ("schema_version", "analysis_version"):
        if settings.get(key) != expected[key]:
            raise SchemaMismatchError(str(path), f"{key} {settings.get(key)}", f"{expected[key]}")


def read_settings(path: Path, *, missing_ok: bool = False, broken_ok: bool = False) -> dict | None:
    try:
        with open(path / SETTINGS_FILE, "rb") as handle:
            settings = orjson.loads(handle.read())
        if not isinstance(settings, dict):
            raise orjson.JSONDecodeError("not an object", "", 0)
        return settings
    except FileNotFoundError:
        if missing_ok:
            return None
        raise SchemaMismatchError(str(path), "no carinews.json", f"schema {SCHEMA_VERSION}") from None
    except (orjson.JSONDecodeError, OSError) as exc:
        if broken_ok:
            return None
        raise IndexUnreadableError(str(path), str(path / SETTINGS_FILE), f"unreadable settings ({exc})") from exc


def write_settings(path: Path, settings: dict) -> None:
    tmp = path / (SETTINGS_FILE + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(orjson.dumps(settings, option=orjson.OPT_INDENT_2))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path / SETTINGS_FILE)
    fsync_folder(path)


def open_index(path: Path, name: str) -> FileIndex:
    try:
        return FileIndex(SyncedStorage(str(path)), indexname=name)
    except RACES:
        raise
    except Exception as exc:  # whoosh raises bare Exceptions for unreadable TOCs
        raise IndexUnreadableError(str(path), f"cannot open index at {path}", str(exc)) from exc


def create_index(path: Path, name: str, stemmer: str) -> FileIndex:
    return FileIndex.create(SyncedStorage(str(path)), build_schema(stemmer), name)


def latest_generation(path: Path, name: str) -> int:
    try:
        names = os.listdir(path)
    except OSError:
        return -1
    return max((int(m.group(2)) for m in map(TOC_FILE.match, names) if m and m.group(1) == name), default=-1)


def owner(filename: str) -> str | None:
    """The Whoosh index name a file in the folder belongs to, if it is ours."""
    for pattern in (TOC_FILE, *_OWNED):
        match = pattern.match(filename)
        if match:
            return match.group(1)
    return None


def next_name(path: Path) -> str:
    names = {owner(f) for f in os.listdir(path)} - {None}
    numbers = [int(n.rpartition("-")[2]) if "-" in n else 0 for n in names]
    return f"{INDEX_NAME}-{max(numbers, default=0) + 1}"


def remove_index(path: Path, name: str) -> None:
    """Delete every file of the Whoosh index `name` (best effort)."""
    for filename in os.listdir(path):
        if owner(filename) == name:
            remove(path / filename)


def clean_leftovers(path: Path, keep: set[str]) -> None:
    """Remove what killed writers left behind; call with the write lock held."""
    for filename in os.listdir(path):
        name = owner(filename)
        if name is None:
            continue
        if name not in keep or _OWNED[0].match(filename) or _OWNED[3].match(filename):
            remove(path / filename)
    for name in keep:
        generation = latest_generation(path, name)
        if generation >= 0:
            try:
                index = open_index(path, name)
                clean_files(index.storage, name, generation, index._read_toc().segments)
            except (CarinewsError, *RACES):
                pass


def remove(target: Path) -> None:
    try:
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target, ignore_errors=True)
        else:
            target.unlink()
    except OSError:
        pass


def fsync_file(handle) -> None:
    raw = handle.file
    if hasattr(raw, "fileno"):
        raw.flush()
        os.fsync(raw.fileno())


def fsync_folder(folder) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass   # some file systems cannot fsync a directory
    finally:
        os.close(fd)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
