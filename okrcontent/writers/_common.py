"""What every writer does before it writes, and what the markup writers share.

:func:`prologue` is the one way into a writer: the content of a record, its unknown parts
reported (:attr:`~okrcontent.losses.Loss.UNKNOWN_TYPE`), its canonical lines
(:func:`okrcontent.normalize.canonical_lines`, the pass :func:`~okrcontent.normalize` is
made of, so that a writer shows exactly the canonical form) and, on demand, the list tree
(:mod:`okrcontent.nesting`). The :class:`Document` keeps the record it came from and its
metadata fields (:func:`okrcontent.metadata.fields`: none for bare content); a writer asked
to leave them out (``metadata=False``) has them reported as a loss here, once for all.

:data:`MARK_KEYS` is the one table of the styles that wrap text, outermost first, shared by
the Markdown and HTML writers: each pairs every key with its own way to wrap
(:func:`marks`), and a style nobody wraps cannot be forgotten.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeAlias, TypeVar

import attrs

from .. import metadata as _metadata
from .. import nesting
from ..css import colors_key, number
from ..losses import Loss, warn
from ..markup import INERT_SRC, MENTION, MENTION_USER, TOKEN
from ..model import Content, Element, Gallery, Image, Mention, ProgressRecord, TextStyle
from ..normalize import Line, as_content, by_identity, canonical_lines

__all__ = [
    "MARK_KEYS",
    "Document",
    "Payload",
    "image_attributes",
    "mark_values",
    "marks",
    "mention_attributes",
    "prologue",
]


Payload: TypeAlias = "tuple[Element, ...] | Gallery"
"""What a line of a writer's tree holds: a paragraph's elements, or a gallery."""


@attrs.frozen
class Document:
    """A writer's input, ready to write: the record it came from (``None`` for bare
    content), the canonical lines of its content and the metadata fields to write (empty
    for content, or when left out)."""

    record: ProgressRecord | None
    lines: list[Line]
    fields: dict[str, Any] = attrs.field(factory=dict)

    def tree(self) -> tuple[nesting.Node[Payload], ...]:
        """The lines as a list tree (:func:`okrcontent.nesting.tree` of their events: the
        numbers are the lines'); a paragraph's payload is its elements."""
        return nesting.tree(nesting.events(self.lines))


def prologue(value: Content | ProgressRecord, format: str, *, metadata: bool = True) -> Document:
    """``value`` ready for the writer of ``format``, with a record's metadata fields unless
    ``metadata`` is false; unknown parts, and metadata left out, are reported as losses
    (warned at the writer's caller)."""
    record = value if isinstance(value, ProgressRecord) else None
    unknown: list[str] = []
    lines = list(canonical_lines(as_content(value), unknown.append))
    for part in unknown:
        warn(Loss.UNKNOWN_TYPE, part, format=format, stacklevel=3)
    fields = _metadata.fields(record) if record is not None else {}
    if fields and not metadata:
        warn(Loss.METADATA_NOT_WRITTEN, ", ".join(fields), format=format, stacklevel=3)
        fields = {}
    return Document(record, lines, fields)


# --- marks -----------------------------------------------------------------------------------

MarkKey = Callable[[TextStyle | None], Hashable]
"""A run's value for one mark (falsy: the run does not have it); runs sharing a value share
one wrapper."""


def _link(style: TextStyle | None) -> str | None:
    return style.link.url if style is not None and style.link is not None else None


def _bold(style: TextStyle | None) -> bool:
    return bool(style is not None and style.bold)


def _strike(style: TextStyle | None) -> bool:
    return bool(style is not None and style.strikethrough)


MARK_KEYS: tuple[tuple[str, MarkKey], ...] = (
    ("link", _link),
    ("colors", colors_key),
    ("bold", _bold),
    ("strike", _strike),
)
"""The styles that wrap text, outermost first, by name."""

W = TypeVar("W")


@by_identity
def mark_values(style: TextStyle | None) -> tuple[Hashable, ...]:
    """A run's value for every mark of :data:`MARK_KEYS`, computed once a style
    (:func:`~okrcontent.normalize.by_identity`)."""
    return tuple(key(style) for _, key in MARK_KEYS)


def marks(wraps: Mapping[str, W]) -> tuple[tuple[MarkKey, W], ...]:
    """A writer's marks: each key of :data:`MARK_KEYS` with the writer's wrap of that name."""
    missing = {name for name, _ in MARK_KEYS} - set(wraps)
    if missing:
        raise TypeError(f"no wrap for the marks {sorted(missing)}")
    return tuple((key, wraps[name]) for name, key in MARK_KEYS)


# --- attributes both markup writers put on their tags ----------------------------------------


def mention_attributes(mention: Mention) -> dict[str, str | None]:
    """The ids a mention's ``<span>`` carries, so that it reads back."""
    return {MENTION: mention.open_id or "", MENTION_USER: mention.user_id}


def image_attributes(image: Image, src: str | None) -> dict[str, Any]:
    """An ``<img>``'s attributes: ``src`` if it may load (else the URL kept inert), size and
    file token."""
    return {
        "src": src,
        INERT_SRC: image.src if src is None else None,
        "width": None if image.width is None else number(image.width),
        "height": None if image.height is None else number(image.height),
        TOKEN: image.file_token,
    }
