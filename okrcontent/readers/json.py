"""JSON in: the API's envelope or a bare record gives a :class:`~okrcontent.ProgressRecord`,
content (``{"blocks": [...]}``, bare or as an answer's ``data``) a
:class:`~okrcontent.Content`, so that one command
converts whichever of the three a file holds."""

from __future__ import annotations

import json
from typing import Any

from ..codec import load_content, load_record
from ..errors import WrongKindError
from ..model import Content, ProgressRecord

__all__ = ["from_json"]


def from_json(text: str | bytes) -> Content | ProgressRecord:
    """An envelope or bare record (-> record), or bare content (-> content); raises
    :class:`~okrcontent.ContentError` for anything else."""
    try:
        data: Any = json.loads(text)
    except (ValueError, RecursionError):
        data = text  # not JSON: let the codec say so, in its words
    if isinstance(data, dict) and "blocks" in data:
        return load_content(data)
    try:
        return load_record(data)
    except WrongKindError as error:
        if error.kind == "content":  # content in an answer: {"data": {"blocks": [...]}}
            return load_content(data)
        raise
