"""The Markdown reader: losses reported, hostile input survived."""

from __future__ import annotations

import warnings

import pytest
from markdown_it import MarkdownIt

import okrcontent
from okrcontent import Content, ListStyle, LossWarning, Paragraph, TextRun
from okrcontent.readers.markdown import MAX_NESTING

from . import timing


def _losses(markdown: str) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        okrcontent.from_markdown(markdown)
    return [str(w.message) for w in caught if issubclass(w.category, LossWarning)]


@pytest.mark.parametrize(
    ("markdown", "loss"),
    [
        ("*italic*", "italic read as plain text (the format has no italic)"),
        ("<i>italic</i>", "italic read as plain text (the format has no italic)"),
        ("# Title", "headings read as bold paragraphs"),
        ("`code`", "code formatting read as plain text"),
        ("x <kbd>K</kbd>", "code formatting read as plain text"),
        ("    code", "code blocks read as plain lines"),
        ("a\n\n---\n\nb", "thematic breaks left out"),
        ("|a|\n|-|\n|b|", "tables read as text lines, cells joined by ' | '"),
        ("<div>raw</div>", "raw HTML blocks read as their text"),
        ("x <blink>K</blink>", "HTML <blink> read as its text"),
        ("a ![](x.png) b", "images inside text moved to a line of their own"),
        ("![a chart](x.png)", "image alt text left out (a gallery image has none)"),
        ('![](x.png "a title")', "image alt text left out (a gallery image has none)"),
        ('[a](https://x.test "a title")', "link titles left out (a link has none)"),
        ('<img src="x.png" alt="a chart">', "image alt text left out (a gallery image has none)"),
        ("999999999. a\n1. b", "list numbers past 999999999 started again at 1"),
    ],
)
def test_what_the_format_cannot_hold_is_reported(markdown: str, loss: str) -> None:
    assert _losses(markdown) == [loss]


@pytest.mark.parametrize("markdown", ["0. a\n1. b", "999999999. a", "999999998. a\n1. b"])
def test_numbers_the_format_holds_are_no_loss(markdown: str) -> None:
    assert _losses(markdown) == []


def test_each_loss_is_reported_once_per_call() -> None:
    assert _losses("*a* *b* *c*") == ["italic read as plain text (the format has no italic)"]


def test_what_the_writer_emits_reads_without_a_warning() -> None:
    content = okrcontent.load_content(
        {
            "blocks": [
                {
                    "type": "paragraph",
                    "paragraph": {
                        "elements": [
                            {
                                "type": "textRun",
                                "textRun": {
                                    "text": "x",
                                    "style": {
                                        "bold": True,
                                        "textColor": {
                                            "red": 1,
                                            "green": 2,
                                            "blue": 3,
                                            "alpha": 0.5,
                                        },
                                    },
                                },
                            }
                        ]
                    },
                }
            ]
        }
    )
    assert _losses(okrcontent.to_markdown(content)) == []


def test_sixteen_list_levels_read_back() -> None:
    markdown = "".join("  " * level + "- level\n" for level in range(16))
    lines = okrcontent.from_markdown(markdown).blocks
    assert [b.list_style.level for b in lines if isinstance(b, Paragraph) and b.list_style] == list(
        range(1, 17)
    )


def test_deeper_lists_are_kept_at_level_16_and_reported() -> None:
    markdown = "".join("  " * level + f"- {level + 1}\n" for level in range(20))
    with pytest.warns(LossWarning, match="deeper than 16 levels"):
        content = okrcontent.from_markdown(markdown)
    assert [b.elements[0] for b in content.blocks if isinstance(b, Paragraph)] == [
        TextRun(str(n)) for n in range(1, 21)
    ]
    styles = [b.list_style for b in content.blocks if isinstance(b, Paragraph)]
    assert [s.level for s in styles if s] == [*range(1, 17), 16, 16, 16, 16]


def test_nesting_past_the_parser_cap_is_kept_as_text() -> None:
    markdown = ">" * (MAX_NESTING + 20) + " deep text"
    assert _losses(markdown) == [
        "Markdown nested deeper than the parser follows kept as text",
        "nesting deeper than 16 levels kept at level 16",
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LossWarning)
        content = okrcontent.from_markdown(markdown)
    texts = [
        e.text
        for b in content.blocks
        if isinstance(b, Paragraph)
        for e in b.elements
        if isinstance(e, TextRun)
    ]
    assert any("deep text" in t for t in texts)


HOSTILE = {
    "brackets": lambda n: "[" * n,
    "stars": lambda n: "*" * n + "a",
    "quotes": lambda n: "> " * (n // 2) + "a",
    "bullets": lambda n: "- " * (n // 2) + "a",
    "spans": lambda n: "<span>" * (n // 6),
    "images": lambda n: "![" * (n // 2),
    "breaks": lambda n: "a\\\n" * (n // 3),
    "numbers": lambda n: "1. " * (n // 3),
    "colour spans": lambda n: '<span style="color:red">x</span> ' * (n // 33),
    "soft-wrapped paragraph": lambda n: "word word\n" * (n // 10),
    "schemes": lambda n: "x:// " * (n // 5),
    "bare URLs": lambda n: "(https://a.test/x) " * (n // 19),
}
"""Shapes that make Markdown parsers hang, recurse or go quadratic: size -> input."""

_BARE = MarkdownIt("commonmark", {"html": True}).enable(["strikethrough", "table"])


def _read_quietly(markdown: str) -> Content:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LossWarning)
        return okrcontent.from_markdown(markdown)


SLOW_IN_MARKDOWN_IT = {"brackets", "images"}
"""Shapes markdown-it-py itself takes 10-30 us a character for (linearly): tested smaller."""


@pytest.mark.parametrize("shape", HOSTILE, ids=list(HOSTILE))
def test_hostile_input_costs_about_what_markdown_it_does(shape: str) -> None:
    """Against markdown-it-py's own parse of the same input (100,000 characters, 20,000
    for the shapes it is slow on): a hang, deep recursion or a quadratic path of our own
    shows as a large ratio."""
    markdown = HOSTILE[shape](20_000 if shape in SLOW_IN_MARKDOWN_IT else 100_000)
    timing.assert_near(
        lambda: _read_quietly(markdown), lambda: _BARE.parse(markdown), bound=8, label=shape
    )


LINEAR = {
    "colour spans": 25_000,
    "soft-wrapped paragraph": 25_000,
    "breaks": 25_000,
    "spans": 25_000,
    "schemes": 25_000,
    "closers across open tags": 5_000,
}
"""Shape -> the size its growth is measured from (x4)."""

GROWTH_ONLY = {
    "closers across open tags": lambda n: (
        "<b>" * (n // 14) + "<i>" * (n // 14) + "</b>" * (n // 14)
    ),
}
"""Shapes only our reader could make slow (markdown-it reads their tags as tokens, cheaply)."""


@pytest.mark.parametrize("shape", LINEAR, ids=list(LINEAR))
def test_hostile_input_grows_linearly(shape: str) -> None:
    """A quadratic path shows as 4 over 4x the input (markdown-it's own linkify rule, which
    looked back through all pending text at every ``://``, showed 4.2 on "schemes")."""
    timing.assert_linear(_read_quietly, GROWTH_ONLY.get(shape) or HOSTILE[shape], LINEAR[shape])


def test_only_text_is_accepted() -> None:
    with pytest.raises(TypeError, match="takes a str"):
        okrcontent.from_markdown(b"bytes")  # type: ignore[arg-type]


def test_empty_input_is_empty_content() -> None:
    assert okrcontent.from_markdown("") == Content()
    assert okrcontent.from_markdown("\n\n  \n") == Content()


def test_stray_closing_tags_do_not_undo_open_ones() -> None:
    content = okrcontent.from_markdown("<b>bold</i> still bold</b> plain")
    assert content == Content(
        [
            Paragraph(
                [TextRun("bold still bold", okrcontent.TextStyle(bold=True)), TextRun(" plain")]
            )
        ]
    )


def test_a_filler_outside_a_list_is_nothing() -> None:
    assert okrcontent.from_markdown("<!-- okr:skip -->\n\n- a\n") == Content(
        [Paragraph(["a"], ListStyle("bullet", 1))]
    )


def test_inline_nesting_past_the_cap_keeps_its_text() -> None:
    """Links nested deeper than INLINE_NESTING read as their text (markdown-it's cost a
    character grows with the cap: runs of ``![`` took 30 s a megabyte at 48 levels)."""
    markdown = "[" * 12 + "deep" + "](https://a.test)" * 12
    content = _read_quietly(markdown)
    texts = "".join(
        e.text
        for b in content.blocks
        if isinstance(b, Paragraph)
        for e in b.elements
        if isinstance(e, TextRun)
    )
    assert "deep" in texts
    assert len(texts) >= len("deep") + 12  # the brackets that no link took are text
