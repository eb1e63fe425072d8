"""Reading archives: JSON Lines, JSON arrays, gzip, directories, stdin, broken files."""

from __future__ import annotations

import gzip
import io
import json
import random
import sys
import tracemalloc
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrcontent import inputs
from okrcontent.inputs import Source, iter_sources

from .realistic import make_envelope

RECORD = {"progress_id": "1", "content": {"blocks": []}}


def _jsonl(*records: object) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in records)


def test_json_lines_give_one_source_a_line_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(_jsonl(RECORD) + b"\n   \n" + _jsonl(RECORD))
    assert [s.location for s in iter_sources([path])] == [f"{path}:1", f"{path}:4"]


def test_a_json_array_gives_one_source_an_item(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps([RECORD, {"progress_id": "2"}]))
    sources = list(iter_sources([path]))
    assert [s.location for s in sources] == [f"{path}[0]", f"{path}[1]"]
    assert json.loads(sources[1].text) == {"progress_id": "2"}


def test_a_json_object_is_one_source(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(RECORD))
    assert list(iter_sources([path])) == [Source(str(path), path.read_bytes())]


def test_gzip_and_directories_are_read_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    with gzip.open(tmp_path / "sub" / "b.jsonl.gz", "wb") as stream:
        stream.write(_jsonl(RECORD))
    (tmp_path / "a.json").write_text(json.dumps(RECORD))
    (tmp_path / "notes.txt").write_text("ignored")
    (tmp_path / ".okrcontent-manifest.jsonl").write_text('{"manifest": 1}\n')  # hidden: not
    (tmp_path / ".git").mkdir()  # an archive, nor what a hidden folder holds
    (tmp_path / ".git" / "x.jsonl").write_text(json.dumps(RECORD))
    (tmp_path / "w47.post.json").write_text('{"zh_cn": {"content": []}}')  # a chat post
    locations = [s.location for s in iter_sources([tmp_path])]
    assert locations == [str(tmp_path / "a.json"), f"{tmp_path / 'sub' / 'b.jsonl.gz'}:1"]


def test_stdin_is_json_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(_jsonl(RECORD, RECORD))))
    assert [s.location for s in iter_sources(["-"])] == ["<stdin>:1", "<stdin>:2"]


def test_unreadable_inputs_are_sources_with_an_error(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{nope")
    (tmp_path / "bad.jsonl.gz").write_bytes(b"not gzip")
    sources = list(
        iter_sources([tmp_path / "missing.jsonl", tmp_path / "bad.json", tmp_path / "bad.jsonl.gz"])
    )
    assert [s.location for s in sources] == [
        str(tmp_path / "missing.jsonl"),
        str(tmp_path / "bad.json"),
        str(tmp_path / "bad.jsonl.gz"),
    ]
    assert sources[0].error == "cannot read: No such file or directory"
    assert sources[1] == Source(str(tmp_path / "bad.json"), b"{nope")  # one record: judged later
    assert "gzip" in str(sources[2].error).lower()


# --- JSON arrays, streamed -------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.sampled_from('ab"\\[]{},: \n\u00e9\u4e2d\U0001f600\ud800')),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)
SPACE = st.sampled_from(["", " ", "\n", " \r\n\t "])


@given(
    items=st.lists(JSON_VALUES, max_size=6),
    spaces=st.lists(SPACE, min_size=8, max_size=8),
    block=st.integers(1, 24),
    indent=st.sampled_from([None, 2]),
)
def test_a_json_array_is_cut_into_its_items_whatever_the_block_size(
    items: list[object], spaces: list[str], block: int, indent: int | None
) -> None:
    texts = [json.dumps(item, ensure_ascii=False, indent=indent) for item in items]
    joined = (spaces[0] + "," + spaces[1]).join(texts)
    data = f"{spaces[2]}[{spaces[3]}{joined}{spaces[4]}]{spaces[5]}".encode(
        "utf-8", "surrogatepass"
    )
    with patch.object(inputs, "BLOCK", block):
        sources = list(inputs.sources_in(io.BytesIO(data), "a.json"))
    expected = [t.encode("utf-8", "surrogatepass") for t in texts]
    assert sources == [Source(f"a.json[{i}]", t) for i, t in enumerate(expected)]


ITEM_ERROR = "invalid JSON: Expecting property name enclosed in double quotes"
CUT_SHORT = "invalid JSON: expected ',' or ']' after the item, found the end of the file"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"[]", []),
        (b"\xef\xbb\xbf [ ] \n", []),
        (b'[1, "x]"]', [("[0]", b"1"), ("[1]", b'"x]"')]),
        (
            b'[{"a": 1}, {broken}, {"b": 2}]',
            [("[0]", b'{"a": 1}'), ("[1]", f"{ITEM_ERROR} (character 1 of the item)")],
        ),
        (b"[1, 2", [("[0]", b"1"), ("[1]", b"2"), ("[2]", CUT_SHORT)]),
        (
            b"[1 2]",
            [("[0]", b"1"), ("[1]", "invalid JSON: expected ',' or ']' after the item, found '2'")],
        ),
        (b"[1] x", [("[0]", b"1"), ("", "invalid JSON: more text after the array")]),
        # a JSON escape stays one; a byte that is not UTF-8 reaches the record's own check
        (b'["\\ud800", "\xff"]', [("[0]", b'"\\ud800"'), ("[1]", b'"\xff"')]),
    ],
)
def test_json_array_edges(data: bytes, expected: list[tuple[str, bytes | str]]) -> None:
    with patch.object(inputs, "BLOCK", 3):
        sources = list(inputs.sources_in(io.BytesIO(data), "a.json"))
    assert [
        (s.location.removeprefix("a.json"), s.text if s.error is None else s.error) for s in sources
    ] == expected


def test_a_json_array_streams_in_little_memory(tmp_path: Path) -> None:
    rng = random.Random(2)
    path = tmp_path / "export.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        json.dump([make_envelope(rng, 15, i) for i in range(600)], stream, indent=1)
    size = len(gzip.decompress(path.read_bytes()))
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_sources([path]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 600
    assert size > 3_000_000
    assert peak < size / 10, f"peak {peak:,} bytes for a {size:,}-byte array"
