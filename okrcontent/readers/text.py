"""Plain text -> Content: the text writer's output back to the same lines, and the lists
people type read into the nearest structure.

A line is read from the left: its indentation (two spaces a level; a tab counts as one
level), then a marker if it has one (:data:`MARKERS`: ``-``, ``*``, ``+`` and ``•`` bullets,
``1.`` and ``1)`` numbers, ``[ ]``/``[x]`` tasks, also after a bullet: ``- [ ]``), then its
text. A marked line is a list line at ``1 + indentation`` levels; an indented line without a
marker is an ``indent`` line at ``indentation`` levels; anything else is a paragraph. A line
of ``[image: ...]`` placeholders is a gallery. In the text, ``\\\\``, ``\\n``, ``\\r`` and
``\\<`` are a backslash, a newline, a carriage return and a ``<``, and one backslash at the
start of the text only says that what follows is text (see :mod:`okrcontent.writers.text`).
Line ends may be ``\\n`` or ``\\r\\n``.

Links come back as the writer writes them, without adding a character: ``<url>`` after a
word and a space links that word (``docs <https://...>``; a doc link reads the same way, as
a link), and ``<url>`` anywhere else is the URL as its own text. (The notation cannot tell a
link whose text is its URL, written after a space, from a word linked to it: it reads as
the latter.) Mentions (``@Name``) stay text: the name is not the id.

A record's text opens with a header, YAML front matter (``---`` ... ``---``, then a blank
line): :func:`record_from_text` reads its fields (:mod:`okrcontent.metadata`), and
:func:`from_text` leaves it aside (reported).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .. import frontmatter, metadata
from ..errors import ContentError
from ..losses import Loss, warn
from ..model import (
    Content,
    Gallery,
    Image,
    Link,
    ListKind,
    ListStyle,
    Paragraph,
    ProgressRecord,
    TextRun,
    TextStyle,
)

__all__ = ["MARKERS", "from_text", "read_text", "record_from_text"]

WIDTH = 2

MARKERS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[ListKind, int | None]]]] = [
    (
        re.compile(r"(?:[-*+•] )?\[( |x|X)\](?: |$)"),
        lambda m: (ListKind.CHECKBOX if m.group(1) == " " else ListKind.CHECKED, None),
    ),
    (re.compile(r"[-*+•](?: |$)"), lambda m: (ListKind.BULLET, None)),
    (re.compile(r"(\d{1,9})[.)](?: |$)"), lambda m: (ListKind.NUMBER, int(m.group(1)))),
]
"""Marker pattern -> (list kind, number), tried in order at the start of a line's text."""

_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)
_UNESCAPES = {"\\": "\\", "n": "\n", "r": "\r", "<": "<"}
_PIECE = re.compile(r"\\.|<([A-Za-z][A-Za-z0-9+.-]{0,31}:[^<>\n]*)>|[^\\<]+|.", re.DOTALL)
_GALLERY = re.compile(r"\[image: ((?:[^\]\\]|\\.)*)\](?: (?=\[image: )|$)")


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(lambda m: _UNESCAPES.get(m.group(1), m.group()), text)


def _indentation(line: str) -> tuple[int, str]:
    """(levels of indentation, the rest of the line)."""
    width = 0
    for index, char in enumerate(line):
        if char == " ":
            width += 1
        elif char == "\t":
            width = (width // WIDTH + 1) * WIDTH
        else:
            return width // WIDTH, line[index:]
    return width // WIDTH, ""


def _gallery(text: str) -> Gallery | None:
    images = []
    position = 0
    while position < len(text):
        match = _GALLERY.match(text, position)
        if match is None:
            return None
        name = _unescape(match.group(1).replace("\\]", "]"))
        url = "://" in name or name.startswith("/")
        images.append(Image(name if url else None, None if url or not name else name))
        position = match.end()
    return Gallery(images) if images else None


def _line(line: str) -> Paragraph | Gallery:
    levels, text = _indentation(line)
    style = None
    for pattern, meaning in MARKERS:
        match = pattern.match(text)
        if match:
            kind, number = meaning(match)
            style = ListStyle(kind, min(levels + 1, 16), number)
            text = text[match.end() :]
            break
    else:
        if levels:
            style = ListStyle(ListKind.INDENT, min(levels, 16))
        elif text.startswith("[image: "):
            gallery = _gallery(text)
            if gallery is not None:
                return gallery
    if text.startswith("\\") and text[1:2] not in _UNESCAPES:
        text = text[1:]  # "this is text, not markup"
    return Paragraph(_runs(text), style)


def _runs(text: str) -> list[TextRun]:
    """A line's text (escaped as the writer escapes it) as runs, with its links."""
    pieces: list[tuple[str, str | None]] = []  # (text, the URL it links to)
    plain: list[str] = []
    for match in _PIECE.finditer(text):
        url = match.group(1)
        if url is None:
            piece = match.group()
            plain.append(_UNESCAPES.get(piece[1:], piece) if piece[0] == "\\" else piece)
            continue
        url = _unescape(url)
        before = "".join(plain)
        plain = []
        words = before[:-1].rstrip() if before.endswith(" ") else ""
        if words:  # "docs <url>": the word before is the link's text (its spacing with it)
            start = len(words) - len(words.rsplit(None, 1)[-1])
            pieces += [(before[:start], None), (before[start:-1], url)]
        else:  # "<url>": the URL is its own text
            pieces += [(before, None), (url, url)]
    pieces.append(("".join(plain), None))
    return [
        TextRun(piece, None if url is None else TextStyle(link=Link(url)))
        for piece, url in pieces
        if piece
    ]


def from_text(text: str) -> Content:
    """The content of plain text; see the module docstring for the notation. A header is
    left aside (reported); one that is not a YAML mapping is no header, and reads as text."""
    fields, content = _read(text, "from_text", strict=False)
    if fields:
        warn(Loss.METADATA_LEFT_ASIDE, "the header")
    return content


def record_from_text(text: str) -> ProgressRecord:
    """The record that ``text`` holds: its header's fields (:mod:`okrcontent.metadata`;
    none: a record of content alone) and its content. Raises
    :class:`~okrcontent.ContentError` for a header that is not a record's metadata, naming
    the field."""
    fields, content = _read(text, "record_from_text", strict=True)
    return metadata.record(fields or {}, content)


def read_text(text: str) -> Content | ProgressRecord:
    """What a text file holds, for the formats table: a record when its header names a
    record's fields, else content (another header reported as left aside)."""
    fields, content = _read(text, "read_text", strict=True)
    if fields and metadata.is_metadata(fields):
        return metadata.record(fields, content)
    if fields:
        warn(Loss.METADATA_LEFT_ASIDE, "the header")
    return content


def _read(text: str, caller: str, *, strict: bool) -> tuple[dict[str, Any] | None, Content]:
    """The header's fields (``None``: there is none) and the content. A header that is not
    a YAML mapping is an error if ``strict``, else no header."""
    if not isinstance(text, str):
        raise TypeError(f"{caller}() takes a str, got {type(text).__name__}")
    try:
        fields, body = frontmatter.split(text)
    except ContentError:
        if strict:
            raise
        fields, body = None, text
    if fields is not None:
        body = body.removeprefix("\n")  # the blank line after the header
    lines = body.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    return fields, Content([_line(line) for line in lines])
