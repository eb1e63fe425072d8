"""HTML -> Content, with lxml: what the writer emits, exactly; what browsers and office
suites paste, mapped to the nearest content.

Safe on hostile input: the parser has no network access and expands no entities (there is
no DTD in HTML), so ``<!DOCTYPE>``/``<!ENTITY>`` tricks (XXE, billion laughs) read as the
text a browser would show, and a DOCTYPE's internal subset is not text at all; ``<script>``,
``<style>``, ``<template>``, comments and the like are dropped with their content, and so is
what ``display: none`` hides (reported); the tree is walked iteratively, so depth costs no
recursion; a document nested deeper than the parser follows (libxml2 stops at 2048 levels,
and silently drops the rest) is read as plain lines instead, with a warning, so no text is
lost. Any string reads: an XML declaration is skipped, NUL and lone surrogates read as
U+FFFD. Every step is linear in the input.

What maps to what (the text styles are the shared vocabulary of
:mod:`okrcontent.readers._inline`; the structure is :data:`START_RULES`/:data:`END_RULES`):

- lines: ``<p>``, ``<div>``, ``<li>``, headings and every other block element break lines;
  ``<br>`` is a newline, except the last one of a block, which browsers do not show;
  whitespace collapses as in a browser, except under ``<pre>`` or ``white-space: pre*``;
- lists: ``<ul>``/``<ol>`` (``start``, ``<li value>``, ``type`` and ``list-style-type``
  deciding bullets or numbers, also per item), nested lists (also a list directly inside a
  list, as Google Docs writes them), an ``<li>`` outside any list (a bullet, as browsers
  show it), ``<input type=checkbox [checked]>`` in an item, Word's list paragraphs
  (``mso-list: l0 level2``, their fake bullet dropped and read for the list's kind); block
  quotes and left margins (``margin-left`` plus ``padding-left``, 40px a level) as
  ``indent`` lines, and lists inside them one level deeper (reported);
- styles: ``<b>``/``<strong>``/``font-weight`` (and ``font-weight: normal`` turning it off,
  as Google Docs' outer ``<b id="docs-internal-guid-...">`` does), ``<s>``/``<del>``/
  ``<strike>``/``text-decoration``, ``color``/``background``/``<font color>``/``<mark>`` in
  any CSS colour syntax, ``<a href>``; okrcontent's own ``data-okr-*`` marks;
- ``<img>`` -> a gallery line (after the text, if it stood inside text).

Reported as :class:`~okrcontent.LossWarning`, once per kind and call: italic, underline,
code, sub/superscript, headings (bold), tables (one line a row, cells joined by ``" | "``),
rules, embedded media, hidden content, CDATA sections (which HTML does not show), tags the
reader does not know (their text kept), list numbers outside the format's range (kept at
the nearest), and nesting deeper than 16 levels (kept at 16).
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from lxml import etree

from .. import metadata
from ..errors import ContentError
from ..losses import Loss, Losses
from ..markup import INDENT
from ..model import Block, Content, Element, Gallery, ListKind, ListStyle, Paragraph, ProgressRecord
from ..nesting import MAX_LEVEL, LineBuilder
from . import _html_metadata, _inline

__all__ = [
    "BLOCK_TAGS",
    "DROPPED_TAGS",
    "END_RULES",
    "START_RULES",
    "from_html",
    "read_html",
    "record_from_html",
]

Payload = tuple[Element, ...] | Gallery

BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main "
    "nav ol p pre section summary table tbody tfoot thead tr ul".split()
)
"""Elements that start and end lines."""

DROPPED_TAGS = frozenset(
    "script style template head title noscript iframe object embed svg math canvas audio "
    "video map datalist select textarea".split()
)
"""Elements dropped with everything inside them."""

MEDIA_TAGS = frozenset("iframe object embed svg math canvas audio video".split())

EMPTY_TAGS = frozenset("input hr meta link base col area param source track wbr".split())
"""Elements that never hold content (HTML's void elements but ``<br>`` and ``<img>``,
which the text vocabulary reads)."""

STRUCTURE = (
    BLOCK_TAGS
    | DROPPED_TAGS
    | frozenset(
        "td th caption col colgroup input button meta link base param source track area "
        "picture".split()
    )
)
"""Tags the reader knows by its structure rules (the text vocabulary knows the rest)."""

INDENT_PX = 40
"""What browsers indent a level by."""


_WHITESPACE = re.compile(r"[ \t\n\r\f]+")


def from_html(text: str) -> Content:
    """The content that ``text`` shows; see the module docstring for what maps to what. A
    record's metadata (``okr-*`` metas, its header) is left aside (reported)."""
    fields, content, losses = _read(text, "from_html")
    if fields:
        losses.add(Loss.METADATA_LEFT_ASIDE, "okr-* metadata")
    losses.report()
    return content


def record_from_html(text: str) -> ProgressRecord:
    """The record that ``text`` holds: its fields (the ``okr-*`` metas of a page's head, the
    ``data-okr-*`` attributes of a fragment's header: :mod:`okrcontent.metadata`; none: a
    record of content alone) and its content. Raises :class:`~okrcontent.ContentError` for
    fields that are not a record's metadata, naming the field (``okr-percent``)."""
    fields, content, losses = _read(text, "record_from_html")
    losses.report()
    return _html_metadata.record(fields or {}, content)


def read_html(text: str) -> Content | ProgressRecord:
    """What an HTML file holds, for the formats table: a record when it names a record's
    fields, else content (other ``okr-*`` metas, an OKR document's, reported as left
    aside)."""
    fields, content, losses = _read(text, "read_html")
    if fields and metadata.is_metadata(fields):
        losses.report()
        return _html_metadata.record(fields, content)
    if fields:
        losses.add(Loss.METADATA_LEFT_ASIDE, "okr-* metadata")
    losses.report()
    return content


def _read(text: str, caller: str) -> tuple[dict[str, tuple[str, str | None]], Content, Losses]:
    """The fields found (see :func:`._html_metadata.fields`), the content and what it lost."""
    if not isinstance(text, str):
        raise TypeError(f"{caller}() takes a str, got {type(text).__name__}")
    losses = Losses()
    text = _prepared(text, losses)
    parser = etree.HTMLParser(
        encoding="utf-8",
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
        default_doctype=False,
        collect_ids=False,
    )
    try:
        root = None if text.isspace() or not text else etree.fromstring(_utf8(text), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise ContentError(f"unreadable HTML: {error}") from None
    fields = _html_metadata.fields(root) if root is not None else {}
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        losses.add(Loss.HTML_TOO_DEEP)
        blocks: list[Block] = [Paragraph([line]) for line in _plain_lines(text)]
    else:
        reader = _Reader(losses)
        if root is not None:
            reader.walk(root)
        blocks = _inline.blocks(reader.lines.result())
    return fields, Content(blocks), losses


_PROLOGUE = re.compile(
    r"""[\s\ufeff]*
    (?:<\?xml\b[^<>]*>\s*)?                                      # an XML declaration
    (?:<!doctype\b[^<>\[]*\[(?:[^\]"']|"[^"]*"|'[^']*')*\]\s*>)?   # a DOCTYPE's internal subset
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _prepared(text: str, losses: Losses) -> str:
    """The text without its prologue (an internal subset is no content; an XML declaration
    says nothing the text does not), and CDATA reported."""
    prologue = _PROLOGUE.match(text)
    if prologue is not None and prologue.end():
        text = text[prologue.end() :]
    if "<![CDATA[" in text:
        losses.add(Loss.CDATA)
    return text


def _replace(error: UnicodeError) -> tuple[bytes, int]:
    if not isinstance(error, UnicodeEncodeError):  # (never: the handler only encodes)
        raise error
    return b"\xef\xbf\xbd", error.end


codecs.register_error("okrcontent.fffd", _replace)


def _utf8(text: str) -> bytes:
    """What lxml is given: UTF-8 (its encoding stated to the parser: a declared one is no
    matter), a lone surrogate as U+FFFD (lxml would drop the text after it)."""
    return text.encode("utf-8", "okrcontent.fffd")


_SCAN = re.compile(r"<(/?)([a-zA-Z][^\s/<>]*)[^<>]*>?|<!--|[^<]+|<")
_LINE_BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
_RAW_TEXT = {
    name: re.compile(f"</{name}", re.IGNORECASE)
    for name in ("script", "style", "template", "title", "textarea")
}
"""Elements whose content is no text, and where it ends."""


def _plain_lines(text: str) -> list[str]:
    """The text of markup, a line a block, by one linear scan (no tree, no backtracking)."""
    out: list[str] = []
    position = 0
    while position < len(text):
        match = _SCAN.match(text, position)
        if match is None:  # (never: the pattern matches any character)
            break
        position = match.end()
        if match.group(2) is not None:
            name = match.group(2).lower()
            if name in _LINE_BREAKS:
                out.append("\n")
            closer = _RAW_TEXT.get(name)
            if closer is not None and not match.group(1):
                found = closer.search(text, position)
                position = len(text) if found is None else found.start()
        elif match.group() == "<!--":
            end = text.find("-->", position)
            position = len(text) if end < 0 else end + 3
        else:
            out.append(match.group())
    lines = html.unescape("".join(out)).split("\n")
    return [" ".join(line.split()) for line in lines if line.strip()]


def _integer(text: str | None) -> int | None:
    """HTML's rules for parsing integers (``" 3rd"`` is 3); numbers past ten digits stand
    for any number too large (the caller keeps it at the nearest it can hold)."""
    match = _INTEGER.match(text) if text else None
    if match is None:
        return None
    sign, digits = match.groups()
    value = int(digits) if len(digits) <= 10 else 10**10
    return -value if sign == "-" else value


_INTEGER = re.compile(r"[ \t\n\f\r]*([+-]?)0*(\d+)", re.ASCII)

# --- the reader ----------------------------------------------------------------------------------

_INLINE = 1  # the element opened an inline frame
_INDENT = 2  # the element opened an indented block
_SKIPPED = 4  # the element was dropped with its content
_STRUCTURE = 8  # the element's end has work: a line ends, a list or an item closes


class _Reader:
    """Walks one document into lines."""

    def __init__(self, losses: Losses) -> None:
        self.losses = losses
        self.inline = _inline.Inline(losses)
        self.lines: LineBuilder[Payload] = LineBuilder((), losses)
        self.shown = False  # a <br> makes even an empty line a line
        self.last_br = False  # the line ends with a <br>, which a browser does not show
        self.collapsible = False  # it ends with a collapsed space, which a browser hides
        self.word: int | None = None  # the level of a Word list paragraph
        self.cells = 0  # cells read in the current table row
        self.ends: list[int] = []  # what each open element's end undoes (_INLINE, ...)
        self.elements: dict[Any, Plan] = {}  # element -> its plan, in this document
        self.walker: Any = None

    def walk(self, root: Any) -> None:
        self.walker = etree.iterwalk(root, events=("start", "end"))
        ends, inline, elements = self.ends, self.inline, self.elements
        read_text, start, end_of, plan_of = self.text, self.start, self.end, self.plan
        for event, el in self.walker:
            tag = el.tag
            if event == "start":
                items = el.items()
                key = (tag, tuple(items)) if items else tag
                plan = _SEEN.get(key) or elements.get(key) or plan_of(key, tag, items)
                if plan.flags == _STYLES_ONLY:  # the common case: nothing but the text's style
                    inline.open(tag, plan.effects)
                    ends.append(_INLINE)
                else:
                    start(tag, el, plan)
                text = el.text
                if text and not ends[-1] & _SKIPPED:
                    read_text(text)
            else:
                end = ends.pop()
                if end == _INLINE:
                    if inline.close():  # a doc link: the text before it is done
                        self.collapsible = self.last_br = False
                else:
                    end_of(tag, end)
                text = el.tail
                if text:
                    read_text(text)
        self.flush()

    def plan(self, key: Any, tag: Any, items: list[tuple[str, str]]) -> Plan:
        """What the walk does with an element (remembered for the elements like it: across
        calls for short ones)."""
        if not isinstance(tag, str):  # (the parser keeps no comments; but never fail)
            return Plan(_DROP, _inline.NONE, {})
        attributes = dict(items)
        effects = self.inline.effects(tag, tuple(items))
        flags = _PLANS.get(tag, _UNKNOWN) | (_DROP if effects.hidden else 0)
        if effects.indent is None and effects.word_level is None and INDENT not in attributes:
            flags &= ~_PARAGRAPH  # (a paragraph that is only a paragraph)
        if flags == 0 and effects.plain and effects.void is None:
            flags = _STYLES_ONLY
        plan = self.elements[key] = Plan(flags, effects, attributes)  # (the document's own)
        if sum(len(value) for _, value in items) <= _SHARED_UP_TO:
            if len(_SEEN) >= _SEEN_KEPT:
                _SEEN.clear()
            _SEEN[key] = plan
        return plan

    def start(self, tag: str, el: Any, element: Plan) -> None:
        inline, plan, effects = self.inline, element.flags, element.effects
        if plan & _DROP:
            self.walker.skip_subtree()
            self.ends.append(_SKIPPED)
            for loss in effects.losses if effects.hidden else ():
                self.losses.add(loss)
            if tag in MEDIA_TAGS:
                self.losses.add(Loss.MEDIA)
            return
        if plan & _UNKNOWN:
            self.losses.add(Loss.UNKNOWN_TAG, tag)
        if plan & _BLOCK and (inline.pieces or inline.elements or inline.images or self.shown):
            self.flush()
        end = _STRUCTURE if plan & (_BLOCK | _END_RULE) else 0
        if plan & _RULE:
            end |= START_RULES[tag](self, el, element) or 0
            if end & _SKIPPED:
                self.walker.skip_subtree()
                self.ends.append(_SKIPPED)
                return
        elif plan & _PARAGRAPH:
            end |= self.block(tag, element)
        if effects.void is None and not plan & _EMPTY:
            inline.open(tag, effects)
            end |= _INLINE
            if effects.mention is not None:  # the text before it is done
                self.collapsible = self.last_br = False
        elif tag == "img":
            inline.open(tag, effects, element.attributes)
        self.ends.append(end)

    def end(self, tag: str, end: int) -> None:
        if end & _SKIPPED:
            return
        if end & _INLINE and self.inline.close():  # a doc link: the text before it is done
            self.collapsible = self.last_br = False
        if end & _STRUCTURE:
            plan = _PLANS[tag]
            if plan & _BLOCK:
                self.flush()
            if plan & _END_RULE:
                END_RULES[tag](self)
        if end & _INDENT:
            self.lines.close_indent()

    # text

    def text(self, text: str) -> None:
        inline = self.inline
        state = inline.state
        if state.pre and not state.hidden:  # (the writer's text: as written)
            self.collapsible = self.last_br = False
            inline.text(text)
            return
        if state.hidden:
            inline.text(text)  # (a fake bullet's, read for its list's kind)
            return
        if not state.pre:
            if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text:
                text = _WHITESPACE.sub(" ", text)  # (most text has nothing to collapse)
            if text[0] == " " and (
                self.collapsible or self.last_br or (not self.shown and inline.is_empty())
            ):
                text = text[1:]
                if not text:
                    return
            self.collapsible = text[-1] == " "
        else:
            self.collapsible = False
        self.last_br = False
        inline.text(text)

    def flush(self) -> None:
        """The line read so far goes into the lines."""
        inline = self.inline
        if not (inline.pieces or inline.elements or inline.images or self.shown):
            return
        text = inline.pieces[-1] if len(inline.pieces) == 1 else inline.last_text()
        cut = 1 if self.collapsible and text.endswith(" ") else 0
        if self.last_br and text[: len(text) - cut].endswith("\n"):
            cut += 1
        inline.trim_end(cut)
        elements, gallery = inline.take()
        self.shown = self.collapsible = self.last_br = False
        word, self.word = self.word, None
        if elements is not None:
            if word is not None:
                marker, inline.marker = "".join(inline.marker).strip(), []
                self.lines.add_styled(tuple(elements), _word_style(word, marker))
            else:
                self.lines.add(tuple(elements))
        if gallery is not None:
            self.lines.add(gallery, plain=True)

    # structure

    def block(self, tag: str, element: Plan) -> int:
        """A paragraph's indentation, or Word's list paragraph; ``_INDENT`` if it opened an
        indented block."""
        effects = element.effects
        depth = _integer(element.attributes.get(INDENT))
        if depth is None:
            if effects.word_level is not None and tag == "p":
                if effects.word_level > MAX_LEVEL:
                    self.losses.add(Loss.TOO_DEEP)
                self.word = min(max(effects.word_level, 1), MAX_LEVEL)
                self.inline.marker = []
                return 0
            depth = round(min(effects.indent or 0.0, 1e6) / INDENT_PX)
        if depth <= 0:
            return 0
        self.lines.open_indent(min(depth, 64))
        return _INDENT

    def list_start(self, el: Any, element: Plan) -> None:
        ordered = el.tag == "ol" if element.effects.ordered is None else element.effects.ordered
        start = _integer(element.attributes.get("start")) if ordered else None
        self.lines.open_list(ordered, 1 if start is None else start)

    def list_end(self) -> None:
        self.lines.close_list()

    def item_start(self, el: Any, element: Plan) -> None:
        ordered = element.effects.ordered
        kind = None if ordered is None else _KINDS[ordered]
        self.lines.open_item(_integer(element.attributes.get("value")), kind)
        if "okr-skip" in element.attributes.get("class", "").split():
            self.lines.set_filler()

    def item_end(self) -> None:
        self.lines.close_item()

    def quote_start(self, el: Any, element: Plan) -> None:
        self.lines.open_indent()

    def quote_end(self) -> None:
        self.lines.close_indent()

    def br(self, el: Any, element: Plan) -> None:
        if self.inline.state.hidden or _is_trailer(el):
            return
        self.inline.open("br", element.effects)
        self.shown = self.last_br = True
        self.collapsible = False

    def checkbox(self, el: Any, element: Plan) -> None:
        if (
            element.attributes.get("type", "").lower() == "checkbox"
            and self.inline.is_empty()
            and not self.shown
            and self.lines.item_is_fresh()
        ):
            self.lines.set_task("checked" in element.attributes)

    def row_start(self, el: Any, element: Plan) -> None:
        self.cells = 0
        self.losses.add(Loss.TABLE)

    def cell_start(self, el: Any, element: Plan) -> None:
        if self.cells:
            self.inline.text(" | ")
            self.collapsible = self.last_br = False
        self.cells += 1

    def rule(self, el: Any, element: Plan) -> None:
        self.losses.add(Loss.RULE)

    def paragraph_mark(self, el: Any, element: Plan) -> int:
        """Word's ``<o:p>``: holding only a no-break space, it keeps an empty paragraph."""
        if len(el) or (el.text or "").strip(" \xa0\t\r\n"):
            return 0
        self.shown = True
        return _SKIPPED


_KINDS = {True: ListKind.NUMBER, False: ListKind.BULLET}

_WORD_NUMBER = re.compile(r"\(?(\d{1,9})[.)]")
_WORD_ORDERED = re.compile(r"\(?[a-zA-Z]{1,6}[.)]")


def _word_style(level: int, marker: str) -> ListStyle:
    """A Word list paragraph's style, from its level and its fake bullet or number."""
    number = _WORD_NUMBER.match(marker)
    if number is not None:
        return ListStyle(ListKind.NUMBER, level, int(number.group(1)))
    if _WORD_ORDERED.match(marker):  # a. b. / i. ii.: ordered, numbered as shown
        return ListStyle(ListKind.NUMBER, level)
    return ListStyle(ListKind.BULLET, level)


def _is_trailer(el: Any) -> bool:
    """A ``<br>`` that only marks the end of a paste: the last one of Google Docs'
    ``docs-internal-guid`` wrapper, or WebKit's ``Apple-interchange-newline``."""
    if el.get("class") == "Apple-interchange-newline":
        return True
    parent = el.getparent()
    return (
        parent is not None
        and parent.get("id", "").startswith("docs-internal-guid")
        and el.getnext() is None
    )


START_RULES: dict[str, Callable[[_Reader, Any, Plan], int | None]] = {
    "ul": _Reader.list_start,
    "ol": _Reader.list_start,
    "li": _Reader.item_start,
    "blockquote": _Reader.quote_start,
    "br": _Reader.br,
    "input": _Reader.checkbox,
    "tr": _Reader.row_start,
    "td": _Reader.cell_start,
    "th": _Reader.cell_start,
    "hr": _Reader.rule,
    "o:p": _Reader.paragraph_mark,
}
"""Tag -> what its start does to the structure (its effect on text is the vocabulary's);
``_SKIPPED`` if the element is to be dropped with its content."""

END_RULES: dict[str, Callable[[_Reader], None]] = {
    "ul": _Reader.list_end,
    "ol": _Reader.list_end,
    "li": _Reader.item_end,
    "blockquote": _Reader.quote_end,
}
"""Tag -> what its end does to the structure."""

_DROP, _BLOCK, _RULE, _END_RULE, _PARAGRAPH, _UNKNOWN, _EMPTY = 1, 2, 4, 8, 16, 32, 128
_STYLES_ONLY = 64  # (alone: an element with plain effects and no structure, the fast path)


class Plan(NamedTuple):
    """What the walk does with an element, worked out once for the elements like it."""

    flags: int  # _DROP, _BLOCK, ... (or _STYLES_ONLY)
    effects: _inline.Effects  # on the text inside it
    attributes: dict[str, str]


_SEEN: dict[Any, Plan] = {}
"""Element (tag and attributes) -> its plan, for elements whose attributes are short,
across calls; begun afresh past ``_SEEN_KEPT`` (memory stays bounded)."""
_SEEN_KEPT = 8192
_SHARED_UP_TO = 512
_PLANS = {
    tag: (tag in DROPPED_TAGS and _DROP)
    | (tag in BLOCK_TAGS and _BLOCK)
    | (tag in START_RULES and _RULE)
    | (tag in END_RULES and _END_RULE)
    | (tag in ("p", "div") and _PARAGRAPH)
    | (tag in EMPTY_TAGS and _EMPTY)
    for tag in STRUCTURE | _inline.TAGS.keys() | _inline.NEUTRAL
}
"""Tag -> what the walk does with it, as flags (a tag not here is unknown)."""
