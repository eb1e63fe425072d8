"""The id rules: what may stand where an id goes into a URL path, a query or a file name.

One table, :data:`ID_RULES`, and one error shape: ``field: '..' is not <kind> (<rule>)``.
OKR ids (progress records, objectives, key results, cycles) are ASCII digits; user ids are
the letters, digits, ``_`` and ``-`` of an open id, union id or user id; keys (a file token,
an image key, a chat id) the same, a little longer. A value that passes cannot leave its
path segment or add a query parameter.
"""

from __future__ import annotations

import re

from .errors import ContentError

__all__ = [
    "ID_RULES",
    "USER_ID_TYPES",
    "check_id",
    "check_key",
    "check_user_id",
    "check_user_id_type",
    "shown",
]

ID_RULES: dict[str, tuple[re.Pattern[str], str]] = {
    "okr": (re.compile(r"[0-9]{1,32}"), "ASCII digits, at most 32"),
    "user": (re.compile(r"[A-Za-z0-9_-]{1,128}"), "letters, digits, _ and -, at most 128"),
    "key": (re.compile(r"[A-Za-z0-9_-]{1,256}"), "letters, digits, _ and -, at most 256"),
}
"""Kind of id -> (its pattern, the rule in words for the error message)."""

USER_ID_TYPES = ("open_id", "union_id", "user_id")
"""The kinds of user id the OpenAPI takes as ``user_id_type``."""


def shown(value: object, limit: int = 40) -> str:
    """``repr(value)``, cut to ``limit`` characters: a 5,000-digit id stays one line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def _check(kind: str, value: object, field: str, what: str) -> str:
    pattern, rule = ID_RULES[kind]
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ContentError(f"{shown(value)} is not {what} ({rule})", field)
    return value


def check_id(value: object, field: str = "id") -> str:
    """``value`` if it is an OKR id (a progress record, objective, key result, cycle)."""
    return _check("okr", value, field, "an id")


def check_user_id(value: object, field: str = "user_id") -> str:
    """``value`` if it is a user id (open id, union id or user id)."""
    return _check("user", value, field, "a user id")


def check_key(value: object, field: str = "key") -> str:
    """``value`` if it is a key of the OpenAPI (a file token, an image key, a chat id)."""
    return _check("key", value, field, "a key")


def check_user_id_type(value: object) -> str:
    """``value`` if it is one of :data:`USER_ID_TYPES`."""
    if value not in USER_ID_TYPES:
        raise ContentError(
            f"{shown(value)} is not one of {', '.join(USER_ID_TYPES)}", "user_id_type"
        )
    return str(value)
