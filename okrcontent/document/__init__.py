"""Whole OKRs as documents: one per user and cycle, in Markdown, HTML or plain text.

::

    entities = okrcontent.document.load_archive(["okrs.jsonl"]).entities
    texts = okrcontent.okr_document(entities, to="html", people=names)
    for (user, cycle_id), text in texts.items(): ...

    for document in okrcontent.document.documents(entities):   # the same, step by step
        path = out / (document.name + FORMATS["markdown"].suffix)
        path.write_text(okrcontent.document.render(document, "markdown"))

A :class:`Document` is the OKRs of one user in one cycle, as :func:`okrcontent.okr.group`
puts them together (objectives in position order, their key results, progress newest first).
:func:`render` writes it through :mod:`~okrcontent.document.outline` (what is shown, decided
once) and one renderer a format (:data:`FORMATS`); the content of objectives, key results,
notes and records is written by the library's own writers, so lists, numbers, colours and
mentions look as they do everywhere else. Reading archives: :mod:`~okrcontent.document.archive`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import attrs

from ..ids import check_id, check_name, check_user_id
from ..model import Owner, ProgressRecord
from ..okr import Cycle, KeyResultProgress, ObjectiveOkrs, OkrEntity, group
from ..people import People
from . import html, markdown, text
from .archive import Archive, BadLine, load_archive, load_line
from .display import UTC
from .outline import Outline, outline

__all__ = [
    "FORMATS",
    "UNPLACED",
    "Archive",
    "BadLine",
    "Document",
    "DocumentFormat",
    "documents",
    "load_archive",
    "load_line",
    "okr_document",
    "render",
]

UNPLACED = "unplaced"
"""The cycle part of the name of a document for what no cycle holds."""


@attrs.frozen
class DocumentFormat:
    """A format a document is written in: its file suffix and its renderer."""

    suffix: str
    render: Callable[[Outline, People], str]


FORMATS: dict[str, DocumentFormat] = {
    "markdown": DocumentFormat(".md", markdown.render),
    "html": DocumentFormat(".html", html.render),
    "text": DocumentFormat(".txt", text.render),
}
"""Format name -> how a document is written in it."""


@attrs.frozen
class Document:
    """The OKRs of one user (``None``: not known) in one cycle (``cycle_id`` ``None``: what no
    cycle holds). ``cycle`` is the cycle itself when the entities held it; ``objectives``
    are :func:`okrcontent.okr.group`'s, the unplaced rest (an objective ``None``) last."""

    user: str | None
    cycle_id: str | None
    cycle: Cycle | None = None
    objectives: tuple[ObjectiveOkrs, ...] = ()

    @property
    def key(self) -> tuple[str | None, str | None]:
        """``(user, cycle_id)``: what :func:`okr_document` keys the texts by."""
        return self.user, self.cycle_id

    @property
    def name(self) -> str:
        """A file name (without suffix) made of the ids alone: ``{user}_{cycle_id}``, the
        user empty when unknown and the cycle :data:`UNPLACED` when none holds the document
        (``ou_3bbe..._7342...``, ``_unplaced``). Distinct documents have distinct names.

        Raises :class:`~okrcontent.ContentError` when an id breaks the rules of
        :mod:`okrcontent.ids` (so no name can leave its folder, nor start with ``-``)."""
        # A user id, and one a file name may start with (not "-": a command's option).
        user = "" if self.user is None else check_name(check_user_id(self.user, "user"), "user")
        cycle = UNPLACED if self.cycle_id is None else check_id(self.cycle_id, "cycle")
        return f"{user}_{cycle}"


def _owner(owner: Owner | None) -> str | None:
    return owner.user_id if owner is not None else None


def _first_owner(items: Iterable[ObjectiveOkrs]) -> str | None:
    for item in items:
        if item.objective is not None and _owner(item.objective.owner) is not None:
            return _owner(item.objective.owner)
    return None


def _by_owner(unplaced: ObjectiveOkrs) -> dict[str | None, ObjectiveOkrs]:
    """The unplaced rest split by whose each key result and record is."""
    key_results: dict[str | None, list[KeyResultProgress]] = {}
    records: dict[str | None, list[ProgressRecord]] = {}
    for item in unplaced.key_results:
        key_results.setdefault(_owner(item.key_result.owner), []).append(item)
    for record in unplaced.progress:
        records.setdefault(_owner(record.owner), []).append(record)
    owners = dict.fromkeys([*key_results, *records])
    return {
        owner: ObjectiveOkrs(None, tuple(key_results.get(owner, ())), tuple(records.get(owner, ())))
        for owner in owners
    }


@attrs.define
class _Parts:
    """What one document gathers: its cycle, placed objectives and unplaced rest."""

    cycle: Cycle | None = None
    placed: list[ObjectiveOkrs] = attrs.Factory(list)
    key_results: list[KeyResultProgress] = attrs.Factory(list)
    progress: list[ProgressRecord] = attrs.Factory(list)

    def add(self, items: Iterable[ObjectiveOkrs]) -> None:
        for item in items:
            if item.objective is not None:
                self.placed.append(item)
            else:
                self.key_results += item.key_results
                self.progress += item.progress

    def objectives(self) -> tuple[ObjectiveOkrs, ...]:
        if not (self.key_results or self.progress):
            return tuple(self.placed)
        # Records without their target, newest first: the one place that order is decided.
        progress = group(self.progress)[0].objectives[0].progress if self.progress else ()
        return (*self.placed, ObjectiveOkrs(None, tuple(self.key_results), progress))


def documents(entities: Iterable[OkrEntity]) -> list[Document]:
    """The documents the entities make: one per user and cycle, in the order the cycles
    came, then those of objectives whose cycle is not among the entities, then the
    unplaced rest of each user. The user is the cycle's owner (or its objectives' when the
    cycle has none); without the cycle, each objective's, key result's and record's own."""
    parts: dict[tuple[str | None, str | None], _Parts] = {}
    for cycle_okrs in group(entities):
        cycle = cycle_okrs.cycle
        if cycle is not None:
            user = _owner(cycle.owner) or _first_owner(cycle_okrs.objectives)
            found = parts.setdefault((user, cycle.id), _Parts())
            found.cycle = found.cycle or cycle
            found.add(cycle_okrs.objectives)
            continue
        for item in cycle_okrs.objectives:
            if item.objective is not None:
                key = (_owner(item.objective.owner), item.objective.cycle_id)
                parts.setdefault(key, _Parts()).add([item])
            else:
                for owner, rest in _by_owner(item).items():
                    parts.setdefault((owner, None), _Parts()).add([rest])
    return [
        Document(user, cycle_id, found.cycle, found.objectives())
        for (user, cycle_id), found in parts.items()
    ]


def render(
    document: Document,
    to: str = "markdown",
    *,
    people: People = None,
    timezone: dt.tzinfo | None = UTC,
) -> str:
    """``document`` in the format ``to`` (a key of :data:`FORMATS`). ``people`` names
    the user and the mentions (a mapping or a callable, as every writer takes);
    ``timezone`` is the reader's, for the times shown (``None``: this machine's; metadata
    keeps exact instants).
    Writers' :class:`~okrcontent.LossWarning` s (content of a type no format shows) pass
    through."""
    try:
        renderer = FORMATS[to].render
    except KeyError:
        raise ValueError(f"to must be one of {', '.join(FORMATS)}, not {to!r}") from None
    return renderer(outline(document, people, timezone), people)


def okr_document(
    entities: Iterable[OkrEntity],
    *,
    to: str = "markdown",
    people: People = None,
    timezone: dt.tzinfo | None = UTC,
) -> dict[tuple[str | None, str | None], str]:
    """One text per user and cycle: ``{(user, cycle_id): text}`` for the OKR entities
    (cycles, objectives, key results, progress records, in any order, as
    :func:`okrcontent.load_okr` and :func:`okrcontent.load_user_okrs` give them), rendered
    as :func:`render` does. A v1 archive of progress records alone makes one document,
    ``(None, None)``."""
    return {
        document.key: render(document, to, people=people, timezone=timezone)
        for document in documents(entities)
    }
