"""Content -> Markdown that ordinary viewers show as the record, and that reads back exactly.

Plain CommonMark/GFM wherever the content can be said in it: paragraphs, ``**bold**``,
``~~strike~~``, links, ``-``/``1.`` lists nested by indent level, ``- [ ]``/``- [x]`` tasks,
``indent`` lines as block quotes (``>`` once a level), ``![](src)`` images. Inline HTML only
where Markdown has no syntax:

- colours: ``<span style="color: rgba(...); background-color: rgba(...)">``;
- mentions: ``<span data-okr-mention="ou_..." data-okr-user="...">@Name</span>``;
- images with a file token or a size: ``<img src=... width=... height=... data-okr-token=...>``;
- bold or strike where ``**``/``~~`` would not parse (punctuation against a letter, as
  often in Chinese): ``<strong>``/``<s>``;
- a link whose URL is not safe (:mod:`okrcontent.urls`): ``<span data-okr-href="...">``, so
  the URL is kept but nothing can follow it;
- an empty line: ``<br>``; a list level the record skips: an item holding only
  ``<!-- okr:skip -->``.

Doc links are ordinary links titled ``"Feishu doc"`` (``[title](url "Feishu doc")``).
Ordered lists show the record's numbers: a list holds consecutive numbers only, and the next
list after it switches delimiter (``1.`` / ``1)``) so that CommonMark starts a new one.
Every Markdown-significant character in text is escaped; whitespace at the edges of lines
and inside delimiters is written as character references, so nothing is trimmed.

The writer renders :func:`okrcontent.normalize` of its input (so equal content gives equal
text) and warns (:class:`~okrcontent.LossWarning`) about block and element types it cannot
show.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from itertools import groupby
from typing import Any

import attrs
from markdown_it.common.utils import MD_TRIM_CHARS, isPunctChar, isWhiteSpace

from .. import nesting
from ..css import colors_key, number, style_attribute
from ..losses import Loss, warn
from ..markup import (
    DOC_LINK_TITLE,
    EMPTY_LINE,
    FILLER,
    INERT_DOC,
    INERT_HREF,
    INERT_SRC,
    MENTION,
    MENTION_USER,
    TOKEN,
    attribute,
)
from ..model import (
    Content,
    DocsLink,
    Element,
    Gallery,
    Image,
    ListKind,
    Mention,
    Paragraph,
    ProgressRecord,
    TextRun,
    TextStyle,
)
from ..normalize import as_content, normalize, unknown_parts
from ..people import People, display_name
from ..urls import safe_href

__all__ = ["MARKS", "escape", "to_markdown"]

TASK_MARKERS = {ListKind.CHECKBOX: "[ ]", ListKind.CHECKED: "[x]"}


def to_markdown(content: Content | ProgressRecord, *, people: People = None) -> str:
    """Markdown for ``content`` (or a record's content); ``people`` names mentions."""
    content = as_content(content)
    for part in unknown_parts(content):
        warn(Loss.UNKNOWN_TYPE, part, format="Markdown")
    canonical = normalize(content)
    lines = [(b, b.list_style if isinstance(b, Paragraph) else None) for b in canonical.blocks]
    out = _Writer(people).nodes(nesting.build(lines), top=True)
    return "\n".join(out) + "\n" if out else ""


# --- text ------------------------------------------------------------------------------------

_ALWAYS = re.compile(r"[\\`*_\[\]<>|~&]")
_LINE_START = re.compile(r"^(?:[#+=-]|(\d{1,9})([.)]))")
_SCHEME_COLON = re.compile(r"(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*):(?=//)")
_INVALID_REFERENCE = {0x0B}  # whitespace with no valid character reference in CommonMark


_TRIMMED = frozenset(MD_TRIM_CHARS)  # what the parser strips from the edges of a paragraph


def _is_space(char: str) -> bool:
    return char in _TRIMMED or isWhiteSpace(ord(char))


_GUARD = "<span></span>"  # an empty tag: keeps an edge character from being trimmed


def _reference(char: str) -> str:
    if ord(char) in _INVALID_REFERENCE:  # no reference for it: guard it on both sides
        return f"{_GUARD}{char}{_GUARD}"
    return f"&#{ord(char)};"


def _edges(line: str, lead: bool, trail: bool) -> str:
    """Whitespace at a line's edges as references, which no parser trims."""
    start, end = 0, len(line)
    if lead:
        while start < end and _is_space(line[start]):
            start += 1
    if trail:
        while end > start and _is_space(line[end - 1]):
            end -= 1
    head = "".join(_reference(c) for c in line[:start])
    tail = "".join(_reference(c) for c in line[end:])
    return head + line[start:end] + tail


def _escape_line(line: str) -> str:
    line = _ALWAYS.sub(r"\\\g<0>", line).replace("\r", "&#13;")
    line = _SCHEME_COLON.sub(r"\1\\:", line)  # text that looks like a URL stays text
    if line.endswith("!"):  # else "!" and a link after it make an image
        line = line[:-1] + "\\!"
    match = _LINE_START.match(line)
    if match:  # would start a heading, list item or setext underline
        cut = match.end() - 1
        line = line[:cut] + "\\" + line[cut:]
    return line


_NEEDS_WORK = re.compile(r"[\\`*_\[\]<>|~&\n\r]|://|!$")


def escape(text: str, prev: str = "", next_: str = "") -> str:
    """``text`` as Markdown inline source that reads back as exactly ``text``.

    ``prev``/``next_`` are the characters written around it; ``""`` stands for the edge of a
    line or the inside of a ``**``/``~~`` delimiter, where whitespace must not be left bare.
    A newline becomes a hard break.
    """
    if not (
        _NEEDS_WORK.search(text)
        or _LINE_START.match(text)
        or (text and prev == "" and _is_space(text[0]))
        or (text and next_ == "" and _is_space(text[-1]))
    ):
        return text  # the common case: nothing to escape
    pieces = text.split("\n")
    out = ""
    last = len(pieces) - 1
    for index, piece in enumerate(pieces):
        line = _edges(_escape_line(piece), index > 0 or prev == "", index < last or next_ == "")
        if index == 0:
            out = line
        elif index == 1 and out == "" and prev == "":  # no hard break at a paragraph's start
            out = _GUARD + "<br>" + line  # (the guard: a lone <br> would be an empty line)
        elif index == last and line == "" and next_ == "":  # ...nor at its end
            out += "<br>"
        else:
            out += "\\\n" + line
    return out


def _tag(name: str, **attributes: str | None) -> str:
    attrs_ = "".join(
        f' {key}="{attribute(value)}"' for key, value in attributes.items() if value is not None
    )
    return f"<{name}{attrs_}>"


# --- marks: how a style wraps its text, outermost first --------------------------------------


def _flanks(inner: str, prev: str, next_: str) -> bool:
    """Would ``**``/``~~`` around ``inner`` open and close, between ``prev`` and ``next_``?"""
    if not inner:
        return False

    def loose(char: str) -> bool:  # whitespace, punctuation or the edge of the line
        return char == "" or isWhiteSpace(ord(char)) or isPunctChar(char)

    left = not isPunctChar(inner[0]) or loose(prev[-1:])
    right = not isPunctChar(inner[-1]) or loose(next_[:1])
    return left and right and not _is_space(inner[0]) and not _is_space(inner[-1])


@attrs.frozen
class _Mark:
    """One style that wraps text: its value for a run, and how it wraps."""

    key: Callable[[TextStyle | None], Hashable]
    wrap: Callable[[Any, str, str, str], str]  # (value, inner, prev, next) -> text
    inner_edges: Callable[[Any], tuple[str, str]]  # what the inner text sees around it
    outer_edges: tuple[str, str]  # what neighbours see (punctuation either way)


def _delimited(delimiter: str, tag: str) -> Callable[[Any, str, str, str], str]:
    def wrap(value: Any, inner: str, prev: str, next_: str) -> str:
        if _flanks(inner, prev, next_):
            return f"{delimiter}{inner}{delimiter}"
        return f"<{tag}>{inner}</{tag}>"

    return wrap


def _link(url: str, inner: str, prev: str, next_: str) -> str:
    href = safe_href(url)
    if href is None:
        return f"{_tag('span', **{INERT_HREF: url})}{inner}</span>"
    return f"[{inner}]({_destination(href)})"


_PLAIN_DESTINATION = re.compile(r"[^\s<>()\\&\x00-\x1f\x7f]+")


def _destination(url: str) -> str:
    if _PLAIN_DESTINATION.fullmatch(url):
        return url
    escaped = re.sub(r"[\\<>&]", r"\\\g<0>", url).replace("\n", "&#10;").replace("\r", "&#13;")
    return f"<{escaped}>"


MARKS: tuple[_Mark, ...] = (
    _Mark(
        key=lambda s: s.link.url if s is not None and s.link is not None else None,
        wrap=_link,
        inner_edges=lambda url: ("[", "]") if safe_href(url) is not None else (">", "<"),
        outer_edges=("[", ")"),
    ),
    _Mark(
        key=colors_key,
        wrap=lambda colors, inner, p, n: f'<span style="{style_attribute(*colors)}">{inner}</span>',
        inner_edges=lambda _: (">", "<"),
        outer_edges=("<", ">"),
    ),
    _Mark(
        key=lambda s: bool(s is not None and s.bold),
        wrap=_delimited("**", "strong"),
        inner_edges=lambda _: ("", ""),
        outer_edges=("*", "*"),
    ),
    _Mark(
        key=lambda s: bool(s is not None and s.strikethrough),
        wrap=_delimited("~~", "s"),
        inner_edges=lambda _: ("", ""),
        outer_edges=("~", "~"),
    ),
)
"""The styles of a run, outermost first: adjacent runs that share one are wrapped once."""


# --- the writer ------------------------------------------------------------------------------


class _Writer:
    """Renders a nesting tree; holds what every rule needs (the mention resolver)."""

    __slots__ = ("people",)

    def __init__(self, people: People) -> None:
        self.people = people

    # inline

    def runs(self, runs: Sequence[TextRun], depth: int, prev: str, next_: str) -> str:
        if len(runs) == 1:
            return self.run(runs[0], depth, prev, next_)
        if depth == len(MARKS):
            return escape("".join(run.text for run in runs), prev, next_)
        mark = MARKS[depth]
        groups = [
            (value, list(group)) for value, group in groupby(runs, lambda r: mark.key(r.style))
        ]
        out: list[str] = [""] * len(groups)
        # Neighbouring groups alternate between wrapped and not. First the unwrapped ones,
        # whose neighbours' edges are the wrappers' (punctuation); then the wrapped ones,
        # whose delimiters depend on the characters actually written beside them.
        for index, (value, group) in enumerate(groups):
            if not value:
                before = mark.outer_edges[1] if index > 0 else prev
                after = mark.outer_edges[0] if index + 1 < len(groups) else next_
                out[index] = self.runs(group, depth + 1, before, after)
        for index, (value, group) in enumerate(groups):
            if value:
                before = out[index - 1][-1:] if index > 0 else prev
                after = out[index + 1][:1] if index + 1 < len(groups) else next_
                inner_prev, inner_next = mark.inner_edges(value)
                inner = self.runs(group, depth + 1, inner_prev, inner_next)
                out[index] = mark.wrap(value, inner, before, after)
        return "".join(out)

    def run(self, run: TextRun, depth: int, prev: str, next_: str) -> str:
        """One run alone: :meth:`runs` without the grouping, for the common case."""
        wrappers = []
        for mark in MARKS[depth:]:
            value = mark.key(run.style)
            if value:
                wrappers.append((mark, value, prev, next_))
                prev, next_ = mark.inner_edges(value)
        text = escape(run.text, prev, next_)
        for mark, value, before, after in reversed(wrappers):
            text = mark.wrap(value, text, before, after)
        return text

    def mention(self, mention: Mention) -> str:
        name = escape("@" + display_name(mention, self.people), ">", "<")
        attributes = {MENTION: mention.open_id or "", MENTION_USER: mention.user_id}
        return f"{_tag('span', **attributes)}{name}</span>"

    def docs_link(self, link: DocsLink) -> str:
        title = escape(link.title or "", "[", "]")
        url = link.url or ""
        href = safe_href(url)
        if href is None:
            return f"{_tag('span', **{INERT_DOC: url})}{title}</span>"
        return f'[{title}]({_destination(href) or "<>"} "{DOC_LINK_TITLE}")'

    def paragraph(self, paragraph: Paragraph) -> str:
        """The inline text of a paragraph: runs grouped by style, other elements atomic."""
        parts: list[str] = []
        elements = paragraph.elements
        for is_run, group in groupby(elements, lambda e: isinstance(e, TextRun)):
            items: list[Element] = list(group)
            if is_run:
                prev = "" if not parts else ">"
                last = items[-1] is elements[-1]
                runs = [e for e in items if isinstance(e, TextRun)]
                parts.append(self.runs(runs, 0, prev, "" if last else "<"))
            else:
                parts.extend(INLINE_RULES[type(e)](self, e) for e in items)
        return "".join(parts)

    def gallery(self, gallery: Gallery) -> str:
        return " ".join(self.image(image) for image in gallery.images)

    def image(self, image: Image) -> str:
        src = safe_href(image.src) if image.src is not None else None
        if (
            src is not None
            and image.file_token is None
            and image.width is None
            and image.height is None
        ):
            return f"![]({_destination(src) or '<>'})"
        return _tag(
            "img",
            **{
                "src": src,
                INERT_SRC: image.src if src is None else None,
                "width": None if image.width is None else number(image.width),
                "height": None if image.height is None else number(image.height),
                TOKEN: image.file_token,
            },
        )

    def content(self, block: Paragraph | Gallery) -> str:
        return self.gallery(block) if isinstance(block, Gallery) else self.paragraph(block)

    # blocks

    def plain(self, node: nesting.Plain[Paragraph | Gallery]) -> list[str]:
        return (self.content(node.content) or EMPTY_LINE).split("\n")

    def indented(self, node: nesting.Indented[Paragraph]) -> list[str]:
        quote = "> " * node.depth
        lines = (self.paragraph(node.content) or EMPTY_LINE).split("\n")
        return [quote + line for line in lines]

    def list_block(self, node: nesting.ListBlock[Paragraph], delimiter: str) -> list[str]:
        lines: list[str] = []
        for item in node.items:
            marker = f"{item.number}{delimiter} " if node.ordered else "- "
            pad = " " * len(marker)
            if item.content is None:
                text = FILLER
            else:
                text = self.paragraph(item.content)
                task = TASK_MARKERS.get(item.kind)
                if task is not None:
                    text = f"{task} {text}" if text else task
            first, *rest = text.split("\n")
            lines.append(marker + first if first else marker.rstrip())
            lines.extend(pad + line for line in rest)
            children = self.nodes(item.children, top=False, after_text=bool(text))
            lines.extend(pad + line if line else "" for line in children)
        return lines

    def nodes(
        self, nodes: Sequence[nesting.Node[Any]], *, top: bool, after_text: bool = False
    ) -> list[str]:
        """Blocks of one container: the document (``top``) or a list item."""
        out: list[str] = []
        previous: nesting.Node[Any] | None = None
        delimiter = "."
        for node in nodes:
            if isinstance(node, nesting.ListBlock):
                if node.ordered and isinstance(previous, nesting.ListBlock) and previous.ordered:
                    delimiter = ")" if delimiter == "." else "."  # a new list, not a continuation
                lines = self.list_block(node, delimiter)
            else:
                lines = NODE_RULES[type(node)](self, node)
            if top and out:
                out.append("")
            elif not top and (out or after_text):
                out.extend(self._separator(previous, node))
            out.extend(lines)
            previous = node
        return out

    def _separator(self, previous: nesting.Node[Any] | None, node: nesting.Node[Any]) -> list[str]:
        """What keeps two blocks inside an item apart without loosening the list."""
        if isinstance(node, nesting.Indented) and isinstance(previous, nesting.Indented):
            return [">" * min(node.depth, previous.depth)]  # else the quotes merge
        if isinstance(node, nesting.ListBlock) and not _can_interrupt(node):
            return [""]  # else it would read as the text before it, continued
        return []


def _can_interrupt(node: nesting.ListBlock[Any]) -> bool:
    """Can this list start right after a paragraph line (CommonMark's rule)?"""
    first = node.items[0]
    if node.ordered and first.number != 1:
        return False
    return first.content is None or first.kind in TASK_MARKERS or bool(first.content.elements)


INLINE_RULES: dict[type, Callable[[_Writer, Any], str]] = {
    Mention: _Writer.mention,
    DocsLink: _Writer.docs_link,
}
"""Non-text element -> its Markdown (text runs are grouped by style, see :data:`MARKS`)."""

NODE_RULES: dict[type, Callable[[_Writer, Any], list[str]]] = {
    nesting.Plain: _Writer.plain,
    nesting.Indented: _Writer.indented,
}
"""Tree node -> its lines (lists are :meth:`_Writer.list_block`, which needs a delimiter)."""
