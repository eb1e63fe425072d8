"""The OKR itself: cycles, objectives and key results, as frozen attrs classes.

These are the entities of the OKR OpenAPI v2 (``/open-apis/okr/v2/``); their progress
records are :class:`~okrcontent.model.ProgressRecord` s, the same class as a v1 record.
The API answers each kind from its own endpoint and links them by id, and so does the model:
an :class:`Objective` names its cycle (``cycle_id``), a :class:`KeyResult` its objective
(``objective_id``), a progress record the objective or key result it reports on
(``entity_type``, ``entity_id``). Nothing is nested, so that each entity dumps back to what
the API answered, whichever order an archive holds them in; :func:`group` puts a set of
them together for a reader (a cycle's objectives in position order, each with its key
results and its progress, newest first).

Ids and times are strings (times: epoch milliseconds, read through the ``*_at``
properties, ``None`` for a time the calendar cannot hold); some clients send them as JSON
numbers, and the codec gives back what came. ``content`` and ``notes`` are
:class:`~okrcontent.model.Content`, spelled v2 on the wire.

This module imports nothing of okrcontent but the model.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable
from typing import TypeAlias

import attrs

from .model import (
    Content,
    EntityType,
    Extra,
    Owner,
    ProgressRecord,
    _extra_field,
    _id,
    _int,
    _Node,
    _number,
    _time,
    instant,
)

__all__ = [
    "Cycle",
    "CycleOkrs",
    "CycleStatus",
    "KeyResult",
    "KeyResultProgress",
    "Objective",
    "ObjectiveOkrs",
    "OkrEntity",
    "group",
]


class CycleStatus(enum.IntEnum):
    """``cycle_status`` of a user's cycle."""

    DEFAULT = 0
    NORMAL = 1
    INVALID = 2  #: ended; usually still editable
    HIDDEN = 3


def _to_cycle_status(value: CycleStatus | int | None) -> CycleStatus | None:
    return None if value is None else CycleStatus(value)


@attrs.frozen(repr=False)
class _Entity(_Node):
    """What every OKR entity has: an id, its owner, and when it was created and updated."""

    id: str | None = _id()
    create_time: str | None = _time()
    update_time: str | None = _time()
    owner: Owner | None = None
    extra: Extra | None = _extra_field()

    @property
    def created_at(self) -> _dt.datetime | None:
        """``create_time`` as an aware UTC datetime (``None`` if absent or no real time)."""
        return instant(self.create_time)

    @property
    def updated_at(self) -> _dt.datetime | None:
        """``update_time`` as an aware UTC datetime (``None`` if absent or no real time)."""
        return instant(self.update_time)


@attrs.frozen(repr=False)
class Cycle(_Entity):
    """A user's OKR cycle (a period, such as a quarter, for one owner)."""

    tenant_cycle_id: str | None = _id()  #: the same period across users
    start_time: str | None = _time()
    end_time: str | None = _time()
    cycle_status: CycleStatus | None = attrs.field(default=None, converter=_to_cycle_status)
    score: float | None = _number()  #: 0..1

    @property
    def starts_at(self) -> _dt.datetime | None:
        """``start_time`` as an aware UTC datetime."""
        return instant(self.start_time)

    @property
    def ends_at(self) -> _dt.datetime | None:
        """``end_time`` as an aware UTC datetime."""
        return instant(self.end_time)


@attrs.frozen(repr=False)
class _Goal(_Entity):
    """What objectives and key results have alike."""

    # The API documents 1..100; its own tool prints 0. An int32, as the SDKs type it.
    position: int | None = _int(0, 2**31 - 1)  #: 1 is first
    content: Content | None = None
    score: float | None = _number()  #: 0..1
    weight: float | None = _number()  #: 0..1
    deadline: str | None = _time()

    @property
    def deadline_at(self) -> _dt.datetime | None:
        """``deadline`` as an aware UTC datetime."""
        return instant(self.deadline)


@attrs.frozen(repr=False)
class Objective(_Goal):
    """An objective of a cycle: its text (``content``), ``notes``, score and weight."""

    cycle_id: str | None = _id()
    notes: Content | None = None
    category_id: str | None = _id()


@attrs.frozen(repr=False)
class KeyResult(_Goal):
    """A key result of an objective."""

    objective_id: str | None = _id()


OkrEntity: TypeAlias = Cycle | Objective | KeyResult | ProgressRecord
"""Whatever an OKR archive holds, one entity a line."""


# --- putting them together --------------------------------------------------------------


@attrs.frozen
class KeyResultProgress:
    """A key result and its progress records, newest first."""

    key_result: KeyResult
    progress: tuple[ProgressRecord, ...] = ()


@attrs.frozen
class ObjectiveOkrs:
    """An objective (``None``: for key results and progress records whose objective is
    not among the entities), its key results in position order, and its own progress
    records, newest first."""

    objective: Objective | None
    key_results: tuple[KeyResultProgress, ...] = ()
    progress: tuple[ProgressRecord, ...] = ()


@attrs.frozen
class CycleOkrs:
    """A cycle (``None``: for what the entities do not place in one of theirs) and its
    objectives in position order."""

    cycle: Cycle | None
    objectives: tuple[ObjectiveOkrs, ...] = ()


_NEVER = _dt.datetime.min.replace(tzinfo=_dt.timezone.utc)


def _by_position(entity: Objective | KeyResult) -> tuple[bool, int]:
    return (entity.position is None, entity.position or 0)


def _newest_first(records: Iterable[ProgressRecord]) -> tuple[ProgressRecord, ...]:
    def when(record: ProgressRecord) -> _dt.datetime:
        return record.modified_at or record.created_at or _NEVER

    return tuple(sorted(records, key=when, reverse=True))


def group(entities: Iterable[OkrEntity]) -> list[CycleOkrs]:
    """Cycles with their objectives, key results and progress, in reading order.

    Cycles come in the order given; objectives and key results by ``position`` (ties as
    given); progress records newest first. An entity given twice (same kind and id) counts
    once, the last one winning, as in an archive that was fetched again; a progress record
    keeps the target an earlier one with its id named (so the stubs of
    :func:`~okrcontent.load_user_okrs` place a v1 archive's records). What cannot be
    placed is kept, never dropped: objectives of a cycle not given, key results of an
    objective not given and progress records without a target given (a v1 archive of
    progress records alone) go to a last group whose ``cycle`` is ``None``, the last two
    under an objective ``None``.
    """
    cycles: dict[str | None, Cycle] = {}
    objectives: dict[str | None, Objective] = {}
    key_results: dict[str | None, KeyResult] = {}
    records: dict[object, ProgressRecord] = {}
    for entity in entities:
        if isinstance(entity, Cycle):
            cycles[entity.id] = entity
        elif isinstance(entity, Objective):
            objectives[entity.id] = entity
        elif isinstance(entity, KeyResult):
            key_results[entity.id] = entity
        elif entity.progress_id is None:  # records without an id are all kept
            records[object()] = entity
        else:  # the target a record named before stays (v1: users/:id/okrs names it)
            earlier = records.get(entity.progress_id)
            if earlier is not None and entity.entity_type is None:
                entity = attrs.evolve(
                    entity, entity_type=earlier.entity_type, entity_id=earlier.entity_id
                )
            records[entity.progress_id] = entity

    progress: dict[tuple[EntityType | None, str | None], list[ProgressRecord]] = {}
    for record in records.values():
        kind, target = record.entity_type, record.entity_id
        known = objectives if kind is EntityType.OBJECTIVE else key_results
        if kind is None or target not in known:
            kind, target = None, None
        progress.setdefault((kind, target), []).append(record)

    krs_of: dict[str | None, list[KeyResult]] = {}
    for key_result in sorted(key_results.values(), key=_by_position):
        objective_id = key_result.objective_id if key_result.objective_id in objectives else None
        krs_of.setdefault(objective_id, []).append(key_result)

    def placed(objective: Objective | None) -> ObjectiveOkrs:
        objective_id = objective.id if objective is not None else None
        key = (EntityType.OBJECTIVE, objective_id) if objective is not None else (None, None)
        return ObjectiveOkrs(
            objective,
            tuple(
                KeyResultProgress(
                    kr, _newest_first(progress.get((EntityType.KEY_RESULT, kr.id), ()))
                )
                for kr in krs_of.get(objective_id, ())
            ),
            _newest_first(progress.get(key, ())),
        )

    objectives_of: dict[str | None, list[ObjectiveOkrs]] = {}
    for objective in sorted(objectives.values(), key=_by_position):
        cycle_id = objective.cycle_id if objective.cycle_id in cycles else None
        objectives_of.setdefault(cycle_id, []).append(placed(objective))
    if None in krs_of or (None, None) in progress:
        objectives_of.setdefault(None, []).append(placed(None))

    groups = [CycleOkrs(cycle, tuple(objectives_of.get(key, ()))) for key, cycle in cycles.items()]
    if None in objectives_of:
        groups.append(CycleOkrs(None, tuple(objectives_of[None])))
    return groups
