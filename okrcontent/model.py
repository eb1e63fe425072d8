"""The content tree of an OKR progress record, as frozen attrs classes.

The wire format is flat and JSON-shaped (``{"type": "textRun", "textRun": {...}}``,
camelCase keys); this module is not. A block is a :class:`Paragraph`, a :class:`Gallery`
or an :class:`UnknownBlock`; an element of a paragraph is a :class:`TextRun`, a
:class:`DocsLink`, a :class:`Mention` or an :class:`UnknownElement`. Everything the JSON
codec needs to give the wire back byte for byte that has no place in this tree (keys the
format does not document, keys that were absent) rides in each node's ``extra``.

Optional scalars are ``None`` when the wire left them out; writers read ``None`` the way the
editor does (no bold, level 1, opaque colour). Value bounds (colour channels, indent level,
...) are declared once here, in field metadata: the constructors check them for content built
by hand, and the codec reads the same bounds to check wire input with its JSON path.

This module imports nothing of okrcontent but the error type.
"""

from __future__ import annotations

import datetime as _dt
import enum
import math
import reprlib
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeAlias

import attrs

from .errors import ContentError

__all__ = [
    "Block",
    "Color",
    "Content",
    "DocsLink",
    "Element",
    "EntityType",
    "Extra",
    "Gallery",
    "Image",
    "Link",
    "ListKind",
    "ListStyle",
    "Mention",
    "Owner",
    "Paragraph",
    "ParagraphStyle",
    "ProgressRate",
    "ProgressRecord",
    "ProgressStatus",
    "TextRun",
    "TextStyle",
    "UnknownBlock",
    "UnknownElement",
]


class ListKind(enum.Enum):
    """The five list styles of an editor line (``content_list.type``)."""

    NUMBER = "number"  #: ordered item, shows ``ListStyle.number``
    BULLET = "bullet"
    CHECKBOX = "checkBox"  #: open task
    CHECKED = "checkedBox"  #: done task
    INDENT = "indent"  #: indented line without a marker

    # Members are singletons: identity hashing is correct and much cheaper than Enum's
    # name hashing, which matters because list styles are interned by value when loading.
    __hash__ = object.__hash__


class ProgressStatus(enum.IntEnum):
    """``progress_rate.status``."""

    NONE = -1
    NORMAL = 0
    AT_RISK = 1
    DELAYED = 2


# --- declared bounds -------------------------------------------------------------------

BOUNDS = "okrcontent.bounds"
"""Field metadata key: ``(low, high, integral)`` for a bounded number field."""


class _Shown(reprlib.Repr):
    """``repr`` for error messages: bounded in size and depth however large the value, and
    an integer too long to print (Python refuses past 4,300 digits) described instead."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel, self.maxstring, self.maxother = 3, 50, 50

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() <= 190:  # up to 57 digits: as it is
            return repr(x)
        digits = int(math.log10(abs(x))) + 1
        return f"{'-' if x < 0 else ''}{abs(x) // 10 ** (digits - 12)}...({digits} digits)"


def shown(value: Any) -> str:
    """``value`` for an error message, at most 60 characters: a message about bad input
    must never fail itself, nor cost more than the input."""
    text = _Shown().repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def is_finite_number(value: Any) -> bool:
    """A JSON number that a float holds: a finite float, or an int no larger than the
    largest float (an int of 400 digits is a number no float can hold)."""
    if value.__class__ is float:
        return math.isfinite(value)
    return value.__class__ is int and -_MAX_FLOAT <= value <= _MAX_FLOAT


_MAX_FLOAT = sys.float_info.max


def _check_bounds(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    low, high, integral = attribute.metadata[BOUNDS]
    ok_type = type(value) is int if integral else is_finite_number(value)
    if not ok_type:
        kind = "an integer" if integral else "a finite number"
        raise ContentError(f"expected {kind}, got {shown(value)}", attribute.name)
    if not low <= value <= high:
        raise ContentError(f"{shown(value)} is not in {low}..{high}", attribute.name)


def _bounded(low: float, high: float, *, integral: bool) -> Any:
    return attrs.field(
        default=None, validator=_check_bounds, metadata={BOUNDS: (low, high, integral)}
    )


def _int(low: int, high: int) -> Any:
    return _bounded(low, high, integral=True)


def _number(low: float = -math.inf, high: float = math.inf) -> Any:
    return _bounded(low, high, integral=False)


KIND = "okrcontent.kind"
"""Field metadata key: what a string field holds, ``"id"`` or ``"time"`` (epoch
milliseconds). The model holds both as strings (digits, for times); the codec reads each
spelling's JSON type for them and gives it back."""


def _id() -> Any:
    return attrs.field(default=None, metadata={KIND: "id"})


def _time() -> Any:
    return attrs.field(default=None, metadata={KIND: "time"})


# --- what the wire held beyond the model ----------------------------------------------


@attrs.frozen(repr=False)
class Extra:
    """Wire data a node has no field for, kept so that ``dump(load(x)) == x``.

    ``keys`` are undocumented keys of the object itself, ``outer`` those beside ``type`` in
    a block's or element's wrapper (``{"type": ..., "paragraph": {...}, <outer>}``), and
    ``omitted`` the fields whose wire key was absent although the model shows a default
    for them (``elements`` for ``()``, ``text`` for ``""``). ``dialect`` is the spelling a document
    was loaded from (``"v2"``; ``None`` is v1, the default), kept on the nodes a document
    starts at (:class:`Content`, :class:`ProgressRecord`, the OKR entities) so that dumping
    without a dialect gives the same spelling back. ``numeric`` names the fields whose
    value came as a JSON integer although the model holds it as a string (v2 ids and times:
    some clients send ``7342...``, others ``"7342..."``). Both name fields, not wire keys,
    so that they hold in either spelling.

    Only ``keys`` and ``outer`` take part in equality: an absent list and an empty one,
    an id as a number and as a string, and the two spellings all mean the same content.
    Treat the mappings as read-only; they are shared with the JSON that was loaded.
    """

    keys: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    outer: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    omitted: frozenset[str] = attrs.field(default=frozenset(), eq=False)
    dialect: str | None = attrs.field(default=None, eq=False)
    numeric: frozenset[str] = attrs.field(default=frozenset(), eq=False)

    def __repr__(self) -> str:
        shown = [
            f"{field.name}={getattr(self, field.name)!r}"
            for field in attrs.fields(Extra)
            if getattr(self, field.name) or field.name == "keys"
        ]
        return f"Extra({', '.join(shown)})"


def _extra_identity(extra: Extra | None) -> Any:
    """What of ``extra`` counts for equality: only the unknown keys."""
    if extra is None or not (extra.keys or extra.outer):
        return None
    return (dict(extra.keys), dict(extra.outer))


def _extra_field() -> Any:
    return attrs.field(default=None, eq=_extra_identity, hash=False, kw_only=True)


class _Node:
    """Base of every tree node: a repr that shows only what differs from the defaults."""

    __slots__ = ()

    def __repr__(self) -> str:
        shown = []
        for field in attrs.fields(type(self)):  # type: ignore[arg-type]  # subclasses are attrs
            value = getattr(self, field.name)
            if field.name == "extra":
                if _extra_identity(value) is None:
                    continue
            elif field.default is not attrs.NOTHING and value == field.default:
                continue
            shown.append(f"{field.name}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"


# --- inline elements --------------------------------------------------------------------


@attrs.frozen(repr=False, cache_hash=True)
class Color(_Node):
    """An RGBA colour; ``alpha`` ``None`` means opaque."""

    red: int | None = _int(0, 255)
    green: int | None = _int(0, 255)
    blue: int | None = _int(0, 255)
    alpha: float | None = _number(0, 1)
    extra: Extra | None = _extra_field()

    @property
    def rgba(self) -> tuple[int, int, int, float]:
        """The colour with the editor's defaults filled in (black, opaque)."""
        alpha = 1.0 if self.alpha is None else float(self.alpha)
        return (self.red or 0, self.green or 0, self.blue or 0, alpha)


@attrs.frozen(repr=False, cache_hash=True)
class Link(_Node):
    """The target of a linked text run."""

    url: str | None = None
    extra: Extra | None = _extra_field()


def _to_link(value: Link | str | None) -> Link | None:
    return Link(value) if isinstance(value, str) else value


@attrs.frozen(repr=False, cache_hash=True)
class TextStyle(_Node):
    """Styles of a text run. ``None`` is "not set" and reads as off."""

    bold: bool | None = None
    strikethrough: bool | None = None
    text_color: Color | None = None
    back_color: Color | None = None
    link: Link | None = attrs.field(default=None, converter=_to_link)
    extra: Extra | None = _extra_field()


@attrs.frozen(repr=False)
class TextRun(_Node):
    """A piece of text in one style."""

    text: str = ""
    style: TextStyle | None = None
    extra: Extra | None = _extra_field()


@attrs.frozen(repr=False)
class DocsLink(_Node):
    """A link to a Feishu cloud document, shown by its title."""

    url: str | None = None
    title: str | None = None
    extra: Extra | None = _extra_field()


@attrs.frozen(repr=False)
class Mention(_Node):
    """An @-mention of a person (``person`` on the wire)."""

    open_id: str | None = None
    user_id: str | None = None
    extra: Extra | None = _extra_field()


@attrs.frozen(repr=False)
class UnknownElement(_Node):
    """An element whose ``type`` this version does not know, kept whole (``data`` is the
    wire object, ``type`` included) so that it is written back unchanged."""

    type: str
    data: Mapping[str, Any] = attrs.field(factory=dict, hash=False)


Element: TypeAlias = TextRun | DocsLink | Mention | UnknownElement
"""One piece of a paragraph."""


# --- blocks -----------------------------------------------------------------------------


@attrs.frozen(repr=False, cache_hash=True)
class ListStyle(_Node):
    """How a line sits in a list. ``indent_level`` ``None`` reads as 1; ``number`` is the
    number an ordered line shows."""

    kind: ListKind = attrs.field(converter=ListKind)
    indent_level: int | None = _int(1, 16)
    number: int | None = _int(0, 999_999_999)
    extra: Extra | None = _extra_field()

    @property
    def level(self) -> int:
        """The indent level with the default filled in."""
        return self.indent_level or 1


@attrs.frozen(repr=False, cache_hash=True)
class ParagraphStyle(_Node):
    """Style of a paragraph: so far only its list style."""

    list: ListStyle | None = None
    extra: Extra | None = _extra_field()


def _to_paragraph_style(value: ParagraphStyle | ListStyle | None) -> ParagraphStyle | None:
    return ParagraphStyle(value) if isinstance(value, ListStyle) else value


def _to_elements(items: Iterable[Element | str]) -> tuple[Element, ...]:
    return tuple(TextRun(item) if isinstance(item, str) else item for item in items)


@attrs.frozen(repr=False)
class Paragraph(_Node):
    """One line of the editor. ``style`` also accepts a bare :class:`ListStyle`, and
    ``elements`` plain strings, so that content reads well when built by hand::

        Paragraph(["Ship it ", TextRun("now", TextStyle(bold=True))], ListStyle("bullet"))
    """

    elements: tuple[Element, ...] = attrs.field(default=(), converter=_to_elements)
    style: ParagraphStyle | None = attrs.field(default=None, converter=_to_paragraph_style)
    extra: Extra | None = _extra_field()

    @property
    def list_style(self) -> ListStyle | None:
        """The list style of this line, if it has one."""
        return self.style.list if self.style is not None else None


@attrs.frozen(repr=False)
class Image(_Node):
    """One picture of a gallery: its file token and/or URL, size in pixels."""

    src: str | None = None
    file_token: str | None = None
    width: float | None = _number(0)
    height: float | None = _number(0)
    extra: Extra | None = _extra_field()


def _to_images(items: Iterable[Image]) -> tuple[Image, ...]:
    return tuple(items)


@attrs.frozen(repr=False)
class Gallery(_Node):
    """A line of pictures."""

    images: tuple[Image, ...] = attrs.field(default=(), converter=_to_images)
    extra: Extra | None = _extra_field()


@attrs.frozen(repr=False)
class UnknownBlock(_Node):
    """A block whose ``type`` this version does not know, kept whole (``data`` is the wire
    object, ``type`` included) so that it is written back unchanged."""

    type: str
    data: Mapping[str, Any] = attrs.field(factory=dict, hash=False)


Block: TypeAlias = Paragraph | Gallery | UnknownBlock
"""One line of content."""


def _to_blocks(items: Iterable[Block | str]) -> tuple[Block, ...]:
    return tuple(Paragraph([item]) if isinstance(item, str) else item for item in items)


@attrs.frozen(repr=False)
class Content(_Node):
    """The body of a progress record (``content_block``): its lines, in order."""

    blocks: tuple[Block, ...] = attrs.field(default=(), converter=_to_blocks)
    extra: Extra | None = _extra_field()

    def __iter__(self) -> Iterator[Block]:
        return iter(self.blocks)

    def __len__(self) -> int:
        return len(self.blocks)


# --- the record -------------------------------------------------------------------------


def _to_status(value: ProgressStatus | int | None) -> ProgressStatus | None:
    return None if value is None else ProgressStatus(value)


@attrs.frozen(repr=False)
class ProgressRate(_Node):
    """Progress in percent and its status."""

    percent: float | None = _number()
    status: ProgressStatus | None = attrs.field(default=None, converter=_to_status)
    extra: Extra | None = _extra_field()


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_MS = _dt.timedelta(milliseconds=1)
_FIRST_MS = (_dt.datetime.min.replace(tzinfo=_dt.timezone.utc) - _EPOCH) // _MS
_LAST_MS = (_dt.datetime.max.replace(tzinfo=_dt.timezone.utc) - _EPOCH) // _MS


def instant(milliseconds: str | int | None) -> _dt.datetime | None:
    """Epoch milliseconds (the wire's times, as digits or as an integer) as an aware UTC
    datetime. ``None`` when absent, and also when the value is no time the calendar holds
    (beyond the years 1..9999, 5,000 digits, not a number): the wire value itself stays in
    its field, and a property that reads it never raises."""
    if isinstance(milliseconds, str):
        if not (milliseconds.isascii() and milliseconds.lstrip("-").isdigit()):
            return None
        if len(milliseconds) > 20:  # past any calendar, and past what int() will read
            return None
        milliseconds = int(milliseconds)
    if type(milliseconds) is not int or not _FIRST_MS <= milliseconds <= _LAST_MS:
        return None
    return _EPOCH + _MS * milliseconds  # (exact, as timedelta(milliseconds=...): in half the time)


class EntityType(enum.IntEnum):
    """What a progress record reports on (v2 ``entity_type``)."""

    OBJECTIVE = 2
    KEY_RESULT = 3


def _to_entity_type(value: EntityType | int | None) -> EntityType | None:
    return None if value is None else EntityType(value)


@attrs.frozen(repr=False, cache_hash=True)
class Owner(_Node):
    """Whose an OKR entity is: ``owner_type`` ``"user"`` (or ``"department"``) and the
    user's id, of the type the request asked for (``user_id_type``, open_id by default)."""

    owner_type: str | None = None
    user_id: str | None = None
    extra: Extra | None = _extra_field()


@attrs.frozen(repr=False)
class ProgressRecord(_Node):
    """A progress record: v1's ``progress_records/:id`` answer (``data`` of the envelope)
    and an item of v2's progress lists are the same record in two spellings.

    ``progress_id`` and ``modify_time`` are v1's names (v2: ``id``, ``update_time``); the
    fields after ``progress_rate`` are v2's (v1 records leave them ``None``, an archive may
    add them under the same names): when the record was created, whose it is, and the
    objective or key result it reports on (``entity_type``, ``entity_id``).
    """

    progress_id: str | None = _id()
    modify_time: str | None = _time()
    content: Content | None = None
    progress_rate: ProgressRate | None = None
    create_time: str | None = _time()
    owner: Owner | None = None
    entity_type: EntityType | None = attrs.field(default=None, converter=_to_entity_type)
    entity_id: str | None = _id()
    extra: Extra | None = _extra_field()

    @property
    def modified_at(self) -> _dt.datetime | None:
        """``modify_time`` as an aware UTC datetime (``None`` if absent or no real time)."""
        return instant(self.modify_time)

    @property
    def created_at(self) -> _dt.datetime | None:
        """``create_time`` as an aware UTC datetime (``None`` if absent or no real time)."""
        return instant(self.create_time)

    def __iter__(self) -> Iterator[Block]:
        return iter(self.content.blocks if self.content is not None else ())
