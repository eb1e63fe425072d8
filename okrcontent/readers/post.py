"""Feishu's IM rich text (``post``) -> Content: what :func:`okrcontent.to_post` writes, read
back to the same structure and text, and any post a chat holds read into the nearest content.

What :func:`from_post` takes: a post (``{"zh_cn": {"title": ..., "content": [...]}}``), one
language's body (``{"title": ..., "content": [...]}``, as a received message's ``content``
is), a message (``{"msg_type": "post", "content": ...}``, a webhook's ``{"post": ...}``, an
API message's ``{"body": {"content": ...}}``), or the JSON text of any of them. Of several
languages the first in the post is read (:attr:`~okrcontent.losses.Loss.POST_LOCALE` names
it). Each line is read as the writer's table says (:mod:`okrcontent.writers.post`); its
leading text as :mod:`okrcontent.post_marks` says. Every tag the docs list has a rule
(:data:`TAGS`):

=============  ================================================================================
``text``       a text run: ``bold`` and ``lineThrough`` kept, ``italic``, ``underline`` read as
               plain text (reported); ``un_escape`` text HTML-unescaped first
``a``          a linked run; without a style and to a Feishu document (``/docx/``, ``/wiki/``,
               ...), a doc link
``at``         a mention of the ``user_id`` (an open id); ``all`` or a message's own key
               (``@_user_1``) as ``@name`` text; styles left out
``img``        an image (its key is no OKR file token: an image without a source, reported)
``media``      left out (reported)
``emotion``    ``[SMILE]`` text (reported)
``hr``         left out (reported)
``code_block`` its lines as paragraphs (reported)
``md``         its lines as paragraphs (reported)
other          its ``text``, if any (reported)
=============  ================================================================================

An image inside a line of text goes to a line of its own; consecutive images are one
gallery; the title is a bold first line. A value of the wrong type (``"text": 5``) is a
:class:`~okrcontent.ContentError` naming it: ``zh_cn.content[2][0].text: 5 is not a string``.
The reader walks a fixed depth and reads each value once: no post makes it recurse or hang.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any

import attrs

from ..errors import ContentError
from ..losses import Loss, Losses
from ..model import (
    Content,
    DocsLink,
    Element,
    Gallery,
    Image,
    ListKind,
    ListStyle,
    Mention,
    Paragraph,
    TextRun,
    TextStyle,
    shown,
)
from ..nesting import MAX_LEVEL
from ..normalize import normalize
from ..post_marks import (
    ESCAPE,
    is_empty_line,
    is_image_line,
    is_plain_text,
    is_user,
    lead,
    placeholder_name,
)
from ..urls import scheme_of

__all__ = ["TAGS", "from_post"]

STYLES = {"bold": "bold", "lineThrough": "strikethrough"}
"""Post style name -> :class:`~okrcontent.TextStyle` field."""
LOST_STYLES = {"italic": Loss.ITALIC, "underline": Loss.UNDERLINE}
"""Post style names the model has no field for."""
_DOC = re.compile(
    r"https?://(?:[\w-]+\.)*(?:feishu\.cn|larksuite\.com|larkoffice\.com)"
    r"/(?:docx|docs|doc|wiki|sheets|base|mindnotes|slides|file)/",
    re.IGNORECASE,
)
_UNWRAPS = 8
"""Wrappers (a message, its JSON text, a webhook's ``post``...) read before the body."""


def from_post(post: str | bytes | dict[str, Any]) -> Content:
    """The content of a post; see the module docstring for what maps to what."""
    body, path, language = _body(post)
    reader = _Reader()
    if language is not None:
        reader.losses.add(Loss.POST_LOCALE, language)
    title = body.get("title")
    if title is not None:
        _expect(title, str, f"{path}title", "a string")
        if title.strip():
            reader.losses.add(Loss.POST_TITLE)
            reader.blocks.append(Paragraph([TextRun(title, TextStyle(bold=True))]))
    lines = body.get("content")
    if lines is not None:
        _expect(lines, list, f"{path}content", "a list of lines")
        for number, line in enumerate(lines):
            reader.line(line, f"{path}content[{number}]")
    reader.flush_images()
    reader.losses.report()
    return normalize(Content(reader.blocks))


def _expect(value: Any, kind: type, path: str, what: str) -> None:
    if not isinstance(value, kind):
        raise ContentError(f"{shown(value)} is not {what}", path)


def _body(value: Any) -> tuple[dict[str, Any], str, str | None]:
    """The body of one language (``{"title", "content"}``), the path to it (with its
    trailing dot), and the language chosen if the post had several."""
    path, language = "", None
    for _ in range(_UNWRAPS):
        if isinstance(value, (str, bytes, bytearray)):
            try:
                value = json.loads(value)
            except (ValueError, RecursionError):
                raise ContentError("not JSON", path.rstrip(".")) from None
            continue
        if not isinstance(value, dict):
            raise ContentError(f"{shown(value)} is not a post", path.rstrip("."))
        step = _step(value, path)
        if step is None:
            return value, path, language
        key, several = step
        if several:
            language = key
        value = value[key]
        path += key + "."
    raise ContentError("wrapped too deep to be a post", path.rstrip("."))


def _step(value: dict[str, Any], path: str) -> tuple[str, bool] | None:
    """The key to read next (and whether it is one language of several); ``None``:
    ``value`` is a body."""
    if "msg_type" in value and value["msg_type"] != "post":
        raise ContentError(f"a {shown(value['msg_type'])} message, not a post", path + "msg_type")
    if isinstance(value.get("content"), (str, bytes, dict)):
        return "content", False  # a message's content (a body's is a list)
    if "content" in value or "title" in value:
        return None
    for key in ("post", "body"):
        if isinstance(value.get(key), (str, bytes, dict)):
            return key, False
    languages = [key for key, body in value.items() if isinstance(body, dict)]
    if not languages:
        raise ContentError(
            "no language (zh_cn, en_us...) and no content: not a post", path.rstrip(".")
        )
    return languages[0], len(languages) > 1


class _Reader:
    """The blocks read so far, and the paragraph and images being read."""

    def __init__(self) -> None:
        self.blocks: list[Paragraph | Gallery] = []
        self.losses = Losses()
        self.images: list[Image] = []
        self.elements: list[Element] = []
        self.style: ListStyle | None = None
        self.open = False  # a paragraph is being read (it may have no element yet)

    # blocks

    def flush_images(self) -> None:
        if self.images:
            self.blocks.append(Gallery(self.images))
            self.images = []

    def flush(self) -> None:
        """End the paragraph being read, if any."""
        if self.open:
            self.flush_images()
            self.blocks.append(Paragraph(self.elements, self.style))
        self.elements, self.style, self.open = [], None, False

    def image(self, image: Image) -> None:
        self.flush()
        self.images.append(image)

    def lines(self, text: str) -> None:
        """Text as lines of their own (a code block, Markdown)."""
        self.flush()
        self.flush_images()
        self.blocks.extend(Paragraph([TextRun(line)] if line else []) for line in text.split("\n"))

    def inline(self, element: Element) -> None:
        if not self.open:
            self.flush_images()
            self.open = True
        self.elements.append(element)

    # lines

    def line(self, line: Any, path: str) -> None:
        _expect(line, list, path, "a list of elements")
        for index, element in enumerate(line):
            _expect(element, dict, f"{path}[{index}]", "an element")
            _expect(element.get("tag"), str, f"{path}[{index}].tag", "a tag")
            if element.get("style") is not None:
                _expect(element["style"], list, f"{path}[{index}].style", "a list of styles")
        if is_empty_line(line):
            self.flush_images()
            self.blocks.append(Paragraph([]))
            return
        if is_image_line(line):
            self.images.append(self._image(line[0], f"{path}[0]"))
            return
        tags = {element["tag"] for element in line}
        if "img" in tags and len(tags) > 1:
            self.losses.add(Loss.IMAGE_IN_TEXT)
        elements = list(enumerate(line))
        if is_plain_text(line[0]):
            self.style, rest = self._lead(_text(line[0], f"{path}[0]"))
            self.open = self.style is not None
            elements[0] = (0, {"tag": "text", "text": rest})
        for index, element in elements:
            TAGS.get(element["tag"], _Reader.unknown)(self, element, f"{path}[{index}]")
        self.flush()

    def _lead(self, text: str) -> tuple[ListStyle | None, str]:
        """A line's list style from its leading text, and the text after it."""
        levels, marker, rest = lead(text)
        if marker is not None:
            kind, number = marker
            style: ListStyle | None = ListStyle(kind, self._level(levels + 1), number)
        elif levels:
            style = ListStyle(ListKind.INDENT, self._level(levels))
        else:
            style, rest = None, text  # no notation: the text as it is
        return style, rest[len(ESCAPE) :] if rest.startswith(ESCAPE) else rest

    def _level(self, level: int) -> int:
        if level > MAX_LEVEL:
            self.losses.add(Loss.TOO_DEEP)
        return min(level, MAX_LEVEL)

    def _image(self, element: dict[str, Any], path: str) -> Image:
        if element["tag"] == "img":
            self.losses.add(Loss.CHAT_IMAGE)
            return Image()
        name = placeholder_name(element["text"]) or None
        if element["tag"] == "a":
            return Image(element["href"], name)
        if name is not None and scheme_of(name) is not None:
            return Image(name)
        return Image(file_token=name)

    # elements (TAGS)

    def _style(self, element: dict[str, Any], path: str) -> TextStyle | None:
        names = element.get("style") or ()  # a list: checked with the line
        fields: dict[str, Any] = {}
        for name in names:
            if not isinstance(name, str):
                continue  # as the API ignores a style it does not know
            if name in STYLES:
                fields[STYLES[name]] = True
            elif name in LOST_STYLES:
                self.losses.add(LOST_STYLES[name])
        return TextStyle(**fields) if fields else None

    def text(self, element: dict[str, Any], path: str) -> None:
        text = _text(element, path)
        if text:
            self.inline(TextRun(text, self._style(element, path)))

    def link(self, element: dict[str, Any], path: str) -> None:
        text, href = _text(element, path), _field(element, "href", path)
        style = self._style(element, path)
        if style is None and _DOC.match(href):
            self.inline(DocsLink(href, text))
        elif text or href:
            linked = TextStyle(link=href) if style is None else attrs.evolve(style, link=href)
            self.inline(TextRun(text or href, linked))

    def at(self, element: dict[str, Any], path: str) -> None:
        user = _field(element, "user_id", path)
        if self._style(element, path) is not None:
            self.losses.add(Loss.MENTION_STYLE)
        if is_user(user):
            self.inline(Mention(user))
            return
        self.losses.add(Loss.NOT_A_USER)
        everyone = "all" if user in ("all", "@_all") else user
        self.inline(TextRun("@" + (_field(element, "user_name", path) or everyone or "unknown")))

    def img(self, element: dict[str, Any], path: str) -> None:
        self.image(self._image(element, path))

    def emotion(self, element: dict[str, Any], path: str) -> None:
        self.losses.add(Loss.EMOJI)
        self.inline(TextRun(f"[{_field(element, 'emoji_type', path)}]"))

    def code_block(self, element: dict[str, Any], path: str) -> None:
        self.losses.add(Loss.CODE_BLOCK)
        self.lines(_text(element, path))

    def md(self, element: dict[str, Any], path: str) -> None:
        self.losses.add(Loss.POST_MARKDOWN)
        self.lines(_text(element, path))

    def media(self, element: dict[str, Any], path: str) -> None:
        self.losses.add(Loss.MEDIA)

    def hr(self, element: dict[str, Any], path: str) -> None:
        self.losses.add(Loss.RULE)

    def unknown(self, element: dict[str, Any], path: str) -> None:
        self.losses.add(Loss.POST_TAG, shown(element["tag"]))
        self.text({"tag": "text", "text": element.get("text")}, path)


TAGS: dict[str, Callable[[_Reader, dict[str, Any], str], None]] = {
    "text": _Reader.text,
    "a": _Reader.link,
    "at": _Reader.at,
    "img": _Reader.img,
    "media": _Reader.media,
    "emotion": _Reader.emotion,
    "hr": _Reader.hr,
    "code_block": _Reader.code_block,
    "md": _Reader.md,
}
"""Post tag -> its rule (anything else: :meth:`_Reader.unknown`)."""


def _field(element: dict[str, Any], key: str, path: str) -> str:
    value = element.get(key)
    if value is None:
        return ""
    _expect(value, str, f"{path}.{key}", "a string")
    return value  # type: ignore[no-any-return]


def _text(element: dict[str, Any], path: str) -> str:
    text = _field(element, "text", path)
    return html.unescape(text) if element.get("un_escape") is True else text
