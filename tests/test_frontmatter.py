"""Front matter: what dump writes, every YAML reader reads back as the same values; what
split reads is only ever a mapping or ContentError."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from okrcontent import ContentError, frontmatter

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(),
    st.sampled_from(["yes", "No", "on", "null", "~", "1e3", "0x1F", "1_000", "12:30", "- a", "#"]),
)
values = st.recursive(
    scalars,
    lambda kids: st.one_of(
        st.lists(kids, max_size=3), st.dictionaries(st.text(), kids, max_size=3)
    ),
    max_leaves=8,
)
moments = st.datetimes(
    min_value=dt.datetime(1, 1, 1),
    max_value=dt.datetime(9999, 12, 31),
    timezones=st.just(dt.timezone.utc),
).map(lambda t: t.replace(microsecond=t.microsecond // 1000 * 1000))


def _same(read: Any, written: Any) -> bool:
    if isinstance(written, float) and isinstance(read, float):
        return read == written or (read != read and written != written)
    if isinstance(written, (list, tuple)):
        return (
            isinstance(read, list) and len(read) == len(written) and all(map(_same, read, written))
        )
    if isinstance(written, dict):
        return (
            isinstance(read, dict)
            and read.keys() == written.keys()
            and all(_same(read[k], v) for k, v in written.items())
        )
    return type(read) is type(written) and read == written


@given(st.dictionaries(st.text(), values, max_size=6))
@example({"big": 1e16, "nested": [1e16, "a,b", {"k": "x: y"}]})
@example({"s": "\ud800 \x85 \u2028 \x7f \ufeff", "n": None, "y": "y"})
def test_dump_reads_back_the_same_values(fields: dict[str, Any]) -> None:
    block = frontmatter.dump(fields)
    if not fields:
        assert block == ""
        return
    read, body = frontmatter.split(block + "body\n")
    assert body == "body\n"
    assert read is not None
    assert _same(read, fields)
    with mock.patch.object(frontmatter, "_FAST", None):  # PyYAML without libyaml
        assert _same(frontmatter.split(block)[0], fields)


@given(moments)
def test_times_read_back_to_the_millisecond(moment: dt.datetime) -> None:
    read, _ = frontmatter.split(frontmatter.dump({"modified": moment}))
    assert read == {"modified": moment}


def test_a_record_header_reads_as_people_write_it() -> None:
    block = frontmatter.dump(
        {
            "progress_id": "7046518160811425812",
            "modified": dt.datetime(2024, 10, 14, 10, 0, tzinfo=dt.timezone.utc),
            "percent": 12.5,
            "status": "at_risk",
        }
    )
    assert block == (
        "---\n"
        'progress_id: "7046518160811425812"\n'
        "modified: 2024-10-14T10:00:00.000Z\n"
        "percent: 12.5\n"
        "status: at_risk\n"
        "---\n"
    )


@pytest.mark.parametrize(
    "text",
    ["no front matter\n", "--- not a delimiter line\n", "---\nunclosed: 1\n", "", "----\n"],
)
def test_text_without_front_matter_is_all_body(text: str) -> None:
    assert frontmatter.split(text) == (None, text)


def test_crlf_and_an_empty_block() -> None:
    assert frontmatter.split("---\r\na: 1\r\n---\r\nbody\r\n") == ({"a": 1}, "body\n")
    assert frontmatter.split("---\n---\nbody") == ({}, "body")


@pytest.mark.parametrize(
    ("block", "reason"),
    [
        ("a: &x [1]\nb: *x", "aliases are not allowed"),
        ("- a\n- b", "expected a mapping"),
        ("a: [", "not YAML"),
        ("1: a", "expected a mapping"),
        ("a: !!python/object:os.system x", "not YAML"),
        ("x: " + "[" * 10_000 + "]" * 10_000, "not YAML"),
        ("x: " + "9" * 5000, "a value that cannot be read: Exceeds the limit"),  # (ValueError)
        ("x: " + "[" * 200 + "9" * 5000 + "]" * 200, "a value that cannot be read"),  # (PyYAML's)
    ],
)
def test_bad_front_matter_is_a_content_error(block: str, reason: str) -> None:
    with pytest.raises(ContentError, match=reason):
        frontmatter.split(f"---\n{block}\n---\nbody\n")


def test_only_plain_blocks_reach_libyaml() -> None:
    """libyaml builds what has no alias and nests no deeper than 128 levels (its composer
    recurses in C); PyYAML's own loader reads the rest, or refuses it."""
    assert frontmatter._plain("a: [1, {b: 2}]")
    assert not frontmatter._plain("a: &x [1]\nb: *x")
    deep = "a: " + "[" * 200 + "]" * 200
    assert not frontmatter._plain(deep)
    read, _ = frontmatter.split(f"---\n{deep}\n---\n")
    assert read is not None
    assert str(read["a"]).count("[") == 200


def test_a_block_past_the_cap_is_refused_or_read_as_body() -> None:
    big = "a: " + "x" * (frontmatter.MAX_BYTES + 10)
    with pytest.raises(ContentError, match="larger than"):
        frontmatter.split(f"---\n{big}\n---\nbody\n")
    huge = f"---\n{big}{'x' * 2048}\n---\nbody\n"  # the closing line lies past what is read
    assert frontmatter.split(huge) == (None, huge)


def test_what_yaml_cannot_hold_is_refused_when_writing() -> None:
    with pytest.raises(TypeError, match="cannot hold"):
        frontmatter.dump({"x": object()})
    assert yaml.safe_load(frontmatter.dump({"x": float("nan")}).split("---")[1])["x"] != 0
