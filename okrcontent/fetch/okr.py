"""Whole OKRs from the OpenAPI v2: a user's cycles, their objectives, key results and every
progress item, page by page; and v1's periods, to find a cycle by its name.

::

    with Client(app_id="cli_...", app_secret="...") as client:
        for cycle in client.list_cycles("ou_..."):                  # -> Cycle
            for objective in client.list_objectives(cycle.id):      # -> Objective
                krs = list(client.list_key_results(objective.id))   # -> KeyResult
                notes = list(client.list_progress(objective.id, "objective"))  # ProgressRecord
        client.walk_okrs("ou_...", print, select=Selection(since=...))  # all of it, as answered

Every listing is one row of :data:`LISTINGS` (its path, where its parent id goes, what its
items are) walked by the page guard (:mod:`.pages`): page tokens until ``has_more`` is false,
a token or a page the server repeats, or more than ``max_pages`` pages, is a
:class:`~okrcontent.fetch.errors.PagingError`. Items load through the codec
(:func:`~okrcontent.load_okr`), so ids and times are strings whether the server sent
``"7342..."`` or ``7342...``. An item that does not load is an
:class:`~okrcontent.fetch.errors.AnswerError` naming the listing, the page and the item's
field (``objectives of cycle 73..., page 2, data.items[3].content.blocks[0]...``): the
``list_*`` calls raise it after the good items before it; :meth:`listed` and
:meth:`walk_okrs` hand each item over as a :class:`Listed`, the item as answered beside
the entity or the error, so that an archive keeps what the API said and a bad item costs
nothing but itself.

Facts checked against the vendor's SDKs (lark-oapi ``okr/v2``, ``okr/v1``) and command-line
tool (``larksuite/cli``, ``shortcuts/okr``): v2 listings take ``page_size`` 1..100 (the
tool asks for 100, the most), ``page_token`` and ``user_id_type`` in the query and answer
``items``, ``has_more`` and ``page_token``; ``cycles`` takes the user as the query
parameter ``user_id`` (required: the server refuses a request without it), the others
their parent's id in the path. v1 ``periods`` takes ``page_size`` (documented default 10,
no maximum documented: :data:`PERIOD_PAGE_SIZE`) and ``page_token``, no ``user_id_type``,
and answers ``id``, ``zh_name``, ``en_name``, ``status``, ``period_start_time`` and
``period_end_time``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import AsyncIterator, Callable, Generator, Hashable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import attrs

from ..codec import OKR_KINDS, load_okr
from ..errors import ContentError, OkrContentError
from ..ids import check_id, check_user_id, check_user_id_type, shown
from ..model import ProgressRecord, instant
from ..okr import Cycle, KeyResult, Objective
from .answers import field
from .errors import AnswerError, AuthError, NetworkError, NotFoundError, RateLimitError
from .pages import Page, Pages
from .post import TargetType

if TYPE_CHECKING:
    from .client import _Core

__all__ = [
    "CYCLES",
    "KEY_RESULTS",
    "KEY_RESULT_PROGRESS",
    "LISTINGS",
    "MAX_PAGE_SIZE",
    "OBJECTIVES",
    "OBJECTIVE_PROGRESS",
    "PERIODS",
    "PERIOD_PAGE_SIZE",
    "STOPPING",
    "AsyncOkrCalls",
    "Failed",
    "Listed",
    "Listing",
    "OkrCalls",
    "Period",
    "Selection",
    "walk_flow",
]

T = TypeVar("T")
Flow = Generator[Any, Any, Any]

MAX_PAGE_SIZE = 100
"""The most items a v2 listing gives a page (the vendor's tool validates 1..100)."""
PERIOD_PAGE_SIZE = 10
"""v1 ``periods``' page size: its documented default; the API page names no maximum, and a
tenant has tens of periods, not thousands."""


@attrs.frozen
class Period:
    """A v1 OKR period of the tenant (``GET /open-apis/okr/v1/periods``): what a cycle is
    called. ``status``: 0 normal, 1 invalid, 2 hidden. Times are epoch milliseconds."""

    id: str
    zh_name: str | None = None
    en_name: str | None = None
    status: int | None = None
    start_time: str | None = None
    end_time: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The names it goes by (Chinese, English), as given."""
        return tuple(n for n in (self.zh_name, self.en_name) if n)


def _text(item: dict[str, Any], key: str) -> str | None:
    """An id or time: digits as a string or a JSON integer (the SDK types them as int)."""
    value = item.get(key)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ContentError(f"{shown(value)} where a string belongs", key)


def _typed(item: dict[str, Any], key: str, kind: type[T]) -> T | None:
    value = item.get(key)
    if value is None or (isinstance(value, kind) and not isinstance(value, bool)):
        return value
    what = "a string" if kind is str else "an integer"
    raise ContentError(f"{shown(value)} where {what} belongs", key)


def _load_period(item: dict[str, Any]) -> Period:
    period_id = _text(item, "id")
    if not period_id:
        raise ContentError("missing (a period needs its id)", "id")
    return Period(
        period_id,
        _typed(item, "zh_name", str),
        _typed(item, "en_name", str),
        _typed(item, "status", int),
        _text(item, "period_start_time"),
        _text(item, "period_end_time"),
    )


@attrs.frozen
class Listing(Generic[T]):
    """One paged listing of the API, as a row of :data:`LISTINGS`.

    ``path`` holds ``{}`` where the parent's id goes, unless ``parent_param`` names the
    query parameter that takes it (``cycles``: ``user_id``); ``parent`` says what the
    parent is (``"user"`` ids are checked as user ids, the rest as OKR ids, ``None``: the
    listing has none); ``kind`` is the entity's name in archives (the codec's
    :data:`~okrcontent.codec.OKR_KINDS`); ``load`` reads one item."""

    name: str
    kind: str
    path: str
    parent: str | None
    load: Callable[[dict[str, Any]], T]
    parent_param: str | None = None
    page_size: int = MAX_PAGE_SIZE
    user_id_type: bool = True

    def where(self, parent: str | None) -> str:
        """How messages name one walk of it: ``key results of objective 73...``."""
        return self.name if parent is None else f"{self.name} of {self.parent} {parent}"


def _loader(kind: type[T]) -> Callable[[dict[str, Any]], T]:
    def load(item: dict[str, Any]) -> T:
        return load_okr(item, kind)  # type: ignore[type-var]

    return load


CYCLES = Listing(
    "cycles",
    OKR_KINDS[Cycle],
    "/open-apis/okr/v2/cycles",
    "user",
    _loader(Cycle),
    parent_param="user_id",
)
OBJECTIVES = Listing(
    "objectives",
    OKR_KINDS[Objective],
    "/open-apis/okr/v2/cycles/{}/objectives",
    "cycle",
    _loader(Objective),
)
KEY_RESULTS = Listing(
    "key results",
    OKR_KINDS[KeyResult],
    "/open-apis/okr/v2/objectives/{}/key_results",
    "objective",
    _loader(KeyResult),
)
OBJECTIVE_PROGRESS = Listing(
    "progress",
    OKR_KINDS[ProgressRecord],
    "/open-apis/okr/v2/objectives/{}/progresses",
    "objective",
    _loader(ProgressRecord),
)
KEY_RESULT_PROGRESS = Listing(
    "progress",
    OKR_KINDS[ProgressRecord],
    "/open-apis/okr/v2/key_results/{}/progresses",
    "key result",
    _loader(ProgressRecord),
)
PERIODS = Listing(
    "periods",
    "period",
    "/open-apis/okr/v1/periods",
    None,
    _load_period,
    page_size=PERIOD_PAGE_SIZE,
    user_id_type=False,
)

LISTINGS: dict[str, Listing[Any]] = {
    "cycles": CYCLES,
    "objectives": OBJECTIVES,
    "key_results": KEY_RESULTS,
    "objective_progress": OBJECTIVE_PROGRESS,
    "key_result_progress": KEY_RESULT_PROGRESS,
    "periods": PERIODS,
}
"""Every listing the client walks, by name."""

_PROGRESS_OF = {
    TargetType.OBJECTIVE: OBJECTIVE_PROGRESS,
    TargetType.KEY_RESULT: KEY_RESULT_PROGRESS,
}


@attrs.frozen
class Listed(Generic[T]):
    """One item of a listing: ``item`` as the API answered it (what an archive keeps),
    ``entity`` loaded from it, or ``error`` (an :class:`AnswerError` naming the listing,
    the page and the field) when it does not load; ``where`` names the item."""

    kind: str
    item: Any
    where: str
    entity: T | None = None
    error: AnswerError | None = None


@attrs.frozen
class Failed:
    """A listing of a walk that could not be read (``where``: which), and why; the walk
    goes on with the rest."""

    where: str
    error: OkrContentError

    @property
    def message(self) -> str:
        """``where: error``, without saying where twice."""
        text = str(self.error)
        return text if text.startswith(self.where) else f"{self.where}: {text}"


@attrs.define
class _TokenListing(Generic[T]):
    """One walk of a :class:`Listing` as a :class:`~.pages.Paging`: the page token is the
    cursor (``""``: the first page)."""

    core: _Core[Any]
    listing: Listing[T]
    path: str
    params: dict[str, str]
    where: str
    first: str = ""
    number: int = 0

    def flow(self, cursor: Hashable) -> Generator[Any, Any, Page[Listed[T]]]:
        self.number += 1
        params = {**self.params, **({"page_token": str(cursor)} if cursor else {})}
        envelope = yield from self.core._call("GET", self.path, params)
        page = f"{self.where}, page {self.number}"
        try:
            data = field(envelope, "data", "", dict) or {}
            more = field(data, "has_more", "data.", bool)
            token = field(data, "page_token", "data.", str)
            items = field(data, "items", "data.", list) or []
        except AnswerError as error:
            raise AnswerError(f"{page}: {error.msg}") from None
        if more and not token:
            raise AnswerError(f"{page}: data.has_more is true without a data.page_token")
        page += ", data.items"
        listed = [
            self._one(f"{page}[{n}]", item) for n, item in enumerate(items) if item is not None
        ]
        return Page(listed, token if more else None, items)

    def _one(self, where: str, item: Any) -> Listed[T]:
        kind = self.listing.kind
        if not isinstance(item, dict):
            return Listed(
                kind,
                item,
                where,
                error=self._error(where, f"{shown(item)} where an object belongs"),
            )
        try:
            return Listed(kind, item, where, entity=self.listing.load(item))
        except ContentError as problem:
            path = problem.path
            at = f"{where}.{path}" if path and not path.startswith("[") else where + path
            return Listed(kind, item, where, error=self._error(at, problem.reason))

    def _error(self, where: str, reason: str) -> AnswerError:
        """An item's error: its words are the server's, so a secret it echoes is redacted."""
        return AnswerError(self.core._secrets.redact(f"{where}: {reason}"))


def pages_of(
    core: _Core[Any],
    listing: Listing[T],
    parent: str | None,
    user_id_type: str = "open_id",
    page_size: int | None = None,
) -> Pages[Listed[T]]:
    """The pages of one listing, its parent's id and every parameter checked before any
    request (a bad id is a :class:`~okrcontent.ContentError`)."""
    params: dict[str, str] = {}
    if listing.parent is None:
        if parent is not None:
            raise ValueError(f"{listing.name} have no parent id")
        path = listing.path
    else:
        check = check_user_id if listing.parent == "user" else check_id
        checked = check(parent, f"{listing.parent.replace(' ', '_')}_id")
        if listing.parent_param is None:
            path = listing.path.format(checked)
        else:
            path, params[listing.parent_param] = listing.path, checked
    if listing.user_id_type:
        params["user_id_type"] = check_user_id_type(user_id_type)
    params["page_size"] = str(min(max(page_size or listing.page_size, 1), MAX_PAGE_SIZE))
    paging = _TokenListing(core, listing, path, params, listing.where(parent))
    return Pages(paging, max_pages=core.max_pages, where=paging.where)


def progress_listing(target_type: TargetType | int | str) -> Listing[ProgressRecord]:
    """The progress listing of an objective or of a key result."""
    return _PROGRESS_OF[TargetType.of(target_type)]


# --- a whole user ---------------------------------------------------------------------------


def _strings(values: Iterable[str]) -> frozenset[str]:
    """Ids or names, from any iterable of them (a lone string is one, not its letters)."""
    return frozenset({values} if isinstance(values, str) else values)


@attrs.frozen
class Selection:
    """Which of a user's cycles :meth:`walk_okrs` takes: every one (the default), those
    with one of ``cycle_ids``, those of a v1 period named one of ``periods`` (its Chinese
    or English name, any case; a cycle belongs to a period when its ``tenant_cycle_id`` is
    the period's id, or when it starts and ends within a day of the period's start and
    end: the same dates, whatever time zone each was written in), or those ending at or
    after ``since`` (a cycle whose end is not known is taken). The criteria combine: a
    cycle must meet every one given."""

    cycle_ids: frozenset[str] = attrs.field(default=frozenset(), converter=_strings)
    periods: frozenset[str] = attrs.field(default=frozenset(), converter=_strings)
    since: _dt.datetime | None = None

    def __attrs_post_init__(self) -> None:
        if self.since is not None and self.since.tzinfo is None:
            raise ValueError("since must be an aware datetime (give it a timezone)")

    def picks(self, cycle: Cycle, periods: list[Period]) -> bool:
        """Whether ``cycle`` is selected (``periods``: those named, as found)."""
        if self.cycle_ids and cycle.id not in self.cycle_ids:
            return False
        if self.periods and not any(_belongs(cycle, period) for period in periods):
            return False
        ends = cycle.ends_at
        return self.since is None or ends is None or ends >= self.since


SAME_TIME_MS = 86_400_000
"""How far a cycle's start or end may be from its period's and still be the same instant
in another time zone (a day: +08:00 midnight is 16:00 UTC the day before)."""


def _belongs(cycle: Cycle, period: Period) -> bool:
    if cycle.tenant_cycle_id is not None and cycle.tenant_cycle_id == period.id:
        return True
    pairs = ((cycle.start_time, period.start_time), (cycle.end_time, period.end_time))
    return all(_near(ours, theirs) for ours, theirs in pairs)


def _near(ours: str | None, theirs: str | None) -> bool:
    mine, other = instant(ours), instant(theirs)
    if mine is None or other is None:
        return False
    return abs((mine - other).total_seconds()) * 1000 < SAME_TIME_MS


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


STOPPING: tuple[type[OkrContentError], ...] = (AuthError, NetworkError, RateLimitError)
"""Errors that end a walk: every later request would meet them too (credentials refused,
no server, the rate limit still hit after the retries). Any other error ends only the
listing it happened in (:class:`Failed`)."""

Emit = Callable[["Listed[Any] | Failed"], None]


def walk_flow(
    core: _Core[Any],
    user_id: str,
    emit: Emit,
    select: Selection | None = None,
    user_id_type: str = "open_id",
) -> Flow:
    """Every selected cycle of a user, and in each its objectives, then for each
    objective its key results, its own progress and each key result's progress: every
    item handed to ``emit`` as a :class:`Listed` as its page arrives (cycles, objectives
    and key results before what they hold), every listing that fails as a
    :class:`Failed`. An item that does not load is emitted with its error and what it
    holds is not asked for. Errors of :data:`STOPPING` end the walk (raised)."""
    select = select or Selection()
    walk = _Walk(core, emit, check_user_id_type(user_id_type))
    check_user_id(user_id)
    periods: list[Period] = []
    if select.periods:
        periods = yield from walk.periods(select.periods)
        if not periods:
            return
    seen: set[str | None] = set()
    chosen: list[Cycle] = []

    def cycle(listed: Listed[Cycle]) -> Flow:
        entity = listed.entity
        if entity is not None:
            seen.add(entity.id)
            if not select.picks(entity, periods):
                return
            chosen.append(entity)
        emit(listed)
        if entity is not None:
            yield from walk.each(OBJECTIVES, entity.id, walk.objective)

    if not (yield from walk.each(CYCLES, user_id, cycle, emit_items=False)):
        return
    for cycle_id in sorted(select.cycle_ids - seen - {None}):
        emit(Failed(f"cycle {cycle_id}", NotFoundError(f"not among the cycles of {user_id}")))
    if select.periods and not chosen:
        names = ", ".join(repr(name) for name in sorted(select.periods))
        emit(Failed(f"period {names}", NotFoundError(f"no cycle of {user_id} is in it")))


@attrs.frozen
class _Walk:
    """The state a walk shares: the client, where items go, the user id type."""

    core: _Core[Any]
    emit: Emit
    user_id_type: str

    def each(
        self,
        listing: Listing[T],
        parent: str | None,
        then: Callable[[Listed[T]], Flow | None],
        *,
        emit_items: bool = True,
    ) -> Generator[Any, Any, bool]:
        """Every page of one listing; each item emitted (unless ``emit_items`` is false:
        then ``then`` decides), then handed to ``then`` (a flow for what it holds, or
        None). A failure is emitted as a :class:`Failed` and ends only this listing;
        whether the listing was read to its end."""
        try:
            pages = pages_of(self.core, listing, parent, self.user_id_type)
            while not pages.done:
                for listed in (yield from pages.next()):
                    if emit_items:
                        self.emit(listed)
                    more = then(listed)
                    if more is not None:
                        yield from more
        except STOPPING:
            raise
        except OkrContentError as error:
            self.core._secrets.scrub(error)
            self.emit(Failed(listing.where(parent), error))
            return False
        return True

    def periods(self, names: frozenset[str]) -> Generator[Any, Any, list[Period]]:
        """The v1 periods with one of these names (a name none has is a :class:`Failed`)."""
        found: list[Listed[Period]] = []
        if not (yield from self.each(PERIODS, None, found.append, emit_items=False)):
            return []
        wanted = {_folded(name): name for name in names}
        periods: list[Period] = []
        for listed in found:
            if listed.entity is None:
                self.emit(listed)
            elif wanted.keys() & {_folded(n) for n in listed.entity.names}:
                periods.append(listed.entity)
        named = {_folded(n) for period in periods for n in period.names}
        every = (listed.entity.names for listed in found if listed.entity is not None)
        known = list(dict.fromkeys(each[-1] for each in every if each))
        hint = f" (the periods: {', '.join(known[:12])}{', ...' if len(known) > 12 else ''})"
        for key, name in sorted(wanted.items()):
            if key not in named:
                why = "no period has that name" + (hint if known else "")
                self.emit(Failed(f"period {name!r}", NotFoundError(why)))
        return periods

    def objective(self, listed: Listed[Objective]) -> Flow | None:
        if listed.entity is None:
            return None
        return self._objective(listed.entity.id)

    def _objective(self, objective_id: str | None) -> Flow:
        yield from self.each(KEY_RESULTS, objective_id, self.key_result)
        yield from self.each(OBJECTIVE_PROGRESS, objective_id, _nothing)

    def key_result(self, listed: Listed[KeyResult]) -> Flow | None:
        if listed.entity is None:
            return None
        return self.each(KEY_RESULT_PROGRESS, listed.entity.id, _nothing)


def _nothing(listed: Listed[Any]) -> None:
    return None


# --- the calls, on both clients --------------------------------------------------------------


class _Calls:
    """What both clients' OKR calls share: building the pages (ids checked first)."""

    def _pages(
        self, listing: Listing[T], parent: str | None, user_id_type: str, page_size: int | None
    ) -> Pages[Listed[T]]:
        return pages_of(cast("_Core[Any]", self), listing, parent, user_id_type, page_size)


class OkrCalls(_Calls):
    """The OKR calls of :class:`~okrcontent.fetch.Client`."""

    def _drive(self, flow: Flow) -> Any:
        raise NotImplementedError

    def listed(
        self,
        listing: Listing[T],
        parent: str | None,
        *,
        user_id_type: str = "open_id",
        page_size: int | None = None,
    ) -> Iterator[Listed[T]]:
        """Every item of a listing (a row of :data:`LISTINGS`) as a :class:`Listed`: as
        answered, with its entity or the error that it does not load."""
        return self._walk(self._pages(listing, parent, user_id_type, page_size))

    def _walk(self, pages: Pages[Listed[T]]) -> Iterator[Listed[T]]:
        while not pages.done:
            yield from self._drive(pages.next())

    def _entities(self, pages: Pages[Listed[T]]) -> Iterator[T]:
        for listed in self._walk(pages):
            if listed.error is not None:
                raise listed.error
            yield cast(T, listed.entity)

    def list_cycles(
        self, user_id: str, *, user_id_type: str = "open_id", page_size: int | None = None
    ) -> Iterator[Cycle]:
        """The user's OKR cycles (v2 ``cycles``)."""
        return self._entities(self._pages(CYCLES, user_id, user_id_type, page_size))

    def list_objectives(
        self, cycle_id: str, *, user_id_type: str = "open_id", page_size: int | None = None
    ) -> Iterator[Objective]:
        """The objectives of a cycle."""
        return self._entities(self._pages(OBJECTIVES, cycle_id, user_id_type, page_size))

    def list_key_results(
        self, objective_id: str, *, user_id_type: str = "open_id", page_size: int | None = None
    ) -> Iterator[KeyResult]:
        """The key results of an objective."""
        return self._entities(self._pages(KEY_RESULTS, objective_id, user_id_type, page_size))

    def list_progress(
        self,
        target_id: str,
        target_type: TargetType | int | str,
        *,
        user_id_type: str = "open_id",
        page_size: int | None = None,
    ) -> Iterator[ProgressRecord]:
        """The progress records of an objective or a key result (``target_type``:
        ``objective`` or ``key_result``, as for :meth:`create_record`)."""
        listing = progress_listing(target_type)
        return self._entities(self._pages(listing, target_id, user_id_type, page_size))

    def list_periods(self, *, page_size: int | None = None) -> Iterator[Period]:
        """The tenant's v1 OKR periods (names and times of its cycles)."""
        return self._entities(self._pages(PERIODS, None, "open_id", page_size))

    def walk_okrs(
        self,
        user_id: str,
        emit: Emit,
        *,
        select: Selection | None = None,
        user_id_type: str = "open_id",
    ) -> None:
        """A user's whole OKRs, every item handed to ``emit`` as it comes (see
        :func:`walk_flow`); an error that would fail every later request is raised."""
        self._drive(walk_flow(cast("_Core[Any]", self), user_id, emit, select, user_id_type))


class AsyncOkrCalls(_Calls):
    """The OKR calls of :class:`~okrcontent.fetch.AsyncClient`: the same, as async
    iterators (``async for cycle in client.list_cycles(...)``) and awaited."""

    async def _drive(self, flow: Flow) -> Any:
        raise NotImplementedError

    def listed(
        self,
        listing: Listing[T],
        parent: str | None,
        *,
        user_id_type: str = "open_id",
        page_size: int | None = None,
    ) -> AsyncIterator[Listed[T]]:
        """Every item of a listing as a :class:`Listed`."""
        return self._walk(self._pages(listing, parent, user_id_type, page_size))

    async def _walk(self, pages: Pages[Listed[T]]) -> AsyncIterator[Listed[T]]:
        while not pages.done:
            for listed in await self._drive(pages.next()):
                yield listed

    async def _entities(self, pages: Pages[Listed[T]]) -> AsyncIterator[T]:
        async for listed in self._walk(pages):
            if listed.error is not None:
                raise listed.error
            yield cast(T, listed.entity)

    def list_cycles(
        self, user_id: str, *, user_id_type: str = "open_id", page_size: int | None = None
    ) -> AsyncIterator[Cycle]:
        """The user's OKR cycles."""
        return self._entities(self._pages(CYCLES, user_id, user_id_type, page_size))

    def list_objectives(
        self, cycle_id: str, *, user_id_type: str = "open_id", page_size: int | None = None
    ) -> AsyncIterator[Objective]:
        """The objectives of a cycle."""
        return self._entities(self._pages(OBJECTIVES, cycle_id, user_id_type, page_size))

    def list_key_results(
        self, objective_id: str, *, user_id_type: str = "open_id", page_size: int | None = None
    ) -> AsyncIterator[KeyResult]:
        """The key results of an objective."""
        return self._entities(self._pages(KEY_RESULTS, objective_id, user_id_type, page_size))

    def list_progress(
        self,
        target_id: str,
        target_type: TargetType | int | str,
        *,
        user_id_type: str = "open_id",
        page_size: int | None = None,
    ) -> AsyncIterator[ProgressRecord]:
        """The progress records of an objective or a key result."""
        listing = progress_listing(target_type)
        return self._entities(self._pages(listing, target_id, user_id_type, page_size))

    def list_periods(self, *, page_size: int | None = None) -> AsyncIterator[Period]:
        """The tenant's v1 OKR periods."""
        return self._entities(self._pages(PERIODS, None, "open_id", page_size))

    async def walk_okrs(
        self,
        user_id: str,
        emit: Emit,
        *,
        select: Selection | None = None,
        user_id_type: str = "open_id",
    ) -> None:
        """A user's whole OKRs, every item handed to ``emit`` as it comes."""
        await self._drive(walk_flow(cast("_Core[Any]", self), user_id, emit, select, user_id_type))
