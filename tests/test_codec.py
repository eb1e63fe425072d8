"""The JSON codec: lossless round trips, envelopes, validation with paths."""

from __future__ import annotations

import contextlib
import copy
import json
import warnings
from typing import Any

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import okrcontent
from okrcontent import (
    Color,
    Content,
    ContentError,
    Extra,
    ListKind,
    Mention,
    Paragraph,
    ProgressStatus,
    TextRun,
    UnknownBlock,
    UnknownElement,
    codec,
    wirevalues,
)
from okrcontent.codec import converter
from okrcontent.writers.json import to_json
from okrcontent.writers.post import to_post_json

from .data import API_EXAMPLE
from .outline import FIXTURES
from .strategies import json_value, mutated, wire_content, wire_records

HALF = settings(max_examples=max(10, settings().max_examples // 2))
"""For property tests whose machinery a v1 twin already draws hard: half the budget."""

V2_FIXTURES = FIXTURES / "v2"


def _block(paragraph: dict[str, Any]) -> dict[str, Any]:
    return {"blocks": [{"type": "paragraph", "paragraph": paragraph}]}


def _run(style: dict[str, Any]) -> dict[str, Any]:
    return _block({"elements": [{"type": "textRun", "textRun": {"text": "x", "style": style}}]})


# --- the API page's own example ---------------------------------------------------------------


def test_api_example_loads_and_dumps_back_exactly() -> None:
    envelope = json.loads(API_EXAMPLE)
    record = okrcontent.load_record(API_EXAMPLE)
    assert okrcontent.dump_record(record) == envelope["data"]
    assert record.progress_id == "7046518160811425812"
    (paragraph,) = record.content.blocks if record.content else ()
    assert isinstance(paragraph, Paragraph)
    run, person = paragraph.elements
    assert run == TextRun(" ", okrcontent.TextStyle())
    assert person == Mention("ou_b1ba99a5340289d7af30839fd95ce1ee", "7012194140645721644")


@pytest.mark.parametrize("form", [str, str.encode, json.loads, lambda s: bytearray(s.encode())])
def test_load_record_accepts_dict_str_and_bytes(form: Any) -> None:
    assert okrcontent.load_record(form(API_EXAMPLE)).progress_id == "7046518160811425812"


def test_envelope_and_bare_record_load_the_same() -> None:
    envelope = json.loads(API_EXAMPLE)
    assert okrcontent.load_record(envelope) == okrcontent.load_record(envelope["data"])


def test_an_answer_of_data_alone_is_read_as_its_data() -> None:
    data = json.loads(API_EXAMPLE)["data"]
    assert okrcontent.load_record({"data": data}) == okrcontent.load_record(data)
    content = {"blocks": [{"type": "paragraph", "paragraph": {"elements": []}}]}
    assert okrcontent.load_content({"data": content}) == okrcontent.load_content(content)
    with pytest.raises(ContentError, match=r"^data\.progress_id: expected a string"):
        okrcontent.load_record({"data": {**data, "progress_id": []}})
    with pytest.raises(okrcontent.WrongKindError, match=r"^data: this is a progress record"):
        okrcontent.load_content({"data": data})
    kept = okrcontent.load_record({"progress_id": "1", "data": {"x": 1}})  # beside a record's
    assert okrcontent.dump_record(kept) == {"progress_id": "1", "data": {"x": 1}}  # keys: kept


def test_a_byte_order_mark_is_accepted() -> None:
    assert okrcontent.load_record("\ufeff" + API_EXAMPLE).progress_id


# --- lossless ---------------------------------------------------------------------------------


@given(wire_records())
def test_record_json_round_trip_is_lossless(data: dict[str, Any]) -> None:
    original = copy.deepcopy(data)
    assert okrcontent.dump_record(okrcontent.load_record(data)) == original
    assert data == original  # loading does not touch its input


@given(wire_content())
def test_content_json_round_trip_is_lossless_through_text(data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False)
    assert okrcontent.dump_content(okrcontent.load_content(text.encode())) == data


def test_unknown_keys_at_every_level_are_kept() -> None:
    data = {
        "blocks": [
            {
                "type": "paragraph",
                "blockId": "b1",
                "paragraph": {
                    "align": "center",
                    "style": {"list": {"type": "bullet", "glyph": "•"}, "heading": 2},
                    "elements": [
                        {
                            "type": "textRun",
                            "rev": 3,
                            "textRun": {
                                "text": "x",
                                "lang": "en",
                                "style": {
                                    "italic": True,
                                    "textColor": {"red": 1, "hsl": [0, 0, 0]},
                                    "link": {"url": "https://a.test", "target": "_blank"},
                                },
                            },
                        },
                    ],
                },
            }
        ],
        "version": 2,
    }
    content = okrcontent.load_content(data)
    assert content.extra == Extra({"version": 2})
    paragraph = content.blocks[0]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.extra is not None
    assert paragraph.extra.outer == {"blockId": "b1"}
    assert paragraph.extra.keys == {"align": "center"}
    assert okrcontent.dump_content(content) == data


def test_unknown_block_and_element_types_are_kept_whole() -> None:
    table = {"type": "table", "table": {"rows": [[1, 2]]}, "caption": "t"}
    sticker = {"type": "sticker", "sticker": {"id": 7}}
    data = {"blocks": [table, {"type": "paragraph", "paragraph": {"elements": [sticker]}}]}
    content = okrcontent.load_content(data)
    assert content.blocks[0] == UnknownBlock("table", table)
    paragraph = content.blocks[1]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.elements == (UnknownElement("sticker", sticker),)
    assert okrcontent.dump_content(content) == data


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"blocks": []},
        _block({}),
        _block({"elements": []}),
        _block({"style": {}}),
        _block({"elements": [{"type": "textRun", "textRun": {}}]}),
        _block({"elements": [{"type": "textRun", "textRun": {"text": ""}}]}),
        _run({}),
        {"blocks": [{"type": "gallery", "gallery": {}}]},
        {"blocks": [{"type": "gallery", "gallery": {"imageList": []}}]},
    ],
    ids=repr,
)
def test_absent_stays_absent_and_empty_stays_empty(data: dict[str, Any]) -> None:
    assert okrcontent.dump_content(okrcontent.load_content(data)) == data


def test_absent_and_empty_lists_are_equal_content() -> None:
    assert okrcontent.load_content(_block({})) == okrcontent.load_content(_block({"elements": []}))


def test_explicit_nulls_read_as_absent() -> None:
    data = _block(
        {
            "style": None,
            "elements": [
                {
                    "type": "textRun",
                    "textRun": {"text": None, "style": {"bold": None, "x": None}},
                    "person": None,
                }
            ],
        }
    )
    assert okrcontent.dump_content(okrcontent.load_content(data)) == _block(
        {"elements": [{"type": "textRun", "textRun": {"style": {}}}]}
    )


def test_integers_and_floats_keep_their_json_type() -> None:
    data = {
        "blocks": [{"type": "gallery", "gallery": {"imageList": [{"width": 640, "height": 480.5}]}}]
    }
    dumped = okrcontent.dump_content(okrcontent.load_content(data))
    assert json.dumps(dumped) == json.dumps(data)


def test_values_are_read_into_enums() -> None:
    record = okrcontent.load_record(
        {
            "progress_rate": {"percent": 40.5, "status": 1},
            "content": _block({"style": {"list": {"type": "checkedBox", "indentLevel": 2}}}),
        }
    )
    assert record.progress_rate is not None
    assert record.progress_rate.status is ProgressStatus.AT_RISK
    paragraph = next(iter(record))
    assert isinstance(paragraph, Paragraph)
    assert paragraph.list_style is not None
    assert paragraph.list_style.kind is ListKind.CHECKED
    assert paragraph.list_style.level == 2


def test_repeated_styles_are_shared_not_copied() -> None:
    content = okrcontent.load_content(
        {"blocks": [_run({"textColor": {"red": 9}})["blocks"][0]] * 2}
    )
    first, second = (b.elements[0] for b in content.blocks if isinstance(b, Paragraph))
    assert isinstance(first, TextRun)
    assert isinstance(second, TextRun)
    assert first.style is second.style


def test_hand_built_content_dumps_to_the_wire_shape() -> None:
    content = Content(
        [
            Paragraph(
                [TextRun("Ship it", okrcontent.TextStyle(bold=True, text_color=Color(255, 0, 0)))],
                okrcontent.ListStyle("bullet", 1),
            ),
        ]
    )
    assert okrcontent.dump_content(content) == {
        "blocks": [
            {
                "type": "paragraph",
                "paragraph": {
                    "elements": [
                        {
                            "type": "textRun",
                            "textRun": {
                                "text": "Ship it",
                                "style": {
                                    "bold": True,
                                    "textColor": {"red": 255, "green": 0, "blue": 0},
                                },
                            },
                        }
                    ],
                    "style": {"list": {"type": "bullet", "indentLevel": 1}},
                },
            }
        ]
    }


def test_the_converter_is_the_public_codec() -> None:
    data = _run({"bold": True})
    assert converter.unstructure(converter.structure(data, Content)) == data


# --- validation -----------------------------------------------------------------------------

LIST = "blocks[0].paragraph.style.list"
RUN = "blocks[0].paragraph.elements[0].textRun"

INVALID_CONTENT: list[tuple[Any, str]] = [
    (_run({"textColor": {"red": 300}}), f"{RUN}.style.textColor.red: 300 is not in 0..255"),
    (_run({"backColor": {"green": -1}}), f"{RUN}.style.backColor.green: -1 is not in 0..255"),
    (
        _run({"textColor": {"blue": "255"}}),
        f"{RUN}.style.textColor.blue: expected an integer, got a string '255'",
    ),
    (
        _run({"textColor": {"red": 1.5}}),
        f"{RUN}.style.textColor.red: expected an integer, got a number 1.5",
    ),
    (
        _run({"textColor": {"red": True}}),
        f"{RUN}.style.textColor.red: expected an integer, got a boolean True",
    ),
    (_run({"textColor": {"alpha": 1.5}}), f"{RUN}.style.textColor.alpha: 1.5 is not in 0..1"),
    (
        _run({"textColor": {"alpha": float("nan")}}),
        f"{RUN}.style.textColor.alpha: expected a finite number, got a number nan",
    ),
    (_run({"textColor": []}), f"{RUN}.style.textColor: expected an object, got a list []"),
    (_run({"bold": "yes"}), f"{RUN}.style.bold: expected true or false, got a string 'yes'"),
    (
        _run({"strikeThrough": 1}),
        f"{RUN}.style.strikeThrough: expected true or false, got a number 1",
    ),
    (_run({"link": {"url": 5}}), f"{RUN}.style.link.url: expected a string, got a number 5"),
    (
        _block({"elements": [{"type": "textRun", "textRun": {"text": ["a"]}}]}),
        f"{RUN}.text: expected a string, got a list ['a']",
    ),
    (
        _block({"style": {"list": {"type": "bullet", "indentLevel": 17}}}),
        f"{LIST}.indentLevel: 17 is not in 1..16",
    ),
    (
        _block({"style": {"list": {"type": "bullet", "indentLevel": 0}}}),
        f"{LIST}.indentLevel: 0 is not in 1..16",
    ),
    (
        _block({"style": {"list": {"type": "number", "number": -3}}}),
        f"{LIST}.number: -3 is not in 0..999999999",
    ),
    (
        _block({"style": {"list": {"type": "todo"}}}),
        f"{LIST}.type: expected one of number, bullet, checkBox, checkedBox, indent, "
        "got a string 'todo'",
    ),
    (_block({"style": {"list": {"indentLevel": 2}}}), f"{LIST}.type: missing"),
    (_block({"style": {"list": "bullet"}}), f"{LIST}: expected an object, got a string 'bullet'"),
    (_block({"elements": {}}), "blocks[0].paragraph.elements: expected a list, got an object {}"),
    (
        _block({"elements": [{"type": "person"}]}),
        "blocks[0].paragraph.elements[0].person: missing (the type is 'person')",
    ),
    (
        _block({"elements": [{"type": "person", "person": {"openId": 7}}]}),
        "blocks[0].paragraph.elements[0].person.openId: expected a string, got a number 7",
    ),
    (
        _block({"elements": [{"textRun": {"text": "x"}}]}),
        "blocks[0].paragraph.elements[0].type: missing",
    ),
    (
        _block({"elements": [{"type": 3}]}),
        "blocks[0].paragraph.elements[0].type: expected a string, got a number 3",
    ),
    (
        _block({"elements": ["text"]}),
        "blocks[0].paragraph.elements[0]: expected an object, got a string 'text'",
    ),
    ({"blocks": [{"type": "paragraph"}]}, "blocks[0].paragraph: missing (the type is 'paragraph')"),
    (
        {"blocks": [{"type": "gallery", "gallery": None}]},
        "blocks[0].gallery: missing (the type is 'gallery')",
    ),
    (
        {"blocks": [{"type": "gallery", "gallery": {"imageList": [{}, {"width": -1}]}}]},
        "blocks[0].gallery.imageList[1].width: -1 is not in 0..inf",
    ),
    (
        {"blocks": [{"type": "gallery", "gallery": {"imageList": [{"height": "1px"}]}}]},
        "blocks[0].gallery.imageList[0].height: expected a finite number, got a string '1px'",
    ),
    (
        {
            "blocks": [
                {"type": "gallery", "gallery": {"imageList": [{"fileToken": None, "src": 1}]}}
            ]
        },
        "blocks[0].gallery.imageList[0].src: expected a string, got a number 1",
    ),
    ({"blocks": [None]}, "blocks[0]: expected an object, got NoneType None"),
    ({"blocks": "x"}, "blocks: expected a list, got a string 'x'"),
    ([], "expected a JSON object, got a list []"),
    (
        "{",
        "invalid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
    ),
    (
        b"\xff",
        "invalid JSON: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
    ),
    ("[" * 100_000, "invalid JSON: nested too deeply"),
    ({"content": {"blocks": []}}, "this is a progress record, not content: use load_record()"),
]


@pytest.mark.parametrize(("data", "message"), INVALID_CONTENT, ids=[m for _, m in INVALID_CONTENT])
def test_invalid_content_names_the_path(data: Any, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        okrcontent.load_content(data)
    assert str(caught.value) == message


def test_the_second_bad_item_is_the_one_named() -> None:
    good = {"type": "textRun", "textRun": {"text": "ok"}}
    bad = {"type": "textRun", "textRun": {"style": {"textColor": {"red": 300}}}}
    data = {
        "blocks": [
            {"type": "paragraph", "paragraph": {"elements": [good, good, good]}},
            {"type": "paragraph", "paragraph": {"elements": [good, bad]}},
        ]
    }
    with pytest.raises(ContentError, match=r"^blocks\[1\]\.paragraph\.elements\[1\]\.textRun"):
        okrcontent.load_content(data)


INVALID_RECORDS: list[tuple[Any, str]] = [
    (
        {"progress_rate": {"status": 3}},
        "progress_rate.status: expected one of -1, 0, 1, 2, got a number 3",
    ),
    (
        {"progress_rate": {"status": True}},
        "progress_rate.status: expected one of -1, 0, 1, 2, got a boolean True",
    ),
    (
        {"progress_rate": {"percent": "40%"}},
        "progress_rate.percent: expected a finite number, got a string '40%'",
    ),
    (
        {"progress_id": 7046518160811425812},
        "progress_id: expected a string, got a number 7046518160811425812",
    ),
    (
        {"modify_time": "yesterday"},
        "modify_time: expected epoch milliseconds as a string of digits, got a string 'yesterday'",
    ),
    (
        {"modify_time": "١٢٣"},
        "modify_time: expected epoch milliseconds as a string of digits, got a string '١٢٣'",
    ),
    (
        {"content": _run({"textColor": {"red": 300}})},
        f"content.{RUN}.style.textColor.red: 300 is not in 0..255",
    ),
    (
        {"code": 0, "msg": "success", "data": {"content": []}},
        "data.content: expected an object, got a list []",
    ),
    (
        {"code": 1001004, "msg": "okr data not found", "data": {}},
        "code: the API answered code 1001004: 'okr data not found'",
    ),
    ({"code": 0, "msg": "success", "data": None}, "data: missing (the API answer holds no record)"),
    ("null", "expected a JSON object, got NoneType None"),
]


@pytest.mark.parametrize(("data", "message"), INVALID_RECORDS, ids=[m for _, m in INVALID_RECORDS])
def test_invalid_records_name_the_path(data: Any, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        okrcontent.load_record(data)
    assert str(caught.value) == message


def test_content_error_is_a_value_error_with_path_and_reason() -> None:
    with pytest.raises(ValueError, match="300") as caught:
        okrcontent.load_content(_run({"textColor": {"red": 300}}))
    error = caught.value
    assert isinstance(error, ContentError)
    assert error.path == f"{RUN}.style.textColor.red"
    assert error.reason == "300 is not in 0..255"


@given(
    st.one_of(
        json_value, st.dictionaries(st.sampled_from(["blocks", "type", "paragraph"]), json_value)
    )
)
def test_arbitrary_json_loads_or_raises_content_error(data: Any) -> None:
    for load in (okrcontent.load_content, okrcontent.load_record):
        with contextlib.suppress(ContentError):
            load(data)


@given(st.binary(max_size=64))
def test_arbitrary_bytes_load_or_raise_content_error(data: bytes) -> None:
    with contextlib.suppress(ContentError):
        okrcontent.load_record(data)


def test_huge_integers_are_a_content_error() -> None:
    with pytest.raises(ContentError, match="invalid JSON"):
        okrcontent.load_content('{"blocks": [], "n": ' + "9" * 5000 + "}")


# --- hostile input: a record or ContentError, never another exception (issue 14) ------------

API_ERRORS: list[tuple[Any, str]] = [
    (
        {"code": 99991663, "msg": "token invalid"},
        "code: the API answered code 99991663: 'token invalid'",
    ),
    ({"code": 0, "msg": "success"}, "data: missing (the API answer holds no record)"),
    ({"msg": "success", "data": None}, "data: missing (the API answer holds no record)"),
    ({"blocks": []}, "this is content, not a record: use load_content()"),
    (
        {"code": 0, "msg": "ok", "data": {"blocks": [], "version": 2}},
        "data: this is content, not a record: use load_content()",
    ),
    (
        {"code": 10**5000, "msg": None},
        "code: the API answered code 100000000000...(5001 digits): None",
    ),
]


@pytest.mark.parametrize(("data", "message"), API_ERRORS, ids=[m for _, m in API_ERRORS])
def test_what_is_not_a_record_is_an_error_that_says_what_it_is(data: Any, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        okrcontent.load_record(data)
    assert str(caught.value) == message


HUGE = 10**400  # an integer no float holds

HOSTILE_VALUES: list[tuple[Any, str]] = [
    (
        {"progress_rate": {"percent": HUGE}},
        "progress_rate.percent: expected a finite number, got a number 100000000000...(401 digits)",
    ),
    (
        '{"progress_rate": {"percent": 1' + "0" * 400 + "}}",
        "progress_rate.percent: expected a finite number, got a number 100000000000...(401 digits)",
    ),
    (
        {"progress_rate": {"percent": -(10**5000)}},
        "progress_rate.percent: expected a finite number, "
        "got a number -100000000000...(5001 digits)",
    ),
    (
        {"content": _run({"textColor": {"red": 10**5000}})},
        f"content.{RUN}.style.textColor.red: 100000000000...(5001 digits) is not in 0..255",
    ),
    (
        '{"progress_rate": {"percent": 1e400}}',
        "progress_rate.percent: expected a finite number, got a number inf",
    ),
    (
        '{"progress_rate": {"percent": NaN}}',
        "progress_rate.percent: expected a finite number, got a number nan",
    ),
    (
        '{"progress_rate": {"percent": -Infinity}}',
        "progress_rate.percent: expected a finite number, got a number -inf",
    ),
    (
        '{"progress_id": "1", "n": ' + "9" * 5000 + "}",
        "invalid JSON: Exceeds the limit (4300 digits) for integer string conversion: "
        "value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit",
    ),
    ("[" * 100_000, "invalid JSON: nested too deeply"),
    (b'{"a":' * 100_000, "invalid JSON: nested too deeply"),
    (
        b"\xff\xfe\x00",
        "invalid JSON: 'utf-16-le' codec can't decode byte 0x00 in position 2: truncated data",
    ),
    (
        b'{"progress_id": "\xc3\x28"}',
        "invalid JSON: 'utf-8' codec can't decode byte 0xc3 in position 17: "
        "invalid continuation byte",
    ),
    ("", "invalid JSON: Expecting value: line 1 column 1 (char 0)"),
]


@pytest.mark.parametrize(("data", "message"), HOSTILE_VALUES, ids=[m for _, m in HOSTILE_VALUES])
def test_hostile_values_are_content_errors(data: Any, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        okrcontent.load_record(data)
    assert str(caught.value) == message


LOSSLESS_ODDITIES = [
    '{"progress_id": "1", "x": NaN, "y": [Infinity, -Infinity], "z": 1e400}',
    '{"progress_id": "\\ud800", "\\udc00": "\\udfff", "content": {"blocks": [{"type": '
    '"paragraph", "paragraph": {"elements": [{"type": "person", "person": {"openId": '
    '"\\ud800"}}, {"type": "textRun", "textRun": {"text": "a\\ud83db"}}]}}]}}',
    "\ufeff" + '{"progress_id": "7"}',
    '{"progress_id": "1", "big": ' + "9" * 400 + ', "deep": ' + "[" * 500 + "]" * 500 + "}",
]


@pytest.mark.parametrize("text", LOSSLESS_ODDITIES, ids=range(len(LOSSLESS_ODDITIES)))
@pytest.mark.parametrize("form", [str, lambda s: s.encode("utf-8", "surrogatepass")])
def test_odd_but_valid_json_loads_losslessly_and_converts(text: str, form: Any) -> None:
    record = okrcontent.load_record(form(text))
    expected = json.loads(text.removeprefix("\ufeff"))
    assert json.dumps(okrcontent.dump_record(record), sort_keys=True) == json.dumps(
        expected, sort_keys=True
    )
    for write in (okrcontent.to_markdown, okrcontent.to_html, okrcontent.to_text):
        assert isinstance(write(record), str)


def test_a_number_past_the_largest_is_followed_by_one_and_everything_converts() -> None:
    # issue 14: this record loaded, then every writer raised "number: 1000000000"
    def line(number: int | None) -> dict[str, Any]:
        listed = {"type": "number", "indentLevel": 1}
        if number is not None:
            listed["number"] = number
        text = {"type": "textRun", "textRun": {"text": "x"}}
        return {"type": "paragraph", "paragraph": {"style": {"list": listed}, "elements": [text]}}

    record = okrcontent.load_record(
        {"progress_id": "1", "content": {"blocks": [line(999_999_999), line(None)]}}
    )
    canonical = okrcontent.normalize(record.content or Content())
    numbers = [b.list_style.number for b in canonical if isinstance(b, Paragraph) and b.list_style]
    assert numbers == [999_999_999, 1]
    assert "999999999. x" in okrcontent.to_markdown(record)
    assert okrcontent.to_text(record).splitlines()[-2:] == ["999999999. x", "1. x"]
    assert 'start="999999999"' in okrcontent.to_html(record)


def _writes(loaded: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        for write in (
            okrcontent.to_markdown,
            okrcontent.to_html,
            okrcontent.to_text,
            to_post_json,
            to_json,
        ):
            with contextlib.suppress(ContentError):
                assert isinstance(write(loaded), str)


@given(mutated(st.one_of(wire_records(), wire_records(dialect="v2"))))
@example({"modify_time": {"type": -(10**5000)}})  # repr() of the object refused the integer
@example({"0": -(10**5000)})  # (make fuzz) kept as an unknown key, then no writer could print it
def test_broken_records_load_or_raise_content_error_and_loaded_ones_convert(data: Any) -> None:
    inputs: list[Any] = [data]
    with contextlib.suppress(ValueError):  # json.dumps refuses integers past 4,300 digits
        inputs.append(json.dumps(data).encode("utf-8", "surrogatepass"))
    for given_input in inputs:
        try:
            record = okrcontent.load_record(given_input)
        except ContentError:
            continue
        _writes(record)


@given(mutated(st.one_of(wire_content(), wire_content(dialect="v2"))))
def test_broken_content_loads_or_raises_content_error_and_loaded_content_converts(
    data: Any,
) -> None:
    try:
        content = okrcontent.load_content(data)
    except ContentError:
        return
    _writes(content)


# --- two spellings (issue 16) -----------------------------------------------------------------


def _same_json(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@pytest.mark.parametrize("dialect", ["v1", "v2"])
@pytest.mark.parametrize(("first", "then"), [(0, 0.0), (0.0, -0.0), (1, 1.0), (1.0, 1)])
def test_equal_numbers_spelled_differently_keep_their_spelling_across_loads(
    dialect: str, first: float, then: float
) -> None:
    """(make fuzz) Interned nodes were found by value, and 0 == 0.0: a colour loaded after
    an equal one dumped as the earlier one's wire spelled it, in the same process."""

    def content(alpha: float) -> bytes:
        color = {"red": 1, "green": 2, "blue": 3, "alpha": alpha}
        built = okrcontent.dump_content(Content(["x"]), dialect)  # type: ignore[arg-type]
        run = built["blocks"][0]["paragraph"]["elements"][0]
        payload = run["textRun" if dialect == "v1" else "text_run"]
        payload["style"] = {"backColor" if dialect == "v1" else "back_color": color}
        return json.dumps(built).encode()

    for alpha in (first, then, first):
        text = content(alpha)
        assert json.dumps(okrcontent.dump_content(okrcontent.load_content(text))).encode() == text


@HALF
@given(wire_content(dialect="v2"))
def test_v2_content_round_trips_exactly_through_text(data: dict[str, Any]) -> None:
    content = okrcontent.load_content(json.dumps(data, ensure_ascii=False).encode())
    if data.get("blocks"):  # without blocks, the spellings are the same JSON
        assert okrcontent.dialect_of(content) == "v2"
    assert _same_json(okrcontent.dump_content(content), data)
    assert _same_json(okrcontent.dump_content(content, "v2"), data)


@HALF
@given(wire_records(dialect="v2"))
def test_v2_progress_items_round_trip_exactly(data: dict[str, Any]) -> None:
    original = copy.deepcopy(data)
    record = okrcontent.load_record(data)
    assert _same_json(okrcontent.dump_record(record), original)  # ids stay numbers or strings
    assert record.progress_id == str(data["id"])
    assert okrcontent.load_okr(data, okrcontent.ProgressRecord) == record


def _portable(content: Content) -> Content:
    """``content`` as a spelling change keeps it: v1's second mention id has no v2 key, and
    an unknown type's data is the wire object of its own spelling."""

    def element(e: Any) -> Any:
        if isinstance(e, Mention):
            return attrs.evolve(e, user_id=None)
        if isinstance(e, UnknownElement):
            return (e.type, {k: v for k, v in e.data.items() if k not in TAGS})
        return e

    def block(b: Any) -> Any:
        if isinstance(b, Paragraph):
            return (tuple(element(e) for e in b.elements), b.style, b.extra)
        if isinstance(b, UnknownBlock):
            return (b.type, {k: v for k, v in b.data.items() if k not in TAGS})
        return b

    return tuple(block(b) for b in content.blocks)  # type: ignore[return-value]


TAGS = {"type", "block_element_type", "paragraph_element_type"}


@HALF
@given(wire_content(), st.sampled_from(["v1", "v2"]))
def test_a_change_of_spelling_keeps_the_content(data: dict[str, Any], start: str) -> None:
    other = "v2" if start == "v1" else "v1"
    content = okrcontent.load_content(data)
    there = okrcontent.load_content(okrcontent.dump_content(content, other))  # type: ignore[arg-type]
    back = okrcontent.load_content(okrcontent.dump_content(there, start))  # type: ignore[arg-type]
    assert okrcontent.dialect_of(there) == (other if data.get("blocks") else "v1")
    assert _portable(there) == _portable(content)
    assert _portable(back) == _portable(content)


def test_the_published_v2_example_reads_as_the_same_content_as_v1() -> None:
    data = json.loads((V2_FIXTURES / "content.json").read_text(encoding="utf-8"))
    content = okrcontent.load_content(data)
    assert okrcontent.dump_content(content) == data
    first, second, _ = content.blocks
    assert isinstance(first, Paragraph)
    assert isinstance(second, Paragraph)
    assert first.list_style == okrcontent.ListStyle("bullet", 1, 1)  # v2 level 0: the top
    assert second.list_style == okrcontent.ListStyle("number", 2, 2)
    assert first.elements[2] == Mention("ou_xxx")
    v1 = okrcontent.dump_content(content, "v1")
    assert v1["blocks"][0]["paragraph"]["style"]["list"] == {
        "type": "bullet",
        "indentLevel": 1,
        "number": 1,
    }
    assert v1["blocks"][2] == {
        "type": "gallery",
        "gallery": {
            "imageList": [
                {
                    "fileToken": "boxcnOj88GDkmWGm2zsTyCBqoLb",
                    "src": "https://example.com/a.png",
                    "width": 458,
                    "height": 372.5,
                }
            ]
        },
    }
    assert okrcontent.load_content(v1) == content


def test_v2_write_bodies_leave_out_empty_objects() -> None:
    data = {
        "blocks": [
            {
                "block_element_type": "paragraph",
                "paragraph": {
                    "style": {},
                    "elements": [
                        {
                            "paragraph_element_type": "textRun",
                            "text_run": {"text": "x", "style": {}},
                        },
                        {
                            "paragraph_element_type": "textRun",
                            "text_run": {"text": "y", "style": {"link": {}, "bold": True}},
                        },
                    ],
                },
            }
        ]
    }
    body = okrcontent.dump_content(okrcontent.load_content(data), for_write=True)
    assert body == {
        "blocks": [
            {
                "block_element_type": "paragraph",
                "paragraph": {
                    "elements": [
                        {"paragraph_element_type": "textRun", "text_run": {"text": "x"}},
                        {
                            "paragraph_element_type": "textRun",
                            "text_run": {"text": "y", "style": {"bold": True}},
                        },
                    ]
                },
            }
        ]
    }
    normalize = okrcontent.normalize
    assert normalize(okrcontent.load_content(body)) == normalize(okrcontent.load_content(data))


def test_unknown_data_nested_too_deep_to_write_is_refused_where_it_is_loaded() -> None:
    deep: Any = {}
    for _ in range(100_000):
        deep = {"x": deep}
    with pytest.raises(ContentError, match=r"^deep: nested too deeply \(more than 500 levels\)$"):
        okrcontent.load_content({"blocks": [], "deep": deep})
    text = '{"progress_id": "1", "x": ' + "[" * 800 + "]" * 800 + "}"  # JSON reads it
    with pytest.raises(ContentError, match=r"^x: nested too deeply \(more than 500 levels\)$"):
        okrcontent.load_record(text)
    deepest: Any = {"x": 1}
    for _ in range(wirevalues.MAX_DEPTH - 1):
        deepest = {"x": deepest}
    content = okrcontent.load_content({"blocks": [], "deep": deepest})
    assert okrcontent.dump_content(content)["deep"] is deepest
    assert okrcontent.dump_content(content, "v2", for_write=True)["deep"] == deepest
    record = okrcontent.load_record({"progress_id": "1", "deep": deepest})
    _writes(record)  # every writer, this deep
    assert okrcontent.load_record(to_json(record)) == record


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({1, 2}, r"^x: not JSON: a set, \{1, 2\}$"),
        (b"x", r"^x: not JSON: a bytes, b'x'$"),
        (object(), r"^x: not JSON: an object, <object object at .*>$"),
        ({"a": [1, {2: 3}]}, r"^x\.a\[1\]: not JSON: a key that is no string, 2$"),
        ([0, -(10**5000)], r"^x\[1\]: an integer of more than 4300 digits"),
    ],
)
def test_unknown_values_that_are_no_json_are_refused_with_their_path(
    value: Any, message: str
) -> None:
    with pytest.raises(ContentError, match=message):
        okrcontent.load_record({"progress_id": "1", "x": value})
    block = {"type": "table", "table": {"x": value}}
    with pytest.raises(ContentError, match=r"^content\.blocks\[0\]\.table\."):
        okrcontent.load_record({"progress_id": "1", "content": {"blocks": [block]}})
    beside = {"type": "paragraph", "paragraph": {"elements": []}, "x": value}
    with pytest.raises(ContentError, match=r"^content\.blocks\[0\]\.x"):
        okrcontent.load_record({"progress_id": "1", "content": {"blocks": [beside]}})


def test_json_values_of_every_kind_are_kept() -> None:
    value = {"a": [1, 2.5, None, True, "\ud800", (3, 4), {"b": 10**400}], "nan": float("nan")}
    record = okrcontent.load_record({"progress_id": "1", "x": value})
    assert okrcontent.dump_record(record)["x"] is value
    _writes(record)


def test_a_spelling_is_given_back_by_default_and_can_be_chosen() -> None:
    built = Content(["x"])
    assert okrcontent.dialect_of(built) == "v1"
    assert "type" in okrcontent.dump_content(built)["blocks"][0]
    assert "block_element_type" in okrcontent.dump_content(built, "v2")["blocks"][0]
    with pytest.raises(ValueError, match="dialect must be one of v1, v2, not 'v3'"):
        okrcontent.dump_content(built, "v3")  # type: ignore[arg-type]


def test_unknown_types_are_retagged_for_the_other_spelling() -> None:
    table = {"type": "table", "table": {"rows": 1}, "caption": "t"}
    content = okrcontent.load_content({"blocks": [table]})
    assert okrcontent.dump_content(content, "v2") == {
        "blocks": [{"block_element_type": "table", "table": {"rows": 1}, "caption": "t"}]
    }


def _v2_run(style: dict[str, Any]) -> dict[str, Any]:
    run = {"paragraph_element_type": "textRun", "text_run": {"text": "x", "style": style}}
    return {"blocks": [{"block_element_type": "paragraph", "paragraph": {"elements": [run]}}]}


def _v2_list(listed: dict[str, Any]) -> dict[str, Any]:
    paragraph = {"style": {"list": listed}}
    return {"blocks": [{"block_element_type": "paragraph", "paragraph": paragraph}]}


V2_RUN = "blocks[0].paragraph.elements[0].text_run"
V2_LIST = "blocks[0].paragraph.style.list"

MIXED_AND_INVALID_V2: list[tuple[Any, str]] = [
    (
        {"blocks": [{"type": "paragraph", "paragraph": {}}, {"block_element_type": "paragraph"}]},
        "blocks[1].block_element_type: spelled v2 in a v1 document (v1: type)",
    ),
    (
        {"blocks": [{"block_element_type": "paragraph", "paragraph": {}}, {"type": "gallery"}]},
        "blocks[1].type: spelled v1 in a v2 document (v2: block_element_type)",
    ),
    (
        _block({"elements": [{"type": "textRun", "text_run": {"text": "x"}}]}),
        "blocks[0].paragraph.elements[0].text_run: spelled v2 in a v1 document (v1: textRun)",
    ),
    (
        _run({"strike_through": True}),
        f"{RUN}.style.strike_through: spelled v2 in a v1 document (v1: strikeThrough)",
    ),
    (
        _v2_run({"textColor": {"red": 1}}),
        f"{V2_RUN}.style.textColor: spelled v1 in a v2 document (v2: text_color)",
    ),
    (
        _v2_list({"list_type": "bullet", "indentLevel": 2}),
        f"{V2_LIST}.indentLevel: spelled v1 in a v2 document (v2: indent_level)",
    ),
    (
        _v2_list({"list_type": "bullet", "indent_level": 16}),
        f"{V2_LIST}.indent_level: 16 is not in 0..15",
    ),
    (
        _v2_list({"list_type": "bullet", "indent_level": -1}),
        f"{V2_LIST}.indent_level: -1 is not in 0..15",
    ),
    (_v2_list({"type": "bullet"}), f"{V2_LIST}.type: spelled v1 in a v2 document (v2: list_type)"),
    (
        {"blocks": [{"block_element_type": "gallery", "gallery": {"imageList": []}}]},
        "blocks[0].gallery.imageList: spelled v1 in a v2 document (v2: images)",
    ),
    (
        {"progress_id": "1", "content": _v2_run({})},
        "content.blocks[0].block_element_type: spelled v2 in a v1 document (v1: type)",
    ),
    (
        {"id": "1", "progress_rate": {"percent": 5}},
        "progress_rate.percent: spelled v1 in a v2 document (v2: progress_percent)",
    ),
    ({"id": "1", "progress_id": "1"}, "id: spelled v2 in a v1 document (v1: progress_id)"),
    (
        {"id": 2**64},
        "id: expected an id (a string or an integer), got a number 18446744073709551616",
    ),
    ({"id": True}, "id: expected an id (a string or an integer), got a boolean True"),
    (
        {"id": "1", "update_time": "soon"},
        "update_time: expected epoch milliseconds (digits or an integer), got a string 'soon'",
    ),
    ({"id": "1", "entity_type": 4}, "entity_type: expected one of 2, 3, got a number 4"),
    ({"id": "1", "owner": []}, "owner: expected an object, got a list []"),
    ({"cycle_id": "1", "content": {}}, "this is an objective, not a record: use load_okr()"),
    (
        {"code": 0, "msg": "", "data": {"items": [{"id": "1"}], "has_more": False}},
        "data: a page of a list answer: load each of its items",
    ),
]


@pytest.mark.parametrize(
    ("data", "message"), MIXED_AND_INVALID_V2, ids=[m for _, m in MIXED_AND_INVALID_V2]
)
def test_mixed_spellings_and_bad_v2_values_name_the_path(data: Any, message: str) -> None:
    load = okrcontent.load_content if "blocks" in data else okrcontent.load_record
    with pytest.raises(ContentError) as caught:
        load(data)
    assert str(caught.value) == message


def test_a_v2_mention_id_is_the_open_id_and_v1s_second_id_has_no_v2_key() -> None:
    v1 = _block({"elements": [{"type": "person", "person": {"openId": "ou_1", "userId": "70"}}]})
    content = okrcontent.load_content(v1)
    v2 = okrcontent.dump_content(content, "v2")
    assert v2["blocks"][0]["paragraph"]["elements"] == [
        {"paragraph_element_type": "mention", "mention": {"user_id": "ou_1"}}
    ]
    assert okrcontent.load_content(v2) == okrcontent.load_content(
        _block({"elements": [{"type": "person", "person": {"openId": "ou_1"}}]})
    )


# --- the fast parser: the json module's results and errors, exactly (issue 19) --------------


def _exact(a: Any, b: Any) -> bool:
    """Equal as JSON values with the same Python types (``1`` is not ``1.0``, nor ``True``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_exact(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_exact(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return repr(a) == repr(b)  # -0.0, nan
    return bool(a == b)


def _both_ways(text: str | bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """What the codec's parse gives (or the error it raises), with msgspec and without."""

    def outcome() -> Any:
        try:
            return codec._parse(text)
        except ContentError as error:
            return ("error", str(error))

    fast = outcome()
    with monkeypatch.context() as patched:
        patched.setattr(codec, "_fast_decode", None)
        return fast, outcome()


def test_msgspec_reads_first() -> None:
    assert codec._fast_decode is not None


JSON_TEXTS: list[str | bytes] = [
    '{"a": 1, "b": 1.0, "c": -0.0, "d": 1e5, "e": 1E+2, "f": 5e-324, "g": 1.5e-400}',
    '{"a": 1, "b": 2, "a": 3}',  # duplicate keys: the last value, at the first place
    "[18446744073709551615, 18446744073709551616, -9223372036854775809, " + "7" * 400 + "]",
    '{"a": NaN, "b": Infinity, "c": -Infinity}',
    '{"big": 1e400, "small": -1e309}',
    '{"n": ' + "9" * 5000 + "}",
    '{"s": "\\ud800", "\\udc00": "a\\ud83d\\ude00b"}',
    b'{"raw": "\xed\xa0\x80"}',  # a surrogate in UTF-8 bytes: json reads it (surrogatepass)
    "\ufeff" + '{"bom": true}',
    b'\xef\xbb\xbf{"bom": true}',
    '{"bom": "utf-16"}'.encode("utf-16"),
    '{"bom": "utf-32"}'.encode("utf-32"),
    b'{"bad": "\xff"}',
    '{"ctl": "\x01"}',
    "{} x",
    "[01]",
    "",
    "   ",
    "[" * 100_000,
    '"\ud800"',  # a str holding a lone surrogate (msgspec cannot encode it)
    '{"\\u0000": "\\/\\b\\f\\n\\r\\t"}',
]


@pytest.mark.parametrize("text", JSON_TEXTS, ids=range(len(JSON_TEXTS)))
def test_the_fast_parser_gives_what_json_gives_or_the_same_error(
    text: str | bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, pure = _both_ways(text, monkeypatch)
    assert _exact(fast, pure)


@given(
    st.recursive(
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(-(2**70), 2**70),
            st.sampled_from([10**400, -(10**4000)]),  # past any float, but json prints them
            st.floats(allow_nan=False, allow_infinity=False),
            st.text(),
        ),
        lambda kids: (
            st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=5), kids, max_size=4)
        ),
        max_leaves=12,
    ),
    st.sampled_from(["compact", "spaced", "ascii", "bytes"]),
)
def test_any_json_parses_to_exactly_what_json_gives(value: Any, form: str) -> None:
    dumped = json.dumps(
        value, ensure_ascii=form == "ascii", separators=(",", ":") if form == "compact" else None
    )
    text = dumped.encode("utf-8", "surrogatepass") if form == "bytes" else dumped
    assert _exact(codec._parse(text), json.loads(text))


@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(["r", ".17g", "e", ".3e"]))
def test_every_float_spelling_parses_to_the_same_float(number: float, spelling: str) -> None:
    text = repr(number) if spelling == "r" else format(number, spelling)
    assert _exact(codec._parse(f"[{text}]"), json.loads(f"[{text}]"))
