"""One content, every format's answer: ``tests/fixtures/cases/*.txt``.

Each case shows a content (outline notation, :mod:`tests.outline`) with its Markdown, HTML
fragment and plain text side by side, so a reader of the tests sees what every writer makes
of the same input. Every writer must give exactly that, and every reader must read it back:
the content itself for Markdown and HTML (``normalize(c)``), its structure for text.
"""

from __future__ import annotations

import pytest

import okrcontent
from okrcontent import Content, Gallery, Paragraph

from .outline import FIXTURES, outline, read_sections

PEOPLE = {"ou_1": "Alice"}

CASES = [
    case for path in sorted((FIXTURES / "cases").glob("*.txt")) for case in read_sections(path, 4)
]


def test_there_are_cases() -> None:
    assert len(CASES) >= 10


def _structure(content: Content) -> list[object]:
    return [
        ("gallery", len(b.images))
        if isinstance(b, Gallery)
        else (b.list_style.kind, b.list_style.level, b.list_style.number)
        if isinstance(b, Paragraph) and b.list_style
        else None
        for b in content.blocks
    ]


@pytest.mark.parametrize(("line", "title", "sections"), CASES, ids=[c[1] for c in CASES])
def test_every_format(line: int, title: str, sections: list[str]) -> None:
    source, markdown, html, text = sections
    content = outline(source)
    assert okrcontent.to_markdown(content, people=PEOPLE) == markdown + "\n"
    assert okrcontent.to_html(content, people=PEOPLE) == html + "\n"
    assert okrcontent.to_text(content, people=PEOPLE) == text + "\n"
    canonical = okrcontent.normalize(content)
    assert okrcontent.from_markdown(markdown) == canonical
    assert okrcontent.from_html(html) == canonical
    back = okrcontent.from_text(text + "\n")
    assert _structure(back) == _structure(canonical)
    assert okrcontent.to_text(back, people=PEOPLE) == text + "\n"
