"""What a chat post's text says where Feishu's ``post`` has no element for the content:
shared by the post writer that writes it and the post reader that reads it back
(:mod:`okrcontent.writers.post`, :mod:`okrcontent.readers.post`), so the two cannot drift.

A post is lines of elements (``text``, ``a``, ``at``, ``img``, ...) with no list, no
indentation, no empty line and no gallery. So a line says them in its leading text:

- **indentation**: :data:`INDENT` (U+3000, the ideographic space) once a level; a chat
  renderer may collapse or trim ASCII spaces at the start of a line, never U+3000. Read
  back: U+3000 is a level, and so are two spaces (or NBSPs) or a tab, as people type them.
- **a marker** (:data:`MARKERS`): ``• `` (``◦`` and ``▪`` deeper, as Feishu's editors
  draw them), ``3. `` (the record's own number), ``☐ `` open and ``☑ `` done task; read
  back also as people type them (``-``, ``*``, ``+``, ``1)``, ``[ ]``, ``[x]``, ``- [ ]``).
- **an empty line**: :data:`EMPTY_LINE` alone (a zero-width space, as the vendor's CLI
  writes one: a line of an empty text may show as nothing).
- **a mention** is an ``at`` only of one user (:func:`is_user`): a mention in content is never
  written as ``@all``.
- **an image**: a line of one ``img``, or of one unstyled ``a`` or ``text`` that reads
  ``[image]`` or ``[image: NAME]`` (:func:`is_image_line`).
- **the escape**: :data:`ESCAPE` before a line's text that would otherwise read as any of
  the above (:func:`needs_escape`, :func:`is_empty_line`, :func:`is_image_line`); one
  backslash there is dropped on reading, and nowhere else does a backslash mean anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from .model import ListKind

__all__ = [
    "BULLETS",
    "EMPTY_LINE",
    "ESCAPE",
    "INDENT",
    "MARKERS",
    "TASKS",
    "bullet",
    "image_text",
    "indentation",
    "is_empty_line",
    "is_image_line",
    "is_plain_text",
    "is_user",
    "lead",
    "needs_escape",
    "placeholder_name",
]

INDENT = "\u3000"
"""One level of indentation."""
BULLETS = ("•", "◦", "▪")
"""The bullet of a list line by level: level 1 ``•``, 2 ``◦``, 3 ``▪``, 4 ``•`` again."""
TASKS = {ListKind.CHECKBOX: "☐", ListKind.CHECKED: "☑"}
"""The box of a task line."""
EMPTY_LINE = "\u200b"
"""The text of an empty line."""
ESCAPE = "\\"
"""Before a line's text: what follows is text, not notation."""

_BULLET = "[-*+•◦▪]"
_TASK = r"(?:\[([ xX])\]|([☐☑]))"
MARKERS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[ListKind, int | None]]]] = [
    (
        re.compile(f"(?:{_BULLET} )?{_TASK}(?: |$)"),
        lambda m: (
            ListKind.CHECKBOX if (m.group(1) or m.group(2)) in " ☐" else ListKind.CHECKED,
            None,
        ),
    ),
    (re.compile(f"{_BULLET}(?: |$)"), lambda m: (ListKind.BULLET, None)),
    (re.compile(r"(\d{1,9})[.)](?: |$)"), lambda m: (ListKind.NUMBER, int(m.group(1)))),
]
"""Marker pattern -> (list kind, number), tried in order after a line's indentation."""

_NOT_A_USER = re.compile(r"all|@_.*", re.DOTALL)
_IMAGE = re.compile(r"\[image(?:: (.+))?\]", re.DOTALL)
_WIDTHS = {INDENT: 2, " ": 1, "\u00a0": 1}
"""Columns of each indentation character; two columns are a level (a tab: the next level)."""


def is_user(user_id: str) -> bool:
    """Does an ``at`` of ``user_id`` mention one user? ``all`` mentions everyone in the chat
    (never written for content, which cannot mean it), ``@_user_1`` is a received message's
    own key for a mention."""
    return bool(user_id) and _NOT_A_USER.fullmatch(user_id) is None


def bullet(level: int) -> str:
    """The bullet of a list line at ``level`` (1-based)."""
    return BULLETS[(level - 1) % len(BULLETS)]


def image_text(name: str | None) -> str:
    """An image's placeholder text: ``[image: NAME]``, or ``[image]`` without a name."""
    return f"[image: {name}]" if name else "[image]"


def placeholder_name(text: str) -> str | None:
    """The name in an image placeholder (``""`` for ``[image]``); ``None``: not one."""
    match = _IMAGE.fullmatch(text)
    return None if match is None else match.group(1) or ""


def indentation(text: str) -> tuple[int, str]:
    """(levels of indentation at the start of ``text``, the rest of it)."""
    columns = 0
    for index, char in enumerate(text):
        if char == "\t":
            columns = (columns // 2 + 1) * 2
        elif char in _WIDTHS:
            columns += _WIDTHS[char]
        else:
            return columns // 2, text[index:]
    return columns // 2, ""


def lead(text: str) -> tuple[int, tuple[ListKind, int | None] | None, str]:
    """What the leading text of a line says: (levels of indentation, the marker's list kind
    and number if it has one, the text after them)."""
    levels, rest = indentation(text)
    for pattern, meaning in MARKERS:
        match = pattern.match(rest)
        if match:
            return levels, meaning(match), rest[match.end() :]
    return levels, None, rest


def needs_escape(prefix: str, text: str) -> bool:
    """Would a line whose first plain text is ``prefix`` (the line's indentation and marker,
    as written) then ``text`` read as anything but that notation and ``text``
    (:func:`lead`)? (A whole line that reads as an empty line or an image is told by
    :func:`is_empty_line` and :func:`is_image_line`.)"""
    levels, marker, rest = lead(prefix + text)
    if text.startswith(ESCAPE):
        return True
    if not prefix:
        return bool(levels) or marker is not None
    return rest != text  # the notation read would take more than the prefix


def is_plain_text(element: Any) -> bool:
    """Is ``element`` a ``text`` element without a style the post knows (the only kind a
    line's notation is read from)?"""
    return (
        isinstance(element, dict)
        and element.get("tag") == "text"
        and isinstance(element.get("text"), str)
        and not _styled(element.get("style"))
    )


def _styled(style: Any) -> bool:
    return isinstance(style, list) and any(
        name in ("bold", "underline", "lineThrough", "italic") for name in style
    )


def is_empty_line(line: Sequence[Any]) -> bool:
    """Is ``line`` an empty line: no element, or one plain text of nothing or
    :data:`EMPTY_LINE`?"""
    return not line or (
        len(line) == 1 and is_plain_text(line[0]) and line[0]["text"] in ("", EMPTY_LINE)
    )


def is_image_line(line: Sequence[Any]) -> bool:
    """Is ``line`` one image: one ``img``, or one unstyled ``a`` or plain ``text`` whose text
    is a placeholder (:func:`image_text`)?"""
    if len(line) != 1 or not isinstance(line[0], dict):
        return False
    element = line[0]
    tag, text = element.get("tag"), element.get("text")
    if tag == "img":
        return True
    if tag == "a" and isinstance(element.get("href"), str) and not _styled(element.get("style")):
        return isinstance(text, str) and placeholder_name(text) is not None
    return is_plain_text(element) and placeholder_name(element["text"]) is not None
