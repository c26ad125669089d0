"""The Whoosh indexes in an index folder, written durably.

Steps: `open_index` / `create_index` use `SyncedStorage`, a Whoosh FileStorage that
fsyncs every file it writes and the folder after each rename, so a committed
TOC never points at data still in the page cache; `owner` tells which Whoosh
index (`carinews`, `carinews-N`) a file belongs to, so `clean_leftovers` can
remove what killed writers left (temporary TOCs, posting pools, unreferenced
segments, dropped rebuilds) and `remove_index` an old index after a rebuild.
Only the Whoosh engine uses this module, with the folder's write lock held for changes.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, FileIndex, clean_files

from carinews.engines.whoosh.schema import build_schema
from carinews.errors import CarinewsError, IndexUnreadableError
from carinews.folder import fsync_folder

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
