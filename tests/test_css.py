"""Reading CSS: style attributes, colours and lengths, for any string."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrcontent import Color
from okrcontent.css import color_in, length_px, parse_color, parse_style

from . import timing


@pytest.mark.parametrize(
    ("style", "declarations"),
    [
        ("color: red; FONT-WEIGHT:bold", {"color": "red", "font-weight": "bold"}),
        ('font-family:"a;b"; color: red', {"font-family": '"a;b"', "color": "red"}),
        ("font-family:'a;b'; color: red", {"font-family": "'a;b'", "color": "red"}),
        ('background: url("x;y") red', {"background": 'url("x;y") red'}),
        ("background: url(x;y) red; color: blue", {"background": "url(x;y) red", "color": "blue"}),
        ("color: red /* ; color: blue */; x: y", {"color": "red", "x": "y"}),
        ("color: red !important; color: blue", {"color": "red"}),
        ("color: red; color: blue", {"color": "blue"}),
        ('content: "\\";"; color: red', {"content": '"\\";"', "color": "red"}),
        ("; ;:; no colon; : empty name", {"": "empty name"}),
        ('font-family: "unclosed; color: red', {"font-family": '"unclosed; color: red'}),
    ],
)
def test_style_declarations_split_as_css_does(style: str, declarations: dict[str, str]) -> None:
    assert parse_style(style) == declarations


@pytest.mark.parametrize(
    ("value", "rgba"),
    [
        ("#f00", (255, 0, 0, 1.0)),
        ("#0f08", (0, 255, 0, 0x88 / 255)),
        ("#0000FF", (0, 0, 255, 1.0)),
        ("rgb(1, 2, 3)", (1, 2, 3, 1.0)),
        ("rgb(1 2 3 / 50%)", (1, 2, 3, 0.5)),
        ("rgba(100%, 0%, 50%, .25)", (255, 0, 128, 0.25)),
        ("rgb(0,1e310,0)", (0, 255, 0, 1.0)),
        ("rgb(-5, 300, 1e-400)", (0, 255, 0, 1.0)),
        ("rgb(none 255 0)", (0, 255, 0, 1.0)),
        ("hsl(120, 100%, 25%)", (0, 128, 0, 1.0)),
        ("hsl(120deg 100% 50%)", (0, 255, 0, 1.0)),
        ("hsl(0.5turn, 100%, 50%)", (0, 255, 255, 1.0)),
        ("hsl(3.14159265rad, 100%, 50%)", (0, 255, 255, 1.0)),
        ("hsl(200grad, 100%, 50%)", (0, 255, 255, 1.0)),
        ("hsla(-120, 100%, 50%, 2)", (0, 0, 255, 1.0)),
        ("RebeccaPurple", (102, 51, 153, 1.0)),
    ],
)
def test_colours_in_every_syntax(value: str, rgba: tuple[int, int, int, float]) -> None:
    color = parse_color(value)
    assert color is not None
    assert color.rgba == pytest.approx(rgba)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "transparent",
        "inherit",
        "#12",
        "#ggg",
        "rgb(1, 2)",
        "rgb(a, b, c)",
        "hsl(1e400, 100%, 50%)",
        "hsl(10parsecs, 1%, 1%)",
        "rgb(" + "9" * 400 + ")",
        "url(x)",
    ],
)
def test_what_is_no_colour_is_none(value: str) -> None:
    assert parse_color(value) is None


def test_the_colour_of_a_shorthand() -> None:
    assert color_in('url("x;y") no-repeat #ff0000') == Color(255, 0, 0, 1.0)
    assert color_in("rgb(0, 0, 255) url(x)") == Color(0, 0, 255, 1.0)
    assert color_in("none") is None


@pytest.mark.parametrize(
    ("value", "pixels"),
    [
        ("40px", 40.0),
        ("40", 40.0),
        ("72.0pt", 96.0),
        ("2em", 32.0),
        ("1in", 96.0),
        ("-3px", -3.0),
        ("9" * 400 + "px", None),
        ("1e999px", None),
        ("40furlongs", None),
        ("auto", None),
    ],
)
def test_lengths_in_pixels(value: str, pixels: float | None) -> None:
    assert length_px(value) == (pytest.approx(pixels) if pixels is not None else None)


CSS_TEXT = st.lists(
    st.sampled_from([*"abcdefghrlsp0123456789.-+e%#;:/*()\"' \\!,", "rgb(", "hsl(", "url("]),
    max_size=40,
).map("".join)


@given(st.one_of(CSS_TEXT, st.text(max_size=40)))
def test_any_string_reads_without_an_exception(text: str) -> None:
    parse_style(text)
    parse_color(text)
    color_in(text)
    length_px(text)


def test_splitting_a_style_is_linear() -> None:
    timing.assert_linear(parse_style, lambda n: '"a;' * n + "(b;" * n + "/*" * n, 5_000)
