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
3. **Runs**: bold does not cover a run's leading or trailing whitespace (bold whitespace looks
   like any other, and Markdown's ``**`` cannot enclose it); adjacent runs of one style are
   one run; empty runs go.
4. **Lists**: an absent ``indentLevel`` is 1; ``number`` belongs to ordered lines only, and an
   ordered line without one gets the number it shows (:func:`nesting.shown_numbers`).

``normalize`` is idempotent. It is one pass that reuses every node that is already canonical
(and styles are canonicalised once per distinct style), because writers render the canonical
form of their input and this sits on their hot path.
"""

from __future__ import annotations

import functools
import re

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
    UnknownBlock,
    UnknownElement,
)
from .nesting import shown_numbers
from .urls import canonical_url

__all__ = ["as_content", "canonical_style", "normalize", "unknown_parts"]


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


# --- values ----------------------------------------------------------------------------------


_UNSHOWABLE = re.compile("[\x00\ud800-\udfff]")


def _text(text: str) -> str:
    return _UNSHOWABLE.sub("\ufffd", text) if not text.isascii() or "\x00" in text else text


def _url(url: str) -> str:
    return _text(canonical_url(url))


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
        text = _text(element.text)
        if style is element.style and text is element.text and element.extra is None:
            return element
        return TextRun(text, style)
    if isinstance(element, DocsLink):
        return DocsLink(_url(element.url or ""), _text(element.title or ""))
    if isinstance(element, Mention):
        return Mention(element.open_id or None, element.user_id or None)
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


def _elements(elements: tuple[Element, ...]) -> tuple[Element, ...]:
    """Canonical elements; the same tuple when they already are."""
    out: list[Element] = []
    changed = False
    for original in elements:
        if isinstance(original, UnknownElement):
            changed = True
            continue
        element = _element(original)
        changed = changed or element is not original
        pieces = _unbold_edges(element) if isinstance(element, TextRun) else (element,)
        changed = changed or len(pieces) > 1
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
            i.file_token,
            None if i.width is None else float(i.width),
            None if i.height is None else float(i.height),
        )
        for i in gallery.images
    ]
    return Gallery(images)


def normalize(content: Content | ProgressRecord) -> Content:
    """``content`` (or a record's content) in the canonical form round trips compare in."""
    content = as_content(content)
    blocks: list[Block] = []
    kept = [
        b
        for b in content.blocks
        if not isinstance(b, UnknownBlock) and not (isinstance(b, Gallery) and not b.images)
    ]
    styles = [b.list_style if isinstance(b, Paragraph) else None for b in kept]
    for block, style, number in zip(kept, styles, shown_numbers(styles), strict=True):
        if isinstance(block, Paragraph):
            blocks.append(_paragraph(block, style, number))
        else:
            assert isinstance(block, Gallery)
            blocks.append(_gallery(block))
    return Content(blocks)
