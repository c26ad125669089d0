"""Archive files -> Articles, with one SourceError per bad record or file.

Steps:
1. `check_paths`: before anything is touched, every path must exist and the
   paths must hold at least one file to read; `iter_files`: paths -> files
   (directories recursed in sorted order, hidden names skipped, symlink loops
   and unreadable directories reported);
2. `open_stream`: a binary stream, gunzipped when the file is gzip (by magic
   bytes), with the first bytes checked: non-regular files (FIFOs, devices),
   empty and binary files are reported (`looks_binary`: a stray NUL in text is
   left to the record it is in);
3. `iter_byte_lines` + `LineDecoder`: bounded lines (a record over
   MAX_RECORD_BYTES is reported and skipped without being held in memory),
   UTF-8 with a cp1252 fallback reported once per file as a SourceWarning;
4. readers per format: `read_jsonl`, `read_json` (arrays streamed element by
   element, an oversized element skipped), `read_csv` (delimiter `;` / `,` / tab
   counted on the header, multi-line quoted fields, LF / CRLF / bare-CR line
   ends), `read_page` (.txt, one article), `read_html` (.html/.htm, one article
   through html_pages.py) and, for .warc/.arc, `warc.read_warc` on the raw file;
5. `read_articles`: the entry point; every record goes through
   `articles.make_article`. Errors are yielded (not raised) so indexing goes on;
   `strict=True` raises the first error. Warnings are yielded in both modes.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import os
import re
import stat
import sys
import zlib
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

import orjson

from carinews.ingest.articles import (
    MAX_NESTING,
    NESTING_CUT,
    TOO_DEEP,
    Article,
    Unchanged,
    make_article,
    raw_digest,
)

Known = Callable[[str], "Unchanged | None"]    # raw digest -> Unchanged if already indexed
from carinews.errors import NoInputError, PathNotFoundError, SkippedRecord, SourceError, SourceWarning
from carinews.ingest.pages import parse_page

MAX_RECORD_BYTES = 20 * 1024 * 1024
CHUNK_BYTES = 1 << 16
SNIFF_BYTES = 4096
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "csv",
           ".txt": "page", ".html": "html", ".htm": "html", ".warc": "warc", ".arc": "warc"}
_GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)
SUPPORTED = ".jsonl, .json, .csv, .txt, .html, .htm, .warc, .arc, optionally .gz"   # for messages


# 1. files ----------------------------------------------------------------

def file_format(path: str | Path) -> str | None:
    """"jsonl" / "json" / "csv" / "page" / "html" / "warc" from the name (a `.gz` suffix is
    looked through)."""
    name = str(path).lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return FORMATS.get(os.path.splitext(name)[1])


def iter_files(paths: Iterable[str | Path]) -> Iterator[str | SourceError]:
    """Files to read, in order; "-" stays "-". Problems come out as SourceErrors."""
    for path in paths:
        path = str(path)
        if path == "-":
            yield path
        elif os.path.isdir(path):
            yield from _walk(path, set())
        elif not os.path.exists(path):
            yield SourceError(path, "no such file or directory")
        elif file_format(path) is None:
            yield SourceError(path, f"unsupported file type (expected {SUPPORTED})")
        else:
            yield path


def check_paths(paths: Iterable[str | Path]) -> None:
    """Raise before anything is read unless every path exists and, together, they
    name at least one file to read ("-" counts): PathNotFoundError for a path
    that does not exist, NoInputError when there is nothing supported to read
    (an empty folder, a folder of PDFs, one unsupported file). The walk stops at
    the first readable file, so a large tree costs almost nothing."""
    paths = [str(path) for path in paths]
    for path in paths:
        if path != "-" and not os.path.exists(path):
            raise PathNotFoundError(path)
    problem = None
    for path in paths:
        for found in iter_files([path]):
            if not isinstance(found, SourceError):
                return
            problem = problem or found
    if len(paths) == 1 and problem is not None and problem.path == paths[0]:
        raise NoInputError(paths[0], problem.reason)
    where = "in it" if len(paths) == 1 else "in any of them"
    raise NoInputError(", ".join(paths), f"no file to read {where} (expected {SUPPORTED})", paths)


def _walk(directory: str, seen: set) -> Iterator[str | SourceError]:
    real = os.path.realpath(directory)
    if real in seen:
        yield SourceError(directory, "symlink loop; directory already read")
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as error:
        yield SourceError(directory, f"cannot list directory: {error.strerror or error}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(entry.path, seen)
        elif file_format(entry.name) is not None:
            yield entry.path


# 2. streams --------------------------------------------------------------

class Stream:
    """A binary stream plus what its first bytes said."""

    def __init__(self, raw: IO[bytes], label: str, gzipped: bool):
        self.raw, self.label, self.gzipped = raw, label, gzipped
        self.known: Known | None = None     # see read_articles

    def close(self):
        self.raw.close()


def open_stream(path: str) -> Stream:
    """Open (stdin for "-"), gunzip if needed, reject empty and binary content."""
    handle = _open_stdin() if path == "-" else _open_regular_file(path)
    try:
        gzipped = handle.peek(2)[:2] == b"\x1f\x8b"
        raw = gzip.GzipFile(fileobj=handle) if gzipped else handle
        head = raw.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    except _GZIP_ERRORS + (OSError,) as error:
        handle.close()
        raise SourceError(path, f"cannot read: {_describe(error)}") from None
    if not head:
        raw.close()
        raise SourceError(path, "empty file")
    if looks_binary(head):
        raw.close()
        raise SourceError(path, "binary file (NUL or control bytes, UTF-16, or an archive or image); "
                                "expected UTF-8 text")
    return Stream(raw, path, gzipped)


def _open_stdin() -> IO[bytes]:
    """stdin as bytes with peek(); a stream without it (click's CliRunner input) is wrapped."""
    handle = sys.stdin.buffer
    return handle if hasattr(handle, "peek") else io.BufferedReader(_RawReader(handle))


class _RawReader(io.RawIOBase):
    """Any `read(n)` stream as raw IO, so io.BufferedReader can add peek()."""

    def __init__(self, source: IO[bytes]):
        self.source = source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.source.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _open_regular_file(path: str) -> IO[bytes]:
    """Open without blocking (a FIFO would wait for a writer forever) and refuse
    anything that is not a regular file; checked on the open file, so no race."""
    nonblock = getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, os.O_RDONLY | nonblock | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise SourceError(path, f"not a regular file ({_file_kind(mode)}); skipped")
        if nonblock:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return open(fd, "rb")


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, "named pipe"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device")):
        if test(mode):
            return kind
    return "special file"


_BINARY_MAGIC = (b"\xff\xfe", b"\xfe\xff",                    # UTF-16 / UTF-32 byte order marks
                 b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"%PDF-",
                 b"\x7fELF", b"\xfd7zXZ", b"7z\xbc\xaf", b"\x28\xb5\x2f\xfd", b"\xd0\xcf\x11\xe0",
                 b"SQLite format 3\x00")
_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])


def looks_binary(head: bytes) -> bool:
    """The first bytes of a file are binary, not text with a stray NUL: a known
    magic number, NULs making up over a third (UTF-16 without BOM, NUL-filled),
    or NULs together with other control bytes in over 5% of the rest (random
    data, images). Text with a few NULs is read; the records holding them fail
    one by one."""
    if head.startswith(_BINARY_MAGIC):
        return True
    nuls = head.count(0)
    if not nuls:
        return False
    if nuls * 3 > len(head):
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls * 20 > len(head) - nuls


def _describe(error: Exception) -> str:
    if isinstance(error, EOFError):
        return "truncated gzip data (file ends before the end of the stream)"
    if isinstance(error, (gzip.BadGzipFile, zlib.error)):
        return f"corrupt gzip data ({error})"
    return getattr(error, "strerror", None) or str(error)


# 3. lines and decoding ---------------------------------------------------

class RecordTooLarge(Exception):
    pass


def iter_byte_lines(stream: Stream, *, any_newline: bool = False) -> Iterator[tuple[int, bytes | SourceError]]:
    """(line number, bytes) with a length cap; an oversized line is skipped
    chunk by chunk and comes out as a SourceError. With `any_newline`, a bare CR
    (classic Mac) ends a line too and every line end comes out as "\\n"."""
    text = io.TextIOWrapper(stream.raw, encoding="latin-1", newline=None) if any_newline else None
    # latin-1 maps each byte to one character and back, so the bytes are unchanged
    readline = (lambda limit: text.readline(limit).encode("latin-1")) if text else stream.raw.readline
    try:
        yield from _capped_lines(readline, stream.label)
    finally:
        if text is not None and not text.closed:
            text.detach()       # the stream stays open for its owner


def _capped_lines(readline, label: str) -> Iterator[tuple[int, bytes | SourceError]]:
    number = 0
    while True:
        line = readline(MAX_RECORD_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            _skip_rest_of_line(readline)
            yield number, SourceError(label, f"record larger than {_limit_text()}; skipped", number)
            continue
        yield number, line


def _skip_rest_of_line(readline) -> None:
    while True:
        chunk = readline(CHUNK_BYTES)
        if not chunk or chunk.endswith(b"\n"):
            return


def _limit_text() -> str:
    mb, rest = divmod(MAX_RECORD_BYTES, 2**20)
    return f"{mb} MB" if not rest else f"{MAX_RECORD_BYTES} bytes"


class LineDecoder:
    """UTF-8 (BOM dropped); lines that are not UTF-8 are read as cp1252 and one
    SourceWarning per file says so."""

    def __init__(self, label: str):
        self.label = label
        self.warning: SourceWarning | None = None
        self.pending = False
        self.first = True

    def decode(self, data: bytes, line: int | None = None) -> str:
        if self.first:
            self.first = False
            if data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            if self.warning is None:
                self.warning = SourceWarning(self.label, "not UTF-8; read as cp1252 (Windows-1252)", line)
                self.pending = True
            return data.decode("cp1252", errors="replace")

    def take_warning(self) -> SourceWarning | None:
        if self.pending:
            self.pending = False
            return self.warning
        return None


# 4. readers --------------------------------------------------------------

Item = Article | SourceError


def read_jsonl(stream: Stream) -> Iterator[Item]:
    decoder = LineDecoder(stream.label)
    for number, data in iter_byte_lines(stream):
        if isinstance(data, SourceError):
            yield data
            continue
        text = decoder.decode(data, number)
        yield from _warnings(decoder)
        if text.strip():
            yield from _records_from_json(text, stream.label, number, stream.known)


def _records_from_json(text: str, label: str, number: int, known=None) -> Iterator[Item]:
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        yield SourceError(label, f"malformed JSON: {error}", number)
        return
    yield from _record(value, label, number, known)


def _record(value, label: str, number: int, known=None) -> Iterator[Item]:
    """The article (after a SourceWarning if its nesting was cut), or the SourceError."""
    if not isinstance(value, dict):
        yield SourceError(label, f"expected a JSON object, got {type(value).__name__}", number)
        return
    digest, unchanged = _recognise(known, value, "json")
    if unchanged is not None:
        yield unchanged
        return
    try:
        article = make_article(value, origin=f"{label}:{number}")
        article.raw_hash = digest
    except ValueError as error:
        yield SourceError(label, str(error), number)
        return
    if NESTING_CUT in article.extra:
        yield SourceWarning(label, f"values nested deeper than {MAX_NESTING} levels replaced by "
                                   f"{TOO_DEEP!r}", number)
    yield article


def _recognise(known: Known | None, record, kind: str) -> tuple[str | None, Unchanged | None]:
    """(raw digest, Unchanged if `known` says the index holds the record as read)."""
    digest = raw_digest(record, kind) if known else None
    return digest, (known(digest) if digest else None)


def _warnings(decoder: LineDecoder) -> Iterator[SourceWarning]:
    warning = decoder.take_warning()
    if warning is not None:
        yield warning


def read_json(stream: Stream) -> Iterator[Item]:
    """A JSON array (streamed element by element, read in chunks, so one huge
    line is fine), one object, or objects one after another; record numbers are
    the line where each element starts."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    splitter = JsonSplitter(stream.label)
    fallback = False
    while True:
        data = stream.raw.read(CHUNK_BYTES)
        if not data:
            break
        if not fallback:
            try:
                text = decoder.decode(data)
            except UnicodeDecodeError:
                fallback = True
                yield SourceWarning(stream.label, "not UTF-8; read as cp1252 (Windows-1252)")
        if fallback:
            text = data.decode("cp1252", errors="replace")
        for number, element in splitter.feed(text):
            if isinstance(element, SourceError):
                yield element
            else:
                yield from _records_from_json(element, stream.label, number, stream.known)
    leftover = splitter.finish()
    if leftover is not None:
        yield leftover


_STRING_STOP = re.compile(r'["\\]')
_STRUCTURE = re.compile(r'[\[\]{}",\n]')


class JsonSplitter:
    """Cuts top-level values (or the elements of a top-level array) out of text
    fed piece by piece, tracking strings and nesting; no full parse. An element
    over MAX_RECORD_BYTES is reported once and skipped without being kept."""

    def __init__(self, label: str):
        self.label = label
        self.depth = 0
        self.in_string = False
        self.escape = False
        self.array = None          # True once "[" opened the document
        self.buffer: list[str] = []
        self.size = 0
        self.line = 1
        self.start_line = 1
        self.started = False
        self.skipping = False      # the current element is too large
        self.count = 0             # elements started so far
        self.position = 0          # where the current element starts in this piece of text

    def feed(self, text: str) -> Iterator[tuple[int, str | SourceError]]:
        index, self.position = 0, 0
        while index < len(text):
            if self.in_string:
                index = self._skip_string(text, index)
                continue
            match = _STRUCTURE.search(text, index)
            stop = match.start() if match else len(text)
            if not self.started and self.depth == self._element_depth():
                gap = text[index:stop]
                if gap.strip():    # a bare value (number, true, ...) begins
                    self._start(index + len(gap) - len(gap.lstrip()))
            if match is None:
                break
            index = match.end()
            yield from self._structure(text, match.group(), stop)
        if self.started and not self.skipping:
            self.buffer.append(text[self.position:])
            self.size += len(text) - self.position
            if self.size > MAX_RECORD_BYTES:
                yield self.start_line, self._too_large()
                self.skipping, self.buffer = True, []

    def _skip_string(self, text: str, index: int) -> int:
        """Index after the string's end, or the end of the text; escapes may span pieces."""
        if self.escape:
            self.escape = False
            return index + 1
        match = _STRING_STOP.search(text, index)
        if match is None:
            return len(text)
        if match.group() == "\\":
            self.escape = True
        else:
            self.in_string = False
        return match.end()

    def _structure(self, text: str, char: str, index: int) -> Iterator[tuple[int, str | SourceError]]:
        if char == '"':
            self.in_string = True
            self._start(index)
        elif char in "{[":
            if self.array is None and char == "[" and self.depth == 0:
                self.array, self.depth = True, 1
                return
            if self.array is None:
                self.array = False
            self._start(index)
            self.depth += 1
        elif char in "}]":
            self.depth -= 1
            if self.depth == self._element_depth():
                yield from self._element_done(text, index + 1)
            elif self.depth < self._element_depth() and self.started:
                yield from self._element_done(text, index)    # "]" after a bare value
        elif char == "," and self.started and self.depth == self._element_depth():
            yield from self._element_done(text, index)
        elif char == "\n":
            self.line += 1

    def _element_done(self, text: str, end: int) -> Iterator[tuple[int, str | SourceError]]:
        if not self.skipping:
            piece = "".join(self.buffer) + text[self.position:end]
            if len(piece) > MAX_RECORD_BYTES:
                yield self.start_line, self._too_large()
            else:
                yield self.start_line, piece
        self.started, self.skipping, self.buffer, self.size = False, False, [], 0

    def _too_large(self) -> SourceError:
        return SourceError(self.label, f"element {self.count} larger than {_limit_text()}; skipped",
                           self.start_line)

    def _element_depth(self) -> int:
        return 1 if self.array else 0

    def _start(self, index: int) -> None:
        if not self.started and self.depth == self._element_depth():
            self.started, self.start_line, self.position = True, self.line, index
            self.buffer, self.size = [], 0
            self.count += 1

    def finish(self) -> SourceError | None:
        if self.started or self.depth > 0 or self.in_string:
            return SourceError(self.label, "JSON ends in the middle of a value (truncated file?)", self.start_line)
        return None


def read_csv(stream: Stream) -> Iterator[Item]:
    """Header row + rows; BOM, `;`/`,`/tab, quoted multi-line fields, any line ends."""
    csv.field_size_limit(MAX_RECORD_BYTES)
    decoder = LineDecoder(stream.label)
    errors: list[SourceError] = []
    lines = _csv_lines(stream, decoder, errors)
    header_line = next(lines, None)
    yield from errors
    errors.clear()
    if header_line is None:
        yield SourceError(stream.label, "empty CSV file")
        return
    yield from _warnings(decoder)
    delimiter = sniff_delimiter(header_line)
    try:
        header = [name.strip().lstrip("\ufeff") for name in next(csv.reader([header_line], delimiter=delimiter))]
    except csv.Error as error:
        yield SourceError(stream.label, f"bad CSV header: {error}; file skipped", 1)
        return
    reader = csv.reader(lines, delimiter=delimiter)
    previous_end = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            yield SourceError(stream.label, f"bad CSV: {error}", previous_end + 1)
            previous_end = reader.line_num + 1
            continue
        start, previous_end = previous_end + 1, reader.line_num + 1
        yield from errors
        errors.clear()
        yield from _warnings(decoder)
        if any(cell.strip() for cell in row):
            yield _csv_record(header, row, stream.label, start, stream.known)
    yield from errors


def _csv_lines(stream: Stream, decoder: LineDecoder, errors: list) -> Iterator[str]:
    for number, data in iter_byte_lines(stream, any_newline=True):
        if isinstance(data, SourceError):
            errors.append(data)
            continue
        yield decoder.decode(data, number)


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of a header line: the most frequent of `,` `;` tab outside
    quotes (csv.Sniffer guesses wrong on a single line such as "judul;isi, berita")."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    return max(",;\t", key=unquoted.count)


def _csv_record(header: list[str], row: list[str], label: str, number: int, known=None) -> Item:
    if any("\x00" in cell for cell in row):
        return SourceError(label, "row contains NUL bytes (binary data?)", number)
    fields = {}
    for index, value in enumerate(row):
        name = header[index] if index < len(header) and header[index] else f"column_{index + 1}"
        fields[name] = value
    digest, unchanged = _recognise(known, fields, "csv")
    if unchanged is not None:
        return unchanged
    try:
        article = make_article(fields, origin=f"{label}:{number}")
        article.raw_hash = digest
        return article
    except ValueError as error:
        return SourceError(label, str(error).replace("record", "row"), number)


def read_page(stream: Stream) -> Iterator[Item]:
    """A .txt page: one article (title, header lines, dateline, body)."""
    data = stream.raw.read(MAX_RECORD_BYTES + 1)
    if len(data) > MAX_RECORD_BYTES:
        yield SourceError(stream.label, f"page larger than {_limit_text()}; skipped")
        return
    if b"\x00" in data:       # one page is one article: a NUL anywhere makes it binary
        yield SourceError(stream.label, "binary file (NUL bytes); expected UTF-8 text")
        return
    decoder = LineDecoder(stream.label)
    text = decoder.decode(data)
    yield from _warnings(decoder)
    digest, unchanged = _recognise(stream.known, data, "page")
    if unchanged is not None:
        yield unchanged
        return
    parts = parse_page(text)
    fields = {"title": parts.title, "body": parts.body, "section": parts.section,
              "author": parts.author, "source": parts.outlet, **parts.extra}
    try:
        article = make_article(fields, origin=f"{stream.label}:1", clean=False)
        article.raw_hash = digest
        yield article
    except ValueError as error:
        yield SourceError(stream.label, str(error), 1)


def read_html(stream: Stream) -> Iterator[Item]:
    """A saved web page (.html/.htm): one article, or a SkippedRecord if it is not one."""
    from carinews.ingest.html_pages import NotAnArticle, make_html_article

    data = stream.raw.read(MAX_RECORD_BYTES + 1)
    if len(data) > MAX_RECORD_BYTES:
        yield SourceError(stream.label, f"page larger than {_limit_text()}; skipped")
        return
    digest, unchanged = _recognise(stream.known, data, "html")
    if unchanged is not None:
        yield unchanged
        return
    try:
        article = make_html_article(data, origin=f"{stream.label}:1")
    except NotAnArticle as skip:
        yield SkippedRecord(stream.label, f"not an article: {skip.reason}", kind="not an article")
        return
    except ValueError as error:
        yield SkippedRecord(stream.label, f"not an article: {error}", kind="not an article")
        return
    article.raw_hash = digest
    yield article


READERS = {"jsonl": read_jsonl, "json": read_json, "csv": read_csv, "page": read_page, "html": read_html}


# 5. entry point ----------------------------------------------------------

def read_articles(paths: Iterable[str | Path], *, strict: bool = False,
                  known: Known | None = None) -> Iterator[Article | SourceError | Unchanged]:
    """Articles from files, directories and "-" (JSONL on stdin), in order.

    Bad files and records come out as `SourceError` (yielded, so the caller can
    go on); with `strict=True` the first error is raised instead. `SourceWarning`s
    (kept records, e.g. cp1252 decoding) are yielded in both modes.

    `known(raw_digest)` (e.g. `Archive.known_record`) may recognise a record
    before it is cleaned; its answer, an `Unchanged`, is yielded instead of
    the Article. Re-reading an indexed archive then costs little more than
    parsing it.
    """
    for item in _read_all(paths, known):
        if strict and isinstance(item, SourceError) and not isinstance(item, SourceWarning):
            raise item
        yield item


def _read_all(paths: Iterable[str | Path], known=None) -> Iterator[Article | SourceError]:
    for path in iter_files(paths):
        if isinstance(path, SourceError):
            yield path
            continue
        yield from read_file(path, known)


def read_file(path: str, known: Known | None = None) -> Iterator[Article | SourceError]:
    """One file (or "-" = JSONL on stdin) -> its articles and errors."""
    kind = "jsonl" if path == "-" else file_format(path)
    if kind == "warc":          # warcio reads the raw file: gzip members and offsets are its own
        from carinews.ingest.warc import read_warc

        yield from read_warc(path, known)
        return
    try:
        stream = open_stream(path)
    except SourceError as error:
        yield error
        return
    except OSError as error:
        yield SourceError(path, f"cannot open: {error.strerror or error}")
        return
    stream.known = known
    try:
        yield from READERS[kind](stream)
    except _GZIP_ERRORS + (OSError,) as error:
        yield SourceError(path, _describe(error))
    except csv.Error as error:          # readers catch these per row; this is the backstop
        yield SourceError(path, f"bad CSV: {error}; rest of the file skipped")
    finally:
        if path != "-":
            stream.close()
