"""Mentions carry only ids: the one place that turns them into names, for every writer.

``people=`` (accepted by every ``to_*`` function) is a mapping or a callable from open id to
display name. An id it does not know (the mapping lacks it, or the callable returns ``None``)
falls back to the id itself, so a mention always reads as ``@<something>``; a callable that
raises is reported as :class:`~okrcontent.errors.PeopleError`, naming the id. A name is
canonical text (:func:`~okrcontent.normalize.canonical_text`), as everything a writer shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeAlias

from .errors import PeopleError
from .model import Mention
from .normalize import canonical_text

__all__ = ["People", "display_name"]

People: TypeAlias = "Mapping[str, str] | Callable[[str], str | None] | None"
"""What ``people=`` accepts."""


def display_name(mention: Mention, people: People) -> str:
    """The name to show for ``mention`` (without the ``@``)."""
    key = mention.open_id or mention.user_id
    if key is None:
        return "unknown"
    name: str | None
    if people is None:
        name = None
    elif isinstance(people, Mapping):
        name = people.get(key)
    else:
        try:
            name = people(key)
        except Exception as error:  # a user's callable: any failure is reported the same way
            raise PeopleError(f"people= failed for {key!r}: {error!r}") from error
    return canonical_text(name) if isinstance(name, str) and name else key
