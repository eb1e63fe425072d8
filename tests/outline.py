"""Fixture files, and the outline notation they use for content.

A fixture file holds cases, each a title line, then ``.``-delimited sections (as in
markdown-it-py's fixtures)::

    ordered list that starts at 3
    .
    3. a
    .
    ["number 1 #3", "a"]
    .

Content is written as an *outline*: one JSON array a line, one line a block. The first item
says what the line is: ``""`` a paragraph, ``"bullet 2"`` a list line (kind and level),
``"number 1 #3"`` an ordered line with its number, ``"gallery"`` a gallery. The rest are the
elements: a string is a plain run; an object is a styled run (``{"text": "x", "bold": true,
"strike": true, "color": [r, g, b, a], "back": [r, g, b, a], "link": "url"}``), a mention
(``{"mention": "ou_1"}``) or a doc link (``{"doc": "url", "title": "t"}``); in a gallery, an
image (``{"src": "...", "token": "...", "width": 1.0, "height": 2.0}``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from okrcontent import (
    Color,
    Content,
    DocsLink,
    Element,
    Gallery,
    Image,
    ListStyle,
    Mention,
    Paragraph,
    TextRun,
    TextStyle,
)

FIXTURES = Path(__file__).parent / "fixtures"

KINDS = {
    "bullet": "bullet",
    "number": "number",
    "checkbox": "checkBox",
    "checked": "checkedBox",
    "indent": "indent",
}


def read_sections(path: Path, count: int) -> list[tuple[int, str, list[str]]]:
    """``(line, title, sections)`` for each case of a fixture file whose cases have
    ``count`` ``.``-delimited sections."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases = []
    index = 0
    while index < len(lines):
        if index + 1 < len(lines) and lines[index + 1] == "." and lines[index].strip():
            title, start = lines[index], index
            sections: list[list[str]] = [[]]
            index += 2
            while index < len(lines) and len(sections) <= count:
                if lines[index] == ".":
                    sections.append([])
                else:
                    sections[-1].append(lines[index])
                index += 1
            cases.append((start + 1, title, ["\n".join(s) for s in sections[:count]]))
        else:
            index += 1
    return cases


def read_fixture_file(path: Path) -> list[tuple[int, str, str, str]]:
    """``(line, title, input, expected)`` for each case of a fixture file."""
    return [
        (line, title, source + "\n" if source else "", expected)
        for line, title, (source, expected) in read_sections(path, 2)
    ]


def _color(value: list[float]) -> Color:
    red, green, blue, *alpha = value
    return Color(int(red), int(green), int(blue), float(alpha[0]) if alpha else 1.0)


def _element(item: str | dict[str, Any]) -> Element:
    if isinstance(item, str):
        return TextRun(item)
    if "mention" in item:
        return Mention(item["mention"] or None, item.get("user"))
    if "doc" in item:
        return DocsLink(item["doc"], item.get("title", ""))
    style = TextStyle(
        item.get("bold"),
        item.get("strike"),
        _color(item["color"]) if "color" in item else None,
        _color(item["back"]) if "back" in item else None,
        item.get("link"),
    )
    return TextRun(item["text"], style)


def _block(line: list[Any]) -> Paragraph | Gallery:
    head, *rest = line
    if head == "gallery":
        return Gallery(
            [Image(i.get("src"), i.get("token"), i.get("width"), i.get("height")) for i in rest]
        )
    style = None
    if head:
        kind, level, *number = head.split()
        style = ListStyle(KINDS[kind], int(level), int(number[0][1:]) if number else None)
    return Paragraph([_element(e) for e in rest], style)


def outline(text: str) -> Content:
    """Content from outline lines (blank lines ignored)."""
    return Content([_block(json.loads(line)) for line in text.splitlines() if line.strip()])
