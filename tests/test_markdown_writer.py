"""The Markdown writer as a viewer shows it: rendered by markdown-it-py's own HTML renderer,
every line shows its own number, at its own depth, with its text literally."""

from __future__ import annotations

import typing
import warnings
from html.parser import HTMLParser

import cmarkgfm
import cmarkgfm.cmark
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

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
from .xss import active_parts, content_vectors

CONTENT_VECTORS = content_vectors()

VIEWER = MarkdownIt("commonmark", {"html": True, "maxNesting": 100}).enable(
    ["strikethrough", "table"]
)
"""A CommonMark viewer, as GitHub and VS Code are: inline HTML shown, strikethrough on, and
no nesting cap below 16 list levels (the commonmark preset's cap of 20 shows only 10)."""

GFM_OPTIONS = cmarkgfm.cmark.Options.CMARK_OPT_UNSAFE
"""GitHub's renderer with its extensions (tables, strikethrough, autolinks, task lists);
raw HTML shown, as GitHub shows the tags this writer uses."""


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


def shown(markdown: str, github: bool = False) -> _Shown:
    """What markdown-it-py shows (``github``: cmark-gfm, as GitHub does)."""
    parser = _Shown()
    if github:
        parser.feed(cmarkgfm.github_flavored_markdown_to_html(markdown, GFM_OPTIONS))
    else:
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


def canonical_text(content: Content) -> str:
    """The text of a one-paragraph content, in canonical form (what a viewer must show)."""
    (paragraph,) = okrcontent.normalize(content).blocks
    assert isinstance(paragraph, Paragraph)
    return "".join(e.text for e in paragraph.elements if isinstance(e, TextRun))


@given(text)
@example("\n\x1f")  # no reference for a control character: it would show as U+FFFD
def test_any_text_is_shown_literally(value: str) -> None:
    content = Content([Paragraph([TextRun("x" + value + "x")])])
    markdown = okrcontent.to_markdown(content)
    assert shown(markdown).paragraphs == [canonical_text(content)]
    assert shown(markdown, github=True).paragraphs == [canonical_text(content)]


@given(text)
def test_any_text_is_shown_literally_at_the_edges_and_in_strike(value: str) -> None:
    content = Content([Paragraph([TextRun(value, TextStyle(strikethrough=True))])])
    if not canonical_text(content):
        return
    markdown = okrcontent.to_markdown(content)
    assert shown(markdown).paragraphs == [canonical_text(content)]
    assert shown(markdown, github=True).paragraphs == [canonical_text(content)]


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


RECORD = okrcontent.load_record(
    {
        "progress_id": "7046518160811425812",
        "modify_time": "1728928800000",
        "progress_rate": {"percent": 12.5, "status": 1},
        "content": {"blocks": [{"type": "paragraph", "paragraph": {"elements": [
            {"type": "textRun", "textRun": {"text": "Shipped", "style": {"bold": True}}}
        ]}}]},
    }
)  # fmt: skip


def test_a_records_metadata_is_front_matter_then_a_blank_line() -> None:
    assert okrcontent.to_markdown(RECORD) == (
        "---\n"
        'progress_id: "7046518160811425812"\n'
        "modified: 2024-10-14T18:00:00.000Z\n"
        "percent: 12.5\n"
        "status: at_risk\n"
        "---\n"
        "\n"
        "**Shipped**\n"
    )
    assert okrcontent.to_markdown(ProgressRecord("7")) == '---\nprogress_id: "7"\n---\n'


def test_metadata_left_out_is_reported() -> None:
    with pytest.warns(LossWarning) as caught:
        assert okrcontent.to_markdown(RECORD, metadata=False) == "**Shipped**\n"
    (warning,) = caught
    assert str(warning.message) == (
        "the record's metadata (progress_id, modified, percent, status) left out of Markdown"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # content has none to leave out
        okrcontent.to_markdown(Content(["x"]), metadata=False)


def test_the_front_matter_is_no_content_to_viewers_that_know_it_and_keeps_the_body_apart() -> None:
    """markdown-it with the front_matter rule (as Obsidian, VS Code and GitHub's file view)
    shows the content alone; cmark-gfm, which has no such rule, shows a rule and a heading of
    the fields, then the content as it shows it alone (the blank line keeps them apart)."""
    markdown = okrcontent.to_markdown(RECORD)
    alone = okrcontent.to_markdown(RECORD.content or Content())
    with_rule = MarkdownIt("commonmark").use(front_matter_plugin)
    assert with_rule.render(markdown).lstrip("\n") == with_rule.render(alone)
    github = cmarkgfm.github_flavored_markdown_to_html(markdown, GFM_OPTIONS)
    assert github.startswith("<hr />\n<h2>progress_id:")
    assert github.endswith(cmarkgfm.github_flavored_markdown_to_html(alone, GFM_OPTIONS))


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


# --- GitHub (cmark-gfm, CommonMark 0.29) and markdown-it-py (0.31) show the same thing -------


class _Marked(HTMLParser):
    """Rendered HTML as (text, marks) segments: which text is strong, struck or linked."""

    MARKS: typing.ClassVar[dict[str, str]] = {
        "strong": "strong",
        "b": "strong",
        "del": "del",
        "s": "del",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.segments: list[tuple[str, frozenset[str]]] = []
        self.after_br = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.MARKS:
            self.open.append(self.MARKS[tag])
        elif tag == "a":
            self.open.append(f"a {dict(attrs).get('href')}")
        elif tag == "br":
            self.add("\n")
            self.after_br = True

    def handle_endtag(self, tag: str) -> None:
        mark = self.MARKS.get(tag, "a " if tag == "a" else None)
        if mark is not None:
            for index in range(len(self.open) - 1, -1, -1):
                if self.open[index].startswith(mark):
                    del self.open[index]
                    break

    def handle_data(self, data: str) -> None:
        if self.after_br and data.startswith("\n"):
            data = data[1:]
        self.after_br = False
        self.add(data)

    def add(self, text: str) -> None:
        marks = frozenset(self.open)
        if self.segments and self.segments[-1][1] == marks:
            self.segments[-1] = (self.segments[-1][0] + text, marks)
        elif text:
            self.segments.append((text, marks))


def marked(html: str) -> list[tuple[str, frozenset[str]]]:
    parser = _Marked()
    parser.feed(html.removeprefix("<p>").removesuffix("</p>\n"))
    parser.close()
    return parser.segments


def expected_marks(content: Content) -> list[tuple[str, frozenset[str]]]:
    """What a viewer must show for a one-paragraph content: its canonical runs' marks."""
    (paragraph,) = okrcontent.normalize(content).blocks
    assert isinstance(paragraph, Paragraph)
    segments: list[tuple[str, frozenset[str]]] = []
    for element in paragraph.elements:
        marks: set[str] = set()
        if isinstance(element, TextRun):
            text, style = element.text, element.style
            if style is not None:
                marks |= {"strong"} if style.bold else set()
                marks |= {"del"} if style.strikethrough else set()
                if style.link is not None and style.link.url:
                    marks.add(f"a {style.link.url}")
        elif isinstance(element, DocsLink):
            text = element.title or ""
            marks.add(f"a {element.url}")
        else:
            assert isinstance(element, Mention)
            text = "@" + (element.open_id or "")
        if segments and segments[-1][1] == marks:
            segments[-1] = (segments[-1][0] + text, frozenset(marks))
        elif text:
            segments.append((text, frozenset(marks)))
    return segments


BOUNDARY_TEXT = [
    "（完成）",
    "完成：",
    "「重点」",
    "。",
    "，",
    "✅",
    "🚀",
    "👍🏽",
    "¥",
    "+",
    "$",
    "→",
    "(",
    ")",
    "!",
    ".",
    ":",
    "-",
    "_",
    "*",
    "~",
    "|",
    " ",
    "done",
    "完成",
    "שלום",
    "Ünïcode",
    "3.5",
    "snake_case",
    "a|b",
    "https://example.com/a_b?x=1&y=2",
    "www.example.com",
    "http://x.test",
    "\n",
]
"""Text that sits next to style boundaries in real records: CJK and ASCII punctuation,
emoji and other symbols (punctuation in CommonMark 0.31, not in 0.29), mixed scripts,
URLs and GFM's autolinks."""

STYLES = [
    None,
    TextStyle(bold=True),
    TextStyle(strikethrough=True),
    TextStyle(bold=True, strikethrough=True),
    TextStyle(link=okrcontent.Link("https://example.com/x")),
    TextStyle(bold=True, link=okrcontent.Link("https://example.com/y")),
    TextStyle(text_color=okrcontent.Color(245, 74, 69, 1.0), bold=True),
]

boundary_runs = st.lists(
    st.builds(
        TextRun,
        st.lists(st.sampled_from(BOUNDARY_TEXT), min_size=1, max_size=3).map("".join),
        st.sampled_from(STYLES),
    ),
    min_size=1,
    max_size=6,
)


@given(boundary_runs)
@example([TextRun("✅"), TextRun("（完成）", TextStyle(bold=True))])  # issue 15
@example([TextRun("完成：", TextStyle(bold=True)), TextRun("✅")])
@example([TextRun("_*_")])  # a run of mixed delimiters is two runs
@example(
    [TextRun("（完成）", TextStyle(bold=True)), TextRun("完成：", TextStyle(strikethrough=True))]
)
@example([TextRun("*", TextStyle(bold=True)), TextRun("✅")])
@example([TextRun("*", TextStyle(bold=True)), TextRun("完成：", TextStyle(strikethrough=True))])
@example(
    [
        TextRun("（完成）", TextStyle(bold=True, strikethrough=True)),
        TextRun("完成：", TextStyle(strikethrough=True)),
    ]
)
def test_github_and_markdown_it_show_the_same_styles(runs: list[TextRun]) -> None:
    content = Content([Paragraph(runs)])
    if not expected_marks(content):
        return
    markdown = okrcontent.to_markdown(content)
    github = marked(cmarkgfm.github_flavored_markdown_to_html(markdown, GFM_OPTIONS))
    assert github == expected_marks(content), markdown
    assert marked(VIEWER.render(markdown)) == expected_marks(content), markdown


# --- nothing active, whichever renderer shows the Markdown -----------------------------------

RENDERERS: dict[str, typing.Callable[[str], str]] = {
    "markdown-it": VIEWER.render,
    "cmark-gfm": lambda markdown: cmarkgfm.github_flavored_markdown_to_html(markdown, GFM_OPTIONS),
}


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
@pytest.mark.parametrize(
    ("name", "content", "people"), CONTENT_VECTORS, ids=[v[0] for v in CONTENT_VECTORS]
)
def test_no_vector_becomes_active_in_any_renderer(
    renderer: str, name: str, content: Content, people: typing.Any
) -> None:
    """Every XSS vector through the Markdown writer, rendered with raw HTML allowed: no
    script, handler or active unsafe URL (cmark-gfm once decoded ``\\&colon;`` in a link)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LossWarning)
        markdown = okrcontent.to_markdown(content, people=people)
    assert active_parts(RENDERERS[renderer](markdown), frozenset({"title", "alt"})) == []
