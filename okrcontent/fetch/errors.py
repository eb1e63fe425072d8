"""What the OpenAPI can answer instead of a record, as exceptions.

Hierarchy (every class carries ``code``, ``msg``, ``log_id`` and ``http_status``)::

    OkrContentError
    └── ApiError                      the server said no (decided on the body's code)
        ├── InternalError             1009999 internal server error
        ├── SystemBusyError           1009998 system exception: retried
        ├── InvalidParametersError    1001001; 40001; 230001, 230025 (a message too long);
        │                             234001, 234006 (an image too large), 234010
        ├── NoPermissionError         1001002; 41050 (a user outside the app's contacts);
        │                             230002 (the bot is not in the chat), 230013, 230027,
        │                             230035
        ├── UserNotFoundError         1001003
        ├── NotFoundError             1001004 okr data not found
        ├── RateLimitError            99991400, 230020, 1061045 (or HTTP 429): retried
        │                             after the reset
        ├── AuthError                 the token family
        │   ├── TokenError            getting a tenant_access_token failed (wrong secret...)
        │   ├── InvalidTokenError     99991663, 99991664, 99991668: refreshed once, retried
        │   └── MissingScopeError     99991672, 230006, 234007: the app lacks the permission
        │                             (or the bot ability)
        ├── NetworkError              no answer at all (timeout, reset) after retries
        │   ├── ConnectError          no connection: the request was never sent
        │   ├── DeadlineError         no complete answer within the request's or the call's deadline
        │   └── UncertainWriteError   a create or a send that may have succeeded: not retried
        └── AnswerError               an answer the client cannot use: not JSON, nested too
            │                         deep, a garbage compressed body, a field of the wrong
            │                         type or out of range
            ├── AnswerTooLargeError   over the answer size cap
            └── PagingError           a listing that does not end (a page or page token
                                      repeated, or more pages than the cap)
    ContentError
    └── MediaError                    an image the media policy refuses, or cannot read

Codes are mapped to classes through :data:`ERRORS_BY_CODE`; an unknown code is a plain
:class:`ApiError`; the lower layers' errors (httpx, httpcore, zlib) are mapped through
:data:`okrcontent.fetch.transport.LOWER_ERRORS`. Messages never hold a token or a secret,
whatever the server echoes: the client redacts them (:mod:`okrcontent.fetch.redact`).
"""

from __future__ import annotations

from ..errors import ContentError, OkrContentError

__all__ = [
    "ERRORS_BY_CODE",
    "AnswerError",
    "AnswerTooLargeError",
    "ApiError",
    "AuthError",
    "ConnectError",
    "DeadlineError",
    "InternalError",
    "InvalidParametersError",
    "InvalidTokenError",
    "MediaError",
    "MissingScopeError",
    "NetworkError",
    "NoPermissionError",
    "NotFoundError",
    "PagingError",
    "RateLimitError",
    "SystemBusyError",
    "TokenError",
    "UncertainWriteError",
    "UserNotFoundError",
    "error_for",
]


class ApiError(OkrContentError):
    """The OpenAPI answered with an error."""

    retryable = False

    def __init__(
        self,
        msg: str,
        *,
        code: int | None = None,
        log_id: str | None = None,
        http_status: int | None = None,
    ) -> None:
        self.msg, self.code, self.log_id, self.http_status = msg, code, log_id, http_status
        parts = [
            f"code {code}" if code is not None else None,
            f"HTTP {http_status}" if http_status is not None else None,
            f"log id {log_id}" if log_id else None,
        ]
        detail = ", ".join(p for p in parts if p)
        super().__init__(f"{msg} ({detail})" if detail else msg)


class InternalError(ApiError):
    """1009999: internal server error."""


class SystemBusyError(ApiError):
    """1009998: system exception; try again later."""

    retryable = True


class InvalidParametersError(ApiError):
    """1001001, 40001, 230001, 234001: invalid parameters; 230025: a message over the IM
    size limit; 234006, 234010: an image too large or empty."""


class NoPermissionError(ApiError):
    """1001002: no permission for this data; 41050: a user outside the app's contacts
    scope; 230002, 230013, 230027, 230035: the bot may not send there (not in the chat,
    not available to the user, no permission)."""


class UserNotFoundError(ApiError):
    """1001003: user not found."""


class NotFoundError(ApiError):
    """1001004: okr data not found."""


class RateLimitError(ApiError):
    """99991400 or HTTP 429: too many requests; 230020: too many messages to one chat;
    1061045: too many media downloads."""

    retryable = True


class AuthError(ApiError):
    """Something is wrong with the credentials."""


class TokenError(AuthError):
    """Getting a tenant_access_token failed (wrong app id or secret, ...)."""


class InvalidTokenError(AuthError):
    """99991663, 99991664, 99991668: the access token is invalid or expired."""


class MissingScopeError(AuthError):
    """99991672: the app lacks the scope this call needs; 230006, 234007: the app has no
    bot ability (which the IM API needs)."""


class NetworkError(ApiError):
    """No usable answer: connection refused or reset, a timeout, a broken response."""

    retryable = True


class ConnectError(NetworkError):
    """The connection could not be opened (refused, unreachable, timed out): the request
    was never sent, so even a create may be tried again."""


class DeadlineError(NetworkError):
    """No complete answer within the deadline: the request's (the client's ``timeout``:
    connect, send and the whole answer) or the call's, retries included
    (``RetryPolicy.total``)."""


class UncertainWriteError(NetworkError):
    """A create timed out or failed after it was sent: the record may exist. Not retried,
    so that a retry cannot post it twice; look before posting again. A message send carries
    its ``idempotency_key``: sent again with the same key within an hour, the message is
    posted at most once."""

    retryable = False
    idempotency_key: str | None = None


class AnswerError(ApiError):
    """The server answered, but not with anything the client can use; not retried (the
    same server would answer the same)."""


class AnswerTooLargeError(AnswerError):
    """The answer is over the client's size cap (``max_answer_bytes``)."""


class PagingError(AnswerError):
    """A listing does not end: the server sent a page or a page token again, or more
    pages than the client's cap (``max_pages``)."""


class MediaError(ContentError):
    """An image of an update that the media policy refuses (outside the document's folder,
    a private address, too large, not an image) or that cannot be read or downloaded;
    ``path`` names the image's field. Raised before anything is posted."""


ERRORS_BY_CODE: dict[int, type[ApiError]] = {
    # OKR
    1009999: InternalError,
    1009998: SystemBusyError,
    1001001: InvalidParametersError,
    1001002: NoPermissionError,
    1001003: UserNotFoundError,
    1001004: NotFoundError,
    # the gateway: rate limit and tokens
    99991400: RateLimitError,
    99991663: InvalidTokenError,
    99991664: InvalidTokenError,
    99991668: InvalidTokenError,
    99991672: MissingScopeError,
    # contact (users/batch)
    40001: InvalidParametersError,
    41050: NoPermissionError,
    # IM: messages (230xxx) and images (234xxx)
    230001: InvalidParametersError,
    230002: NoPermissionError,
    230006: MissingScopeError,
    230013: NoPermissionError,
    230020: RateLimitError,
    230025: InvalidParametersError,
    230027: NoPermissionError,
    230035: NoPermissionError,
    234001: InvalidParametersError,
    234006: InvalidParametersError,
    234007: MissingScopeError,
    234010: InvalidParametersError,
    # drive: media downloads
    1061045: RateLimitError,
}
"""Body ``code`` -> exception class (the code itself is kept on the error)."""


def error_for(
    code: int | None, msg: str, *, log_id: str | None = None, http_status: int | None = None
) -> ApiError:
    """The exception for an answer; HTTP 429 without a known code is a rate limit, other
    5xx answers without one are busy servers (both retried)."""
    cls = ERRORS_BY_CODE.get(code) if code is not None else None
    if cls is None:
        if http_status == 429:
            cls = RateLimitError
        elif http_status is not None and http_status >= 500:
            cls = SystemBusyError
        else:
            cls = ApiError
    return cls(msg, code=code, log_id=log_id, http_status=http_status)
