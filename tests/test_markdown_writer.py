"""The Markdown writer as a viewer shows it: rendered by markdown-it-py's own HTML renderer,
every line shows its own number, at its own depth, with its text literally."""

from __future__ import annotations

import warnings
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import okrcontent
from okrcontent import (
    Content,
    DocsLink,
    ListStyle,
    LossWarning,
    Mention,
    Paragraph,
    ProgressRecord,
    TextRun,
    TextStyle,
    UnknownBlock,
    UnknownElement,
)

from .strategies import text

VIEWER = MarkdownIt("commonmark", {"html": True, "maxNesting": 100}).enable(
    ["strikethrough", "table"]
)
"""A CommonMark viewer, as GitHub and VS Code are: inline HTML shown, strikethrough on, and
no nesting cap below 16 list levels (the commonmark preset's cap of 20 shows only 10)."""


class _Shown(HTMLParser):
    """What a viewer shows: each list item's depth, number and own text, and paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[list[int]] = []  # open lists: [next number] for ol, [] for ul
        self.items: list[tuple[int, int | None, str]] = []
        self.paragraphs: list[str] = []
        self.current: list[str] | None = None
        self.after_br = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "ol":
            self.stack.append([int(dict(attrs).get("start") or 1)])
        elif tag == "ul":
            self.stack.append([])
        elif tag == "li":
            self._close()
            numbers = self.stack[-1]
            number = numbers[0] if numbers else None
            if numbers:
                numbers[0] += 1
            self.items.append((len(self.stack), number, ""))
            self.current = []
        elif tag == "p" and self.current is None:
            self.current = []
        elif tag == "br" and self.current is not None:
            self.current.append("\n")
            self.after_br = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ol", "ul"):
            self._close()
            self.stack.pop()
        elif tag in ("li", "p"):
            self._close()

    def handle_data(self, data: str) -> None:
        if self.after_br and data.startswith("\n"):
            data = data[1:]  # the renderer's own newline after <br />
        self.after_br = False
        if self.current is not None:
            self.current.append(data)

    def _close(self) -> None:
        if self.current is None:
            return
        shown = "".join(self.current)
        if self.items and self.items[-1][2] == "" and self.stack:
            depth, number, _ = self.items[-1]
            self.items[-1] = (
                depth,
                number,
                shown.strip("\n") if "\n" not in shown.strip("\n") else shown,
            )
        else:
            self.paragraphs.append(shown)
        self.current = None


def shown(markdown: str) -> _Shown:
    parser = _Shown()
    parser.feed(VIEWER.render(markdown))
    parser.close()
    return parser


def test_a_viewer_shows_every_number_at_its_depth() -> None:
    content = Content(
        [
            Paragraph(["one"], ListStyle("number", 1, 1)),
            Paragraph(["two"], ListStyle("number", 1, 2)),
            Paragraph(["two.one"], ListStyle("number", 2, 1)),
            Paragraph(["two.five"], ListStyle("number", 2, 5)),
            Paragraph(["bullet at three"], ListStyle("bullet", 4)),
            Paragraph(["seven"], ListStyle("number", 1, 7)),
            Paragraph(["restart"], ListStyle("number", 1, 1)),
            Paragraph(["nine"], ListStyle("number", 1, 9)),
        ]
    )
    items = [item for item in shown(okrcontent.to_markdown(content)).items if item[2]]
    assert items == [
        (1, 1, "one"),
        (1, 2, "two"),
        (2, 1, "two.one"),
        (2, 5, "two.five"),
        (4, None, "bullet at three"),
        (1, 7, "seven"),
        (1, 1, "restart"),
        (1, 9, "nine"),
    ]


levels = st.lists(
    st.tuples(
        st.sampled_from(["number", "bullet", "checkBox"]), st.integers(1, 16), st.integers(0, 30)
    ),
    min_size=1,
    max_size=12,
)


@given(levels)
def test_any_list_shows_its_numbers_and_depths(spec: list[tuple[str, int, int]]) -> None:
    content = Content(
        [
            Paragraph([f"line{i}"], ListStyle(kind, level, number if kind == "number" else None))
            for i, (kind, level, number) in enumerate(spec)
        ]
    )
    items = [item for item in shown(okrcontent.to_markdown(content)).items if item[2]]
    expected = []
    for i, (kind, level, number) in enumerate(spec):
        label = {"checkBox": "[ ] "}.get(kind, "") + f"line{i}"
        expected.append((level, number if kind == "number" else None, label))
    assert items == expected


@given(text)
def test_any_text_is_shown_literally(value: str) -> None:
    content = Content([Paragraph([TextRun("x" + value + "x")])])
    paragraphs = shown(okrcontent.to_markdown(content)).paragraphs
    assert paragraphs == ["x" + value.replace("\x00", "\ufffd") + "x"]


@given(text)
def test_any_text_is_shown_literally_at_the_edges_and_in_bold(value: str) -> None:
    content = Content([Paragraph([TextRun(value, TextStyle(strikethrough=True))])])
    if not value:
        return
    paragraphs = shown(okrcontent.to_markdown(content)).paragraphs
    assert paragraphs == [value.replace("\x00", "\ufffd")]


PEOPLE_CASES = [
    (None, "@ou_1"),
    ({"ou_1": "Alice"}, "@Alice"),
    ({"ou_2": "Bob"}, "@ou_1"),
    (lambda open_id: "Alice" if open_id == "ou_1" else None, "@Alice"),
    (lambda open_id: None, "@ou_1"),
]


@pytest.mark.parametrize(("people", "expected"), PEOPLE_CASES)
def test_mentions_show_a_name_and_keep_the_id(
    people: okrcontent.people.People, expected: str
) -> None:
    content = Content([Paragraph([Mention("ou_1")])])
    markdown = okrcontent.to_markdown(content, people=people)
    assert shown(markdown).paragraphs == [expected]
    assert okrcontent.from_markdown(markdown) == content


def test_a_failing_people_callable_is_a_clear_error() -> None:
    def broken(open_id: str) -> str:
        raise KeyError(open_id)

    with pytest.raises(okrcontent.PeopleError, match="people= failed for 'ou_1': KeyError"):
        okrcontent.to_markdown(Content([Paragraph([Mention("ou_1")])]), people=broken)


def test_doc_links_show_their_title() -> None:
    content = Content([Paragraph([DocsLink("https://x.feishu.cn/docx/1", "Q3 plan")])])
    html = VIEWER.render(okrcontent.to_markdown(content))
    assert '<a href="https://x.feishu.cn/docx/1" title="Feishu doc">Q3 plan</a>' in html


def test_unknown_types_are_reported_and_left_out() -> None:
    content = Content(
        [
            UnknownBlock("table", {"type": "table"}),
            Paragraph(["a", UnknownElement("sticker", {"type": "sticker"})]),
        ]
    )
    with pytest.warns(LossWarning) as caught:
        assert okrcontent.to_markdown(content) == "a\n"
    assert [str(w.message) for w in caught] == [
        "blocks[0] (table): unknown type, left out of Markdown",
        "blocks[1].paragraph.elements[1] (sticker): unknown type, left out of Markdown",
    ]


def test_records_are_written_as_their_content() -> None:
    record = ProgressRecord(content=Content(["hello"]))
    assert okrcontent.to_markdown(record) == "hello\n"
    assert okrcontent.to_markdown(ProgressRecord()) == ""


def test_output_is_deterministic_and_ends_with_one_newline() -> None:
    content = Content([Paragraph(["a"], ListStyle("bullet")), Paragraph(["b "])])
    first = okrcontent.to_markdown(content)
    assert first == okrcontent.to_markdown(content)
    assert first.endswith("\n")
    assert not first.endswith("\n\n")
    assert all(line == line.rstrip(" ") for line in first.splitlines())


def test_wrong_input_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="expected Content or ProgressRecord"):
        okrcontent.to_markdown("text")  # type: ignore[arg-type]


def test_no_warning_for_ordinary_content() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        okrcontent.to_markdown(Content([Paragraph([TextRun("x", TextStyle(bold=True))])]))
