"""The Markdown fixture files: people's Markdown -> content, content -> the writer's Markdown."""

from __future__ import annotations

import warnings

import pytest

import okrcontent

from .outline import FIXTURES, outline, read_fixture_file

READ = read_fixture_file(FIXTURES / "markdown" / "read.md")
WRITE = read_fixture_file(FIXTURES / "markdown" / "write.md")


@pytest.mark.parametrize(("line", "title", "source", "expected"), READ, ids=[c[1] for c in READ])
def test_read(line: int, title: str, source: str, expected: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        assert okrcontent.from_markdown(source) == outline(expected)


@pytest.mark.parametrize(("line", "title", "source", "expected"), WRITE, ids=[c[1] for c in WRITE])
def test_write(line: int, title: str, source: str, expected: str) -> None:
    content = outline(source)
    markdown = okrcontent.to_markdown(content)
    assert markdown == expected + "\n"
    assert okrcontent.from_markdown(markdown) == okrcontent.normalize(content)
