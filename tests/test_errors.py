"""ContentError: paths built from the inside out, and errors that survive pickling."""

from __future__ import annotations

import pickle

import pytest

from okrcontent import ContentError, OkrContentError


@pytest.mark.parametrize(
    ("steps", "path"),
    [
        (["red"], "red"),
        (["red", "textColor", "style"], "style.textColor.red"),
        (["text", 0, "elements"], "elements[0].text"),
        ([3, "blocks"], "blocks[3]"),
        ([1, 2, "rows"], "rows[2][1]"),
        ([0], "[0]"),
    ],
)
def test_within_builds_paths_from_the_inside_out(steps: list[str | int], path: str) -> None:
    error = ContentError("bad")
    for step in steps:
        error = error.within(step)
    assert error.path == path
    assert str(error) == f"{path}: bad"


def test_a_pathless_error_is_just_its_reason() -> None:
    assert str(ContentError("invalid JSON")) == "invalid JSON"


def test_content_errors_pickle_with_their_path() -> None:
    error = pickle.loads(pickle.dumps(ContentError("bad", "a.b")))
    assert (error.reason, error.path, str(error)) == ("bad", "a.b", "a.b: bad")


def test_hierarchy() -> None:
    assert issubclass(ContentError, OkrContentError)
    assert issubclass(ContentError, ValueError)
