"""The one id check: every id that reaches a URL or a file name, one message shape."""

from __future__ import annotations

import pytest

from okrcontent import ContentError
from okrcontent.ids import check_id, check_user_id, check_user_id_type


@pytest.mark.parametrize("good", ["1", "7046518160811425812", "9" * 32])
def test_okr_ids_are_ascii_digits(good: str) -> None:
    assert check_id(good, "progress_id") == good


@pytest.mark.parametrize(
    "bad", ["", "1 2", "12\n", "\uff11", "../x", "1?a=b", "9" * 33, 12, None, "a"]
)
def test_anything_else_is_refused_with_the_field(bad: object) -> None:
    with pytest.raises(ContentError, match=r"^target_id: .* is not an id \(ASCII digits"):
        check_id(bad, "target_id")


def test_a_huge_id_is_shown_short() -> None:
    with pytest.raises(ContentError) as caught:
        check_id("1" * 5000 + "x", "progress_id")
    assert len(str(caught.value)) < 120


def test_user_ids_and_their_types() -> None:
    assert check_user_id("ou_b1ba-99") == "ou_b1ba-99"
    with pytest.raises(ContentError, match=r"^user_id: '\.\./x' is not a user id"):
        check_user_id("../x")
    assert check_user_id_type("union_id") == "union_id"
    with pytest.raises(ContentError, match=r"^user_id_type: 'email' is not one of open_id"):
        check_user_id_type("email")
