"""A small, careful client for OKR progress records, sync and async, over httpx.

::

    with Client(app_id="cli_...", app_secret="...") as client:        # or user_access_token=
        record = client.get_record("7046518160811425812")               # -> ProgressRecord
        envelope = client.get_envelope("7046518160811425812")           # the raw JSON, to archive
        for progress_id in client.iter_progress_ids("ou_..."):          # v1: a user's records
            ...
        cycles = list(client.list_cycles("ou_..."))   # v2: whole OKRs, page by page (okr.py)
        people = client.directory()                 # names for mentions (directory.py)
        media = client.download_image(image)        # a gallery image kept (media.py)
        client.send_message("oc_...", post)         # a post to a chat (im.py)

Every call is one *flow* (a generator that yields requests and sleeps and receives
responses), written once and driven by :class:`Client` with ``httpx.Client`` and by
:class:`AsyncClient` with ``httpx.AsyncClient``. The flow decides on the body's ``code``, not
only the HTTP status; retries with backoff and jitter (:class:`RetryPolicy`) for 1009998, 5xx,
429/99991400 (never sooner than ``x-ogw-ratelimit-reset`` says) and network errors, and for
nothing else; refreshes the tenant token once when the server calls it invalid; and keeps to
the documented 100 requests a minute (:class:`RateLimiter`, one per client, shared by its
threads or tasks). Ids are checked before any request, so no input reaches another path or
adds query parameters. Tokens and secrets appear in no repr, log line or error message.

Every request and every call is bounded, whatever the server does: a request (connect, send,
the whole answer) finishes within ``timeout`` seconds, a call with its retries within
``RetryPolicy.total``, an answer is at most ``max_answer_bytes`` (streamed, decoded with a
bounded decompressor), a listing at most ``max_pages`` pages and never a page twice; an answer
that is not what the API documents is an :class:`AnswerError` naming the field. All of it
lives in the shared machinery (:mod:`.transport`, :mod:`.answers`, :mod:`.pages`), so a new
endpoint is one flow and gets it for free. Media hosts (an image's ``src``) are reached by a
second connection that checks every address against the media policy; a flow says which
connection a request takes (:class:`~okrcontent.fetch.transport.Send` ``via``), and an
endpoint with a documented limit of its own names it (``limit``, waited for besides the
client's 100 a minute).
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import AsyncIterator, Generator, Hashable, Iterable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

import attrs
import httpx

from .._version import __version__
from ..codec import load_record
from ..errors import ContentError, OkrContentError
from ..ids import ID_RULES, check_id, check_user_id, check_user_id_type, shown
from ..model import Content, Image, ProgressRate, ProgressRecord
from .answers import envelope_of, field, objects
from .directory import AsyncDirectory, Directory
from .errors import (
    AnswerError,
    ApiError,
    ConnectError,
    InvalidTokenError,
    MediaError,
    NetworkError,
    RateLimitError,
    TokenError,
    UncertainWriteError,
    error_for,
)
from .im import SentMessage, message_body, new_idempotency_key, send_flow, upload_flow
from .media import fetch_flow, image_flow
from .okr import AsyncOkrCalls, OkrCalls
from .pages import MAX_PAGES, Page, Pages
from .policy import Media, MediaPolicy
from .post import TargetType, create_body, update_body
from .redact import Secret, Secrets
from .retry import KeyedLimiters, RateLimiter, RetryPolicy
from .transport import (
    ACCEPT_ENCODING,
    Body,
    Reply,
    Send,
    Sleep,
    async_transport,
    lower_error,
    ssl_context,
    timeouts,
    within,
)
from .transport import transport as guarded_transport

__all__ = ["FEISHU", "LARK", "MAX_ANSWER_BYTES", "AsyncClient", "Client"]

FEISHU = "https://open.feishu.cn"
LARK = "https://open.larksuite.com"
TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal"  # noqa: S105 - a path
RECORD_PATH = "/open-apis/okr/v1/progress_records/{}"
USER_OKRS_PATH = "/open-apis/okr/v1/users/{}/okrs"
CREATE_PATH = "/open-apis/okr/v1/progress_records"
UPLOAD_PATH = "/open-apis/okr/v1/images/upload"
_UNCERTAIN = "the record may have been created: check before posting it again"
REFRESH_MARGIN = 300.0
"""Seconds before its expiry that a tenant token is replaced."""


MAX_ANSWER_BYTES = 16 * 1024 * 1024
"""The default cap on one answer's body, decoded (the API's answers are kilobytes)."""
MAX_TOKEN_LIFETIME = 2**31 - 1
"""The largest ``expire`` (seconds) a token answer may give."""
_MSG_LIMIT = 500
"""Characters of a server's ``msg`` kept in an error message."""

Step = Send | Sleep
Flow = Generator[Step, Reply | None, Any]


TransportT = TypeVar("TransportT", httpx.BaseTransport, httpx.AsyncBaseTransport)


class _Core(Generic[TransportT]):
    """Everything but the I/O: credentials, token cache, limiter, retries, limits, the flows.
    The twins only say how to open their httpx client (:meth:`_open`) and drive a flow."""

    def __init__(
        self,
        *,
        app_id: str | None = None,
        app_secret: str | None = None,
        user_access_token: str | None = None,
        base_url: str = FEISHU,
        timeout: float = 10.0,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
        max_pages: int = MAX_PAGES,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        media: MediaPolicy | None = None,
        transport: TransportT | None = None,
    ) -> None:
        if user_access_token is not None:
            if app_id is not None or app_secret is not None:
                raise ValueError("give either user_access_token or app_id and app_secret")
        elif not (app_id and app_secret):
            raise ValueError("credentials needed: app_id and app_secret, or user_access_token")
        if not (timeout > 0 and max_answer_bytes > 0 and max_pages > 0):
            raise ValueError("timeout, max_answer_bytes and max_pages must be positive")
        self.app_id = app_id
        self._secret = Secret(app_secret) if app_secret else None
        self._user_token = Secret(user_access_token) if user_access_token else None
        self._secrets = Secrets(app_secret, user_access_token)
        try:
            scheme = httpx.URL(base_url).scheme
        except httpx.InvalidURL as error:
            raise ValueError(f"base_url: {error}") from None
        if scheme not in ("http", "https"):
            raise ValueError(f"base_url: {base_url!r} is not an http(s) URL")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_answer_bytes = max_answer_bytes
        self.max_pages = max_pages
        self.retry = retry or RetryPolicy()
        self.limiter = limiter or RateLimiter()
        self.media = media or MediaPolicy()
        self._keyed = KeyedLimiters()
        self._requests = 0
        self._requests_lock = threading.Lock()
        self._tenant_token: Secret | None = None
        self._expires = 0.0
        self._token_lock = threading.Lock()
        self._open(transport)

    def _open(self, transport: TransportT | None) -> None:
        """Open the OpenAPI connection (over ``transport``) and the guarded one for media
        hosts (every peer checked by the media policy; no proxies from the environment,
        which would connect on our behalf past the check)."""
        raise NotImplementedError

    def _media_options(self) -> dict[str, Any]:
        return {
            "timeout": self.media.timeout,
            "trust_env": False,
            "follow_redirects": True,
            "max_redirects": self.media.max_redirects,
        }

    @property
    def requests(self) -> int:
        """HTTP requests sent to the OpenAPI so far (retries and token calls included; media
        hosts not): what a run cost against the 100 a minute."""
        return self._requests

    @property
    def identity(self) -> str:
        """Whom the calls are made as: ``tenant`` (the app) or ``user`` (a user token)."""
        return "user" if self._user_token is not None else "tenant"

    def __repr__(self) -> str:
        who = f"app_id={self.app_id!r}" if self.app_id else "user_access_token=<secret>"
        return f"{type(self).__name__}({who}, base_url={self.base_url!r})"

    # tokens

    def _token(self, deadline: float) -> Generator[Step, Reply | None, str]:
        if self._user_token is not None:
            return self._user_token.value
        with self._token_lock:
            if self._tenant_token is not None and time.monotonic() < self._expires:
                return self._tenant_token.value
        if self._secret is None:  # unreachable: __init__ demands a secret or a user token
            raise TokenError("no app secret to get a tenant token with")
        request = httpx.Request(
            "POST",
            self.base_url + TOKEN_PATH,
            json={"app_id": self.app_id, "app_secret": self._secret.value},
            headers={"Accept-Encoding": ACCEPT_ENCODING},
        )
        body, reply = yield from self._send(request, deadline, token_call=True)
        try:
            token = field(body, "tenant_access_token", "", str)
            expire = field(body, "expire", "", int)
            if not token:
                raise AnswerError("the token answer has no tenant_access_token")
            if expire is None or not 0 <= expire <= MAX_TOKEN_LIFETIME:
                raise AnswerError(
                    f"expire: {shown(expire)} is not seconds in 0..{MAX_TOKEN_LIFETIME}"
                )
        except AnswerError as error:
            raise TokenError(error.msg, log_id=reply.log_id, http_status=reply.status) from None
        self._secrets.add(token)
        with self._token_lock:
            self._tenant_token = Secret(token)
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
        self,
        request: httpx.Request,
        deadline: float,
        *,
        token_call: bool = False,
        idempotent: bool = True,
        via: str = "api",
        limit: tuple[str, str] | None = None,
        raw: bool = False,
        uncertain: str = _UNCERTAIN,
    ) -> Generator[Step, Reply | None, tuple[dict[str, Any], Reply]]:
        """Send with retries, each attempt within ``timeout`` and all by ``deadline``; the
        JSON body of a successful answer. ``via``: the OpenAPI's connection (within the
        client's limiter) or the guarded one for media hosts; ``limit``: an endpoint's own
        rate limit, ``(kind, target)`` of :data:`~okrcontent.fetch.retry.ENDPOINT_LIMITS`.
        ``raw``: a file is the answer (an image), read under the media policy's cap and
        timeout, or a redirect to it; a JSON answer is still read for its error code.

        A request that is not ``idempotent`` (a create) is retried only where it cannot
        have taken effect: the connection never opened, or the server refused it for the
        rate limit. After a timeout, a reset, a 5xx or an unreadable answer it may have
        succeeded, so it raises :class:`UncertainWriteError` instead of risking a second
        record (``uncertain`` says so for the call at hand)."""
        attempt = 0
        each = self.media.timeout if raw else self.timeout
        cap = self.media.max_bytes if raw else self.max_answer_bytes
        while True:
            attempt += 1
            wait = max(
                self.limiter.reserve() if via == "api" else 0.0,
                self._keyed.reserve(*limit) if limit is not None else 0.0,
            )
            if wait > 0:
                yield Sleep(wait)
            if via == "api":
                with self._requests_lock:
                    self._requests += 1
            now = time.monotonic()
            until = min(now + each, deadline)
            request.extensions = {**request.extensions, "timeout": timeouts(until, each)}
            reply: Reply | None = None
            try:
                reply = yield Send(request, until, cap, until - now, via)
            except ApiError as thrown:  # a lower layer's error, mapped by the driver
                failure = thrown
            else:
                if reply is None:  # a driver that sent nothing back: a bug, said plainly
                    raise RuntimeError("the driver answered a request with nothing")
                outcome = self._interpret(reply, token_call, raw)
                if isinstance(outcome, dict):
                    return outcome, reply
                failure = outcome
            if not idempotent and _may_have_acted(failure):
                raise UncertainWriteError(
                    f"{uncertain} ({failure.msg})",
                    code=failure.code,
                    log_id=failure.log_id,
                    http_status=failure.http_status,
                )
            if not failure.retryable:
                raise failure
            delay = self.retry.delay(attempt, _reset_seconds(reply) if reply else 0.0)
            elapsed = time.monotonic() - (deadline - self.retry.total)
            if not self.retry.allows(attempt, elapsed, delay):
                raise failure
            yield Sleep(delay)

    def _interpret(
        self, reply: Reply, token_call: bool, raw: bool = False
    ) -> dict[str, Any] | ApiError:
        """A successful answer's envelope (``{}`` for a file, when ``raw``), or the error
        the answer stands for."""
        log_id = self._secrets.redact(reply.log_id) if reply.log_id else None
        success = 200 <= reply.status < 300
        kind = reply.headers.get("content-type", "").split(";")[0].strip().lower()
        moved = 300 <= reply.status < 400 and "location" in reply.headers
        if raw and (moved or (success and not kind.endswith("json"))):
            return {}  # the file, or where it is (the caller follows by the media connection)
        body = envelope_of(reply.body)
        code = body.get("code") if body is not None else None
        code = code if type(code) is int else None
        if body is not None and code == 0 and success:
            return body
        if success and code is None:
            return AnswerError(
                "the answer is not a JSON object with a code",
                log_id=log_id,
                http_status=reply.status,
            )
        msg = body.get("msg") if body is not None else None
        if not isinstance(msg, str):
            msg = f"HTTP {reply.status} without a usable body"
        msg = self._secrets.redact(msg if len(msg) <= _MSG_LIMIT else msg[:_MSG_LIMIT] + "...")
        error = error_for(code, msg, log_id=log_id, http_status=reply.status)
        if token_call and not error.retryable:
            return TokenError(msg, code=code, log_id=log_id, http_status=reply.status)
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
        limit: tuple[str, str] | None = None,
        raw: bool = False,
        uncertain: str = _UNCERTAIN,
    ) -> Flow:
        """An authorised API call, all of it within ``RetryPolicy.total`` seconds; the
        whole JSON envelope of a successful answer (the :class:`Reply` itself when ``raw``:
        a file)."""
        deadline = time.monotonic() + self.retry.total
        refreshed = False
        while True:
            token = yield from self._token(deadline)
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
                    "Accept-Encoding": ACCEPT_ENCODING,
                },
            )
            try:
                body, reply = yield from self._send(
                    request,
                    deadline,
                    idempotent=idempotent,
                    limit=limit,
                    raw=raw,
                    uncertain=uncertain,
                )
            except InvalidTokenError:
                if refreshed or not self._forget_token():
                    raise
                refreshed = True  # the server says the token is stale: one new one, once
                continue
            if raw and body:
                raise AnswerError("the answer is JSON, not the file asked for")
            return reply if raw else body

    def _fetch(self, url: str, *, authorize: bool) -> Flow:
        """A file from a media host (an image's ``src``), by the guarded connection, within
        ``RetryPolicy.total``; the client's token goes with it only when ``authorize``."""
        deadline = time.monotonic() + self.retry.total
        headers = {
            "Accept": "image/*",
            "User-Agent": f"okrcontent/{__version__}",
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        if authorize:
            headers["Authorization"] = f"Bearer {(yield from self._token(deadline))}"
        try:
            request = httpx.Request("GET", url, headers=headers)
        except httpx.InvalidURL as error:
            raise MediaError(f"{shown(url)} is not a URL: {error}") from None
        _, reply = yield from self._send(request, deadline, via="media", raw=True)
        return reply

    # flows of the public calls

    def _envelope_flow(self, progress_id: str, user_id_type: str) -> Flow:
        path = RECORD_PATH.format(check_id(progress_id, "progress_id"))
        return self._call("GET", path, {"user_id_type": check_user_id_type(user_id_type)})

    def _record_flow(self, progress_id: str, user_id_type: str) -> Flow:
        envelope = yield from self._envelope_flow(progress_id, user_id_type)
        return load_record(envelope)

    def _create_flow(self, body: dict[str, Any], user_id_type: str) -> Flow:
        params = {"user_id_type": check_user_id_type(user_id_type)}
        envelope = yield from self._call("POST", CREATE_PATH, params, json=body, idempotent=False)
        return load_record(envelope)

    def _update_flow(self, progress_id: str, body: dict[str, Any], user_id_type: str) -> Flow:
        path = RECORD_PATH.format(check_id(progress_id, "progress_id"))
        params = {"user_id_type": check_user_id_type(user_id_type)}
        envelope = yield from self._call("PUT", path, params, json=body)
        return load_record(envelope)

    def _delete_flow(self, progress_id: str) -> Flow:
        return self._call("DELETE", RECORD_PATH.format(check_id(progress_id, "progress_id")))

    def _upload_flow(
        self, image: bytes | str | Path, name: str | None, target_id: str, target_type: Any
    ) -> Flow:
        media = self.media.image(image, name)
        fields = {
            "target_id": check_id(target_id, "target_id"),
            "target_type": str(int(TargetType.of(target_type))),
        }
        files = {"data": (media.name, media.data, media.mime_type)}
        envelope = yield from self._call("POST", UPLOAD_PATH, files=files, data=fields)
        data = field(envelope, "data", "", dict) or {}
        token = field(data, "file_token", "data.", str)
        if not token:
            raise AnswerError("the upload answer has no data.file_token")
        return token, field(data, "url", "data.", str) or ""

    def _image_flow(self, image: Image | str) -> Flow:
        return image_flow(self, Image(file_token=image) if isinstance(image, str) else image)

    def _send_flow(
        self,
        receive_id: str,
        content: Any,
        msg_type: str,
        receive_id_type: str,
        idempotency_key: str | None,
    ) -> Flow:
        key = idempotency_key or new_idempotency_key()
        body = message_body(receive_id, content, msg_type=msg_type, uuid=key)
        return send_flow(self, body, receive_id_type)

    def _okr_pages(self, user_id: str, page_size: int, user_id_type: str) -> Pages[str]:
        listing = _OkrListing(
            self,
            check_user_id(user_id),
            min(max(page_size, 1), 10),
            check_user_id_type(user_id_type),
        )
        return Pages(listing, max_pages=self.max_pages)


@attrs.frozen
class _OkrListing:
    """``GET /open-apis/okr/v1/users/:user_id/okrs``, paged by offset: the progress record
    ids on a user's objectives and key results."""

    core: _Core[Any]
    user_id: str
    limit: int
    user_id_type: str
    first: int = 0

    def flow(self, cursor: Hashable) -> Generator[Step, Reply | None, Page[str]]:
        offset = int(cursor)  # type: ignore[call-overload]
        params = {
            "user_id_type": self.user_id_type,
            "offset": str(offset),
            "limit": str(self.limit),
        }
        envelope = yield from self.core._call("GET", USER_OKRS_PATH.format(self.user_id), params)
        page = field(envelope, "data", "", dict) or {}
        listed = field(page, "okr_list", "data.", list) or []
        total = field(page, "total", "data.", int)
        ids = list(_progress_ids(objects(page, "okr_list", "data.")))
        offset += len(listed)
        done = len(listed) < self.limit or (total is not None and offset >= total)
        return Page(ids, None if done else offset, listed)


def _reset_seconds(reply: Reply) -> float:
    """How long a rate-limited answer asks us to wait (``x-ogw-ratelimit-reset``)."""
    value = reply.headers.get("x-ogw-ratelimit-reset", "")
    try:
        seconds = float(value) if len(value) < 20 else 0.0
    except ValueError:
        return 0.0
    return min(max(seconds, 0.0), 120.0) if math.isfinite(seconds) else 0.0


def _progress_ids(okrs: list[tuple[str, dict[str, Any]]]) -> Iterator[str]:
    """The progress record ids on a page of a user's OKRs (objectives and key results)."""
    for path, okr in okrs:
        for at, objective in objects(okr, "objective_list", path):
            holders = [(at, objective), *objects(objective, "kr_list", at)]
            for where, holder in holders:
                for place, progress in objects(holder, "progress_record_list", where):
                    progress_id = field(progress, "id", place, str)
                    if progress_id is not None and ID_RULES["okr"][0].fullmatch(progress_id):
                        yield progress_id


def _may_have_acted(failure: ApiError) -> bool:
    """Could the server have carried out a request that ended in ``failure``?"""
    if isinstance(failure, (ConnectError, RateLimitError)):
        return False  # never sent, or refused before it was looked at
    return isinstance(failure, (NetworkError, AnswerError)) or failure.retryable


class Client(_Core[httpx.BaseTransport], OkrCalls):
    """The synchronous client.

    ``timeout``: seconds for one request, connect, send and the whole answer (a server that
    trickles is cut off then); ``retry.total``: seconds for a call with its retries;
    ``max_answer_bytes``: the cap on an answer's body; ``max_pages``: the cap on a listing;
    ``media``: what :meth:`upload_image` accepts (:class:`MediaPolicy`). ``transport`` is
    any httpx transport (for proxies); the default one also holds every socket wait to the
    deadline, which a transport of your own bounds by ``timeout`` per wait."""

    def _open(self, transport: httpx.BaseTransport | None) -> None:
        self._http = httpx.Client(timeout=self.timeout, transport=transport or guarded_transport())
        self._media_http: httpx.Client | None = None  # opened on first use
        self._media_lock = threading.Lock()

    def _media(self) -> httpx.Client:
        with self._media_lock:
            if self._media_http is None:
                guarded = guarded_transport(self.media.check_address)
                self._media_http = httpx.Client(transport=guarded, **self._media_options())
            return self._media_http

    def _drive(self, flow: Flow) -> Any:
        """Run a flow: its sleeps slept, its requests sent and answered."""
        try:
            step = next(flow)
            while True:
                if isinstance(step, Sleep):
                    time.sleep(step.seconds)
                    step = flow.send(None)
                    continue
                outcome = self._exchange(step)
                step = flow.send(outcome) if isinstance(outcome, Reply) else flow.throw(outcome)
        except StopIteration as stop:
            return stop.value
        except OkrContentError as error:
            self._secrets.scrub(error)
            raise

    def _exchange(self, send: Send) -> Reply | ApiError | MediaError:
        """One request and its whole answer, or the library's error for what went wrong
        (a media host the policy refuses, on connecting or on a redirect: a MediaError)."""
        http = self._http if send.via == "api" else self._media()
        try:
            with within(send.deadline):
                response = http.send(send.request, stream=True)
                try:
                    body = Body(send.max_bytes, response.headers)
                    data = body.read_all(response.iter_raw(), send.deadline)
                finally:
                    response.close()
        except MediaError as refused:
            return refused
        except Exception as error:
            failure = lower_error(error, send, self._secrets.redact)
            if failure is None:
                raise
            return failure
        return Reply(response.status_code, response.headers, data)

    def get_envelope(self, progress_id: str, *, user_id_type: str = "open_id") -> dict[str, Any]:
        """The API's raw answer (``{"code": 0, "msg": ..., "data": {...}}``), for archiving."""
        return self._drive(self._envelope_flow(progress_id, user_id_type))  # type: ignore[no-any-return]

    def get_record(self, progress_id: str, *, user_id_type: str = "open_id") -> ProgressRecord:
        """One progress record, loaded losslessly by :mod:`okrcontent.codec`."""
        return self._drive(self._record_flow(progress_id, user_id_type))  # type: ignore[no-any-return]

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
        return self._drive(self._create_flow(body, user_id_type))  # type: ignore[no-any-return]

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
        return self._drive(self._update_flow(progress_id, body, user_id_type))  # type: ignore[no-any-return]

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
        ``(file token, URL)``. It must be an image (PNG, JPEG, GIF, WebP, BMP, TIFF, ICO, by
        its bytes) within the media policy's size cap."""
        return self._drive(self._upload_flow(image, name, target_id, target_type))  # type: ignore[no-any-return]

    def iter_progress_ids(
        self, user_id: str, *, user_id_type: str = "open_id", page_size: int = 10
    ) -> Iterator[str]:
        """Every progress record id on the user's objectives and key results, page by page
        (at most ``max_pages``; a page or cursor the server repeats is a :class:`PagingError`)."""
        pages = self._okr_pages(user_id, page_size, user_id_type)
        while not pages.done:
            yield from self._drive(pages.next())

    def directory(self, *, user_id_type: str = "open_id") -> Directory:
        """Display names for mentions from the contact API: a ``people=`` resolver, batched
        and cached for the run (:class:`~okrcontent.fetch.directory.Directory`)."""
        return Directory(self, user_id_type=user_id_type)

    def download_image(self, image: Image | str) -> Media:
        """A gallery image (an :class:`~okrcontent.Image`, or its file token) kept for good:
        by its file token, else from its ``src`` (:mod:`okrcontent.fetch.media`), under the
        media policy. The :class:`Media` has the bytes, ``extension`` (``.png``) and a
        stable ``name`` (the file token and the extension)."""
        return self._drive(self._image_flow(image))  # type: ignore[no-any-return]

    def fetch_image(self, url: str) -> Media:
        """A remote image by its URL, under the media policy (public addresses only, the
        size cap, an image by its bytes); the client's token only for Feishu's own hosts."""
        return self._drive(fetch_flow(self, url))  # type: ignore[no-any-return]

    def upload_message_image(self, image: bytes | str | Path, *, name: str | None = None) -> str:
        """Upload an image (bytes or a file path) for chat messages; its ``image_key``."""
        return self._drive(upload_flow(self, image, name))  # type: ignore[no-any-return]

    def send_message(
        self,
        receive_id: str,
        content: Any,
        *,
        msg_type: str = "post",
        receive_id_type: str = "chat_id",
        idempotency_key: str | None = None,
    ) -> SentMessage:
        """Send a message (by default a ``post``: ``content`` is the post object or its
        JSON text) to a chat. It carries ``idempotency_key`` (a new UUID if none): the
        server posts one message per key within an hour. Never retried where it may have
        been posted (:class:`UncertainWriteError`, with the key to send it again with)."""
        flow = self._send_flow(receive_id, content, msg_type, receive_id_type, idempotency_key)
        return self._drive(flow)  # type: ignore[no-any-return]

    def close(self) -> None:
        self._http.close()
        if self._media_http is not None:
            self._media_http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(_Core[httpx.AsyncBaseTransport], AsyncOkrCalls):
    """The asyncio client: the same calls and limits, awaited; plus :meth:`get_records`
    concurrently. Each exchange is also bounded as a whole by :func:`asyncio.wait_for`."""

    def _open(self, transport: httpx.AsyncBaseTransport | None) -> None:
        default = httpx.AsyncHTTPTransport(verify=ssl_context())
        self._http = httpx.AsyncClient(timeout=self.timeout, transport=transport or default)
        self._media_http: httpx.AsyncClient | None = None  # opened on first use

    def _media(self) -> httpx.AsyncClient:
        if self._media_http is None:  # one event loop: no lock needed
            guarded = async_transport(self.media.check_address)
            self._media_http = httpx.AsyncClient(transport=guarded, **self._media_options())
        return self._media_http

    async def _drive(self, flow: Flow) -> Any:
        """Run a flow: its sleeps slept, its requests sent and answered."""
        try:
            step = next(flow)
            while True:
                if isinstance(step, Sleep):
                    await asyncio.sleep(step.seconds)
                    step = flow.send(None)
                    continue
                outcome = await self._exchange(step)
                step = flow.send(outcome) if isinstance(outcome, Reply) else flow.throw(outcome)
        except StopIteration as stop:
            return stop.value
        except OkrContentError as error:
            self._secrets.scrub(error)
            raise

    async def _exchange(self, send: Send) -> Reply | ApiError | MediaError:
        """One request and its whole answer, or the library's error for what went wrong
        (a media host the policy refuses: a MediaError)."""
        try:
            left = max(send.deadline - time.monotonic(), 0.001)
            return await asyncio.wait_for(self._read(send), left)
        except MediaError as refused:
            return refused
        except Exception as error:
            failure = lower_error(error, send, self._secrets.redact)
            if failure is None:
                raise
            return failure

    async def _read(self, send: Send) -> Reply:
        http = self._http if send.via == "api" else self._media()
        response = await http.send(send.request, stream=True)
        try:
            body = Body(send.max_bytes, response.headers)
            async for chunk in response.aiter_raw():
                body.feed(chunk)
            return Reply(response.status_code, response.headers, body.read())
        finally:
            await response.aclose()

    async def get_envelope(
        self, progress_id: str, *, user_id_type: str = "open_id"
    ) -> dict[str, Any]:
        """The API's raw answer, for archiving."""
        return await self._drive(self._envelope_flow(progress_id, user_id_type))  # type: ignore[no-any-return]

    async def get_record(
        self, progress_id: str, *, user_id_type: str = "open_id"
    ) -> ProgressRecord:
        """One progress record."""
        return await self._drive(self._record_flow(progress_id, user_id_type))  # type: ignore[no-any-return]

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
        return await self._drive(self._create_flow(body, user_id_type))  # type: ignore[no-any-return]

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
        return await self._drive(self._update_flow(progress_id, body, user_id_type))  # type: ignore[no-any-return]

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
        return await self._drive(self._upload_flow(image, name, target_id, target_type))  # type: ignore[no-any-return]

    async def iter_progress_ids(
        self, user_id: str, *, user_id_type: str = "open_id", page_size: int = 10
    ) -> AsyncIterator[str]:
        """Every progress record id on the user's objectives and key results."""
        pages = self._okr_pages(user_id, page_size, user_id_type)
        while not pages.done:
            for progress_id in await self._drive(pages.next()):
                yield progress_id

    def directory(self, *, user_id_type: str = "open_id") -> AsyncDirectory:
        """Display names for mentions, prefetched (awaited) before writing."""
        return AsyncDirectory(self, user_id_type=user_id_type)

    async def download_image(self, image: Image | str) -> Media:
        """A gallery image kept for good: by its file token, else from its ``src``."""
        return await self._drive(self._image_flow(image))  # type: ignore[no-any-return]

    async def fetch_image(self, url: str) -> Media:
        """A remote image by its URL, under the media policy."""
        return await self._drive(fetch_flow(self, url))  # type: ignore[no-any-return]

    async def upload_message_image(
        self, image: bytes | str | Path, *, name: str | None = None
    ) -> str:
        """Upload an image for chat messages; its ``image_key``."""
        return await self._drive(upload_flow(self, image, name))  # type: ignore[no-any-return]

    async def send_message(
        self,
        receive_id: str,
        content: Any,
        *,
        msg_type: str = "post",
        receive_id_type: str = "chat_id",
        idempotency_key: str | None = None,
    ) -> SentMessage:
        """Send a message to a chat (never retried where it may have been posted)."""
        flow = self._send_flow(receive_id, content, msg_type, receive_id_type, idempotency_key)
        return await self._drive(flow)  # type: ignore[no-any-return]

    async def aclose(self) -> None:
        await self._http.aclose()
        if self._media_http is not None:
            await self._media_http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
