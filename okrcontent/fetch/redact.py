"""Secrets that never show: in a repr, a message, an exception chain or a log line.

A client knows its secrets (the app secret, the user token, every tenant token it was given)
and passes every text it did not write itself (a server's ``msg`` and log id, a lower layer's
error) through :meth:`Secrets.redact`; errors leaving a client pass through
:meth:`Secrets.scrub`, so a server that echoes a request body or a header gets nothing back.
"""

from __future__ import annotations

import json
import logging
import threading
import weakref
from urllib.parse import quote, quote_plus

__all__ = ["LOGGERS", "REDACTED", "Secret", "Secrets"]

REDACTED = "<secret>"
_KEEP = 8
"""Tenant tokens remembered after they were replaced (a message may still name an old one)."""


class Secret:
    """A string that never shows itself in a repr or a message."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return REDACTED


def _spellings(value: str) -> set[str]:
    """The ways a server may echo a value: as it is, JSON-escaped, URL-encoded."""
    return {value, json.dumps(value)[1:-1], quote(value, safe=""), quote_plus(value, safe="")}


class Secrets:
    """The values to redact; fixed ones (given at construction) and tokens added later."""

    def __init__(self, *values: str | None) -> None:
        self._fixed = [v for v in values if v]
        self._tokens: list[str] = []
        self._lock = threading.Lock()
        self._patterns: list[str] = []
        self._rebuild()
        _LIVE.add(self)

    def _rebuild(self) -> None:
        found = set().union(*(_spellings(v) for v in [*self._fixed, *self._tokens]))
        # Longest first, so a secret that contains another is replaced whole. Values too short
        # to mean anything on their own (under 3 characters) would blank out ordinary text.
        self._patterns = sorted((p for p in found if len(p) >= 3), key=len, reverse=True)

    def add(self, value: str) -> None:
        """Remember a token the server issued."""
        with self._lock:
            if value and value not in self._tokens:
                self._tokens = [*self._tokens[-(_KEEP - 1) :], value]
                self._rebuild()

    def redact(self, text: str) -> str:
        for pattern in self._patterns:
            text = text.replace(pattern, REDACTED)
        return text

    def scrub(self, error: BaseException) -> BaseException:
        """``error`` with every secret redacted from it and from its chain; a link of the
        chain that is not the library's own (an httpx error holding a request with its
        ``Authorization`` header) is cut off."""
        from ..errors import OkrContentError

        seen: set[int] = set()
        waiting: list[BaseException] = [error]
        while waiting:
            current = waiting.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            current.args = tuple(self.redact(a) if isinstance(a, str) else a for a in current.args)
            for name in ("msg", "log_id", "reason", "path"):
                value = getattr(current, name, None)
                if isinstance(value, str):
                    setattr(current, name, self.redact(value))
            if not isinstance(current.__cause__, (OkrContentError, type(None))):
                current.__cause__ = None
                current.__suppress_context__ = True
            if not isinstance(current.__context__, (OkrContentError, type(None))):
                current.__context__ = None
            waiting.extend(e for e in (current.__cause__, current.__context__) if e is not None)
        return error


_LIVE: weakref.WeakSet[Secrets] = weakref.WeakSet()
"""The secrets of every client alive, for the log filter."""

LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)
"""The loggers of the layers below: at DEBUG, httpcore logs the headers a server sent
back, which a hostile server fills with what it was sent."""


class _RedactingFilter(logging.Filter):
    """Redacts the secrets of every live client from a log record of the layers below."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _LIVE:
            text = record.getMessage()
            for secrets in list(_LIVE):
                text = secrets.redact(text)
            record.msg, record.args = text, ()
        return True


_FILTER = _RedactingFilter()
for _name in LOGGERS:
    logging.getLogger(_name).addFilter(_FILTER)
