"""OKR archives, read into entities: one line (or one item of a JSON array) at a time.

A line may be any of what the API answers or an archiver writes, told apart by its keys:

- an entity, bare or in the envelope of a ``get`` answer, v1 or v2
  (:func:`okrcontent.load_okr`: cycles, objectives, key results, progress records);
- an archiver's wrapper ``{"kind": "objective", "data": <any of these>}`` (the kind is one
  of :data:`okrcontent.codec.OKR_KINDS`' names; another kind is told from the data);
- v1's ``users/:id/okrs`` answer (:func:`okrcontent.load_user_okrs`), whose progress record
  ids place the records of a v1 archive under their objectives and key results.

A line that is none of these is a :class:`BadLine` with its location and the field path;
it costs no other line.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from ..codec import OKR_KINDS, _object, load_okr
from ..errors import ContentError
from ..hooks import expected
from ..inputs import iter_sources
from ..okr import OkrEntity
from ..user_okrs import load_user_okrs

__all__ = ["Archive", "BadLine", "load_archive", "load_line"]

KINDS: dict[str, type] = {name: kind for kind, name in OKR_KINDS.items()}
"""A wrapper's ``kind`` -> the class it names."""


@attrs.frozen
class BadLine:
    """A line of an archive that holds no entity: where, and why."""

    location: str
    message: str


@attrs.frozen
class Archive:
    """What archives held: their entities in order, and the lines that hold none."""

    entities: list[OkrEntity]
    bad_lines: list[BadLine]


def _is_wrapper(data: dict[str, Any]) -> bool:
    return "kind" in data and "data" in data and "code" not in data and "msg" not in data


def _is_user_okrs(data: dict[str, Any]) -> bool:
    inner = data.get("data") if "code" in data or "msg" in data else data
    return isinstance(inner, dict) and "okr_list" in inner


def load_line(line: dict[str, Any] | str | bytes) -> list[OkrEntity]:
    """The entities of one archive line (see the module's docstring); raises
    :class:`~okrcontent.ContentError` naming the field for anything else."""
    data = _object(line)
    if _is_wrapper(data):
        kind = data["kind"]
        inner = data["data"]
        try:
            if not isinstance(inner, dict):
                raise expected("an object", inner)
            if kind in KINDS:
                return [load_okr(inner, KINDS[kind])]
            return _entities(inner)
        except ContentError as error:
            raise error.within("data") from None
    return _entities(data)


def _entities(data: dict[str, Any]) -> list[OkrEntity]:
    if _is_user_okrs(data):
        return load_user_okrs(data)
    return [load_okr(data)]


def load_archive(paths: Iterable[str | Path]) -> Archive:
    """Every entity of the archives (files of JSON Lines or JSON arrays, gzipped or not,
    folders of them, ``-`` for standard input: :func:`okrcontent.inputs.iter_sources`)."""
    entities: list[OkrEntity] = []
    bad: list[BadLine] = []
    for source in iter_sources(paths):
        if source.error is not None:
            bad.append(BadLine(source.location, source.error))
            continue
        try:
            entities.extend(load_line(source.text))
        except ContentError as error:
            bad.append(BadLine(source.location, str(error)))
    return Archive(entities, bad)
