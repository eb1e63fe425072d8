"""Reading what a server answered: the JSON envelope, and its fields checked for shape.

A server's answer is input like any other: JSON that is not an object, nested past the
parser's depth, or a field of the wrong type or out of range is an
:class:`~okrcontent.fetch.errors.AnswerError` naming the field (``data.okr_list[2]: ...``),
never a ``TypeError`` or ``AttributeError`` from deep inside a flow.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from ..ids import shown
from .errors import AnswerError

__all__ = ["envelope_of", "field", "objects"]

T = TypeVar("T")

_KINDS = {dict: "an object", list: "a list", str: "a string", int: "an integer"}


def envelope_of(body: bytes) -> dict[str, Any] | None:
    """The JSON object of a body; None if it is not one (not JSON, not an object, too deep)."""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested past the parser's depth
        return None
    return value if isinstance(value, dict) else None


def field(holder: dict[str, Any], key: str, path: str, kind: type[T]) -> T | None:
    """``holder[key]`` if it is a ``kind`` (a bool is no integer), None if absent or null."""
    value = holder.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        what = _KINDS.get(kind, kind.__name__)
        raise AnswerError(f"{path}{key}: {shown(value)} where {what} belongs")
    return value


def objects(holder: dict[str, Any], key: str, path: str) -> list[tuple[str, dict[str, Any]]]:
    """The objects of the list ``holder[key]`` with their paths; nulls in it are skipped."""
    found = []
    for index, item in enumerate(field(holder, key, path, list) or ()):
        where = f"{path}{key}[{index}]"
        if item is None:
            continue
        if not isinstance(item, dict):
            raise AnswerError(f"{where}: {shown(item)} where an object belongs")
        found.append((where + ".", item))
    return found
