"""What one request may cost: a deadline, a size cap, and the lower layers' errors as ours.

A flow yields :class:`Send` steps; the client's driver turns each into a :class:`Reply` (the
status, the headers and the decoded body) or into one of the library's errors, by the same
rules for both clients:

- **Deadline.** Connect, send and the whole answer finish by ``Send.deadline``. Every socket
  wait is cut to the time left, so a server that trickles its headers or its body a byte a
  second is stopped at the deadline, not after one timeout per byte. The sync client needs
  its own network backend for that (:func:`transport`); the async one also bounds the whole
  exchange with :func:`asyncio.wait_for`.
- **Size cap.** The body is streamed and decoded here, with a bounded decompressor, and the
  exchange stops as soon as it passes ``Send.max_bytes`` (raw or decoded: a gzip bomb costs
  no more memory than the cap).
- **Errors.** Whatever the lower layers raise (httpx, httpcore, zlib, our own guard) is
  mapped through :data:`LOWER_ERRORS` to the library's error, httpx-style: the first row
  whose class matches wins.

:class:`NetworkBackend` (and :class:`AsyncNetworkBackend`) also take an address guard (a
callable from host and port to the address to connect to): media downloads check every host
they connect to, after name resolution and on every redirect, and connect to the address
they checked. A :class:`Send` says which of a client's two connections it goes by
(``via``): the OpenAPI's, or the guarded one for media hosts.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import ssl
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs
import httpcore
import httpx

from .errors import (
    AnswerError,
    AnswerTooLargeError,
    ApiError,
    ConnectError,
    DeadlineError,
    NetworkError,
)

__all__ = [
    "ACCEPT_ENCODING",
    "LOWER_ERRORS",
    "AsyncNetworkBackend",
    "Body",
    "NetworkBackend",
    "Reply",
    "Send",
    "Sleep",
    "async_transport",
    "deadline_of",
    "lower_error",
    "ssl_context",
    "timeouts",
    "transport",
    "within",
]

DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "okrcontent_deadline", default=None
)
"""The ``time.monotonic()`` by which the current exchange must be over (None: no deadline)."""

AddressGuard = Callable[[str, int], str]
"""``(host, port) -> address to connect to``, or an error: the check of a connection's peer."""


@attrs.frozen
class Send:
    """A flow's step: send ``request``; the whole answer by ``deadline``, at most
    ``max_bytes`` of body."""

    request: httpx.Request
    deadline: float
    max_bytes: int
    allowed: float = 0.0  # the seconds it had when it was made (for messages)
    via: str = "api"  # "api": the OpenAPI host; "media": an image host, by the guarded connection


@attrs.frozen
class Sleep:
    """A flow's step: wait (a backoff, a rate limit)."""

    seconds: float


@attrs.frozen
class Reply:
    """An answer, read whole within the deadline and the cap."""

    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def log_id(self) -> str | None:
        value: str | None = self.headers.get("x-tt-logid")
        return value


# --- the deadline, at every socket wait ------------------------------------------------------


def _left(timeout: float | None, late: type[Exception]) -> float | None:
    """The socket wait allowed now: ``timeout``, cut to what is left of the deadline."""
    deadline = DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise late("the deadline has passed")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        timeout = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class NetworkBackend(httpcore.NetworkBackend):
    """httpcore's socket backend with every wait cut to :data:`DEADLINE`, and each
    connection's peer checked by ``guard`` (the connection goes to the address it returns,
    so a name cannot resolve to one address for the check and another for the connect)."""

    def __init__(self, guard: AddressGuard | None = None) -> None:
        self._inner = httpcore.SyncBackend()
        self._guard = guard

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _left(timeout, httpcore.ConnectTimeout)
        address = self._guard(host, port) if self._guard is not None else host
        stream = self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
        return _Stream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not used")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """The default TLS context (certificate checks on), made once: loading the CA bundle
    costs 50 ms, and every client and image connection can share it."""
    return httpx.create_ssl_context()


def transport(guard: AddressGuard | None = None) -> httpx.HTTPTransport:
    """httpx's own transport over :class:`NetworkBackend` (for the sync client).

    httpx does not take a network backend yet (encode/httpx#3749 proposes it), so its
    connection pool is replaced by an equal one that has ours."""
    result = httpx.HTTPTransport(verify=ssl_context())
    result._pool = httpcore.ConnectionPool(**_pool_options(), network_backend=NetworkBackend(guard))
    return result


def _pool_options() -> dict[str, Any]:
    """What httpx gives its own connection pool: the TLS context and its default limits."""
    limits = httpx.Limits()
    return {
        "ssl_context": ssl_context(),
        "max_connections": limits.max_connections,
        "max_keepalive_connections": limits.max_keepalive_connections,
        "keepalive_expiry": limits.keepalive_expiry,
    }


class AsyncNetworkBackend(httpcore.AsyncNetworkBackend):
    """httpcore's asyncio backend with each connection's peer checked by ``guard`` (in a
    thread: name resolution blocks), connecting to the address it returns. Deadlines are
    the async client's :func:`asyncio.wait_for`."""

    def __init__(self, guard: AddressGuard) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._guard = guard

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        address = await asyncio.get_running_loop().run_in_executor(None, self._guard, host, port)
        return await self._inner.connect_tcp(address, port, timeout, local_address, socket_options)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def async_transport(guard: AddressGuard) -> httpx.AsyncHTTPTransport:
    """httpx's async transport over :class:`AsyncNetworkBackend` (the pool replaced, as in
    :func:`transport`)."""
    result = httpx.AsyncHTTPTransport(verify=ssl_context())
    backend = AsyncNetworkBackend(guard)
    result._pool = httpcore.AsyncConnectionPool(**_pool_options(), network_backend=backend)
    return result


def deadline_of(seconds: float, call_deadline: float | None = None) -> float:
    """The deadline of a request that may take ``seconds``, within its call's deadline."""
    deadline = time.monotonic() + seconds
    return deadline if call_deadline is None else min(deadline, call_deadline)


class within:  # noqa: N801 - reads as a phrase: ``with within(deadline):``
    """Sets :data:`DEADLINE` for the exchanges in its block."""

    def __init__(self, deadline: float) -> None:
        self._deadline = deadline
        self._token: contextvars.Token[float | None] | None = None

    def __enter__(self) -> None:
        self._token = DEADLINE.set(self._deadline)

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            DEADLINE.reset(self._token)


def timeouts(deadline: float, timeout: float) -> dict[str, float]:
    """httpx's per-request timeouts, none past the deadline (a transport that does not
    know :data:`DEADLINE` still stops within one of them)."""
    left = max(deadline - time.monotonic(), 0.001)
    each = min(timeout, left)
    return {"connect": each, "read": each, "write": each, "pool": each}


# --- the body: streamed, capped, decoded -----------------------------------------------------

_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
"""``Content-Encoding`` -> zlib's window bits; identity (or none) is read as it is."""

ACCEPT_ENCODING = "gzip, deflate"
"""What a request accepts: only what :class:`Body` can decode within its cap."""


class Body:
    """Feed it the raw chunks of a body; it keeps at most ``max_bytes`` of them, decoded."""

    def __init__(self, max_bytes: int, headers: httpx.Headers) -> None:
        self.max_bytes = max_bytes
        encoding = headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("identity", "", *_WBITS):
            raise AnswerError(
                f"the answer is in an encoding this client did not ask for: {encoding}"
            )
        length = headers.get("content-length", "")
        if length.isdigit() and len(length) < 20 and int(length) > max_bytes:
            raise AnswerTooLargeError(f"the answer is {length} bytes, over the cap of {max_bytes}")
        wbits = _WBITS.get(encoding)
        self._zlib = zlib.decompressobj(wbits) if wbits is not None else None
        self._raw = 0
        self._parts: list[bytes] = []
        self._size = 0

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self.max_bytes:
            raise AnswerTooLargeError(f"the answer is over the cap of {self.max_bytes} bytes")
        self._parts.append(data)

    def feed(self, chunk: bytes) -> None:
        self._raw += len(chunk)
        if self._raw > self.max_bytes:
            raise AnswerTooLargeError(f"the answer is over the cap of {self.max_bytes} bytes")
        if self._zlib is None:
            self._keep(chunk)
            return
        data = chunk
        while data:  # never more out of one call than the room left, plus one byte
            self._keep(self._zlib.decompress(data, self.max_bytes - self._size + 1))
            data = self._zlib.unconsumed_tail

    def read(self) -> bytes:
        if self._zlib is not None:
            self._keep(self._zlib.flush())
            if not self._zlib.eof:
                raise AnswerError("the answer's compressed body is cut short")
        return b"".join(self._parts)

    def read_all(self, chunks: Iterator[bytes], deadline: float) -> bytes:
        """Every chunk fed, checking the deadline between them (for a transport that does
        not know :data:`DEADLINE`)."""
        for chunk in chunks:
            if time.monotonic() > deadline:
                raise DeadlineError("no complete answer within the deadline")
            self.feed(chunk)
        return self.read()


# --- lower-layer errors, mapped ---------------------------------------------------------------

LOWER_ERRORS: tuple[tuple[type[BaseException], type[ApiError]], ...] = (
    (ApiError, ApiError),  # raised by Body: already ours
    (httpx.ConnectTimeout, ConnectError),
    (httpx.ConnectError, ConnectError),
    (httpx.TimeoutException, NetworkError),
    (httpx.UnsupportedProtocol, ApiError),  # a base URL that is not http(s): never retried
    (httpx.LocalProtocolError, ApiError),  # a request h11 will not send (a bad header)
    (httpx.DecodingError, AnswerError),
    (httpx.InvalidURL, AnswerError),  # an answer's Location that is no URL (redirects)
    (httpx.TransportError, NetworkError),
    (httpx.HTTPError, NetworkError),
    (httpcore.ConnectTimeout, ConnectError),
    (httpcore.ConnectError, ConnectError),
    (httpcore.TimeoutException, NetworkError),
    (httpcore.NetworkError, NetworkError),
    (httpcore.ProtocolError, NetworkError),
    (zlib.error, AnswerError),
    (asyncio.TimeoutError, NetworkError),  # asyncio.wait_for at the deadline (3.10)
    (TimeoutError, NetworkError),
    (OSError, NetworkError),
)
"""Lower-layer exception class -> the library's; the first row that matches wins, so the
more specific rows come first. Anything else is a bug, and is not caught."""


def lower_error(error: BaseException, send: Send, redact: Callable[[str], str]) -> ApiError | None:
    """The library's error for a lower layer's (None: not one we map). Past the deadline a
    timeout is a :class:`DeadlineError`; the message is redacted and no chain is kept, so
    nothing a lower layer held (a request's headers) can surface."""
    ours = next((mapped for lower, mapped in LOWER_ERRORS if isinstance(error, lower)), None)
    if ours is None:
        return None
    allowed = f"{send.allowed:.3g} s"
    late = time.monotonic() >= send.deadline - 0.001  # the deadline, not the server, cut it off
    if isinstance(error, DeadlineError) or (late and ours is NetworkError):
        return DeadlineError(f"no complete answer within the deadline ({allowed})")
    if late and ours is ConnectError:
        return ConnectError(f"no connection within the deadline ({allowed})")
    if isinstance(error, ApiError):
        return error
    text = str(error).strip()
    return ours(redact(f"{type(error).__name__}: {text}" if text else type(error).__name__))
