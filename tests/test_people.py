"""One mention mechanism: the same ``people=`` cases give the same names in every writer."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import okrcontent
from okrcontent import Content, Mention, Paragraph
from okrcontent.people import People, display_name

WRITERS: dict[str, Callable[..., str]] = {
    "html": okrcontent.to_html,
    "markdown": okrcontent.to_markdown,
    "text": okrcontent.to_text,
}

CASES: list[tuple[str, People, Mention, str]] = [
    ("no resolver: the id", None, Mention("ou_1"), "ou_1"),
    ("a mapping", {"ou_1": "Alice"}, Mention("ou_1"), "Alice"),
    ("a mapping without the id", {"ou_2": "Bob"}, Mention("ou_1"), "ou_1"),
    ("a mapping to an empty name", {"ou_1": ""}, Mention("ou_1"), "ou_1"),
    ("a callable", lambda i: i.upper(), Mention("ou_1"), "OU_1"),
    ("a callable that does not know", lambda i: None, Mention("ou_1"), "ou_1"),
    ("only a user id", None, Mention(None, "7012"), "7012"),
    ("no id at all", {"x": "y"}, Mention(), "unknown"),
    ("CJK names", {"ou_1": "张三"}, Mention("ou_1"), "张三"),
]


@pytest.mark.parametrize(("title", "people", "mention", "name"), CASES, ids=[c[0] for c in CASES])
def test_display_name(title: str, people: People, mention: Mention, name: str) -> None:
    assert display_name(mention, people) == name


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize(("title", "people", "mention", "name"), CASES, ids=[c[0] for c in CASES])
def test_every_writer_shows_the_same_name(
    writer: str, title: str, people: People, mention: Mention, name: str
) -> None:
    output = WRITERS[writer](Content([Paragraph([mention])]), people=people)
    assert "@" + name in output  # (no escape: "_" inside a word is no syntax)
    if writer != "text":  # the markup keeps the ids, so the mention reads back
        read = okrcontent.from_markdown if writer == "markdown" else okrcontent.from_html
        assert read(output) == okrcontent.normalize(Content([Paragraph([mention])]))


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_failing_callable_is_reported_by_every_writer(writer: str) -> None:
    def broken(open_id: str) -> str:
        raise RuntimeError("directory down")

    with pytest.raises(okrcontent.PeopleError, match=r"'ou_1'.*directory down") as caught:
        WRITERS[writer](Content([Paragraph([Mention("ou_1")])]), people=broken)
    assert isinstance(caught.value.__cause__, RuntimeError)
