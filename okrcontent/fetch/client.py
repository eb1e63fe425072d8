"""A small, careful client for OKR progress records, sync and async, over httpx.

::

    with Client(app_id="cli_...", app_secret="...") as client:        # or user_access_token=
        record = client.get_record("7046518160811425812")               # -> ProgressRecord
        envelope = client.get_envelope("7046518160811425812")           # the raw JSON, to archive
        for progress_id in client.iter_progress_ids("ou_..."):          # a user's whole OKRs
            ...

Every call is one *flow* (a generator that yields requests and sleeps and receives
responses), written once and driven by :class:`Client` with ``httpx.Client`` and by
:class:`AsyncClient` with ``httpx.AsyncClient``. The flow decides on the body's ``code``, not
only the HTTP status; retries with backoff and jitter (:class:`RetryPolicy`) for 1009998, 5xx,
429/99991400 (never sooner than ``x-ogw-ratelimit-reset`` says) and network errors, and for
nothing else; refreshes the tenant token once when the server calls it invalid; and keeps to
the documented 100 requests a minute (:class:`RateLimiter`, one per client, shared by its
threads or tasks). Ids are checked before any request, so no input reaches another path or
adds query parameters. Tokens and secrets appear in no repr, log line or error message.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import AsyncIterator, Generator, Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx

from .._version import __version__
from ..codec import load_record
from ..errors import ContentError
from ..model import Content, ProgressRate, ProgressRecord
from .errors import (
    ApiError,
    InvalidTokenError,
    NetworkError,
    RateLimitError,
    TokenError,
    UncertainWriteError,
    error_for,
)
from .post import TargetType, create_body, mime_type, update_body
from .retry import RateLimiter, RetryPolicy

__all__ = ["FEISHU", "LARK", "AsyncClient", "Client"]

FEISHU = "https://open.feishu.cn"
LARK = "https://open.larksuite.com"
TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal"  # noqa: S105 - a path
RECORD_PATH = "/open-apis/okr/v1/progress_records/{}"
USER_OKRS_PATH = "/open-apis/okr/v1/users/{}/okrs"
CREATE_PATH = "/open-apis/okr/v1/progress_records"
UPLOAD_PATH = "/open-apis/okr/v1/images/upload"
_UNCERTAIN = "the record may have been created: check before posting it again"
USER_ID_TYPES = frozenset({"open_id", "union_id", "user_id"})
REFRESH_MARGIN = 300.0
"""Seconds before its expiry that a tenant token is replaced."""

_DIGITS = re.compile(r"[0-9]{1,32}")
_USER_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")


class _Secret:
    """A string that never shows itself in a repr or a message."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<secret>"


@attrs.frozen
class _Sleep:
    seconds: float


Step = httpx.Request | _Sleep
Flow = Generator[Step, httpx.Response | None, Any]


def _check_progress_id(progress_id: str) -> str:
    if not isinstance(progress_id, str) or not _DIGITS.fullmatch(progress_id):
        raise ContentError(
            f"{progress_id!r} is not a progress record id (ASCII digits)", "progress_id"
        )
    return progress_id


def _check_target(target_id: str) -> str:
    if not isinstance(target_id, str) or not _DIGITS.fullmatch(target_id):
        raise ContentError(f"{target_id!r} is not an id (ASCII digits)", "target_id")
    return target_id


def _check_user_id_type(user_id_type: str) -> str:
    if user_id_type not in USER_ID_TYPES:
        raise ValueError(f"user_id_type must be one of {', '.join(sorted(USER_ID_TYPES))}")
    return user_id_type


class _Core:
    """Everything but the I/O: credentials, token cache, limiter, retries, the flows."""

    def __init__(
        self,
        *,
        app_id: str | None,
        app_secret: str | None,
        user_access_token: str | None,
        base_url: str,
        retry: RetryPolicy,
        limiter: RateLimiter,
    ) -> None:
        if user_access_token is not None:
            if app_id is not None or app_secret is not None:
                raise ValueError("give either user_access_token or app_id and app_secret")
        elif not (app_id and app_secret):
            raise ValueError("credentials needed: app_id and app_secret, or user_access_token")
        self.app_id = app_id
        self._secret = _Secret(app_secret) if app_secret else None
        self._user_token = _Secret(user_access_token) if user_access_token else None
        self.base_url = base_url.rstrip("/")
        self.retry = retry
        self.limiter = limiter
        self._tenant_token: _Secret | None = None
        self._expires = 0.0
        self._token_lock = threading.Lock()

    def __repr__(self) -> str:
        who = f"app_id={self.app_id!r}" if self.app_id else "user_access_token=<secret>"
        return f"{type(self).__name__}({who}, base_url={self.base_url!r})"

    # tokens

    def _token(self) -> Generator[Step, httpx.Response | None, str]:
        if self._user_token is not None:
            return self._user_token.value
        with self._token_lock:
            if self._tenant_token is not None and time.monotonic() < self._expires:
                return self._tenant_token.value
        assert self._secret is not None
        request = httpx.Request(
            "POST",
            self.base_url + TOKEN_PATH,
            json={"app_id": self.app_id, "app_secret": self._secret.value},
        )
        body, response = yield from self._send(request, token_call=True)
        token, expire = body.get("tenant_access_token"), body.get("expire")
        if not isinstance(token, str) or not isinstance(expire, int):
            raise TokenError(
                "the token answer has no tenant_access_token",
                log_id=response.headers.get("x-tt-logid"),
                http_status=response.status_code,
            )
        with self._token_lock:
            self._tenant_token = _Secret(token)
            self._expires = time.monotonic() + max(0.0, expire - REFRESH_MARGIN)
        return token

    def _forget_token(self) -> bool:
        """Drop the cached tenant token; False if there is none to refresh (a user token)."""
        if self._user_token is not None:
            return False
        with self._token_lock:
            self._tenant_token, self._expires = None, 0.0
        return True

    # one call

    def _send(
        self, request: httpx.Request, *, token_call: bool = False, idempotent: bool = True
    ) -> Generator[Step, httpx.Response | None, tuple[dict[str, Any], httpx.Response]]:
        """Send with retries; the JSON body of a successful answer.

        A request that is not ``idempotent`` (a create) is retried only where it cannot
        have taken effect: the connection never opened, or the server refused it for the
        rate limit. After a timeout, a reset or a 5xx it may have succeeded, so it raises
        :class:`UncertainWriteError` instead of risking a second record."""
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            wait = self.limiter.reserve()
            if wait > 0:
                yield _Sleep(wait)
            try:
                response = yield request
            except httpx.TransportError as error:
                failure: ApiError = NetworkError(f"{type(error).__name__}: {error}")
                response = None
                unsent = isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout))
                if not idempotent and not unsent:
                    raise UncertainWriteError(f"{_UNCERTAIN} ({failure.msg})") from None
            else:
                assert response is not None
                failure_or_body = self._interpret(response, token_call)
                if isinstance(failure_or_body, dict):
                    return failure_or_body, response
                failure = failure_or_body
                uncertain = failure.retryable and not isinstance(failure, RateLimitError)
                if not idempotent and uncertain:
                    raise UncertainWriteError(
                        f"{_UNCERTAIN} ({failure.msg})",
                        code=failure.code,
                        log_id=failure.log_id,
                        http_status=failure.http_status,
                    )
            if not failure.retryable:
                raise failure
            at_least = _reset_seconds(response) if response is not None else 0.0
            delay = self.retry.delay(attempt, at_least)
            if not self.retry.allows(attempt, time.monotonic() - started, delay):
                raise failure
            yield _Sleep(delay)

    def _interpret(self, response: httpx.Response, token_call: bool) -> dict[str, Any] | ApiError:
        log_id = response.headers.get("x-tt-logid")
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and body.get("code") == 0 and response.is_success:
            return body
        code = body.get("code") if isinstance(body, dict) else None
        msg = body.get("msg") if isinstance(body, dict) else None
        if not isinstance(msg, str):
            msg = f"HTTP {response.status_code} without a usable body"
        error = error_for(
            code if isinstance(code, int) else None,
            msg,
            log_id=log_id,
            http_status=response.status_code,
        )
        if token_call and not error.retryable:
            return TokenError(
                error.msg, code=error.code, log_id=log_id, http_status=response.status_code
            )
        return error

    def _call(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        json: Any = None,
        files: dict[str, Any] | None = None,
        data: dict[str, str] | None = None,
        idempotent: bool = True,
    ) -> Flow:
        """An authorised API call; the whole JSON envelope of a successful answer."""
        refreshed = False
        while True:
            token = yield from self._token()
            request = httpx.Request(
                method,
                self.base_url + path,
                params=params,
                json=json,
                files=files,
                data=data,
                headers={
                    "Authorization": f"Bearer {token}",
                    "User-Agent": f"okrcontent/{__version__}",
                },
            )
            try:
                body, _ = yield from self._send(request, idempotent=idempotent)
            except InvalidTokenError:
                if refreshed or not self._forget_token():
                    raise
                refreshed = True  # the server says the token is stale: one new one, once
                continue
            return body

    # flows of the public calls

    def _envelope_flow(self, progress_id: str, user_id_type: str) -> Flow:
        path = RECORD_PATH.format(_check_progress_id(progress_id))
        return self._call("GET", path, {"user_id_type": _check_user_id_type(user_id_type)})

    def _create_flow(self, body: dict[str, Any], user_id_type: str) -> Flow:
        params = {"user_id_type": _check_user_id_type(user_id_type)}
        return self._call("POST", CREATE_PATH, params, json=body, idempotent=False)

    def _update_flow(self, progress_id: str, body: dict[str, Any], user_id_type: str) -> Flow:
        path = RECORD_PATH.format(_check_progress_id(progress_id))
        params = {"user_id_type": _check_user_id_type(user_id_type)}
        return self._call("PUT", path, params, json=body)

    def _delete_flow(self, progress_id: str) -> Flow:
        return self._call("DELETE", RECORD_PATH.format(_check_progress_id(progress_id)))

    def _upload_flow(self, data: bytes, name: str, target_id: str, target_type: Any) -> Flow:
        fields = {
            "target_id": _check_target(target_id),
            "target_type": str(int(TargetType.of(target_type))),
        }
        files = {"data": (name, data, mime_type(name))}
        return self._call("POST", UPLOAD_PATH, files=files, data=fields)

    def _okrs_flow(self, user_id: str, offset: int, limit: int, user_id_type: str) -> Flow:
        if not isinstance(user_id, str) or not _USER_ID.fullmatch(user_id):
            raise ValueError(f"{user_id!r} is not a user id")
        params = {
            "user_id_type": _check_user_id_type(user_id_type),
            "offset": str(offset),
            "limit": str(limit),
        }
        return self._call("GET", USER_OKRS_PATH.format(user_id), params)


def _reset_seconds(response: httpx.Response) -> float:
    """How long a rate-limited answer asks us to wait (``x-ogw-ratelimit-reset``)."""
    value = response.headers.get("x-ogw-ratelimit-reset")
    try:
        return min(max(float(value), 0.0), 120.0) if value is not None else 0.0
    except ValueError:
        return 0.0


def _progress_ids(page: dict[str, Any]) -> Iterator[str]:
    """The progress record ids on a page of a user's OKRs (objectives and key results)."""
    for okr in page.get("okr_list") or ():
        for objective in (okr or {}).get("objective_list") or ():
            for holder in [objective, *((objective or {}).get("kr_list") or ())]:
                for progress in (holder or {}).get("progress_record_list") or ():
                    progress_id = (progress or {}).get("id")
                    if isinstance(progress_id, str) and _DIGITS.fullmatch(progress_id):
                        yield progress_id


def _record(envelope: dict[str, Any]) -> ProgressRecord:
    return load_record(envelope)


def _image_data(image: bytes | str | Path, name: str | None) -> tuple[bytes, str]:
    if isinstance(image, bytes):
        return image, name or "image.png"
    path = Path(image)
    return path.read_bytes(), name or path.name


def _uploaded(envelope: dict[str, Any]) -> tuple[str, str]:
    data = envelope.get("data") or {}
    token, url = data.get("file_token"), data.get("url")
    if not isinstance(token, str):
        raise ApiError("the upload answer has no file_token")
    return token, url if isinstance(url, str) else ""


def _page(envelope: dict[str, Any], offset: int, limit: int) -> tuple[list[str], int | None]:
    """The ids on one page of a user's OKRs, and the offset of the next page (None: done)."""
    page = envelope.get("data") or {}
    count = len(page.get("okr_list") or ())
    total = page.get("total")
    offset += count
    done = count < limit or (isinstance(total, int) and offset >= total)
    return list(_progress_ids(page)), None if done else offset


class Client(_Core):
    """The synchronous client. ``transport`` is any httpx transport (for tests, proxies)."""

    def __init__(
        self,
        *,
        app_id: str | None = None,
        app_secret: str | None = None,
        user_access_token: str | None = None,
        base_url: str = FEISHU,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(
            app_id=app_id,
            app_secret=app_secret,
            user_access_token=user_access_token,
            base_url=base_url,
            retry=retry or RetryPolicy(),
            limiter=limiter or RateLimiter(),
        )
        self._http = httpx.Client(timeout=timeout, transport=transport)

    def _drive(self, flow: Flow) -> Any:
        try:
            step = next(flow)
            while True:
                if isinstance(step, _Sleep):
                    time.sleep(step.seconds)
                    step = flow.send(None)
                    continue
                try:
                    response = self._http.send(step)
                    response.read()
                except httpx.TransportError as error:
                    step = flow.throw(error)
                    continue
                step = flow.send(response)
        except StopIteration as stop:
            return stop.value

    def get_envelope(self, progress_id: str, *, user_id_type: str = "open_id") -> dict[str, Any]:
        """The API's raw answer (``{"code": 0, "msg": ..., "data": {...}}``), for archiving."""
        return self._drive(self._envelope_flow(progress_id, user_id_type))  # type: ignore[no-any-return]

    def get_record(self, progress_id: str, *, user_id_type: str = "open_id") -> ProgressRecord:
        """One progress record, loaded losslessly by :mod:`okrcontent.codec`."""
        return _record(self.get_envelope(progress_id, user_id_type=user_id_type))

    def get_records(
        self, progress_ids: Iterable[str], *, user_id_type: str = "open_id"
    ) -> Iterator[tuple[str, ProgressRecord | Exception]]:
        """``(id, record or the error)`` for each id, in order; one bad id stops nothing."""
        for progress_id in progress_ids:
            try:
                yield progress_id, self.get_record(progress_id, user_id_type=user_id_type)
            except (ApiError, ContentError) as error:
                yield progress_id, error

    def create_record(
        self,
        target_id: str,
        target_type: TargetType | int | str,
        content: Content,
        *,
        source_title: str,
        source_url: str,
        progress_rate: ProgressRate | None = None,
        user_id_type: str = "open_id",
    ) -> ProgressRecord:
        """Post a new progress record on an objective or key result (never retried where
        it may already have been created: see :class:`UncertainWriteError`)."""
        body = create_body(
            target_id,
            target_type,
            content,
            source_title=source_title,
            source_url=source_url,
            progress_rate=progress_rate,
        )
        return _record(self._drive(self._create_flow(body, user_id_type)))

    def update_record(
        self,
        progress_id: str,
        content: Content,
        *,
        progress_rate: ProgressRate | None = None,
        user_id_type: str = "open_id",
    ) -> ProgressRecord:
        """Replace a progress record's content (and progress)."""
        body = update_body(content, progress_rate=progress_rate)
        return _record(self._drive(self._update_flow(progress_id, body, user_id_type)))

    def delete_record(self, progress_id: str) -> None:
        """Delete a progress record."""
        self._drive(self._delete_flow(progress_id))

    def upload_image(
        self,
        image: bytes | str | Path,
        *,
        target_id: str,
        target_type: TargetType | int | str,
        name: str | None = None,
    ) -> tuple[str, str]:
        """Upload an image (bytes or a file path) for progress records of the target;
        ``(file token, URL)``."""
        data, name = _image_data(image, name)
        return _uploaded(self._drive(self._upload_flow(data, name, target_id, target_type)))

    def iter_progress_ids(
        self, user_id: str, *, user_id_type: str = "open_id", page_size: int = 10
    ) -> Iterator[str]:
        """Every progress record id on the user's objectives and key results, page by page."""
        limit = min(max(page_size, 1), 10)
        offset: int | None = 0
        while offset is not None:
            envelope = self._drive(self._okrs_flow(user_id, offset, limit, user_id_type))
            ids, offset = _page(envelope, offset, limit)
            yield from ids

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(_Core):
    """The asyncio client: the same calls, awaited; plus :meth:`get_records` concurrently."""

    def __init__(
        self,
        *,
        app_id: str | None = None,
        app_secret: str | None = None,
        user_access_token: str | None = None,
        base_url: str = FEISHU,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(
            app_id=app_id,
            app_secret=app_secret,
            user_access_token=user_access_token,
            base_url=base_url,
            retry=retry or RetryPolicy(),
            limiter=limiter or RateLimiter(),
        )
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport)

    async def _drive(self, flow: Flow) -> Any:
        try:
            step = next(flow)
            while True:
                if isinstance(step, _Sleep):
                    await asyncio.sleep(step.seconds)
                    step = flow.send(None)
                    continue
                try:
                    response = await self._http.send(step)
                    await response.aread()
                except httpx.TransportError as error:
                    step = flow.throw(error)
                    continue
                step = flow.send(response)
        except StopIteration as stop:
            return stop.value

    async def get_envelope(
        self, progress_id: str, *, user_id_type: str = "open_id"
    ) -> dict[str, Any]:
        """The API's raw answer, for archiving."""
        return await self._drive(self._envelope_flow(progress_id, user_id_type))  # type: ignore[no-any-return]

    async def get_record(
        self, progress_id: str, *, user_id_type: str = "open_id"
    ) -> ProgressRecord:
        """One progress record."""
        return _record(await self.get_envelope(progress_id, user_id_type=user_id_type))

    async def get_records(
        self, progress_ids: Iterable[str], *, user_id_type: str = "open_id", concurrency: int = 4
    ) -> AsyncIterator[tuple[str, ProgressRecord | Exception]]:
        """``(id, record or the error)`` as they come, at most ``concurrency`` at a time."""
        ids = iter(progress_ids)
        running: set[asyncio.Task[tuple[str, ProgressRecord | Exception]]] = set()

        async def one(progress_id: str) -> tuple[str, ProgressRecord | Exception]:
            try:
                return progress_id, await self.get_record(progress_id, user_id_type=user_id_type)
            except (ApiError, ContentError) as error:
                return progress_id, error

        def refill() -> None:
            while len(running) < max(concurrency, 1):
                progress_id = next(ids, None)
                if progress_id is None:
                    return
                running.add(asyncio.ensure_future(one(progress_id)))

        refill()
        while running:
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                running.discard(task)
                yield task.result()
            refill()

    async def create_record(
        self,
        target_id: str,
        target_type: TargetType | int | str,
        content: Content,
        *,
        source_title: str,
        source_url: str,
        progress_rate: ProgressRate | None = None,
        user_id_type: str = "open_id",
    ) -> ProgressRecord:
        """Post a new progress record on an objective or key result (never retried where
        it may already have been created: see :class:`UncertainWriteError`)."""
        body = create_body(
            target_id,
            target_type,
            content,
            source_title=source_title,
            source_url=source_url,
            progress_rate=progress_rate,
        )
        return _record(await self._drive(self._create_flow(body, user_id_type)))

    async def update_record(
        self,
        progress_id: str,
        content: Content,
        *,
        progress_rate: ProgressRate | None = None,
        user_id_type: str = "open_id",
    ) -> ProgressRecord:
        """Replace a progress record's content (and progress)."""
        body = update_body(content, progress_rate=progress_rate)
        return _record(await self._drive(self._update_flow(progress_id, body, user_id_type)))

    async def delete_record(self, progress_id: str) -> None:
        """Delete a progress record."""
        await self._drive(self._delete_flow(progress_id))

    async def upload_image(
        self,
        image: bytes | str | Path,
        *,
        target_id: str,
        target_type: TargetType | int | str,
        name: str | None = None,
    ) -> tuple[str, str]:
        """Upload an image (bytes or a file path) for progress records of the target;
        ``(file token, URL)``."""
        data, name = _image_data(image, name)
        return _uploaded(await self._drive(self._upload_flow(data, name, target_id, target_type)))

    async def iter_progress_ids(
        self, user_id: str, *, user_id_type: str = "open_id", page_size: int = 10
    ) -> AsyncIterator[str]:
        """Every progress record id on the user's objectives and key results."""
        limit = min(max(page_size, 1), 10)
        offset: int | None = 0
        while offset is not None:
            envelope = await self._drive(self._okrs_flow(user_id, offset, limit, user_id_type))
            ids, offset = _page(envelope, offset, limit)
            for progress_id in ids:
                yield progress_id

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
