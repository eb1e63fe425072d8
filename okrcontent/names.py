"""Output file names from a template: ``{progress_id}`` (the default),
``{modified:%Y-%m-%d}_{progress_id}``, ``{status}-{progress_id}``.

A template is ``str.format`` syntax over the fields of :data:`FIELDS` only, and it can never
name a file outside the output folder: a field is a bare name (no ``{progress_id.__class__}``,
no ``{x[0]}``, no ``{0}`` or ``{}``), it takes a format spec but no conversion (``!r``) and no
nested field, the text around the fields holds no path separator, and the name a template
makes must pass the file-name rule of :mod:`okrcontent.ids` (letters, digits, ``_``, ``.``,
``-``; not starting with ``.`` or ``-``; at most 128 characters). A template is tried on a
sample record when it is made, so that ``{modified:%D}`` (``12/28/21``) is refused before any
record is converted; each record's name is checked again, and a record whose name breaks
the rule (or that lacks a field the template uses) is that record's failure.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

from .errors import ContentError
from .ids import check_name, shown
from .metadata import STATUS_NAMES
from .model import ProgressRate, ProgressRecord, ProgressStatus

__all__ = ["DEFAULT_TEMPLATE", "FIELDS", "NameTemplate"]

DEFAULT_TEMPLATE = "{progress_id}"


def _status(record: ProgressRecord) -> str:
    status = record.progress_rate.status if record.progress_rate is not None else None
    return STATUS_NAMES[status or ProgressStatus.NONE]


def _percent(record: ProgressRecord) -> float | None:
    return record.progress_rate.percent if record.progress_rate is not None else None


FIELDS: dict[str, tuple[Callable[[ProgressRecord], Any], str, str]] = {
    "progress_id": (lambda r: r.progress_id, "progress_id", "the record's id (v2: its id)"),
    "modified": (lambda r: r.modified_at, "modify_time", "modify_time, a UTC datetime"),
    "created": (lambda r: r.created_at, "create_time", "create_time, a UTC datetime"),
    "status": (_status, "progress_rate.status", "none, normal, at_risk or delayed"),
    "percent": (_percent, "progress_rate.percent", "the percent, a number"),
    "entity_id": (lambda r: r.entity_id, "entity_id", "the objective or key result (v2)"),
}
"""Field -> (its value in a record, the record field it comes from, what it is)."""

SAMPLE = ProgressRecord(
    progress_id="7046518160811425812",
    modify_time="1640677213095",
    create_time="1640677213095",
    progress_rate=ProgressRate(50.5, ProgressStatus.AT_RISK),
    entity_id="7046518160811425801",
)
"""The record a template is tried on when it is made."""

_FORMATTER = string.Formatter()


class NameTemplate:
    """A checked template; :meth:`name` gives a record's file name (without extension)."""

    __slots__ = ("_parts", "template")

    def __init__(self, template: str = DEFAULT_TEMPLATE) -> None:
        """Raises :class:`ValueError` saying what is wrong with ``template``."""
        self.template = template
        self._parts: list[tuple[str, str | None, str]] = []
        try:
            parsed = list(_FORMATTER.parse(template))
        except ValueError as error:  # a lone { or }
            raise ValueError(f"{shown(template)}: {error}") from None
        for literal, field, spec, conversion in parsed:
            _check_literal(template, literal)
            if field is not None:
                _check_field(template, field, spec or "", conversion)
            self._parts.append((literal, field, spec or ""))
        if not any(field for _, field, _ in self._parts):
            raise ValueError(f"{shown(template)}: names no field, so every record gets one name")
        try:
            self.name(SAMPLE)
        except ContentError as error:
            raise ValueError(f"{shown(template)}: {error.reason} (tried on a sample)") from None

    @property
    def is_default(self) -> bool:
        return self.template == DEFAULT_TEMPLATE

    def name(self, record: ProgressRecord) -> str:
        """The file name ``record`` gets, without extension; :class:`ContentError` if a
        field it uses is missing or the name is no file name."""
        pieces = []
        for literal, field, spec in self._parts:
            pieces.append(literal)
            if field is None:
                continue
            value_of, source, _ = FIELDS[field]
            value = value_of(record)
            if value is None:
                raise ContentError(f"missing (the name template uses {{{field}}})", source)
            try:
                pieces.append(format(value, spec))
            except (ValueError, TypeError) as error:
                raise ContentError(f"{{{field}:{spec}}}: {error}", "name") from None
        return check_name("".join(pieces), "name")

    def __repr__(self) -> str:
        return f"NameTemplate({self.template!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NameTemplate) and other.template == self.template

    def __hash__(self) -> int:
        return hash(self.template)


def _check_literal(template: str, literal: str) -> None:
    for bad in ("/", "\\", "\x00"):
        if bad in literal:
            raise ValueError(f"{shown(template)}: {bad!r} would leave the output folder")


def _check_field(template: str, field: str, spec: str, conversion: str | None) -> None:
    if field not in FIELDS:
        if not field or field.isdigit():
            why = "a field needs a name"
        elif field.split(".")[0].split("[")[0] in FIELDS:
            why = f"{{{field}}} reaches into a field; give the field alone"
        else:
            why = f"no field {{{field}}}"
        raise ValueError(f"{shown(template)}: {why} (fields: {', '.join(FIELDS)})")
    if conversion is not None:
        raise ValueError(f"{shown(template)}: {{{field}!{conversion}}}: no conversions")
    if "{" in spec or "}" in spec:
        raise ValueError(f"{shown(template)}: {{{field}:{spec}}}: no fields inside a format")
