"""Exception tree for carinews.

Every error a user can cause (bad input file, bad query, missing index) is a
named subclass of `CarinewsError` that carries its data in attributes; the
CLI turns these into one-line messages and exit codes. Anything else escaping
the library is a bug. Groups, in this order: input files and paths, the index
folder, indexing (rebuilds, workers), queries and search options.
"""

from __future__ import annotations

import signal as _signal


class CarinewsError(Exception):
    """Base class for all errors caused by input, not by bugs."""


class SourceError(CarinewsError):
    """A record or file that could not be read.

    `path` is the file (or "-" for stdin); `line` the 1-based line or record
    number where known; `reason` a short human sentence.
    """

    def __init__(self, path: str, reason: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.reason = reason
        super().__init__(self.location + ": " + reason)

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path


class SourceWarning(SourceError):
    """A record that was kept despite a problem (e.g. decoded as cp1252, not UTF-8)."""


class SkippedRecord(SourceWarning):
    """A record that is deliberately not indexed (a WARC revisit record, a non-HTML payload,
    a page that is not an article); `kind` is the short reason the index report counts by."""

    def __init__(self, path: str, reason: str, line: int | None = None, *, kind: str = "skipped"):
        self.kind = kind
        super().__init__(path, reason, line)


class NoInputError(CarinewsError):
    """The paths given to `carinews index` hold nothing to read: checked before the
    index is touched. `path` names the path (or the paths, comma-separated) and
    `paths` lists them; `reason` says what is wrong."""

    def __init__(self, path: str, reason: str, paths: list[str] | None = None):
        self.path, self.reason = str(path), reason
        self.paths = list(paths) if paths is not None else [self.path]
        super().__init__(f"{self.path}: {reason}; nothing was read and the index is untouched")


class PathNotFoundError(NoInputError):
    """A path given to `carinews index` does not exist (a typo, an unmounted disk)."""

    def __init__(self, path: str):
        super().__init__(path, "no such file or directory")


class IndexNotFoundError(CarinewsError):
    """No carinews index at `path` (yet)."""

    def __init__(self, path: str):
        self.path = str(path)
        super().__init__(f"No index at {self.path}; run `carinews index` first")


class SchemaMismatchError(CarinewsError):
    """The index on disk was written by another schema or analysis version."""

    def __init__(self, path: str, found: str, expected: str):
        self.path, self.found, self.expected = str(path), found, expected
        super().__init__(
            f"Index at {self.path} was built with {found}, this carinews needs {expected}; "
            f"run `carinews index --rebuild --index {self.path} PATH...`"
        )


class IndexUnreadableError(CarinewsError):
    """The index folder's settings or table of contents cannot be read; `reason` says why."""

    def __init__(self, path: str, what: str, reason: str):
        self.path, self.what, self.reason = str(path), what, reason
        super().__init__(f"{what}: {reason}; run `carinews index --rebuild --index {self.path} PATH...`")


class IndexChangingError(CarinewsError):
    """Other processes committed or rebuilt the index so fast that it could not be
    read consistently after many attempts; `action` is "open" or "read"."""

    def __init__(self, path: str, action: str = "open"):
        self.path, self.action = str(path), action
        super().__init__(f"cannot {action} index at {self.path}: it keeps changing under us; try again")


class LockUnsupportedError(CarinewsError):
    """The file system holding the index cannot lock files (some network mounts)."""

    def __init__(self, path: str, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"cannot lock {self.path}: the file system does not support locks "
                         f"({reason}); put the index on a local disk")


class IndexLockedError(CarinewsError):
    """Another live process is writing to the index.

    `holder` is a `carinews.locking.LockHolder` (pid, host, started, command)
    when the lock file names one, else None.
    """

    def __init__(self, path: str, holder=None, detail: str = "it is being written by another process"):
        self.path, self.holder = str(path), holder
        super().__init__(f"Index at {self.path} is locked: {detail}")


class IndexWriteError(CarinewsError):
    """The index folder cannot be written (disk full, read-only, permissions).

    The index keeps its last committed state; `errno` is the OS error number.
    """

    def __init__(self, path: str, error: OSError, action: str = "cannot write to the index",
                 state: str = "the index is unchanged"):
        self.path, self.errno = str(path), error.errno
        self.reason = error.strerror or str(error)
        super().__init__(f"{action} at {self.path}: {self.reason}; {state}")


class UnknownStemmerError(CarinewsError):
    """`stemmer` is not one of `choices`."""

    def __init__(self, stemmer: str, choices):
        self.stemmer, self.choices = stemmer, tuple(choices)
        super().__init__(f"unknown stemmer {stemmer!r}; choose one of {', '.join(self.choices)}")


class IndexExistsError(CarinewsError):
    """An engine was asked to create an index where one already is (`path`)."""

    def __init__(self, path: str):
        self.path = str(path)
        super().__init__(f"{self.path} already holds an index")


class UnknownEngineError(CarinewsError):
    """`engine` is not one of `choices`."""

    def __init__(self, engine: str, choices):
        self.engine, self.choices = engine, tuple(choices)
        super().__init__(f"unknown engine {engine!r}; choose one of {', '.join(self.choices)}")


class EngineMismatchError(CarinewsError):
    """`--engine` names another engine than the existing index at `path` was built with."""

    def __init__(self, path: str, found: str, asked: str):
        self.path, self.found, self.asked = str(path), found, asked
        super().__init__(f"index at {self.path} is a {found} index, not {asked}; leave out --engine to "
                         f"add to it, or run `carinews index --rebuild --engine {asked} --index "
                         f"{self.path} PATH...` to rebuild it with {asked}")


class RebuildAbandonedError(CarinewsError):
    """`add` on an Archive whose rebuild was dropped (interrupted or refused)."""

    def __init__(self, path: str):
        self.path = str(path)
        super().__init__(f"the rebuild of {self.path} was abandoned; create the archive again")


class RebuildRefusedError(CarinewsError):
    """A finished `--rebuild` that was not switched in: the previous index stays
    live, untouched. `old_count` / `new_count` are the articles each index holds
    (`old_count` is None when the old index cannot be read); `report` is the
    IndexReport of the `add` that built it."""

    def __init__(self, path: str, old_count: int | None, new_count: int, report, message: str):
        self.path, self.old_count, self.new_count, self.report = str(path), old_count, new_count, report
        super().__init__(message)

    @staticmethod
    def _old(old_count: int | None) -> str:
        return "the previous index" if old_count is None else f"the previous index ({old_count} articles)"


class EmptyRebuildError(RebuildRefusedError):
    """The rebuild read no article (every input failed, or there was none)."""

    def __init__(self, path: str, old_count: int | None, report):
        rejected = getattr(report, "rejected", 0)
        skipped = sum(getattr(report, "skipped", {}).values())
        counts = f"{rejected} rejected" + (f", {skipped} skipped" if skipped else "")
        super().__init__(path, old_count, 0, report,
                         f"the rebuild of {path} read no article ({counts}), so it was "
                         f"dropped; {self._old(old_count)} is still live and unchanged")


class RebuildShrinkError(RebuildRefusedError):
    """The rebuilt index would hold less than half the articles of the live one."""

    def __init__(self, path: str, old_count: int, new_count: int, report):
        super().__init__(path, old_count, new_count, report,
                         f"the rebuilt index would hold {new_count} articles, the current one holds "
                         f"{old_count} (less than half); the rebuild was dropped and the current index "
                         f"is still live and unchanged; run again with --force to replace it")


class WorkerDiedError(CarinewsError):
    """A worker process that writes segments died (the kernel's OOM killer, a crash
    in a C extension, a stray `kill`). `batch` is the batch of this run it was
    writing (None: a segment merge), `signal` the signal number that killed it
    (None if it exited by itself, with `exitcode`), `pid` its process id; `state`
    says what the index keeps."""

    def __init__(self, batch: int | None, signal: int | None, exitcode: int | None = None,
                 pid: int | None = None, path: str = "", state: str = ""):
        self.batch, self.signal, self.exitcode, self.pid = batch, signal, exitcode, pid
        self.path, self.state = str(path), state
        task = f"writing batch {batch}" if batch is not None else "merging segments"
        who = f"a worker process (pid {pid})" if pid is not None else "a worker process"
        super().__init__(f"{who} {self.how} while {task}" + (f"; {state}" if state else ""))

    @property
    def signal_name(self) -> str | None:
        if self.signal is None:
            return None
        try:
            return _signal.Signals(self.signal).name
        except ValueError:
            return f"signal {self.signal}"

    @property
    def how(self) -> str:
        if self.signal is not None:
            return f"was killed by {self.signal_name}"
        if self.exitcode is not None:
            return f"exited unexpectedly with status {self.exitcode}"
        return "stopped unexpectedly"

    def with_state(self, path: str, state: str) -> "WorkerDiedError":
        """The same error, saying what the index at `path` keeps."""
        return WorkerDiedError(self.batch, self.signal, self.exitcode, self.pid, path, state)


class ArticleNotFoundError(CarinewsError):
    """No stored article has this id, key or URL."""

    def __init__(self, article_id: str, path: str):
        self.article_id, self.path = article_id, str(path)
        super().__init__(f"no article with id {article_id!r} in {self.path}")


class SearchOptionError(CarinewsError):
    """A search option out of range: `option` names it, `value` is what was given,
    `choices` the allowed values (empty for a numeric range, see `reason`)."""

    def __init__(self, option: str, value, reason: str, choices=()):
        self.option, self.value, self.reason, self.choices = option, value, reason, tuple(choices)
        super().__init__(reason)


class QuerySyntaxError(CarinewsError):
    """A query that cannot be parsed. `position` is 0-based; `column` 1-based."""

    def __init__(self, query: str, position: int, reason: str):
        self.query, self.position, self.reason = query, position, reason
        super().__init__(f"{reason} at column {position + 1}")

    @property
    def column(self) -> int:
        return self.position + 1


class AliasFileError(CarinewsError):
    """An alias file (query/aliases.py) that cannot be read or has a malformed line;
    `line` is 1-based, 0 when the file itself cannot be read."""

    def __init__(self, path: str, line: int, reason: str):
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"alias file {path}:{line}: {reason}" if line else f"alias file {path}: {reason}")


class DateParseError(CarinewsError):
    """A date string that no known format matches."""

    def __init__(self, text: str, reason: str = "unrecognised date"):
        self.text, self.reason = text, reason
        super().__init__(f"{reason}: {text!r}")


class ClusterUnavailableError(CarinewsError):
    """The OpenSearch cluster at `url` cannot serve the index: unreachable, or red.

    `reason` says which (the connection error, or the health status and what is unassigned).
    """

    def __init__(self, url: str, reason: str):
        self.url, self.reason = url, reason
        super().__init__(f"OpenSearch at {url}: {reason}")


class ClusterSettingError(CarinewsError):
    """A setting the OpenSearch engine cannot use: `setting` ("url", "index name"), its
    `value`, and `reason` (what to do instead)."""

    def __init__(self, setting: str, value: str, reason: str):
        self.setting, self.value, self.reason = setting, value, reason
        super().__init__(reason)


class ArticleTooLargeError(CarinewsError):
    """An article whose document (`size` bytes) exceeds what one request to the cluster may
    carry (`limit` bytes); the article is rejected, the others are written."""

    def __init__(self, key: str, size: int, limit: int):
        self.key, self.size, self.limit = key, size, limit
        super().__init__(f"its document is {size >> 20} MB, more than one OpenSearch request "
                         f"may carry ({limit >> 20} MB)")


class BulkWriteError(CarinewsError):
    """A batch the OpenSearch cluster would not take after every retry.

    `batch` is the batch's number in this writer's run, `keys` the articles not written,
    `reason` the last error; batches before it are committed. Writes are idempotent (the
    document id is the article key), so running the same `carinews index` again finishes
    the job.
    """

    def __init__(self, url: str, index: str, batch: int, keys: list[str], reason: str):
        self.url, self.index, self.batch, self.keys, self.reason = url, index, batch, keys, reason
        super().__init__(
            f"OpenSearch at {url} did not take batch {batch} of index {index} "
            f"({len(keys)} articles not written, first {keys[0] if keys else '-'}): {reason}; "
            f"earlier batches are committed; run the same command again to write the rest")
