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

import re
from collections.abc import Callable, Iterator
from typing import Any, TypeAlias, TypeVar

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
from .nesting import Numbering
from .urls import HREFS, canonical_url

__all__ = [
    "CACHES",
    "CACHE_SIZE",
    "as_content",
    "canonical_lines",
    "canonical_style",
    "canonical_text",
    "clear_caches",
    "normalize",
    "unknown_parts",
]

Line: TypeAlias = "tuple[tuple[Element, ...] | Gallery, ListStyle | None, int | None]"
"""What a writer renders of a block (:func:`canonical_lines`)."""


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
    parser can carry (``text`` itself when it is canonical already)."""
    if text.isascii():  # (no surrogate: a flag of the string, no scan)
        return text.replace("\x00", "\ufffd") if "\x00" in text else text
    if "\x00" not in text:
        try:
            text.encode()  # fails on half a surrogate pair only: a quarter of the regex's time
        except UnicodeEncodeError:
            pass
        else:
            return text
    return _UNSHOWABLE.sub("\ufffd", text)


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


_STYLES: dict[TextStyle, TextStyle | None] = {}
CACHE_SIZE = 4096
"""Distinct styles (and the like) a cache holds; a full cache starts again empty, so that a
document of many more distinct styles costs a computation each, never an eviction each."""
CACHES: list[dict[Any, Any]] = [_STYLES, HREFS]
"""Every cache of canonical styles and of what writers make of them (:func:`clear_caches`)."""


def clear_caches() -> None:
    """Empty :data:`CACHES`: what a benchmark does to time a cold start."""
    for cache in CACHES:
        cache.clear()


K = TypeVar("K")
V = TypeVar("V")


def by_identity(make: Callable[[K], V]) -> Callable[[K], V]:
    """``make`` remembered by its argument's object (one of :data:`CACHES`, of
    :data:`CACHE_SIZE` entries): styles and what is made of them are shared objects (loaded
    styles are interned, canonical ones cached), and an ``id`` is one C-level lookup where
    a style's value would hash in Python (attrs' ``__hash__``). An entry keeps its object,
    so that the ``id`` is not reused while the entry stands."""
    cache: dict[int, tuple[K, V]] = {}
    CACHES.append(cache)

    def cached(key: K) -> V:
        entry = cache.get(id(key))
        if entry is None or entry[0] is not key:
            if len(cache) >= CACHE_SIZE:
                cache.clear()
            entry = cache[id(key)] = (key, make(key))
        return entry[1]

    cached.__doc__, cached.__name__ = make.__doc__, make.__name__
    return cached


def canonical_style(style: TextStyle | None) -> TextStyle | None:
    """The canonical form of a run's style (``None`` for no style)."""
    if style is None:
        return None
    try:
        return _STYLES[style]
    except KeyError:
        if len(_STYLES) >= CACHE_SIZE:
            _STYLES.clear()
        canonical = _STYLES[style] = _canonical_style(style)
        return canonical


_canonical_by_id = by_identity(canonical_style)


def _canonical_of(style: TextStyle | None, seen: Styles) -> TextStyle | None:
    """:func:`canonical_style`, remembered by the style object itself (:func:`by_identity`),
    and in ``seen``, the styles of the call."""
    canonical = seen[id(style)] = _canonical_by_id(style)
    return canonical


def _canonical_style(style: TextStyle) -> TextStyle | None:
    link = style.link
    url = link.url if link is not None else None
    canonical = TextStyle(
        style.bold or None,
        style.strikethrough or None,
        _color(style.text_color, default=BLACK),
        _color(style.back_color),
        Link(_url(url)) if url else None,
    )
    if canonical == TextStyle():
        return None
    if canonical == style and _bare(style, link, style.text_color, style.back_color):
        return style  # already canonical: runs in it stay as they are
    return canonical


def _bare(style: TextStyle, link: Link | None, *colors: Color | None) -> bool:
    """Do these nodes carry no memory of the wire (``extra``), and colours every channel
    (an alpha as a float)?"""
    return (
        style.extra is None
        and (link is None or link.extra is None)
        and all(
            color is None
            or (
                color.extra is None
                and type(color.alpha) is float
                and None not in (color.red, color.green, color.blue)
            )
            for color in colors
        )
    )


def _element(element: Element) -> Element:
    """A canonical element (``element`` itself when it is canonical already)."""
    if isinstance(element, TextRun):
        style = canonical_style(element.style)
        text = canonical_text(element.text)
        if style is element.style and text is element.text and element.extra is None:
            return element
        return TextRun(text, style)
    if isinstance(element, DocsLink):
        url, title = _url(element.url or ""), canonical_text(element.title or "")
        if url is element.url and title is element.title and element.extra is None:
            return element
        return DocsLink(url, title)
    if isinstance(element, Mention):
        open_id, user_id = _optional(element.open_id), _optional(element.user_id)
        if open_id is element.open_id and user_id is element.user_id and element.extra is None:
            return element
        return Mention(open_id, user_id)
    return element


_new = object.__new__
_SET_TEXT = getattr(TextRun, "text").__set__  # noqa: B009 - the slot, not the str mypy sees
_SET_STYLE = getattr(TextRun, "style").__set__  # noqa: B009
_SET_EXTRA = getattr(TextRun, "extra").__set__  # noqa: B009


def _text_run(text: str, style: TextStyle | None) -> TextRun:
    """``TextRun(text, style)`` of canonical values, slot by slot: half the time of attrs'
    ``__init__``, which the canonical pass would call for most runs of a record."""
    run = _new(TextRun)
    _SET_TEXT(run, text)
    _SET_STYLE(run, style)
    _SET_EXTRA(run, None)
    return run


# --- runs ------------------------------------------------------------------------------------

_SPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != "\n")
"""Whitespace but the newline (every such character is below U+3001)."""
_BEFORE_NEWLINE = re.compile(f"[{re.escape(_SPACE)}]+(?=\n)")


@by_identity
def _unbolded(style: TextStyle) -> TextStyle | None:
    """A bold style without its bold."""
    return canonical_style(attrs.evolve(style, bold=None))


def _trim_tail(out: list[Any]) -> bool:
    """Drop the whitespace at the end of the runs at the end of ``out``; did any go?"""
    trimmed_any = False
    while out and type(out[-1]) is list:
        pieces = out[-1][0]
        while pieces:
            piece = pieces[-1]
            trimmed = piece.rstrip(_SPACE)
            if trimmed is piece:
                return trimmed_any
            trimmed_any = True
            if trimmed:
                pieces[-1] = trimmed
                return True
            pieces.pop()
        out.pop()
    return trimmed_any


Styles = dict[int, "TextStyle | None"]
"""The canonical styles of one call, by the ``id`` of the style they are of (the content
holds every style of it for the call): however many distinct styles a document has, each is
canonicalised once in it (the shared caches may have been emptied meanwhile)."""


def _elements(
    elements: tuple[Element, ...],
    seen: Styles,
    unknown: Callable[[str], None] | None = None,
    index: int = 0,
) -> tuple[Element, ...]:
    """Canonical elements, in one pass; the same tuple when they already are. ``unknown`` is
    told where the elements of unknown types are (``index``: the block's).

    Runs are canonicalised as they come; a run of the style of the run before it joins it
    (as a list of pieces, joined once at the end: no quadratic concatenation); whitespace
    before a newline, and at the end, is dropped, across runs.
    """
    out: list[Any] = []  # elements, and runs as [pieces, style, the run if unchanged]
    changed = False
    for element in elements:
        if type(element) is not TextRun:
            if isinstance(element, UnknownElement):
                if unknown is not None:  # every unknown element of the paragraph, once
                    _report(elements, unknown, index)
                    unknown = None
                changed = True
            else:
                canonical_element = _element(element)
                changed = changed or canonical_element is not element
                out.append(canonical_element)
            continue
        style, text = element.style, element.text
        try:
            canonical = seen[id(style)]
        except KeyError:
            canonical = _canonical_of(style, seen)
        if "\x00" in text:  # canonical_text(), inlined: the cheapest test first
            text = canonical_text(text)
        elif not text.isascii():
            try:
                text.encode()  # fails on half a surrogate pair only
            except UnicodeEncodeError:
                text = canonical_text(text)
        run: TextRun | None = element
        if canonical is not style or text is not element.text or element.extra is not None:
            changed = True
            run = None
        if canonical is not None and canonical.bold and (core := text.strip()) != text:
            # bold does not cover the whitespace at its edges
            start = text.index(core) if core else len(text)
            plain = _unbolded(canonical)
            changed = True
            if start:
                _add(out, text[:start], plain, None)
            _add(out, core, canonical, None)
            changed = _add(out, text[start + len(core) :], plain, None) or changed
        elif text and "\n" not in text:  # the common case, _add() inlined
            last = out[-1] if out else None
            if type(last) is list and (
                last[1] is canonical
                or (last[1] is not None and canonical is not None and last[1] == canonical)
            ):  # (the None tests spare attrs' __eq__ for a styled run beside a plain one)
                last[0].append(text)
                changed = True
            else:
                out.append([[text], canonical, run])
        else:
            changed = _add(out, text, canonical, run) or changed
    last = out[-1] if out else None
    if type(last) is list:  # _trim_tail(), its common case inlined: the last run ends in a space
        piece = last[0][-1]
        trimmed = piece.rstrip(_SPACE)
        if trimmed is not piece:
            changed = True
            if trimmed:
                last[0][-1] = trimmed
            else:
                _trim_tail(out)
    if not changed and len(out) == len(elements):
        return elements
    canonical_elements: list[Element] = []
    for item in out:
        if type(item) is list:
            pieces, style, run = item
            if run is None or len(pieces) != 1 or pieces[0] is not run.text:
                run = _text_run(pieces[0] if len(pieces) == 1 else "".join(pieces), style)
            canonical_elements.append(run)
        else:
            canonical_elements.append(item)
    return tuple(canonical_elements)


def _report(elements: tuple[Element, ...], unknown: Callable[[str], None], index: int) -> None:
    """Tell ``unknown`` where the elements of unknown types of block ``index`` are."""
    for i, element in enumerate(elements):
        if isinstance(element, UnknownElement):
            unknown(f"blocks[{index}].paragraph.elements[{i}] ({element.type})")


def _add(out: list[Any], text: str, style: TextStyle | None, run: TextRun | None) -> bool:
    """Add a canonical run to ``out``; did anything change beyond adding it?"""
    if not text:
        return True
    changed = False
    if "\n" in text:
        head = text[: text.index("\n")]
        if (not head or head.isspace()) and _trim_tail(out):
            changed = True
        if _BEFORE_NEWLINE.search(text):
            text = _BEFORE_NEWLINE.sub("", text)
            changed = True
            run = None
    last = out[-1] if out else None
    if type(last) is list and (
        last[1] is style or (last[1] is not None and style is not None and last[1] == style)
    ):  # (the None tests spare attrs' __eq__ for a styled run beside a plain one)
        last[0].append(text)
        return True
    out.append([[text], style, run])
    return changed


# --- blocks ----------------------------------------------------------------------------------


def _list_style(
    paragraph: Paragraph, style: ListStyle | None, number: int | None
) -> ListStyle | None:
    if style is None:
        return None
    if (
        style.indent_level is not None
        and style.number == number
        and style.extra is None
        and paragraph.style is not None
        and paragraph.style.extra is None
    ):
        return style
    return ListStyle(style.kind, style.level, number)


def _paragraph(
    paragraph: Paragraph, elements: tuple[Element, ...], list_style: ListStyle | None
) -> Paragraph:
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


def _canonical(
    content: Content, unknown: Callable[[str], None] | None
) -> Iterator[tuple[Paragraph | Gallery, Line]]:
    """Each block a format can show, with its canonical line: the one walk of
    :func:`canonical_lines` and :func:`normalize` (a generator: normalize keeps no lines)."""
    seen: Styles = {}
    shown = Numbering().shown  # the numbers, computed once, as the lines come
    for index, block in enumerate(content.blocks):
        if type(block) is Paragraph:
            paragraph_style = block.style
            style = paragraph_style.list if paragraph_style is not None else None
            yield block, (_elements(block.elements, seen, unknown, index), style, shown(style))
        elif isinstance(block, Gallery):
            if block.images:
                yield block, (_gallery(block), None, shown(None))
        elif unknown is not None:
            unknown(f"blocks[{index}] ({block.type})")  # type: ignore[union-attr]


def canonical_lines(content: Content, unknown: Callable[[str], None] | None = None) -> list[Line]:
    """What writers render, in one pass: each block a format can show, canonical, as
    ``(elements, list style, number shown)`` for a paragraph (the style as it came: its kind
    and level are what count) or ``(gallery, None, None)``; ``unknown`` is told where each
    block or element of an unknown type was (``"blocks[3] (table)"``), in order."""
    return [line for _, line in _canonical(content, unknown)]


def normalize(content: Content | ProgressRecord) -> Content:
    """``content`` (or a record's content) in the canonical form round trips compare in."""
    blocks: list[Block] = []
    for block, (payload, style, number) in _canonical(as_content(content), None):
        if isinstance(payload, Gallery):
            blocks.append(payload)
        elif isinstance(block, Paragraph):
            blocks.append(_paragraph(block, payload, _list_style(block, style, number)))
    return Content(blocks)
