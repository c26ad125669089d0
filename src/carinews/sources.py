"""Archive files -> Articles, with one SourceError per bad record or file.

Steps:
1. `iter_files`: paths -> files (directories recursed in sorted order, hidden
   names skipped, symlink loops and unreadable directories reported);
2. `open_stream`: a binary stream, gunzipped when the file is gzip (by suffix
   or magic bytes), with the first bytes checked: empty and binary files are
   reported, a UTF-8 BOM noted;
3. `iter_byte_lines` + `LineDecoder`: bounded lines (a record over
   MAX_RECORD_BYTES is reported and skipped without being held in memory),
   UTF-8 with a cp1252 fallback reported once per file as a SourceWarning;
4. readers per format: `read_jsonl`, `read_json` (arrays streamed element by
   element), `read_csv` (delimiter `;` / `,` / tab counted on the header, multi-line quoted
   fields), `read_page` (.txt, one article);
5. `read_articles`: the entry point; every record goes through
   `articles.make_article`. Errors are yielded (not raised) so indexing goes on;
   `strict=True` raises the first error. Warnings are yielded in both modes.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import os
import re
import sys
import zlib
from pathlib import Path
from typing import IO, Iterable, Iterator

import orjson

from carinews.articles import Article, make_article
from carinews.errors import SourceError, SourceWarning
from carinews.pages import parse_page

MAX_RECORD_BYTES = 20 * 1024 * 1024
CHUNK_BYTES = 1 << 16
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "csv",
           ".txt": "page"}
_GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


# 1. files ----------------------------------------------------------------

def file_format(path: str | Path) -> str | None:
    """"jsonl" / "json" / "csv" / "page" from the name (a `.gz` suffix is looked through)."""
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
            yield SourceError(path, "unsupported file type (expected .jsonl, .json, .csv, .txt, optionally .gz)")
        else:
            yield path


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

    def close(self):
        self.raw.close()


def open_stream(path: str) -> Stream:
    """Open (stdin for "-"), gunzip if needed, reject empty and binary content."""
    handle = sys.stdin.buffer if path == "-" else open(path, "rb")
    try:
        gzipped = handle.peek(2)[:2] == b"\x1f\x8b" if hasattr(handle, "peek") else path.endswith(".gz")
        raw = gzip.GzipFile(fileobj=handle) if gzipped else handle
        head = raw.peek(4096)[:4096] if hasattr(raw, "peek") else b""
    except _GZIP_ERRORS + (OSError,) as error:
        handle.close()
        raise SourceError(path, f"cannot read: {_describe(error)}") from None
    if not head:
        raw.close()
        raise SourceError(path, "empty file")
    if b"\x00" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raw.close()
        raise SourceError(path, "binary file (NUL bytes or UTF-16); expected UTF-8 text")
    return Stream(raw, path, gzipped)


def _describe(error: Exception) -> str:
    if isinstance(error, EOFError):
        return "truncated gzip data (file ends before the end of the stream)"
    if isinstance(error, (gzip.BadGzipFile, zlib.error)):
        return f"corrupt gzip data ({error})"
    return getattr(error, "strerror", None) or str(error)


# 3. lines and decoding ---------------------------------------------------

class RecordTooLarge(Exception):
    pass


def iter_byte_lines(stream: Stream) -> Iterator[tuple[int, bytes | SourceError]]:
    """(line number, bytes) with a length cap; an oversized line is skipped
    chunk by chunk and comes out as a SourceError."""
    number = 0
    while True:
        line = stream.raw.readline(MAX_RECORD_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            _skip_rest_of_line(stream.raw)
            yield number, SourceError(stream.label, f"record larger than {MAX_RECORD_BYTES // 2**20} MB; skipped",
                                      number)
            continue
        yield number, line


def _skip_rest_of_line(raw: IO[bytes]) -> None:
    while True:
        chunk = raw.readline(CHUNK_BYTES)
        if not chunk or chunk.endswith(b"\n"):
            return


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
            yield _record_from_json(text, stream.label, number)


def _record_from_json(text: str, label: str, number: int) -> Item:
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        return SourceError(label, f"malformed JSON: {error}", number)
    return _record(value, label, number)


def _record(value, label: str, number: int) -> Item:
    if not isinstance(value, dict):
        return SourceError(label, f"expected a JSON object, got {type(value).__name__}", number)
    try:
        return make_article(value, origin=f"{label}:{number}")
    except ValueError as error:
        return SourceError(label, str(error), number)


def _warnings(decoder: LineDecoder) -> Iterator[SourceWarning]:
    warning = decoder.take_warning()
    if warning is not None:
        yield warning


_JSON_TOKEN = re.compile(r'["\\{}\[\]]')


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
                return
            yield _record_from_json(element, stream.label, number)
    leftover = splitter.finish()
    if leftover is not None:
        yield leftover


class JsonSplitter:
    """Cuts top-level values (or the elements of a top-level array) out of text
    fed piece by piece, tracking strings and nesting; no full parse."""

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

    def feed(self, text: str) -> Iterator[tuple[int, str | SourceError]]:
        position = 0
        for index, char in enumerate(text):
            if self.in_string:
                if self.escape:
                    self.escape = False
                elif char == "\\":
                    self.escape = True
                elif char == '"':
                    self.in_string = False
                continue
            if char == '"':
                self.in_string = True
                self._start(text, index)
            elif char in "{[":
                if self.array is None and char == "[" and self.depth == 0:
                    self.array, position = True, index + 1
                    self.depth = 1
                    continue
                if self.array is None:
                    self.array = False
                self._start(text, index)
                self.depth += 1
            elif char in "}]":
                self.depth -= 1
                if self.depth == self._element_depth():
                    piece = "".join(self.buffer) + text[position:index + 1]
                    yield self.start_line, piece
                    self._reset()
                    position = index + 1
                elif self.depth < self._element_depth():
                    position = index + 1   # the closing "]" of the array
            elif char == "," and self.started and self.depth == self._element_depth():
                yield self.start_line, "".join(self.buffer) + text[position:index]
                self._reset()
                position = index + 1
            elif char == "\n":
                self.line += 1
            elif not self.started and not char.isspace() and self.depth == self._element_depth() and char != ",":
                self._start(text, index)
            if not self.started:
                position = index + 1
        if self.started:
            self.buffer.append(text[position:])
            self.size += len(text) - position
            if self.size > MAX_RECORD_BYTES:
                yield self.start_line, SourceError(self.label, "JSON element larger than 20 MB; stopped reading",
                                                   self.start_line)
                self._reset()

    def _element_depth(self) -> int:
        return 1 if self.array else 0

    def _start(self, text: str, index: int) -> None:
        if not self.started and self.depth == self._element_depth():
            self.started, self.start_line = True, self.line
            self.buffer, self.size = [], 0

    def _reset(self) -> None:
        self.started, self.buffer, self.size = False, [], 0

    def finish(self) -> SourceError | None:
        if self.started or self.depth > 0 or self.in_string:
            return SourceError(self.label, "JSON ends in the middle of a value (truncated file?)", self.start_line)
        return None


def read_csv(stream: Stream) -> Iterator[Item]:
    """Header row + rows; BOM, `;`/`,`/tab, quoted multi-line fields."""
    csv.field_size_limit(MAX_RECORD_BYTES)
    decoder = LineDecoder(stream.label)
    errors: list[SourceError] = []
    lines = _csv_lines(stream, decoder, errors)
    header_line = next(lines, None)
    if header_line is None:
        yield SourceError(stream.label, "empty CSV file")
        return
    yield from _warnings(decoder)
    delimiter = sniff_delimiter(header_line)
    header = [name.strip().lstrip("\ufeff") for name in next(csv.reader([header_line], delimiter=delimiter))]
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
            yield _csv_record(header, row, stream.label, start)
    yield from errors


def _csv_lines(stream: Stream, decoder: LineDecoder, errors: list) -> Iterator[str]:
    for number, data in iter_byte_lines(stream):
        if isinstance(data, SourceError):
            errors.append(data)
            continue
        yield decoder.decode(data, number)


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of a header line: the most frequent of `,` `;` tab outside
    quotes (csv.Sniffer guesses wrong on a single line such as "judul;isi, berita")."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    return max(",;\t", key=unquoted.count)


def _csv_record(header: list[str], row: list[str], label: str, number: int) -> Item:
    fields = {}
    for index, value in enumerate(row):
        name = header[index] if index < len(header) and header[index] else f"column_{index + 1}"
        fields[name] = value
    try:
        return make_article(fields, origin=f"{label}:{number}")
    except ValueError as error:
        return SourceError(label, str(error).replace("record", "row"), number)


def read_page(stream: Stream) -> Iterator[Item]:
    """A .txt page: one article (title, header lines, dateline, body)."""
    data = stream.raw.read(MAX_RECORD_BYTES + 1)
    if len(data) > MAX_RECORD_BYTES:
        yield SourceError(stream.label, "page larger than 20 MB; skipped")
        return
    decoder = LineDecoder(stream.label)
    text = decoder.decode(data)
    yield from _warnings(decoder)
    parts = parse_page(text)
    fields = {"title": parts.title, "body": parts.body, "section": parts.section,
              "author": parts.author, "source": parts.outlet, **parts.extra}
    try:
        yield make_article(fields, origin=f"{stream.label}:1", clean=False)
    except ValueError as error:
        yield SourceError(stream.label, str(error), 1)


READERS = {"jsonl": read_jsonl, "json": read_json, "csv": read_csv, "page": read_page}


# 5. entry point ----------------------------------------------------------

def read_articles(paths: Iterable[str | Path], *, strict: bool = False) -> Iterator[Article | SourceError]:
    """Articles from files, directories and "-" (JSONL on stdin), in order.

    Bad files and records come out as `SourceError` (yielded, so the caller can
    go on); with `strict=True` the first error is raised instead. `SourceWarning`s
    (kept records, e.g. cp1252 decoding) are yielded in both modes.
    """
    for item in _read_all(paths):
        if strict and isinstance(item, SourceError) and not isinstance(item, SourceWarning):
            raise item
        yield item


def _read_all(paths: Iterable[str | Path]) -> Iterator[Article | SourceError]:
    for path in iter_files(paths):
        if isinstance(path, SourceError):
            yield path
            continue
        yield from read_file(path)


def read_file(path: str) -> Iterator[Article | SourceError]:
    """One file (or "-" = JSONL on stdin) -> its articles and errors."""
    kind = "jsonl" if path == "-" else file_format(path)
    try:
        stream = open_stream(path)
    except SourceError as error:
        yield error
        return
    except OSError as error:
        yield SourceError(path, f"cannot open: {error.strerror or error}")
        return
    try:
        yield from READERS[kind](stream)
    except _GZIP_ERRORS + (OSError,) as error:
        yield SourceError(path, _describe(error))
    finally:
        if path != "-":
            stream.close()
