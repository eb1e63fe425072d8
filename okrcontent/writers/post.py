"""Content -> Feishu's IM rich text (``post``), the message a chat shows as an update.

The post is ``{locale: {"title": ..., "content": [line, ...]}}``, a line a list of elements
(`Send message content structure
<https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/im-v1/message/create_json>`_,
"富文本 post"). One block is one line; what the post has no element for is said in the
line's leading text (:mod:`okrcontent.post_marks`). The mapping, both ways
(:func:`okrcontent.from_post` reads every row back):

=========================  ==================================================================
content                    post
=========================  ==================================================================
paragraph                  a line; an empty one: one ``text`` of U+200B
text run                   ``text``; bold and strikethrough as ``style``: ``["bold",
                           "lineThrough"]``; shown literally (``un_escape`` never set:
                           ``<b>`` and ``&amp;`` show as typed)
colours                    left out (:attr:`~okrcontent.losses.Loss.COLORS`)
linked run                 ``a`` (``text``, ``href``, ``style``) if a chat can open the URL
                           (http, https, mailto); else ``text``
                           (:attr:`~okrcontent.losses.Loss.INACTIVE_LINK`)
mention                    ``at`` with ``user_id`` the open id (it notifies) and
                           ``user_name`` from ``people=``; without an open id ``@Name`` text
                           (:attr:`~okrcontent.losses.Loss.MENTION_AS_TEXT`), and so for
                           an id that is no user's (``all`` would notify the whole chat)
doc link                   ``a`` to the doc, its title as the text (read back as a doc link
                           when the URL is a Feishu document, else as a linked run)
bullet line                ``• `` (``◦``, ``▪`` deeper) before the text
ordered line               the number the record shows: ``3. ``
task line                  ``☐ `` open, ``☑ `` done
indent line                indentation only
list level                 U+3000 a level below the first (an indent line: a level each)
gallery                    a line an image (the docs: an image is a paragraph of its own):
                           ``img`` with the ``image_key`` that ``image_keys=`` maps the
                           image's file token (else its src) to; else ``a`` to its src,
                           reading ``[image: TOKEN]`` (``[image]`` without one); else
                           ``text`` ``[image: TOKEN or src]``. Consecutive image lines read
                           back as one gallery; image size is left to the chat
text that reads as         a ``\\`` before it: ``\\- not a list``, ``\\[image]``
notation
a record's metadata        the title, when none is given: date, percent and status
                           (``2025-10-16 08:50 UTC · 60% · At risk``); the fields it does
                           not show (the id, ...) are reported left out
                           (:attr:`~okrcontent.losses.Loss.METADATA_NOT_WRITTEN`)
=========================  ==================================================================

Whitespace at the end of a line is dropped, as in every writer. Adjacent elements that
the post shows alike are one element (a post has a 30 KB cap). ``title=`` sets the post's
title; ``locale=`` its language key (``zh_cn``; Lark clients: ``en_us``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

from ..files import json_text
from ..losses import Loss, Losses, warn
from ..metadata import summarized, summary
from ..model import (
    Content,
    DocsLink,
    Element,
    Gallery,
    Image,
    ListKind,
    ListStyle,
    Mention,
    ProgressRecord,
    TextRun,
)
from ..people import People, display_name
from ..post_marks import (
    EMPTY_LINE,
    ESCAPE,
    INDENT,
    TASKS,
    bullet,
    image_text,
    is_empty_line,
    is_image_line,
    is_plain_text,
    is_user,
    needs_escape,
)
from ..urls import safe_href, scheme_of
from ._common import Document, prologue

__all__ = ["ELEMENTS", "STYLES", "to_post", "to_post_json"]

PostElement: TypeAlias = "dict[str, Any]"
"""One element of a post line (``{"tag": "text", "text": ...}``)."""

_LOCALE = re.compile("[a-z]{2}_[a-z]{2}")
_SPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != "\n")
"""Whitespace but the newline (as the canonical form trims it at the end of a line)."""

STYLES: tuple[tuple[str, str], ...] = (("bold", "bold"), ("strikethrough", "lineThrough"))
""":class:`~okrcontent.TextStyle` field -> the post's style name, in the order written."""


def to_post(
    content: Content | ProgressRecord,
    *,
    title: str | None = None,
    people: People = None,
    image_keys: Mapping[str, str] | None = None,
    locale: str = "zh_cn",
) -> dict[str, Any]:
    """The ``post`` of ``content`` (or a record's content), as the IM API takes it (JSON
    text of it is a message's ``content``). ``image_keys`` maps an image's file token (else
    its src) to an IM ``image_key``; ``people`` names mentions. A record's post is titled
    with its date, percent and status unless ``title`` is given; a chat has no place for
    the rest of its metadata (reported as a loss)."""
    return _post(prologue(content, "post"), title, people, image_keys, locale)


def to_post_json(
    content: Content | ProgressRecord,
    *,
    title: str | None = None,
    people: People = None,
    image_keys: Mapping[str, str] | None = None,
    locale: str = "zh_cn",
) -> str:
    """:func:`to_post` as JSON text, indented: the ``post`` format's writer."""
    post = _post(prologue(content, "post"), title, people, image_keys, locale)
    return json_text(post, indent=2) + "\n"


def _post(
    document: Document,
    title: str | None,
    people: People,
    image_keys: Mapping[str, str] | None,
    locale: str,
) -> dict[str, Any]:
    if not _LOCALE.fullmatch(locale):
        raise ValueError(f"locale must be like zh_cn or en_us, not {locale!r}")
    writer = _Writer(people, image_keys or {})
    lines: list[list[PostElement]] = []
    for block, style, number in document.lines:
        if isinstance(block, Gallery):
            lines.extend([writer.image(image)] for image in block.images)
        else:
            lines.append(writer.line(block, style, number))
    record = document.record
    if record is not None:
        shown = summarized(record) if title is None else frozenset()
        left = [name for name in document.fields if name not in shown]
        if left:  # (what the title shows is not data, but it is not lost to the reader)
            warn(Loss.METADATA_NOT_WRITTEN, ", ".join(left), format="post", stacklevel=3)
        if title is None:
            title = summary(record) or None
    writer.losses.report(stacklevel=3)
    body: dict[str, Any] = {} if title is None else {"title": title}
    body["content"] = lines
    return {locale: body}


def chat_href(url: str) -> str | None:
    """``url`` if a chat can open it: safe (:func:`~okrcontent.urls.safe_href`) and
    absolute (a relative URL means nothing in a chat)."""
    href = safe_href(url)
    return href if href is not None and scheme_of(href) is not None else None


class _Line:
    """A line's elements as they are added, elements the post shows alike joined (their
    texts as pieces, joined once)."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[tuple[PostElement, list[str]]] = []

    def add(self, element: PostElement) -> None:
        text = element.pop("text", None)
        if self.items and text is not None:
            last, pieces = self.items[-1]
            if last["tag"] in ("text", "a") and last == element:
                pieces.append(text)
                return
        self.items.append((element, [] if text is None else [text]))

    def elements(self) -> list[PostElement]:
        """The elements, with no whitespace before a newline or at the end of the line,
        across elements, as the canonical form has runs (a doc title or a name may have
        some): so that what is read back is what was written."""
        out = [_with_text(element, p) if p else element for element, p in self.items]
        trailing: list[PostElement] = []  # elements ending in whitespace since the last text
        for element in out:
            if "text" not in element:  # a mention shows: whitespace before it stays
                trailing = []
                continue
            head, newline, tail = element["text"].partition("\n")
            if newline:
                if not head.strip(_SPACE):
                    _trim(trailing)
                lines = tail.split("\n")
                element["text"] = "\n".join(
                    [head.rstrip(_SPACE), *(line.rstrip(_SPACE) for line in lines[:-1]), lines[-1]]
                )
                trailing = []
            text = element["text"]
            if text and text[-1] in _SPACE:
                if text.strip(_SPACE):
                    trailing = []
                trailing.append(element)
            elif text:
                trailing = []
        _trim(trailing)
        return [element for element in out if element.get("text", True)]


def _trim(elements: list[PostElement]) -> None:
    for element in elements:
        element["text"] = element["text"].rstrip(_SPACE)


def _with_text(element: PostElement, pieces: list[str]) -> PostElement:
    """``element`` with its text back, second as the docs write it (``tag``, ``text``, ...)."""
    tag, *rest = element.items()
    return dict([tag, ("text", "".join(pieces)), *rest])


class _Writer:
    __slots__ = ("image_keys", "losses", "people")

    def __init__(self, people: People, image_keys: Mapping[str, str]) -> None:
        self.people = people
        self.image_keys = image_keys
        self.losses = Losses()

    def line(
        self, elements: tuple[Element, ...], style: ListStyle | None, number: int | None
    ) -> list[PostElement]:
        line = _Line()
        for element in elements:
            written = ELEMENTS[type(element)](self, element)
            if written is not None:
                line.add(written)
        out = line.elements()
        lead = _lead(style, number)
        plain_first = bool(out) and is_plain_text(out[0])
        if (plain_first and needs_escape(lead, out[0]["text"])) or (
            not lead and (is_image_line(out) or (out and is_empty_line(out)))
        ):
            lead += ESCAPE
        if not out:
            return [{"tag": "text", "text": lead.rstrip(" ") or EMPTY_LINE}]
        if plain_first:
            out[0]["text"] = lead + out[0]["text"]
        elif lead:
            out.insert(0, {"tag": "text", "text": lead})
        return out

    def run(self, run: TextRun) -> PostElement:
        style = run.style
        element: PostElement = {"tag": "text", "text": run.text}
        if style is None:
            return element
        if style.text_color is not None or style.back_color is not None:
            self.losses.add(Loss.COLORS)
        if style.link is not None and style.link.url:
            href = chat_href(style.link.url)
            if href is None:
                self.losses.add(Loss.INACTIVE_LINK)
            else:
                element = {"tag": "a", "text": run.text, "href": href}
        names = [name for field, name in STYLES if getattr(style, field)]
        if names:
            element["style"] = names
        return element

    def mention(self, mention: Mention) -> PostElement:
        name = display_name(mention, self.people)
        if not mention.open_id or not is_user(mention.open_id):
            self.losses.add(Loss.MENTION_AS_TEXT)
            return {"tag": "text", "text": "@" + name}
        element: PostElement = {"tag": "at", "user_id": mention.open_id}
        if name != mention.open_id:
            element["user_name"] = name
        return element

    def doc(self, doc: DocsLink) -> PostElement | None:
        url, title = doc.url or "", doc.title or ""
        text = title if title.strip() else url
        href = chat_href(url) if url else None
        if href is not None:
            return {"tag": "a", "text": text, "href": href}
        if url:
            self.losses.add(Loss.INACTIVE_LINK)
        return {"tag": "text", "text": text} if text else None

    def image(self, image: Image) -> PostElement:
        ref = image.file_token or image.src
        key = self.image_keys.get(ref) if ref else None
        if key:
            return {"tag": "img", "image_key": key}
        href = chat_href(image.src) if image.src else None
        if href is not None:
            return {"tag": "a", "text": image_text(image.file_token), "href": href}
        if image.src:
            self.losses.add(Loss.INACTIVE_LINK)
        return {"tag": "text", "text": image_text(image.file_token or image.src)}


ELEMENTS: dict[type, Callable[[_Writer, Any], PostElement | None]] = {
    TextRun: _Writer.run,
    Mention: _Writer.mention,
    DocsLink: _Writer.doc,
}
"""Element class -> its post element (``None``: nothing to show)."""


def _lead(style: ListStyle | None, number: int | None) -> str:
    """A line's indentation and marker."""
    if style is None:
        return ""
    if style.kind is ListKind.INDENT:
        return INDENT * style.level
    if style.kind is ListKind.NUMBER:
        marker = f"{number}."
    else:
        marker = TASKS.get(style.kind) or bullet(style.level)
    return INDENT * (style.level - 1) + marker + " "
