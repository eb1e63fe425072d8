"""The JSON format's reader and writer (``readers/json.py``, ``writers/json.py``): whichever
of a record, an answer or content a file holds, and the wire JSON back."""

from __future__ import annotations

import json
from typing import Any

import pytest

import okrcontent
from okrcontent import Content, ContentError, ProgressRecord, WrongKindError
from okrcontent.readers.json import from_json
from okrcontent.writers.json import to_json

from .data import API_EXAMPLE

ANSWER = json.loads(API_EXAMPLE)
RECORD = ANSWER["data"]
CONTENT = RECORD["content"]


@pytest.mark.parametrize(
    ("given", "kind", "inner"),
    [
        (ANSWER, ProgressRecord, RECORD),
        (RECORD, ProgressRecord, RECORD),
        ({"data": RECORD}, ProgressRecord, RECORD),  # an answer without code and msg
        (CONTENT, Content, CONTENT),
        ({"data": CONTENT}, Content, CONTENT),
    ],
    ids=["answer", "record", "data alone", "content", "content as data"],
)
def test_whichever_a_file_holds_is_read(given: dict[str, Any], kind: type, inner: Any) -> None:
    for text in (json.dumps(given), json.dumps(given).encode()):
        read = from_json(text)
        assert isinstance(read, kind)
        dumped = (
            okrcontent.dump_record(read)
            if isinstance(read, ProgressRecord)
            else okrcontent.dump_content(read)
        )
        assert dumped == inner
        assert json.loads(to_json(read)) == inner


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("not json", ContentError, r"^invalid JSON"),
        ("[1, 2]", ContentError, r"^expected a JSON object, got a list"),
        ('{"code": 99991663, "msg": "token invalid"}', ContentError, r"^code: the API answered"),
        ('{"objective_id": "1", "id": "2"}', WrongKindError, r"not a record: use load_okr"),
    ],
)
def test_anything_else_is_a_content_error(text: str, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        from_json(text)


def test_the_writer_keeps_lone_surrogates_as_escapes() -> None:
    record = okrcontent.load_record({"progress_id": "1", "content": {"blocks": []}, "x": "\ud800"})
    text = to_json(record)
    text.encode("utf-8")  # (encodable: the escape, not the character)
    assert "\\ud800" in text
    assert from_json(text) == record
