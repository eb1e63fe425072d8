"""What inline markup means, for both markup readers: one vocabulary, one stack.

The HTML reader walks lxml elements; the Markdown reader meets inline HTML among its tokens,
and spells Markdown's own emphasis, strike-through, links and code as the tags they stand
for (``**`` is ``<strong>``). Both ask :func:`effects` what a tag with its attributes does to
the text inside it, and keep the open tags on an :class:`Inline`, which knows the style of
the text at every point and collects the elements of the line being read. So a tag, an
attribute or a CSS property means the same in both formats, and a new text style is one row
here (plus the model and the writers).

The vocabulary, applied in this order (a later one overrides an earlier one):

- :data:`TAGS`: what a tag does by itself (``<b>`` bold, ``<mark>`` a yellow background,
  ``<i>`` italic, which the model lacks: a :class:`~okrcontent.losses.Loss`);
- :data:`ATTRIBUTES`: presentational attributes (``<font color>``, ``<a href>``, ``hidden``)
  and okrcontent's own marks (``data-okr-*``: mentions, doc links, inert links);
- :data:`PROPERTIES`: the CSS properties of a ``style`` attribute, as browsers apply them
  (``font-weight: normal`` inside ``<b>`` is not bold; ``text-decoration`` only adds). The
  few block properties there (margins, ``list-style-type``, Word's ``mso-list``) are read by
  the HTML reader's structure, so that a style is parsed once.

Text in opaque black has no colour (the editor's default, which pasted HTML spells out on
every span), as :func:`okrcontent.normalize` has it. Tags in none of the tables and not
neutral (:data:`NEUTRAL`) are reported as unknown, their text kept.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypedDict

import attrs

from ..css import color_in, length_px, parse_color, parse_style
from ..losses import Loss, Losses
from ..markup import INERT_DOC, INERT_HREF, INERT_SRC, MENTION, MENTION_USER, TOKEN
from ..model import (
    Block,
    Color,
    DocsLink,
    Element,
    Gallery,
    Image,
    ListStyle,
    Mention,
    Paragraph,
    ParagraphStyle,
    TextRun,
    TextStyle,
)
from ..normalize import canonical_style

__all__ = [
    "ATTRIBUTES",
    "NEUTRAL",
    "PROPERTIES",
    "STYLES",
    "TAGS",
    "Change",
    "Effects",
    "Inline",
    "Void",
    "blocks",
    "effects",
    "image",
    "is_known",
]


class Void(enum.Enum):
    """What an element without content puts into the line."""

    BREAK = "break"
    IMAGE = "image"


@attrs.frozen(eq=False)
class Effects:
    """What an element does to the text inside it; ``None`` leaves a property as it is.
    Compared by identity: readers keep one instance per distinct element."""

    bold: bool | None = None  # the text styles (see STYLES)
    strike: bool | None = None
    color: Color | None = None
    back: Color | None = None
    link: str | None = None
    pre: bool | None = None  # whitespace kept as written
    hidden: bool = False  # the text inside is not shown (and the element is reported)
    mention: Mention | None = None  # a mention: its text is only its display name
    marker: bool = False  # Word's fake bullet: not shown, read for the list's kind
    doc: str | None = None  # a doc link: the text inside is its title
    void: Void | None = None
    losses: tuple[Loss, ...] = ()
    # block properties, for the HTML reader's structure
    ordered: bool | None = None  # list-style-type
    indent: float | None = None  # margin-left / padding-left, in pixels
    word_level: int | None = None  # mso-list: Word's list paragraph at this level
    plain: bool = attrs.field(init=False, default=False)  # styles only: the fast path

    def __attrs_post_init__(self) -> None:
        plain = not (self.losses or self.void or self.mention or self.doc is not None)
        object.__setattr__(self, "plain", plain)


NONE = Effects()


class Change(TypedDict, total=False):
    """What one row of the vocabulary sets: some fields of :class:`Effects`."""

    bold: bool
    strike: bool
    color: Color
    back: Color
    link: str
    pre: bool
    hidden: bool
    mention: Mention
    marker: bool
    doc: str
    void: Void
    losses: tuple[Loss, ...]
    ordered: bool
    indent: float
    word_level: int


YELLOW = Color(255, 255, 0, 1.0)
BOLD: Change = {"bold": True}
STRIKE: Change = {"strike": True}
HEADING: Change = {"bold": True, "losses": (Loss.HEADING,)}


def _lost(loss: Loss) -> Change:
    return {"losses": (loss,)}


TAGS: dict[str, Change] = {
    "b": BOLD,
    "strong": BOLD,
    "th": BOLD,
    "s": STRIKE,
    "del": STRIKE,
    "strike": STRIKE,
    "mark": {"back": YELLOW},
    "i": _lost(Loss.ITALIC),
    "em": _lost(Loss.ITALIC),
    "cite": _lost(Loss.ITALIC),
    "var": _lost(Loss.ITALIC),
    "dfn": _lost(Loss.ITALIC),
    "u": _lost(Loss.UNDERLINE),
    "ins": _lost(Loss.UNDERLINE),
    "code": _lost(Loss.CODE),
    "kbd": _lost(Loss.CODE),
    "samp": _lost(Loss.CODE),
    "tt": _lost(Loss.CODE),
    "pre": {"pre": True, "losses": (Loss.CODE_BLOCK,)},
    "sub": _lost(Loss.SCRIPT),
    "sup": _lost(Loss.SCRIPT),
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), HEADING),
    "br": {"void": Void.BREAK},
    "img": {"void": Void.IMAGE},
}
"""Tag -> what it does by itself."""

NEUTRAL = frozenset(
    "a span font abbr acronym bdi bdo big small data time label nobr wbr q o:p".split()
)
"""Inline tags that mean nothing for the text inside them: their text reads as it is."""


def is_known(tag: str) -> bool:
    """Does the vocabulary know ``tag``? (Readers report the tags that neither it nor their
    own structure knows, as :attr:`Loss.UNKNOWN_TAG`.)"""
    return tag in TAGS or tag in NEUTRAL


def _font_color(tag: str, attributes: Mapping[str, str]) -> Change | None:
    color = parse_color(attributes["color"]) if tag == "font" else None
    return None if color is None else {"color": color}


def _href(tag: str, attributes: Mapping[str, str]) -> Change | None:
    return {"link": attributes["href"]} if tag == "a" else None


_ORDERED_TYPES = {"1": True, "a": True, "i": True}
_UNORDERED_TYPES = {"disc": False, "circle": False, "square": False}
_TYPES = {"ol": _ORDERED_TYPES, "ul": _UNORDERED_TYPES, "li": _ORDERED_TYPES | _UNORDERED_TYPES}
"""The ``type`` values each list tag takes (HTML's presentational hints: ``<ul type="1">``
is still bulleted)."""


def _list_type(tag: str, attributes: Mapping[str, str]) -> Change | None:
    ordered = _TYPES.get(tag, {}).get(attributes["type"].strip().lower())
    return None if ordered is None else {"ordered": ordered}


def _mention(tag: str, attributes: Mapping[str, str]) -> Change:
    ids = (attributes.get(MENTION) or None, attributes.get(MENTION_USER) or None)
    return {"mention": Mention(*ids)}


HIDDEN: Change = {"hidden": True, "losses": (Loss.HIDDEN,)}


def _alt(tag: str, attributes: Mapping[str, str]) -> Change | None:
    """An image's alt text: the model has no place for it (a link's title neither)."""
    return _lost(Loss.IMAGE_ALT) if tag == "img" and attributes["alt"].strip() else None


def _title(tag: str, attributes: Mapping[str, str]) -> Change | None:
    return _lost(Loss.LINK_TITLE) if tag == "a" and attributes["title"].strip() else None


ATTRIBUTES: dict[str, Callable[[str, Mapping[str, str]], Change | None]] = {
    "color": _font_color,
    "href": _href,
    "hidden": lambda tag, attributes: HIDDEN,
    "type": _list_type,
    INERT_HREF: lambda tag, attributes: {"link": attributes[INERT_HREF]},
    MENTION: _mention,
    MENTION_USER: _mention,
    INERT_DOC: lambda tag, attributes: {"doc": attributes[INERT_DOC]},
    "alt": _alt,
    "title": _title,
}
"""Attribute -> what it does (given the tag and all the attributes); before ``style``."""

_BOLD_WORDS = {"bold": True, "bolder": True, "normal": False, "lighter": False}
_ORDERED_MARKERS = frozenset(
    "decimal decimal-leading-zero lower-alpha upper-alpha lower-latin upper-latin lower-roman "
    "upper-roman lower-greek armenian georgian hebrew cjk-decimal cjk-ideographic "
    "cjk-earthly-branch cjk-heavenly-stem hiragana katakana hiragana-iroha katakana-iroha "
    "simp-chinese-informal simp-chinese-formal trad-chinese-informal trad-chinese-formal "
    "japanese-informal japanese-formal korean-hangul-formal".split()
)
_UNORDERED_MARKERS = frozenset({"disc", "circle", "square", "disclosure-open", "disclosure-closed"})
_MSO_LEVEL = re.compile(r"level0*(\d+)")


def _weight(value: str) -> Change | None:
    value = value.strip().lower()
    bold = _BOLD_WORDS.get(value)
    if bold is None and value.isascii() and value.isdigit():
        bold = len(value) > 3 or int(value) >= 600
    return None if bold is None else {"bold": bold}


def _decoration(value: str) -> Change | None:
    words = value.lower().split()
    change: Change = {"strike": True} if "line-through" in words else {}
    if "underline" in words:
        change["losses"] = (Loss.UNDERLINE,)
    return change


def _font_style(value: str) -> Change | None:
    italic = value.strip().lower().startswith(("italic", "oblique"))
    return _lost(Loss.ITALIC) if italic else None


def _text_color(value: str) -> Change | None:
    color = parse_color(value)
    return None if color is None else {"color": color}


def _back_color(value: str) -> Change | None:
    color = color_in(value)  # (also the colour of a ``background`` shorthand)
    return None if color is None else {"back": color}


def _white_space(value: str) -> Change | None:
    value = value.strip().lower()
    if value.startswith(("pre", "break-spaces")):
        return {"pre": True}
    return {"pre": False} if value in ("normal", "nowrap") else None


def _display(value: str) -> Change | None:
    return HIDDEN if value.strip().lower() == "none" else None


def _list_style(value: str) -> Change | None:
    words = set(value.lower().split())
    if words & _ORDERED_MARKERS:
        return {"ordered": True}
    return {"ordered": False} if words & _UNORDERED_MARKERS else None


def _margin(value: str) -> Change | None:
    pixels = length_px(value)
    return None if pixels is None else {"indent": pixels}


def _mso_list(value: str) -> Change | None:
    if value.strip().lower() == "ignore":
        return {"marker": True}
    level = _MSO_LEVEL.search(value.lower())
    if level is None:
        return None
    digits = level.group(1)
    return {"word_level": int(digits) if len(digits) < 4 else 999}  # (deeper than any)


PROPERTIES: dict[str, Callable[[str], Change | None]] = {
    "font-weight": _weight,
    "text-decoration": _decoration,
    "text-decoration-line": _decoration,
    "font-style": _font_style,
    "color": _text_color,
    "background": _back_color,
    "background-color": _back_color,
    "white-space": _white_space,
    "display": _display,
    "list-style": _list_style,
    "list-style-type": _list_style,
    "padding-left": _margin,
    "margin-left": _margin,
    "mso-list": _mso_list,
}
"""CSS property -> what it does (in the order the declarations come)."""


def effects(tag: str, attributes: Mapping[str, str]) -> Effects:
    """What ``<tag attributes...>`` does to the text inside it: its tag's row, then its
    attributes', then its style's; a later one overrides an earlier one, except that losses
    and indents (margin and padding) add up, and a doc link is no link."""
    fields: dict[str, Any] = {}
    losses: list[Loss] = []

    def apply(change: Change | None) -> None:
        if not change:
            return
        losses.extend(change.get("losses", ()))
        for name, value in change.items():
            if name == "losses":
                continue
            if name == "indent" and "indent" in fields:
                fields["indent"] += value
            else:
                fields[name] = value

    apply(TAGS.get(tag))
    for rule in dict.fromkeys(ATTRIBUTES[key] for key in attributes if key in ATTRIBUTES):
        apply(rule(tag, attributes))
    if "style" in attributes:
        for name, declared in parse_style(attributes["style"]).items():
            css = PROPERTIES.get(name)
            if css is not None:
                apply(css(declared))
    if "doc" in fields:
        fields.pop("link", None)
    return Effects(**fields, losses=tuple(dict.fromkeys(losses)))


_SHARED_UP_TO = 512
"""Elements whose attributes are this short are remembered across calls too."""


@functools.lru_cache(maxsize=4096)
def _shared_effects(tag: str, attributes: tuple[tuple[str, str], ...]) -> Effects:
    return effects(tag, dict(attributes))


def image(attributes: Mapping[str, str]) -> Image:
    """An ``<img>``'s image: its URL (or the inert one), file token and size."""
    style = parse_style(attributes.get("style", "")) if "style" in attributes else {}

    def size(key: str) -> float | None:
        value = attributes.get(key) or style.get(key)
        return None if value is None else length_px(value)

    def positive(value: float | None) -> float | None:
        return value if value is not None and value >= 0 else None

    src = attributes.get("src", attributes.get(INERT_SRC))
    return Image(src, attributes.get(TOKEN), positive(size("width")), positive(size("height")))


# --- the stack of open elements -------------------------------------------------------------


STYLES: tuple[tuple[str, str, bool], ...] = (
    # (the effect, the TextStyle field it sets, whether an inner element only adds to it)
    ("bold", "bold", False),
    ("strike", "strikethrough", True),
    ("color", "text_color", False),
    ("back", "back_color", False),
    ("link", "link", False),
)
"""The text styles: the effect that sets each, the field of :class:`~okrcontent.TextStyle`
it fills, and how an element's value combines with the text around it: it replaces it
(``font-weight: normal`` inside ``<b>``), or it only adds to it (a line-through cannot be
taken off inside: ``True``). A new style is a row here, a field of :class:`Effects` and
:class:`Change`, and the vocabulary's rows that set it."""


class _State:
    """The style of text inside a set of open elements. The states one element further are
    remembered (``after``), so opening an element costs a dictionary lookup; states are
    shared by every reader (see :class:`_States`)."""

    __slots__ = ("after", "hidden", "marker", "pre", "style", "values")

    def __init__(self, values: tuple[Any, ...] = (None,) * len(STYLES)) -> None:
        self.values = values  # one a row of STYLES
        self.pre: bool | None = None  # whitespace as written
        self.hidden = False  # inside a mention's name, a fake bullet or hidden content
        self.marker = False  # inside Word's fake bullet
        self.style: TextStyle | None = None
        self.after: dict[Effects, _State] = {}

    def apply(self, effects: Effects, states: _States) -> _State:
        state = self.after.get(effects)
        if state is not None:
            return state
        values = tuple(
            (outer or getattr(effects, name)) if adds else _inner(getattr(effects, name), outer)
            for (name, _, adds), outer in zip(STYLES, self.values, strict=True)
        )
        state = self.after[effects] = _State(values)
        state.pre = self.pre if effects.pre is None else effects.pre
        state.marker = self.marker or effects.marker
        state.hidden = (
            self.hidden or effects.hidden or effects.marker or effects.mention is not None
        )
        fields = {field: value or None for (_, field, _), value in zip(STYLES, values, strict=True)}
        states.size += 1 + len(fields["link"] or "") // 64  # (a long URL weighs what it holds)
        canonical = canonical_style(TextStyle(**fields))
        state.style = None if canonical is None else states.styles.setdefault(canonical, canonical)
        return state


def _inner(value: Any, outer: Any) -> Any:
    return outer if value is None else value


class _States:
    """The states readers have met, from the one outside every element, and one instance of
    each style among them (runs of one style merge by identity). Shared across calls (a
    document's states are mostly the last one's) up to a size of :data:`_STATES_KEPT` (a
    state counts 1, and 1 more for every 64 characters of its link), then begun afresh:
    memory stays bounded whatever the inputs."""

    def __init__(self) -> None:
        self.root = _State()
        self.styles: dict[TextStyle, TextStyle] = {}
        self.size = 0


_STATES_KEPT = 50_000
_states = _States()


def _shared_states() -> _States:
    global _states  # (the one cache of states, begun afresh when full)
    if _states.size > _STATES_KEPT:
        _states = _States()
    return _states


class Inline:
    """The open elements of one reader, and the line being read: text is collected in
    pieces of one style and joined once its run ends (never copied twice)."""

    def __init__(self, losses: Losses) -> None:
        self.losses = losses
        self._states = _shared_states()
        self.state = self._states.root
        self._frames: list[tuple[str, Effects, _State]] = []  # (tag, effects, state before)
        self._effects: dict[tuple[str, tuple[tuple[str, str], ...]], Effects] = {}
        self.elements: list[Element] = []
        self.images: list[Image] = []
        self.pieces: list[str] = []
        self._style: TextStyle | None = None
        self._doc: tuple[str, list[str], int] | None = None  # url, title, frame depth
        self.marker: list[str] = []  # the text of Word's fake bullets

    def effects(self, tag: str, attributes: tuple[tuple[str, str], ...] = ()) -> Effects:
        """:func:`effects`, remembered for this reader (and across calls for short ones)."""
        key = (tag, attributes)
        found = self._effects.get(key)
        if found is None:
            if sum(len(k) + len(v) for k, v in attributes) <= _SHARED_UP_TO:
                found = _shared_effects(tag, attributes)
            else:
                found = effects(tag, dict(attributes))
            self._effects[key] = found
        return found

    # elements

    def open(self, tag: str, effects: Effects, attributes: Mapping[str, str] | None = None) -> bool:
        """An element starts; ``False`` for a void one (no :meth:`close` to come)."""
        if effects.plain:
            self._frames.append((tag, effects, self.state))
            self.state = self.state.after.get(effects) or self.state.apply(effects, self._states)
            return True
        for loss in effects.losses:
            self.losses.add(loss)
        if effects.void is not None:
            if not self.state.hidden:
                if effects.void is Void.BREAK:
                    self.text("\n")
                else:
                    self.images.append(image(attributes or {}))
            return False
        if not self.state.hidden:
            if effects.mention is not None:
                self.add(effects.mention)
            elif effects.doc is not None and self._doc is None:
                self._doc = (effects.doc, [], len(self._frames))
        self._frames.append((tag, effects, self.state))
        self.state = self.state.after.get(effects) or self.state.apply(effects, self._states)
        return True

    @property
    def depth(self) -> int:
        """How many elements are open."""
        return len(self._frames)

    def close(self) -> bool:
        """The innermost element ends; ``True`` if that ends a doc link (an element)."""
        if self._frames:
            _, _, self.state = self._frames.pop()
            if self._doc is not None and self._doc[2] == len(self._frames):
                self._end_doc()
                return True
        return False

    def close_tag(self, tag: str) -> None:
        """The innermost open ``tag`` ends, wherever it is (Markdown's inline HTML need not
        nest); elements opened inside it stay open. A stray close does nothing. (Costs the
        number of open elements: the Markdown reader keeps that bounded.)"""
        for index in range(len(self._frames) - 1, -1, -1):
            if self._frames[index][0] == tag:
                break
        else:
            return
        kept = self._frames[index + 1 :]
        del self._frames[index + 1 :]
        self.close()
        if self._doc is not None and self._doc[2] > index:  # a doc link opened inside it
            url, title, depth = self._doc
            self._doc = (url, title, depth - 1)
        for name, effects, _ in kept:
            self._frames.append((name, effects, self.state))
            self.state = self.state.apply(effects, self._states)

    def close_all(self) -> None:
        """Every open element ends (a paragraph of Markdown ends its inline HTML)."""
        while self._frames:
            self.close()
        self._end_doc()  # (none is left open; but its text is never lost)

    def _end_doc(self) -> None:
        if self._doc is not None:
            url, title, _ = self._doc
            self._doc = None
            self.add(DocsLink(url, "".join(title)))

    # content

    def text(self, text: str) -> None:
        """Text in the current style."""
        state = self.state
        if state.hidden:
            if state.marker:
                self.marker.append(text)
            return
        if self._doc is not None:
            self._doc[1].append(text)
            return
        if state.style is not self._style and self.pieces:
            self._end_run()
        self._style = state.style
        self.pieces.append(text)

    def add(self, element: Element) -> None:
        """A mention or a doc link."""
        if self.pieces:
            self._end_run()
        self.elements.append(element)

    def add_image(self, image: Image) -> None:
        if not self.state.hidden:
            self.images.append(image)

    def _end_run(self) -> None:
        pieces = self.pieces
        text = pieces[0] if len(pieces) == 1 else "".join(pieces)
        self.pieces = []
        if text:
            self.elements.append(TextRun(text, self._style))

    def last_text(self) -> str:
        """The text of the run being read (empty if the line ends in another element)."""
        if len(self.pieces) > 1:
            self.pieces = ["".join(self.pieces)]
        return self.pieces[0] if self.pieces else ""

    def trim_end(self, count: int) -> None:
        """Drop the last ``count`` characters of the run being read."""
        if count and self.pieces:
            self.pieces[-1] = self.pieces[-1][:-count]

    def is_empty(self) -> bool:
        return not (self.elements or self.images or self.pieces)

    def take(self) -> tuple[list[Element] | None, Gallery | None]:
        """The line read so far, and its images as a gallery after it; a line of images and
        spaces only is the gallery alone (``None`` elements). Starts the next line."""
        if self.pieces:
            self._end_run()
        elements, images = self.elements, self.images
        self.elements, self.images, self._style = [], [], None
        if not images:
            return elements, None
        if all(isinstance(e, TextRun) and not e.text.strip() for e in elements):
            return None, Gallery(images)
        self.losses.add(Loss.IMAGE_IN_TEXT)
        return elements, Gallery(images)


@functools.lru_cache(maxsize=4096)
def _paragraph_style(style: ListStyle) -> ParagraphStyle:
    return ParagraphStyle(style)


def blocks(lines: Iterable[tuple[tuple[Element, ...] | Gallery, ListStyle | None]]) -> list[Block]:
    """The lines a reader read (a line's elements, or a gallery), as the content's blocks."""
    return [
        payload
        if isinstance(payload, Gallery)
        else Paragraph(payload, None if style is None else _paragraph_style(style))
        for payload, style in lines
    ]
