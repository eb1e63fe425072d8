"""The HTML fixture files: real pastes -> content."""

from __future__ import annotations

import warnings

import pytest

import okrcontent

from .outline import FIXTURES, outline, read_fixture_file

FOREIGN = read_fixture_file(FIXTURES / "html" / "foreign.html")


@pytest.mark.parametrize(
    ("line", "title", "source", "expected"), FOREIGN, ids=[c[1] for c in FOREIGN]
)
def test_read(line: int, title: str, source: str, expected: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        assert okrcontent.from_html(source) == outline(expected)
