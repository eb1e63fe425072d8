"""Guards against hangs and super-linear growth that hold on a busy machine.

No test asserts an absolute time. These helpers compare the CPU time this process spends
(``time.process_time``: other processes competing for the cores do not count) on two runs
in the same test: the same work on an input ``factor`` times larger, or the project's code
against the bare library on the same input. Each figure is the best of a few runs, with the
garbage collector off, and the bounds are generous: they catch a quadratic path or a hang
(which shows as a ratio of tens or thousands), not a few percent.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

FLOOR = 0.002
"""Seconds below which a measurement is noise: small runs are taken as at least this."""


def cpu_seconds(fn: Callable[[], Any], repeat: int = 3) -> float:
    """The least CPU time of ``repeat`` calls of ``fn``."""
    best = float("inf")
    enabled = gc.isenabled()
    try:
        for _ in range(repeat):
            gc.collect()
            gc.disable()
            started = time.process_time()
            fn()
            best = min(best, time.process_time() - started)
            gc.enable()
    finally:
        if enabled:
            gc.enable()
    return max(best, FLOOR)


def growth(
    run: Callable[[Any], Any], make: Callable[[int], Any], size: int, factor: int = 4
) -> float:
    """How much longer ``run`` takes on ``make(size * factor)`` than on ``make(size)``,
    per unit of input: 1.0 is linear, ``factor`` is quadratic."""
    small, large = make(size), make(size * factor)
    return cpu_seconds(lambda: run(large)) / cpu_seconds(lambda: run(small)) / factor


def assert_linear(
    run: Callable[[Any], Any],
    make: Callable[[int], Any],
    size: int,
    *,
    factor: int = 4,
    slack: float = 2.5,
) -> None:
    """``run`` grows no faster than linearly in its input (within ``slack``); a quadratic
    path over a ``factor`` of 4 shows as 4.0, and one with a large constant as more."""
    ratio = growth(run, make, size, factor)
    assert ratio < slack, f"x{factor} input took {ratio * factor:.1f}x the time"


def assert_near(
    run: Callable[[], Any], reference: Callable[[], Any], *, bound: float, label: str = ""
) -> None:
    """``run`` costs at most ``bound`` times ``reference`` (the bare library on the same
    input, measured in the same test)."""
    ratio = cpu_seconds(run, repeat=2) / cpu_seconds(reference, repeat=2)
    assert ratio < bound, f"{label or 'run'} took {ratio:.1f}x its reference (bound {bound})"
