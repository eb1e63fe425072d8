"""The OKR entities: v2 cycles, objectives, key results and progress items, v1's user OKRs,
and putting them together."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import warnings
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import okrcontent
from okrcontent import (
    Content,
    ContentError,
    Cycle,
    CycleStatus,
    EntityType,
    KeyResult,
    Objective,
    Owner,
    Paragraph,
    ProgressRecord,
    TextRun,
)
from okrcontent.okr import group

from .outline import FIXTURES
from .strategies import mutated, wire_cycles, wire_key_results, wire_objectives, wire_records

HALF = settings(max_examples=max(10, settings().max_examples // 2))
"""For property tests whose machinery a v1 twin already draws hard: half the budget."""

V2 = FIXTURES / "v2"
OWNER = Owner("user", "ou_3bbe8a09c20e89cce9bff989ed840674")
WHEN = dt.datetime(2025, 10, 16, 8, 50, 34, 563000, tzinfo=dt.timezone.utc)


def _fixture(name: str) -> Any:
    return json.loads((V2 / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("cycle.json", Cycle),
        ("objective.json", Objective),
        ("key_result.json", KeyResult),
        ("progress.json", ProgressRecord),
        ("progress-sdk-integers.json", ProgressRecord),
    ],
)
def test_published_examples_load_as_their_kind_and_dump_back(name: str, kind: type) -> None:
    data = _fixture(name)
    entity = okrcontent.load_okr(data)
    assert type(entity) is kind
    assert okrcontent.load_okr(json.dumps(data), kind) == entity
    assert okrcontent.dump_okr(entity) == data
    assert okrcontent.dialect_of(entity) == "v2"


def test_an_objective_reads_like_the_objective() -> None:
    objective = okrcontent.load_okr(_fixture("objective.json"), Objective)
    assert objective.id == "7342342398472398473"
    assert objective.owner == OWNER
    assert (objective.position, objective.score, objective.weight) == (1, 0.5, 0.5)
    assert objective.created_at == objective.updated_at == objective.deadline_at == WHEN
    assert objective.content == Content(["Make onboarding delightful"])
    assert okrcontent.to_text(objective.notes or Content()) == "[ ] interview 5 customers\n"
    assert okrcontent.dialect_of(objective.notes or Content()) == "v2"


def test_a_cycle_and_a_progress_item_read_like_themselves() -> None:
    cycle = okrcontent.load_okr(_fixture("cycle.json"), Cycle)
    assert cycle.cycle_status is CycleStatus.NORMAL
    assert cycle.starts_at == dt.datetime(2025, 10, 1, tzinfo=dt.timezone.utc)
    assert cycle.ends_at == dt.datetime(2025, 12, 31, 23, 59, 59, 999000, tzinfo=dt.timezone.utc)
    item = okrcontent.load_record(_fixture("progress.json"))
    assert (item.progress_id, item.entity_type, item.entity_id) == (
        "1",
        EntityType.KEY_RESULT,
        "7342342398472398474",
    )
    assert item.modified_at == item.created_at == WHEN
    assert item.progress_rate == okrcontent.ProgressRate(50.21, 0)
    assert "Week 3: activation at 38%" in okrcontent.to_markdown(item)


def test_ids_and_times_are_strings_however_they_came_and_go_back_as_they_came() -> None:
    numbers = _fixture("progress-sdk-integers.json")
    as_text = {
        k: str(v) if isinstance(v, int) and k != "entity_type" else v for k, v in numbers.items()
    }
    from_numbers, from_text = okrcontent.load_record(numbers), okrcontent.load_record(as_text)
    assert from_numbers == from_text
    assert from_numbers.progress_id == "7342342398472398475"
    assert okrcontent.dump_record(from_numbers) == numbers
    assert okrcontent.dump_record(from_text) == as_text
    assert okrcontent.dump_record(from_numbers, "v1")["progress_id"] == "7342342398472398475"


@HALF
@given(
    st.one_of(
        st.tuples(wire_objectives(), st.just(Objective)),
        st.tuples(wire_key_results(), st.just(KeyResult)),
        st.tuples(wire_cycles(), st.just(Cycle)),
        st.tuples(wire_records(dialect="v2"), st.just(ProgressRecord)),
    )
)
def test_every_entity_round_trips_exactly(case: tuple[dict[str, Any], type]) -> None:
    data, kind = case
    original = copy.deepcopy(data)
    entity = okrcontent.load_okr(json.dumps(data, ensure_ascii=False), kind)
    assert type(entity) is kind
    assert json.dumps(okrcontent.dump_okr(entity), sort_keys=True) == json.dumps(
        original, sort_keys=True
    )
    assert data == original


@pytest.mark.parametrize(
    "envelope",
    [
        {"code": 0, "msg": "success", "data": {"objective": "OBJECTIVE"}},
        {"code": 0, "msg": "success", "data": "OBJECTIVE"},
        {"objective": "OBJECTIVE"},
    ],
    ids=["get answer", "envelope", "keyed"],
)
def test_get_answers_are_unwrapped(envelope: dict[str, Any]) -> None:
    text = json.dumps(envelope).replace('"OBJECTIVE"', json.dumps(_fixture("objective.json")))
    assert okrcontent.load_okr(text) == okrcontent.load_okr(_fixture("objective.json"))


def _bad(field: str, value: Any) -> dict[str, Any]:
    return {"id": "1", field: value}


OBJECTIVE_CONTENT = "content.blocks[0].paragraph.elements[0].text_run"

INVALID: list[tuple[Any, type | None, str]] = [
    (
        {"code": 0, "data": {"objective": {"cycle_id": 5.5}}},
        None,
        "data.objective.cycle_id: expected an id (a string or an integer), got a number 5.5",
    ),
    (_bad("position", -1), Objective, "position: -1 is not in 0..2147483647"),
    (_bad("position", "1"), KeyResult, "position: expected an integer, got a string '1'"),
    (_bad("score", "high"), Objective, "score: expected a finite number, got a string 'high'"),
    (
        _bad("deadline", "2025-06-30"),
        KeyResult,
        "deadline: expected epoch milliseconds (digits or an integer), got a string '2025-06-30'",
    ),
    (_bad("cycle_status", 9), Cycle, "cycle_status: expected one of 0, 1, 2, 3, got a number 9"),
    (_bad("owner", {"user_id": 7}), Cycle, "owner.user_id: expected a string, got a number 7"),
    (
        _bad(
            "content",
            {
                "blocks": [
                    {
                        "block_element_type": "paragraph",
                        "paragraph": {
                            "elements": [
                                {"paragraph_element_type": "textRun", "text_run": {"text": 1}}
                            ]
                        },
                    }
                ]
            },
        ),
        Objective,
        f"{OBJECTIVE_CONTENT}.text: expected a string, got a number 1",
    ),
    (
        _bad("notes", {"blocks": [{"type": "paragraph", "paragraph": {}}]}),
        Objective,
        "notes.blocks[0].type: spelled v1 in a v2 document (v2: block_element_type)",
    ),
    (
        {"id": "1"},
        None,
        "cannot tell which OKR entity this is (no key only one kind has): pass kind=",
    ),
    (
        {"data": {"items": [], "has_more": False}, "code": 0},
        None,
        "data: a page of a list answer: load each of its items",
    ),
    ([], None, "expected a JSON object, got a list []"),
    (
        {"code": 1001002, "msg": "no permission"},
        None,
        "code: the API answered code 1001002: 'no permission'",
    ),
]


@pytest.mark.parametrize(("data", "kind", "message"), INVALID, ids=[m for *_, m in INVALID])
def test_invalid_entities_name_the_path(data: Any, kind: type | None, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        okrcontent.load_okr(data, kind)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("load", "data", "message"),
    [
        (
            okrcontent.load_content,
            "objective.json",
            "this is an objective, not content: use load_okr()",
        ),
        (
            okrcontent.load_record,
            "key_result.json",
            "this is a key result, not a record: use load_okr()",
        ),
        (okrcontent.load_record, "cycle.json", "this is a cycle, not a record: use load_okr()"),
    ],
)
def test_each_loader_says_what_else_it_was_given(load: Any, data: str, message: str) -> None:
    with pytest.raises(ContentError, match=f"^{re.escape(message)}$"):
        load(_fixture(data))


def test_entities_have_only_the_v2_spelling() -> None:
    objective = okrcontent.load_okr(_fixture("objective.json"), Objective)
    with pytest.raises(ValueError, match="Objective has only the v2 spelling"):
        okrcontent.dump_okr(objective, "v1")
    body = okrcontent.dump_okr(objective, for_write=True)
    assert body["content"]["blocks"][0]["paragraph"]["elements"][0] == {
        "paragraph_element_type": "textRun",
        "text_run": {"text": "Make onboarding delightful"},
    }


def test_absurd_times_read_as_none() -> None:
    cycle = Cycle(start_time="9" * 5000, end_time="253402300800000", create_time="-1")
    assert (cycle.starts_at, cycle.ends_at) == (None, None)
    assert cycle.created_at == dt.datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=dt.timezone.utc)
    assert KeyResult(deadline="x").deadline_at is None


# --- v1's users/:id/okrs ----------------------------------------------------------------------


def test_v1_user_okrs_load_into_the_same_classes() -> None:
    entities = okrcontent.load_user_okrs((V2 / "user-okrs-v1.json").read_bytes())
    kinds = [type(e).__name__ for e in entities]
    assert kinds == [
        "Cycle",
        "Objective",
        "ProgressRecord",
        "KeyResult",
        "ProgressRecord",
        "ProgressRecord",
        "KeyResult",
    ]
    cycle, objective, record, kr, *_, last = entities
    assert isinstance(cycle, Cycle)
    assert isinstance(objective, Objective)
    assert (cycle.id, cycle.tenant_cycle_id) == ("7026500000000000001", "6951461264858777132")
    assert cycle.extra is not None
    assert cycle.extra.keys["name"] == "2021 年 10 月 - 12 月"
    assert objective.cycle_id == cycle.id
    assert objective.content == Content(
        [
            Paragraph([TextRun("Make onboarding delightful")]),
            Paragraph([TextRun("for every new team")]),
        ]
    )
    assert objective.notes == Content()
    assert (objective.score, objective.weight, objective.position) == (0.77, 1.0, 1)
    assert objective.extra is not None
    assert objective.extra.keys["progress_rate"] == {
        "percent": 40,
        "status": "0",
    }
    assert record == ProgressRecord(
        "7041857032248410131", entity_type=EntityType.OBJECTIVE, entity_id=objective.id
    )
    assert isinstance(kr, KeyResult)
    assert isinstance(last, KeyResult)
    assert (kr.objective_id, kr.weight, kr.score, kr.position) == (objective.id, 0.6, 0.5, 1)
    assert (last.position, last.score) == (2, None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"okr_list": {}}, "okr_list: expected a list, got an object {}"),
        (
            {"okr_list": [{"objective_list": [7]}]},
            "okr_list[0].objective_list[0]: expected an object, got a number 7",
        ),
        (
            {"okr_list": [{"objective_list": [{"score": "A"}]}]},
            "okr_list[0].objective_list[0].score: expected a finite number, got a string 'A'",
        ),
        (
            {"okr_list": [{"objective_list": [{"kr_list": [{}, {"content": 5}]}]}]},
            "okr_list[0].objective_list[0].kr_list[1].content: expected a string, got a number 5",
        ),
        (
            {"okr_list": [{"objective_list": [{"progress_record_list": [{"id": []}]}]}]},
            "okr_list[0].objective_list[0].progress_record_list[0].id: "
            "expected an id (a string or an integer), got a list []",
        ),
        (
            {"code": 0, "data": {"okr_list": [{"id": 1.5}]}},
            "data.okr_list[0].id: expected an id (a string or an integer), got a number 1.5",
        ),
        (
            {"code": 99991663, "msg": "token invalid"},
            "code: the API answered code 99991663: 'token invalid'",
        ),
    ],
)
def test_malformed_user_okrs_name_the_path(data: Any, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        okrcontent.load_user_okrs(data)
    assert str(caught.value) == message


# --- putting them together --------------------------------------------------------------------


def test_group_puts_a_cycle_together_in_reading_order() -> None:
    cycle = Cycle("c")
    o1, o2 = Objective("o1", cycle_id="c", position=2), Objective("o2", cycle_id="c", position=1)
    k1, k2 = (
        KeyResult("k1", objective_id="o1", position=2),
        KeyResult("k2", objective_id="o1", position=1),
    )
    old = ProgressRecord("p1", "1000", entity_type=EntityType.KEY_RESULT, entity_id="k1")
    new = ProgressRecord("p2", "2000", entity_type=EntityType.KEY_RESULT, entity_id="k1")
    mine = ProgressRecord("p3", "1500", entity_type=EntityType.OBJECTIVE, entity_id="o2")
    stray = ProgressRecord("p4", "3000")
    (only, rest) = group([old, k1, o1, cycle, new, k2, o2, mine, stray])
    assert only.cycle is cycle
    assert [o.objective for o in only.objectives] == [o2, o1]
    assert only.objectives[0].progress == (mine,)
    assert [k.key_result for k in only.objectives[1].key_results] == [k2, k1]
    assert only.objectives[1].key_results[1].progress == (new, old)
    assert rest.cycle is None
    assert rest.objectives[0].objective is None
    assert rest.objectives[0].progress == (stray,)


def test_group_places_a_v1_archive_by_the_user_okrs_stubs() -> None:
    entities = okrcontent.load_user_okrs(_fixture("user-okrs-v1.json"))
    archive = [
        okrcontent.load_record(okrcontent.dump_record(ProgressRecord(i, "1")))
        for i in ("7046518160811425812", "9")
    ]
    (cycle, unplaced) = group([*entities, *archive])
    kr = cycle.objectives[0].key_results[0]
    assert [r.progress_id for r in kr.progress] == ["7046518160811425812", "7046518160811425813"]
    assert kr.progress[0].modify_time == "1"  # the archive's record, placed by the stub's target
    assert [r.progress_id for r in unplaced.objectives[0].progress] == ["9"]


def test_group_of_records_alone_is_one_section() -> None:
    records = [ProgressRecord(str(i), str(i)) for i in range(3)]
    (section,) = group(records)
    assert section.cycle is None
    assert section.objectives[0].progress == tuple(reversed(records))


@HALF
@given(mutated(st.one_of(wire_objectives(), wire_key_results(), wire_cycles())))
def test_broken_entities_load_or_raise_content_error(data: Any) -> None:
    try:
        entity = okrcontent.load_okr(data)
    except ContentError:
        return
    okrcontent.dump_okr(entity)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        for content in (getattr(entity, "content", None), getattr(entity, "notes", None)):
            if content is not None:
                assert isinstance(okrcontent.to_text(content), str)
