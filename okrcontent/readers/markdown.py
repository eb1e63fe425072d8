"""Markdown -> Content, with markdown-it-py: what the writer emits, exactly; what people
write, mapped to the nearest content.

Read exactly (the writer's output): paragraphs, ``**``/``__`` bold, ``~~`` strike, links,
doc links (titled ``"Feishu doc"``), ``-``/``*``/``+`` and ``1.``/``1)`` lists at any indent
width, GFM task items, block quotes as ``indent`` lines (one level a ``>``), the writer's
inline HTML (colour spans, mentions, ``<img>``, ``<strong>``/``<s>``, inert links, ``<br>``,
the skipped-level filler). An ordered item's number is what a CommonMark viewer shows: the
list's start plus the item's position.

Inline HTML means what it means in HTML: both readers share one vocabulary
(:mod:`okrcontent.readers._inline`), and Markdown's own ``**``, ``~~``, ``*``, links and
code spans are read as the tags they stand for.

Mapped, and reported as a :class:`~okrcontent.LossWarning` (once per kind and call):
headings (bold paragraphs), italic (plain text), inline code and code blocks (their text,
one line a block), tables (one line a row, cells joined by ``" | "``, header cells bold),
thematic breaks (left out), raw HTML the format has no equivalent for (its text kept),
images inside text (moved to a gallery line after the text), lists inside block quotes
(one level deeper), nesting deeper than the format's 16 levels (kept at 16), and Markdown
nested deeper than the parser's cap (its source kept as text). Soft line breaks read as
spaces, hard breaks as newlines, bare ``http(s)://`` URLs as links where GFM makes them
links (at the start of a line, after a space or ``*_~(``).

Nothing in the input can make this hang, recurse without bound or take more than linear
time: block nesting is capped (:data:`MAX_NESTING`) and what lies past the cap is kept as
text, inline nesting too (:data:`INLINE_NESTING`: markdown-it's cost a character grows with
it); text is collected in pieces and joined once.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from .. import frontmatter, metadata
from ..errors import ContentError
from ..losses import Loss, Losses
from ..markup import DOC_LINK_TITLE, EMPTY_LINE, FILLER, INERT_DOC
from ..model import Content, Element, Gallery, Image, ProgressRecord, TextRun
from ..nesting import LineBuilder
from . import _inline

__all__ = [
    "BLOCK_RULES",
    "INLINE_NESTING",
    "MAX_NESTING",
    "TOKEN_RULES",
    "from_markdown",
    "read_markdown",
    "record_from_markdown",
]

MAX_NESTING = 48
"""Block nesting the parser follows (16 list levels take 32), and inline HTML elements open
at once; what lies deeper is kept as text."""
INLINE_NESTING = 8
"""Links and emphasis nested in one another that the parser follows (the writer nests 3:
a link, bold, strike); deeper ones read as their text."""

Payload = tuple[Element, ...] | Gallery


def from_markdown(text: str) -> Content:
    """The content that ``text`` shows; see the module docstring for what maps to what. A
    front matter is left aside (reported); one that is not a YAML mapping is no front matter,
    and reads as Markdown."""
    fields, content, losses = _read(text, "from_markdown", strict=False)
    if fields:
        losses.add(Loss.METADATA_LEFT_ASIDE, "front matter")
    losses.report()
    return content


def record_from_markdown(text: str) -> ProgressRecord:
    """The record that ``text`` holds: its front matter's fields
    (:mod:`okrcontent.metadata`; none: a record of content alone) and its content. Raises
    :class:`~okrcontent.ContentError` for a front matter that is not a record's metadata,
    naming the field."""
    fields, content, losses = _read(text, "record_from_markdown", strict=True)
    losses.report()
    return metadata.record(fields or {}, content)


def read_markdown(text: str) -> Content | ProgressRecord:
    """What a Markdown file holds, for the formats table: a record when its front matter
    names a record's fields (:func:`record_from_markdown`), else content (another front
    matter, a blog's ``title:``, reported as left aside)."""
    fields, content, losses = _read(text, "read_markdown", strict=True)
    if fields and metadata.is_metadata(fields):
        losses.report()
        return metadata.record(fields, content)
    if fields:
        losses.add(Loss.METADATA_LEFT_ASIDE, "front matter")
    losses.report()
    return content


def _read(text: str, caller: str, *, strict: bool) -> tuple[dict[str, Any] | None, Content, Losses]:
    """The fields of the front matter (``None``: there is none) and the content. A front
    matter that is not a YAML mapping is an error if ``strict``, else no front matter."""
    if not isinstance(text, str):
        raise TypeError(f"{caller}() takes a str, got {type(text).__name__}")
    losses = Losses()
    tokens = _MD.parse(text, {"okr_losses": losses})
    fields = None
    if tokens and tokens[0].type == "front_matter":
        try:
            fields = frontmatter.load(tokens[0].content)
        except ContentError:
            if strict:
                raise
            losses = Losses()  # CommonMark's reading: a thematic break, a setext heading...
            tokens = _MD_WITHOUT_FRONT_MATTER.parse(text, {"okr_losses": losses})
    reader = _Reader(losses)
    reader.read(tokens)
    return fields, Content(_inline.blocks(reader.lines.result())), losses


# --- the parser ------------------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s<>\x00-\x1f\x7f]+", re.IGNORECASE)
_TRAILING = ".,:;!?'\"*_~"


def _url_end(text: str, start: int, end: int) -> int:
    """The end of the bare URL at ``start`` (-1: none), without trailing punctuation or
    unbalanced ``)``, as GFM has it; each character looked at a bounded number of times."""
    match = _URL.match(text, start, end)
    if match is None:
        return -1
    url = match.group().rstrip(_TRAILING)
    stop, excess = len(url), url.count(")") - url.count("(")
    while excess > 0 and url[stop - 1] == ")":
        stop, excess = stop - 1, excess - 1
        while url[stop - 1] in _TRAILING:
            stop -= 1
    return start + stop if stop > url.index(":") + 3 else -1


def _bare_url(state: StateInline, silent: bool) -> bool:
    """A bare ``http(s)://`` URL is a link where GFM makes one: at the start of the text or
    after whitespace or one of ``*_~(``. (Our own rule: markdown-it's looks back through all
    the pending text at every ``://``, which is quadratic.)"""
    pos, src = state.pos, state.src
    if state.linkLevel > 0 or not src.startswith("://", pos):
        return False
    scheme = src[max(pos - 5, 0) : pos].lower()
    scheme = scheme if scheme == "https" else scheme[-4:]
    start = pos - len(scheme)
    if scheme not in ("http", "https") or not state.pending.endswith(src[start:pos]):
        return False
    before = src[start - 1] if start > 0 else " "
    end = _url_end(src, start, state.posMax) if before.isspace() or before in "*_~(" else -1
    if end < 0:
        return False
    if not silent:
        url = src[start:end]
        state.pending = state.pending[: len(state.pending) - len(scheme)]
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": url}
        token.markup, token.info = "linkify", "auto"
        state.push("text", "", 0).content = url
        token = state.push("link_close", "a", -1)
        token.markup, token.info = "linkify", "auto"
    state.pos = end
    return True


def _depth_guard(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Past the nesting cap, keep the rest of the container's source as one text line."""
    if state.level < MAX_NESTING - 2:
        return False
    if not silent:
        first = state.bMarks[start] + state.tShift[start]
        token = state.push("okr_raw", "", 0)
        token.content = state.src[first : state.eMarks[end - 1]]
        token.map = [start, end]
        state.env["okr_losses"].add(Loss.MARKDOWN_TOO_DEEP)
    state.line = end
    return True


def _make_parser(max_nesting: int) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": max_nesting})
    md.enable(["strikethrough", "table"])
    md.inline.ruler.at("linkify", _bare_url)
    md.inline.ruler.enable("linkify")
    md.block.ruler.before("table", "okr_depth_guard", _depth_guard)
    # The model keeps URLs as written: no percent-encoding, no scheme filter (writers
    # apply the URL policy when they make links active).
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def _inline_rule(state: StateCore) -> None:
    """markdown-it's inline rule, with the inline parser's own nesting cap: one parser has
    one cap for blocks and inlines, and a deep one makes runs of ``[`` or ``![`` cost
    markdown-it 30 s a megabyte (8 levels: 5 s)."""
    for token in state.tokens:
        if token.type == "inline":
            token.children = token.children or []
            _INLINE.inline.parse(token.content, _INLINE, state.env, token.children)


_INLINE = _make_parser(INLINE_NESTING)
_MD_WITHOUT_FRONT_MATTER = _make_parser(MAX_NESTING)
_MD_WITHOUT_FRONT_MATTER.core.ruler.at("inline", _inline_rule)
_MD = _make_parser(MAX_NESTING).use(front_matter_plugin)
_MD.core.ruler.at("inline", _inline_rule)


# --- inline HTML tags ------------------------------------------------------------------------

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)(.*?)/?>\Z", re.DOTALL)
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_IMG = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
_MARKUP = re.compile(r"<[^<>]*>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

Tag = tuple[str, bool, tuple[tuple[str, str], ...]]


def _parse_tag(source: str) -> Tag | None:
    """``<span a="1">`` -> ``("span", False, (("a", "1"),))``; ``None`` for comments and
    the like. (Short tags are remembered across calls: long ones would hold memory.)"""
    return _parse_short_tag(source) if len(source) <= 512 else _parse_any_tag(source)


def _parse_any_tag(source: str) -> Tag | None:
    match = _TAG.match(source.strip())
    if match is None:
        return None
    closing, name, rest = match.groups()
    attributes: dict[str, str] = {}
    for key, double, single, bare in _ATTRIBUTE.findall(rest):
        attributes.setdefault(key.lower(), html.unescape(double or single or bare))
    return name.lower(), bool(closing), tuple(attributes.items())


_parse_short_tag = functools.lru_cache(maxsize=4096)(_parse_any_tag)


# --- the reader ------------------------------------------------------------------------------

_TASK = re.compile(r"\[([ xX])\](?:[ \t]|\Z)")


class _Reader:
    """Reads one document's token stream into lines."""

    def __init__(self, losses: Losses) -> None:
        self.losses = losses
        self.inline = _inline.Inline(losses)
        self.lines: LineBuilder[Payload] = LineBuilder((), losses)
        self.cells = 0  # cells read in the current table row

    def read(self, tokens: list[Token]) -> None:
        for index, token in enumerate(tokens):
            rule = BLOCK_RULES.get(token.type)
            if rule is not None:
                rule(self, token, tokens, index)
            elif token.type not in _QUIET and not token.type.endswith("_close"):
                self.losses.add(Loss.UNKNOWN_TOKEN, token.type)

    # inline

    def read_inline(self, token: Token, tag: str = "") -> None:
        """An inline token's children, inside ``tag`` if one is given, into the line being
        read; inline HTML left open ends with it."""
        inline = self.inline
        if tag:
            inline.open(tag, inline.effects(tag))
        for child in token.children or ():
            rule = TOKEN_RULES.get(child.type)
            if rule is None:
                self.losses.add(Loss.UNKNOWN_TOKEN, child.type)
            else:
                rule(self, child)
        inline.close_all()

    def add_line(self, token: Token) -> None:
        """The line read so far (the text of ``token``, an item's first paragraph perhaps
        starting with a task marker), and its images."""
        elements, gallery = self.inline.take()
        if elements is not None:
            if self.lines.item_is_fresh():
                elements = self._task(token, elements)
            self.lines.add(tuple(elements))
        if gallery is not None:
            self.lines.add(gallery, plain=True)

    def _task(self, token: Token, elements: list[Element]) -> list[Element]:
        """A GFM task marker at the start of an item (in the source, not escaped)."""
        match = _TASK.match(token.content)
        first = elements[0] if elements else None
        if match is None or not isinstance(first, TextRun):
            return elements
        self.lines.set_task(match.group(1) != " ")
        text = first.text
        rest = text[len(match.group()) :] if text.startswith(match.group()) else text
        return ([TextRun(rest, first.style)] if rest else []) + elements[1:]

    def text(self, token: Token) -> None:
        self.inline.text(token.content)

    def link_open(self, token: Token) -> None:
        url = str(token.attrGet("href") or "")
        title = token.attrGet("title")
        doc = title == DOC_LINK_TITLE
        if title and not doc:
            self.losses.add(Loss.LINK_TITLE)
        attributes = (("href", url), (INERT_DOC, url)) if doc else (("href", url),)
        self.inline.open("a", self.inline.effects("a", attributes))

    def image(self, token: Token) -> None:
        if token.content.strip() or token.attrGet("title"):
            self.losses.add(Loss.IMAGE_ALT)
        self.inline.add_image(Image(str(token.attrGet("src") or "")))

    def code(self, token: Token) -> None:
        inline = self.inline
        inline.open("code", inline.effects("code"))
        inline.text(token.content)
        inline.close_tag("code")

    def html_inline(self, token: Token) -> None:
        tag = _parse_tag(token.content)
        if tag is None:
            return  # a comment, a declaration: nothing to show
        name, closing, attributes = tag
        if closing:
            self.inline.close_tag(name)
            return
        if not _inline.is_known(name):
            self.losses.add(Loss.UNKNOWN_TAG, name)
        effects = self.inline.effects(name, attributes)
        if effects.void is None and self.inline.depth >= MAX_NESTING:
            self.losses.add(Loss.MARKDOWN_TOO_DEEP)  # (its text is kept; the tag is not)
            return
        self.inline.open(name, effects, dict(attributes))

    # blocks

    def paragraph(self, token: Token, tokens: list[Token], index: int) -> None:
        self.read_inline(tokens[index + 1])
        self.add_line(tokens[index + 1])

    def heading(self, token: Token, tokens: list[Token], index: int) -> None:
        self.read_inline(tokens[index + 1], token.tag)
        self.add_line(tokens[index + 1])

    def list_open(self, token: Token, tokens: list[Token], index: int) -> None:
        start = token.attrGet("start")  # absent for 1; CommonMark allows 0..999999999
        ordered = token.type == "ordered_list_open"
        self.lines.open_list(ordered, 1 if start is None else int(start))

    def list_close(self, token: Token, tokens: list[Token], index: int) -> None:
        self.lines.close_list()

    def item_open(self, token: Token, tokens: list[Token], index: int) -> None:
        self.lines.open_item()

    def item_close(self, token: Token, tokens: list[Token], index: int) -> None:
        self.lines.close_item()

    def quote_open(self, token: Token, tokens: list[Token], index: int) -> None:
        self.lines.open_indent()

    def quote_close(self, token: Token, tokens: list[Token], index: int) -> None:
        self.lines.close_indent()

    def text_lines(self, text: str) -> None:
        for line in text.split("\n"):
            self.lines.add((TextRun(line),) if line else ())

    def code_block(self, token: Token, tokens: list[Token], index: int) -> None:
        self.losses.add(Loss.CODE_BLOCK)
        if token.content:
            self.text_lines(token.content.removesuffix("\n"))

    def html_block(self, token: Token, tokens: list[Token], index: int) -> None:
        source = token.content.strip()
        if source == FILLER:
            self.lines.set_filler()  # (outside an item it means nothing)
        elif source == EMPTY_LINE:
            self.lines.add(())
        elif not source or _COMMENT.fullmatch(source):
            return
        elif not _IMG.sub("", source).strip():
            tags = [tag for tag in map(_parse_tag, _IMG.findall(source)) if tag is not None]
            for name, _, attributes in tags:  # (what the vocabulary says an <img> loses)
                for loss in self.inline.effects(name, attributes).losses:
                    self.losses.add(loss)
            images = [_inline.image(dict(tag[2])) for tag in tags]
            self.lines.add(Gallery(images), plain=True)
        else:
            self.losses.add(Loss.RAW_HTML)
            text = html.unescape(_MARKUP.sub("", source)).strip()
            if text:
                self.text_lines(text)

    def raw(self, token: Token, tokens: list[Token], index: int) -> None:
        self.text_lines(token.content)

    def thematic_break(self, token: Token, tokens: list[Token], index: int) -> None:
        self.losses.add(Loss.THEMATIC_BREAK)

    def table_open(self, token: Token, tokens: list[Token], index: int) -> None:
        self.losses.add(Loss.TABLE)

    def row_open(self, token: Token, tokens: list[Token], index: int) -> None:
        self.cells = 0

    def cell(self, token: Token, tokens: list[Token], index: int) -> None:
        if self.cells:
            self.inline.text(" | ")
        self.cells += 1
        self.read_inline(tokens[index + 1], token.tag)

    def row_close(self, token: Token, tokens: list[Token], index: int) -> None:
        self.add_line(token)


def _opens(tag: str) -> Callable[[_Reader, Token], None]:
    def rule(reader: _Reader, token: Token) -> None:
        reader.inline.open(tag, reader.inline.effects(tag))

    return rule


def _closes(tag: str) -> Callable[[_Reader, Token], None]:
    return lambda reader, token: reader.inline.close_tag(tag)


TOKEN_RULES: dict[str, Callable[[_Reader, Token], None]] = {
    "text": _Reader.text,
    "softbreak": lambda reader, token: reader.inline.text(" "),
    "hardbreak": lambda reader, token: reader.inline.text("\n"),
    "strong_open": _opens("strong"),
    "strong_close": _closes("strong"),
    "s_open": _opens("s"),
    "s_close": _closes("s"),
    "em_open": _opens("em"),
    "em_close": _closes("em"),
    "link_open": _Reader.link_open,
    "link_close": _closes("a"),
    "image": _Reader.image,
    "code_inline": _Reader.code,
    "html_inline": _Reader.html_inline,
}
"""Inline token type -> what it does, spelled as the HTML tag it stands for."""

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
    "fence": _Reader.code_block,
    "code_block": _Reader.code_block,
    "html_block": _Reader.html_block,
    "okr_raw": _Reader.raw,
    "hr": _Reader.thematic_break,
    "table_open": _Reader.table_open,
    "tr_open": _Reader.row_open,
    "th_open": _Reader.cell,
    "td_open": _Reader.cell,
    "tr_close": _Reader.row_close,
}
"""Block token type -> what it adds to the lines (``*_close`` tokens not listed do nothing)."""

_QUIET = frozenset({"thead_open", "tbody_open", "inline", "front_matter"})
"""Tokens whose content the rules above read from their opening token (and the front
matter, which :func:`_read` reads)."""
