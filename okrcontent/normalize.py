"""The canonical form that format round trips are compared in.

``from_markdown(to_markdown(c)) == normalize(c)`` (and the same for HTML) is the contract of
every reader and writer: ``normalize`` lists, step by step, every difference that a format is
*allowed* to make. Anything else a round trip changes is a bug in a reader or a writer.

The steps, in order (:data:`NORMALIZERS`):

1. ``drop_wire_details``: unknown keys, unknown block and element types, and the memory of
   absent keys go; no format carries them (the JSON codec does).
2. ``canonical_styles``: ``false`` and absent mean the same; an empty style is no style; a
   colour gets its defaults filled in (black, opaque); a link without a URL is no link.
3. ``merge_runs``: adjacent text runs of the same style become one; empty runs go.
4. ``canonical_lists``: ``indentLevel`` absent reads as 1; ``number`` belongs to ordered
   lines only, and an ordered line without one shows what the editor shows (1 after a
   non-ordered line at its level, else the previous number at that level plus one).

``normalize`` is idempotent.
"""

from __future__ import annotations

from collections.abc import Callable

from .model import (
    Block,
    Color,
    Content,
    Element,
    Gallery,
    Image,
    ListKind,
    ListStyle,
    Mention,
    Paragraph,
    ParagraphStyle,
    ProgressRecord,
    TextRun,
    TextStyle,
    UnknownBlock,
    UnknownElement,
)
from .model import DocsLink as _DocsLink
from .model import Link as _Link

__all__ = ["NORMALIZERS", "normalize"]


def _map_paragraphs(content: Content, step: Callable[[Paragraph], Paragraph]) -> Content:
    return Content([step(b) if isinstance(b, Paragraph) else b for b in content.blocks])


# --- 1. wire details ------------------------------------------------------------------------


def _plain_element(element: Element) -> Element:
    if isinstance(element, TextRun):
        style = element.style
        if style is not None:
            link = _Link(style.link.url) if style.link is not None else None
            style = TextStyle(
                style.bold,
                style.strikethrough,
                _plain_color(style.text_color),
                _plain_color(style.back_color),
                link,
            )
        return TextRun(element.text, style)
    if isinstance(element, _DocsLink):
        return _DocsLink(element.url, element.title)
    if isinstance(element, Mention):
        return Mention(element.open_id, element.user_id)
    return element


def _plain_color(color: Color | None) -> Color | None:
    return None if color is None else Color(color.red, color.green, color.blue, color.alpha)


def _plain_block(block: Block) -> Block:
    if isinstance(block, Paragraph):
        style = block.style
        if style is not None:
            ls = style.list
            plain = ListStyle(ls.kind, ls.indent_level, ls.number) if ls is not None else None
            style = ParagraphStyle(plain)
        elements = [e for e in block.elements if not isinstance(e, UnknownElement)]
        return Paragraph([_plain_element(e) for e in elements], style)
    if isinstance(block, Gallery):
        return Gallery([Image(i.src, i.file_token, i.width, i.height) for i in block.images])
    return block


def drop_wire_details(content: Content) -> Content:
    """Unknown keys and types, and absent-key memory, go."""
    return Content([_plain_block(b) for b in content.blocks if not isinstance(b, UnknownBlock)])


# --- 2. styles ------------------------------------------------------------------------------


def _canonical_color(color: Color | None) -> Color | None:
    if color is None:
        return None
    red, green, blue, alpha = color.rgba
    return Color(red, green, blue, alpha)


def _canonical_style(style: TextStyle | None) -> TextStyle | None:
    if style is None:
        return None
    link = style.link if style.link is not None and style.link.url else None
    canonical = TextStyle(
        style.bold or None,
        style.strikethrough or None,
        _canonical_color(style.text_color),
        _canonical_color(style.back_color),
        link,
    )
    return None if canonical == TextStyle() else canonical


def canonical_styles(content: Content) -> Content:
    """``false`` is absent, ``{}`` is no style, colours are complete, links have URLs."""

    def step(paragraph: Paragraph) -> Paragraph:
        elements = [
            TextRun(e.text, _canonical_style(e.style)) if isinstance(e, TextRun) else e
            for e in paragraph.elements
        ]
        return Paragraph(elements, paragraph.style)

    return _map_paragraphs(content, step)


# --- 3. runs --------------------------------------------------------------------------------


def merge_runs(content: Content) -> Content:
    """Adjacent runs of one style become one; empty runs go."""

    def step(paragraph: Paragraph) -> Paragraph:
        elements: list[Element] = []
        for element in paragraph.elements:
            if isinstance(element, TextRun):
                if not element.text:
                    continue
                last = elements[-1] if elements else None
                if isinstance(last, TextRun) and last.style == element.style:
                    elements[-1] = TextRun(last.text + element.text, last.style)
                    continue
            elements.append(element)
        return Paragraph(elements, paragraph.style)

    return _map_paragraphs(content, step)


# --- 4. lists -------------------------------------------------------------------------------


def canonical_lists(content: Content) -> Content:
    """Levels filled in, numbers only (and always) on ordered lines."""
    blocks: list[Block] = []
    last_number: dict[int, int | None] = {}  # level -> number shown there, None: not ordered
    for block in content.blocks:
        ls = block.list_style if isinstance(block, Paragraph) else None
        if ls is None:
            last_number.clear()
            if isinstance(block, Paragraph) and block.style is not None:
                block = Paragraph(block.elements)  # a style without a list says nothing
            blocks.append(block)
            continue
        assert isinstance(block, Paragraph)
        level = ls.level
        for deeper in [k for k in last_number if k > level]:
            del last_number[deeper]
        number = None
        if ls.kind is ListKind.NUMBER:
            previous = last_number.get(level)
            number = ls.number if ls.number is not None else (previous or 0) + 1
        last_number[level] = number
        blocks.append(Paragraph(block.elements, ListStyle(ls.kind, level, number)))
    return Content(blocks)


NORMALIZERS: tuple[Callable[[Content], Content], ...] = (
    drop_wire_details,
    canonical_styles,
    merge_runs,
    canonical_lists,
)
"""The steps of :func:`normalize`, in the order they run."""


def normalize(content: Content | ProgressRecord) -> Content:
    """``content`` (or a record's content) in the canonical form round trips compare in."""
    if isinstance(content, ProgressRecord):
        content = content.content or Content()
    for step in NORMALIZERS:
        content = step(content)
    return content
