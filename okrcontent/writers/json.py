"""JSON out: the wire JSON of a record (a record stays a record) or of content, indented.

Text may hold lone surrogates (``"\\ud800"`` is valid JSON and reads as one): they are
written as the same ``\\ud800`` escapes, so the output is valid UTF-8 and reads back to the
same string, where ``json.dumps(..., ensure_ascii=False)`` would leave a character that no
file can hold.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..codec import dump_content, dump_record
from ..model import Content, ProgressRecord
from ..people import People

__all__ = ["dumps", "to_json"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(data: Any, *, indent: int | None = None) -> str:
    """``data`` as JSON text that encodes as UTF-8 whatever its strings hold."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


def to_json(content: Content | ProgressRecord, *, people: People = None) -> str:
    """The wire JSON, indented; ``people`` is accepted for symmetry and not used."""
    data = dump_record(content) if isinstance(content, ProgressRecord) else dump_content(content)
    return dumps(data, indent=2) + "\n"
