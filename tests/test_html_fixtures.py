"""The HTML fixture files (``tests/fixtures/html/*.html``): pastes and hostile HTML -> content."""

from __future__ import annotations

import warnings

import pytest

import okrcontent

from .outline import FIXTURES, outline, read_fixture_file

CASES = [
    (path.name, *case)
    for path in sorted((FIXTURES / "html").glob("*.html"))
    for case in read_fixture_file(path)
]


@pytest.mark.parametrize(
    ("file", "line", "title", "source", "expected"), CASES, ids=[f"{c[0]}: {c[2]}" for c in CASES]
)
def test_read(file: str, line: int, title: str, source: str, expected: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        assert okrcontent.from_html(source) == outline(expected)
