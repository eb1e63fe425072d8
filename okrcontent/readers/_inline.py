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
from collections.abc import Callable, Mapping

import attrs

from ..css import color_in, length_px, parse_color, parse_style
from ..losses import Loss, Losses
from ..markup import INERT_DOC, INERT_HREF, INERT_SRC, MENTION, MENTION_USER, TOKEN
from ..model import Color, DocsLink, Element, Gallery, Image, Link, Mention, TextRun, TextStyle
from ..normalize import canonical_style

__all__ = [
    "ATTRIBUTES",
    "NEUTRAL",
    "PROPERTIES",
    "TAGS",
    "Effects",
    "Inline",
    "Void",
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
    Compared by identity: :func:`effects` hands out one instance per distinct element."""

    bold: bool | None = None
    strike: bool | None = None  # (only ever set: a decoration cannot be taken off inside)
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


NONE = Effects()
_DEFAULTS = {field.name: field.default for field in attrs.fields(Effects)}


def _merge(base: Effects, update: Effects | None) -> Effects:
    """``base`` with what ``update`` sets; losses and indents (margin and padding) add up."""
    if update is None or update is NONE:
        return base
    changes = {
        name: value
        for name, default in _DEFAULTS.items()
        if (value := getattr(update, name)) != default and name != "losses"
    }
    if base.indent is not None and update.indent is not None:
        changes["indent"] = base.indent + update.indent
    losses = base.losses + tuple(loss for loss in update.losses if loss not in base.losses)
    return attrs.evolve(base, **changes, losses=losses)


YELLOW = Color(255, 255, 0, 1.0)
BOLD = Effects(bold=True)
STRIKE = Effects(strike=True)
HEADING = Effects(bold=True, losses=(Loss.HEADING,))


def _lost(loss: Loss) -> Effects:
    return Effects(losses=(loss,))


TAGS: dict[str, Effects] = {
    "b": BOLD,
    "strong": BOLD,
    "th": BOLD,
    "s": STRIKE,
    "del": STRIKE,
    "strike": STRIKE,
    "mark": Effects(back=YELLOW),
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
    "pre": Effects(pre=True, losses=(Loss.CODE_BLOCK,)),
    "sub": _lost(Loss.SCRIPT),
    "sup": _lost(Loss.SCRIPT),
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), HEADING),
    "br": Effects(void=Void.BREAK),
    "img": Effects(void=Void.IMAGE),
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


def _font_color(tag: str, attributes: Mapping[str, str]) -> Effects | None:
    color = parse_color(attributes["color"]) if tag == "font" else None
    return None if color is None else Effects(color=color)


def _href(tag: str, attributes: Mapping[str, str]) -> Effects | None:
    return Effects(link=attributes["href"]) if tag == "a" else None


_TYPES = {"1": True, "a": True, "i": True, "disc": False, "circle": False, "square": False}


def _list_type(tag: str, attributes: Mapping[str, str]) -> Effects | None:
    ordered = _TYPES.get(attributes["type"].strip().lower()) if tag in _LIST_TAGS else None
    return None if ordered is None else Effects(ordered=ordered)


_LIST_TAGS = frozenset({"ol", "ul", "li"})


def _mention(tag: str, attributes: Mapping[str, str]) -> Effects:
    ids = (attributes.get(MENTION) or None, attributes.get(MENTION_USER) or None)
    return Effects(mention=Mention(*ids))


ATTRIBUTES: dict[str, Callable[[str, Mapping[str, str]], Effects | None]] = {
    "color": _font_color,
    "href": _href,
    "hidden": lambda tag, attributes: Effects(hidden=True, losses=(Loss.HIDDEN,)),
    "type": _list_type,
    INERT_HREF: lambda tag, attributes: Effects(link=attributes[INERT_HREF]),
    MENTION: _mention,
    MENTION_USER: _mention,
    INERT_DOC: lambda tag, attributes: Effects(doc=attributes[INERT_DOC]),
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
_MSO_LEVEL = re.compile(r"level0*(\d{1,3})(?!\d)")


def _weight(value: str) -> Effects | None:
    value = value.strip().lower()
    bold = _BOLD_WORDS.get(value)
    if bold is None and value.isascii() and value.isdigit():
        bold = len(value) > 3 or int(value) >= 600
    return None if bold is None else Effects(bold=bold)


def _decoration(value: str) -> Effects | None:
    words = value.lower().split()
    losses = (Loss.UNDERLINE,) if "underline" in words else ()
    strike = True if "line-through" in words else None
    return Effects(strike=strike, losses=losses) if strike or losses else None


def _font_style(value: str) -> Effects | None:
    italic = value.strip().lower().startswith(("italic", "oblique"))
    return _lost(Loss.ITALIC) if italic else None


def _text_color(value: str) -> Effects | None:
    color = parse_color(value)
    return None if color is None else Effects(color=color)


def _back_color(value: str) -> Effects | None:
    color = color_in(value)  # (also the colour of a ``background`` shorthand)
    return None if color is None else Effects(back=color)


def _white_space(value: str) -> Effects | None:
    value = value.strip().lower()
    if value.startswith(("pre", "break-spaces")):
        return Effects(pre=True)
    return Effects(pre=False) if value in ("normal", "nowrap") else None


def _display(value: str) -> Effects | None:
    return Effects(hidden=True, losses=(Loss.HIDDEN,)) if value.strip().lower() == "none" else None


def _list_style(value: str) -> Effects | None:
    words = set(value.lower().split())
    if words & _ORDERED_MARKERS:
        return Effects(ordered=True)
    return Effects(ordered=False) if words & _UNORDERED_MARKERS else None


def _margin(value: str) -> Effects | None:
    pixels = length_px(value)
    return None if pixels is None else Effects(indent=pixels)


def _mso_list(value: str) -> Effects | None:
    if value.strip().lower() == "ignore":
        return Effects(marker=True)
    level = _MSO_LEVEL.search(value.lower())
    return None if level is None else Effects(word_level=int(level.group(1)))


PROPERTIES: dict[str, Callable[[str], Effects | None]] = {
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
    """What ``<tag attributes...>`` does to the text inside it."""
    merged = TAGS.get(tag, NONE)
    for attribute in dict.fromkeys(ATTRIBUTES[key] for key in attributes if key in ATTRIBUTES):
        merged = _merge(merged, attribute(tag, attributes))
    for name, declared in parse_style(attributes.get("style", "")).items():
        css = PROPERTIES.get(name)
        if css is not None:
            merged = _merge(merged, css(declared))
    return attrs.evolve(merged, link=None) if merged.doc is not None else merged


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


class _State:
    """The style of text inside a set of open elements. The states one element further are
    remembered (``after``), so opening an element costs a dictionary lookup."""

    __slots__ = (
        "after",
        "back",
        "bold",
        "color",
        "hidden",
        "link",
        "marker",
        "pre",
        "strike",
        "style",
    )

    def __init__(self) -> None:
        self.bold: bool | None = None
        self.strike: bool | None = None
        self.color: Color | None = None
        self.back: Color | None = None
        self.link: str | None = None
        self.pre: bool | None = None
        self.hidden = False  # inside a mention's name, a fake bullet or hidden content
        self.marker = False  # inside Word's fake bullet
        self.style: TextStyle | None = None
        self.after: dict[Effects, _State] = {}

    def apply(self, effects: Effects, styles: dict[TextStyle, TextStyle]) -> _State:
        state = self.after.get(effects)
        if state is not None:
            return state
        state = self.after[effects] = _State()
        state.bold = self.bold if effects.bold is None else effects.bold
        state.strike = self.strike or effects.strike
        state.color = self.color if effects.color is None else effects.color
        state.back = self.back if effects.back is None else effects.back
        state.link = self.link if effects.link is None else effects.link
        state.pre = self.pre if effects.pre is None else effects.pre
        state.marker = self.marker or effects.marker
        state.hidden = (
            self.hidden or effects.hidden or effects.marker or effects.mention is not None
        )
        link = Link(state.link) if state.link else None
        style = TextStyle(state.bold or None, state.strike or None, state.color, state.back, link)
        canonical = canonical_style(style)
        state.style = None if canonical is None else styles.setdefault(canonical, canonical)
        return state


class Inline:
    """The open elements of one reader, and the line being read: text is collected in
    pieces of one style and joined once its run ends (never copied twice)."""

    def __init__(self, losses: Losses) -> None:
        self.losses = losses
        self._root = self.state = _State()
        self._frames: list[tuple[str, Effects, _State]] = []  # (tag, effects, state before)
        self._effects: dict[tuple[str, tuple[tuple[str, str], ...]], Effects] = {}
        self._styles: dict[TextStyle, TextStyle] = {}  # one instance a style, for `is`
        self.elements: list[Element] = []
        self.images: list[Image] = []
        self._pieces: list[str] = []
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
        self.state = self.state.apply(effects, self._styles)
        return True

    def close(self) -> None:
        """The innermost element ends."""
        if self._frames:
            _, _, self.state = self._frames.pop()
            if self._doc is not None and self._doc[2] == len(self._frames):
                self._end_doc()

    def close_tag(self, tag: str) -> None:
        """The innermost open ``tag`` ends, wherever it is (Markdown's inline HTML need not
        nest); elements opened inside it stay open. A stray close does nothing."""
        for index in range(len(self._frames) - 1, -1, -1):
            if self._frames[index][0] == tag:
                break
        else:
            return
        kept = self._frames[index + 1 :]
        del self._frames[index + 1 :]
        self.close()
        for name, effects, _ in kept:
            self._frames.append((name, effects, self.state))
            self.state = self.state.apply(effects, self._styles)

    def close_all(self) -> None:
        """Every open element ends (a paragraph of Markdown ends its inline HTML)."""
        while self._frames:
            self.close()

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
        if state.style is not self._style and self._pieces:
            self._end_run()
        self._style = state.style
        self._pieces.append(text)

    def add(self, element: Element) -> None:
        """A mention or a doc link."""
        if self._pieces:
            self._end_run()
        self.elements.append(element)

    def add_image(self, image: Image) -> None:
        if not self.state.hidden:
            self.images.append(image)

    def _end_run(self) -> None:
        text = "".join(self._pieces)
        self._pieces = []
        if text:
            self.elements.append(TextRun(text, self._style))

    def last_text(self) -> str:
        """The text of the run being read (empty if the line ends in another element)."""
        if len(self._pieces) > 1:
            self._pieces = ["".join(self._pieces)]
        return self._pieces[0] if self._pieces else ""

    def trim_end(self, count: int) -> None:
        """Drop the last ``count`` characters of the run being read."""
        if count and self._pieces:
            self._pieces[-1] = self._pieces[-1][:-count]

    def is_empty(self) -> bool:
        return not (self.elements or self.images or self._pieces)

    def take(self) -> tuple[list[Element] | None, Gallery | None]:
        """The line read so far, and its images as a gallery after it; a line of images and
        spaces only is the gallery alone (``None`` elements). Starts the next line."""
        if self._pieces:
            self._end_run()
        elements, images = self.elements, self.images
        self.elements, self.images, self._style = [], [], None
        if not images:
            return elements, None
        if all(isinstance(e, TextRun) and not e.text.strip() for e in elements):
            return None, Gallery(images)
        self.losses.add(Loss.IMAGE_IN_TEXT)
        return elements, Gallery(images)
