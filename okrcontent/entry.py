"""One archive entry: the one judgement of what a good entry is (which ``convert`` and
``validate`` share), and its pure conversion, which any scheduler can map over entries:
JSON text in, the converted text or the failure out, never an exception for bad input."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import attrs

from .codec import load_okr, load_record
from .errors import ContentError, LossWarning, OkrContentError, WrongKindError
from .formats import FORMATS
from .ids import check_name
from .ledger import Verdict
from .manifest import modified_ms
from .media_files import localize
from .model import ProgressRecord
from .people import People

__all__ = [
    "ENTITY_KINDS",
    "Failure",
    "Outcome",
    "aside",
    "check",
    "convert_source",
    "file_options",
    "id_or_none",
    "output_name",
    "record_of",
    "render",
    "unexpected",
]


@attrs.frozen
class Failure:
    """A record that did not convert (or an image of it that was not kept): where it was,
    and why."""

    location: str
    message: str
    progress_id: str | None = None

    def as_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class Outcome:
    """What became of one record: its output (or why it was not converted), or its
    failure. ``name`` and ``modified`` are what the ledger settles it by."""

    location: str
    progress_id: str | None = None
    output: str | None = None  # the converted text (pure use), or a temporary file (batch)
    failure: str | None = None
    warnings: tuple[str, ...] = ()
    errno: int | None = None  # of a failed write
    verdict: Verdict | None = None  # against the output folder (batch)
    name: str | None = None  # the output's file name (batch)
    modified: int | None = None  # the record's modify_time, epoch milliseconds
    partial: bool = False  # an image that could be kept was not: its output links to its src
    entity: str | None = None  # an OKR entity (cycle, objective, key result): left aside

    @property
    def skipped(self) -> bool:
        """Not converted: its output is there (up to date, newer, or another's)."""
        return self.verdict is not None and self.verdict is not Verdict.CONVERT


def record_of(text: bytes | str) -> ProgressRecord:
    """The record in one archive entry: the one judgement of what a good entry is, which
    ``convert`` and ``validate`` share. A record must have a ``progress_id`` that can name a
    file (raises :class:`ContentError` otherwise)."""
    record = load_record(text)
    progress_id = record.progress_id
    if progress_id is None:
        raise ContentError("missing (a record needs one to name its output)", "progress_id")
    check_name(progress_id, "progress_id")
    return record


ENTITY_KINDS = frozenset({"cycle", "objective", "key_result"})
"""What an archive that ``fetch --user`` wrote holds beside progress records: entities the
batch leaves aside (``okrcontent okr`` makes documents of them), if they load."""


def aside(error: WrongKindError, text: bytes | str) -> str:
    """The kind of an OKR entity :func:`record_of` refused, once it loads as one (an entity
    that does not load is a bad entry: raises its :class:`ContentError`); ``error`` again
    for anything else (content, a page of a list answer)."""
    if error.kind not in ENTITY_KINDS:
        raise error
    load_okr(text)
    return error.kind


def check(text: bytes | str) -> str | None:
    """Why an archive entry is not a good record or OKR entity (:func:`record_of`'s
    judgement, as the message a batch would report), or ``None``: what ``validate`` asks of
    every entry."""
    try:
        try:
            record_of(text)
        except WrongKindError as error:
            aside(error, text)
    except OkrContentError as error:
        return str(error)
    except Exception as error:  # one record's bug must not cost the others
        return unexpected(error)
    return None


def file_options(to: str, options: Mapping[str, Any] | None) -> dict[str, Any]:
    """The writer options of an output file in format ``to``: the format's defaults for a
    file of its own, overridden by ``options``; :class:`ValueError` for an unknown format
    or an option its writer does not take."""
    if to not in FORMATS:
        raise ValueError(f"unknown format {to!r}; one of {', '.join(sorted(FORMATS))}")
    fmt = FORMATS[to]
    try:
        fmt.check_options(options or {})
    except ValueError as error:
        raise ValueError(f"{to}: {error}") from None
    return {**fmt.file_options, **(options or {})}


def output_name(progress_id: str, to: str) -> str:
    """The file name of a record's output."""
    return progress_id + FORMATS[to].extension


@attrs.frozen
class Rendered:
    """A record in a format: the text, what the format could not show, and whether an
    image that could be kept was not (it keeps its remote src)."""

    text: str
    losses: tuple[str, ...]
    partial: bool  # an image that could be kept has no link: it keeps its remote src


def render(
    record: ProgressRecord,
    to: str,
    people: People,
    options: Mapping[str, Any],
    links: Mapping[str, str] | None,
) -> Rendered:
    """The record in format ``to``, its images linked to kept files where ``links`` (image
    stem -> relative link) has them, and what the format could not show."""
    import warnings

    missing = 0
    if links is not None:
        localized, missing = localize(record, links)
        record = localized if isinstance(localized, ProgressRecord) else record
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LossWarning)
        text = FORMATS[to].write(record, people=people, **options)
    return Rendered(text, tuple(dict.fromkeys(str(w.message) for w in caught)), missing > 0)


def unexpected(error: Exception) -> str:
    """The failure message of an exception no record should cause: a bug, not bad input."""
    return f"{type(error).__name__}: {error} (a bug in okrcontent: please report it)"


def convert_source(
    location: str,
    text: bytes | str,
    to: str,
    people: People = None,
    options: Mapping[str, Any] | None = None,
    links: Mapping[str, str] | None = None,
) -> Outcome:
    """One archive entry converted, or its failure: never raises for bad input.

    This is the per-record function an outside scheduler maps over records; ``options`` are
    the writer's own (``{"standalone": True}`` for HTML: :attr:`Format.options`); ``links``
    point images at kept files (image stem -> link, :mod:`okrcontent.media_files`).
    """
    try:
        try:
            record = record_of(text)
        except WrongKindError as error:
            return Outcome(location, entity=aside(error, text))
        rendered = render(record, to, people, options or {}, links)
    except OkrContentError as error:  # bad content, or a people= callable that failed
        return Outcome(location, id_or_none(text), failure=str(error))
    except Exception as error:  # one record's bug must not cost the others
        return Outcome(location, id_or_none(text), failure=unexpected(error))
    return Outcome(
        location,
        record.progress_id,
        output=rendered.text,
        warnings=rendered.losses,
        modified=modified_ms(record.modify_time),
        partial=rendered.partial,
    )


def id_or_none(text: bytes | str) -> str | None:
    """The id of a record that did not load, if it has one, for its failure: a v1 record's
    ``progress_id``, or a v2 progress item's ``id`` (a string, or digits as a number)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, dict) and "progress_id" not in data and "id" not in data:
        data = data.get("data")
    if not isinstance(data, dict):
        return None
    value = data.get("progress_id", data.get("id"))
    if type(value) is int and value >= 0:
        return str(value)
    return value if isinstance(value, str) else None
