"""Output name templates: the names they make, the ones they refuse before any record is
converted, and that no template, whatever its text, names a file outside the folder."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import okrcontent
from okrcontent import ContentError, ProgressRate, ProgressRecord, ProgressStatus
from okrcontent.ids import ID_RULES
from okrcontent.names import DEFAULT_TEMPLATE, FIELDS, NameTemplate

RECORD = ProgressRecord(
    progress_id="7046518160811425812",
    modify_time="1640677213095",  # 2021-12-28T07:40:13Z
    progress_rate=ProgressRate(62.5, ProgressStatus.DELAYED),
)
NAME_RULE = ID_RULES["name"][0]


@pytest.mark.parametrize(
    ("template", "name"),
    [
        (DEFAULT_TEMPLATE, "7046518160811425812"),
        ("{modified:%Y-%m-%d}_{progress_id}", "2021-12-28_7046518160811425812"),
        ("{status}-{progress_id}", "delayed-7046518160811425812"),
        ("{percent:.0f}pct.{progress_id}", "62pct.7046518160811425812"),
        ("{progress_id:.6}", "704651"),
    ],
)
def test_names_from_the_record(template: str, name: str) -> None:
    assert NameTemplate(template).name(RECORD) == name


def test_a_record_without_a_status_is_none_and_without_a_time_is_its_failure() -> None:
    bare = ProgressRecord(progress_id="7")
    assert NameTemplate("{status}_{progress_id}").name(bare) == "none_7"
    with pytest.raises(ContentError) as caught:
        NameTemplate("{modified:%Y}_{progress_id}").name(bare)
    assert str(caught.value) == "modify_time: missing (the name template uses {modified})"
    negative = ProgressRecord(progress_id="7", progress_rate=ProgressRate(-5))
    with pytest.raises(ContentError, match=r"^name: '-5' is not a file name"):
        NameTemplate("{percent:.0f}").name(negative)


@pytest.mark.parametrize(
    ("template", "why"),
    [
        ("{progress_id.__class__}", "reaches into a field"),
        ("{progress_id[0]}", "reaches into a field"),
        ("{x[0]}", "no field {x[0]}"),
        ("{0}", "a field needs a name"),
        ("{}", "a field needs a name"),
        ("{progress_id!r}", "no conversions"),
        ("{modified:{progress_id}}", "no fields inside a format"),
        ("a/{progress_id}", "'/' would leave the output folder"),
        ("..\\{progress_id}", "'\\\\' would leave the output folder"),
        ("/etc/{progress_id}", "'/' would leave the output folder"),
        ("..{progress_id}", "is not a file name"),
        (".{progress_id}", "is not a file name"),
        ("{modified:%D}", "'12/28/21' is not a file name"),
        ("{modified:%c}", "is not a file name"),
        ("{progress_id:>200}", "is not a file name"),
        ("report", "names no field"),
        ("{progress_id", "expected '}'"),
        ("{nope}", "no field {nope} (fields: progress_id, modified"),
    ],
)
def test_templates_that_could_leave_the_folder_are_refused(template: str, why: str) -> None:
    with pytest.raises(ValueError, match=re.escape(why)):
        NameTemplate(template)


TEMPLATE_TEXT = st.lists(
    st.one_of(
        st.sampled_from([f"{{{field}}}" for field in FIELDS] + ["{modified:%Y/%m}", "{x.y}"]),
        st.text(alphabet=string.ascii_letters + string.digits + "/\\.:%{}!_-[] \x00é", max_size=6),
    ),
    max_size=5,
).map("".join)


@settings(max_examples=200)
@given(
    template=TEMPLATE_TEXT, percent=st.floats(-100, 1000), seconds=st.integers(-(10**11), 10**12)
)
def test_no_template_names_a_path(template: str, percent: float, seconds: int) -> None:
    """Whatever the template's text: refused when it is made, or each record gets a plain
    file name (the ids rule: no separator, no leading dot) or its own failure."""
    try:
        names = NameTemplate(template)
    except ValueError:
        return
    record = ProgressRecord(
        progress_id="7046518160811425812",
        modify_time=str(seconds * 1000),
        create_time=str(seconds * 1000),
        progress_rate=ProgressRate(percent, ProgressStatus.NORMAL),
        entity_id="7046518160811425801",
    )
    problem: ContentError | None = None
    try:
        name = names.name(record)
    except ContentError as error:
        problem = error
    if problem is not None:
        assert problem.path in {"name", *(source for _, source, _ in FIELDS.values())}
        return
    assert NAME_RULE.fullmatch(name)
    assert "/" not in name
    assert "\\" not in name
    assert not name.startswith(".")


def test_v2_items_are_named_by_their_id() -> None:
    item = {"id": "7146518160811425812", "update_time": "1640677213095", "content": {"blocks": []}}
    record = okrcontent.load_record(item)
    assert NameTemplate("{progress_id}_{modified:%Y}").name(record) == "7146518160811425812_2021"
