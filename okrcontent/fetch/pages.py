"""Listings: the page loop written once, with the guard every paged endpoint gets.

A listing endpoint is a :class:`Paging`: how to ask for a page at a cursor (an offset for the
v1 OKR list, a page token for the v2 endpoints) and how to read one. :class:`Pages` drives it
for both clients::

    pages = Pages(paging, max_pages=client.max_pages)
    while not pages.done:
        yield from drive(pages.next())   # each page one flow: fetched, read, checked

and stops a server that never ends: a cursor it asked for before (a page token sent twice),
a page seen before (a server that ignores the offset), or more than ``max_pages`` pages
(:data:`MAX_PAGES` by default) is a :class:`~okrcontent.fetch.errors.PagingError`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Generator, Hashable
from typing import Any, Generic, Protocol, TypeVar

import attrs

from ..ids import shown
from .errors import PagingError

__all__ = ["MAX_PAGES", "Page", "Pages", "Paging"]

MAX_PAGES = 1000
"""Pages one listing may take (10,000 OKRs at the v1 page size): a cap, not a real size."""

T = TypeVar("T")


@attrs.frozen
class Page(Generic[T]):
    """One page read: its items, the cursor of the next page (None: the last page), and
    what identifies its content (for the repeated-page check)."""

    items: list[T]
    next_cursor: Hashable | None
    content: Any


class Paging(Protocol[T]):
    """A listing endpoint: its first cursor, and the flow of one page (it returns the
    :class:`Page` it read)."""

    @property
    def first(self) -> Hashable: ...

    def flow(self, cursor: Hashable) -> Generator[Any, Any, Page[T]]: ...


class Pages(Generic[T]):
    """The state of one listing as it is walked."""

    def __init__(self, paging: Paging[T], *, max_pages: int = MAX_PAGES, where: str = "") -> None:
        self._paging = paging
        self.max_pages = max_pages
        self._where = f"{where}: " if where else ""
        self.cursor: Hashable | None = paging.first
        self.count = 0
        self._cursors: set[Hashable] = set()
        self._pages: set[bytes] = set()

    @property
    def done(self) -> bool:
        return self.cursor is None

    def next(self) -> Generator[Any, Any, list[T]]:
        """The flow of the next page: its items (none once the listing is over)."""
        if self.cursor is None:
            return []
        page = yield from self._paging.flow(self.cursor)
        self.count += 1
        self._cursors.add(self.cursor)
        digest = hashlib.blake2b(
            json.dumps(page.content, sort_keys=True, default=str).encode(), digest_size=16
        ).digest()
        if page.next_cursor is not None:
            if page.next_cursor in self._cursors:
                raise PagingError(
                    f"{self._where}the server sent the page cursor {shown(page.next_cursor)} again"
                )
            if digest in self._pages:
                raise PagingError(
                    f"{self._where}page {self.count} repeats an earlier one: the listing would "
                    "not end"
                )
            if self.count >= self.max_pages:
                raise PagingError(
                    f"{self._where}the listing goes on past {self.max_pages} pages (max_pages)"
                )
        self._pages.add(digest)
        self.cursor = page.next_cursor
        return page.items
