"""The fetch client against a real HTTP server on loopback; every case runs for both the
sync and the async client, and calls are counted on the server."""

from __future__ import annotations

import contextlib
import gzip
import io
import logging
import os
import time
import traceback
from collections.abc import Generator, Hashable
from typing import Any
from unittest import mock

import attrs
import pytest

import okrcontent
from okrcontent.cli import main
from okrcontent.fetch import (
    ERRORS_BY_CODE,
    LARK,
    AnswerError,
    AnswerTooLargeError,
    ApiError,
    Client,
    DeadlineError,
    InternalError,
    InvalidParametersError,
    MissingScopeError,
    NetworkError,
    NoPermissionError,
    NotFoundError,
    PagingError,
    RateLimiter,
    RateLimitError,
    RetryPolicy,
    SystemBusyError,
    TokenError,
    UserNotFoundError,
)
from okrcontent.fetch.pages import Page, Pages

from .clients import FAST, Runner
from .fake_openapi import APP_ID, APP_SECRET, Answer, FakeOpenAPI, record_envelope

RECORD = "/open-apis/okr/v1/progress_records/7046518160811425812"
TOKEN = "/open-apis/auth/v3/tenant_access_token/internal"


def test_a_record_with_a_tenant_token(api: FakeOpenAPI, kind: str) -> None:
    record = Runner(kind, api).record()
    assert okrcontent.dump_record(record) == record_envelope("7046518160811425812")["data"]
    assert api.calls[TOKEN] == 1
    method, _, query, headers = api.requests[-1]
    assert (method, query) == ("GET", {"user_id_type": ["open_id"]})
    assert headers["authorization"] == "Bearer t-1"


def test_the_raw_envelope_for_archiving(api: FakeOpenAPI, kind: str) -> None:
    envelope = Runner(kind, api).run(lambda c: c.get_envelope("7046518160811425812"))
    assert envelope == record_envelope("7046518160811425812")


def test_a_user_access_token_needs_no_token_call(api: FakeOpenAPI, kind: str) -> None:
    Runner(kind, api, user_access_token="u-abc").record()
    assert api.calls[TOKEN] == 0
    assert api.requests[-1][3]["authorization"] == "Bearer u-abc"


def test_the_token_is_cached(api: FakeOpenAPI, kind: str) -> None:
    def three(client: Any) -> Any:
        if isinstance(client, Client):
            return [client.get_record(i) for i in ("1", "2", "3")]

        async def go() -> Any:
            return [await client.get_record(i) for i in ("1", "2", "3")]

        return go()

    Runner(kind, api).run(three)
    assert api.calls[TOKEN] == 1


def test_a_token_that_expires_mid_run_is_refreshed_once(api: FakeOpenAPI, kind: str) -> None:
    def expire_between(client: Any) -> Any:
        if isinstance(client, Client):
            client.get_record("1")
            api.expire_tokens()
            return client.get_record("2")

        async def go() -> Any:
            await client.get_record("1")
            api.expire_tokens()
            return await client.get_record("2")

        return go()

    record = Runner(kind, api).run(expire_between)
    assert record.progress_id == "2"
    assert api.calls[TOKEN] == 2


def test_a_token_that_stays_invalid_is_an_error_after_one_refresh(
    api: FakeOpenAPI, kind: str
) -> None:
    api.script(RECORD, *[Answer(400, {"code": 99991663, "msg": "invalid token"})] * 3)
    with pytest.raises(okrcontent.fetch.InvalidTokenError):
        Runner(kind, api).record()
    assert api.calls[RECORD] == 2
    assert api.calls[TOKEN] == 2


def test_a_wrong_secret(api: FakeOpenAPI, kind: str) -> None:
    with pytest.raises(TokenError, match="app secret invalid") as caught:
        Runner(kind, api, app_secret="wrong").record()
    assert APP_SECRET not in str(caught.value)
    assert "wrong" not in str(caught.value)
    assert api.calls[RECORD] == 0


@pytest.mark.parametrize(
    ("code", "status", "error"),
    [
        (1009999, 500, InternalError),
        (1001001, 400, InvalidParametersError),
        (1001002, 400, NoPermissionError),
        (1001003, 400, UserNotFoundError),
        (1001004, 400, NotFoundError),
        (99991672, 400, MissingScopeError),
        (12345, 400, ApiError),
    ],
)
def test_each_error_code_is_its_class_and_is_not_retried(
    api: FakeOpenAPI, kind: str, code: int, status: int, error: type[ApiError]
) -> None:
    api.script(RECORD, Answer(status, {"code": code, "msg": "nope"}))
    with pytest.raises(error) as caught:
        Runner(kind, api).record()
    assert type(caught.value) is error
    assert (caught.value.code, caught.value.msg, caught.value.http_status) == (code, "nope", status)
    assert caught.value.log_id == "log-1"
    assert api.calls[RECORD] == 1


def test_busy_and_5xx_are_retried_then_succeed(api: FakeOpenAPI, kind: str) -> None:
    api.script(
        RECORD,
        Answer(500, {"code": 1009998, "msg": "system exception"}),
        Answer(502, None),
        Answer(503, {"msg": "unavailable"}),
    )
    assert Runner(kind, api).record().progress_id == "7046518160811425812"
    assert api.calls[RECORD] == 4


def test_retries_are_bounded(api: FakeOpenAPI, kind: str) -> None:
    api.script(RECORD, *[Answer(500, {"code": 1009998, "msg": "busy"})] * 10)
    with pytest.raises(SystemBusyError):
        Runner(kind, api).record()
    assert api.calls[RECORD] == FAST.attempts


def test_a_rate_limit_waits_for_the_reset(api: FakeOpenAPI, kind: str) -> None:
    api.script(
        RECORD,
        Answer(
            429, {"code": 99991400, "msg": "too many"}, headers={"x-ogw-ratelimit-reset": "0.3"}
        ),
    )
    started = time.monotonic()
    assert Runner(kind, api).record()
    assert time.monotonic() - started >= 0.3
    assert api.calls[RECORD] == 2


def test_a_429_without_a_code_is_a_rate_limit(api: FakeOpenAPI, kind: str) -> None:
    api.script(RECORD, *[Answer(429, None)] * 10)
    with pytest.raises(RateLimitError):
        Runner(kind, api).record()


def test_a_connection_dropped_mid_answer_is_retried(api: FakeOpenAPI, kind: str) -> None:
    api.script(RECORD, Answer(200, record_envelope("7046518160811425812"), drop=True))
    assert Runner(kind, api).record()
    assert api.calls[RECORD] == 2


def test_a_slow_answer_times_out_and_is_retried_then_reported(api: FakeOpenAPI, kind: str) -> None:
    api.script(RECORD, *[Answer(200, record_envelope("1"), delay=0.6)] * 10)
    with pytest.raises(DeadlineError, match=r"no complete answer within the deadline \(0.2 s\)"):
        Runner(kind, api, timeout=0.2, retry=RetryPolicy(attempts=2, base=0.01)).record()
    assert api.calls[RECORD] == 2


def test_nothing_listening_is_a_network_error(kind: str) -> None:
    runner = Runner.__new__(Runner)
    runner.kind = kind
    runner.options = {"user_access_token": "u-x", "base_url": "http://127.0.0.1:9", "retry": FAST}
    with pytest.raises(NetworkError, match="ConnectError"):
        runner.record()


@pytest.mark.parametrize(
    "evil",
    [
        "../users/x",
        "1?user_id_type=user_id",
        "1/../../x",
        "\uff11\uff12\uff13",
        "",
        "1#x",
        "1 2",
        "12\n",
        "a" * 10,
    ],
)
def test_an_evil_id_never_reaches_the_server(api: FakeOpenAPI, kind: str, evil: str) -> None:
    with pytest.raises(
        okrcontent.ContentError, match=r"progress_id: .* is not an id \(ASCII digits"
    ):
        Runner(kind, api).record(evil)
    assert sum(api.calls.values()) == 0


def test_the_rate_limiter_spaces_requests(api: FakeOpenAPI, kind: str) -> None:
    limiter = RateLimiter(rate=2, period=0.5)
    started = time.monotonic()

    def four(client: Any) -> Any:
        if isinstance(client, Client):
            return [client.get_record(str(i)) for i in range(4)]

        async def go() -> Any:
            return [await client.get_record(str(i)) for i in range(4)]

        return go()

    Runner(kind, api, user_access_token="u-x", limiter=limiter).run(four)
    assert time.monotonic() - started >= 0.5  # the third request waited for a free slot


def test_many_ids_yield_results_and_errors(api: FakeOpenAPI, kind: str) -> None:
    results = dict(Runner(kind, api).run(lambda c: c.get_records(["1", "404", "3"])))
    assert isinstance(results["404"], NotFoundError)
    assert results["1"].progress_id == "1"
    assert results["3"].progress_id == "3"


def test_every_progress_id_of_a_users_okrs(api: FakeOpenAPI, kind: str) -> None:
    def objective(n: int) -> dict[str, Any]:
        return {
            "id": f"o{n}",
            "progress_record_list": [{"id": f"{n}1"}],
            "kr_list": [
                {"id": f"k{n}", "progress_record_list": [{"id": f"{n}2"}, {"id": f"{n}3"}]}
            ],
        }

    api.okrs["ou_user"] = [
        {"id": f"okr{n}", "objective_list": [objective(n)]} for n in range(1, 13)
    ]
    ids = list(Runner(kind, api).run(lambda c: c.iter_progress_ids("ou_user")))
    assert ids == [f"{n}{k}" for n in range(1, 13) for k in (1, 2, 3)]
    pages = [q for _, p, q, _ in api.requests if p.endswith("/okrs")]
    assert [(q["offset"], q["limit"]) for q in pages] == [(["0"], ["10"]), (["10"], ["10"])]


def test_secrets_never_show(api: FakeOpenAPI) -> None:
    client = Client(app_id=APP_ID, app_secret=APP_SECRET, base_url=api.base_url)
    client.get_record("1")
    assert APP_SECRET not in repr(client)
    assert "t-1" not in repr(client)
    assert "t-1" not in repr(client.__dict__)
    user = Client(user_access_token="u-secret-token", base_url=LARK)
    assert "u-secret-token" not in repr(user)
    assert "u-secret-token" not in repr(user.__dict__)
    client.close()
    user.close()


def test_errors_table_covers_the_documented_codes() -> None:
    assert set(ERRORS_BY_CODE) >= {
        1009999,
        1009998,
        1001001,
        1001002,
        1001003,
        1001004,
        99991400,
        99991663,
        99991664,
        99991668,
        99991672,
    }


def test_credentials_are_checked() -> None:
    with pytest.raises(ValueError, match="credentials needed"):
        Client()
    with pytest.raises(ValueError, match="either user_access_token or"):
        Client(app_id="a", app_secret="b", user_access_token="c")


# --- a hostile server gets nothing: every case for both clients -------------------------------

USER_OKRS = "/open-apis/okr/v1/users/ou_user/okrs"
BOMB = gzip.compress(b" " * (16 * 2**20))  # 16 MB in 16 KB
SHORT = RetryPolicy(attempts=2, base=0.01, cap=0.02, total=3.0)


def _chain(error: BaseException) -> str:
    """Everything an error can show: its text, its repr, its causes, its traceback."""
    seen = [str(error), repr(error), repr(error.__cause__), repr(error.__context__)]
    seen += traceback.format_exception(error)
    return "\n".join(seen)


def test_a_server_echoing_the_secret_gets_it_redacted(api: FakeOpenAPI, kind: str) -> None:
    api.script(TOKEN, Answer(echo=True))
    with pytest.raises(TokenError) as caught:
        Runner(kind, api).record()
    shown = _chain(caught.value)
    assert APP_SECRET not in shown
    assert "bad request" in shown
    assert "<secret>" in shown
    assert caught.value.log_id is not None
    assert APP_SECRET not in caught.value.log_id


def test_a_server_echoing_tokens_gets_them_redacted(api: FakeOpenAPI, kind: str) -> None:
    api.script(RECORD, Answer(echo=True))
    with pytest.raises(ApiError) as caught:
        Runner(kind, api).record()
    assert "t-1" not in _chain(caught.value)  # the tenant token it was given
    api.script(RECORD, Answer(echo=True))
    user_token = "u-" + "user-secret"  # built here, so no source line shown holds it
    with pytest.raises(ApiError) as caught:
        Runner(kind, api, user_access_token=user_token).record()
    assert user_token not in _chain(caught.value)


def test_no_secret_in_any_log_line(
    api: FakeOpenAPI, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    api.script(TOKEN, Answer(echo=True))
    with caplog.at_level(logging.DEBUG), pytest.raises(TokenError):
        Runner(kind, api).record()
    Runner(kind, api).record()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "HTTP Request" in logged  # httpx did log the calls
    assert APP_SECRET not in logged
    assert "t-1" not in logged


@pytest.mark.parametrize("where", ["body", "headers"])
def test_a_trickling_server_is_cut_off_at_the_deadline(
    api: FakeOpenAPI, kind: str, where: str
) -> None:
    # a byte every 20 ms never trips a per-read timeout of 0.3 s; a whole answer takes 30 s
    slow = {"trickle": 0.02} if where == "body" else {"trickle_headers": 0.02}
    answer = Answer(200, record_envelope("1"), **slow)  # type: ignore[arg-type]
    api.script(RECORD, answer, answer, answer)
    started = time.monotonic()
    with pytest.raises(DeadlineError, match=r"within the deadline \(0.3 s\)"):
        Runner(kind, api, timeout=0.3, retry=SHORT).record()
    assert time.monotonic() - started >= 0.3
    assert api.calls[RECORD] == 2  # retried once, then the policy's attempts ran out


def test_the_call_has_a_deadline_too(api: FakeOpenAPI, kind: str) -> None:
    answer = Answer(200, record_envelope("1"), trickle=0.02)
    api.script(RECORD, *[answer] * 10)
    patient = RetryPolicy(attempts=10, base=0.01, cap=0.02, total=0.5)
    with pytest.raises(DeadlineError):
        Runner(kind, api, timeout=0.3, retry=patient).record()
    assert api.calls[RECORD] <= 3  # 0.3 s, then what is left of 0.5 s: never ten attempts


def test_an_oversize_answer_is_refused_by_its_length(api: FakeOpenAPI, kind: str) -> None:
    api.script(RECORD, Answer(200, raw=b"{}", headers={"Content-Length": str(256 * 2**20)}))
    with pytest.raises(AnswerTooLargeError, match="268435456 bytes, over the cap of 65536"):
        Runner(kind, api, max_answer_bytes=65536).record()


def test_an_oversize_streamed_answer_stops_at_the_cap(api: FakeOpenAPI, kind: str) -> None:
    api.script(RECORD, Answer(200, size=256 * 2**20))
    with pytest.raises(AnswerTooLargeError, match="over the cap of 65536 bytes"):
        Runner(kind, api, max_answer_bytes=65536).record()
    assert api.calls[RECORD] == 1  # not retried: the server would answer the same
    assert api.sent[RECORD] < 256 * 2**20  # the client hung up long before the end


def test_a_gzip_bomb_stops_at_the_cap(api: FakeOpenAPI, kind: str) -> None:
    api.script(RECORD, Answer(200, raw=BOMB, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(AnswerTooLargeError):
        Runner(kind, api, max_answer_bytes=2**20).record()


@pytest.mark.parametrize(
    ("raw", "headers", "message"),
    [
        (b"\x1f\x8b\x08\x00garbage" * 10, {"Content-Encoding": "gzip"}, "error: Error -3"),
        (gzip.compress(b'{"code": 0}')[:-12], {"Content-Encoding": "gzip"}, "cut short"),
        (b"{}", {"Content-Encoding": "br"}, "an encoding this client did not ask for: br"),
        (b"[" * 100_000 + b"]" * 100_000, {}, "not a JSON object with a code"),
        (b'{"code": 0, "data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", {}, "not a JSON"),
        (b"\xff\xfe not json", {}, "not a JSON object with a code"),
        (b'{"code": true}', {}, "not a JSON object with a code"),
    ],
)
def test_a_garbage_answer_is_an_answer_error(
    api: FakeOpenAPI, kind: str, raw: bytes, headers: dict[str, str], message: str
) -> None:
    api.script(RECORD, Answer(200, raw=raw, headers=headers))
    with pytest.raises(AnswerError, match=message):
        Runner(kind, api).record()
    assert api.calls[RECORD] == 1


def test_a_redirect_to_no_url_is_an_answer_error(api: FakeOpenAPI, kind: str) -> None:
    api.script(RECORD, Answer(302, headers={"Location": "javascript:x()"}))
    with pytest.raises(AnswerError, match="InvalidURL"):
        Runner(kind, api).record()
    assert api.calls[RECORD] == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"code": 0, "tenant_access_token": "t-x", "expire": 10**19},
            "expire: 10000000000000000000",
        ),
        ({"code": 0, "tenant_access_token": "t-x", "expire": "7200"}, "expire: '7200' where an"),
        ({"code": 0, "tenant_access_token": 5, "expire": 7200}, "tenant_access_token: 5 where"),
        ({"code": 0, "expire": 7200}, "has no tenant_access_token"),
    ],
)
def test_an_absurd_token_answer_is_a_token_error(
    api: FakeOpenAPI, kind: str, body: dict[str, Any], message: str
) -> None:
    api.script(TOKEN, Answer(200, body))
    with pytest.raises(TokenError, match=message):
        Runner(kind, api).record()
    assert api.calls[RECORD] == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"okr_list": 5}, "data.okr_list: 5 where a list belongs"),
        ({"okr_list": ["x", "y"]}, r"data.okr_list\[0\]: 'x' where an object belongs"),
        ({"okr_list": [{"objective_list": {"a": 1}}]}, r"okr_list\[0\].objective_list: \{"),
        (
            {"okr_list": [{"objective_list": [{"kr_list": [{"progress_record_list": [7]}]}]}]},
            r"kr_list\[0\].progress_record_list\[0\]: 7 where an object",
        ),
        ({"okr_list": [], "total": "many"}, "data.total: 'many' where an integer belongs"),
        ("a page", "data: 'a page' where an object belongs"),
    ],
)
def test_a_malformed_okr_page_is_an_answer_error(
    api: FakeOpenAPI, kind: str, data: Any, message: str
) -> None:
    api.script(USER_OKRS, Answer(200, {"code": 0, "msg": "ok", "data": data}))
    with pytest.raises(AnswerError, match=message):
        Runner(kind, api).run(lambda c: c.iter_progress_ids("ou_user"))


def test_a_page_the_server_repeats_ends_the_listing(api: FakeOpenAPI, kind: str) -> None:
    api.endless = "same"
    with pytest.raises(PagingError, match="page 2 repeats an earlier one"):
        Runner(kind, api).run(lambda c: c.iter_progress_ids("ou_user"))
    assert api.calls[USER_OKRS] == 2


def test_pages_that_never_end_stop_at_the_cap(api: FakeOpenAPI, kind: str) -> None:
    api.endless = "distinct"
    with pytest.raises(PagingError, match="goes on past 5 pages"):
        Runner(kind, api, max_pages=5).run(lambda c: c.iter_progress_ids("ou_user"))
    assert api.calls[USER_OKRS] == 5


def test_the_page_guard_stops_a_repeated_page_token() -> None:
    class Tokens:
        first = "a"

        def flow(self, cursor: Hashable) -> Generator[Any, Any, Page[str]]:
            yield from ()
            return Page([str(cursor)], {"a": "b", "b": "a"}[str(cursor)], str(cursor))

    def walk(pages: Pages[str]) -> list[str]:
        items: list[str] = []
        while not pages.done:
            try:
                next(pages.next())
            except StopIteration as stop:
                items += stop.value
        return items

    pages = Pages(Tokens(), max_pages=100)
    with pytest.raises(PagingError, match="sent the page cursor 'a' again"):
        walk(pages)
    assert pages.count == 2


def test_a_header_h11_will_not_send_is_one_error_not_retried(api: FakeOpenAPI, kind: str) -> None:
    token = "u-" + "bad\ntoken"
    with pytest.raises(ApiError, match="LocalProtocolError") as caught:
        Runner(kind, api, user_access_token=token).record()
    assert not caught.value.retryable
    assert "bad\ntoken" not in _chain(caught.value)
    assert sum(api.calls.values()) == 0


@pytest.mark.parametrize("base_url", ["ftp://x.test", "http://[::1", "x.test"])
def test_a_base_url_that_is_not_http_is_refused_at_once(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url: "):
        Client(user_access_token="u-x", base_url=base_url)


# --- the command ---------------------------------------------------------------------------


@attrs.frozen
class Ran:
    """What a command run in process did: its exit status and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def fetch_command(api: FakeOpenAPI, *args: str, env: dict[str, str] | None = None) -> Ran:
    """``okrcontent fetch`` in this process (a subprocess costs a second of start-up), with
    only the credentials of ``env`` in the environment."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OKRCONTENT_")}
    environment.update(
        env
        if env is not None
        else {"OKRCONTENT_APP_ID": APP_ID, "OKRCONTENT_APP_SECRET": APP_SECRET}
    )
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch.dict(os.environ, environment, clear=True),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        status = main(["fetch", "--base-url", api.base_url, *args])
    return Ran(status, out.getvalue(), err.getvalue())


@pytest.mark.parametrize("name", ["archive.jsonl", "archive.jsonl.gz"])
def test_fetch_appends_and_a_rerun_skips_what_is_there(
    api: FakeOpenAPI, tmp_path: Any, name: str
) -> None:
    archive = tmp_path / name
    first = fetch_command(api, "11", "12", "404", "-o", str(archive))
    assert first.returncode == 1
    assert first.stderr.splitlines() == [
        "404: okr data not found (code 1001004, HTTP 400, log id log-1)",
        f"2 fetched, 0 already in {archive}, 1 failed",
    ]
    second = fetch_command(api, "11", "12", "13", "-o", str(archive))
    assert second.returncode == 0, second.stderr
    assert second.stderr.strip() == f"1 fetched, 2 already in {archive}, 0 failed"
    summary = okrcontent.batch.convert([archive], to="text", out=tmp_path / "out", jobs=1)
    assert (summary.converted, summary.failed) == (3, 0)
    assert api.calls[RECORD.rsplit("/", 1)[0] + "/11"] == 1


@pytest.mark.parametrize("name", ["archive.jsonl", "archive.jsonl.gz"])
def test_refresh_fetches_again_and_keeps_the_newest_version_only(
    api: FakeOpenAPI, tmp_path: Any, name: str
) -> None:
    archive = tmp_path / name
    assert fetch_command(api, "11", "12", "-o", str(archive)).returncode == 0
    changed = record_envelope("12")["data"]
    api.records["12"] = {**changed, "modify_time": "1640677299999"}  # edited since
    again = fetch_command(api, "11", "12", "--refresh", "-o", str(archive))
    assert again.returncode == 0, again.stderr
    assert again.stderr.strip() == f"1 fetched, 1 already in {archive}, 0 failed"
    opener = gzip.open if name.endswith(".gz") else open
    with opener(archive, "rt") as stream:
        kept = [okrcontent.load_record(line) for line in stream]
    assert [(r.progress_id, r.modify_time) for r in kept] == [
        ("11", "1640677213095"),
        ("12", "1640677299999"),
    ]  # one line a record: the older 12 was dropped, as fetch --user does
    path = RECORD.rsplit("/", 1)[0]
    assert (api.calls[f"{path}/11"], api.calls[f"{path}/12"]) == (2, 2)
    unchanged = fetch_command(api, "11", "12", "--refresh", "-o", str(archive))
    assert unchanged.stderr.strip() == f"0 fetched, 2 already in {archive}, 0 failed"


def test_an_archive_cut_short_is_repaired_before_appending(api: FakeOpenAPI, tmp_path: Any) -> None:
    archive = tmp_path / "archive.jsonl"
    fetch_command(api, "21", "-o", str(archive))
    with archive.open("ab") as stream:
        stream.write(b'{"code": 0, "data": {"progress_id": "22", "cont')  # a kill, mid-line
    result = fetch_command(api, "22", "-o", str(archive))
    assert result.returncode == 0, result.stderr
    lines = archive.read_text().splitlines()
    assert [okrcontent.load_record(line).progress_id for line in lines] == ["21", "22"]


def test_fetch_a_users_records_the_v1_way(api: FakeOpenAPI, tmp_path: Any) -> None:
    api.okrs["ou_u"] = [
        {
            "id": "okr",
            "objective_list": [{"id": "o", "progress_record_list": [{"id": "31"}], "kr_list": []}],
        }
    ]
    result = fetch_command(api, "--user", "ou_u", "--v1", "-o", str(tmp_path / "a.jsonl"))
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().startswith("1 fetched")


def test_fetch_without_credentials_is_a_usage_error(api: FakeOpenAPI, tmp_path: Any) -> None:
    result = fetch_command(api, "1", "-o", str(tmp_path / "a.jsonl"), env={})
    assert result.returncode == 2
    assert "OKRCONTENT_APP_ID" in result.stderr


def test_fetch_never_echoes_the_secret(api: FakeOpenAPI, tmp_path: Any) -> None:
    result = fetch_command(
        api,
        "1",
        "2",
        "3",
        "-o",
        str(tmp_path / "a.jsonl"),
        env={"OKRCONTENT_APP_ID": APP_ID, "OKRCONTENT_APP_SECRET": "wrong-secret"},
    )
    assert result.returncode == 1
    assert "wrong-secret" not in result.stderr + result.stdout
    first, summary = result.stderr.splitlines()  # the credentials fail once, not per id
    assert "app secret invalid" in first
    assert "stopped: the rest would fail the same" in first
    assert summary.endswith("0 fetched, 0 already in " + str(tmp_path / "a.jsonl") + ", 3 failed")
    assert api.calls[TOKEN] == 1
