"""JSON out: the wire JSON of a record (a record stays a record) or of content, indented.

Text may hold lone surrogates (``"\\ud800"`` is valid JSON and reads as one): they are
written as the same ``\\ud800`` escapes (:func:`okrcontent.files.json_text`), so the output
is valid UTF-8 and reads back to the same string.
"""

from __future__ import annotations

from ..codec import dump_content, dump_record
from ..files import json_text
from ..model import Content, ProgressRecord
from ..people import People

__all__ = ["to_json"]


def to_json(content: Content | ProgressRecord, *, people: People = None) -> str:
    """The wire JSON, indented; ``people`` is accepted for symmetry and not used."""
    data = dump_record(content) if isinstance(content, ProgressRecord) else dump_content(content)
    return json_text(data, indent=2) + "\n"
