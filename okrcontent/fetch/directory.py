"""Names for mentions from the contact API: a ``people=`` resolver that needs no hand-written
mapping.

::

    with Client(app_id=..., app_secret=...) as client:
        people = Directory(client)
        people.prefetch_content(records)              # the ids up front, 50 a request
        okrcontent.to_markdown(record, people=people)  # "@Alice", or "@ou_..." if hidden

A :class:`Directory` is a read-only mapping from user id to display name, which is what every
writer's ``people=`` takes. Names are looked up in batches of the API's maximum
(:data:`LOOKUPS`), by the client (its token, limiter, retries, deadlines, errors), and kept for
the run: a name, and a user the app may not see, are each asked once. An id the writers ask
for that was not prefetched is looked up alone, lazily. ``dict(directory)`` is a plain
mapping of the names found, for worker processes.

Which call: with a tenant token, ``GET /open-apis/contact/v3/users/batch`` (50 ids; users
outside the app's contacts scope are left out of the answer); with a user token, ``POST
/open-apis/contact/v3/users/basic_batch`` (10 ids; names of users the app cannot otherwise
see), as the vendor's own CLI does. Both need a contacts read scope
(``contact:contact.base:readonly`` and ``contact:user.base:readonly`` for the name). A user
the answer leaves out, or that the server refuses one by one (:data:`PER_USER_CODES`: a
refused batch is split in halves until the refused ids are found), is *hidden*: its mention
shows the id, as with no resolver. Any other error (a missing scope, the network) is raised.

:class:`AsyncDirectory` is the same for :class:`~okrcontent.fetch.AsyncClient`; writers call
``people=`` synchronously, so it resolves only what was prefetched (``await
directory.prefetch_content(...)``) and shows the id for the rest.
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..ids import ID_RULES, check_user_id_type
from ..model import Content, Mention, Paragraph, ProgressRecord
from .answers import field, objects
from .errors import ApiError

if TYPE_CHECKING:
    from .client import AsyncClient, Client, _Core

__all__ = [
    "ID_PREFIXES",
    "LOOKUPS",
    "NAME_FIELDS",
    "PER_USER_CODES",
    "AsyncDirectory",
    "Directory",
    "Lookup",
    "lookup_flow",
    "mention_ids",
]


@attrs.frozen
class Lookup:
    """One way to look users up: the call, its batch size, where the ids go (``query``:
    ``user_ids`` repeated; ``body``: a JSON list), and where the users come back."""

    method: str
    path: str
    batch: int
    ids_in: str
    items: str
    id_field: str | None  # None: the field named by user_id_type (open_id, union_id, user_id)


LOOKUPS: dict[str, Lookup] = {
    "tenant": Lookup("GET", "/open-apis/contact/v3/users/batch", 50, "query", "items", None),
    "user": Lookup(
        "POST", "/open-apis/contact/v3/users/basic_batch", 10, "body", "users", "user_id"
    ),
}
"""The client's identity (its kind of token) -> the lookup it uses."""

NAME_FIELDS = ("name", "en_name", "nickname")
"""A user's fields that may hold a name, in order of preference."""

PER_USER_CODES = frozenset({40001, 41050})
"""Codes that refuse a batch for the sake of some of its ids (an id that is no id; a user
outside the app's contacts scope): the batch is split to find them."""

ID_PREFIXES = {"open_id": "ou_", "union_id": "on_"}
"""What an id of each type starts with: anything else is no such id and is not sent (one
would make the server refuse the whole batch)."""

Flow = Generator[Any, Any, Any]


def mention_ids(
    items: Content | ProgressRecord | Iterable[Content | ProgressRecord],
) -> Iterator[str]:
    """The ids of the people mentioned, in order (repeats included), as ``people=`` is asked
    for them (the open id, else the user id)."""
    contents = [items] if isinstance(items, (Content, ProgressRecord)) else items
    for item in contents:
        for block in item:
            if isinstance(block, Paragraph):
                for element in block.elements:
                    if isinstance(element, Mention):
                        key = element.open_id or element.user_id
                        if key:
                            yield key


def _plausible(user_id: str, user_id_type: str) -> bool:
    return bool(ID_RULES["user"][0].fullmatch(user_id)) and user_id.startswith(
        ID_PREFIXES.get(user_id_type, "")
    )


def _name(user: dict[str, Any], path: str) -> str | None:
    for key in NAME_FIELDS:
        value = field(user, key, path, str)
        if value and value.strip():
            return value
    return None


def _batch(
    core: _Core[Any],
    lookup: Lookup,
    ids: list[str],
    user_id_type: str,
    found: dict[str, str],
) -> Flow:
    """Names of ``ids`` into ``found``; a batch refused for some of its ids is halved."""
    params: dict[str, Any] = {"user_id_type": user_id_type}
    body = None
    if lookup.ids_in == "query":
        params["user_ids"] = ids
    else:
        body = {"user_ids": ids}
    try:
        envelope = yield from core._call(lookup.method, lookup.path, params, json=body)
    except ApiError as error:
        if error.code not in PER_USER_CODES or len(ids) == 1:
            if error.code in PER_USER_CODES:
                return  # this one user is hidden
            raise
        half = len(ids) // 2
        yield from _batch(core, lookup, ids[:half], user_id_type, found)
        yield from _batch(core, lookup, ids[half:], user_id_type, found)
        return
    data = field(envelope, "data", "", dict) or {}
    id_field = lookup.id_field or user_id_type
    asked = set(ids)
    for path, user in objects(data, lookup.items, "data."):
        user_id = field(user, id_field, path, str)
        name = _name(user, path)
        if user_id in asked and name is not None:
            found[user_id] = name


def lookup_flow(core: _Core[Any], ids: list[str], user_id_type: str) -> Flow:
    """The flow of a lookup: ``{id: name}`` of the users the app may see among ``ids``."""
    lookup = LOOKUPS[core.identity]
    found: dict[str, str] = {}
    for start in range(0, len(ids), lookup.batch):
        yield from _batch(core, lookup, ids[start : start + lookup.batch], user_id_type, found)
    return found


class _Names(Mapping[str, str]):
    """The cache both directories share: names found, and ids known to have none."""

    def __init__(self, user_id_type: str) -> None:
        self.user_id_type = check_user_id_type(user_id_type)
        self._names: dict[str, str] = {}
        self._hidden: set[str] = set()
        self._lock = threading.Lock()

    @property
    def hidden(self) -> frozenset[str]:
        """The ids looked up that have no name the app may see (shown as the id)."""
        with self._lock:
            return frozenset(self._hidden)

    def _unknown(self, ids: Iterable[str]) -> list[str]:
        """The ids not asked about yet, once each; ids that cannot be one are hidden now."""
        wanted: dict[str, None] = {}
        with self._lock:
            for user_id in ids:
                if user_id in self._names or user_id in self._hidden or user_id in wanted:
                    continue
                if _plausible(user_id, self.user_id_type):
                    wanted[user_id] = None
                else:
                    self._hidden.add(user_id)
        return list(wanted)

    def _learn(self, asked: list[str], found: dict[str, str]) -> None:
        with self._lock:
            self._names.update(found)
            self._hidden.update(user_id for user_id in asked if user_id not in found)

    def _batches(
        self, items: Content | ProgressRecord | Iterable[Content | ProgressRecord], size: int
    ) -> Iterator[list[str]]:
        """The unknown mentioned ids, a batch at a time, as the items stream by."""
        pending: list[str] = []
        for user_id in mention_ids(items):
            pending += self._unknown([user_id]) if user_id not in pending else []
            if len(pending) >= size:
                yield pending
                pending = []
        if pending:
            yield pending

    def __getitem__(self, user_id: str) -> str:
        with self._lock:
            return self._names[user_id]

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            return iter(list(self._names))

    def __len__(self) -> int:
        with self._lock:
            return len(self._names)


class Directory(_Names):
    """Display names from the contact API for ``people=``, by a :class:`Client`; cached for
    the life of the directory. An id not yet known is looked up when a writer asks."""

    def __init__(self, client: Client, *, user_id_type: str = "open_id") -> None:
        super().__init__(user_id_type)
        self._client = client

    def prefetch(self, ids: Iterable[str]) -> None:
        """Look up the ids not known yet, in batches of the API's maximum."""
        wanted = self._unknown(ids)
        if wanted:
            flow = lookup_flow(self._client, wanted, self.user_id_type)
            self._learn(wanted, self._client._drive(flow))

    def prefetch_content(
        self, items: Content | ProgressRecord | Iterable[Content | ProgressRecord]
    ) -> None:
        """Look up everyone mentioned in ``items`` (streamed: an archive is read once, and
        a request goes out each time a batch of new ids is full)."""
        size = LOOKUPS[self._client.identity].batch
        for batch in self._batches(items, size):
            self.prefetch(batch)

    def __getitem__(self, user_id: str) -> str:
        self.prefetch([user_id])
        return super().__getitem__(user_id)


class AsyncDirectory(_Names):
    """The same for an :class:`AsyncClient`: prefetch, awaited; then a mapping of what was
    found (no lookup happens when a writer asks)."""

    def __init__(self, client: AsyncClient, *, user_id_type: str = "open_id") -> None:
        super().__init__(user_id_type)
        self._client = client

    async def prefetch(self, ids: Iterable[str]) -> None:
        """Look up the ids not known yet, in batches of the API's maximum."""
        wanted = self._unknown(ids)
        if wanted:
            flow = lookup_flow(self._client, wanted, self.user_id_type)
            self._learn(wanted, await self._client._drive(flow))

    async def prefetch_content(
        self, items: Content | ProgressRecord | Iterable[Content | ProgressRecord]
    ) -> None:
        """Look up everyone mentioned in ``items``, a batch at a time."""
        size = LOOKUPS[self._client.identity].batch
        for batch in self._batches(items, size):
            await self.prefetch(batch)
