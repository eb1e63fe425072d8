"""JSON out: the wire JSON of a record (a record stays a record) or of content, indented, in
the spelling it was loaded from or the one asked for (``dialect="v1"`` or ``"v2"``).

Text may hold lone surrogates (``"\\ud800"`` is valid JSON and reads as one): they are
written as the same ``\\ud800`` escapes (:func:`okrcontent.files.json_text`), so the output
is valid UTF-8 and reads back to the same string.
"""

from __future__ import annotations

from ..codec import dump_content, dump_record
from ..dialects import DialectName
from ..files import json_text
from ..model import Content, ProgressRecord
from ..people import People

__all__ = ["to_json"]


def to_json(
    content: Content | ProgressRecord, *, people: People = None, dialect: DialectName | None = None
) -> str:
    """The wire JSON, indented, spelled ``dialect`` (default: as loaded); ``people`` is
    accepted for symmetry and not used."""
    if isinstance(content, ProgressRecord):
        data = dump_record(content, dialect)
    else:
        data = dump_content(content, dialect)
    return json_text(data, indent=2) + "\n"
