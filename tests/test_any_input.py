"""Every reader takes any string: content (that every writer can write) or ContentError,
never another exception; what is lost is a LossWarning."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import okrcontent
from okrcontent import Content, ContentError

from .strategies import markup

READERS: dict[str, Callable[[str], Content]] = {
    "html": okrcontent.from_html,
    "markdown": okrcontent.from_markdown,
    "text": okrcontent.from_text,
}

FOUND = [
    # issue 14: each raised ValueError, OverflowError, AssertionError or RecursionError
    '<ol start="--1"><li>a</li></ol>',
    '<ol><li value="--3">a</li></ol>',
    '<p data-okr-indent="²">x</p>',
    '<p data-okr-indent="' + "9" * 5000 + '">x</p>',
    '<p style="margin-left:' + "9" * 400 + 'px">x</p>',
    '<p style="mso-list:l0 level' + "9" * 5000 + ' lfo1">x</p>',
    '<ul><li>a<div style="margin-left:40px"><li>b</li></div></li></ul>',
    "<ul><li>a<blockquote><li>b</li></blockquote></li></ul>",
    "<ul><li><b>a<li>b</ul>",
    "<li><b><li>",
    '<?xml version="1.0" encoding="utf-8"?><p>x</p>',
    '<span style="color: rgb(0,1e310,0)">x</span>',
    "<ul><li>" * 1000 + "x",
    "<p>\ud800 x</p>",
    "a\x00b",
]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("source", FOUND)
def test_what_broke_the_readers_reads(reader: str, source: str) -> None:
    _check(READERS[reader], source)


@given(st.one_of(st.text(), markup()))
@example("<![CDATA[x]]><p>y</p>")
@example("<li>text</li>")
@example("0\\")  # a backslash at the end of a line (text: IndexError)
def test_any_string_reads(source: str) -> None:
    for read in READERS.values():
        _check(read, source)


def _check(read: Callable[[str], Content], source: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        try:
            content = read(source)
        except ContentError:
            return
        okrcontent.dump_content(content)  # valid content: every value in range
        okrcontent.to_markdown(content)
        okrcontent.to_html(content)
        okrcontent.to_text(content)
