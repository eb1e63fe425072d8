"""A record's metadata (:mod:`okrcontent.metadata`): the fields every format writes beside the
content, read back to the same record in either spelling; files of records as people edit
them (``tests/fixtures/records/``); what is not a record's metadata, an error naming the field;
one vocabulary for the writers, the documents and the command line."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import okrcontent
import okrcontent.writers.html
from okrcontent import (
    Content,
    ContentError,
    Paragraph,
    ProgressRecord,
    ProgressStatus,
    frontmatter,
    metadata,
)
from okrcontent.cli import main
from okrcontent.cli.openapi import STATUSES
from okrcontent.document import display
from okrcontent.document.outline import WORDS
from okrcontent.formats import FORMATS
from okrcontent.losses import Loss

from .data import API_EXAMPLE
from .outline import FIXTURES, outline, read_fixture_file
from .strategies import wire_records

UTC = dt.timezone.utc


def _through_yaml(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields as front matter, and read back as the readers read them."""
    read, body = frontmatter.split(frontmatter.dump(fields))
    assert body == ""
    return read or {}


def _same_record(read: ProgressRecord, original: ProgressRecord) -> None:
    assert okrcontent.dump_record(read) == okrcontent.dump_record(
        metadata.normalize_record(original)
    )


# --- the fields ------------------------------------------------------------------------------


def test_the_api_examples_fields() -> None:
    record = okrcontent.load_record(API_EXAMPLE)
    assert metadata.fields(record) == {
        "progress_id": "7046518160811425812",
        "modified": dt.datetime(2021, 12, 28, 7, 40, 13, 95000, tzinfo=UTC),
    }
    assert frontmatter.dump(metadata.fields(record)) == (
        '---\nprogress_id: "7046518160811425812"\nmodified: 2021-12-28T07:40:13.095Z\n---\n'
    )


def test_a_v2_items_fields_name_its_spelling_its_integers_and_the_rest() -> None:
    item = {
        "id": 7342000000000000001,
        "update_time": "1728900000000",
        "create_time": 1727748000000,
        "owner": {"owner_type": "user", "user_id": "ou_1"},
        "entity_type": 3,
        "entity_id": "73",
        "progress_rate": {"progress_percent": 50, "progress_status": 1, "trend": "up"},
        "content": {"blocks": [], "revision": 4},
        "source": {"title": "Weekly"},
    }
    record = okrcontent.load_record(item)
    fields = metadata.fields(record)
    assert fields == {
        "progress_id": "7342000000000000001",
        "modified": dt.datetime(2024, 10, 14, 10, 0, tzinfo=UTC),
        "percent": 50,
        "status": "at_risk",
        "created": dt.datetime(2024, 10, 1, 2, 0, tzinfo=UTC),
        "owner": "ou_1",
        "owner_type": "user",
        "entity_type": "key_result",
        "entity_id": "73",
        "dialect": "v2",
        "integers": ["progress_id", "created"],
        "extra": {
            "progress_rate": {"trend": "up"},
            "source": {"title": "Weekly"},
            "content": {"revision": 4},
        },
    }
    back = metadata.record(_through_yaml(fields), Content())
    assert okrcontent.dump_record(back) == item
    assert okrcontent.dialect_of(back) == "v2"


@given(st.one_of(wire_records(dialect="v1"), wire_records(dialect="v2")))
def test_fields_give_the_record_back_through_yaml_and_through_text(wire: dict[str, Any]) -> None:
    record = okrcontent.load_record(wire)
    content = okrcontent.normalize(record)
    fields = metadata.fields(record)
    _same_record(metadata.record(_through_yaml(fields), content), record)
    texts = metadata.texts(fields)
    assert all(isinstance(text, str) for text in texts.values())
    _same_record(metadata.record(metadata.from_texts(texts), content, prefix="okr-"), record)


@pytest.mark.parametrize(
    ("wire", "shown"),
    [
        ("1728900000000", dt.datetime(2024, 10, 14, 10, 0, tzinfo=UTC)),
        ("0", dt.datetime(1970, 1, 1, tzinfo=UTC)),
        ("253402300799999", dt.datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)),
        ("253402300800000", "253402300800000"),  # past the calendar: its digits
        ("01728900000000", "01728900000000"),  # another spelling of a time: as it came
    ],
)
def test_a_time_is_shown_as_one_only_where_that_says_the_same_digits(
    wire: str, shown: dt.datetime | str
) -> None:
    record = ProgressRecord(modify_time=wire)
    fields = metadata.fields(record)
    assert fields == {"modified": shown}
    assert metadata.record(_through_yaml(fields), Content()).modify_time == wire


@pytest.mark.parametrize(
    "written",
    [
        dt.datetime(2024, 10, 14, 10, 0, tzinfo=UTC),
        dt.datetime(2024, 10, 14, 18, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        dt.datetime(2024, 10, 14, 10, 0),  # YAML: no zone is UTC
        "2024-10-14T10:00:00Z",
        "2024-10-14T10:00:00.000+00:00",
        "2024-10-14 18:00+08:00",
        "1728900000000",
        1728900000000,
    ],
)
def test_a_time_may_be_written_as_people_write_times(written: Any) -> None:
    read = metadata.record({"modified": written}, Content())
    assert read.modify_time == "1728900000000"


def test_a_day_is_its_first_moment_in_utc() -> None:
    read = metadata.record({"created": dt.date(2024, 10, 14)}, Content())
    assert read.created_at == dt.datetime(2024, 10, 14, tzinfo=UTC)


def test_names_are_read_as_people_write_them() -> None:
    for written in ("at_risk", "At risk", "AT-RISK", 1):
        rate = metadata.record({"status": written}, Content()).progress_rate
        assert rate is not None
        assert rate.status is ProgressStatus.AT_RISK
    assert metadata.record({"entity_type": "Key result"}, Content()).entity_type == 3


def test_extra_too_deep_for_yaml_is_its_json_text() -> None:
    deep: Any = []
    for _ in range(300):
        deep = [deep]
    record = okrcontent.load_record({"progress_id": "1", "deep": deep})
    fields = metadata.fields(record)
    assert isinstance(fields["extra"], str)
    assert json.loads(fields["extra"]) == {"deep": deep}
    _same_record(metadata.record(_through_yaml(fields), Content()), record)
    _same_record(okrcontent.record_from_markdown(okrcontent.to_markdown(record)), record)


def test_a_value_no_field_can_show_stays_in_extra_and_is_refused_on_reading() -> None:
    record = ProgressRecord(progress_id=5)  # type: ignore[arg-type]  # built by hand, wrongly
    markdown = okrcontent.to_markdown(record)
    assert markdown == '---\nextra: {"progress_id": 5}\n---\n'
    with pytest.raises(ContentError, match=r"^front matter\.extra\.progress_id: expected a string"):
        okrcontent.record_from_markdown(markdown)


def test_content_has_no_fields_and_a_record_of_nothing_none() -> None:
    for value in (Content(["x"]), ProgressRecord(content=Content(["x"]))):
        assert okrcontent.to_markdown(value) == "x\n"
        assert okrcontent.to_text(value) == "x\n"
        assert "okr-record-head" not in okrcontent.to_html(value)
    assert okrcontent.record_from_markdown("x\n") == ProgressRecord(content=Content(["x"]))


def test_is_metadata() -> None:
    assert metadata.is_metadata({"title": "x", "status": "normal"})
    assert not metadata.is_metadata({"title": "x", "tags": []})


# --- files of records ------------------------------------------------------------------------

RECORDS = FIXTURES / "records"
CASES = [
    pytest.param(format_, *case, id=f"{format_}:{case[1]}")
    for format_, name in (("markdown", "markdown.md"), ("text", "text.txt"), ("html", "html.html"))
    for case in read_fixture_file(RECORDS / name)
]


@pytest.mark.parametrize(("format_", "line", "title", "source", "expected"), CASES)
def test_files_of_records(format_: str, line: int, title: str, source: str, expected: str) -> None:
    read = FORMATS[format_].read
    if expected.startswith("error: "):
        with pytest.raises(ContentError) as caught:
            read(source)
        assert str(caught.value) == expected.removeprefix("error: ")
        return
    with warnings.catch_warnings(record=True) as caught_warnings:
        warnings.simplefilter("always")
        result = read(source)
    first, _, rest = expected.partition("\n")
    if first == "content":
        assert isinstance(result, Content)
        assert result == outline(rest)
        losses = {getattr(w.message, "loss", None) for w in caught_warnings}
        assert (Loss.METADATA_LEFT_ASIDE in losses) == ("left aside" in title)
        return
    assert isinstance(result, ProgressRecord), title
    dumped = okrcontent.dump_record(result)
    held = dumped.pop("content")
    assert (
        held.pop("blocks")
        == okrcontent.dump_content(outline(rest), okrcontent.dialect_of(result))["blocks"]
    )
    assert not held
    assert dumped == json.loads(first)
    record_from = {
        "markdown": okrcontent.record_from_markdown,
        "text": okrcontent.record_from_text,
        "html": okrcontent.record_from_html,
    }[format_]
    assert okrcontent.dump_record(record_from(source)) == okrcontent.dump_record(result)


YAMLISH = st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#%@` \n\t09.,?~")), max_size=40)
FIELD_LINES = st.lists(
    st.tuples(st.sampled_from(metadata.NAMES), st.one_of(YAMLISH, st.text(max_size=12))),
    max_size=4,
).map(lambda pairs: "".join(f"{name}: {value}\n" for name, value in pairs))
READERS = [
    okrcontent.record_from_markdown,
    okrcontent.record_from_text,
    FORMATS["markdown"].read,
    FORMATS["text"].read,
]


@given(st.one_of(YAMLISH, FIELD_LINES), st.sampled_from(READERS))
def test_any_front_matter_gives_a_record_or_a_content_error(block: str, read: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        try:
            result = read(f"---\n{block}---\n\nbody\n")
        except ContentError:
            return
    assert isinstance(result, (Content, ProgressRecord))


@given(st.dictionaries(st.sampled_from(metadata.NAMES), st.text(max_size=12), max_size=4))
def test_any_html_fields_give_a_record_or_a_content_error(texts: dict[str, str]) -> None:
    page = "".join(okrcontent.writers.html.meta(name, text) for name, text in texts.items())
    try:
        result = okrcontent.record_from_html(f"<head>{page}</head><p>x</p>")
    except ContentError:
        return
    assert result.content == Content([Paragraph(["x"])])


# --- one vocabulary --------------------------------------------------------------------------


def test_one_vocabulary_for_statuses_and_times() -> None:
    assert list(STATUSES) == ["none", "normal", "at_risk", "delayed"]
    assert set(STATUSES.values()) == set(ProgressStatus)
    assert {WORDS[status.name] for status in metadata.STATUS_WORDS} == set(
        metadata.STATUS_WORDS.values()
    )
    assert display.percent is metadata.percent
    assert display.moment is metadata.moment
    when = dt.datetime(2025, 10, 16, 8, 50, tzinfo=UTC)
    assert metadata.moment(when) == "2025-10-16 08:50 UTC"
    assert metadata.iso(when) == "2025-10-16T08:50:00.000Z"


# --- the command line ------------------------------------------------------------------------


def test_convert_reads_the_whole_record_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = okrcontent.load_record(API_EXAMPLE)
    for format_ in ("markdown", "html", "text"):
        path = tmp_path / f"update{FORMATS[format_].extension}"
        assert (
            main(
                [
                    "convert",
                    str(okrcontent_path(tmp_path, record)),
                    "--to",
                    format_,
                    "-o",
                    str(path),
                ]
            )
            == 0
        )
        assert main(["convert", str(path), "--to", "json"]) == 0
        out, _ = capsys.readouterr()
        read = okrcontent.load_record(out)
        assert read.progress_id == record.progress_id
        assert read.modify_time == record.modify_time


def okrcontent_path(folder: Path, record: ProgressRecord) -> Path:
    path = folder / "record.json"
    path.write_text(json.dumps(okrcontent.dump_record(record)), encoding="utf-8")
    return path
