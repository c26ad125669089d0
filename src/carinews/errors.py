"""Exception tree for carinews.

Every error a user can cause (bad input file, bad query, missing index) is a
`CarinewsError`; the CLI turns these into one-line messages and exit codes.
Anything else escaping the library is a bug.
"""

from __future__ import annotations


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


class IndexNotFoundError(CarinewsError):
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


class QuerySyntaxError(CarinewsError):
    """A query that cannot be parsed. `position` is 0-based; `column` 1-based."""

    def __init__(self, query: str, position: int, reason: str):
        self.query, self.position, self.reason = query, position, reason
        super().__init__(f"{reason} at column {position + 1}")

    @property
    def column(self) -> int:
        return self.position + 1


class DateParseError(CarinewsError):
    """A date string that no known format matches."""

    def __init__(self, text: str, reason: str = "unrecognised date"):
        self.text, self.reason = text, reason
        super().__init__(f"{reason}: {text!r}")
