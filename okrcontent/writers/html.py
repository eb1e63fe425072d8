"""Content -> an HTML fragment that is safe to embed anywhere and reads back exactly.

Shape (one top-level block a line of output, no other whitespace between tags)::

    <div class="okr-content">
    <p style="white-space:pre-wrap">text <strong>bold</strong> <s>gone</s></p>
    <ol start="5"><li style="white-space:pre-wrap">five<ul>...</ul></li></ol>
    <ul><li class="okr-task" ...><input type="checkbox" disabled checked>done</li></ul>
    <p class="okr-indent" data-okr-indent="1" style="...;margin-left:2em">indented</p>
    <p class="okr-gallery"><img src="..." width="640" height="480" data-okr-token="..."></p>
    </div>

- Faithful: ordered lists show the record's numbers (``<ol start>``; a list holds
  consecutive numbers only), lists nest by indent level with child lists inside the parent
  ``<li>``, a skipped level is an ``<li class="okr-skip">`` without a marker, task items have
  disabled checkboxes, ``indent`` lines are indented paragraphs, colours are CSS ``rgba()``,
  text keeps its spaces (``white-space: pre-wrap``) and newlines (``<br>``).
- Safe: every text and attribute value is escaped, attributes are always quoted, and no
  URL reaches ``href``/``src`` unless :func:`okrcontent.urls.safe_href` allows it (http,
  https, mailto, relative); an unsafe URL is kept inert in a ``data-okr-*`` attribute, with
  its text, so nothing is lost and nothing runs. Links get ``rel="noopener noreferrer
  nofollow"``. No content can produce a tag or an attribute name; styles are built from
  numbers only.
- Mentions (``data-okr-mention``), doc links (``data-okr-doc``) and images
  (``data-okr-token``) carry their data, so :func:`okrcontent.from_html` reads them back.

``standalone=True`` wraps the fragment in a complete document with a small stylesheet, for
e-mail and preview. The writer renders :func:`okrcontent.normalize` of its input and warns
(:class:`~okrcontent.LossWarning`) about block and element types it cannot show.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from typing import Any, cast

from .. import nesting
from ..css import style_attribute
from ..markup import INERT_DOC, INERT_HREF, tag
from ..metadata import (
    HTML_DATA,
    HTML_HEADER,
    HTML_META,
    STATUS_NAMES,
    STATUS_WORDS,
    iso,
    moment,
    texts,
)
from ..metadata import number as shown_number
from ..metadata import percent as shown_percent
from ..model import (
    Content,
    DocsLink,
    Element,
    Gallery,
    Image,
    ListKind,
    Mention,
    ProgressRecord,
    ProgressStatus,
    TextRun,
    TextStyle,
)
from ..normalize import CACHE_SIZE, CACHES, Line, by_identity, canonical_text
from ..people import People, display_name
from ..urls import safe_href
from ._common import (
    Document,
    Payload,
    image_attributes,
    mark_values,
    marks,
    mention_attributes,
    prologue,
)

__all__ = ["STYLESHEET", "meta", "rate", "to_html"]

Elements = tuple[Element, ...]

TEXT = ' style="white-space:pre-wrap"'
"""On every element that holds text: spaces and newlines are content."""
INDENT_EM = 2
"""Left margin of an ``indent`` line, per level."""
REL = "noopener noreferrer nofollow"

STYLESHEET = """\
body { font: 15px/1.6 -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif;
       color: #1f2329; max-width: 46em; margin: 2em auto; padding: 0 1em; }
.okr-content p { margin: 0 0 .4em; }
.okr-content ul, .okr-content ol { margin: 0 0 .4em; padding-left: 1.6em; }
.okr-content li.okr-task { list-style-type: none; }
.okr-content li.okr-task input { margin: 0 .4em 0 -1.3em; vertical-align: middle; }
.okr-content .okr-mention { color: #3370ff; }
.okr-content a { color: #3370ff; }
.okr-content img { max-width: 100%; height: auto; }
.okr-record-head { display: flex; flex-wrap: wrap; align-items: center; gap: .3em .8em;
                   margin: 0 0 1em; padding: 0 0 .6em; border-bottom: 1px solid #dee0e3;
                   color: #646a73; font-size: .9em; }
.okr-record-head:empty { display: none; }
.okr-rate { display: inline-flex; align-items: center; gap: .8em; }
.okr-percent { color: #1f2329; font-weight: 600; font-variant-numeric: tabular-nums; }
.okr-bar { width: 6em; height: 6px; border-radius: 3px; background: #eff0f1; overflow: hidden; }
.okr-bar > span { display: block; height: 100%; background: #3370ff; }
.okr-status { padding: .05em .6em; border-radius: 1em; }
.okr-progress-normal .okr-bar > span { background: #34c724; }
.okr-progress-at-risk .okr-bar > span { background: #ff8800; }
.okr-progress-delayed .okr-bar > span { background: #f54a45; }
.okr-status-normal { background: #d9f5d6; color: #237b19; }
.okr-status-at-risk { background: #feead2; color: #b25d00; }
.okr-status-delayed { background: #fde2e2; color: #c02a26; }
"""
"""The stylesheet of standalone documents: the content's, a record's header and its rate
(:func:`rate`, which the OKR documents show too)."""

_STATUS_CLASSES: dict[ProgressStatus, str] = {
    status: name.replace("_", "-")
    for status, name in STATUS_NAMES.items()
    if status is not ProgressStatus.NONE
}


def to_html(
    content: Content | ProgressRecord,
    *,
    people: People = None,
    standalone: bool = False,
    metadata: bool = True,
) -> str:
    """HTML for ``content`` (or a record): a fragment, or with ``standalone`` a whole
    document; ``people`` names mentions. A record's metadata (unless ``metadata`` is false)
    is a header before the content: in a fragment it carries every field, in a document
    the head's ``<meta>`` elements do."""
    document = prologue(content, "HTML", metadata=metadata)
    writer = _Writer(people)
    body = writer.body(document.lines)
    fragment = f'<div class="okr-content">\n{body}</div>\n'
    if not standalone:
        return _record_head(document, data=True) + fragment
    title = "Progress record"
    if document.record is not None and document.record.progress_id:
        title += " " + canonical_text(document.record.progress_id)
    metas = "".join(meta(name, text) + "\n" for name, text in texts(document.fields).items())
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_text(title)}</title>\n{metas}<style>\n{STYLESHEET}</style>\n</head>\n"
        f"<body>\n{_record_head(document, data=False)}{fragment}</body>\n</html>\n"
    )


def meta(name: str, text: str) -> str:
    """A metadata field in a page's head: ``<meta name="okr-<name>" content="...">``."""
    return tag("meta", {"name": HTML_META + name, "content": canonical_text(text)})


def rate(percent: float | None, status: ProgressStatus | None) -> str:
    """A record's progress for people: its percent with a bar, and its status."""
    css = _STATUS_CLASSES.get(status) if status is not None else None
    parts = []
    if percent is not None:
        width = shown_number(max(0.0, min(100.0, float(percent))))
        parts.append(f'<span class="okr-percent">{_text(shown_percent(percent))}</span>')
        parts.append(
            f'<span class="okr-bar" aria-hidden="true"><span style="width:{width}%"></span></span>'
        )
    if css is not None and status is not None:
        word = STATUS_WORDS[status]
        parts.append(f'<span class="okr-status okr-status-{css}">{_text(word)}</span>')
    kind = f"okr-progress-{css}" if css is not None else "okr-progress-none"
    return f'<span class="okr-rate {kind}">{" ".join(parts)}</span>'


def _record_head(document: Document, *, data: bool) -> str:
    """A record's header: when, how far and how it goes, for people; with ``data``, every
    field for the reader (in a page, the head holds them)."""
    record = document.record
    if record is None or not document.fields:
        return ""
    attributes = {"class": HTML_HEADER}
    if data:
        attributes.update(
            (HTML_DATA + name, canonical_text(text))
            for name, text in texts(document.fields).items()
        )
    parts = []
    when = record.modified_at or record.created_at
    if when is not None:
        parts.append(f'<time datetime="{iso(when)}">{_text(moment(when))}</time>')
    progress = record.progress_rate
    if progress is not None and (
        progress.percent is not None or progress.status in _STATUS_CLASSES
    ):
        parts.append(rate(progress.percent, progress.status))
    if not parts and not data:
        return ""
    return f"{tag('header', attributes)}{' '.join(parts)}</header>\n"


# --- escaping ---------------------------------------------------------------------------------

_TEXT_SPECIAL = re.compile(r"[&<>\r\n]")
_TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;", "\n": "<br>"}


def _text(text: str) -> str:
    """Text as HTML: escaped; a newline is a ``<br>``, a CR a reference (parsers drop it)."""
    # (five substring tests: a third of the regex's search, and most text has none of them)
    if "&" in text or "<" in text or ">" in text or "\r" in text or "\n" in text:
        return _TEXT_SPECIAL.sub(_text_escape, text)
    return text


def _text_escape(match: re.Match[str]) -> str:
    return _TEXT_ESCAPES[match.group()]


# --- inline ----------------------------------------------------------------------------------


def _link(url: str) -> tuple[str, str]:
    href = safe_href(url)
    if href is None:
        return tag("span", {"class": "okr-link", INERT_HREF: url}), "</span>"
    return tag("a", {"href": href, "rel": REL}), "</a>"


def _colors(value: tuple[Any, Any]) -> tuple[str, str]:
    return tag("span", {"style": style_attribute(*value)}), "</span>"


MARKS: tuple[tuple[Callable[..., Hashable], Callable[[Any], tuple[str, str]]], ...] = marks(
    {
        "link": _link,
        "colors": _colors,
        "bold": lambda _: ("<strong>", "</strong>"),
        "strike": lambda _: ("<s>", "</s>"),
    }
)
"""A run's styles (:data:`~okrcontent.writers._common.MARK_KEYS`), outermost first, as
(key, wrapper): a value's opening and closing tags. Adjacent runs sharing a value are
wrapped once."""


_WRAPPERS: dict[tuple[int, Hashable], tuple[str, str]] = {}
CACHES.append(_WRAPPERS)


def _wrapper(depth: int, value: Hashable) -> tuple[str, str]:
    """The tags of mark ``depth`` for ``value``, made once a value (and URL)."""
    try:
        return _WRAPPERS[depth, value]
    except KeyError:
        if len(_WRAPPERS) >= CACHE_SIZE:
            _WRAPPERS.clear()
        made = _WRAPPERS[depth, value] = MARKS[depth][1](value)
        return made


@by_identity
def _style_wrapper(style: TextStyle | None) -> tuple[str, str]:
    """All the tags of a run in ``style``, outermost first, made once a style."""
    wrappers = [_wrapper(depth, value) for depth, value in enumerate(mark_values(style)) if value]
    opening = "".join(w[0] for w in wrappers)
    closing = "".join(w[1] for w in reversed(wrappers))
    return opening, closing


_BETWEEN: dict[tuple[int, int], tuple[TextStyle | None, TextStyle | None, str]] = {}
CACHES.append(_BETWEEN)


def _between(before: TextStyle | None, after: TextStyle | None) -> str:
    """The tags between a run in ``before`` and the next in ``after``: the first closes the
    marks, innermost first, from the first one whose value changes, the second opens its
    own from there. Made once a pair of styles (by their objects' ``id``)."""
    key = (id(before), id(after))
    entry = _BETWEEN.get(key)
    if entry is None or entry[0] is not before or entry[1] is not after:
        if len(_BETWEEN) >= CACHE_SIZE:
            _BETWEEN.clear()
        old, new = mark_values(before), mark_values(after)
        depth, marks = 0, len(MARKS)
        while depth < marks and new[depth] == old[depth]:
            depth += 1
        tags = [_wrapper(d, old[d])[1] for d in range(marks - 1, depth - 1, -1) if old[d]]
        tags += [_wrapper(d, new[d])[0] for d in range(depth, marks) if new[d]]
        entry = _BETWEEN[key] = (before, after, "".join(tags))
    return entry[2]


class _Writer:
    """Renders canonical lines; holds what every rule needs (the mention resolver)."""

    __slots__ = ("people",)

    def __init__(self, people: People) -> None:
        self.people = people

    def runs(self, runs: Sequence[TextRun]) -> str:
        """Runs in their styles, a style shared by neighbours opened once (:func:`_between`)."""
        first = runs[0]
        head, tail = _style_wrapper(first.style)
        if len(runs) == 1:  # the common case: one run, all its wrappers at once
            return f"{head}{_text(first.text)}{tail}"
        out = [head, _text(first.text)]
        before = first.style
        for run in runs[1:]:
            style = run.style
            out.append(_between(before, style))
            out.append(_text(run.text))
            before = style
        out.append(_style_wrapper(before)[1])
        return "".join(out)

    def mention(self, mention: Mention) -> str:
        attributes = {"class": "okr-mention", **mention_attributes(mention)}
        name = _text("@" + display_name(mention, self.people))
        return f"{tag('span', attributes)}{name}</span>"

    def docs_link(self, link: DocsLink) -> str:
        url = link.url or ""
        href = safe_href(url)
        name = "a" if href is not None else "span"
        rel = REL if href is not None else None
        attributes = {"class": "okr-doc", "href": href, "rel": rel, INERT_DOC: url}
        return f"{tag(name, attributes)}{_text(link.title or '')}</{name}>"

    def paragraph(self, elements: Elements) -> str:
        if len(elements) == 1 and type(elements[0]) is TextRun:  # the common case
            text = self.runs(elements)  # type: ignore[arg-type]
            return text + "<br>" if elements[0].text.endswith("\n") else text
        parts = []
        runs: list[TextRun] = []  # the runs since the last other element
        for element in elements:
            if isinstance(element, TextRun):
                runs.append(element)
                continue
            if runs:
                parts.append(self.runs(runs))
                runs = []
            parts.append(INLINE_RULES[type(element)](self, element))
        if runs:
            parts.append(self.runs(runs))
        text = "".join(parts)
        # A block's last <br> shows no line, so an empty line or a final newline gets one more.
        last = elements[-1] if elements else None
        if last is None or (isinstance(last, TextRun) and last.text.endswith("\n")):
            text += "<br>"
        return text

    def image(self, image: Image) -> str:
        src = safe_href(image.src) if image.src is not None else None
        return tag("img", {**image_attributes(image, src), "alt": ""})

    # blocks

    def body(self, lines: list[Line]) -> str:
        """The fragment's blocks, one top-level block a line: the lines' list events
        (:func:`okrcontent.nesting.events`) written as they come, with no tree to build."""
        out: list[str] = []
        closing: list[str] = []  # the open lists' closing tags
        depth = 0  # open items
        for kind, content, arg, number in nesting.events(lines):
            if kind == nesting.OPEN_ITEM:
                depth += 1
                if content is None:
                    out.append('<li class="okr-skip" style="list-style-type:none">')
                elif arg is ListKind.CHECKBOX or arg is ListKind.CHECKED:
                    checked = " checked" if arg is ListKind.CHECKED else ""
                    box = f'<input type="checkbox" disabled{checked}>'
                    out.append(f'<li class="okr-task"{TEXT}>{box}{self.paragraph(content)}')
                else:
                    out.append(f"<li{TEXT}>{self.paragraph(content)}")
            elif kind == nesting.CLOSE_ITEM:
                depth -= 1
                out.append("</li>")
            elif kind == nesting.OPEN_LIST:
                out.append(f'<ol start="{number}">' if arg else "<ul>")
                closing.append("</ol>" if arg else "</ul>")
            elif kind == nesting.CLOSE_LIST:
                out.append(closing.pop() if depth else closing.pop() + "\n")
            elif kind == nesting.PLAIN:
                out.append(self.plain(content) + "\n")
            else:  # INDENTED, number levels deep
                out.append(self.indented(content, cast(int, number)) + ("" if depth else "\n"))
        return "".join(out)

    def plain(self, content: Payload) -> str:
        if isinstance(content, Gallery):
            images = "".join(self.image(image) for image in content.images)
            return f'<p class="okr-gallery">{images}</p>'
        return f"<p{TEXT}>{self.paragraph(content)}</p>"

    def indented(self, content: Elements, depth: int) -> str:
        style = f"white-space:pre-wrap;margin-left:{INDENT_EM * depth}em"
        attributes = {"class": "okr-indent", "data-okr-indent": str(depth), "style": style}
        return f"{tag('p', attributes)}{self.paragraph(content)}</p>"


INLINE_RULES: dict[type, Callable[[_Writer, Any], str]] = {
    Mention: _Writer.mention,
    DocsLink: _Writer.docs_link,
}
"""Non-text element -> its HTML (text runs are grouped by style, see :data:`MARKS`)."""
