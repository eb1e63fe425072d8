"""Fetch progress records from the Feishu/Lark OpenAPI (SPEC section 5).

::

    from okrcontent.fetch import Client, LARK
    with Client(app_id="cli_...", app_secret="...", base_url=LARK) as client:
        record = client.get_record("7046518160811425812")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names load on first use: the command line need not import httpx
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

_HOMES = {
    **dict.fromkeys(("FEISHU", "LARK", "AsyncClient", "Client"), "client"),
    **dict.fromkeys(("RateLimiter", "RetryPolicy"), "retry"),
    "TargetType": "post",
}
"""Where each public name lives; the rest are in :mod:`okrcontent.fetch.errors`."""


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOMES.get(name, 'errors')}", __name__), name)
    globals()[name] = value
    return value
