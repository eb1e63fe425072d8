"""Plain text both ways: the structure round trip, text people write, unicode, escapes."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import example, given

import okrcontent
from okrcontent import Content, DocsLink, Gallery, Paragraph, TextRun

from .outline import FIXTURES, outline, read_fixture_file
from .strategies import contents

READ = read_fixture_file(FIXTURES / "text" / "read.txt")


@pytest.mark.parametrize(("line", "title", "source", "expected"), READ, ids=[c[1] for c in READ])
def test_read(line: int, title: str, source: str, expected: str) -> None:
    assert okrcontent.from_text(source) == outline(expected)


def _structure(content: Content) -> list[object]:
    shape: list[object] = []
    for block in content.blocks:
        if isinstance(block, Gallery):
            shape.append(("gallery", len(block.images)))
        elif isinstance(block, Paragraph):
            style = block.list_style
            shape.append(None if style is None else (style.kind, style.level, style.number))
    return shape


def _text(block: object) -> str:
    assert isinstance(block, Paragraph)
    return "".join(e.text for e in block.elements if isinstance(e, TextRun))


@given(contents())
@example(Content([Paragraph([DocsLink(None, " ")])]))  # a title of spaces, ending the line
def test_structure_round_trip(content: Content) -> None:
    """Block kinds, list kinds, levels and numbers come back; so does the text as written."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        text = okrcontent.to_text(content)
    back = okrcontent.from_text(text)
    assert _structure(back) == _structure(okrcontent.normalize(content))
    assert okrcontent.to_text(back) == text  # and writing it again changes nothing


@given(
    contents(unknown=False).map(
        lambda c: Content(
            [
                Paragraph([TextRun(_text(b))], b.style) if isinstance(b, Paragraph) else b
                for b in okrcontent.normalize(c).blocks
            ]
        )
    )
)
def test_every_character_of_plain_runs_comes_back(content: Content) -> None:
    back = okrcontent.from_text(okrcontent.to_text(content))
    expected = okrcontent.normalize(content)
    for got, want in zip(back.blocks, expected.blocks, strict=True):
        if isinstance(want, Paragraph):
            assert _text(got) == _text(want)


def test_writer_notation() -> None:
    content = outline(
        "\n".join(
            [
                '["", "plain ", {"text": "docs", "link": "https://d.test"}, " and ", '
                '{"text": "https://u.test", "link": "https://u.test"}]',
                '["", {"mention": "ou_1"}, " read ", {"doc": "https://x/1", "title": "Q3"}]',
                '["number 1 #3", "three"]',
                '["checkbox 2", "todo"]',
                '["checked 2"]',
                '["indent 1", "note"]',
                '["", "- literal"]',
                '["gallery", {"token": "boxcn1"}, {"src": "https://i.test/x.png"}]',
            ]
        )
    )
    assert okrcontent.to_text(content, people={"ou_1": "Alice"}) == "\n".join(
        [
            "plain docs <https://d.test> and <https://u.test>",
            "@Alice read Q3 <https://x/1>",
            "3. three",
            "  [ ] todo",
            "  [x]",
            "  note",
            "\\- literal",
            "[image: boxcn1] [image: https://i.test/x.png]",
            "",
        ]
    )


def test_crlf_line_ends_read_like_lf() -> None:
    assert okrcontent.from_text("a\r\n- b\r\n") == okrcontent.from_text("a\n- b\n")


def test_control_characters_are_kept_and_line_breaks_escaped() -> None:
    text = "a\x00b\x0b\x1f\u2028c\r\nd"
    content = Content([Paragraph([text])])
    written = okrcontent.to_text(content)
    assert written.count("\n") == 1  # one line a block, whatever the text holds
    canonical = _text(okrcontent.normalize(content).blocks[0])
    assert canonical == "a\ufffdb\x0b\x1f\u2028c\nd"  # the CR ended a line: trimmed
    assert _text(okrcontent.from_text(written).blocks[0]) == canonical


def test_only_text_is_accepted() -> None:
    with pytest.raises(TypeError, match="takes a str"):
        okrcontent.from_text(b"bytes")  # type: ignore[arg-type]
