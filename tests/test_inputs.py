"""Reading archives: JSON Lines, JSON arrays, gzip, directories, stdin, broken files."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from okrcontent.inputs import Source, iter_sources

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
    assert str(sources[1].error).startswith("invalid JSON")
    assert "gzip" in str(sources[2].error).lower()
