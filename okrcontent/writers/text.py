"""Content -> plain text, for search indexes, notifications and LLM prompts.

One line a block. A list line is indented two spaces a level below the first and carries its
marker: ``- `` bullet, ``3. `` ordered (the record's own number), ``[ ] `` open task,
``[x] `` done task; an ``indent`` line has no marker and is indented two spaces a level
(``  note`` at level 1). Elements: a mention is ``@Name`` (``people=``), a doc link its title
and its URL in angle brackets (``Q3 plan <https://...>``), a linked run its text and URL
(``docs <https://...>``, the URL alone when it is the text), a gallery one placeholder an
image (``[image: boxcn...]``, the file token, else the URL; ``]`` in it escaped).

So that :func:`okrcontent.from_text` gives the same lines back, three things are escaped with
a backslash: a backslash (``\\\\``), a newline inside text (``\\n``) and a carriage return
(``\\r``); and a line whose text could be taken for a marker or indentation (it starts with
whitespace, ``- ``, ``1. ``, ``[ ]``, ``[image:``, ...) starts with one extra ``\\``. Other
control characters are kept as they are. Styles are not written, nor whitespace at the end of
a line (as in the canonical form, where text runs have none there; a doc title or a name
may end in some).

A record opens with its metadata (:mod:`okrcontent.metadata`) as a header, the same YAML
front matter as Markdown's (``---``, a ``name: value`` line a field, ``---``), then a blank
line: it reads well, and :func:`okrcontent.record_from_text` reads it back exactly. Content
alone has none, and a first line of its own that starts with ``---`` gets the extra ``\\``.
"""

from __future__ import annotations

import re

from .. import frontmatter
from ..model import (
    Content,
    DocsLink,
    Element,
    Gallery,
    Image,
    ListKind,
    ListStyle,
    Mention,
    ProgressRecord,
    TextRun,
)
from ..people import People, display_name
from ._common import Payload, prologue

__all__ = ["INDENT_WIDTH", "to_text"]

INDENT_WIDTH = 2
"""Spaces a level."""

MARKERS = {ListKind.BULLET: "- ", ListKind.CHECKBOX: "[ ] ", ListKind.CHECKED: "[x] "}
"""List kind -> its marker (ordered lines show ``N. ``, indent lines none)."""

LOOKS_LIKE_MARKUP = re.compile(r"\s|(?:[-*+•]|\d{1,9}[.)]|\[[ xX]\]|\[image:)(?: |$)")
"""Text that, at the start of a line, would read as indentation, a marker or an image."""

_MARKUP_FIRST = frozenset("-*+•[")
"""With whitespace and digits, the characters :data:`LOOKS_LIKE_MARKUP` can start with."""
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r"}
_ESCAPED = re.compile(r"[\\\n\r]")


def to_text(
    content: Content | ProgressRecord, *, people: People = None, metadata: bool = True
) -> str:
    """Plain text for ``content``, or for a record: its metadata as a header (unless
    ``metadata`` is false), then its content; ``people`` names mentions."""
    document = prologue(content, "text", metadata=metadata)
    lines = [_line(block, style, number, people) for block, style, number in document.lines]
    body = "\n".join(lines) + "\n" if lines else ""
    if document.fields:
        return frontmatter.dump(document.fields) + ("\n" + body if body else "")
    if body.startswith(frontmatter.DELIMITER):  # would read as the header's start
        return "\\" + body
    return body


def _escape(text: str) -> str:
    if "\\" in text or "\n" in text or "\r" in text:  # (three scans: a tenth of the regex's call)
        return _ESCAPED.sub(lambda m: _ESCAPES[m.group()], text)
    return text


def _run(run: TextRun) -> str:
    text = _escape(run.text)
    style = run.style
    if style is None or style.link is None or not style.link.url:
        return text
    url = style.link.url
    if url == run.text:
        return f"<{_escape(url)}>"
    core = text.rstrip()  # the URL goes right after the words, before their spacing
    return f"{core} <{_escape(url)}>{text[len(core) :]}"


def _element(element: Element, people: People) -> str:
    if isinstance(element, TextRun):
        return _run(element)
    if isinstance(element, Mention):
        return "@" + _escape(display_name(element, people))
    if isinstance(element, DocsLink):
        title, url = _escape(element.title or ""), _escape(element.url or "")
        return f"{title} <{url}>" if url else title
    return ""


def _image(image: Image) -> str:
    name = _escape(image.file_token or image.src or "").replace("]", "\\]")
    return f"[image: {name}]"


def _line(block: Payload, style: ListStyle | None, number: int | None, people: People) -> str:
    if isinstance(block, Gallery):
        return " ".join(_image(image) for image in block.images)
    # whitespace at the end of a line does not show (a doc title or a name may end in it)
    if len(block) == 1 and type(block[0]) is TextRun:  # (the most common line: one run)
        text = _run(block[0]).rstrip()
    else:
        runs = [_run(e) if type(e) is TextRun else _element(e, people) for e in block]
        text = "".join(runs).rstrip()  # (runs: direct)
    first = text[:1]
    if (first in _MARKUP_FIRST or first.isspace() or first.isdecimal()) and (
        LOOKS_LIKE_MARKUP.match(text)  # (only for a line whose first character could start it)
    ):
        text = "\\" + text
    if style is None:
        return text
    if style.kind is ListKind.INDENT:
        return " " * (INDENT_WIDTH * style.level) + text
    marker = f"{number}. " if style.kind is ListKind.NUMBER else MARKERS[style.kind]
    return " " * (INDENT_WIDTH * (style.level - 1)) + (marker + text if text else marker.rstrip())
