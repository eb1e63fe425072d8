"""Where records come from: files, archives and standard input, one record at a time.

Archives are JSON Lines (``.jsonl``/``.ndjson``, one envelope or bare record a line) or JSON
(``.json``: one record, or an array of them), either of them gzipped (``.gz``), or
directories holding such files (walked recursively, in sorted order, hidden files and
folders left out). ``-`` is JSON Lines on
standard input, and so is a file whose name says no format (``<(zcat ...)``). A file in
another format (``.md``, ``.html``, ``.txt``) is not an archive: it holds one document.
:func:`is_archive` is the one rule for which inputs hold many records, shared by
``convert`` (which sends them to a folder) and ``validate``.

Every record comes out as a :class:`Source`: its location (``archive.jsonl:102``,
``export.json[3]``) and its JSON text, not parsed, so that the consumer decides where the
parsing happens (in a worker process, for batches) and nothing parsed is kept alive here. A
JSON array is streamed too: its items are cut out one at a time, so memory does not grow
with the file. A line that is empty is skipped; whatever cannot be read (a missing file, a
corrupt gzip stream, broken JSON between array items, a folder that cannot be listed) comes
out as a :class:`Source` with ``error`` set and its location, so the caller reports it and
goes on with the next file: every file is read on its own.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, cast

import attrs

from .files import reason
from .formats import format_for_path

__all__ = ["ARCHIVE_SUFFIXES", "Source", "is_archive", "iter_sources", "sources_in"]

LINES_SUFFIXES = (".jsonl", ".ndjson")
JSON_SUFFIXES = (".json",)
ARCHIVE_SUFFIXES = tuple(s + gz for s in LINES_SUFFIXES + JSON_SUFFIXES for gz in ("", ".gz"))
"""File names a directory walk picks up."""
READ_ERRORS = (OSError, EOFError, zlib.error, UnicodeDecodeError)
"""What reading a file can raise: a missing or unreadable file, a gzip stream cut short or
corrupt, text in no encoding JSON allows."""
BLOCK = 1 << 16
"""Bytes read at a time from a JSON array."""
_NUMBER_GOES_ON = frozenset(["", *".eE+-0123456789"])


@attrs.frozen
class Source:
    """One record's JSON text and where it was found (or why it could not be read)."""

    location: str
    text: bytes = b""
    error: str | None = None


def _open(path: Path) -> IO[bytes]:
    if path.name.endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def _plain_name(name: str) -> str:
    return name.lower().removesuffix(".gz")


def _starts_array(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[")


def is_archive(name: str) -> bool:
    """Does this input hold many records (a folder, JSON Lines, a JSON array), as opposed
    to one record or document? ``-`` (standard input) is not: it is read whole."""
    if name == "-":
        return False
    path = Path(name)
    if path.is_dir() or _plain_name(name).endswith(LINES_SUFFIXES):
        return True
    if _plain_name(name).endswith(JSON_SUFFIXES):
        try:
            with _open(path) as stream:
                return _starts_array(_head(stream))
        except READ_ERRORS:
            return False
    return False


def _lines(stream: IO[bytes], name: str) -> Iterator[Source]:
    number = 0
    try:
        for number, line in enumerate(stream, 1):
            if line.strip():
                yield Source(f"{name}:{number}", line)
    except READ_ERRORS as error:  # where the line after the last good one would be
        location = f"{name}:{number + 1}" if number else name
        yield Source(location, error=f"cannot read: {reason(error)}")


def _head(stream: IO[bytes]) -> bytes:
    """The first block of the stream, and more until it holds more than white space."""
    head = stream.read(BLOCK)
    while head and not head.lstrip(b"\xef\xbb\xbf \t\r\n"):
        block = stream.read(BLOCK)
        if not block:
            break
        head += block
    return head


def _json_file(stream: IO[bytes], name: str) -> Iterator[Source]:
    head = _head(stream)
    if not _starts_array(head):
        yield Source(name, head + stream.read())  # one record: read whole
        return
    yield from _JsonArray(stream, head, name)


class _JsonArray:
    """The items of a JSON array, cut out of the stream one at a time (each is parsed once
    here, by ``json``'s C scanner, to find where it ends, and kept as its original text)."""

    def __init__(self, stream: IO[bytes], head: bytes, name: str) -> None:
        self.stream = stream
        self.name = name
        encoding = json.detect_encoding(head)
        self.decoder = codecs.getincrementaldecoder(encoding)("surrogateescape")
        self.text = self.decoder.decode(head)
        self.done = False
        self.scanner = json.JSONDecoder()

    def _more(self, start: int) -> int:
        """Read more text, dropping what lies before ``start``; returns the new ``start``."""
        self.text = self.text[start:]
        block = self.stream.read(max(BLOCK, len(self.text)))  # doubling: linear overall
        self.done = not block
        self.text += self.decoder.decode(block, final=self.done)
        return 0

    def _skip_space(self, position: int) -> int:
        while True:
            while position < len(self.text) and self.text[position] in " \t\r\n":
                position += 1
            if position < len(self.text) or self.done:
                return position
            position = self._more(position)

    def __iter__(self) -> Iterator[Source]:
        index = 0
        try:
            position = self._skip_space(0) + 1  # past the "["
            position = self._skip_space(position)
            if self.text[position : position + 1] == "]":
                yield from self._end(position + 1)
                return
            while True:
                parsed = self._item(position)
                if isinstance(parsed, str):
                    yield Source(f"{self.name}[{index}]", error=f"invalid JSON: {parsed}")
                    return
                start, end = parsed
                text = self.text[start:end].encode("utf-8", "surrogateescape")
                yield Source(f"{self.name}[{index}]", text)
                index += 1
                position = self._skip_space(end)
                after = self.text[position : position + 1]
                if after == "]":
                    yield from self._end(position + 1)
                    return
                if after != ",":
                    what = f"{after!r}" if after else "the end of the file"
                    problem = f"invalid JSON: expected ',' or ']' after the item, found {what}"
                    yield Source(f"{self.name}[{index}]", error=problem)
                    return
                position = self._skip_space(position + 1)
        except READ_ERRORS as error:
            yield Source(f"{self.name}[{index}]", error=f"cannot read: {reason(error)}")

    def _item(self, position: int) -> tuple[int, int] | str:
        """Where the item at ``position`` starts and ends, or why it is not JSON. An item
        that fails to parse, or a number that ends where the text read so far ends (or
        before a character that would continue it), may just be cut off by the block
        boundary: read more and try again, until the end of the file."""
        while True:
            try:
                _, end = self.scanner.raw_decode(self.text, position)
            except (ValueError, RecursionError) as error:  # JSONDecodeError, huge integers
                if self.done:
                    if isinstance(error, json.JSONDecodeError):
                        return f"{error.msg} (character {error.pos - position} of the item)"
                    return str(error) or "nested too deeply"
            else:  # a number may go on past the text read so far ("0" of "0.5")
                if self.done or self.text[end : end + 1] not in _NUMBER_GOES_ON:
                    return position, end
            position = self._more(position)

    def _end(self, position: int) -> Iterator[Source]:
        if self._skip_space(position) < len(self.text):
            yield Source(self.name, error="invalid JSON: more text after the array")


def sources_in(stream: IO[bytes], name: str) -> Iterator[Source]:
    """The records of one open (already decompressed) archive file called ``name``."""
    if _plain_name(name).endswith(JSON_SUFFIXES):
        return _json_file(stream, name)
    return _lines(stream, name)


def _walk(path: Path) -> Iterator[Path | Source]:
    """The archive files under a folder in sorted order, and a :class:`Source` with the
    error for each folder that cannot be listed. Hidden files and folders (``.git``, an
    output folder's manifest) are not archives, nor files a format names (``w47.post.json``)."""
    errors: list[OSError] = []
    for root, dirs, files in os.walk(path, onerror=errors.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        yield from _unlisted(errors)
        for file in sorted(files):
            if file.endswith(ARCHIVE_SUFFIXES) and not file.startswith(".") and _records(file):
                yield Path(root, file)
    yield from _unlisted(errors)


def _records(name: str) -> bool:
    """Can a file of this name hold records (not a ``.post.json`` chat post)?"""
    return format_for_path(name) in (None, "json") or _plain_name(name).endswith(LINES_SUFFIXES)


def _unlisted(errors: list[OSError]) -> Iterator[Source]:
    while errors:
        error = errors.pop(0)
        yield Source(str(error.filename), error=f"cannot read: {reason(error)}")


def _file(path: Path) -> Iterator[Source]:
    name = str(path)
    if not _records(name):
        document = format_for_path(name)
        message = f"not an archive of records (a {document} document): convert it on its own"
        yield Source(name, error=message)
        return
    try:
        with _open(path) as stream:
            yield from sources_in(stream, name)
    except READ_ERRORS as error:  # missing, unreadable, not gzip
        yield Source(name, error=f"cannot read: {reason(error)}")


def iter_sources(paths: Iterable[str | Path]) -> Iterator[Source]:
    """Every record of every input, in order; ``-`` reads JSON Lines from standard input."""
    for entry in paths:
        if str(entry) == "-":
            yield from _lines(sys.stdin.buffer, "<stdin>")
            continue
        path = Path(entry)
        if not path.is_dir():
            yield from _file(path)
            continue
        for found in _walk(path):
            if isinstance(found, Source):
                yield found
            else:
                yield from _file(found)
