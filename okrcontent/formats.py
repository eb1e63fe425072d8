"""The formats, as a table: name -> reader, writer, file extension. The command line and the
batch reach every format through :data:`FORMATS`; a new format is one module and one row.

A row names its reader and writer (``module:function``) rather than holding them, and they
are imported on first use: ``okrcontent convert notes.md --to text`` never loads lxml.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from .model import Content, ProgressRecord

__all__ = ["FORMATS", "Format", "format_for_path"]

Reader = Callable[[str], "Content | ProgressRecord"]
Writer = Callable[..., str]  # (content_or_record, *, people=None) -> str


@functools.cache
def _resolve(reference: str) -> Any:
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module, __package__), name)


@attrs.frozen
class Format:
    """One format: where its reader and writer are, its file name extension, and the file
    names taken to be in it."""

    reader: str  # "module:function", relative to this package
    writer: str
    extension: str
    suffixes: tuple[str, ...]

    @property
    def read(self) -> Reader:
        """The reader: text (or bytes, for JSON) -> content, or a record where the input
        holds one (JSON's record, a Markdown or text file's front matter, an HTML file's
        ``okr-*`` metadata)."""
        reader: Reader = _resolve(self.reader)
        return reader

    @property
    def write(self) -> Writer:
        """The writer: ``(content_or_record, *, people=None) -> str``."""
        writer: Writer = _resolve(self.writer)
        return writer


FORMATS: dict[str, Format] = {
    "html": Format(".readers.html:read_html", ".writers.html:to_html", ".html", (".html", ".htm")),
    "json": Format(
        ".readers.json:from_json", ".writers.json:to_json", ".json", (".json", ".jsonl")
    ),
    "markdown": Format(
        ".readers.markdown:read_markdown",
        ".writers.markdown:to_markdown",
        ".md",
        (".md", ".markdown"),
    ),
    "text": Format(".readers.text:read_text", ".writers.text:to_text", ".txt", (".txt", ".text")),
}
"""Format name -> :class:`Format` (``--from``/``--to`` on the command line)."""


def format_for_path(path: str) -> str | None:
    """The format a file name says, if any (``.gz`` is looked through)."""
    name = path.lower().removesuffix(".gz")
    for format_name, fmt in FORMATS.items():
        if name.endswith(fmt.suffixes):
            return format_name
    return None
