"""v1's ``GET /open-apis/okr/v1/users/:user_id/okrs`` answer, read into the OKR model.

The answer lists a user's OKRs for some periods, each with its objectives, their key
results, and the ids of their progress records. It predates v2 and says the same facts
differently: texts are plain strings, scores and weights run 0..100 (v2: 0..1), the order
of a list is the position, and a progress record appears only as its id. :func:`load_user_okrs`
reads it into the classes v2 entities load into, flat and linked by id like them:

- an OKR of a period -> :class:`~okrcontent.okr.Cycle` (``id``; ``tenant_cycle_id`` is the
  period's id);
- an objective -> :class:`~okrcontent.okr.Objective` (``content`` from its text, one
  paragraph a line; ``notes`` from ``progress_report``; ``score`` and ``weight`` / 100;
  ``position`` from the list order; ``cycle_id`` its OKR's id);
- a key result -> :class:`~okrcontent.okr.KeyResult` (the same, ``weight`` from
  ``kr_weight``; ``objective_id`` its objective's id);
- a progress record id -> a :class:`~okrcontent.model.ProgressRecord` with only
  ``progress_id`` and the objective or key result it reports on (``entity_type``,
  ``entity_id``): what a v1 archive of records needs to be grouped by target
  (:func:`okrcontent.okr.group` matches them with the archive's records by id).

Everything else each object holds (permissions, progress rates, alignments, mentioned
users, last-updated times, a period's name, unknown keys) is kept in the entity's
``extra.keys`` under its v1 name. The reading goes one way: v1 has no write call for these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .codec import _object, _unwrap
from .errors import ContentError
from .hooks import expected
from .model import (
    Content,
    EntityType,
    Extra,
    Paragraph,
    ProgressRecord,
    TextRun,
    is_finite_number,
)
from .okr import Cycle, KeyResult, Objective, OkrEntity

__all__ = ["load_user_okrs"]


def _id(value: Any, key: str) -> str:
    if value.__class__ is int and value.bit_length() <= 64:
        return str(value)
    if value.__class__ is not str:
        raise expected("an id (a string or an integer)", value, key)
    return str(value)


def _time(value: Any, key: str) -> str:
    if value.__class__ is int and value.bit_length() <= 64:
        return str(value)
    if value.__class__ is not str or not (value.isascii() and value.isdigit()):
        raise expected("epoch milliseconds (digits or an integer)", value, key)
    return str(value)


def _text(value: Any, key: str) -> Content:
    if value.__class__ is not str:
        raise expected("a string", value, key)
    return Content([Paragraph([TextRun(line)]) for line in value.split("\n")] if value else [])


def _percent(value: Any, key: str) -> float:
    """A v1 score or weight (0..100) on v2's scale (0..1)."""
    if not is_finite_number(value):
        raise expected("a finite number", value, key)
    return float(value) / 100


def _objects(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The list of objects under ``key`` (absent: none)."""
    value = data.get(key)
    if value is None:
        return []
    if value.__class__ is not list:
        raise expected("a list", value, key)
    for index, item in enumerate(value):
        if item.__class__ is not dict:
            raise expected("an object", item, f"{key}[{index}]")
    return value


Reader = Callable[[Any, str], Any]

_COMMON: dict[str, tuple[str, Reader]] = {
    "id": ("id", _id),
    "content": ("content", _text),
    "score": ("score", _percent),
    "deadline": ("deadline", _time),
}
"""v1 key -> (model attribute, reader), for objectives and key results alike."""

OBJECTIVE_FIELDS: dict[str, tuple[str, Reader]] = {
    **_COMMON,
    "progress_report": ("notes", _text),
    "weight": ("weight", _percent),
}
KEY_RESULT_FIELDS: dict[str, tuple[str, Reader]] = {**_COMMON, "kr_weight": ("weight", _percent)}
CYCLE_FIELDS: dict[str, tuple[str, Reader]] = {
    "id": ("id", _id),
    "period_id": ("tenant_cycle_id", _id),
}
RECORD_FIELDS: dict[str, tuple[str, Reader]] = {"id": ("progress_id", _id)}


def _read(
    data: dict[str, Any], fields: dict[str, tuple[str, Reader]], lists: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The model attributes ``fields`` read from ``data``, and what is left (less ``lists``,
    which the caller reads)."""
    values: dict[str, Any] = {}
    rest: dict[str, Any] = {}
    for key, value in data.items():
        if value is None or key in lists:
            continue
        if key in fields:
            name, reader = fields[key]
            values[name] = reader(value, key)
        else:
            rest[key] = value
    return values, rest


def _extra(rest: dict[str, Any]) -> Extra | None:
    return Extra(rest) if rest else None


def _records(
    data: dict[str, Any], kind: EntityType, entity_id: str | None
) -> Iterator[ProgressRecord]:
    for index, item in enumerate(_objects(data, "progress_record_list")):
        try:
            values, rest = _read(item, RECORD_FIELDS, ())
        except ContentError as error:
            raise error.within(index).within("progress_record_list") from None
        yield ProgressRecord(entity_type=kind, entity_id=entity_id, extra=_extra(rest), **values)


def _key_results(objective: dict[str, Any], objective_id: str | None) -> Iterator[OkrEntity]:
    for index, item in enumerate(_objects(objective, "kr_list")):
        try:
            values, rest = _read(item, KEY_RESULT_FIELDS, ("progress_record_list",))
            key_result = KeyResult(
                objective_id=objective_id, position=index + 1, extra=_extra(rest), **values
            )
            yield key_result
            yield from _records(item, EntityType.KEY_RESULT, key_result.id)
        except ContentError as error:
            raise error.within(index).within("kr_list") from None


def _objectives(okr: dict[str, Any], cycle_id: str | None) -> Iterator[OkrEntity]:
    for index, item in enumerate(_objects(okr, "objective_list")):
        try:
            values, rest = _read(item, OBJECTIVE_FIELDS, ("kr_list", "progress_record_list"))
            objective = Objective(
                cycle_id=cycle_id, position=index + 1, extra=_extra(rest), **values
            )
            yield objective
            yield from _records(item, EntityType.OBJECTIVE, objective.id)
            yield from _key_results(item, objective.id)
        except ContentError as error:
            raise error.within(index).within("objective_list") from None


def load_user_okrs(obj: dict[str, Any] | str | bytes) -> list[OkrEntity]:
    """The entities of a ``users/:user_id/okrs`` answer (the envelope or its ``data``, as a
    dict or JSON text), in the answer's order: each cycle, then each of its objectives
    followed by its progress records and its key results (each followed by its records).

    Raises :class:`~okrcontent.ContentError` naming the path of anything malformed
    (``okr_list[0].objective_list[2].score: expected a finite number, ...``).
    """
    data, step = _unwrap(_object(obj))
    try:
        if data.__class__ is not dict:
            raise expected("an object", data)
        entities: list[OkrEntity] = []
        for index, okr in enumerate(_objects(data, "okr_list")):
            try:
                values, rest = _read(okr, CYCLE_FIELDS, ("objective_list",))
                cycle = Cycle(extra=_extra(rest), **values)
                entities.append(cycle)
                entities.extend(_objectives(okr, cycle.id))
            except ContentError as error:
                raise error.within(index).within("okr_list") from None
        return entities
    except ContentError as error:
        raise (error.within(step) if step else error) from None
