"""What a document shows, before any format: the one place that decides it.

:func:`outline` turns a :class:`~okrcontent.document.Document` into an :class:`Outline`: its
title, facts and metadata fields, then :class:`Section` s (objectives, their key results)
with absolute heading levels, each with its facts, notes and :class:`Entry` s (progress
records, newest first). The Markdown, HTML and text renderers only walk this tree, so the
three formats say the same things in the same order; the words are :data:`WORDS`.

Decisions taken here, once for every format:

- An objective or key result is titled by the first line of its content (newlines in it
  read as spaces: a heading is one line); the lines after it are shown under the heading.
- Objectives are numbered in position order (``O1``, ``O2``), key results under them
  (``KR1.1``): the numbers a reader says, not the API's ``position`` values, which may skip.
- Times are shown in the reader's time zone (``timezone``, UTC by default), cycles by their
  months (:mod:`okrcontent.document.display`); metadata fields keep exact instants.
- What :func:`okrcontent.okr.group` could not place (key results whose objective, progress
  records whose target, the document does not hold: a v1 archive of records alone) is one
  last section; records that name a target are grouped under it. When that section is the
  document's only one, it has no heading of its own (its contents sit under the title).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..metadata import STATUS_WORDS
from ..model import (
    Block,
    Content,
    DocsLink,
    Element,
    EntityType,
    Mention,
    Paragraph,
    ProgressRecord,
    ProgressStatus,
    TextRun,
)
from ..okr import Cycle, CycleStatus, KeyResult, KeyResultProgress, Objective, ObjectiveOkrs
from ..people import People, display_name
from .display import UTC, cycle_name, deadline, local, moment, number, percent

if TYPE_CHECKING:
    from . import Document

__all__ = [
    "WORDS",
    "Entry",
    "Fact",
    "Kind",
    "Outline",
    "Section",
    "heading_people",
    "outline",
    "title_and_body",
]

WORDS: dict[str, str] = {
    "score": "Score",
    "weight": "Weight",
    "deadline": "Deadline",
    "status": "Status",
    "notes": "Notes",
    "empty": "(no content)",
    "undated": "undated",
    "other": "Other progress",
    "overview": "Overview",
    "latest": "Latest",
    "untitled": "Progress records",
    "okrs": "OKRs",
    "cycle": "cycle",
    EntityType.OBJECTIVE.name: "Objective",
    EntityType.KEY_RESULT.name: "Key result",
    **{status.name: word for status, word in STATUS_WORDS.items()},
    f"cycle {CycleStatus.DEFAULT.name}": "Default",
    f"cycle {CycleStatus.NORMAL.name}": "Active",
    f"cycle {CycleStatus.INVALID.name}": "Ended",
    f"cycle {CycleStatus.HIDDEN.name}": "Hidden",
}
"""Every word a document adds to the content, by key (a status by its member name; a
record's ``NONE`` status shows no word)."""


class Kind(enum.Enum):
    """What a section stands for (HTML classes are its values)."""

    OBJECTIVE = "objective"
    KEY_RESULT = "key-result"
    TARGET = "target"  #: an objective or key result known only by the id its records name
    OTHER = "other"  #: what the document could not place


@attrs.frozen
class Fact:
    """One fact in a facts line: ``name`` for machines, ``label`` and ``text`` for people."""

    name: str
    label: str
    text: str


@attrs.frozen
class Entry:
    """A progress record as shown: its heading line's parts and its content."""

    level: int
    anchor: str
    record: ProgressRecord
    when: dt.datetime | None  #: in the reader's time zone
    when_text: str
    percent: float | None
    percent_text: str | None
    status: ProgressStatus | None  #: ``None`` also for ``ProgressStatus.NONE``
    status_text: str | None

    @property
    def content(self) -> Content | None:
        """The record's content, ``None`` when it has no block."""
        content = self.record.content
        return content if content is not None and content.blocks else None

    @property
    def head(self) -> tuple[str, ...]:
        """The heading line's parts, in order: date, percent, status."""
        return tuple(p for p in (self.when_text, self.percent_text, self.status_text) if p)


@attrs.frozen
class Section:
    """An objective, a key result, a target or the unplaced rest, with what is under it.

    ``title`` is the inline elements of the heading (after ``label``); ``body`` the lines
    of the content after the first; ``heading`` is ``False`` for a section shown without a
    heading of its own (its contents then sit at ``level``)."""

    level: int
    anchor: str
    kind: Kind
    label: str
    title: tuple[Element, ...]
    facts: tuple[Fact, ...] = ()
    body: Content | None = None
    notes: Content | None = None
    progress: tuple[Entry, ...] = ()
    children: tuple[Section, ...] = ()
    heading: bool = True


@attrs.frozen
class Outline:
    """A whole document: its title, facts, metadata (``fields``, for front matter and
    ``<meta>``: exact values, ``None`` left out) and sections."""

    title: str
    facts: tuple[Fact, ...]
    fields: Mapping[str, Any]
    sections: tuple[Section, ...]


# --- titles ----------------------------------------------------------------------------------


def _one_line(element: Element) -> Element:
    """An element of a heading: line breaks in its text read as spaces."""
    if isinstance(element, TextRun) and ("\n" in element.text or "\r" in element.text):
        return attrs.evolve(element, text=_flat(element.text))
    if isinstance(element, DocsLink) and element.title and any(c in element.title for c in "\r\n"):
        return attrs.evolve(element, title=_flat(element.title))
    return element


def _flat(text: str) -> str:
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def title_and_body(content: Content | None) -> tuple[tuple[Element, ...], Content | None]:
    """The first line of ``content`` as a heading's elements, and the lines after it."""
    blocks: tuple[Block, ...] = content.blocks if content is not None else ()
    title: list[Element] = []
    if blocks and isinstance(blocks[0], Paragraph):
        title = [_one_line(element) for element in blocks[0].elements]
        blocks = blocks[1:]
    # A heading's edges: no spaces (Markdown would show them as character references).
    for index, strip in ((0, str.lstrip), (-1, str.rstrip)):
        while title:
            run = title[index]
            if not isinstance(run, TextRun):
                break
            if strip(run.text):
                title[index] = attrs.evolve(run, text=strip(run.text))
                break
            del title[index]
    return tuple(title), Content(blocks) if blocks else None


def heading_people(people: People) -> People:
    """``people`` for a heading: a name with a line break in it reads as one line."""
    if people is None:
        return None
    lookup = people.get if isinstance(people, Mapping) else people

    def name(user: str) -> str | None:
        found = lookup(user)  # a failure is the writer's to report, once
        return _flat(found) if isinstance(found, str) else None

    return name


# --- the outline -----------------------------------------------------------------------------


@attrs.define
class _Builder:
    """Numbers anchors and records as it walks, and knows the reader's zone."""

    timezone: dt.tzinfo | None
    entries: int = 0

    def entry(self, record: ProgressRecord, level: int) -> Entry:
        self.entries += 1
        instant = record.modified_at or record.created_at
        when = local(instant, self.timezone) if instant is not None else None
        rate = record.progress_rate
        value = rate.percent if rate is not None else None
        status = rate.status if rate is not None else None
        if status is ProgressStatus.NONE:
            status = None
        return Entry(
            level=level,
            anchor=f"p{self.entries}",
            record=record,
            when=when,
            when_text=moment(when) if when is not None else WORDS["undated"],
            percent=value,
            percent_text=percent(value) if value is not None else None,
            status=status,
            status_text=WORDS[status.name] if status is not None else None,
        )

    def entries_of(self, records: Iterable[ProgressRecord], level: int) -> tuple[Entry, ...]:
        return tuple(self.entry(record, level) for record in records)

    def goal_facts(self, goal: Objective | KeyResult) -> tuple[Fact, ...]:
        facts = []
        if goal.score is not None:
            facts.append(Fact("score", WORDS["score"], number(goal.score)))
        if goal.weight is not None:
            facts.append(Fact("weight", WORDS["weight"], percent(goal.weight * 100)))
        if goal.deadline_at is not None:
            when = local(goal.deadline_at, self.timezone)
            facts.append(Fact("deadline", WORDS["deadline"], deadline(when)))
        return tuple(facts)

    def key_result(self, item: KeyResultProgress, label: str, anchor: str, level: int) -> Section:
        title, body = title_and_body(item.key_result.content)
        return Section(
            level=level,
            anchor=anchor,
            kind=Kind.KEY_RESULT,
            label=label,
            title=title,
            facts=self.goal_facts(item.key_result),
            body=body,
            progress=self.entries_of(item.progress, level + 1),
        )

    def objective(self, objective: Objective, okrs: ObjectiveOkrs, index: int) -> Section:
        """Objective number ``index`` (``okrs`` holds its key results and progress)."""
        title, body = title_and_body(objective.content)
        notes = objective.notes if objective.notes is not None and objective.notes.blocks else None
        progress = self.entries_of(okrs.progress, 3)
        children = tuple(
            self.key_result(kr, f"KR{index}.{n}", f"o{index}-kr{n}", 3)
            for n, kr in enumerate(okrs.key_results, 1)
        )
        return Section(
            level=2,
            anchor=f"o{index}",
            kind=Kind.OBJECTIVE,
            label=f"O{index}",
            title=title,
            facts=self.goal_facts(objective),
            body=body,
            notes=notes,
            progress=progress,
            children=children,
        )

    def other(self, okrs: ObjectiveOkrs, alone: bool) -> Section:
        """The unplaced rest: key results without their objective, records by the target
        they name, records that name none."""
        level = 2 if alone else 3  # alone: its contents stand under the title
        children = [
            self.key_result(kr, f"KR{n}", f"kr{n}", level)
            for n, kr in enumerate(okrs.key_results, 1)
        ]
        untargeted: list[ProgressRecord] = []
        targets: dict[tuple[EntityType, str | None], list[ProgressRecord]] = {}
        for record in okrs.progress:
            if record.entity_type is None:
                untargeted.append(record)
            else:
                targets.setdefault((record.entity_type, record.entity_id), []).append(record)
        for n, ((kind, target), records) in enumerate(targets.items(), 1):
            words = f"{WORDS[kind.name]} {target}" if target is not None else WORDS[kind.name]
            children.append(
                Section(
                    level=level,
                    anchor=f"t{n}",
                    kind=Kind.TARGET,
                    label="",
                    title=(TextRun(words),),
                    progress=self.entries_of(records, level + 1),
                )
            )
        return Section(
            level=2,
            anchor="other",
            kind=Kind.OTHER,
            label="",
            title=(TextRun(WORDS["other"]),),
            progress=self.entries_of(untargeted, level),
            children=tuple(children),
            heading=not alone,
        )


def _cycle_facts(cycle: Cycle | None) -> tuple[Fact, ...]:
    """The cycle's score and status (its dates are in the title)."""
    facts = []
    if cycle is not None and cycle.score is not None:
        facts.append(Fact("score", WORDS["score"], number(cycle.score)))
    if cycle is not None and cycle.cycle_status is not None:
        name = cycle.cycle_status.name
        facts.append(Fact("status", WORDS["status"], WORDS[f"cycle {name}"]))
    return tuple(facts)


def _fields(document: Document, name: str | None) -> dict[str, Any]:
    cycle = document.cycle
    objectives = [o for o in document.objectives if o.objective is not None]
    key_results = sum(len(o.key_results) for o in document.objectives)
    records = sum(
        len(o.progress) + sum(len(kr.progress) for kr in o.key_results) for o in document.objectives
    )
    fields: dict[str, Any] = {
        "user": document.user,
        "name": name,
        "cycle": document.cycle_id,
        "tenant_cycle": cycle.tenant_cycle_id if cycle is not None else None,
        "start": cycle.starts_at if cycle is not None else None,
        "end": cycle.ends_at if cycle is not None else None,
        "score": cycle.score if cycle is not None else None,
        "status": cycle.cycle_status.name.lower()
        if cycle is not None and cycle.cycle_status is not None
        else None,
        "objectives": len(objectives),
        "key_results": key_results,
        "progress": records,
    }
    return {key: value for key, value in fields.items() if value is not None}


def _title(document: Document, name: str | None, timezone: dt.tzinfo | None) -> str:
    cycle = document.cycle
    period = cycle_name(cycle.starts_at, cycle.ends_at, timezone) if cycle is not None else ""
    if not period and document.cycle_id is not None:
        period = f"{WORDS['cycle']} {document.cycle_id}"
    if name is None and not period:
        return WORDS["untitled"]
    return " · ".join(part for part in (name, period or WORDS["okrs"]) if part)


def outline(document: Document, people: People = None, timezone: dt.tzinfo | None = UTC) -> Outline:
    """What ``document`` shows, in order (``people`` names its user; mentions in the
    content are the renderers' to name)."""
    name = None
    if document.user is not None:
        name = _flat(display_name(Mention(open_id=document.user), people))
    builder = _Builder(timezone)
    placed = [(o.objective, o) for o in document.objectives if o.objective is not None]
    sections = [
        builder.objective(objective, okrs, index)
        for index, (objective, okrs) in enumerate(placed, 1)
    ]
    sections += [
        builder.other(okrs, alone=not placed)
        for okrs in document.objectives
        if okrs.objective is None
    ]
    return Outline(
        title=_title(document, name, timezone),
        facts=_cycle_facts(document.cycle),
        fields=_fields(document, name if name != document.user else None),
        sections=tuple(sections),
    )
