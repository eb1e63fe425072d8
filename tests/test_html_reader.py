"""The HTML reader on hostile and odd input: nothing crashes, hangs, fetches or expands."""

from __future__ import annotations

import warnings

import pytest
from lxml import etree

import okrcontent
from okrcontent import Content, LossWarning, Paragraph, TextRun

from . import timing


def _read(source: str) -> Content:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LossWarning)
        return okrcontent.from_html(source)


def _texts(content: Content) -> list[str]:
    return [
        "".join(e.text for e in b.elements if isinstance(e, TextRun))
        for b in content.blocks
        if isinstance(b, Paragraph)
    ]


def test_100000_nested_elements_keep_their_text() -> None:
    source = "<div>" * 100_000 + "deep text" + "</div>" * 100_000 + "<p>after</p>"
    with pytest.warns(LossWarning, match="nested deeper than the parser follows"):
        content = okrcontent.from_html(source)
    assert _texts(content) == ["deep text", "after"]


def test_deep_nesting_within_the_parser_limit_is_read_as_structure() -> None:
    source = "<span>" * 1500 + "<b>deep</b>" + "</span>" * 1500
    assert _read(source) == Content([Paragraph([TextRun("deep", okrcontent.TextStyle(bold=True))])])


def test_nested_lists_deeper_than_the_format_are_kept_at_16() -> None:
    source = "<ul><li>x" * 30 + "</li></ul>" * 30
    with pytest.warns(LossWarning, match="deeper than 16 levels"):
        content = okrcontent.from_html(source)
    levels = [
        b.list_style.level for b in content.blocks if isinstance(b, Paragraph) and b.list_style
    ]
    assert levels == [*range(1, 17), *[16] * 14]


def test_a_large_document_costs_about_what_lxml_does() -> None:
    paragraph = "<p>" + "word " * 200 + "<b>bold</b></p>"
    source = paragraph * (5_000_000 // len(paragraph))
    content = _read(source)
    assert len(content.blocks) == 5_000_000 // len(paragraph)

    def bare() -> None:  # lxml's parse and a walk over every element and its text
        root = etree.fromstring(source, etree.HTMLParser(huge_tree=True))
        for _, el in etree.iterwalk(root, events=("start", "end")):
            _ = el.text, el.tail

    timing.assert_near(lambda: _read(source), bare, bound=20, label="from_html")


def test_time_grows_linearly() -> None:
    timing.assert_linear(
        _read, lambda n: "<ul><li><span style='color:red'>item</span> <b>x</b></li></ul>" * n, 5_000
    )


def test_entities_are_never_expanded_and_nothing_is_fetched() -> None:
    billion_laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        "<p>&lol3;</p>"
    )
    xxe = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><p>&xxe;</p>'
    network = '<!DOCTYPE foo [<!ENTITY net SYSTEM "http://127.0.0.1:9/x">]><p>&net;</p>'
    for source, reference in ((billion_laughs, "&lol3;"), (xxe, "&xxe;"), (network, "&net;")):
        texts = _texts(_read(source))
        assert reference in texts[-1]
        assert "root:" not in "".join(texts)


@pytest.mark.parametrize(
    "source",
    [
        "",
        "   ",
        "<!-- only a comment -->",
        "<html></html>",
        "<p></p><div></div>",
        "<script>x</script>",
    ],
)
def test_empty_documents_are_empty_content(source: str) -> None:
    assert okrcontent.from_html(source) == Content()


@pytest.mark.parametrize(
    ("source", "loss"),
    [
        ("<i>x</i>", "italic read as plain text (the format has no italic)"),
        ("<u>x</u>", "underline read as plain text"),
        ("<code>x</code>", "code formatting read as plain text"),
        ("<sup>2</sup>", "subscript and superscript read as plain text"),
        ("<h1>x</h1>", "headings read as bold paragraphs"),
        ("<table><tr><td>x</td></tr></table>", "tables read as text lines, cells joined by ' | '"),
        ("<hr>", "horizontal rules left out"),
        ("<video src=x></video>", "embedded media left out"),
        ("<p>a <img src=x> b</p>", "images inside text moved to a line of their own"),
    ],
)
def test_what_the_format_cannot_hold_is_reported(source: str, loss: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        okrcontent.from_html(source)
    assert [str(w.message) for w in caught] == [loss]


def test_malformed_html_is_read_as_a_browser_would() -> None:
    assert _texts(_read("<p>one<p>two<b>bold<i>both</b>italic")) == ["one", "twoboldbothitalic"]


def test_only_text_is_accepted() -> None:
    with pytest.raises(TypeError, match="takes a str"):
        okrcontent.from_html(b"<p>x</p>")  # type: ignore[arg-type]
