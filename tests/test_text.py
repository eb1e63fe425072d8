"""Plain text both ways: the structure round trip, text people write, unicode, escapes."""

from __future__ import annotations

import warnings

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import okrcontent
from okrcontent import Content, DocsLink, Element, Gallery, Link, Paragraph, TextRun, TextStyle

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


def _without_links(content: Content) -> Content:
    """The content with its links as plain text (their round trip is tested on its own)."""

    def plain(element: Element) -> Element:
        if isinstance(element, DocsLink):
            return TextRun(element.title or "")
        if isinstance(element, TextRun) and element.style is not None:
            return TextRun(element.text, attrs.evolve(element.style, link=None))
        return element

    return Content(
        [
            Paragraph([plain(e) for e in b.elements], b.style) if isinstance(b, Paragraph) else b
            for b in content.blocks
        ]
    )


@given(contents())
@example(Content([Paragraph([DocsLink(None, " ")])]))  # a title of spaces, ending the line
def test_structure_round_trip(content: Content) -> None:
    """Block kinds, list kinds, levels and numbers come back."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        text = okrcontent.to_text(content)
    back = okrcontent.from_text(text)
    assert _structure(back) == _structure(okrcontent.normalize(content))


@given(contents().map(_without_links))
def test_writing_what_was_read_changes_nothing(content: Content) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        text = okrcontent.to_text(content)
    assert okrcontent.to_text(okrcontent.from_text(text)) == text


WORDS = st.text(st.characters(blacklist_characters="<\\", blacklist_categories=["Cs"]), max_size=8)
LINKED = st.one_of(
    st.builds(
        lambda text, url: TextRun(text, TextStyle(link=Link(url))),
        WORDS.filter(lambda t: t.strip() != "" and "://" not in t),  # (never its own URL)
        st.from_regex(r"https?://[a-z]{1,8}\.test/[a-z0-9/?=&]{0,8}", fullmatch=True),
    ),
    st.builds(
        DocsLink,
        st.from_regex(r"https://[a-z]{1,8}\.feishu\.cn/docx/[a-z0-9]{1,8}", fullmatch=True),
        WORDS.filter(lambda t: t.strip() != ""),
    ),
)


@given(st.lists(st.lists(st.one_of(WORDS.map(TextRun), LINKED), max_size=5), max_size=4))
def test_links_read_back_without_adding_a_character(lines: list[list[TextRun | DocsLink]]) -> None:
    """``text <url>`` reads back as linked text: the characters are the content's (a link's
    text or a doc link's title), and the URLs come back in order. (For links to absolute
    URLs whose text is not the URL; see the reader's docstring for the rest.)"""
    content = okrcontent.normalize(Content([Paragraph(elements) for elements in lines]))
    back = okrcontent.from_text(okrcontent.to_text(content))

    def shown(block: object) -> tuple[str, list[str]]:
        assert isinstance(block, Paragraph)
        text, urls = "", list[str]()
        for element in block.elements:
            if isinstance(element, DocsLink):
                text, urls = text + (element.title or ""), [*urls, element.url or ""]
            elif isinstance(element, TextRun):
                text += element.text
                if element.style is not None and element.style.link is not None:
                    urls.append(element.style.link.url or "")
        return text, [u for i, u in enumerate(urls) if i == 0 or urls[i - 1] != u]

    assert [shown(b) for b in back.blocks] == [shown(b) for b in content.blocks]


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


def test_a_record_opens_with_its_header_and_reads_back() -> None:
    record = okrcontent.load_record(
        {"progress_id": "7", "progress_rate": {"status": 2}, "content": {"blocks": []}}
    )
    assert okrcontent.to_text(record) == '---\nprogress_id: "7"\nstatus: delayed\n---\n'
    record = attrs.evolve(record, content=Content([Paragraph(), "after an empty line"]))
    text = okrcontent.to_text(record)
    assert text == '---\nprogress_id: "7"\nstatus: delayed\n---\n\n\nafter an empty line\n'
    assert okrcontent.record_from_text(text) == record
    with pytest.warns(okrcontent.LossWarning, match="the header left aside"):
        assert okrcontent.from_text(text) == record.content
    with pytest.warns(okrcontent.LossWarning, match=r"\(progress_id, status\) left out of text"):
        assert okrcontent.to_text(record, metadata=False) == "\nafter an empty line\n"


def test_a_first_line_that_looks_like_a_header_is_escaped() -> None:
    content = Content(["--- x", "---"])
    assert okrcontent.to_text(content) == "\\--- x\n---\n"
    assert okrcontent.from_text(okrcontent.to_text(content)) == content
