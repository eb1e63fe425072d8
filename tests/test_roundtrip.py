"""Round trips through every format: ``from_X(to_X(c)) == normalize(c)`` for any content, and
``record_from_X(to_X(r))`` gives the whole record back (its metadata with its content) for
the corpus and every generated record, in both spellings."""

from __future__ import annotations

import json
import random
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import okrcontent
from okrcontent import (
    Color,
    Content,
    Link,
    Paragraph,
    ProgressRecord,
    TextRun,
    TextStyle,
    metadata,
)

from .data import API_EXAMPLE
from .realistic import make_record
from .strategies import contents, wire_records


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


# --- whole records: the metadata with the content ------------------------------------------

SAMPLE = Path(__file__).parent.parent / "examples" / "sample-archive.jsonl"

MARKUP: dict[str, tuple[Callable[[ProgressRecord], str], Callable[[str], ProgressRecord]]] = {
    "markdown": (okrcontent.to_markdown, okrcontent.record_from_markdown),
    "html": (okrcontent.to_html, okrcontent.record_from_html),
    "html-standalone": (
        lambda record: okrcontent.to_html(record, standalone=True),
        okrcontent.record_from_html,
    ),
}
"""Formats that give a record back exactly: its writer and its record reader."""


def _round_trips(record: ProgressRecord) -> None:
    """Every format gives ``record`` back: Markdown and HTML exactly (its content normalized),
    and writing what was read gives the same text; plain text its metadata exactly and its
    content as text reads it (text's notation cannot tell some links from their words)."""
    expected = okrcontent.dump_record(metadata.normalize_record(record))
    for write, read in MARKUP.values():
        written = write(record)
        back = read(written)
        assert okrcontent.dump_record(back) == expected
        assert write(back) == written
    text = okrcontent.to_text(record)
    back = okrcontent.record_from_text(text)
    assert metadata.fields(back) == metadata.fields(metadata.normalize_record(record))
    assert back.content is not None
    alone = okrcontent.to_text(okrcontent.normalize(record))  # the content without a header
    assert back.content.blocks == okrcontent.from_text(alone).blocks


def _corpus() -> Iterator[ProgressRecord]:
    """The sample archive, realistic records and the API page's example."""
    with SAMPLE.open("rb") as stream:
        for line in stream:
            yield okrcontent.load_record(line)
    rng = random.Random(1)
    for index in range(50):
        yield okrcontent.load_record(json.dumps(make_record(rng, 15, index)))
    yield okrcontent.load_record(API_EXAMPLE)


def test_the_corpus_round_trips_whole_records_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for record in _corpus():
            _round_trips(record)


def _few_blocks(wire: dict[str, Any]) -> dict[str, Any]:
    """The record with at most three blocks: its content's round trip is the content tests'
    (a hundred examples each); here the metadata is, in both spellings, with what is around
    it (unknown keys of the content object, blocks before and after)."""
    content = wire.get("content")
    if isinstance(content, dict) and isinstance(content.get("blocks"), list):
        return {**wire, "content": {**content, "blocks": content["blocks"][:3]}}
    return wire


@given(st.one_of(wire_records(dialect="v1"), wire_records(dialect="v2")).map(_few_blocks))
def test_every_generated_record_round_trips(wire: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)  # unknown types are reported
        _round_trips(okrcontent.load_record(wire))


FIRST_LINES = ["---", "--- x", "---x", "----", "-----a", "---\t"]
"""First lines that would open a front matter (a later ``---`` or ``...`` closing it)."""


@pytest.mark.parametrize("first", FIRST_LINES)
def test_content_that_starts_like_a_header_is_content(first: str) -> None:
    for lines in ([first], [first, "..."], [first, "---", "b"], [first, "a", "..."]):
        content = okrcontent.normalize(Content([Paragraph([line]) for line in lines]))
        markdown = okrcontent.to_markdown(content)
        assert not markdown.startswith("---")
        assert okrcontent.from_markdown(markdown) == content
        assert okrcontent.record_from_markdown(markdown) == ProgressRecord(content=content)
        text = okrcontent.to_text(content)
        assert not text.startswith("---")
        assert okrcontent.from_text(text) == content
        assert okrcontent.record_from_text(text) == ProgressRecord(content=content)
        record = ProgressRecord("7", content=content)  # after a header, as it is
        assert okrcontent.record_from_markdown(okrcontent.to_markdown(record)) == record
        assert okrcontent.record_from_text(okrcontent.to_text(record)) == record


def test_the_api_example_round_trips() -> None:
    record = okrcontent.load_record(API_EXAMPLE)
    markdown = okrcontent.to_markdown(record)
    assert markdown == (
        '---\nprogress_id: "7046518160811425812"\nmodified: 2021-12-28T07:40:13.095Z\n---\n\n'
        '&#32;<span data-okr-mention="ou_b1ba99a5340289d7af30839fd95ce1ee" '
        'data-okr-user="7012194140645721644">@ou_b1ba99a5340289d7af30839fd95ce1ee</span>\n'
    )
    assert okrcontent.record_from_markdown(markdown) == metadata.normalize_record(record)
    with pytest.warns(okrcontent.LossWarning, match=r"metadata \(progress_id, modified\) left"):
        assert okrcontent.to_markdown(record, metadata=False) == markdown.split("\n\n", 1)[1]
