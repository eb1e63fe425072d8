"""Names for mentions from the contact API, on the loopback fake server: batched to the API's
maximum, cached for the run, hidden users shown as ids; every case for both clients."""

from __future__ import annotations

import argparse
from typing import Any

import pytest

import okrcontent
from okrcontent import Content, Mention, Paragraph
from okrcontent.cli.openapi import client_from_args, people_from_option
from okrcontent.fetch import Client, Directory, MissingScopeError, RateLimiter
from okrcontent.fetch.directory import LOOKUPS, mention_ids

from .clients import Runner, settled
from .fake_openapi import Answer, FakeOpenAPI

BATCH = "/open-apis/contact/v3/users/batch"
BASIC = "/open-apis/contact/v3/users/basic_batch"


def ou(n: int) -> str:
    return f"ou_{n:04x}"


def look_up(runner: Runner, *rounds: list[str]) -> tuple[dict[str, str], frozenset[str]]:
    """Prefetch each round of ids on one directory; its names and hidden ids."""

    async def go(directory: Any) -> tuple[dict[str, str], frozenset[str]]:
        for ids in rounds:
            await settled(directory.prefetch(ids))
        return dict(directory), directory.hidden

    def call(client: Any) -> Any:
        directory = client.directory()
        if isinstance(client, Client):
            for ids in rounds:
                directory.prefetch(ids)
            return dict(directory), directory.hidden
        return go(directory)

    return runner.run(call)  # type: ignore[no-any-return]


def asked(api: FakeOpenAPI, path: str) -> list[list[str]]:
    """The ids each lookup request asked for."""
    if path == BATCH:
        return [q["user_ids"] for _, p, q, _ in api.requests if p == path]
    return [b["user_ids"] for _, p, b in api.bodies if p == path]


def test_lookups_go_in_batches_of_the_apis_maximum(api: FakeOpenAPI, kind: str) -> None:
    ids = [ou(n) for n in range(120)]
    api.users = {ou(n): f"User {n}" for n in range(0, 120, 2)}  # the odd ones are not visible
    names, hidden = look_up(Runner(kind, api), ids + ids[:10], ids[5:15])
    assert names == api.users
    assert hidden == {ou(n) for n in range(1, 120, 2)}
    assert [len(batch) for batch in asked(api, BATCH)] == [50, 50, 20]  # asked once each


def test_a_user_token_uses_basic_batch_ten_at_a_time(api: FakeOpenAPI, kind: str) -> None:
    api.users = {ou(n): f"User {n}" for n in range(25)}
    names, hidden = look_up(Runner(kind, api, user_access_token="u-x"), [ou(n) for n in range(25)])
    assert names == api.users
    assert hidden == set()
    assert [len(batch) for batch in asked(api, BASIC)] == [10, 10, 5]
    assert LOOKUPS["user"].batch == 10


def test_a_refused_user_is_found_by_halving_and_shown_as_the_id(
    api: FakeOpenAPI, kind: str
) -> None:
    ids = [ou(n) for n in range(16)]
    api.users = {i: i.upper() for i in ids}
    api.refused_users = {ou(11)}
    names, hidden = look_up(Runner(kind, api), ids)
    assert hidden == {ou(11)}
    assert names == {i: i.upper() for i in ids if i != ou(11)}
    assert len(asked(api, BATCH)) <= 1 + 2 * 4  # 16 ids: at most two requests a level


def test_what_cannot_be_an_open_id_is_never_sent(api: FakeOpenAPI, kind: str) -> None:
    names, hidden = look_up(Runner(kind, api), ["7012194140645721644", "../x", "ou_a b", ""])
    assert names == {}
    assert hidden == {"7012194140645721644", "../x", "ou_a b", ""}
    assert asked(api, BATCH) == []


def test_an_error_that_is_not_about_a_user_is_raised_and_not_cached(
    api: FakeOpenAPI, kind: str
) -> None:
    api.script(BATCH, Answer(400, {"code": 99991672, "msg": "scope contact:user.base:readonly"}))
    api.users = {ou(1): "Alice"}
    with pytest.raises(MissingScopeError, match=r"contact:user\.base:readonly"):
        look_up(Runner(kind, api), [ou(1)])
    assert look_up(Runner(kind, api), [ou(1)]) == ({ou(1): "Alice"}, frozenset())


def test_a_malformed_answer_is_an_answer_error(api: FakeOpenAPI, kind: str) -> None:
    api.script(BATCH, Answer(200, {"code": 0, "data": {"items": [{"open_id": 5, "name": "x"}]}}))
    with pytest.raises(okrcontent.fetch.AnswerError, match=r"data.items\[0\].open_id: 5"):
        look_up(Runner(kind, api), [ou(1)])


def test_lookups_keep_to_the_clients_rate_limit(api: FakeOpenAPI, kind: str) -> None:
    booked: list[float] = []

    def clock() -> float:
        booked.append(0.0)
        return 0.0

    look_up(Runner(kind, api, limiter=RateLimiter(clock=clock)), [ou(n) for n in range(60)])
    assert len(booked) == 1 + 2  # the token, then two batches, each booked on the limiter


UPDATE = Content(
    [Paragraph(["Thanks ", Mention(ou(1)), " and ", Mention(ou(2)), " and ", Mention(ou(1))])]
)


def test_writers_show_names_and_the_id_of_a_hidden_user(api: FakeOpenAPI, kind: str) -> None:
    api.users = {ou(1): "Alice"}

    async def go(directory: Any) -> str:
        await directory.prefetch_content([UPDATE, UPDATE])
        return okrcontent.to_text(UPDATE, people=directory)

    def call(client: Any) -> Any:
        directory = client.directory()
        if isinstance(client, Client):
            directory.prefetch_content([UPDATE, UPDATE])
            return okrcontent.to_text(UPDATE, people=directory)
        return go(directory)

    assert Runner(kind, api).run(call) == f"Thanks @Alice and @{ou(2)} and @Alice\n"
    assert asked(api, BATCH) == [[ou(1), ou(2)]]


def test_the_sync_directory_looks_up_lazily_what_was_not_prefetched(api: FakeOpenAPI) -> None:
    api.users = {ou(1): "Alice", ou(2): "Bob"}
    with Client(user_access_token="u-x", base_url=api.base_url) as client:
        text = okrcontent.to_markdown(UPDATE, people=Directory(client))
    assert "@Alice" in text
    assert "@Bob" in text
    assert asked(api, BASIC) == [[ou(1)], [ou(2)]]  # one id at a time, each once


def test_mention_ids_of_records_and_contents() -> None:
    record = okrcontent.ProgressRecord("1", content=Content([Paragraph([Mention(None, "7012")])]))
    assert list(mention_ids([UPDATE, record])) == [ou(1), ou(2), ou(1), "7012"]


def test_the_people_option(api: FakeOpenAPI, tmp_path: Any) -> None:
    api.users = {ou(1): "Alice"}
    names = tmp_path / "people.json"
    names.write_text('{"ou_0001": "Al"}', encoding="utf-8")
    assert people_from_option(None, lambda: None) is None
    assert people_from_option(str(names), lambda: None) == {ou(1): "Al"}
    client = Client(user_access_token="u-x", base_url=api.base_url)
    people = people_from_option("directory", lambda: client)
    assert isinstance(people, Directory)
    assert okrcontent.to_text(UPDATE, people=people).startswith("Thanks @Alice and @ou_0002")
    del people  # the client goes with the directory
    assert client._http.is_closed


def test_the_people_option_builds_its_client_from_the_environment(
    api: FakeOpenAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OKRCONTENT_USER_TOKEN", "u-x")
    api.users = {ou(2): "Bob"}
    args = argparse.Namespace(people="directory", base_url=api.base_url)  # as convert has them
    people = people_from_option(args.people, lambda: client_from_args(args))
    assert okrcontent.to_text(UPDATE, people=people).startswith("Thanks @ou_0001 and @Bob")
