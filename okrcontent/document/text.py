"""A document as plain text, for a terminal: front matter, then sections shown by indentation.

The title is underlined with ``=``, objectives (and whatever else stands at the second level)
with ``-``, both as wide as the text shows (CJK characters take two columns). Everything under
an objective is indented two spaces a level: its key results, and under each a record's
heading line (``• 2025-10-16 08:50 UTC · 50% · Normal``) with its content two spaces further
in. Content is :func:`okrcontent.to_text`'s, line for line, so its own list markers and
indentation read as they do anywhere else.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from .. import frontmatter
from ..model import Content, Element, Paragraph, TextRun
from ..people import People
from ..writers.text import to_text
from .outline import WORDS, Entry, Fact, Outline, Section, heading_people

__all__ = ["render", "width"]

UNDERLINES = {1: "=", 2: "-"}
"""Heading level -> the character that underlines it (deeper headings are not)."""
INDENT = "  "
BULLET = "• "
SEPARATOR = " · "


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters two, combining
    marks none."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def render(outline: Outline, people: People) -> str:
    """The whole document."""
    blocks = [_heading(1, "", (TextRun(outline.title),), people)]
    if outline.facts:
        blocks[0].append(_facts(outline.facts))
    for section in outline.sections:
        _section(section, people, blocks)
    head = frontmatter.dump(outline.fields)
    body = "\n\n".join("\n".join(line.rstrip() for line in block) for block in blocks if block)
    return (head + "\n" if head else "") + body + "\n"


def _lines(content: Content, people: People) -> list[str]:
    return to_text(content, people=people).splitlines()


def _heading(level: int, label: str, title: Sequence[Element], people: People) -> list[str]:
    elements: list[Element] = [TextRun(f"{label} " if title else label)] if label else []
    line = "".join(_lines(Content([Paragraph([*elements, *title])]), heading_people(people)))
    underline = UNDERLINES.get(level)
    return [line, underline * width(line)] if underline else [line]


def _facts(facts: Sequence[Fact]) -> str:
    return SEPARATOR.join(f"{fact.label} {fact.text}" for fact in facts)


def _indented(lines: list[str], level: int) -> list[str]:
    margin = INDENT * max(level - 2, 0)
    return [margin + line for line in lines]


def _entry(entry: Entry, people: People) -> list[str]:
    content = entry.content
    lines = _lines(content, people) if content is not None else [WORDS["empty"]]
    return _indented(
        [BULLET + SEPARATOR.join(entry.head), *(INDENT + line for line in lines)], entry.level
    )


def _section(section: Section, people: People, out: list[list[str]]) -> None:
    level = section.level
    head: list[str] = []
    if section.heading:
        head = _heading(level, section.label, section.title, people)
    if section.facts:
        head.append(_facts(section.facts))
    out.append(_indented(head, level))
    if section.body is not None:
        out.append(_indented(_lines(section.body, people), level))
    if section.notes is not None:
        notes = [f"{WORDS['notes']}:", *(INDENT + line for line in _lines(section.notes, people))]
        out.append(_indented(notes, level))
    out.extend(_entry(entry, people) for entry in section.progress)
    for child in section.children:
        _section(child, people, out)
