"""The server's hold on the index: one Archive, one request at a time, with a cache of
search results that a new commit empties.

Steps: `ArchiveHolder.use` opens the index at first use and lends it under a lock
(an engine's reader need not be safe to share between threads: Whoosh's is not);
each request then asks the archive for its newest committed state, so a `carinews
index` running beside the server shows up without a restart.
`ArchiveHolder.search` answers a search from `ResultCache` when the same search ran
on the same committed state (`Archive.version`, the engine's `version()`), else
runs it and keeps the result: feeds, saved searches and shared links ask the same
questions again and again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path

from carinews.archive import Archive

CACHE_ENTRIES = 256


class ResultCache:
    """At most `size` results, least recently used dropped first; size 0 keeps none."""

    def __init__(self, size: int = CACHE_ENTRIES):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key):
        found = self._items.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self._items.move_to_end(key)
        return found

    def put(self, key, value) -> None:
        if self.size <= 0:
            return
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


class ArchiveHolder:
    """The index, opened on first use, one request at a time."""

    def __init__(self, path: str | Path, cache_size: int = CACHE_ENTRIES):
        self.path = Path(path)
        self.cache = ResultCache(cache_size)
        self._archive: Archive | None = None
        self._lock = threading.Lock()

    @contextmanager
    def use(self):
        with self._lock:
            if self._archive is None:
                self._archive = Archive.open(self.path)
            yield self._archive

    def version(self) -> str:
        """The committed state requests now see (`Archive.version`)."""
        with self.use() as archive:
            return archive.version()

    def search(self, query: str, **options):
        """`Archive.search`, answered from the cache when nothing was committed since."""
        with self.use() as archive:
            key = (archive.version(), query, tuple(sorted(options.items())))
            result = self.cache.get(key)
            if result is None:
                result = archive.search(query, **options)
                self.cache.put(key, result)
            return result

    def close(self) -> None:
        with self._lock:
            if self._archive is not None:
                self._archive.close()
                self._archive = None
