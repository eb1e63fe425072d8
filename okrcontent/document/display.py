"""How values read in a document: numbers, percents, moments, deadlines and cycles (numbers,
percents and moments as a record's header shows them: :mod:`okrcontent.metadata`).

Times are shown in the reader's zone to the minute, with the zone written so that it is
unambiguous (``UTC+8``, not ``CST``). A cycle is named by its months, as the OKR product
names cycles (``2025-10 – 2025-12``, ``2025-10``, ``2025``): cycles run from the first to
the last day of a month in the tenant's zone, so each end is read to the nearest month
boundary within 14 hours (every zone's offset), whatever the reader's zone is.
"""  # noqa: RUF002 - the en dash is the one the names use

from __future__ import annotations

import datetime as dt

from ..metadata import moment, number, percent, zone_name

__all__ = [
    "RANGE",
    "UTC",
    "cycle_name",
    "dates",
    "deadline",
    "local",
    "moment",
    "number",
    "percent",
    "zone_name",
]

UTC = dt.timezone.utc
RANGE = " \u2013 "
"""Between the two ends of a range of months or dates (an en dash)."""


def local(when: dt.datetime, timezone: dt.tzinfo | None) -> dt.datetime:
    """``when`` in the reader's zone (``None``: this machine's), or in UTC where that zone
    would take it past the calendar (years 1 and 9999)."""
    try:
        return when.astimezone(timezone)
    except (OverflowError, ValueError, OSError):  # past the calendar (or the C library's)
        return when


def deadline(when: dt.datetime) -> str:
    """A deadline: its date alone at the very start or end of a day, else its moment."""
    if when.time() in (dt.time(0, 0), dt.time(23, 59, 59, 999000)):
        return when.date().isoformat()
    return moment(when)


_NEAR = dt.timedelta(hours=14)


def _month(when: dt.datetime) -> tuple[int, int] | None:
    """The month that starts at ``when``, if a month boundary (UTC) is within 14 hours."""
    when = when.astimezone(UTC)
    first = when.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    candidates = [first]
    if first.month == 12:
        candidates.append(
            first.replace(year=first.year + 1, month=1) if first.year < 9999 else first
        )
    else:
        candidates.append(first.replace(month=first.month + 1))
    for boundary in candidates:
        if abs(when - boundary) <= _NEAR:
            return boundary.year, boundary.month
    return None


def cycle_name(
    start: dt.datetime | None, end: dt.datetime | None, timezone: dt.tzinfo | None
) -> str:
    """For a cycle of whole months ``2025-10`` to ``2025-12`` (:data:`RANGE` between),
    ``2025-10`` or ``2025``; else its dates in the reader's zone; ``""`` when a time is
    missing."""
    if start is None or end is None:
        return ""
    try:
        first = _month(start)
        after = _month(end + dt.timedelta(milliseconds=1))
    except OverflowError:
        first = after = None
    if first is not None and after is not None and first < after:
        year, month = after
        last = (year - 1, 12) if month == 1 else (year, month - 1)
        if first == last:
            return f"{first[0]:04d}-{first[1]:02d}"
        if first[1] == 1 and last[1] == 12 and first[0] == last[0]:
            return f"{first[0]:04d}"
        return f"{first[0]:04d}-{first[1]:02d}{RANGE}{last[0]:04d}-{last[1]:02d}"
    return dates(start, end, timezone)


def dates(start: dt.datetime, end: dt.datetime, timezone: dt.tzinfo | None) -> str:
    """``2025-10-05 – 2025-11-19``: two days in the reader's zone."""  # noqa: RUF002
    first, last = local(start, timezone).date(), local(end, timezone).date()
    return f"{first.isoformat()}{RANGE}{last.isoformat()}"
