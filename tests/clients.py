"""Both clients behind the same calls, for the tests that run every case sync and async."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import okrcontent
from okrcontent.fetch import AsyncClient, Client, RetryPolicy

from .fake_openapi import APP_ID, APP_SECRET, FakeOpenAPI

FAST = RetryPolicy(attempts=4, base=0.01, cap=0.05, total=5.0)
KINDS = ["sync", "async"]


def serving() -> Iterator[FakeOpenAPI]:
    """A fake OpenAPI for one test (the body of each module's ``api`` fixture)."""
    server = FakeOpenAPI().start()
    yield server
    server.stop()


class Runner:
    """One client kind, sync or async, behind the same calls: ``call(client)`` returns a
    result, an iterator, an async iterator or an awaitable, as the client's method does."""

    def __init__(self, kind: str, api: FakeOpenAPI, **options: Any) -> None:
        self.kind = kind
        defaults: dict[str, Any] = {
            "app_id": APP_ID,
            "app_secret": APP_SECRET,
            "base_url": api.base_url,
            "retry": FAST,
            "timeout": 2.0,
        }
        defaults.update(options)
        if "user_access_token" in options:
            defaults.pop("app_id")
            defaults.pop("app_secret")
        self.options = defaults

    def run(self, call: Callable[[Any], Any]) -> Any:
        if self.kind == "sync":
            with Client(**self.options) as client:
                result = call(client)
                return list(result) if isinstance(result, Iterator) else result

        async def main() -> Any:
            async with AsyncClient(**self.options) as client:
                result = call(client)
                if hasattr(result, "__aiter__"):
                    return [item async for item in result]
                return await result if inspect.isawaitable(result) else result

        return asyncio.run(main())

    def record(self, progress_id: str = "7046518160811425812") -> okrcontent.ProgressRecord:
        return self.run(lambda c: c.get_record(progress_id))  # type: ignore[no-any-return]


async def settled(value: Any) -> Any:
    """``value``, awaited if it is awaitable: one line of a test, for both clients."""
    return await value if inspect.isawaitable(value) else value
