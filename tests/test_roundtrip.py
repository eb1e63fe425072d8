"""Round trips through every format: ``from_X(to_X(c)) == normalize(c)`` for any content."""

from __future__ import annotations

import json
import random
import warnings

from hypothesis import example, given

import okrcontent
from okrcontent import Color, Content, Link, Paragraph, TextRun, TextStyle

from .data import API_EXAMPLE
from .realistic import make_record
from .strategies import contents


@given(contents())
@example(  # a bracket in a coloured part of a link's text
    Content([Paragraph([TextRun("[", TextStyle(back_color=Color(), link=Link("https://e.x/")))])])
)
@example(  # a backtick in text and one in a URL would make a code span
    Content([Paragraph([TextRun("`", TextStyle(link=Link("https://example.com/`x")))])])
)
def test_markdown_round_trip(content: Content) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)  # unknown types are reported
        markdown = okrcontent.to_markdown(content)
    assert okrcontent.from_markdown(markdown) == okrcontent.normalize(content)


@given(contents())
def test_markdown_is_stable(content: Content) -> None:
    """Writing what was read gives the same text: the output is a fixed point."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        markdown = okrcontent.to_markdown(content)
    assert okrcontent.to_markdown(okrcontent.from_markdown(markdown)) == markdown


@given(contents())
def test_html_round_trip(content: Content) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        html = okrcontent.to_html(content)
    assert okrcontent.from_html(html) == okrcontent.normalize(content)


@given(contents())
def test_html_is_stable(content: Content) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        html = okrcontent.to_html(content)
    assert okrcontent.to_html(okrcontent.from_html(html)) == html


def test_realistic_records_round_trip_without_warnings() -> None:
    rng = random.Random(1)
    for index in range(50):
        record = okrcontent.load_record(json.dumps(make_record(rng, 15, index)))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            markdown = okrcontent.to_markdown(record)
            assert okrcontent.from_markdown(markdown) == okrcontent.normalize(record)
            html = okrcontent.to_html(record)
            assert okrcontent.from_html(html) == okrcontent.normalize(record)


def test_the_api_example_round_trips() -> None:
    record = okrcontent.load_record(API_EXAMPLE)
    markdown = okrcontent.to_markdown(record)
    assert (
        markdown == '&#32;<span data-okr-mention="ou_b1ba99a5340289d7af30839fd95ce1ee" '
        'data-okr-user="7012194140645721644">@ou_b1ba99a5340289d7af30839fd95ce1ee</span>\n'
    )
    assert okrcontent.from_markdown(markdown) == okrcontent.normalize(record)
