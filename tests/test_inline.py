"""The inline vocabulary both markup readers share: the same inline HTML means the same
content, with the same losses, in Markdown and in HTML (the agreement test of the readers)."""

from __future__ import annotations

import warnings

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import okrcontent
from okrcontent import Content, DocsLink, Paragraph, TextRun
from okrcontent.losses import Loss
from okrcontent.readers import _inline

from .outline import outline

RED = [255, 0, 0, 1]

CASES: list[tuple[str, str, list[str], set[Loss]]] = [
    # (title, inline HTML, expected outline lines, expected losses)
    ("opaque black is no colour", '<span style="color:#000">x</span>', ['["", "x"]'], set()),
    (
        "font-weight: normal turns bold off inside <b>",
        '<b>a<span style="font-weight:normal">b</span></b>',
        ['["", {"text": "a", "bold": true}, "b"]'],
        set(),
    ),
    (
        "<mark> is a yellow background",
        "<mark>m</mark>",
        ['["", {"text": "m", "back": [255, 255, 0, 1]}]'],
        set(),
    ),
    (
        "text-decoration-line: line-through",
        '<span style="text-decoration-line: line-through">x</span>',
        ['["", {"text": "x", "strike": true}]'],
        set(),
    ),
    (
        "text-decoration: underline is reported",
        '<span style="text-decoration: underline">x</span>',
        ['["", "x"]'],
        {Loss.UNDERLINE},
    ),
    (
        "underline and line-through at once",
        '<span style="text-decoration: underline line-through">x</span>',
        ['["", {"text": "x", "strike": true}]'],
        {Loss.UNDERLINE},
    ),
    (
        "every bold tag and weight",
        '<b>b</b><strong>s</strong><span style="font-weight:700">w</span>'
        '<span style="font-weight: bolder">e</span><span style="FONT-WEIGHT:BOLD">x</span>',
        ['["", {"text": "bswex", "bold": true}]'],
        set(),
    ),
    (
        "a light weight is not bold, a heavy one is",
        '<span style="font-weight:300">l</span><span style="font-weight:900">h</span>',
        ['["", "l", {"text": "h", "bold": true}]'],
        set(),
    ),
    (
        "Google Docs' outer <b> that is not bold",
        '<b style="font-weight:normal" id="docs-internal-guid-1">x</b>',
        ['["", "x"]'],
        set(),
    ),
    (
        "<b> inside a normal weight",
        '<span style="font-weight: 400"><b>x</b></span>',
        ['["", {"text": "x", "bold": true}]'],
        set(),
    ),
    (
        "every strike tag",
        "<s>a</s><del>b</del><strike>c</strike>",
        ['["", {"text": "abc", "strike": true}]'],
        set(),
    ),
    (
        "text-decoration: none inside a strike cannot take it off",
        '<s><span style="text-decoration:none">x</span></s>',
        ['["", {"text": "x", "strike": true}]'],
        set(),
    ),
    (
        "<font color>",
        '<font color="red">r</font>',
        [f'["", {{"text": "r", "color": {RED}}}]'],
        set(),
    ),
    (
        "style wins over <font color>, inner over outer",
        '<font color="red"><span style="color:blue">b</span>r</font>',
        ['["", {"text": "b", "color": [0, 0, 255, 1]}, {"text": "r", "color": [255, 0, 0, 1]}]'],
        set(),
    ),
    (
        "a colour channel of 1e310 is 255",
        '<span style="color: rgb(0,1e310,0)">g</span>',
        ['["", {"text": "g", "color": [0, 255, 0, 1]}]'],
        set(),
    ),
    (
        "a semicolon in a quoted font name",
        """<span style='font-family:"a;b"; color: red'>x</span>""",
        [f'["", {{"text": "x", "color": {RED}}}]'],
        set(),
    ),
    (
        "the colour of a background shorthand, after a url() with a semicolon",
        """<span style="background: url('x;y') no-repeat red">x</span>""",
        [f'["", {{"text": "x", "back": {RED}}}]'],
        set(),
    ),
    (
        "hsl() in turns",
        '<span style="color: hsl(0.5turn, 100%, 50%)">c</span>',
        ['["", {"text": "c", "color": [0, 255, 255, 1]}]'],
        set(),
    ),
    (
        "a translucent black is a colour",
        '<span style="color: rgba(0, 0, 0, 0.5)">x</span>',
        ['["", {"text": "x", "color": [0, 0, 0, 0.5]}]'],
        set(),
    ),
    ("transparent is no colour", '<span style="color: transparent">x</span>', ['["", "x"]'], set()),
    (
        "!important and upper case",
        '<span style="COLOR: RED !important; color: blue">x</span>',
        [f'["", {{"text": "x", "color": {RED}}}]'],
        set(),
    ),
    (
        "<mark> with its own background",
        '<mark style="background-color: #fff2cc">x</mark>',
        ['["", {"text": "x", "back": [255, 242, 204, 1]}]'],
        set(),
    ),
    (
        "styles nest",
        '<b><s><span style="color:red">x</span></s></b>',
        [f'["", {{"text": "x", "bold": true, "strike": true, "color": {RED}}}]'],
        set(),
    ),
    (
        "adjacent runs of one style are one",
        "<b>a</b><b>b</b>",
        ['["", {"text": "ab", "bold": true}]'],
        set(),
    ),
    ("italic", "<i>i</i> <em>e</em> <cite>c</cite>", ['["", "i e c"]'], {Loss.ITALIC}),
    ("italic by style", '<span style="font-style:italic">x</span>', ['["", "x"]'], {Loss.ITALIC}),
    ("underline tags", "<u>u</u><ins>i</ins>", ['["", "ui"]'], {Loss.UNDERLINE}),
    ("code tags", "<code>c</code><kbd>k</kbd><samp>s</samp>", ['["", "cks"]'], {Loss.CODE}),
    ("sub and superscript", "x<sub>2</sub><sup>3</sup>", ['["", "x23"]'], {Loss.SCRIPT}),
    (
        "a link",
        '<a href="https://a.test/x?y=1&amp;z=2">l</a>',
        ['["", {"text": "l", "link": "https://a.test/x?y=1&z=2"}]'],
        set(),
    ),
    (
        "an inert link keeps its URL",
        '<span data-okr-href="javascript:alert(1)">l</span>',
        ['["", {"text": "l", "link": "javascript:alert(1)"}]'],
        set(),
    ),
    (
        "a mention is its ids, not its name",
        '<span data-okr-mention="ou_1" data-okr-user="u1">@Alice</span> hi',
        ['["", {"mention": "ou_1", "user": "u1"}, " hi"]'],
        set(),
    ),
    (
        "a doc link is its URL and title, not a link",
        '<a href="https://d.test" data-okr-doc="https://d.test">Q3 <b>plan</b></a>',
        ['["", {"doc": "https://d.test", "title": "Q3 plan"}]'],
        set(),
    ),
    ("<br> is a newline", "a<br>b<br/>c", ['["", "a\\nb\\nc"]'], set()),
    (
        "display: none hides",
        '<span style="display:none">secret</span>visible',
        ['["", "visible"]'],
        {Loss.HIDDEN},
    ),
    ("the hidden attribute hides", "<span hidden>h</span>v", ['["", "v"]'], {Loss.HIDDEN}),
    ("an unknown tag keeps its text", "<blink>x</blink>", ['["", "x"]'], {Loss.UNKNOWN_TAG}),
    ("neutral tags are no loss", "<small>s</small><abbr>a</abbr><q>q</q>", ['["", "saq"]'], set()),
    (
        "an image alone is a gallery",
        '<img src="https://i.test/a.png" width="10" height="20px">',
        ['["gallery", {"src": "https://i.test/a.png", "width": 10.0, "height": 20.0}]'],
        set(),
    ),
    (
        "an image inside text goes after it",
        'text<img src="x.png" style="width: 2in"> more',
        ['["", "text more"]', '["gallery", {"src": "x.png", "width": 192.0}]'],
        {Loss.IMAGE_IN_TEXT},
    ),
]


def _read(reader: object, source: str) -> tuple[Content, set[Loss]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        content = reader(source)  # type: ignore[operator]
    return content, {w.message.loss for w in caught}  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("title", "source", "expected", "losses"), CASES, ids=[case[0] for case in CASES]
)
def test_both_readers_read_inline_html_alike(
    title: str, source: str, expected: list[str], losses: set[Loss]
) -> None:
    want = (outline("\n".join(expected)), losses)
    assert _read(okrcontent.from_markdown, source) == want
    assert _read(okrcontent.from_html, source) == want


def test_markdown_syntax_means_what_its_tags_mean() -> None:
    pairs = [
        ("**b**", "<strong>b</strong>"),
        ("~~s~~", "<s>s</s>"),
        ("*i*", "<em>i</em>"),
        ("`c`", "<code>c</code>"),
        ("[l](https://a.test)", '<a href="https://a.test">l</a>'),
        ('[t](https://d.test "Feishu doc")', '<a data-okr-doc="https://d.test">t</a>'),
    ]
    for markdown, tag in pairs:
        assert _read(okrcontent.from_markdown, markdown) == _read(okrcontent.from_html, tag)


def test_markdown_inline_html_need_not_nest() -> None:
    """A closing tag ends the innermost open element of its name; what was opened inside it
    stays open, and a stray closing tag does nothing."""
    content, _ = _read(okrcontent.from_markdown, "<b>a<s>b</b>c</s>d</i>e")
    assert content == outline(
        '["", {"text": "a", "bold": true}, {"text": "b", "bold": true, "strike": true},'
        ' {"text": "c", "strike": true}, "de"]'
    )


def test_a_doc_link_opened_inside_a_closed_tag_still_ends() -> None:
    """Closing ``<b>`` around an open doc link moves it down the stack; it still ends where
    its own tag does, and nothing after it goes into its title (found in review)."""
    content, _ = _read(okrcontent.from_markdown, '<b>x<span data-okr-doc="u">t</b>y</span> z')
    assert content == outline(
        '["", {"text": "x", "bold": true}, {"doc": "u", "title": "ty"}, " z"]'
    )


def test_one_effects_instance_per_distinct_element_in_a_reader() -> None:
    inline = _inline.Inline(okrcontent.losses.Losses())
    first = inline.effects("span", (("style", "color: red"),))
    assert inline.effects("span", (("style", "color: red"),)) is first
    assert first.color == okrcontent.Color(255, 0, 0, 1.0)


def test_every_tag_row_does_something() -> None:
    for tag, change in _inline.TAGS.items():
        assert change, tag
        assert attrs.asdict(_inline.effects(tag, {})) != attrs.asdict(_inline.NONE), tag
    assert not _inline.NEUTRAL & set(_inline.TAGS)


def test_every_text_style_of_the_model_has_a_row() -> None:
    """A style the model gains is read once it has its row in STYLES (and its effects)."""
    styles = {field.name for field in attrs.fields(okrcontent.TextStyle)} - {"extra"}
    assert {field for _, field, _ in _inline.STYLES} == styles
    effects = {field.name for field in attrs.fields(_inline.Effects)}
    assert {name for name, _, _ in _inline.STYLES} <= effects


INLINE_TAGS = [
    ("<b>", "</b>"),
    ("<s>", "</s>"),
    ("<i>", "</i>"),
    ('<span style="color: red">', "</span>"),
    ('<span data-okr-doc="https://d.test">', "</span>"),
    ('<a href="https://a.test">', "</a>"),
    ("<font color=blue>", "</font>"),
]


@given(
    st.lists(
        st.one_of(
            st.sampled_from([tag for pair in INLINE_TAGS for tag in pair]),
            st.text(alphabet="abcxyz", min_size=1, max_size=3),
        ),
        max_size=25,
    ).filter(lambda parts: any(not part.startswith("<") for part in parts))
)
@example(["<b>", "x", '<span data-okr-doc="https://d.test">', "t", "</b>", "y", "</span>", "z"])
def test_inline_markup_loses_no_text(parts: list[str]) -> None:
    """However inline tags open, close and cross, every character of text comes back, in
    order (as a run's text or a doc link's title), from both readers."""
    source = "".join(parts)
    words = "".join(part for part in parts if not part.startswith("<"))
    for reader in (okrcontent.from_markdown, okrcontent.from_html):
        content, _ = _read(reader, source)
        shown = "".join(
            e.text if isinstance(e, TextRun) else e.title or ""
            for block in content.blocks
            if isinstance(block, Paragraph)
            for e in block.elements
            if isinstance(e, TextRun | DocsLink)
        )
        assert shown == words, reader
