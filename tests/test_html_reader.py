"""The HTML reader on hostile and odd input: nothing crashes, hangs, fetches or expands."""

from __future__ import annotations

import warnings

import pytest
from lxml import etree

import okrcontent
from okrcontent import Content, LossWarning, Paragraph, TextRun
from okrcontent.losses import Loss

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

    timing.assert_near(lambda: _read(source), bare, bound=8, label="from_html")


SHAPES = {
    "lists": lambda n: "<ul><li><span style='color:red'>item</span> <b>x</b></li></ul>" * (n // 60),
    "one paragraph of <br> lines": lambda n: "<p>" + "line<br>" * (n // 8) + "</p>",
    "one run in pieces": lambda n: "<p>" + "<b>a</b><b>b</b>" * (n // 16) + "</p>",
    "distinct colours": lambda n: "".join(
        f"<span style='color:#{i:06x}'>x</span>" for i in range(n // 36)
    ),
    "lists 20 deep": lambda n: ("<ul><li>x" * 20 + "</li></ul>" * 20) * (n // 380),
    "too deep, then junk": lambda n: "<div>" * 3000 + "<" * n,
    "too deep, then open scripts": lambda n: "<div>" * 3000 + "<script>" * (n // 8),
}
"""Shapes of HTML that went quadratic (the deep fallback's regular expressions: 3.7x per 4x
input) or could: size -> input."""


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_time_grows_linearly(shape: str) -> None:
    timing.assert_linear(_read, SHAPES[shape], 25_000)


@pytest.mark.parametrize(
    ("source", "loss"),
    [
        ('<p>a<span style="display:none">b</span></p>', Loss.HIDDEN),
        ("<div hidden>x</div>", Loss.HIDDEN),
        ("<p>a<![CDATA[b]]></p>", Loss.CDATA),
        ("<ol start=-5><li>a</li></ol>", Loss.NUMBER_OUT_OF_RANGE),
        ('<ol><li value="1000000000">a</li></ol>', Loss.NUMBER_OUT_OF_RANGE),
        ("<blockquote><ul><li>a</li></ul></blockquote>", Loss.QUOTED_LIST),
        ('<p style="mso-list:l0 level' + "9" * 5000 + ' lfo1">x</p>', Loss.TOO_DEEP),
        ('<p data-okr-indent="' + "9" * 5000 + '">x</p>', Loss.TOO_DEEP),
        ("<blink>x</blink>", Loss.UNKNOWN_TAG),
    ],
)
def test_what_hostile_html_loses_is_reported(source: str, loss: Loss) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        okrcontent.from_html(source)
    assert [w.message.loss for w in caught] == [loss]  # type: ignore[union-attr]


def test_an_xml_declaration_naming_an_encoding_is_read() -> None:
    source = '<?xml version="1.0" encoding="utf-8"?>\n<p>x</p>'
    assert okrcontent.from_html(source) == Content([Paragraph(["x"])])


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
        ('<img src=x alt="a chart">', "image alt text left out (a gallery image has none)"),
        ('<a href="https://x.test" title="Q3">x</a>', "link titles left out (a link has none)"),
        (
            '<head><meta name="okr-percent" content="5"></head><p>x</p>',
            "okr-* metadata left aside: content has none (record_from_*() reads a record's)",
        ),
    ],
)
def test_what_the_format_cannot_hold_is_reported(source: str, loss: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        okrcontent.from_html(source)
    assert [str(w.message) for w in caught] == [loss]


def test_empty_alt_text_and_titles_lose_nothing() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        okrcontent.from_html(
            '<p><img src=x alt=""></p><p><a href="https://x.test" title=" ">x</a></p>'
        )


def test_a_records_header_is_no_content_and_its_tail_stays() -> None:
    source = '<div><header class="okr-record-head" data-okr-percent="5">5%</header>after</div>'
    record = okrcontent.record_from_html(source)
    assert record.content == Content([Paragraph(["after"])])
    assert record.progress_rate == okrcontent.ProgressRate(5)


def test_malformed_html_is_read_as_a_browser_would() -> None:
    assert _texts(_read("<p>one<p>two<b>bold<i>both</b>italic")) == ["one", "twoboldbothitalic"]


def test_only_text_is_accepted() -> None:
    with pytest.raises(TypeError, match="takes a str"):
        okrcontent.from_html(b"<p>x</p>")  # type: ignore[arg-type]


def test_too_deep_documents_drop_scripts_wherever_lowercasing_moves_characters() -> None:
    """The plain-lines fallback looks for a script's end in the text itself ("İ" lowercases
    to two characters: positions in a lowercased copy would be off)."""
    source = "<div>" * 3000 + "İİ<script>x</SCRIPT>after<p>next"
    assert _texts(_read(source)) == ["İİafter", "next"]
