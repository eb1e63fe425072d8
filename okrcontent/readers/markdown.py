"""Markdown -> Content, with markdown-it-py: what the writer emits, exactly; what people
write, mapped to the nearest content.

Read exactly (the writer's output): paragraphs, ``**``/``__`` bold, ``~~`` strike, links,
doc links (titled ``"Feishu doc"``), ``-``/``*``/``+`` and ``1.``/``1)`` lists at any indent
width, GFM task items, block quotes as ``indent`` lines (one level a ``>``), the writer's
inline HTML (colour spans, mentions, ``<img>``, ``<strong>``/``<s>``, inert links, ``<br>``,
the skipped-level filler). An ordered item's number is what a CommonMark viewer shows: the
list's start plus the item's position.

Mapped, and reported as a :class:`~okrcontent.LossWarning` (once per kind and call):
headings (bold paragraphs), italic (plain text), inline code and code blocks (their text,
one line a block), tables (one line a row, cells joined by ``" | "``), thematic breaks
(left out), raw HTML the format has no equivalent for (its text kept), images inside text
(moved to a gallery line after the text), nesting deeper than the format's 16 levels (kept at
16), and Markdown nested deeper than the parser's cap (its source kept as text). Soft line
breaks read as spaces, hard breaks as newlines, bare ``http(s)://`` URLs as links.

Nothing in the input can make this hang or recurse without bound: block nesting is capped
(:data:`MAX_NESTING`) and what lies past the cap is kept as text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import attrs
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from .. import nesting
from ..css import parse_color, parse_style
from ..losses import Loss, Losses
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
)
from ..model import (
    Color,
    Content,
    DocsLink,
    Element,
    Gallery,
    Image,
    Link,
    Mention,
    Paragraph,
    TextRun,
    TextStyle,
)

__all__ = ["MAX_NESTING", "from_markdown"]

MAX_NESTING = 48
"""Block nesting the parser follows (16 list levels take 32); deeper input is kept as text."""


Payload = Paragraph | Gallery


def from_markdown(text: str) -> Content:
    """The content that ``text`` shows; see the module docstring for what maps to what."""
    if not isinstance(text, str):
        raise TypeError(f"from_markdown() takes a str, got {type(text).__name__}")
    reader = _Reader()
    tokens = _MD.parse(text, {"okr_reader": reader})
    lines = nesting.flatten(reader.read(tokens), on_clamp=reader.clamped)
    if reader.tree.restarted:
        reader.lose(Loss.NUMBERS_RESTARTED)
    reader.losses.report()
    return Content(
        [
            Paragraph(block.elements, style) if isinstance(block, Paragraph) and style else block
            for block, style in lines
        ]
    )


# --- the parser ------------------------------------------------------------------------------


class _BareUrls:
    """What markdown-it's ``linkify`` rule needs, without linkify-it-py: ``http(s)://`` URLs,
    trailing punctuation and unbalanced closing brackets left out, as GFM does."""

    _URL = re.compile(r"https?://[^\s<>\x00-\x1f\x7f]+", re.IGNORECASE)

    @attrs.frozen
    class Match:
        url: str

    def match_at_start(self, text: str) -> _BareUrls.Match | None:
        match = self._URL.match(text)
        if match is None:
            return None
        url = match.group().rstrip(".,:;!?'\"*_~")
        while url.endswith(")") and url.count(")") > url.count("("):
            url = url[:-1].rstrip(".,:;!?'\"*_~")
        return self.Match(url) if "://" in url and not url.endswith("://") else None


def _depth_guard(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Past the nesting cap, keep the rest of the container's source as one text line."""
    if state.level < MAX_NESTING - 2:
        return False
    if not silent:
        first = state.bMarks[start] + state.tShift[start]
        token = state.push("okr_raw", "", 0)
        token.content = state.src[first : state.eMarks[end - 1]]
        token.map = [start, end]
        state.env["okr_reader"].lose(Loss.MARKDOWN_TOO_DEEP)
    state.line = end
    return True


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING, "linkify": True})
    md.enable(["strikethrough", "table", "linkify"])
    md.core.ruler.disable("linkify")  # the inline rule, with _BareUrls, is enough
    md.linkify = _BareUrls()
    md.block.ruler.before("table", "okr_depth_guard", _depth_guard)
    # The model keeps URLs as written: no percent-encoding, no scheme filter (writers
    # apply the URL policy when they make links active).
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


_MD = _make_parser()


# --- inline HTML tags ------------------------------------------------------------------------

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(.*?)(/?)>\Z", re.DOTALL)
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


def _parse_tag(source: str) -> tuple[str, bool, dict[str, str]] | None:
    """``<span a="1">`` -> ``("span", False, {"a": "1"})``; ``None`` for comments and the like."""
    match = _TAG.match(source.strip())
    if match is None:
        return None
    closing, name, rest, _ = match.groups()
    attributes = {}
    for key, double, single, bare in _ATTRIBUTE.findall(rest):
        attributes[key.lower()] = html.unescape(double or single or bare)
    return name.lower(), bool(closing), attributes


def _image(attributes: dict[str, str]) -> Image:
    def size(key: str) -> float | None:
        try:
            value = float(attributes[key].strip().removesuffix("px"))
        except (KeyError, ValueError):
            return None
        return value if value >= 0 and value != float("inf") else None

    src = attributes.get("src", attributes.get(INERT_SRC))
    return Image(src, attributes.get(TOKEN), size("width"), size("height"))


# --- inline content --------------------------------------------------------------------------


@attrs.define
class _Inline:
    """The state of one paragraph's inline content while its tokens are read."""

    reader: _Reader
    elements: list[Element] = attrs.Factory(list)
    images: list[Image] = attrs.Factory(list)
    bold: int = 0
    strike: int = 0
    links: list[str] = attrs.Factory(list)
    colors: list[tuple[Color | None, Color | None]] = attrs.Factory(list)
    spans: list[tuple[str, Callable[[], None]]] = attrs.Factory(list)  # open tags, and their undo
    hidden: int = 0  # inside a mention: its display name is not content
    doc: list[str] | None = None  # the title of the doc link being read
    doc_url: str = ""

    def style(self) -> TextStyle | None:
        text_color = next((c for c, _ in reversed(self.colors) if c is not None), None)
        back_color = next((b for _, b in reversed(self.colors) if b is not None), None)
        link = Link(self.links[-1]) if self.links else None
        style = TextStyle(
            self.bold > 0 or None, self.strike > 0 or None, text_color, back_color, link
        )
        return None if style == TextStyle() else style

    def text(self, text: str) -> None:
        if self.hidden:
            return
        if self.doc is not None:
            self.doc.append(text)
        else:
            _append_run(self.elements, TextRun(text, self.style()))

    def start_doc(self, url: str) -> None:
        self.doc, self.doc_url = [], url

    def end_doc(self) -> None:
        if self.doc is not None:
            self.elements.append(DocsLink(self.doc_url, "".join(self.doc)))
            self.doc = None

    # tokens

    def token(self, token: Token) -> None:
        rule = TOKEN_RULES.get(token.type)
        if rule is None:
            self.reader.lose(Loss.UNKNOWN_TOKEN, token.type)
        else:
            rule(self, token)

    def link_open(self, token: Token) -> None:
        url = str(token.attrGet("href") or "")
        if token.attrGet("title") == DOC_LINK_TITLE:
            self.start_doc(url)
        else:
            self.links.append(url)

    def link_close(self, token: Token) -> None:
        if self.doc is not None:
            self.end_doc()
        elif self.links:
            self.links.pop()

    def image(self, token: Token) -> None:
        self.images.append(Image(str(token.attrGet("src") or "")))

    def html_inline(self, token: Token) -> None:
        tag = _parse_tag(token.content)
        if tag is None:
            return  # a comment, a declaration: nothing to show
        name, closing, attributes = tag
        if closing:  # undo the innermost open tag of that name; stray closers do nothing
            for index in range(len(self.spans) - 1, -1, -1):
                if self.spans[index][0] == name:
                    self.spans.pop(index)[1]()
                    break
            return
        rule = TAG_RULES.get(name)
        self.tag = name
        if rule is None:
            self.reader.lose(Loss.UNKNOWN_TAG, name)
        else:
            rule(self, attributes)

    # tags (each pushes how to undo itself under the tag's name, in self.tag)

    tag: str = ""

    def _push(self, undo: Callable[[], None]) -> None:
        self.spans.append((self.tag, undo))

    def tag_bold(self, attributes: dict[str, str]) -> None:
        self.bold += 1
        self._push(lambda: setattr(self, "bold", self.bold - 1))

    def tag_strike(self, attributes: dict[str, str]) -> None:
        self.strike += 1
        self._push(lambda: setattr(self, "strike", self.strike - 1))

    def tag_italic(self, attributes: dict[str, str]) -> None:
        self.reader.lose(Loss.ITALIC)
        self._push(lambda: None)

    def tag_span(self, attributes: dict[str, str]) -> None:
        if MENTION in attributes or MENTION_USER in attributes:
            mention = Mention(attributes.get(MENTION) or None, attributes.get(MENTION_USER) or None)
            self.elements.append(mention)
            self.hidden += 1
            self._push(lambda: setattr(self, "hidden", self.hidden - 1))
        elif INERT_DOC in attributes:
            self.start_doc(attributes[INERT_DOC])
            self._push(self.end_doc)
        elif INERT_HREF in attributes:
            self.links.append(attributes[INERT_HREF])
            self._push(_popper(self.links))
        else:
            self.tag_styled(attributes)

    def tag_styled(self, attributes: dict[str, str]) -> None:
        """Any element with a ``style`` (or ``<font color>``): colours, weight, decoration."""
        declarations = parse_style(attributes.get("style", ""))
        if "color" in attributes:
            declarations.setdefault("color", attributes["color"])
        undo: list[Callable[[], None]] = []
        text_color = parse_color(declarations.get("color", ""))
        back_color = parse_color(
            declarations.get("background-color", declarations.get("background", ""))
        )
        if text_color is not None or back_color is not None:
            self.colors.append((text_color, back_color))
            undo.append(_popper(self.colors))
        if declarations.get("font-weight", "").strip() in (
            "bold",
            "bolder",
            "600",
            "700",
            "800",
            "900",
        ):
            self.bold += 1
            undo.append(lambda: setattr(self, "bold", self.bold - 1))
        if "line-through" in declarations.get("text-decoration", ""):
            self.strike += 1
            undo.append(lambda: setattr(self, "strike", self.strike - 1))

        def undo_all() -> None:
            for step in undo:
                step()

        self._push(undo_all)

    def tag_link(self, attributes: dict[str, str]) -> None:
        self.links.append(attributes.get("href", ""))
        self._push(_popper(self.links))

    def tag_br(self, attributes: dict[str, str]) -> None:
        self.text("\n")

    def tag_img(self, attributes: dict[str, str]) -> None:
        self.images.append(_image(attributes))


def _popper(stack: list[Any]) -> Callable[[], None]:
    def undo() -> None:
        stack.pop()

    return undo


def _append_run(elements: list[Element], run: TextRun) -> None:
    """Append ``run``, merged into the run before it if they share a style."""
    last = elements[-1] if elements else None
    if not run.text:
        return
    if isinstance(last, TextRun) and last.style == run.style:
        elements[-1] = TextRun(last.text + run.text, run.style)
    else:
        elements.append(run)


def _set(attribute: str, delta: int) -> Callable[[_Inline, Token], None]:
    def rule(state: _Inline, token: Token) -> None:
        setattr(state, attribute, getattr(state, attribute) + delta)

    return rule


def _lost(loss: Loss) -> Callable[[_Inline, Token], None]:
    def rule(state: _Inline, token: Token) -> None:
        state.reader.lose(loss)

    return rule


def _code(state: _Inline, token: Token) -> None:
    state.reader.lose(Loss.INLINE_CODE)
    state.text(token.content)


TOKEN_RULES: dict[str, Callable[[_Inline, Token], None]] = {
    "text": lambda s, t: s.text(t.content),
    "softbreak": lambda s, t: s.text(" "),
    "hardbreak": lambda s, t: s.text("\n"),
    "strong_open": _set("bold", 1),
    "strong_close": _set("bold", -1),
    "s_open": _set("strike", 1),
    "s_close": _set("strike", -1),
    "em_open": _lost(Loss.ITALIC),
    "em_close": lambda s, t: None,
    "link_open": _Inline.link_open,
    "link_close": _Inline.link_close,
    "image": _Inline.image,
    "code_inline": _code,
    "html_inline": _Inline.html_inline,
}
"""Inline token type -> what it does to the paragraph being read."""

TAG_RULES: dict[str, Callable[[_Inline, dict[str, str]], None]] = {
    "strong": _Inline.tag_bold,
    "b": _Inline.tag_bold,
    "s": _Inline.tag_strike,
    "del": _Inline.tag_strike,
    "strike": _Inline.tag_strike,
    "em": _Inline.tag_italic,
    "i": _Inline.tag_italic,
    "span": _Inline.tag_span,
    "font": _Inline.tag_styled,
    "a": _Inline.tag_link,
    "br": _Inline.tag_br,
    "img": _Inline.tag_img,
}
"""Inline HTML tag -> its effect (closing tags undo the last open one)."""


# --- blocks ----------------------------------------------------------------------------------


_TASK = re.compile(r"\[([ xX])\](?: |\Z)")


class _Reader:
    """Reads one document's token stream into a nesting tree."""

    def __init__(self) -> None:
        self.losses = Losses()
        self.tree: nesting.TreeBuilder[Payload] = nesting.TreeBuilder()
        self.table_row: list[list[Element]] | None = None

    def lose(self, loss: Loss, detail: str = "") -> None:
        self.losses.add(loss, detail)

    def clamped(self, depth: int) -> None:
        self.lose(Loss.TOO_DEEP)

    def add(self, payload: Payload) -> None:
        self.tree.add(payload, plain=isinstance(payload, Gallery))

    # reading

    def read(self, tokens: list[Token]) -> list[nesting.Node[Payload]]:
        for index, token in enumerate(tokens):
            rule = BLOCK_RULES.get(token.type)
            if rule is not None:
                rule(self, token, tokens, index)
            elif token.type not in _QUIET and not token.type.endswith("_close"):
                self.lose(Loss.UNKNOWN_TOKEN, token.type)
        return list(self.tree.result())

    def inline(self, token: Token) -> _Inline:
        state = _Inline(self)
        for child in token.children or ():
            state.token(child)
        state.end_doc()
        return state

    def paragraph(self, token: Token, tokens: list[Token], index: int) -> None:
        self.add_inline(tokens[index + 1])

    def add_inline(self, token: Token, bold: bool = False) -> None:
        state = self.inline(token)
        elements = state.elements
        if self.tree.item_is_fresh():
            elements = self._task(token, elements)
        if bold:
            elements = [
                TextRun(e.text, attrs.evolve(e.style or TextStyle(), bold=True))
                if isinstance(e, TextRun)
                else e
                for e in elements
            ]
        has_text = any(not (isinstance(e, TextRun) and not e.text.strip()) for e in elements)
        if state.images and not has_text:
            self.add(Gallery(state.images))
            return
        self.add(Paragraph(elements))
        if state.images:
            self.lose(Loss.IMAGE_IN_TEXT)
            self.add(Gallery(state.images))

    def _task(self, token: Token, elements: list[Element]) -> list[Element]:
        """A GFM task marker at the start of an item (in the source, not escaped)."""
        match = _TASK.match(token.content)
        first = elements[0] if elements else None
        if match is None or not isinstance(first, TextRun):
            return elements
        self.tree.set_task(match.group(1) != " ")
        text = first.text
        rest = text[len(match.group()) :] if text.startswith(match.group()) else text
        return ([TextRun(rest, first.style)] if rest else []) + elements[1:]

    def heading(self, token: Token, tokens: list[Token], index: int) -> None:
        self.lose(Loss.HEADING)
        self.add_inline(tokens[index + 1], bold=True)

    def list_open(self, token: Token, tokens: list[Token], index: int) -> None:
        start = token.attrGet("start")  # absent for 1; CommonMark allows 0..999999999
        self.tree.open_list(token.type == "ordered_list_open", 1 if start is None else int(start))

    def list_close(self, token: Token, tokens: list[Token], index: int) -> None:
        self.tree.close_list()

    def item_open(self, token: Token, tokens: list[Token], index: int) -> None:
        self.tree.open_item()

    def item_close(self, token: Token, tokens: list[Token], index: int) -> None:
        self.tree.close_item(Paragraph())

    def quote_open(self, token: Token, tokens: list[Token], index: int) -> None:
        self.tree.open_indent()

    def quote_close(self, token: Token, tokens: list[Token], index: int) -> None:
        self.tree.close_indent()

    def text_lines(self, text: str) -> None:
        for line in text.split("\n"):
            self.add(Paragraph([TextRun(line)] if line else []))

    def code(self, token: Token, tokens: list[Token], index: int) -> None:
        self.lose(Loss.CODE_BLOCK)
        if token.content:
            self.text_lines(token.content.removesuffix("\n"))

    def html_block(self, token: Token, tokens: list[Token], index: int) -> None:
        source = token.content.strip()
        if source == FILLER:
            self.tree.set_filler()  # (outside an item it means nothing)
        elif source == EMPTY_LINE:
            self.add(Paragraph())
        elif _IMG.sub("", source).strip() == "" and source:
            self.add(Gallery([_image(t[2]) for t in map(_parse_tag, _IMG.findall(source)) if t]))
        elif re.fullmatch(r"<!--.*?-->", source, re.DOTALL) or not source:
            return
        else:
            self.lose(Loss.RAW_HTML)
            text = html.unescape(re.sub(r"<[^>]*>", "", source)).strip()
            if text:
                self.text_lines(text)

    def raw(self, token: Token, tokens: list[Token], index: int) -> None:
        self.text_lines(token.content)

    def thematic_break(self, token: Token, tokens: list[Token], index: int) -> None:
        self.lose(Loss.THEMATIC_BREAK)

    def table_open(self, token: Token, tokens: list[Token], index: int) -> None:
        self.lose(Loss.TABLE)

    def row_open(self, token: Token, tokens: list[Token], index: int) -> None:
        self.table_row = []

    def cell(self, token: Token, tokens: list[Token], index: int) -> None:
        if self.table_row is not None:
            self.table_row.append(self.inline(tokens[index + 1]).elements)

    def row_close(self, token: Token, tokens: list[Token], index: int) -> None:
        elements: list[Element] = []
        for number, cell in enumerate(self.table_row or []):
            for element in ([TextRun(" | ")] if number else []) + cell:
                if isinstance(element, TextRun):
                    _append_run(elements, element)
                else:
                    elements.append(element)
        self.table_row = None
        self.add(Paragraph(elements))


BLOCK_RULES: dict[str, Callable[[_Reader, Token, list[Token], int], None]] = {
    "paragraph_open": _Reader.paragraph,
    "heading_open": _Reader.heading,
    "bullet_list_open": _Reader.list_open,
    "ordered_list_open": _Reader.list_open,
    "bullet_list_close": _Reader.list_close,
    "ordered_list_close": _Reader.list_close,
    "list_item_open": _Reader.item_open,
    "list_item_close": _Reader.item_close,
    "blockquote_open": _Reader.quote_open,
    "blockquote_close": _Reader.quote_close,
    "fence": _Reader.code,
    "code_block": _Reader.code,
    "html_block": _Reader.html_block,
    "okr_raw": _Reader.raw,
    "hr": _Reader.thematic_break,
    "table_open": _Reader.table_open,
    "tr_open": _Reader.row_open,
    "th_open": _Reader.cell,
    "td_open": _Reader.cell,
    "tr_close": _Reader.row_close,
}
"""Block token type -> what it adds to the tree (``*_close`` tokens not listed do nothing)."""

_QUIET = frozenset({"thead_open", "tbody_open", "inline"})
"""Tokens whose content the rules above read from their opening token."""
