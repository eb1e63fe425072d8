"""When to try again and how fast to go: backoff with jitter, and the rate limiter.

Both are plain, clock-injectable objects so that the sync and the async client share them,
and tests can drive them.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable

import attrs

__all__ = ["ENDPOINT_LIMITS", "KeyedLimiters", "RateLimiter", "RetryPolicy"]


@attrs.frozen
class RetryPolicy:
    """Exponential backoff with full jitter, bounded in attempts and in total time.

    Attempt ``n`` (1-based) that failed waits ``uniform(0, min(cap, base * 2**(n-1)))``,
    but at least what the server asked for (a rate limit's reset). ``total`` is the call's
    deadline: a call, every attempt and wait included, is over within ``total`` seconds
    (each request's own deadline is cut to it, and no wait runs past it).
    """

    attempts: int = 5
    base: float = 0.5
    cap: float = 8.0
    total: float = 60.0

    def delay(
        self, attempt: int, at_least: float = 0.0, rng: Callable[[], float] = random.random
    ) -> float:
        backoff: float = min(self.cap, self.base * 2.0 ** (attempt - 1))
        return max(at_least, rng() * backoff)

    def allows(self, attempt: int, elapsed: float, delay: float) -> bool:
        """May attempt ``attempt + 1`` start after waiting ``delay``?"""
        return attempt < self.attempts and elapsed + delay <= self.total


class RateLimiter:
    """At most ``rate`` requests in any ``period`` seconds (the OpenAPI's 100 a minute),
    shared by every thread and task of a client: :meth:`reserve` books the next slot and
    says how long to wait for it."""

    def __init__(
        self, rate: int = 100, period: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate < 1 or period <= 0:
            raise ValueError("rate must be at least 1 and period positive")
        self.rate, self.period, self._clock = rate, period, clock
        self._booked: deque[float] = deque()
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Book a slot; the seconds to wait before using it (0 if free now)."""
        with self._lock:
            now = self._clock()
            while self._booked and self._booked[0] <= now - self.period:
                self._booked.popleft()
            start = now
            if len(self._booked) >= self.rate:
                start = self._booked[-self.rate] + self.period
            self._booked.append(start)
            return max(0.0, start - now)


ENDPOINT_LIMITS: dict[str, tuple[int, float]] = {
    "im.receiver": (5, 1.0),  # messages to one chat or user: 5 a second (shared by its bots)
    "drive.media": (5, 1.0),  # media downloads: 5 a second
}
"""Limits the vendor documents for one endpoint or one target, on top of the client's own
100 requests a minute: ``kind -> (requests, seconds)``. A request names its kind and
target (``"im.receiver", "oc_..."``) and waits for both."""


class KeyedLimiters:
    """One :class:`RateLimiter` per ``(kind, target)`` of :data:`ENDPOINT_LIMITS`, made on
    first use and shared by a client's threads and tasks."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._limiters: dict[tuple[str, str], RateLimiter] = {}
        self._lock = threading.Lock()

    def reserve(self, kind: str, target: str = "") -> float:
        """Book a slot for ``target`` of ``kind``; the seconds to wait for it."""
        with self._lock:
            limiter = self._limiters.get((kind, target))
            if limiter is None:
                rate, period = ENDPOINT_LIMITS[kind]
                limiter = self._limiters[kind, target] = RateLimiter(rate, period, self._clock)
        return limiter.reserve()
