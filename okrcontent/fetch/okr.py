"""Whole OKRs: a user's cycles with their objectives, key results and every progress
record, on both clients, from the listings of :mod:`.listings`.

::

    with Client(app_id="cli_...", app_secret="...") as client:
        for cycle in client.list_cycles("ou_..."):                  # -> Cycle
            for objective in client.list_objectives(cycle.id):      # -> Objective
                krs = list(client.list_key_results(objective.id))   # -> KeyResult
                updates = list(client.list_progress(objective.id, "objective"))  # ProgressRecord
        client.walk_okrs("ou_...", print, select=Selection(since=...))  # all of it, as answered

The ``list_*`` calls yield entities and raise an item that does not load (an
:class:`~okrcontent.fetch.errors.AnswerError` naming the listing, page and field) after the
good items before it; :meth:`OkrCalls.listed` gives every item as a
:class:`~.listings.Listed` instead. :func:`walk_flow` is the walk of a user's OKRs written
once as a flow, driven by both clients' ``walk_okrs``: it hands every item over as its page
arrives (so an archive is written as it goes and a bad item costs nothing but itself), a
listing that fails as a :class:`Failed`, and ends only for what every later request would
meet too (:data:`STOPPING`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import AsyncIterator, Callable, Generator, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar, cast

import attrs

from ..errors import OkrContentError
from ..ids import check_user_id, check_user_id_type
from ..model import ProgressRecord, instant
from ..okr import Cycle, KeyResult, Objective
from .errors import AuthError, NetworkError, NotFoundError, RateLimitError
from .listings import (
    CYCLES,
    KEY_RESULT_PROGRESS,
    KEY_RESULTS,
    OBJECTIVE_PROGRESS,
    OBJECTIVES,
    PERIODS,
    Listed,
    Listing,
    Period,
    pages_of,
    progress_listing,
)
from .pages import Pages
from .post import TargetType

if TYPE_CHECKING:
    from .client import _Core

__all__ = [
    "STOPPING",
    "AsyncOkrCalls",
    "Failed",
    "OkrCalls",
    "Selection",
    "walk_flow",
]

T = TypeVar("T")
Flow = Generator[Any, Any, Any]


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
