"""Where records come from: files, archives and standard input, one record at a time.

Archives are JSON Lines (``.jsonl``, one envelope or bare record a line) or JSON (``.json``:
one record, or an array of them), either of them gzipped (``.gz``), or directories holding
such files (walked recursively, in sorted order). ``-`` is JSON Lines on standard input.

Every record comes out as a :class:`Source`: its location (``archive.jsonl:102``,
``export.json[3]``) and its JSON text, not parsed, so that the consumer decides where the
parsing happens (in a worker process, for batches) and nothing parsed is kept alive here.
A line that is empty is skipped; anything that cannot even be cut into records (an
unreadable file, a ``.json`` file that is not JSON) comes out as a :class:`Source` with
``error`` set, so the caller reports it and goes on.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, cast

import attrs

__all__ = ["ARCHIVE_SUFFIXES", "Source", "iter_sources", "sources_in"]

ARCHIVE_SUFFIXES = (".jsonl", ".jsonl.gz", ".json", ".json.gz", ".ndjson", ".ndjson.gz")
"""File names a directory walk picks up."""


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


def _lines(stream: IO[bytes], name: str) -> Iterator[Source]:
    for number, line in enumerate(stream, 1):
        if line.strip():
            yield Source(f"{name}:{number}", line)


def _json_file(stream: IO[bytes], name: str) -> Iterator[Source]:
    text = stream.read()
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        yield Source(name, error=f"invalid JSON: {error}")
        return
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield Source(f"{name}[{index}]", json.dumps(item, ensure_ascii=False).encode())
    else:
        yield Source(name, text)


def sources_in(stream: IO[bytes], name: str) -> Iterator[Source]:
    """The records of one open (already decompressed) archive file called ``name``."""
    if name.removesuffix(".gz").endswith(".json"):
        return _json_file(stream, name)
    return _lines(stream, name)


def _walk(path: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for file in sorted(files):
            if file.endswith(ARCHIVE_SUFFIXES):
                yield Path(root, file)


def _file(path: Path) -> Iterator[Source]:
    name = str(path)
    try:
        with _open(path) as stream:
            yield from sources_in(stream, name)
    except (OSError, EOFError) as error:  # missing, unreadable, truncated gzip
        yield Source(name, error=f"cannot read: {getattr(error, 'strerror', None) or error}")


def iter_sources(paths: Iterable[str | Path]) -> Iterator[Source]:
    """Every record of every input, in order; ``-`` reads JSON Lines from standard input."""
    for entry in paths:
        if str(entry) == "-":
            yield from _lines(sys.stdin.buffer, "<stdin>")
            continue
        path = Path(entry)
        if path.is_dir():
            for file in _walk(path):
                yield from _file(file)
        else:
            yield from _file(path)
