"""The formats, as a table: name -> reader, writer, file extension. The command line and the
batch reach every format through :data:`FORMATS`; a new format is one module and one row.

JSON is a format too: its reader takes an API envelope, a bare record or bare content, and
gives a :class:`~okrcontent.ProgressRecord` for the first two; its writer gives the wire JSON
back (a record stays a record).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import attrs

from .codec import dump_content, dump_record, load_content, load_record
from .model import Content, ProgressRecord
from .people import People
from .readers.html import from_html
from .readers.markdown import from_markdown
from .readers.text import from_text
from .writers.html import to_html
from .writers.markdown import to_markdown
from .writers.text import to_text

__all__ = ["FORMATS", "Format", "format_for_path", "read_json", "write_json"]


def read_json(text: str | bytes) -> Content | ProgressRecord:
    """An envelope or bare record (-> record), or bare content (-> content)."""
    try:
        data: Any = json.loads(text)
    except (ValueError, RecursionError):
        data = text  # not JSON: let the codec say so, in its words
    if isinstance(data, dict) and "blocks" in data:
        return load_content(data)
    return load_record(data)


def write_json(content: Content | ProgressRecord, *, people: People = None) -> str:
    """The wire JSON, indented; ``people`` is accepted for symmetry and not used."""
    data = dump_record(content) if isinstance(content, ProgressRecord) else dump_content(content)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@attrs.frozen
class Format:
    """One format: how to read it, how to write it, and its file name extension."""

    read: Callable[[str], Content | ProgressRecord]
    write: Callable[..., str]  # (content_or_record, *, people=None) -> str
    extension: str
    suffixes: tuple[str, ...]  # file names that are taken to be in this format


FORMATS: dict[str, Format] = {
    "html": Format(from_html, to_html, ".html", (".html", ".htm")),
    "json": Format(read_json, write_json, ".json", (".json", ".jsonl")),
    "markdown": Format(from_markdown, to_markdown, ".md", (".md", ".markdown")),
    "text": Format(from_text, to_text, ".txt", (".txt", ".text")),
}
"""Format name -> :class:`Format` (``--from``/``--to`` on the command line)."""


def format_for_path(path: str) -> str | None:
    """The format a file name says, if any (``.gz`` is looked through)."""
    name = path.lower().removesuffix(".gz")
    for format_name, fmt in FORMATS.items():
        if name.endswith(fmt.suffixes):
            return format_name
    return None
