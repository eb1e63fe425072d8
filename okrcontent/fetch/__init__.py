"""Fetch progress records from the Feishu/Lark OpenAPI (SPEC section 5).

::

    from okrcontent.fetch import Client, LARK
    with Client(app_id="cli_...", app_secret="...", base_url=LARK) as client:
        record = client.get_record("7046518160811425812")
"""

from .client import FEISHU, LARK, AsyncClient, Client
from .errors import (
    ERRORS_BY_CODE,
    ApiError,
    AuthError,
    InternalError,
    InvalidParametersError,
    InvalidTokenError,
    MissingScopeError,
    NetworkError,
    NoPermissionError,
    NotFoundError,
    RateLimitError,
    SystemBusyError,
    TokenError,
    UncertainWriteError,
    UserNotFoundError,
)
from .post import TargetType
from .retry import RateLimiter, RetryPolicy

__all__ = [
    "ERRORS_BY_CODE",
    "FEISHU",
    "LARK",
    "ApiError",
    "AsyncClient",
    "AuthError",
    "Client",
    "InternalError",
    "InvalidParametersError",
    "InvalidTokenError",
    "MissingScopeError",
    "NetworkError",
    "NoPermissionError",
    "NotFoundError",
    "RateLimitError",
    "RateLimiter",
    "RetryPolicy",
    "SystemBusyError",
    "TargetType",
    "TokenError",
    "UncertainWriteError",
    "UserNotFoundError",
]
