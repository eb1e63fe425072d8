"""The listings of the OKR API: the v2 cycles, objectives, key results and progress lists,
and v1 periods, as rows of one table (:data:`LISTINGS`), read page by page.

Each row says where the listing is, where its parent's id goes and what its items are;
:func:`pages_of` checks the parent id and every parameter before any request and gives the
listing's :class:`~.pages.Pages`, walked by the page guard page token after page token until
``has_more`` is false (a token or a page the server repeats, or more than ``max_pages``
pages, is a :class:`~okrcontent.fetch.errors.PagingError`; ``has_more`` without a token an
:class:`~okrcontent.fetch.errors.AnswerError`, never a silent end). Every item comes out as a
:class:`Listed`: the item as answered (what an archive keeps) beside its entity, loaded
through the codec (:func:`~okrcontent.load_okr`: ids and times are strings whether the
server sent ``"7342..."`` or ``7342...``), or beside the error that it does not load, naming
the listing, the page and the field (``objectives of cycle 73..., page 2,
data.items[3].content.blocks[0]...``).

Facts checked against the vendor's SDKs (lark-oapi ``okr/v2``, ``okr/v1``) and command-line
tool (``larksuite/cli``, ``shortcuts/okr``): v2 listings take ``page_size`` 1..100 (the
tool asks for 100, the most), ``page_token`` and ``user_id_type`` in the query and answer
``items``, ``has_more`` and ``page_token``; ``cycles`` takes the user as the query
parameter ``user_id`` (required: without it the server answers 99992402), the others
their parent's id in the path. v1 ``periods`` takes ``page_size`` (documented default 10,
no maximum documented: :data:`PERIOD_PAGE_SIZE`) and ``page_token``, no ``user_id_type``,
and answers ``id``, ``zh_name``, ``en_name``, ``status``, ``period_start_time`` and
``period_end_time``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Hashable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from ..codec import OKR_KINDS, load_okr
from ..errors import ContentError
from ..ids import check_id, check_user_id, check_user_id_type, shown
from ..model import ProgressRecord
from ..okr import Cycle, KeyResult, Objective
from .answers import field
from .errors import AnswerError
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
    "Listed",
    "Listing",
    "Period",
    "pages_of",
    "progress_listing",
]

T = TypeVar("T")

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
