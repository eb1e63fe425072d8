"""The canonical form that format round trips are compared in.

``from_markdown(to_markdown(c)) == normalize(c)`` (and the same for HTML) is the contract of
every reader and writer: ``normalize`` lists, step by step, every difference that a format is
*allowed* to make. Anything else a round trip changes is a bug in a reader or a writer.

The steps, in order (:data:`NORMALIZERS`):

1. ``drop_wire_details``: unknown keys, unknown block and element types, empty galleries
   and the memory of absent keys go; no format carries them (the JSON codec does).
2. ``canonical_values``: ``false`` and absent mean the same; an empty style is no style; a
   colour gets its defaults filled in (black, opaque; alpha a float); a link without a URL
   is no link; a URL percent-encoded as a whole is decoded (:func:`urls.canonical_url`);
   a doc link's absent URL or title is empty, a mention's empty id absent; image sizes are
   floats; U+0000 in text and
   URLs becomes U+FFFD, as Markdown and HTML parsers make it.
3. ``merge_runs``: bold does not cover a run's leading or trailing whitespace (bold
   whitespace looks like any other, and Markdown's ``**`` cannot enclose it); adjacent text
   runs of the same style become one; empty runs go.
4. ``canonical_lists``: ``indentLevel`` absent reads as 1; ``number`` belongs to ordered
   lines only, and an ordered line without one gets the number it shows
   (:func:`nesting.shown_numbers`).

``normalize`` is idempotent.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from .model import (
    Block,
    Color,
    Content,
    Element,
    Gallery,
    Image,
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
from .nesting import shown_numbers
from .urls import canonical_url

__all__ = ["NORMALIZERS", "as_content", "normalize", "unknown_parts"]


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
    """Unknown keys and types, empty galleries, and absent-key memory go."""
    return Content(
        [
            _plain_block(b)
            for b in content.blocks
            if not isinstance(b, UnknownBlock) and not (isinstance(b, Gallery) and not b.images)
        ]
    )


# --- 2. values -------------------------------------------------------------------------------


def _canonical_color(color: Color | None) -> Color | None:
    if color is None:
        return None
    red, green, blue, alpha = color.rgba
    return Color(red, green, blue, alpha)


def _canonical_style(style: TextStyle | None) -> TextStyle | None:
    if style is None:
        return None
    url = style.link.url if style.link is not None else None
    canonical = TextStyle(
        style.bold or None,
        style.strikethrough or None,
        _canonical_color(style.text_color),
        _canonical_color(style.back_color),
        _Link(_text(canonical_url(url))) if url else None,
    )
    return None if canonical == TextStyle() else canonical


def _text(text: str) -> str:
    return text.replace("\x00", "\ufffd")


def _canonical_element(element: Element) -> Element:
    if isinstance(element, TextRun):
        return TextRun(_text(element.text), _canonical_style(element.style))
    if isinstance(element, _DocsLink):
        return _DocsLink(_text(canonical_url(element.url or "")), _text(element.title or ""))
    if isinstance(element, Mention):
        return Mention(element.open_id or None, element.user_id or None)
    return element


def _size(value: float | None) -> float | None:
    return None if value is None else float(value)


def canonical_values(content: Content) -> Content:
    """One spelling for each value: see the module docstring."""
    blocks: list[Block] = []
    for block in content.blocks:
        if isinstance(block, Paragraph):
            elements = [_canonical_element(e) for e in block.elements]
            blocks.append(Paragraph(elements, block.style))
        elif isinstance(block, Gallery):
            images = [
                Image(
                    _text(canonical_url(i.src)) if i.src is not None else None,
                    i.file_token,
                    _size(i.width),
                    _size(i.height),
                )
                for i in block.images
            ]
            blocks.append(Gallery(images))
        else:
            blocks.append(block)
    return Content(blocks)


# --- 3. runs --------------------------------------------------------------------------------


def _unbold_edges(run: TextRun) -> list[TextRun]:
    if run.style is None or not run.style.bold:
        return [run]
    core = run.text.strip()
    if core == run.text:
        return [run]
    plain = _canonical_style(attrs.evolve(run.style, bold=None))
    start = run.text.index(core) if core else len(run.text)
    head, tail = run.text[:start], run.text[start + len(core) :]
    return [TextRun(head, plain), TextRun(core, run.style), TextRun(tail, plain)]


def merge_runs(content: Content) -> Content:
    """Bold edge whitespace unbolded; adjacent runs of one style become one; empty runs go."""

    def step(paragraph: Paragraph) -> Paragraph:
        elements: list[Element] = []
        pieces: list[Element] = []
        for element in paragraph.elements:
            pieces.extend(_unbold_edges(element) if isinstance(element, TextRun) else [element])
        for element in pieces:
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
    styles = [b.list_style if isinstance(b, Paragraph) else None for b in content.blocks]
    for block, style, number in zip(content.blocks, styles, shown_numbers(styles), strict=True):
        if isinstance(block, Paragraph):
            if style is None:
                block = Paragraph(block.elements)  # a style without a list says nothing
            else:
                block = Paragraph(block.elements, ListStyle(style.kind, style.level, number))
        blocks.append(block)
    return Content(blocks)


NORMALIZERS: tuple[Callable[[Content], Content], ...] = (
    drop_wire_details,
    canonical_values,
    merge_runs,
    canonical_lists,
)
"""The steps of :func:`normalize`, in the order they run."""


def as_content(value: Content | ProgressRecord) -> Content:
    """The content itself, or a record's content (empty if it has none)."""
    if isinstance(value, ProgressRecord):
        return value.content or Content()
    if not isinstance(value, Content):
        raise TypeError(f"expected Content or ProgressRecord, got {type(value).__name__}")
    return value


def unknown_parts(content: Content) -> list[str]:
    """Where ``content`` holds blocks or elements of a type this version does not know
    (``"blocks[3] (table)"``): what no format but JSON can show, for writers to report."""
    parts = []
    for index, block in enumerate(content.blocks):
        if isinstance(block, UnknownBlock):
            parts.append(f"blocks[{index}] ({block.type})")
        elif isinstance(block, Paragraph):
            parts.extend(
                f"blocks[{index}].paragraph.elements[{i}] ({e.type})"
                for i, e in enumerate(block.elements)
                if isinstance(e, UnknownElement)
            )
    return parts


def normalize(content: Content | ProgressRecord) -> Content:
    """``content`` (or a record's content) in the canonical form round trips compare in."""
    content = as_content(content)
    for step in NORMALIZERS:
        content = step(content)
    return content
