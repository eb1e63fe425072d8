"""Whole OKRs from the v2 listings (and v1 periods) against the loopback fake OpenAPI: every
client case for both clients; the ``fetch --user`` command in process, resumed after an
interruption; the archive's lines as the codec reads them."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import okrcontent
from okrcontent.cli import main
from okrcontent.fetch import (
    AnswerError,
    InvalidParametersError,
    NoPermissionError,
    NotFoundError,
    PagingError,
    TokenError,
)
from okrcontent.fetch.archive import Archive, entry
from okrcontent.fetch.listings import OBJECTIVES, Listed
from okrcontent.fetch.okr import Failed, Selection

from .clients import Runner
from .fake_openapi import APP_ID, APP_SECRET, Answer, FakeOpenAPI

USER = "ou_3bbe8a09c20e89cce9bff989ed840674"
V2 = "/open-apis/okr/v2"
TOKEN = "/open-apis/auth/v3/tenant_access_token/internal"


def paths(api: FakeOpenAPI) -> list[str]:
    return [path for _, path, _, _ in api.requests if path != TOKEN]


# --- the listings, on both clients ---------------------------------------------------------


def test_a_users_cycles_objectives_key_results_and_progress(api: FakeOpenAPI, kind: str) -> None:
    made = api.add_okrs(USER, cycles=1, objectives=2, key_results=2, progress=2)
    cycle, objective, key_result = made["cycle"][0], made["objective"][0], made["key_result"][0]

    def every(client: Any) -> Any:
        return [
            client.list_cycles(USER),
            client.list_objectives(cycle["id"]),
            client.list_key_results(objective["id"]),
            client.list_progress(objective["id"], "objective"),
            client.list_progress(key_result["id"], "kr"),
        ]

    runner = Runner(kind, api)
    listed = [runner.run(lambda c, n=n: every(c)[n]) for n in range(5)]  # type: ignore[misc]
    cycles, objectives, key_results, objective_progress, kr_progress = listed
    assert [okrcontent.dump_okr(c) for c in cycles] == made["cycle"]
    assert [okrcontent.dump_okr(o) for o in objectives] == made["objective"]
    assert [okrcontent.dump_okr(k) for k in key_results] == made["key_result"][:2]
    assert isinstance(objective_progress[0], okrcontent.ProgressRecord)
    assert [r.entity_id for r in objective_progress] == [objective["id"]] * 2
    assert [okrcontent.dump_okr(r) for r in kr_progress] == [
        p for p in made["progress"] if p["entity_id"] == key_result["id"]
    ]
    _, path, query, _ = api.requests[1]
    assert (path, query) == (
        f"{V2}/cycles",
        {"user_id": [USER], "user_id_type": ["open_id"], "page_size": ["100"]},
    )
    assert paths(api)[1:] == [
        f"{V2}/cycles/{cycle['id']}/objectives",
        f"{V2}/objectives/{objective['id']}/key_results",
        f"{V2}/objectives/{objective['id']}/progresses",
        f"{V2}/key_results/{key_result['id']}/progresses",
    ]


def test_every_page_by_its_token(api: FakeOpenAPI, kind: str) -> None:
    made = api.add_okrs(USER, objectives=5, key_results=0, progress=0)
    cycle_id = made["cycle"][0]["id"]
    objectives = Runner(kind, api).run(lambda c: c.list_objectives(cycle_id, page_size=2))
    assert [o.position for o in objectives] == [1, 2, 3, 4, 5]
    tokens = [q.get("page_token") for _, p, q, _ in api.requests if p.endswith("/objectives")]
    assert tokens == [None, ["pt2"], ["pt4"]]


def test_periods_of_the_tenant(api: FakeOpenAPI, kind: str) -> None:
    api.add_okrs(USER, cycles=3, objectives=0)
    periods = Runner(kind, api).run(lambda c: c.list_periods(page_size=2))
    assert [p.en_name for p in periods] == ["Q1 2025", "Q2 2025", "Q3 2025"]
    assert periods[0].names == ("2025 年第 1 季度", "Q1 2025")
    assert periods[1].start_time == "1743465600000"
    _, path, query, _ = api.requests[1]
    assert (path, query) == ("/open-apis/okr/v1/periods", {"page_size": ["2"]})


def test_ids_answered_as_integers_are_strings(api: FakeOpenAPI, kind: str) -> None:
    item = json.loads(
        (Path(__file__).parent / "fixtures/v2/progress-sdk-integers.json").read_text()
    )
    api.okr["key_results/progresses", "7"] = [item]
    (record,) = Runner(kind, api).run(lambda c: c.list_progress("7", "key_result"))
    assert (record.progress_id, record.entity_id) == ("7342342398472398475", "7342342398472398473")
    assert okrcontent.dump_okr(record) == item


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.list_cycles("ou_x&page_size=1"), "user_id: 'ou_x&page_size=1' is not a user"),
        (lambda c: c.list_objectives("1/../../users"), "cycle_id: '1/../../users' is not an id"),
        (lambda c: c.list_key_results("7?x=1"), "objective_id: '7\\?x=1' is not an id"),
        (lambda c: c.list_progress("7#", "kr"), "key_result_id: '7#' is not an id"),
        (lambda c: c.list_progress("7", "cycle"), "target_type: 'cycle' is not objective"),
        (lambda c: c.list_cycles(USER, user_id_type="email"), "user_id_type: 'email' is not"),
    ],
)
def test_a_bad_id_never_reaches_the_server(
    api: FakeOpenAPI, kind: str, call: Any, message: str
) -> None:
    with pytest.raises(okrcontent.ContentError, match=message):
        Runner(kind, api).run(call)
    assert sum(api.calls.values()) == 0


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("loop", "cycles of user .*: the server sent the page cursor 'pt1' again"),
        ("same", "page 2 repeats an earlier one"),
        ("endless", "goes on past 3 pages"),
    ],
)
def test_paging_that_never_ends_is_stopped(
    api: FakeOpenAPI, kind: str, fault: str, message: str
) -> None:
    api.paging_fault = fault
    with pytest.raises(PagingError, match=message):
        Runner(kind, api, max_pages=3).run(lambda c: c.list_cycles(USER))
    assert api.calls[f"{V2}/cycles"] <= 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"items": [], "has_more": True}, "has_more is true without a data.page_token"),
        ({"items": {"id": "1"}}, "data.items: .* where a list belongs"),
        ({"items": [], "has_more": "yes"}, "data.has_more: 'yes' where bool belongs"),
        ({"items": [], "has_more": True, "page_token": 5}, "data.page_token: 5 where a string"),
        ("a page", "data: 'a page' where an object belongs"),
    ],
)
def test_a_malformed_page_is_an_answer_error(
    api: FakeOpenAPI, kind: str, data: Any, message: str
) -> None:
    api.script(f"{V2}/cycles/1/objectives", Answer(200, {"code": 0, "msg": "ok", "data": data}))
    with pytest.raises(AnswerError, match=message):
        Runner(kind, api).run(lambda c: c.list_objectives("1"))


BAD_ITEMS = [
    {"id": "11", "cycle_id": "1", "position": 1},
    {"id": "12", "cycle_id": "1", "content": {"blocks": [{"block_element_type": "paragraph",
     "paragraph": {"style": {"list": {"list_type": "bullet", "indent_level": 40}}}}]}},
    7,
    None,
    {"id": "13", "cycle_id": "1", "score": "high"},
]  # fmt: skip


def test_an_item_that_does_not_load_is_an_error_naming_page_and_field(
    api: FakeOpenAPI, kind: str
) -> None:
    page = {"items": BAD_ITEMS, "has_more": False}
    api.script(f"{V2}/cycles/1/objectives", Answer(200, {"code": 0, "msg": "ok", "data": page}))
    good: list[Any] = []

    def collect(client: Any) -> Any:
        if kind == "sync":
            good.extend(client.list_objectives("1"))  # raises at the bad item
            return None

        async def go() -> None:
            async for objective in client.list_objectives("1"):
                good.append(objective)

        return go()

    with pytest.raises(AnswerError) as caught:
        Runner(kind, api).run(collect)
    assert [o.id for o in good] == ["11"]
    assert str(caught.value) == (
        "objectives of cycle 1, page 1, data.items[1].content.blocks[0].paragraph.style.list"
        ".indent_level: 40 is not in 0..15"
    )


def test_listed_keeps_every_item_as_answered(api: FakeOpenAPI, kind: str) -> None:
    page = {"items": BAD_ITEMS, "has_more": False}
    api.script(f"{V2}/cycles/1/objectives", Answer(200, {"code": 0, "msg": "ok", "data": page}))
    listed = Runner(kind, api).run(lambda c: c.listed(OBJECTIVES, "1"))
    assert [item.item for item in listed] == [i for i in BAD_ITEMS if i is not None]
    assert [item.entity is not None for item in listed] == [True, False, False, False]
    assert [str(item.error).split(": ", 1)[-1] for item in listed[2:]] == [
        "7 where an object belongs",
        "expected a finite number, got a string 'high'",
    ]
    assert listed[3].where == "objectives of cycle 1, page 1, data.items[4]"


def test_an_item_echoing_the_token_gets_it_redacted(api: FakeOpenAPI, kind: str) -> None:
    page = {"items": [{"id": "1", "score": "t-1"}], "has_more": False}  # t-1: the token issued
    api.script(f"{V2}/cycles/1/objectives", Answer(200, {"code": 0, "msg": "ok", "data": page}))
    (listed,) = Runner(kind, api).run(lambda c: c.listed(OBJECTIVES, "1"))
    assert str(listed.error).endswith("score: expected a finite number, got a string '<secret>'")


@pytest.mark.parametrize(
    ("code", "error"), [(1001004, NotFoundError), (1001001, InvalidParametersError)]
)
def test_a_listing_refused_is_its_error(api: FakeOpenAPI, kind: str, code: int, error: Any) -> None:
    api.script(f"{V2}/key_results/5/progresses", Answer(400, {"code": code, "msg": "no"}))
    with pytest.raises(error):
        Runner(kind, api).run(lambda c: c.list_progress("5", "key_result"))


def test_a_busy_listing_is_retried(api: FakeOpenAPI, kind: str) -> None:
    made = api.add_okrs(USER, objectives=0)
    api.script(f"{V2}/cycles", Answer(500, {"code": 1009998, "msg": "busy"}))
    assert Runner(kind, api).run(lambda c: c.list_cycles(USER))[0].id == made["cycle"][0]["id"]
    assert api.calls[f"{V2}/cycles"] == 2


# --- a whole user ---------------------------------------------------------------------------


def walk(kind: str, api: FakeOpenAPI, **options: Any) -> list[Listed[Any] | Failed]:
    events: list[Listed[Any] | Failed] = []
    Runner(kind, api).run(lambda c: c.walk_okrs(USER, events.append, **options))
    return events


def test_a_walk_takes_everything_in_few_requests(api: FakeOpenAPI, kind: str) -> None:
    made = api.add_okrs(USER, cycles=2, objectives=2, key_results=3, progress=4)
    events = walk(kind, api)
    assert all(isinstance(e, Listed) and e.error is None for e in events)
    kinds = Counter(e.kind for e in events if isinstance(e, Listed))
    assert kinds == {"cycle": 2, "objective": 4, "key_result": 12, "progress": 64}
    assert [e.item for e in events if isinstance(e, Listed)][:2] == [
        made["cycle"][0],
        made["objective"][0],
    ]
    # one request for the cycles, then one a cycle, two an objective, one a key result
    assert len(paths(api)) == 1 + 2 + 2 * 4 + 12 == 23
    assert api.calls[TOKEN] == 1


@pytest.mark.parametrize(
    ("select", "cycles"),
    [
        ({"cycle_ids": "second"}, ["Q2 2025"]),
        ({"periods": frozenset({" q3   2025", "2025 年第 1 季度"})}, ["Q1 2025", "Q3 2025"]),
        ({"since": dt.datetime(2025, 6, 29, tzinfo=dt.timezone.utc)}, ["Q2 2025", "Q3 2025"]),
    ],
)
def test_a_walk_takes_the_cycles_selected(
    api: FakeOpenAPI, kind: str, select: dict[str, Any], cycles: list[str]
) -> None:
    made = api.add_okrs(USER, cycles=3, objectives=1, key_results=1, progress=1)
    if select.get("cycle_ids") == "second":  # Q2's cycle id, known once it is made
        select = {"cycle_ids": frozenset({made["cycle"][1]["id"]})}
    events = walk(kind, api, select=Selection(**select))
    periods = {p["id"]: p["en_name"] for p in api.okr["periods", ""]}
    chosen = [e.item for e in events if isinstance(e, Listed) and e.kind == "cycle"]
    assert [periods[c["tenant_cycle_id"]] for c in chosen] == cycles
    assert Counter(e.kind for e in events if isinstance(e, Listed))["objective"] == len(cycles)


def test_a_cycle_without_its_tenant_id_is_placed_by_its_dates(api: FakeOpenAPI, kind: str) -> None:
    made = api.add_okrs(USER, cycles=2, objectives=0)
    eight_hours = 8 * 3600 * 1000
    for cycle in made["cycle"]:  # written at midnight +08:00, the periods at midnight UTC
        del cycle["tenant_cycle_id"]
        cycle["start_time"] = str(int(cycle["start_time"]) - eight_hours)
        cycle["end_time"] = str(int(cycle["end_time"]) - eight_hours)
    events = walk(kind, api, select=Selection(periods=frozenset({"Q2 2025"})))
    assert [e.item["id"] for e in events if isinstance(e, Listed)] == [made["cycle"][1]["id"]]


def test_a_cycle_or_period_not_found_is_said(api: FakeOpenAPI, kind: str) -> None:
    api.add_okrs(USER, cycles=1, objectives=0)
    missing = walk(kind, api, select=Selection(cycle_ids=frozenset({"99"})))
    assert [(e.where, str(e.error)) for e in missing if isinstance(e, Failed)] == [
        ("cycle 99", f"not among the cycles of {USER}")
    ]
    unnamed = walk(kind, api, select=Selection(periods=frozenset({"Q9"})))
    assert [e.message for e in unnamed if isinstance(e, Failed)] == [
        "period 'Q9': no period has that name (the periods: Q1 2025)"
    ]
    assert f"{V2}/cycles" not in paths(api)[-1:]  # no period, no cycles asked for


def test_a_failed_listing_costs_only_itself(api: FakeOpenAPI, kind: str) -> None:
    made = api.add_okrs(USER, cycles=1, objectives=1, key_results=2, progress=1)
    first = made["key_result"][0]["id"]
    api.script(f"{V2}/key_results/{first}/progresses", Answer(400, {"code": 1001002, "msg": "no"}))
    events = walk(kind, api)
    (failed,) = [e for e in events if isinstance(e, Failed)]
    assert failed.where == f"progress of key result {first}"
    assert isinstance(failed.error, NoPermissionError)
    assert failed.message.startswith(f"progress of key result {first}: no (code 1001002")
    assert Counter(e.kind for e in events if isinstance(e, Listed))["progress"] == 2


def test_a_walk_stops_when_the_credentials_fail(api: FakeOpenAPI, kind: str) -> None:
    events: list[Any] = []
    with pytest.raises(TokenError):
        Runner(kind, api, app_secret="wrong").run(lambda c: c.walk_okrs(USER, events.append))
    assert events == []
    assert sum(api.calls.values()) == 1


def test_an_item_that_does_not_load_is_walked_no_further(api: FakeOpenAPI, kind: str) -> None:
    made = api.add_okrs(USER, cycles=1, objectives=2, key_results=1, progress=1)
    api.okr["objectives", made["cycle"][0]["id"]][0]["notes"] = {"blocks": "none"}
    events = walk(kind, api)
    bad = [e for e in events if isinstance(e, Listed) and e.error is not None]
    assert [str(e.error).split("page 1, ")[-1] for e in bad] == [
        "data.items[0].notes.blocks: expected a list, got a string 'none'"
    ]
    assert Counter(e.kind for e in events if isinstance(e, Listed) and e not in bad) == {
        "cycle": 1,
        "objective": 1,
        "key_result": 1,
        "progress": 2,
    }


def test_a_selection_takes_any_iterable_and_an_aware_time() -> None:
    assert Selection(cycle_ids="12", periods=["Q1", "Q2"]) == Selection(
        cycle_ids=frozenset({"12"}), periods=frozenset({"Q1", "Q2"})
    )
    with pytest.raises(ValueError, match="aware datetime"):
        Selection(since=dt.datetime(2025, 1, 1))


# --- the archive ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a.jsonl", "a.jsonl.gz"])
def test_the_archive_keeps_one_line_an_entity_the_newest(tmp_path: Path, name: str) -> None:
    archive = Archive(tmp_path / name)
    objective = {"id": "1", "cycle_id": "2", "update_time": "10"}
    progress = {"id": "3", "entity_type": 2, "entity_id": "1", "update_time": "10"}
    assert [
        archive.put(entry("objective", objective)),
        archive.put(entry("progress", progress)),
    ] == [
        "new",
        "new",
    ]
    assert archive.put(entry("objective", objective)) == "same"
    assert archive.put(entry("objective", {**objective, "update_time": "11"})) == "changed"
    archive.close()
    reopened = Archive(tmp_path / name)  # a run killed before compacting: the next one does
    assert (reopened.superseded, reopened.ids) == (1, {"3"})
    assert reopened.compact() == 1
    opener = gzip.open if name.endswith(".gz") else open
    with opener(tmp_path / name, "rt", encoding="utf-8") as stream:
        lines = [json.loads(line) for line in stream]
    record, newest = (okrcontent.load_okr(line) for line in lines)
    assert (record.modified_at, newest.updated_at) == (  # type: ignore[union-attr]
        dt.datetime(1970, 1, 1, 0, 0, 0, 10000, tzinfo=dt.timezone.utc),
        dt.datetime(1970, 1, 1, 0, 0, 0, 11000, tzinfo=dt.timezone.utc),
    )
    assert [type(okrcontent.load_okr(line)).__name__ for line in lines] == [
        "ProgressRecord",
        "Objective",
    ]


def test_an_item_without_an_id_is_archived_once(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.jsonl") as archive:
        nameless = entry("key_result", {"objective_id": "2", "position": 1})
        assert [archive.put(nameless), archive.put(nameless)] == ["new", "same"]
        assert archive.put(entry("progress", {"id": "#x"})) == "new"  # an id like ours
        assert (archive.ids, archive.superseded) == (set(), 0)


def test_an_entity_line_is_no_record_and_says_so() -> None:
    line = entry("key_result", {"id": "1", "objective_id": "2"})
    with pytest.raises(okrcontent.ContentError, match="a key result, not a record: use load_okr"):
        okrcontent.load_record(line)
    assert okrcontent.load_okr(line) == okrcontent.KeyResult(id="1", objective_id="2")
    assert okrcontent.load_record(entry("progress", {"id": "3"})).progress_id == "3"


# --- the command ----------------------------------------------------------------------------


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OKRCONTENT_APP_ID", "OKRCONTENT_APP_SECRET", "OKRCONTENT_USER_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OKRCONTENT_APP_ID", APP_ID)
    monkeypatch.setenv("OKRCONTENT_APP_SECRET", APP_SECRET)


def fetch(
    api: FakeOpenAPI, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[str]]:
    status = main(["fetch", "--base-url", api.base_url, *args])
    return status, capsys.readouterr().err.splitlines()


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.usefixtures("credentials")
def test_fetch_a_user_archives_whole_okrs(
    api: FakeOpenAPI, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    made = api.add_okrs(USER, cycles=2, objectives=2, key_results=2, progress=3)
    archive = tmp_path / "okrs.jsonl"
    status, err = fetch(api, capsys, "--user", USER, "-o", str(archive))
    assert status == 0, err
    assert err == [
        f"user {USER}: 2 cycles, 4 objectives, 8 key results, 36 progress records in 20 requests",
        f"50 fetched, 0 already in {archive}, 0 failed",
    ]
    lines = lines_of(archive)
    assert lines[0] == {"code": 0, "msg": "success", "data": {"cycle": made["cycle"][0]}}
    entities = [okrcontent.load_okr(line) for line in lines]
    assert okrcontent.dump_okr(entities[1]) == made["objective"][0]
    groups = okrcontent.okr.group(entities)
    assert [[len(o.key_results) for o in group.objectives] for group in groups] == [[2, 2]] * 2
    assert [len(k.progress) for k in groups[1].objectives[0].key_results] == [3, 3]
    summary = okrcontent.batch.convert([archive], to="text", out=tmp_path / "out", jobs=1)
    assert summary.converted == 36
    assert all("not a record: use load_okr()" in f.message for f in summary.failures)


@pytest.mark.usefixtures("credentials")
def test_fetch_again_appends_only_what_changed(
    api: FakeOpenAPI, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    made = api.add_okrs(USER, cycles=1, objectives=2, key_results=1, progress=2)
    archive = tmp_path / "okrs.jsonl.gz"
    assert fetch(api, capsys, "--user", USER, "-o", str(archive))[0] == 0
    first = archive.read_bytes()
    status, err = fetch(api, capsys, "-q", "--user", USER, "-o", str(archive))
    assert (status, err, archive.read_bytes()) == (0, [], first)
    edited = {**made["objective"][1], "score": 0.9, "update_time": "1760000000000"}
    api.okr["objectives", made["cycle"][0]["id"]][1] = edited
    status, err = fetch(api, capsys, "--user", USER, "-o", str(archive))
    assert err[-1] == f"1 fetched, 12 already in {archive}, 0 failed"
    with gzip.open(archive, "rt", encoding="utf-8") as stream:
        objectives = [json.loads(line)["data"].get("objective") for line in stream]
    assert [o for o in objectives if o] == [made["objective"][0], edited]


@pytest.mark.usefixtures("credentials")
def test_fetch_interrupted_resumes_where_it_stopped(
    api: FakeOpenAPI, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    made = api.add_okrs(USER, cycles=1, objectives=2, key_results=2, progress=2)
    second = made["objective"][1]["id"]
    api.script(f"{V2}/objectives/{second}/key_results", Answer(interrupt=True, delay=1.0))
    archive = tmp_path / "okrs.jsonl"
    status, _ = fetch(api, capsys, "--user", USER, "-o", str(archive))
    assert status == 130  # Ctrl-C while the second objective's key results were asked for
    before = lines_of(archive)
    assert Counter(next(iter(line["data"])) for line in before if "id" not in line["data"]) == {
        "cycle": 1,
        "objective": 2,
        "key_result": 2,
    }
    status, err = fetch(api, capsys, "--user", USER, "-o", str(archive))
    assert status == 0, err
    assert (
        err[-1]
        == f"{1 + 2 + 4 + 12 - len(before)} fetched, {len(before)} already in "
        + str(archive)
        + ", 0 failed"
    )
    assert lines_of(archive)[: len(before)] == before
    assert len(lines_of(archive)) == 1 + 2 + 4 + 12


@pytest.mark.usefixtures("credentials")
def test_fetch_reports_what_failed_and_archives_the_rest(
    api: FakeOpenAPI, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    made = api.add_okrs(USER, cycles=1, objectives=1, key_results=2, progress=1)
    first = made["key_result"][0]["id"]
    api.script(f"{V2}/key_results/{first}/progresses", Answer(400, {"code": 1001002, "msg": "no"}))
    status, err = fetch(api, capsys, "--user", USER, "-o", str(tmp_path / "a.jsonl"))
    assert status == 1
    assert err[0] == (
        f"user {USER}: progress of key result {first}: no (code 1001002, HTTP 400, log id log-1)"
    )
    assert err[-1].endswith("a.jsonl, 1 failed")
    assert err[-1].startswith("6 fetched, 0 already in")  # all but the one listing's item


@pytest.mark.usefixtures("credentials")
def test_fetch_stops_once_when_the_credentials_fail(
    api: FakeOpenAPI,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OKRCONTENT_APP_SECRET", "wrong-secret")
    status, err = fetch(
        api, capsys, "--user", USER, "--user", "ou_b", "-o", str(tmp_path / "a.jsonl")
    )
    assert status == 1
    assert len(err) == 2
    assert err[0].startswith(f"user {USER}: app secret invalid")
    assert err[0].endswith("stopped: the rest would fail the same")
    assert "wrong-secret" not in "\n".join(err)
    assert api.calls[TOKEN] == 1


@pytest.mark.usefixtures("credentials")
def test_fetch_ids_and_a_user_the_old_way_and_the_new(
    api: FakeOpenAPI, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    api.add_okrs(USER, cycles=1, objectives=1, key_results=0, progress=1)
    api.okrs[USER] = [{"id": "okr", "objective_list": [{"progress_record_list": [{"id": "41"}]}]}]
    old = tmp_path / "old.jsonl"
    assert fetch(api, capsys, "--user", USER, "--v1", "-o", str(old))[0] == 0
    assert [line["data"]["progress_id"] for line in lines_of(old)] == ["41"]
    both = tmp_path / "both.jsonl"
    status, err = fetch(api, capsys, "42", "--user", USER, "-o", str(both))
    assert (status, err[-1]) == (0, f"4 fetched, 0 already in {both}, 0 failed")
    kinds = [type(okrcontent.load_okr(line)).__name__ for line in lines_of(both)]
    assert kinds == ["ProgressRecord", "Cycle", "Objective", "ProgressRecord"]


@pytest.mark.usefixtures("credentials")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cycle", "1"], "--cycle, --period and --since choose a --user's cycles"),
        (["--user", "u", "--v1", "--since", "2025-01-01"], "(not with --v1)"),
        (["1", "--v1"], "--v1 goes with --user"),
        (["--user", "u", "--cycle", "c1"], "--cycle: 'c1' is not an id"),
        (["--user", "ou bad"], "--user: 'ou bad' is not a user id"),
        (["--user", "u", "--since", "last week"], "--since 'last week': give a date"),
    ],
)
def test_fetch_usage_errors(
    api: FakeOpenAPI,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    status, err = fetch(api, capsys, *args, "-o", str(tmp_path / "a.jsonl"))
    assert status == 2
    assert message in err[-1]
    assert sum(api.calls.values()) == 0


@pytest.mark.usefixtures("credentials")
def test_fetch_since_a_date_with_its_offset(
    api: FakeOpenAPI, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    api.add_okrs(USER, cycles=2, objectives=0)  # Q1 ends 2025-03-31T23:59:59.999Z
    archive = tmp_path / "a.jsonl"
    status, err = fetch(
        api, capsys, "--user", USER, "--since", "2025-04-01T07:59:59+08:00", "-o", str(archive)
    )
    assert (status, err[-1]) == (0, f"2 fetched, 0 already in {archive}, 0 failed")
    status, err = fetch(api, capsys, "--user", USER, "--since", "2025-04-01", "-o", str(archive))
    assert err[0].startswith(f"user {USER}: 1 cycle, 0 objectives")
