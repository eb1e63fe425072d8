"""The Feishu/Lark OpenAPI client (SPEC sections 5 and 9): progress records, whole OKRs
(cycles, objectives, key results and their progress: :mod:`.okr`, :mod:`.listings`), names
for mentions, gallery images kept for good, updates sent to chats.

::

    from okrcontent.fetch import Client, LARK
    with Client(app_id="cli_...", app_secret="...", base_url=LARK) as client:
        record = client.get_record("7046518160811425812")
        cycles = list(client.list_cycles("ou_..."))         # and objectives, key results, ...
        people = client.directory()                        # a people= resolver
        image = client.download_image(record.content.blocks[2].images[0])
        client.send_message("oc_...", post)                # a post to a chat
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names load on first use: the command line need not import httpx
    from .client import FEISHU, LARK, MAX_ANSWER_BYTES, AsyncClient, Client
    from .directory import AsyncDirectory, Directory
    from .errors import (
        ERRORS_BY_CODE,
        AnswerError,
        AnswerTooLargeError,
        ApiError,
        AuthError,
        ConnectError,
        DeadlineError,
        InternalError,
        InvalidParametersError,
        InvalidTokenError,
        MediaError,
        MissingScopeError,
        NetworkError,
        NoPermissionError,
        NotFoundError,
        PagingError,
        RateLimitError,
        SystemBusyError,
        TokenError,
        UncertainWriteError,
        UserNotFoundError,
    )
    from .im import SentMessage
    from .listings import Listed, Period
    from .okr import Failed, Selection
    from .pages import MAX_PAGES
    from .policy import MAX_MEDIA_BYTES, Media, MediaPolicy
    from .post import TargetType, prepare_images
    from .retry import RateLimiter, RetryPolicy

__all__ = [
    "ERRORS_BY_CODE",
    "FEISHU",
    "LARK",
    "MAX_ANSWER_BYTES",
    "MAX_MEDIA_BYTES",
    "MAX_PAGES",
    "AnswerError",
    "AnswerTooLargeError",
    "ApiError",
    "AsyncClient",
    "AsyncDirectory",
    "AuthError",
    "Client",
    "ConnectError",
    "DeadlineError",
    "Directory",
    "Failed",
    "InternalError",
    "InvalidParametersError",
    "InvalidTokenError",
    "Listed",
    "Media",
    "MediaError",
    "MediaPolicy",
    "MissingScopeError",
    "NetworkError",
    "NoPermissionError",
    "NotFoundError",
    "PagingError",
    "Period",
    "RateLimitError",
    "RateLimiter",
    "RetryPolicy",
    "Selection",
    "SentMessage",
    "SystemBusyError",
    "TargetType",
    "TokenError",
    "UncertainWriteError",
    "UserNotFoundError",
    "prepare_images",
]

_HOMES = {
    **dict.fromkeys(("FEISHU", "LARK", "MAX_ANSWER_BYTES", "AsyncClient", "Client"), "client"),
    **dict.fromkeys(("AsyncDirectory", "Directory"), "directory"),
    **dict.fromkeys(("SentMessage",), "im"),
    **dict.fromkeys(("Listed", "Period"), "listings"),
    **dict.fromkeys(("Failed", "Selection"), "okr"),
    **dict.fromkeys(("MAX_PAGES",), "pages"),
    **dict.fromkeys(("MAX_MEDIA_BYTES", "Media", "MediaPolicy"), "policy"),
    **dict.fromkeys(("TargetType", "prepare_images"), "post"),
    **dict.fromkeys(("RateLimiter", "RetryPolicy"), "retry"),
}
"""Where each public name lives; the rest are in :mod:`okrcontent.fetch.errors`."""


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOMES.get(name, 'errors')}", __name__), name)
    globals()[name] = value
    return value
