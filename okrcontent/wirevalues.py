"""What the model may keep as it came: JSON values, and only those.

A record keeps what it does not model (unknown keys, blocks and elements of unknown types)
as the wire held it, and every writer writes it back (JSON, front matter, HTML metas). From
JSON text that is a JSON value, though perhaps nested too deep to write again
(:data:`MAX_DEPTH`). From Python objects (``load_record(dict)``) it may not be JSON at all:
a set, bytes, an object, a key that is not a string, an integer longer than Python writes
as text (:func:`sys.get_int_max_str_digits`). Such a value is refused where it is loaded,
with its path, instead of failing later in every writer.
"""

from __future__ import annotations

import sys
from typing import Any

from .errors import ContentError
from .model import shown

__all__ = ["MAX_DEPTH", "check"]

MAX_DEPTH = 500
"""How deep lists and objects kept as they came may nest. JSON text is read to about 1,000
levels, but Python's JSON writer recurses a level at a time within the same limit as the
caller's own stack: at 990 it failed in every writer. Half of it leaves room."""

_SCALARS = (str, float, bool, type(None))
_FEW_BITS = 2000
"""An integer of no more bits has at most 603 digits, below the lowest limit Python can be
set to (640): it needs no look at its digits."""


def check(value: Any, path: str = "") -> None:
    """Raise :class:`~okrcontent.ContentError`, at the path of the first value (in document
    order) that JSON text cannot hold, if ``value`` holds one. Iterative: any depth."""
    stack: list[tuple[Any, str, int]] = [(value, path, 0)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, _SCALARS):
            continue
        if isinstance(item, int):
            if item.bit_length() > _FEW_BITS:
                _digits(item, where)
            continue
        if isinstance(item, dict):
            children = []
            for key, child in item.items():
                if not isinstance(key, str):
                    raise ContentError(f"not JSON: a key that is no string, {shown(key)}", where)
                children.append((child, f"{where}.{key}" if where else key, depth + 1))
        elif isinstance(item, (list, tuple)):
            children = [(child, f"{where}[{i}]", depth + 1) for i, child in enumerate(item)]
        else:
            raise ContentError(f"not JSON: {_a(type(item).__name__)}, {shown(item)}", where)
        if depth >= MAX_DEPTH and children:  # (named where the value starts: a path of
            # a thousand steps says nothing more)
            raise ContentError(f"nested too deeply (more than {MAX_DEPTH} levels)", path)
        stack.extend(reversed(children))


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _digits(value: int, path: str) -> None:
    try:
        str(value)  # (refused at once past the limit; below it, quick)
    except ValueError:
        limit = sys.get_int_max_str_digits()
        raise ContentError(
            f"an integer of more than {limit} digits (the most Python writes as text)", path
        ) from None
