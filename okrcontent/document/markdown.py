"""A document as Markdown: YAML front matter, then ATX headings over the writer's blocks.

Everything shown goes through :func:`okrcontent.to_markdown`, the frame's words included
(as one-line paragraphs), so it is escaped by the one escaping the library has. The
content of objectives, notes and records is the writer's output as it is: top-level
blocks, separated from the headings and from each other by blank lines, which close
every list, quote and HTML block, so that numbering and nesting show in cmark-gfm
(GitHub) and markdown-it alike. A heading is one line: the content's first line, with
line breaks read as spaces, and a ``#`` at its end escaped (ATX would drop it).
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import frontmatter
from ..model import Content, Element, Paragraph, TextRun, TextStyle
from ..people import People
from ..writers.markdown import to_markdown
from .outline import WORDS, Entry, Fact, Outline, Section, heading_people

__all__ = ["render"]

_BOLD = TextStyle(bold=True)
SEPARATOR = " · "


def render(outline: Outline, people: People) -> str:
    """The whole document."""
    blocks = [_heading(1, "", (TextRun(outline.title),), people)]
    if outline.facts:
        blocks.append(_facts(outline.facts))
    for section in outline.sections:
        _section(section, people, blocks)
    head = frontmatter.dump(outline.fields)
    return (head + "\n" if head else "") + "\n\n".join(block for block in blocks if block) + "\n"


def _line(elements: Sequence[Element], people: People) -> str:
    """One paragraph of inline Markdown."""
    return to_markdown(Content([Paragraph(elements)]), people=people).rstrip("\n")


def _heading(level: int, label: str, title: Sequence[Element], people: People) -> str:
    elements: list[Element] = [TextRun(f"{label} " if title else label)] if label else []
    text = _line([*elements, *title], heading_people(people))
    if text.endswith("#"):  # else the closing sequence of the heading
        text = text[:-1] + "\\#"
    return f"{'#' * level} {text}"


def _facts(facts: Sequence[Fact]) -> str:
    elements: list[Element] = []
    for fact in facts:
        if elements:
            elements.append(TextRun(SEPARATOR))
        elements += [TextRun(f"{fact.label} "), TextRun(fact.text, _BOLD)]
    return _line(elements, None)


def _content(content: Content, people: People) -> str:
    return to_markdown(content, people=people).rstrip("\n")


def _entry(entry: Entry, people: People, out: list[str]) -> None:
    out.append(_heading(entry.level, "", (TextRun(SEPARATOR.join(entry.head)),), None))
    content = entry.content
    out.append(
        _content(content, people) if content is not None else _line([TextRun(WORDS["empty"])], None)
    )


def _section(section: Section, people: People, out: list[str]) -> None:
    if section.heading:
        out.append(_heading(section.level, section.label, section.title, people))
    if section.facts:
        out.append(_facts(section.facts))
    if section.body is not None:
        out.append(_content(section.body, people))
    if section.notes is not None:
        out.append(_line([TextRun(WORDS["notes"], _BOLD)], None))
        out.append(_content(section.notes, people))
    for entry in section.progress:
        _entry(entry, people, out)
    for child in section.children:
        _section(child, people, out)
