"""HTML -> Content, with lxml: what the writer emits, exactly; what browsers and office
suites paste, mapped to the nearest content.

Safe on hostile input: the parser has no network access and expands no entities (there is
no DTD in HTML), so ``<!DOCTYPE>``/``<!ENTITY>`` tricks (XXE, billion laughs) read as the
text a browser would show; ``<script>``, ``<style>``, ``<template>``, comments and the like
are dropped with their content; the tree is walked iteratively, so depth costs no recursion;
and a document nested deeper than the parser follows (libxml2 stops at 2048 levels, and
silently drops the rest) is read as plain lines instead, with a warning, so no text is lost.

What maps to what (tables below: :data:`BLOCK_TAGS`, :data:`TAG_EFFECTS`, :func:`_style_effects`):

- lines: ``<p>``, ``<div>``, ``<li>``, headings and every other block element break lines;
  ``<br>`` is a newline, except the last one of a block, which browsers do not show;
  whitespace collapses as in a browser, except under ``<pre>`` or ``white-space: pre*``;
- lists: ``<ul>``/``<ol>`` (``start``, ``<li value>``, any ``type``), nested lists (also a
  list directly inside a list, as Google Docs writes them), ``<input type=checkbox
  [checked]>`` in an item, Word's list paragraphs (``mso-list: l0 level2``, their fake
  bullet dropped); block quotes and left margins (``margin-left``, ``padding-left``, 40px a
  level) as ``indent`` lines;
- styles: ``<b>``/``<strong>``/``font-weight`` (and ``font-weight: normal`` turning it off,
  as Google Docs' outer ``<b id="docs-internal-guid-...">`` does), ``<s>``/``<del>``/
  ``<strike>``/``text-decoration: line-through``, ``color``/``background-color``/``<font
  color>``/``<mark>`` in any CSS colour syntax, ``<a href>``;
- ``<img>`` -> a gallery line (after the text, if it stood inside text).

Reported as :class:`~okrcontent.LossWarning`, once per kind and call: italic, underline,
code, sub/superscript, headings (bold), tables (one line a row, cells joined by ``" | "``),
rules, embedded media, and nesting deeper than 16 levels (kept at 16).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from typing import Any

import attrs
from lxml import etree

from .. import nesting
from ..css import parse_color, parse_style
from ..errors import ContentError
from ..losses import Loss, Losses
from ..markup import INERT_DOC, INERT_HREF, INERT_SRC, MENTION, MENTION_USER, TOKEN
from ..model import (
    Color,
    Content,
    DocsLink,
    Element,
    Gallery,
    Image,
    Link,
    ListKind,
    ListStyle,
    Mention,
    Paragraph,
    TextRun,
    TextStyle,
)
from ..normalize import canonical_style

__all__ = ["BLOCK_TAGS", "DROPPED_TAGS", "TAG_EFFECTS", "from_html"]

Payload = Paragraph | Gallery

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main "
    "nav ol p pre section summary table tbody tfoot thead tr ul".split()
)
"""Elements that start and end lines."""

DROPPED_TAGS = frozenset(
    "script style template head title noscript iframe object embed svg math canvas audio "
    "video map datalist select".split()
)
"""Elements dropped with everything inside them."""

MEDIA_TAGS = frozenset("iframe object embed svg math canvas audio video".split())

_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_MSO_LEVEL = re.compile(r"level(\d+)")
_LENGTH = re.compile(r"(-?[\d.]+)\s*(px|pt|em|rem|in|cm|mm|pc)?")
_UNITS = {
    "px": 1.0,
    "pt": 4 / 3,
    "em": 16.0,
    "rem": 16.0,
    "in": 96.0,
    "cm": 96 / 2.54,
    "mm": 96 / 25.4,
    "pc": 16.0,
    None: 1.0,
}
_INDENT_PX = 40  # what browsers indent a level by


def from_html(text: str) -> Content:
    """The content that ``text`` shows; see the module docstring for what maps to what."""
    if not isinstance(text, str):
        raise TypeError(f"from_html() takes a str, got {type(text).__name__}")
    reader = _Reader()
    parser = etree.HTMLParser(
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
        default_doctype=False,
        collect_ids=False,
    )
    try:
        root = etree.fromstring(text, parser) if text.strip() else None
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise ContentError(f"unreadable HTML: {error}") from None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        reader.lose(Loss.HTML_TOO_DEEP)
        lines = [Paragraph([TextRun(line)]) for line in _plain_lines(text)]
        blocks: list[Paragraph | Gallery] = list(lines)
    else:
        if root is not None:
            reader.walk(root)
        flat = nesting.flatten(reader.tree.result(), on_clamp=reader.clamped)
        blocks = [
            Paragraph(block.elements, style) if isinstance(block, Paragraph) and style else block
            for block, style in flat
        ]
    reader.losses.report()
    return Content(blocks)


def _plain_lines(text: str) -> list[str]:
    """The text of markup, a line a block, by a linear scan (no tree)."""
    text = re.sub(r"(?is)<(script|style|template)\b.*?</\1\s*>", "", text)
    text = re.sub(r"(?i)<br\b[^>]*>|</(?:p|div|li|h\d|tr)\s*>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]*>", "", text))
    return [line.strip() for line in text.split("\n") if line.strip()]


# --- the line being read -----------------------------------------------------------------------


@attrs.define
class _Line:
    """The inline content of the line being read."""

    elements: list[Element] = attrs.Factory(list)
    images: list[Image] = attrs.Factory(list)
    shown: bool = False  # a <br> makes even an empty line a line
    last_br: bool = False  # ends with a <br>, which a browser does not show
    collapsible: bool = False  # ends with a collapsed space, which a browser does not show
    word: int | None = None  # the level of a Word list paragraph

    def is_empty(self) -> bool:
        return not (self.elements or self.images or self.shown)


# --- effects: what an element does to the text inside it -----------------------------------------

Effects = dict[str, Any]
"""Property -> value for the text inside an element: bold, strike, color, back, link, pre,
hidden, doc, and loss (a :class:`~okrcontent.losses.Loss`)."""

_BOLD_ON = {"bold", "bolder", "600", "700", "800", "900"}
_BOLD_OFF = {"normal", "lighter", "100", "200", "300", "400", "500"}


def _length_px(value: str) -> float:
    match = _LENGTH.match(value.strip())
    if match is None:
        return 0.0
    try:
        return float(match.group(1)) * _UNITS[match.group(2)]
    except ValueError:
        return 0.0


@functools.lru_cache(maxsize=1024)
def _style_effects(style: str) -> Effects:
    """What an inline ``style`` does (CSS declarations -> effects); read-only (cached)."""
    effects: Effects = {}
    declarations = parse_style(style)
    weight = declarations.get("font-weight", "").lower()
    if weight in _BOLD_ON:
        effects["bold"] = True
    elif weight in _BOLD_OFF:
        effects["bold"] = False
    decoration = declarations.get("text-decoration", "") + declarations.get(
        "text-decoration-line", ""
    )
    if "line-through" in decoration:
        effects["strike"] = True
    if "underline" in decoration:
        effects["loss"] = Loss.UNDERLINE
    if declarations.get("font-style", "").lower() in ("italic", "oblique"):
        effects["loss"] = Loss.ITALIC
    for key, effect in (("color", "color"), ("background-color", "back"), ("background", "back")):
        if key in declarations:
            color = parse_color(declarations[key])
            if color is not None:
                effects.setdefault(effect, color)
    if declarations.get("white-space", "").lower().startswith(("pre", "break-spaces")):
        effects["pre"] = True
    elif declarations.get("white-space", "").lower() in ("normal", "nowrap"):
        effects["pre"] = False
    if "mso-list" in declarations and declarations["mso-list"].strip().lower() == "ignore":
        effects["hidden"] = True  # Word's fake bullet
    return effects


TAG_EFFECTS: dict[str, Effects] = {
    "b": {"bold": True},
    "strong": {"bold": True},
    "s": {"strike": True},
    "del": {"strike": True},
    "strike": {"strike": True},
    "mark": {"back": Color(255, 255, 0, 1.0)},
    "pre": {"pre": True, "loss": Loss.CODE_BLOCK},
    "i": {"loss": Loss.ITALIC},
    "em": {"loss": Loss.ITALIC},
    "cite": {"loss": Loss.ITALIC},
    "u": {"loss": Loss.UNDERLINE},
    "ins": {"loss": Loss.UNDERLINE},
    "code": {"loss": Loss.CODE},
    "kbd": {"loss": Loss.CODE},
    "samp": {"loss": Loss.CODE},
    "tt": {"loss": Loss.CODE},
    "sub": {"loss": Loss.SCRIPT},
    "sup": {"loss": Loss.SCRIPT},
    "h1": {"bold": True, "loss": Loss.HEADING},
    "h2": {"bold": True, "loss": Loss.HEADING},
    "h3": {"bold": True, "loss": Loss.HEADING},
    "h4": {"bold": True, "loss": Loss.HEADING},
    "h5": {"bold": True, "loss": Loss.HEADING},
    "h6": {"bold": True, "loss": Loss.HEADING},
    "th": {"bold": True},
}
"""Tag -> what it does to its text before its attributes and style have their say."""


def _effects(name: str, el: Any) -> Effects:
    effects = dict(TAG_EFFECTS.get(name, ()))
    attrib = el.attrib
    if name == "font" and "color" in attrib:
        color = parse_color(attrib["color"])
        if color is not None:
            effects["color"] = color
    if name == "a" and "href" in attrib:
        effects["link"] = attrib["href"]
    if INERT_HREF in attrib:
        effects["link"] = attrib[INERT_HREF]
    if "style" in attrib:
        effects.update(_style_effects(attrib["style"]))
    if MENTION in attrib or MENTION_USER in attrib:
        effects["mention"] = Mention(attrib.get(MENTION) or None, attrib.get(MENTION_USER) or None)
        effects["hidden"] = True
    if INERT_DOC in attrib:
        effects["doc"] = attrib[INERT_DOC]
        effects.pop("link", None)
    return effects


# --- the reader ----------------------------------------------------------------------------------


class _Reader:
    """Walks one document and builds its nesting tree."""

    def __init__(self) -> None:
        self.losses = Losses()
        self.tree: nesting.TreeBuilder[Payload] = nesting.TreeBuilder()
        self.line = _Line()
        self.values: dict[str, list[Any]] = {
            k: [] for k in ("bold", "strike", "color", "back", "link", "pre")
        }
        self.hidden = 0
        self.hidden_text: list[str] = []
        self.doc: tuple[str, list[str]] | None = None
        self.frames: list[tuple[list[str], Callable[[], None] | None]] = []
        self.cells = 0  # cells read in the current table row
        self.indents: dict[int, int] = {}  # id of an element -> the indent it opened
        self.word_batch: list[tuple[Payload, ListStyle | None]] = []  # Word list paragraphs

    def lose(self, loss: Loss, detail: str = "") -> None:
        self.losses.add(loss, detail)

    def clamped(self, depth: int) -> None:
        self.lose(Loss.TOO_DEEP)

    def _top(self, name: str) -> Any:
        stack = self.values[name]
        return stack[-1] if stack else None

    # walking

    def walk(self, root: Any) -> None:
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, el in walker:
            tag = el.tag
            name = tag.lower() if isinstance(tag, str) else ""
            if event == "start":
                if name in DROPPED_TAGS:
                    walker.skip_subtree()
                    if name in MEDIA_TAGS:
                        self.lose(Loss.MEDIA)
                    continue
                self.start(name, el)
                if el.text:
                    self.text(el.text)
            else:
                if name not in DROPPED_TAGS:
                    self.end(name, el)
                if el.tail:
                    self.text(el.tail)
        self.flush()
        self.emit_word()

    def start(self, name: str, el: Any) -> None:
        if name in BLOCK_TAGS:
            self.flush()
        rule = START_RULES.get(name)
        if rule is not None:
            rule(self, el)
        elif name in ("p", "div") or "style" in el.attrib:
            self.block_style(name, el)
        self.push(_effects(name, el))

    def end(self, name: str, el: Any) -> None:
        self.pop()
        if name in BLOCK_TAGS:
            self.flush()
        rule = END_RULES.get(name)
        if rule is not None:
            rule(self, el)
        if self.indents.pop(id(el), None):
            self.emit_word()
            self.tree.close_indent()

    def push(self, effects: Effects) -> None:
        pushed = []
        for key, value in effects.items():
            if key in self.values:
                self.values[key].append(value)
                pushed.append(key)
            elif key == "loss":
                self.lose(value)
        undo: Callable[[], None] | None = None
        if "mention" in effects:
            self.add_element(effects["mention"])
        if effects.get("hidden"):
            self.hidden += 1
            undo = self._unhide
        if "doc" in effects:
            self.doc = (effects["doc"], [])
            undo = self._end_doc
        self.frames.append((pushed, undo))

    def pop(self) -> None:
        pushed, undo = self.frames.pop()
        for key in pushed:
            self.values[key].pop()
        if undo is not None:
            undo()

    def _unhide(self) -> None:
        self.hidden -= 1

    def _end_doc(self) -> None:
        if self.doc is not None:
            url, title = self.doc
            self.doc = None
            self.add_element(DocsLink(url, "".join(title)))

    # text

    def style(self) -> TextStyle | None:
        key = (
            self._top("bold"),
            self._top("strike"),
            self._top("color"),
            self._top("back"),
            self._top("link"),
        )
        return _style(*key)

    def text(self, text: str) -> None:
        if self.hidden:
            if self.line.word is not None:  # Word's fake bullet: it says the list's kind
                self.hidden_text.append(text)
            return
        line = self.line
        if not self._top("pre"):
            text = _WHITESPACE.sub(" ", text)
            if text.startswith(" ") and (line.is_empty() or line.collapsible or line.last_br):
                text = text[1:]
            if not text:
                return
            line.collapsible = text.endswith(" ")
        else:
            line.collapsible = False
        line.last_br = False
        if self.doc is not None:
            self.doc[1].append(text)
            return
        self.add_element(TextRun(text, self.style()))

    def add_element(self, element: Element) -> None:
        elements = self.line.elements
        last = elements[-1] if elements else None
        if (
            isinstance(element, TextRun)
            and isinstance(last, TextRun)
            and last.style == element.style
        ):
            elements[-1] = TextRun(last.text + element.text, last.style)
        else:
            elements.append(element)
        if not isinstance(element, TextRun):
            self.line.collapsible = False
            self.line.last_br = False

    def br(self, el: Any) -> None:
        if self.hidden or _is_gdocs_trailer(el):
            return
        self.text_exact("\n")
        self.line.shown = True
        self.line.last_br = True

    def text_exact(self, text: str) -> None:
        if self.doc is not None:
            self.doc[1].append(text)
        else:
            self.add_element(TextRun(text, self.style()))
        self.line.collapsible = False

    def flush(self) -> None:
        """The line read so far goes into the tree."""
        if self.line.is_empty():
            return
        line, self.line = self.line, _Line()
        elements = line.elements
        if elements and isinstance(elements[-1], TextRun):
            last = elements[-1]
            text = last.text
            if line.collapsible and text.endswith(" "):
                text = text[:-1]
            if line.last_br and text.endswith("\n"):
                text = text[:-1]
            elements[-1] = TextRun(text, last.style)
            if not text:
                elements.pop()
        has_text = any(not (isinstance(e, TextRun) and not e.text.strip()) for e in elements)
        if line.images and not has_text:
            self.tree.add(Gallery(line.images), plain=True)
            return
        paragraph = Paragraph(elements)
        if line.word is not None:
            marker, self.hidden_text = "".join(self.hidden_text).strip(), []
            self.word_batch.append((paragraph, _word_style(line.word, marker)))
        else:
            self.emit_word()
            self.tree.add(paragraph)
        if line.images:
            self.lose(Loss.IMAGE_IN_TEXT)
            self.tree.add(Gallery(line.images), plain=True)

    # elements

    def block_style(self, name: str, el: Any) -> None:
        """Indentation and Word list paragraphs, from a block's ``style`` and attributes."""
        attrib = el.attrib
        if "data-okr-indent" in attrib:
            depth = int(attrib["data-okr-indent"]) if attrib["data-okr-indent"].isdigit() else 1
        else:
            declarations = parse_style(attrib.get("style", ""))
            mso = declarations.get("mso-list", "")
            level = _MSO_LEVEL.search(mso)
            if level is not None and name == "p":
                self.line.word = int(level.group(1))
                self.hidden_text = []
                return
            margin = max(
                _length_px(declarations.get("margin-left", "0")),
                _length_px(declarations.get("padding-left", "0")),
            )
            depth = round(margin / _INDENT_PX) if name in ("p", "div") else 0
        if depth > 0:
            self.emit_word()
            self.tree.open_indent(depth)
            self.indents[id(el)] = depth

    def emit_word(self) -> None:
        """Word's list paragraphs so far, as the lists their levels make."""
        if self.word_batch:
            for node in nesting.build(self.word_batch):
                self.tree.add_node(node)
            self.word_batch = []

    def list_start(self, el: Any) -> None:
        self.emit_word()
        start = el.get("start", "1").strip()
        self.tree.open_list(el.tag.lower() == "ol", int(start) if _is_int(start) else 1)

    def list_end(self, el: Any) -> None:
        self.emit_word()
        self.tree.close_list()

    def item_start(self, el: Any) -> None:
        self.emit_word()
        value = el.get("value", "").strip()
        self.tree.open_item(int(value) if _is_int(value) else None)
        if "okr-skip" in el.get("class", "").split():
            self.tree.set_filler()

    def item_end(self, el: Any) -> None:
        self.emit_word()
        self.tree.close_item(Paragraph())

    def quote_start(self, el: Any) -> None:
        self.emit_word()
        self.tree.open_indent()

    def quote_end(self, el: Any) -> None:
        self.emit_word()
        self.tree.close_indent()

    def image(self, el: Any) -> None:
        attrib = el.attrib
        src = attrib.get("src", attrib.get(INERT_SRC))
        style = parse_style(attrib.get("style", ""))

        def size(key: str) -> float | None:
            value = attrib.get(key) or style.get(key)
            if value is None:
                return None
            try:
                pixels = float(value)  # what the writer writes: exact
            except ValueError:
                pixels = _length_px(value)  # "640px", "3in"
            return pixels if 0 <= pixels < float("inf") else None

        self.line.images.append(Image(src, attrib.get(TOKEN), size("width"), size("height")))

    def checkbox(self, el: Any) -> None:
        if (
            el.get("type", "").lower() == "checkbox"
            and self.line.is_empty()
            and self.tree.item_is_fresh()
        ):
            self.tree.set_task("checked" in el.attrib)

    def row_start(self, el: Any) -> None:
        self.cells = 0
        self.lose(Loss.TABLE)

    def cell_start(self, el: Any) -> None:
        if self.cells:
            self.text_exact(" | ")
        self.cells += 1

    def rule(self, el: Any) -> None:
        self.lose(Loss.RULE)


_WORD_NUMBER = re.compile(r"\(?(\d{1,9})[.)]")
_WORD_ORDERED = re.compile(r"\(?[a-zA-Z]{1,6}[.)]")


def _word_style(level: int, marker: str) -> ListStyle:
    """A Word list paragraph's style, from its level and its fake bullet or number."""
    level = min(max(level, 1), 16)
    number = _WORD_NUMBER.match(marker)
    if number is not None:
        return ListStyle(ListKind.NUMBER, level, int(number.group(1)))
    if _WORD_ORDERED.match(marker):  # a. b. / i. ii.: ordered, numbered as shown
        return ListStyle(ListKind.NUMBER, level)
    return ListStyle(ListKind.BULLET, level)


@functools.lru_cache(maxsize=4096)
def _style(
    bold: bool | None,
    strike: bool | None,
    color: Color | None,
    back: Color | None,
    link: str | None,
) -> TextStyle | None:
    """The style of text under these effects (one instance per distinct style)."""
    style = TextStyle(bold or None, strike or None, color, back, Link(link) if link else None)
    return canonical_style(style)


def _is_gdocs_trailer(el: Any) -> bool:
    """The ``<br>`` Google Docs puts at the end of its ``docs-internal-guid`` wrapper."""
    parent = el.getparent()
    return (
        parent is not None
        and parent.get("id", "").startswith("docs-internal-guid")
        and el.getnext() is None
    )


def _is_int(text: str) -> bool:
    return text.isascii() and text.lstrip("-").isdigit() and len(text) < 10


START_RULES: dict[str, Callable[[_Reader, Any], None]] = {
    "ul": _Reader.list_start,
    "ol": _Reader.list_start,
    "li": _Reader.item_start,
    "blockquote": _Reader.quote_start,
    "img": _Reader.image,
    "br": _Reader.br,
    "input": _Reader.checkbox,
    "tr": _Reader.row_start,
    "td": _Reader.cell_start,
    "th": _Reader.cell_start,
    "hr": _Reader.rule,
}
"""Tag -> what its start does to the structure (styles are :data:`TAG_EFFECTS`)."""

END_RULES: dict[str, Callable[[_Reader, Any], None]] = {
    "ul": _Reader.list_end,
    "ol": _Reader.list_end,
    "li": _Reader.item_end,
    "blockquote": _Reader.quote_end,
}
"""Tag -> what its end does to the structure."""
