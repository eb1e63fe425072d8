"""A small timing harness: every subject is timed beside a reference in the same run, and
reported as a ratio to it, so the numbers mean the same on a fast or a slow machine.

Timing is the best of several ``timeit`` repeats (the least disturbed run), per call.
"""

from __future__ import annotations

import timeit
from collections.abc import Callable
from typing import Any

import attrs


@attrs.frozen
class Row:
    """One measured subject, against its reference."""

    name: str
    seconds: float  # per call
    reference: str
    reference_seconds: float
    goal: float | None = None  # the ratio the subject must stay under, if any

    @property
    def ratio(self) -> float:
        return self.seconds / self.reference_seconds

    @property
    def met(self) -> bool:
        return self.goal is None or self.ratio <= self.goal


def per_call(fn: Callable[[], object], repeat: int = 7, min_time: float = 0.2) -> float:
    """Seconds per call of ``fn``: best of ``repeat`` runs of at least ``min_time`` each."""
    timer = timeit.Timer(fn)
    number, elapsed = timer.autorange()
    number = max(1, int(number * min_time / max(elapsed, 1e-9)))
    return min(timer.repeat(repeat=repeat, number=number)) / number


def each(fn: Callable[[Any], object], items: list[Any]) -> Callable[[], object]:
    """A subject that applies ``fn`` to every item (one call of it is one pass)."""
    return lambda: [fn(item) for item in items]


def compare(
    name: str,
    fn: Callable[[], object],
    reference: str,
    ref: Callable[[], object],
    goal: float | None = None,
) -> Row:
    """Time ``fn`` and ``ref`` alternately (so drift hits both) and pair them up."""
    ref_s, fn_s = per_call(ref), per_call(fn)
    ref_s, fn_s = min(ref_s, per_call(ref)), min(fn_s, per_call(fn))
    return Row(name, fn_s, reference, ref_s, goal)


def _fmt(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def report(title: str, rows: list[Row]) -> bool:
    """Print a table; True when every goal was met."""
    print(f"\n## {title}\n")
    print("| subject | per call | reference | per call | ratio | goal |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        goal = "" if row.goal is None else f"<= {row.goal:g}x {'met' if row.met else 'MISSED'}"
        print(
            f"| {row.name} | {_fmt(row.seconds)} | {row.reference} | "
            f"{_fmt(row.reference_seconds)} | {row.ratio:.2f}x | {goal} |"
        )
    return all(row.met for row in rows)
