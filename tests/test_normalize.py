"""normalize(): each step, and the whole being idempotent."""

from __future__ import annotations

import attrs
from hypothesis import example, given
from hypothesis import strategies as st

from okrcontent import (
    Color,
    Content,
    DocsLink,
    Extra,
    Gallery,
    Image,
    Link,
    ListStyle,
    Mention,
    Paragraph,
    ParagraphStyle,
    ProgressRecord,
    TextRun,
    TextStyle,
    UnknownBlock,
    UnknownElement,
    normalize,
    to_html,
    to_markdown,
    to_text,
)

from .strategies import contents

BOLD = TextStyle(bold=True)


def test_unknown_keys_and_types_go() -> None:
    content = Content(
        [
            UnknownBlock("table", {"type": "table"}),
            Paragraph(
                [
                    TextRun("a", extra=Extra({"k": 1})),
                    UnknownElement("x", {"type": "x"}),
                    DocsLink("u", "t", extra=Extra({"k": 1})),
                    Mention("ou", extra=Extra({"k": 2})),
                ],
                extra=Extra(outer={"id": 1}),
            ),
            Gallery([Image("s", extra=Extra({"k": 1}))]),
        ],
        extra=Extra({"v": 2}),
    )
    result = normalize(content)
    assert result == Content(
        [Paragraph([TextRun("a"), DocsLink("u", "t"), Mention("ou")]), Gallery([Image("s")])]
    )
    assert result.extra is None
    assert all(b.extra is None for b in result.blocks if not isinstance(b, UnknownBlock))


def test_false_is_absent_and_empty_style_is_no_style() -> None:
    content = Content(
        [Paragraph([TextRun("a", TextStyle(bold=False, strikethrough=False))], ParagraphStyle())]
    )
    assert normalize(content) == Content([Paragraph(["a"])])


def test_colours_are_completed_and_links_need_a_url() -> None:
    content = Content([Paragraph([TextRun("a", TextStyle(text_color=Color(red=9), link=Link()))])])
    expected = TextRun("a", TextStyle(text_color=Color(9, 0, 0, 1.0)))
    assert normalize(content) == Content([Paragraph([expected])])


def test_adjacent_runs_of_one_style_merge_and_empty_runs_go() -> None:
    content = Content(
        [
            Paragraph(
                [
                    TextRun("a", BOLD),
                    TextRun(""),
                    TextRun("b", BOLD),
                    TextRun("c"),
                    Mention("ou"),
                    TextRun("d"),
                    TextRun("e", None),
                ]
            )
        ]
    )
    assert normalize(content) == Content(
        [Paragraph([TextRun("ab", BOLD), TextRun("c"), Mention("ou"), TextRun("de")])]
    )


def test_list_levels_and_numbers_become_explicit() -> None:
    content = Content(
        [
            Paragraph(["1"], ListStyle("number")),
            Paragraph(["2"], ListStyle("number")),
            Paragraph(["a"], ListStyle("number", 2)),
            Paragraph(["3"], ListStyle("number", 1, 7)),
            Paragraph(["4"], ListStyle("number", 1)),
            Paragraph(["•"], ListStyle("bullet", 1, 4)),
            Paragraph(["1 again"], ListStyle("number", 1)),
            Paragraph(["plain"]),
            Paragraph(["1 after plain"], ListStyle("number")),
        ]
    )
    shown = [
        (b.list_style.level, b.list_style.number) if b.list_style else None
        for b in normalize(content)
        if isinstance(b, Paragraph)
    ]
    assert shown == [(1, 1), (1, 2), (2, 1), (1, 7), (1, 8), (1, None), (1, 1), None, (1, 1)]


def test_a_record_normalizes_to_its_content() -> None:
    assert normalize(ProgressRecord(content=Content(["a"]))) == Content([Paragraph(["a"])])
    assert normalize(ProgressRecord()) == Content()


@given(contents())
def test_normalize_is_idempotent(content: Content) -> None:
    once = normalize(content)
    assert normalize(once) == once


# --- every string that reaches an output is canonical ---------------------------------------

unshowable = st.lists(
    st.sampled_from(["a", "\x00", "\ud800", "\udfff", "中", "\ud83d", " ", "_"]), max_size=4
).map("".join)
"""Strings with NUL and halves of surrogate pairs, which no encoder or parser carries."""

any_field = st.builds(
    lambda text, url, title, ids, token, src, record_id: ProgressRecord(
        progress_id=record_id,
        content=Content(
            [
                Paragraph(
                    [
                        TextRun(text, TextStyle(link=Link(url))),
                        DocsLink(url, title),
                        Mention(*ids),
                    ],
                    ListStyle("bullet"),
                ),
                Gallery([Image(src, token)]),
            ]
        ),
    ),
    unshowable,
    unshowable.map(lambda s: "https://x.test/" + s),
    unshowable,
    st.tuples(unshowable, unshowable),
    unshowable,
    unshowable.map(lambda s: "https://i.test/" + s),
    unshowable,
)


@given(any_field, unshowable)
@example(  # the batch died on this one (issue 15)
    ProgressRecord(content=Content([Paragraph([Mention("ou_\ud800")])])), "\ud800"
)
def test_every_output_encodes_whatever_the_fields_hold(record: ProgressRecord, name: str) -> None:
    def people(open_id: str) -> str:
        return name

    for output in (
        to_markdown(record, people=people),
        to_html(record, people=people, standalone=True),
        to_text(record, people=people),
    ):
        output.encode("utf-8")
    for block in normalize(record).blocks:
        strings = [
            value
            for node in (block, *getattr(block, "elements", ()), *getattr(block, "images", ()))
            for value in attrs.astuple(node, recurse=True)
            if isinstance(value, str)
        ]
        for value in strings:
            value.encode("utf-8")
