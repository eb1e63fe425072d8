"""What the OpenAPI can answer instead of a record, as exceptions.

Hierarchy (every class carries ``code``, ``msg``, ``log_id`` and ``http_status``)::

    OkrContentError
    └── ApiError                      the server said no (decided on the body's code)
        ├── InternalError             1009999 internal server error
        ├── SystemBusyError           1009998 system exception: retried
        ├── InvalidParametersError    1001001
        ├── NoPermissionError         1001002
        ├── UserNotFoundError         1001003
        ├── NotFoundError             1001004 okr data not found
        ├── RateLimitError            99991400 (or HTTP 429): retried after the reset
        ├── AuthError                 the token family
        │   ├── TokenError            getting a tenant_access_token failed (wrong secret...)
        │   ├── InvalidTokenError     99991663, 99991664, 99991668: refreshed once, retried
        │   └── MissingScopeError     99991672: the app lacks the permission
        └── NetworkError              no answer at all (connect, timeout, reset) after retries
            └── UncertainWriteError   a create that may have succeeded: not retried

Codes are mapped to classes through :data:`ERRORS_BY_CODE`; an unknown code is a plain
:class:`ApiError`. Messages never hold a token or a secret.
"""

from __future__ import annotations

from ..errors import OkrContentError

__all__ = [
    "ERRORS_BY_CODE",
    "ApiError",
    "AuthError",
    "InternalError",
    "InvalidParametersError",
    "InvalidTokenError",
    "MissingScopeError",
    "NetworkError",
    "NoPermissionError",
    "NotFoundError",
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
    """1001001: invalid parameters."""


class NoPermissionError(ApiError):
    """1001002: no permission for this data."""


class UserNotFoundError(ApiError):
    """1001003: user not found."""


class NotFoundError(ApiError):
    """1001004: okr data not found."""


class RateLimitError(ApiError):
    """99991400 or HTTP 429: too many requests."""

    retryable = True


class AuthError(ApiError):
    """Something is wrong with the credentials."""


class TokenError(AuthError):
    """Getting a tenant_access_token failed (wrong app id or secret, ...)."""


class InvalidTokenError(AuthError):
    """99991663, 99991664, 99991668: the access token is invalid or expired."""


class MissingScopeError(AuthError):
    """99991672: the app lacks the scope this call needs."""


class NetworkError(ApiError):
    """No usable answer: connection refused or reset, a timeout, a broken response."""

    retryable = True


class UncertainWriteError(NetworkError):
    """A create timed out or failed after it was sent: the record may exist. Not retried,
    so that a retry cannot post it twice; look before posting again."""

    retryable = False


ERRORS_BY_CODE: dict[int, type[ApiError]] = {
    1009999: InternalError,
    1009998: SystemBusyError,
    1001001: InvalidParametersError,
    1001002: NoPermissionError,
    1001003: UserNotFoundError,
    1001004: NotFoundError,
    99991400: RateLimitError,
    99991663: InvalidTokenError,
    99991664: InvalidTokenError,
    99991668: InvalidTokenError,
    99991672: MissingScopeError,
}
"""Body ``code`` -> exception class."""


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
