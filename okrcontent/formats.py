"""The formats, as a table: name -> reader, writer, file extension. The command line and the
batch reach every format through :data:`FORMATS`; a new format is one module and one row.

A writer returns text: the ``post`` row's writer is
:func:`~okrcontent.writers.post.to_post_json`, the JSON text of the post (for ``convert --to
post`` and files; ``okrcontent.to_post`` returns the object), and its files are
``.post.json``, so that a post is never taken for the JSON format's records.

A row names its reader and writer (``module:function``) rather than holding them, and they
are imported on first use: ``okrcontent convert notes.md --to text`` never loads lxml. It
also names the writer's own options (HTML's ``standalone``, JSON's ``dialect``), so that the
command line and the batch pass them through without knowing any format, and the options an
output file of its own gets unless told otherwise (an HTML file is a whole document, with
its ``<meta charset>``: a browser opening a fragment guesses the encoding).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from .model import Content, ProgressRecord

__all__ = ["FORMATS", "Format", "format_for_path"]

Reader = Callable[[str], "Content | ProgressRecord"]
Writer = Callable[..., str]  # (content_or_record, *, people=None, **options) -> str


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
    options: tuple[str, ...] = ()
    """The writer's keyword options besides ``people``."""
    file_options: Mapping[str, Any] = attrs.field(factory=dict)
    """Options an output file of its own gets unless the caller says otherwise."""

    def check_options(self, options: Mapping[str, Any]) -> None:
        """Raise :class:`ValueError` for an option this format's writer does not take."""
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            takes = ", ".join(self.options) or "none"
            raise ValueError(f"its writer has no option {', '.join(unknown)} (options: {takes})")

    @property
    def read(self) -> Reader:
        """The reader: text (or bytes, for JSON) -> content, or a record where the input
        holds one (JSON's record, a Markdown or text file's front matter, an HTML file's
        ``okr-*`` metadata)."""
        reader: Reader = _resolve(self.reader)
        return reader

    @property
    def write(self) -> Writer:
        """The writer: ``(content_or_record, *, people=None, **options) -> str``."""
        writer: Writer = _resolve(self.writer)
        return writer


FORMATS: dict[str, Format] = {
    "html": Format(
        ".readers.html:read_html",
        ".writers.html:to_html",
        ".html",
        (".html", ".htm"),
        options=("standalone", "metadata"),
        file_options={"standalone": True},
    ),
    "json": Format(
        ".readers.json:from_json",
        ".writers.json:to_json",
        ".json",
        (".json", ".jsonl"),
        options=("dialect",),
    ),
    "markdown": Format(
        ".readers.markdown:read_markdown",
        ".writers.markdown:to_markdown",
        ".md",
        (".md", ".markdown"),
        options=("metadata",),
    ),
    "post": Format(
        ".readers.post:from_post", ".writers.post:to_post_json", ".post.json", (".post.json",)
    ),
    "text": Format(
        ".readers.text:read_text",
        ".writers.text:to_text",
        ".txt",
        (".txt", ".text"),
        options=("metadata",),
    ),
}
"""Format name -> :class:`Format` (``--from``/``--to`` on the command line)."""


def format_for_path(path: str) -> str | None:
    """The format a file name says, if any (``.gz`` is looked through); the longest suffix
    wins (``.post.json`` is a post, ``.json`` JSON)."""
    name = path.lower().removesuffix(".gz")
    found = [(len(s), f) for f, fmt in FORMATS.items() for s in fmt.suffixes if name.endswith(s)]
    return max(found)[1] if found else None
