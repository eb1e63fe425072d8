"""Content -> Markdown that ordinary viewers show as the record, and that reads back exactly.

Plain CommonMark/GFM wherever the content can be said in it: paragraphs, ``**bold**``,
``~~strike~~``, links, ``-``/``1.`` lists nested by indent level, ``- [ ]``/``- [x]`` tasks,
``indent`` lines as block quotes (``>`` once a level), ``![](src)`` images. Inline HTML only
where Markdown has no syntax:

- colours: ``<span style="color: rgba(...); background-color: rgba(...)">``;
- mentions: ``<span data-okr-mention="ou_..." data-okr-user="...">@Name</span>``;
- images with a file token or a size: ``<img src=... width=... height=... data-okr-token=...>``;
- bold or strike where ``**``/``~~`` would not work in every parser (punctuation or an emoji
  against a letter, as often in Chinese: CommonMark 0.29 and 0.31 disagree there):
  ``<strong>``/``<s>``;
- a link whose URL is not safe (:mod:`okrcontent.urls`): ``<span data-okr-href="...">``, so
  the URL is kept but nothing can follow it;
- an empty line: ``<br>``; an empty task: ``- [ ] <!-- -->`` (a box needs text after it);
  a list level the record skips: an item holding only ``<!-- okr:skip -->``.

Doc links are ordinary links titled ``"Feishu doc"`` (``[title](url "Feishu doc")``).
Ordered lists show the record's numbers: a list holds consecutive numbers only, and the next
list after it switches delimiter (``1.`` / ``1)``) so that CommonMark starts a new one.
Text is escaped only where a parser would otherwise read syntax
(:mod:`okrcontent.writers.markdown_escape`); whitespace at the start of a line is written as
character references, so nothing is trimmed (the canonical form has none at a line's end).

A record's metadata (:mod:`okrcontent.metadata`: its id, time, percent, status and the rest)
comes first, as YAML front matter, which GitHub shows as a table and Obsidian, Jekyll and Hugo
read; content alone has none, and a first line of its own that starts with ``---`` is escaped
(``\\---``), so that it is never taken for front matter.

The writer renders the canonical form of its input (:func:`okrcontent.normalize`: equal
content gives equal text) and warns (:class:`~okrcontent.LossWarning`) about block and
element types it cannot show, and about metadata left out (``metadata=False``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

import attrs

from .. import frontmatter, nesting
from ..css import style_attribute
from ..markup import DOC_LINK_TITLE, EMPTY_LINE, EMPTY_TASK, FILLER, INERT_DOC, INERT_HREF, tag
from ..model import (
    Content,
    DocsLink,
    Element,
    Gallery,
    Image,
    ListKind,
    Mention,
    ProgressRecord,
    TextRun,
)
from ..normalize import by_identity
from ..people import People, display_name
from ..urls import safe_href
from ._common import Payload, image_attributes, mark_values, marks, mention_attributes, prologue
from .markdown_escape import destination, escape, flanks, is_space

__all__ = ["MARKS", "escape", "to_markdown"]

Elements = tuple[Element, ...]

TASK_MARKERS = {ListKind.CHECKBOX: "[ ]", ListKind.CHECKED: "[x]"}


def to_markdown(
    content: Content | ProgressRecord, *, people: People = None, metadata: bool = True
) -> str:
    """Markdown for ``content``, or for a record: its metadata as YAML front matter (unless
    ``metadata`` is false), then its content; ``people`` names mentions."""
    document = prologue(content, "Markdown", metadata=metadata)
    out = _Writer(people).nodes(document.tree(), top=True)
    body = "\n".join(out) + "\n" if out else ""
    if document.fields:
        return frontmatter.dump(document.fields) + ("\n" + body if body else "")
    if body.startswith(frontmatter.DELIMITER):  # else a line of --- or ... after it ends a
        return "\\" + body  # front matter (escaped: "---x" reads as itself)
    return body


# --- marks: how a style wraps its text, outermost first --------------------------------------


@attrs.frozen
class _Mark:
    """How one style wraps text."""

    wrap: Callable[[Any, str, str, str], str]  # (value, inner, prev, next) -> text
    inner_edges: Callable[[Any, str, str], tuple[str, str]]  # (value, first, last) -> context
    outer_edges: tuple[str, str]  # what neighbours see (punctuation either way)


def _delimited(delimiter: str, name: str) -> _Mark:
    """``**``/``~~`` where it works in every parser, else ``<strong>``/``<s>``."""

    def wrap(value: Any, inner: str, prev: str, next_: str) -> str:
        if flanks(inner, prev, next_):
            return f"{delimiter}{inner}{delimiter}"
        return f"<{name}>{inner}</{name}>"

    def inner_edges(value: Any, first: str, last: str) -> tuple[str, str]:
        if is_space(first) or is_space(last):  # a delimiter cannot hold it: the tag will
            return (">", "<")
        return (delimiter, delimiter)

    return _Mark(wrap, inner_edges, (delimiter[0], delimiter[0]))


def _link(url: str, inner: str, prev: str, next_: str) -> str:
    href = safe_href(url)
    if href is None:
        return f"{tag('span', {INERT_HREF: url})}{inner}</span>"
    return f"[{inner}]({destination(href)})"


def _colors(colors: Any, inner: str, prev: str, next_: str) -> str:
    return f"{_span(colors)}{inner}</span>"


@by_identity
def _span(colors: Any) -> str:
    """The ``<span>`` that opens a run's colours, made once a value (the tuple that
    :func:`~okrcontent.writers._common.mark_values` keeps for a style: one object)."""
    return f'<span style="{style_attribute(*colors)}">'


MARKS: tuple[tuple[Callable[..., Hashable], _Mark], ...] = marks(
    {
        "link": _Mark(
            _link,
            lambda url, *_: ("[", "]") if safe_href(url) is not None else (">", "<"),
            ("[", ")"),
        ),
        "colors": _Mark(_colors, lambda *_: (">", "<"), ("<", ">")),
        "bold": _delimited("**", "strong"),
        "strike": _delimited("~~", "s"),
    }
)
"""The styles of a run (:data:`~okrcontent.writers._common.MARK_KEYS`), outermost first:
adjacent runs that share one are wrapped once."""


# --- the writer ------------------------------------------------------------------------------


class _Writer:
    """Renders a nesting tree; holds what every rule needs (the mention resolver)."""

    __slots__ = ("link", "people", "ticks")

    def __init__(self, people: People) -> None:
        self.people = people
        self.ticks = False  # does the paragraph being written hold two backticks or more?
        self.link = False  # is the text being written inside a link's text?

    # inline

    def escape(self, text: str, prev: str, next_: str) -> str:
        return escape(text, prev, next_, ticks=self.ticks, link=self.link)

    def runs(self, runs: Sequence[TextRun], depth: int, prev: str, next_: str) -> str:
        if len(runs) == 1:
            return self.run(runs[0], depth, prev, next_)
        return self.grouped(runs, [mark_values(run.style) for run in runs], depth, prev, next_)

    def grouped(
        self,
        runs: Sequence[TextRun],
        values: list[tuple[Hashable, ...]],
        depth: int,
        prev: str,
        next_: str,
    ) -> str:
        """:meth:`runs` with each run's mark values (worked out once, for every depth)."""
        while depth < len(MARKS):
            for run_values in values:
                if run_values[depth]:
                    break
            else:
                depth += 1  # no run has this mark: nothing to group by
                continue
            break
        if depth == len(MARKS):
            return self.escape("".join(run.text for run in runs), prev, next_)
        mark = MARKS[depth][1]
        # neighbours sharing the mark's value: (value, their runs, their values)
        groups: list[tuple[Hashable, list[TextRun], list[tuple[Hashable, ...]]]] = []
        for run, run_values in zip(runs, values, strict=True):
            value = run_values[depth]
            if groups and groups[-1][0] == value:
                groups[-1][1].append(run)
                groups[-1][2].append(run_values)
            else:
                groups.append((value, [run], [run_values]))
        out: list[str] = [""] * len(groups)
        last = len(groups) - 1
        # Neighbouring groups alternate between wrapped and not. First the unwrapped ones,
        # whose neighbours' edges are the wrappers' (punctuation); then the wrapped ones,
        # whose delimiters depend on the characters actually written beside them.
        for index, (value, group, group_values) in enumerate(groups):
            if not value:
                before = mark.outer_edges[1] if index > 0 else prev
                after = mark.outer_edges[0] if index < last else next_
                out[index] = self._group(group, group_values, depth + 1, before, after)
        for index, (value, group, group_values) in enumerate(groups):
            if value:
                before = out[index - 1][-1:] if index > 0 else prev
                after = out[index + 1][:1] if index < last else next_
                edges = mark.inner_edges(value, group[0].text[:1], group[-1].text[-1:])
                outer_link, self.link = self.link, self.link or edges[0] == "["
                inner = self._group(group, group_values, depth + 1, *edges)
                self.link = outer_link
                out[index] = mark.wrap(value, inner, before, after)
        return "".join(out)

    def _group(
        self,
        runs: list[TextRun],
        values: list[tuple[Hashable, ...]],
        depth: int,
        prev: str,
        next_: str,
    ) -> str:
        if len(runs) == 1:
            return self.run(runs[0], depth, prev, next_)
        return self.grouped(runs, values, depth, prev, next_)

    def run(self, run: TextRun, depth: int, prev: str, next_: str) -> str:
        """One run alone: :meth:`runs` without the grouping, for the common case."""
        link = self.link
        if run.style is None:  # (no style, no mark: the most common run)
            return escape(run.text, prev, next_, ticks=self.ticks, link=link)
        values = mark_values(run.style)
        if not any(values):
            return escape(run.text, prev, next_, ticks=self.ticks, link=link)
        wrappers = []
        for index in range(depth, len(MARKS)):
            value, mark = values[index], MARKS[index][1]
            if value:
                wrappers.append((mark, value, prev, next_))
                prev, next_ = mark.inner_edges(value, run.text[:1], run.text[-1:])
                link = link or prev == "["
        text = escape(run.text, prev, next_, ticks=self.ticks, link=link)
        for mark, value, before, after in reversed(wrappers):
            text = mark.wrap(value, text, before, after)
        return text

    def mention(self, mention: Mention) -> str:
        name = self.escape("@" + display_name(mention, self.people), ">", "<")
        return f"{tag('span', mention_attributes(mention))}{name}</span>"

    def docs_link(self, link: DocsLink) -> str:
        title = self.escape(link.title or "", "[", "]")
        url = link.url or ""
        href = safe_href(url)
        if href is None:
            return f"{tag('span', {INERT_DOC: url})}{title}</span>"
        return f'[{title}]({destination(href)} "{DOC_LINK_TITLE}")'

    def paragraph(self, elements: Elements) -> str:
        """The inline text of a paragraph: runs grouped by style, other elements atomic."""
        self.ticks = _backticks(elements, self.people) > 1
        if len(elements) == 1 and type(elements[0]) is TextRun:  # the common case
            return self.run(elements[0], 0, "", "")
        for element in elements:
            if type(element) is not TextRun:
                break
        else:  # runs only (most paragraphs): no grouping
            return self.runs(elements, 0, "", "")  # type: ignore[arg-type]
        parts: list[tuple[bool, Any]] = []  # (is a group of runs, its runs or its text)
        runs: list[TextRun] = []  # the runs since the last other element
        for element in elements:
            if isinstance(element, TextRun):
                runs.append(element)
                continue
            if runs:
                parts.append((True, runs))
                runs = []
            parts.append((False, INLINE_RULES[type(element)](self, element)))
        if runs:
            parts.append((True, runs))
        out = []
        for index, (is_run, part) in enumerate(parts):
            if is_run:
                prev = parts[index - 1][1][-1:] if index else ""
                next_ = parts[index + 1][1][:1] if index + 1 < len(parts) else ""
                part = self.runs(part, 0, prev, next_)
            out.append(part)
        return "".join(out)

    def gallery(self, gallery: Gallery) -> str:
        return " ".join(self.image(image) for image in gallery.images)

    def image(self, image: Image) -> str:
        src = safe_href(image.src) if image.src is not None else None
        if (
            src is not None
            and image.file_token is None
            and image.width is None
            and image.height is None
        ):
            return f"![]({destination(src)})"
        return tag("img", image_attributes(image, src))

    def content(self, block: Payload) -> str:
        return self.gallery(block) if isinstance(block, Gallery) else self.paragraph(block)

    # blocks

    def plain(self, node: nesting.Plain[Payload]) -> list[str]:
        return (self.content(node.content) or EMPTY_LINE).split("\n")

    def indented(self, node: nesting.Indented[Elements]) -> list[str]:
        quote = "> " * node.depth
        lines = (self.paragraph(node.content) or EMPTY_LINE).split("\n")
        return [quote + line for line in lines]

    def list_block(self, node: nesting.ListBlock[Elements], delimiter: str) -> list[str]:
        lines: list[str] = []
        for item in node.items:
            marker = f"{item.number}{delimiter} " if node.ordered else "- "
            pad = " " * len(marker)
            if item.content is None:
                text = FILLER
            else:
                text = self.paragraph(item.content)
                task = TASK_MARKERS.get(item.kind)
                if task is not None:
                    text = f"{task} {text or EMPTY_TASK}"
            if "\n" in text:
                first, *rest = text.split("\n")
                lines.append(marker + first if first else marker.rstrip())
                lines.extend(pad + line for line in rest)
            else:  # (most items: one line, and nothing nested)
                lines.append(marker + text if text else marker.rstrip())
            if item.children:
                children = self.nodes(item.children, top=False, after_text=bool(text))
                lines.extend(pad + line if line else "" for line in children)
        return lines

    def nodes(
        self, nodes: Sequence[nesting.Node[Any]], *, top: bool, after_text: bool = False
    ) -> list[str]:
        """Blocks of one container: the document (``top``) or a list item."""
        out: list[str] = []
        previous: nesting.Node[Any] | None = None
        delimiter = "."
        for node in nodes:
            if isinstance(node, nesting.ListBlock):
                if node.ordered and isinstance(previous, nesting.ListBlock) and previous.ordered:
                    delimiter = ")" if delimiter == "." else "."  # a new list, not a continuation
                lines = self.list_block(node, delimiter)
            else:
                lines = NODE_RULES[type(node)](self, node)
            if top and out:
                out.append("")
            elif not top and (out or after_text):
                out.extend(self._separator(previous, node))
            out.extend(lines)
            previous = node
        return out

    def _separator(self, previous: nesting.Node[Any] | None, node: nesting.Node[Any]) -> list[str]:
        """What keeps two blocks inside an item apart without loosening the list."""
        if isinstance(node, nesting.Indented) and isinstance(previous, nesting.Indented):
            return [">" * min(node.depth, previous.depth)]  # else the quotes merge
        if isinstance(node, nesting.ListBlock) and not _can_interrupt(node):
            return [""]  # else it would read as the text before it, continued
        return []


def _can_interrupt(node: nesting.ListBlock[Any]) -> bool:
    """Can this list start right after a paragraph line (CommonMark's rule)?"""
    first = node.items[0]
    if node.ordered and first.number != 1:
        return False
    return first.content is None or first.kind in TASK_MARKERS or bool(first.content)


def _backticks(elements: Sequence[Element], people: People) -> int:
    """How many backticks the paragraph's text could write (two make a code span)."""
    count = 0
    for element in elements:
        if isinstance(element, TextRun):
            count += element.text.count("`")
            if element.style is not None and element.style.link is not None:
                count += (element.style.link.url or "").count("`")
        elif isinstance(element, DocsLink):
            count += (element.title or "").count("`") + (element.url or "").count("`")
        elif isinstance(element, Mention):
            count += display_name(element, people).count("`")
    return count


INLINE_RULES: dict[type, Callable[[_Writer, Any], str]] = {
    Mention: _Writer.mention,
    DocsLink: _Writer.docs_link,
}
"""Non-text element -> its Markdown (text runs are grouped by style, see :data:`MARKS`)."""

NODE_RULES: dict[type, Callable[[_Writer, Any], list[str]]] = {
    nesting.Plain: _Writer.plain,
    nesting.Indented: _Writer.indented,
}
"""Tree node -> its lines (lists are :meth:`_Writer.list_block`, which needs a delimiter)."""
