"""The canonical form that format round trips are compared in.

``from_markdown(to_markdown(c)) == normalize(c)`` (and the same for HTML) is the contract of
every reader and writer: ``normalize`` says, rule by rule, every difference a format is
*allowed* to make. Anything else a round trip changes is a bug in a reader or a writer.

1. **Wire details go**: unknown keys, unknown block and element types, empty galleries and the
   memory of absent keys; no format but JSON carries them (the codec does).
2. **One spelling a value**: ``false`` and absent mean the same; an empty style is no style;
   a colour has its defaults filled in (black, opaque; alpha a float); opaque black text is
   text without a colour (every editor's default, which pasted HTML spells out on every
   span); a link without a URL is no link; a URL percent-encoded as a whole is decoded
   (:func:`urls.canonical_url`); a doc link's absent URL or title is empty, a mention's
   empty id absent; image sizes are floats; U+0000 in text and URLs becomes U+FFFD, and so
   does half a surrogate pair, as parsers and encoders make them.
   Every string that reaches an output is canonical this way: text, URLs, doc titles,
   mention ids, image tokens and sources (so no writer's output can fail to encode).
3. **Runs**: whitespace at the end of a line (before a newline in the text, or at the end of
   the paragraph) goes: no viewer and not the editor shows it, and Markdown would need a
   character reference to keep it. Bold does not cover a run's leading or trailing
   whitespace (bold whitespace looks like any other, and Markdown's ``**`` cannot enclose
   it); adjacent runs of one style are one run; empty runs go.
4. **Lists**: an absent ``indentLevel`` is 1; ``number`` belongs to ordered lines only, and an
   ordered line without one gets the number it shows (:func:`nesting.shown_numbers`).

``normalize`` is idempotent. It is one pass (:func:`canonical_lines`) that reuses every node
that is already canonical (and styles are canonicalised once per distinct style); writers
render the same pass, line by line, so what they show is this canonical form by
construction.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import TypeAlias

import attrs

from .model import (
    Block,
    Color,
    Content,
    DocsLink,
    Element,
    Gallery,
    Image,
    Link,
    ListStyle,
    Mention,
    Paragraph,
    ProgressRecord,
    TextRun,
    TextStyle,
    UnknownElement,
)
from .nesting import shown_numbers
from .urls import canonical_url

__all__ = [
    "as_content",
    "canonical_lines",
    "canonical_style",
    "canonical_text",
    "normalize",
    "unknown_parts",
]

Line: TypeAlias = "tuple[Paragraph | Gallery, ListStyle | None]"
"""A canonical block and its list style (levels and numbers explicit): what writers render."""


def as_content(value: Content | ProgressRecord) -> Content:
    """The content itself, or a record's content (empty if it has none)."""
    if isinstance(value, ProgressRecord):
        return value.content or Content()
    if not isinstance(value, Content):
        raise TypeError(f"expected Content or ProgressRecord, got {type(value).__name__}")
    return value


def unknown_parts(content: Content) -> list[str]:
    """Where ``content`` holds blocks or elements of a type this version does not know
    (``"blocks[3] (table)"``): what no format but JSON can show."""
    parts: list[str] = []
    for _ in canonical_lines(content, parts.append):
        pass
    return parts


# --- values ----------------------------------------------------------------------------------


_UNSHOWABLE = re.compile("[\x00\ud800-\udfff]")


def canonical_text(text: str) -> str:
    """``text`` with U+0000 and halves of surrogate pairs as U+FFFD: what every encoder and
    parser can carry."""
    return _UNSHOWABLE.sub("\ufffd", text) if not text.isascii() or "\x00" in text else text


def _optional(text: str | None) -> str | None:
    return canonical_text(text) if text else None


def _url(url: str) -> str:
    return canonical_text(canonical_url(url))


BLACK = Color(0, 0, 0, 1.0)


def _color(color: Color | None, default: Color | None = None) -> Color | None:
    if color is None:
        return None
    red, green, blue, alpha = color.rgba
    canonical = Color(red, green, blue, alpha)
    return None if canonical == default else canonical


@functools.lru_cache(maxsize=4096)
def canonical_style(style: TextStyle | None) -> TextStyle | None:
    """The canonical form of a run's style (``None`` for no style)."""
    if style is None:
        return None
    url = style.link.url if style.link is not None else None
    canonical = TextStyle(
        style.bold or None,
        style.strikethrough or None,
        _color(style.text_color, default=BLACK),
        _color(style.back_color),
        Link(_url(url)) if url else None,
    )
    return None if canonical == TextStyle() else canonical


def _element(element: Element) -> Element:
    if isinstance(element, TextRun):
        style = canonical_style(element.style)
        text = canonical_text(element.text)
        if style is element.style and text is element.text and element.extra is None:
            return element
        return TextRun(text, style)
    if isinstance(element, DocsLink):
        return DocsLink(_url(element.url or ""), canonical_text(element.title or ""))
    if isinstance(element, Mention):
        return Mention(_optional(element.open_id), _optional(element.user_id))
    return element


# --- runs ------------------------------------------------------------------------------------


def _unbold_edges(run: TextRun) -> list[TextRun]:
    core = run.text.strip()
    if run.style is None or not run.style.bold or core == run.text:
        return [run]
    plain = canonical_style(attrs.evolve(run.style, bold=None))
    start = run.text.index(core) if core else len(run.text)
    head, tail = run.text[:start], run.text[start + len(core) :]
    return [TextRun(head, plain), TextRun(core, run.style), TextRun(tail, plain)]


_BEFORE_NEWLINE = re.compile(r"[^\S\n]+(?=\n)")
_AT_END = re.compile(r"[^\S\n]+(?=\n|\Z)")


def _trim(text: str, at_end: bool) -> str:
    """``text`` without whitespace at the end of its lines (and at its own end if it ends
    the paragraph); the same string when there is none."""
    if at_end and text[-1:].isspace() and text[-1] != "\n":
        return _AT_END.sub("", text)
    if "\n" in text and _BEFORE_NEWLINE.search(text):
        return _BEFORE_NEWLINE.sub("", text)
    return text


def _elements(elements: tuple[Element, ...]) -> tuple[Element, ...]:
    """Canonical elements; the same tuple when they already are."""
    pieces: list[Element] = []
    changed = False
    for original in elements:
        if isinstance(original, UnknownElement):
            changed = True
            continue
        element = _element(original)
        changed = changed or element is not original
        if isinstance(element, TextRun) and element.style is not None and element.style.bold:
            split = _unbold_edges(element)
            changed = changed or len(split) > 1
            pieces.extend(split)
        else:
            pieces.append(element)
    at_end = True  # backwards: is the element being looked at followed by a line end?
    for index in range(len(pieces) - 1, -1, -1):
        piece = pieces[index]
        if not isinstance(piece, TextRun):
            at_end = False
            continue
        text = _trim(piece.text, at_end)
        if text is not piece.text:
            pieces[index] = TextRun(text, piece.style)
            changed = True
        if text:
            at_end = text[0] == "\n"
    out: list[Element] = []
    for piece in pieces:
        if isinstance(piece, TextRun):
            if not piece.text:
                changed = True
                continue
            last = out[-1] if out else None
            if isinstance(last, TextRun) and last.style == piece.style:
                out[-1] = TextRun(last.text + piece.text, last.style)
                changed = True
                continue
        out.append(piece)
    return tuple(out) if changed else elements


# --- blocks ----------------------------------------------------------------------------------


def _paragraph(paragraph: Paragraph, style: ListStyle | None, number: int | None) -> Paragraph:
    elements = _elements(paragraph.elements)
    if style is None:
        list_style = None
    else:
        list_style = style
        if not (
            style.indent_level is not None
            and style.number == number
            and style.extra is None
            and paragraph.style is not None
            and paragraph.style.extra is None
        ):
            list_style = ListStyle(style.kind, style.level, number)
    if (
        elements is paragraph.elements
        and list_style is paragraph.list_style
        and paragraph.extra is None
        and (paragraph.style is None) == (list_style is None)
    ):
        return paragraph
    return Paragraph(elements, list_style)


def _gallery(gallery: Gallery) -> Gallery:
    images = [
        Image(
            _url(i.src) if i.src is not None else None,
            _optional(i.file_token),
            None if i.width is None else float(i.width),
            None if i.height is None else float(i.height),
        )
        for i in gallery.images
    ]
    return Gallery(images)


def canonical_lines(
    content: Content, unknown: Callable[[str], None] | None = None
) -> Iterator[Line]:
    """The canonical blocks of ``content`` with their list styles, in one pass; ``unknown``
    is told where each block or element of an unknown type was (``"blocks[3] (table)"``)."""
    kept: list[Paragraph | Gallery] = []
    for index, block in enumerate(content.blocks):
        if isinstance(block, Paragraph):
            kept.append(block)
            if unknown is not None:
                for i, element in enumerate(block.elements):
                    if isinstance(element, UnknownElement):
                        unknown(f"blocks[{index}].paragraph.elements[{i}] ({element.type})")
        elif isinstance(block, Gallery):
            if block.images:
                kept.append(block)
        elif unknown is not None:
            unknown(f"blocks[{index}] ({block.type})")
    styles = [b.list_style if isinstance(b, Paragraph) else None for b in kept]
    for block, style, number in zip(kept, styles, shown_numbers(styles), strict=True):
        if isinstance(block, Paragraph):
            paragraph = _paragraph(block, style, number)
            yield paragraph, paragraph.list_style
        else:
            yield _gallery(block), None


def normalize(content: Content | ProgressRecord) -> Content:
    """``content`` (or a record's content) in the canonical form round trips compare in."""
    blocks: list[Block] = [block for block, _ in canonical_lines(as_content(content))]
    return Content(blocks)
