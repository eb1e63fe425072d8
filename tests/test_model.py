"""The model: hand-building, validation at construction, equality, repr, conveniences."""

from __future__ import annotations

import datetime as dt
import pickle

import attrs
import pytest

from okrcontent import (
    Color,
    Content,
    ContentError,
    DocsLink,
    Extra,
    Gallery,
    Image,
    Link,
    ListKind,
    ListStyle,
    Mention,
    Paragraph,
    ParagraphStyle,
    ProgressRate,
    ProgressRecord,
    ProgressStatus,
    TextRun,
    TextStyle,
    load_content,
)


def test_a_bullet_with_a_bold_red_run_is_one_readable_expression() -> None:
    line = Paragraph(
        [TextRun("Ship it", TextStyle(bold=True, text_color=Color(255, 0, 0)))],
        ListStyle(ListKind.BULLET),
    )
    assert line.list_style == ListStyle(ListKind.BULLET)
    assert line.style == ParagraphStyle(ListStyle(ListKind.BULLET))
    assert line.elements[0] == TextRun("Ship it", TextStyle(True, None, Color(255, 0, 0)))


def test_constructors_take_the_convenient_forms() -> None:
    assert Paragraph(["plain"]).elements == (TextRun("plain"),)
    assert Content(["a line"]).blocks == (Paragraph([TextRun("a line")]),)
    assert ListStyle("checkBox").kind is ListKind.CHECKBOX
    assert TextStyle(link="https://a.test").link == Link("https://a.test")
    assert ProgressRate(40, 1).status is ProgressStatus.AT_RISK
    assert Gallery([Image(src="a.png")]).images == (Image(src="a.png"),)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Color(300), "red: 300 is not in 0..255"),
        (lambda: Color(alpha=2.0), "alpha: 2.0 is not in 0..1"),
        (lambda: Color("1"), "red: expected an integer, got '1'"),  # type: ignore[arg-type]
        (lambda: ListStyle("bullet", 17), "indent_level: 17 is not in 1..16"),
        (lambda: Image(width=float("inf")), "width: expected a finite number, got inf"),
    ],
)
def test_hand_built_nodes_are_checked_like_the_wire(build: object, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        build()  # type: ignore[operator]
    assert str(caught.value) == message


def test_unknown_list_kinds_are_rejected_by_the_constructor() -> None:
    with pytest.raises(ValueError, match="'todo' is not a valid ListKind"):
        ListStyle("todo")


def test_nodes_are_frozen_and_hashable() -> None:
    run = TextRun("x", TextStyle(bold=True))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        run.text = "y"  # type: ignore[misc]
    assert hash(run) == hash(TextRun("x", TextStyle(bold=True)))
    assert {Paragraph([run]), Paragraph([run])} == {Paragraph([run])}


def test_equality_sees_unknown_keys_but_not_absent_key_memory() -> None:
    plain = TextRun("x")
    assert plain == TextRun("x", extra=Extra(omitted=frozenset({"style"})))
    assert plain != TextRun("x", extra=Extra({"lang": "en"}))
    assert hash(plain) == hash(TextRun("x", extra=Extra({"lang": "en"})))  # still hashable


def test_repr_shows_only_what_is_set() -> None:
    assert (
        repr(TextRun("hi", TextStyle(bold=True)))
        == "TextRun(text='hi', style=TextStyle(bold=True))"
    )
    assert repr(Color(1, 2, 3)) == "Color(red=1, green=2, blue=3)"
    assert repr(TextRun("x", extra=Extra({"k": 1}))) == (
        "TextRun(text='x', extra=Extra(keys={'k': 1}))"
    )


def test_content_iterates_over_its_blocks() -> None:
    content = Content(["a", "b"])
    assert [b.elements[0] for b in content if isinstance(b, Paragraph)] == [
        TextRun("a"),
        TextRun("b"),
    ]
    assert len(content) == 2
    assert list(ProgressRecord(content=content)) == list(content)
    assert list(ProgressRecord()) == []


def test_modified_at_is_an_aware_utc_datetime() -> None:
    record = ProgressRecord(modify_time="1640677213095")
    assert record.modified_at == dt.datetime(2021, 12, 28, 7, 40, 13, 95000, tzinfo=dt.timezone.utc)
    assert ProgressRecord().modified_at is None


@pytest.mark.parametrize(
    ("modify_time", "expected"),
    [
        ("0", dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)),
        ("253402300799999", dt.datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=dt.timezone.utc)),
        ("253402300800000", None),  # year 10000
        ("9" * 20, None),
        ("9" * 5000, None),  # int() refuses it, timedelta too
        ("-62135596800000", dt.datetime(1, 1, 1, tzinfo=dt.timezone.utc)),
        ("-62135596800001", None),
        ("soon", None),  # hand-built: the codec refuses it on the wire
    ],
)
def test_a_time_the_calendar_cannot_hold_reads_as_none(
    modify_time: str, expected: dt.datetime | None
) -> None:
    assert ProgressRecord(modify_time=modify_time).modified_at == expected


def test_color_rgba_fills_the_editor_defaults() -> None:
    assert Color().rgba == (0, 0, 0, 1.0)
    assert Color(1, 2, 3, 0.5).rgba == (1, 2, 3, 0.5)


def test_list_level_defaults_to_one() -> None:
    assert ListStyle("bullet").level == 1
    assert ListStyle("bullet", 3).level == 3


def test_loaded_trees_pickle() -> None:
    content = load_content(
        {
            "blocks": [
                {
                    "type": "paragraph",
                    "x": 1,
                    "paragraph": {
                        "elements": [
                            {"type": "docsLink", "docsLink": {"url": "u", "title": "t"}},
                            {"type": "person", "person": {"openId": "ou_1"}},
                        ]
                    },
                }
            ]
        }
    )
    assert pickle.loads(pickle.dumps(content)) == content
    paragraph = content.blocks[0]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.elements == (DocsLink("u", "t"), Mention("ou_1"))
