"""A record's metadata: what a progress record holds besides its content, as named fields
that every format writes beside the content and reads back.

:func:`fields` turns a record into ordered fields, :func:`record` turns fields and content
back into the record. Markdown and plain text write the fields as YAML front matter
(:mod:`okrcontent.frontmatter`); HTML as ``<meta name="okr-<field>">`` in a page's head and
``data-okr-<field>`` on a fragment's header, as text (:func:`texts`, :func:`from_texts`).
The fields, in their order (absent ones are left out), each with where it is in a v1
record's JSON (and a v2 progress item's, where that differs):

- ``progress_id``: a string (``progress_id``; v2 ``id``);
- ``modified``: a time, ISO 8601 in UTC (``modify_time``; v2 ``update_time``);
- ``percent``: a number (``progress_rate.percent``; v2 ``progress_rate.progress_percent``);
- ``status``: ``none``, ``normal``, ``at_risk`` or ``delayed`` (``progress_rate.status``;
  v2 ``progress_rate.progress_status``);
- ``created``: a time (``create_time``);
- ``owner``, ``owner_type``: strings (``owner.user_id``, ``owner.owner_type``);
- ``entity_type``: ``objective`` or ``key_result`` (``entity_type``), and ``entity_id``: a
  string (``entity_id``): what the record reports on;
- ``dialect``: ``v2`` for a record in the v2 spelling (v1 is the default);
- ``integers``: the ids and times the JSON held as integers, not strings (v2 clients differ);
- ``extra``: the rest of the record's JSON but its content's blocks, spelled as it was.

Decisions:

- **Exact.** :func:`record` gives back a record whose dump (in its own spelling) is the
  original's, its content normalized (:func:`normalize_record`). So what a readable field
  cannot say stays as it came: a time that is no calendar time, or is spelled another way
  (``"0001728900000000"``), is its digits, quoted; an id or time the JSON held as an integer
  is named in ``integers``; a value of another type than its field's stays in ``extra``.
- **One ``extra``**, nested as the JSON is (``{"progress_rate": {"trend": 1}}``), rather
  than unknown keys under their own names: a key of the record could be named like a field
  (a v1 record may hold ``percent`` at its top), and nothing could tell them apart.
- **Strict reading.** A field this table does not name, a value of the wrong type, a time
  that is not one: a :class:`~okrcontent.ContentError` naming the field
  (``front matter.percent: expected a number, got 'abc'``).

The same module says how the fields read to people (:data:`STATUS_WORDS`, :func:`percent`,
:func:`moment`), for the HTML header, the OKR documents and the command line alike.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from .codec import CONVERTERS, dialect_of, dump_record
from .dialects import DIALECTS, Dialect
from .errors import ContentError
from .files import json_text
from .model import (
    Content,
    EntityType,
    Extra,
    Owner,
    ProgressRate,
    ProgressRecord,
    ProgressStatus,
    instant,
    is_finite_number,
    shown,
)
from .normalize import normalize

__all__ = [
    "ENTITY_NAMES",
    "FIELDS",
    "FRONT_MATTER",
    "HTML_DATA",
    "HTML_HEADER",
    "HTML_META",
    "NAMES",
    "STATUS_NAMES",
    "STATUS_WORDS",
    "Field",
    "fields",
    "from_texts",
    "is_metadata",
    "iso",
    "moment",
    "normalize_record",
    "number",
    "percent",
    "record",
    "summarized",
    "summary",
    "texts",
    "zone_name",
]

FRONT_MATTER = "front matter."
"""Where a front matter's fields are, in error paths (``front matter.percent``)."""
HTML_META = "okr-"
"""A field in HTML: ``<meta name="okr-<field>">`` in a page's head, and the error paths
of HTML's fields (``okr-percent``)."""
HTML_DATA = "data-okr-"
"""A field on a fragment's record header: ``data-okr-<field>``."""
HTML_HEADER = "okr-record-head"
"""The class of a record's header in HTML: the date, percent and status for people (and,
in a fragment, the fields), which the HTML reader knows is no content."""

# --- the vocabulary --------------------------------------------------------------------------

STATUS_NAMES: dict[ProgressStatus, str] = {status: status.name.lower() for status in ProgressStatus}
"""A status by name, for machines: front matter, HTML fields, ``--status`` (``at_risk``)."""

STATUS_WORDS: dict[ProgressStatus, str] = {
    ProgressStatus.NORMAL: "Normal",
    ProgressStatus.AT_RISK: "At risk",
    ProgressStatus.DELAYED: "Delayed",
}
"""A status for people (``NONE`` shows no word)."""

ENTITY_NAMES: dict[EntityType, str] = {kind: kind.name.lower() for kind in EntityType}
"""What a record reports on, by name (``objective``, ``key_result``)."""

UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)
_MS = _dt.timedelta(milliseconds=1)


def number(value: float) -> str:
    """A score, weight or percent as people write it: at most two decimals, no trailing
    zeros (``0.5``, ``50.21``, ``100``); a huge value in exponent form."""
    text = f"{round(value, 2):.15g}"
    return "0" if text == "-0" else text


def percent(value: float) -> str:
    return number(value) + "%"


def zone_name(when: _dt.datetime) -> str:
    """``UTC``, ``UTC+8``, ``UTC-3:30``: short, and unambiguous unlike ``CST``."""
    if when.tzinfo is UTC:  # (a record's times: no offset to work out)
        return "UTC"
    offset = when.utcoffset() or _dt.timedelta()
    if not offset:
        return "UTC"
    sign = "-" if offset < _dt.timedelta() else "+"
    minutes = abs(offset) // _dt.timedelta(minutes=1)
    hours, minutes = divmod(minutes, 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def moment(when: _dt.datetime) -> str:
    """A time for people: ``2025-10-16 08:50 UTC`` (in ``when``'s own zone)."""
    return f"{when.date().isoformat()} {when.hour:02d}:{when.minute:02d} {zone_name(when)}"


def summary(record: ProgressRecord) -> str:
    """What a record's header shows people, on one line: ``2025-10-16 08:50 UTC · 60% ·
    At risk`` (the parts it has; ``""`` for none), for formats with no place for fields."""
    return " · ".join(text for _, text in _summary_parts(record))


def summarized(record: ProgressRecord) -> frozenset[str]:
    """The fields :func:`summary` shows of ``record``, by name (``modified``, ``percent``,
    ``status``), so that a format that writes the summary reports only the others lost."""
    return frozenset(name for name, _ in _summary_parts(record))


def _summary_parts(record: ProgressRecord) -> list[tuple[str, str]]:
    rate = record.progress_rate
    parts = []
    if record.modified_at is not None:
        parts.append(("modified", moment(record.modified_at)))
    if rate is not None and rate.percent is not None:
        parts.append(("percent", percent(rate.percent)))
    if rate is not None and rate.status in STATUS_WORDS:
        parts.append(("status", STATUS_WORDS[rate.status]))
    return parts


def iso(when: _dt.datetime) -> str:
    """A time for machines: ISO 8601 in UTC to the millisecond, ``2025-10-16T08:50:00.000Z``."""
    if when.tzinfo is UTC:  # (a record's times are: its own isoformat, half the time)
        return when.isoformat(timespec="milliseconds")[:-6] + "Z"  # (less "+00:00")
    text = when.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds")
    return text + "Z"


# --- how a field's value is written and read -------------------------------------------------


class _Missing:
    """A wire path that holds nothing."""


MISSING = _Missing()


@attrs.frozen
class _Kind:
    """How one kind of field goes between the JSON and its readable value.

    ``fits`` says whether a JSON value can be shown (else it stays in ``extra``);
    ``shown`` makes the readable value; ``wire`` takes a readable value back to JSON (given
    whether the JSON held it as an integer, and the field's path for errors); ``text`` and
    ``parse`` spell a readable value as an attribute's text and back (``parse`` leaves what
    it cannot read as it is, for ``wire`` to refuse in its words)."""

    fits: Callable[[Any], bool]
    shown: Callable[[Any], Any]
    wire: Callable[[Any, bool, str], Any]
    text: Callable[[Any], str] = str
    parse: Callable[[str], Any] = str
    integral: bool = False  #: the JSON may hold it as a string or an integer


def _is_int(value: Any) -> bool:
    return type(value) is int


def _expected(what: str, value: Any, path: str) -> ContentError:
    return ContentError(f"expected {what}, got {shown(value)}", path)


_INT64 = 64  # ids and times the JSON holds as integers: the API's int64 (and uint64)


def _digits_to_int(text: str, path: str) -> int:
    """Digits that the JSON held as an integer, back to the integer."""
    if not re.fullmatch(r"-?(?:0|[1-9][0-9]{0,19})", text) or int(text).bit_length() > _INT64:
        raise ContentError(f"{shown(text)} is not an integer the JSON could hold", path)
    return int(text)


# ids and names


def _id_wire(value: Any, integer: bool, path: str) -> Any:
    if _is_int(value):
        value = str(value)
    if not isinstance(value, str):
        raise _expected("a string", value, path)
    return _digits_to_int(value, path) if integer else value


def _text_wire(value: Any, integer: bool, path: str) -> Any:
    return _id_wire(value, False, path)


# times


def _canonical_digits(text: str) -> bool:
    return text == "0" or (text[:1] != "0" and text.lstrip("-")[:1] not in ("0", ""))


def _time_fits(value: Any) -> bool:
    if _is_int(value):
        return True
    return isinstance(value, str) and value.isascii() and value.isdigit()


def _time_shown(value: Any) -> _dt.datetime | str:
    """The time as a datetime where that says exactly the same digits, else the digits."""
    text = str(value)
    when = instant(text) if _canonical_digits(text) else None
    return text if when is None else when


def _milliseconds(when: _dt.datetime, path: str) -> str:
    if when.tzinfo is None:  # YAML: a time without a zone is in UTC
        when = when.replace(tzinfo=UTC)
    try:
        elapsed = when - _EPOCH
    except OverflowError:  # (a zone that takes it past the calendar)
        raise ContentError(f"{when.isoformat()} is past the calendar", path) from None
    count, rest = divmod(elapsed, _MS)
    if rest:
        raise ContentError(f"{iso(when)}: more precise than a millisecond", path)
    return str(count)


_DIGITS = re.compile(r"-?[0-9]+")


def _time_text(value: Any, path: str) -> str:
    """A time's digits, from a datetime, a date, an ISO 8601 text or digits."""
    if isinstance(value, _dt.datetime):
        return _milliseconds(value, path)
    if isinstance(value, _dt.date):  # a day: its first moment, UTC
        return _milliseconds(_dt.datetime.combine(value, _dt.time(), UTC), path)
    if _is_int(value):
        return str(value)
    if isinstance(value, str):
        text = value.strip()
        if _DIGITS.fullmatch(text):
            return text  # (digits as they came: a time no calendar holds among them)
        try:
            when = _dt.datetime.fromisoformat(text.removesuffix("Z").removesuffix("z"))
        except ValueError:
            pass
        else:
            if text[-1:] in "Zz" and when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return _milliseconds(when, path)
    raise _expected("an ISO 8601 time or epoch milliseconds", value, path)


def _time_wire(value: Any, integer: bool, path: str) -> Any:
    text = _time_text(value, path)
    if integer:
        return _digits_to_int(text, path)
    if text.startswith("-"):
        said = iso(value) if isinstance(value, _dt.datetime) else shown(value)
        raise ContentError(f"{said} is before 1970 (epoch milliseconds are positive)", path)
    return text


def _time_text_of(value: Any) -> str:
    return iso(value) if isinstance(value, _dt.datetime) else str(value)


# numbers


def _number_wire(value: Any, integer: bool, path: str) -> Any:
    if not is_finite_number(value):
        raise _expected("a number", value, path)
    return value


def _number_text(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


_INTEGER = re.compile(r"[+-]?[0-9]{1,400}")


def _number_parse(text: str) -> Any:
    """An attribute's number: an integer stays one (``50``), anything with a dot or an
    exponent is a float (``50.0``); what is no number stays text."""
    text = text.strip()
    try:
        if _INTEGER.fullmatch(text):
            return int(text)
        return float(text)
    except ValueError:
        return text


# names of members (status, entity type)


def _by_name(names: Mapping[Any, str]) -> _Kind:
    """A field whose JSON is an enum member's number and whose value is its name."""
    numbers = {name: int(member) for member, name in names.items()}
    values = set(numbers.values())
    choices = ", ".join(numbers)
    by_number: dict[int, str] = {}
    for member, name in names.items():
        by_number.setdefault(int(member), name)  # (the first name of a number)

    def wire(value: Any, integer: bool, path: str) -> Any:
        if isinstance(value, str):
            key = value.strip().lower().replace("-", "_").replace(" ", "_")
            if key in numbers:
                return numbers[key]
        elif _is_int(value) and value in values:
            return value
        raise _expected(f"one of {choices}", value, path)

    return _Kind(
        fits=lambda value: _is_int(value) and value in values,
        shown=by_number.__getitem__,
        wire=wire,
    )


ID = _Kind(
    fits=lambda value: isinstance(value, str) or _is_int(value),
    shown=str,
    wire=_id_wire,
    integral=True,
)
TEXT = _Kind(fits=lambda value: isinstance(value, str), shown=str, wire=_text_wire)
TIME = _Kind(
    fits=_time_fits,
    shown=_time_shown,
    wire=_time_wire,
    text=_time_text_of,
    integral=True,
)
NUMBER = _Kind(
    fits=is_finite_number,
    shown=lambda value: value,
    wire=_number_wire,
    text=_number_text,
    parse=_number_parse,
)
STATUS = _by_name(STATUS_NAMES)
ENTITY = _by_name(ENTITY_NAMES)


@attrs.frozen
class Field:
    """A field of the JSON shown by name: the model attributes it is at (each a class and
    an attribute, from the record down), and its kind."""

    name: str
    steps: tuple[tuple[type, str], ...]
    kind: _Kind

    def path(self, dialect: Dialect) -> tuple[str, ...]:
        """Its keys in ``dialect``'s JSON."""
        return tuple(dialect.key(cls, attribute) or attribute for cls, attribute in self.steps)


_RATE = (ProgressRecord, "progress_rate")
_OWNER = (ProgressRecord, "owner")

FIELDS: tuple[Field, ...] = (
    Field("progress_id", ((ProgressRecord, "progress_id"),), ID),
    Field("modified", ((ProgressRecord, "modify_time"),), TIME),
    Field("percent", (_RATE, (ProgressRate, "percent")), NUMBER),
    Field("status", (_RATE, (ProgressRate, "status")), STATUS),
    Field("created", ((ProgressRecord, "create_time"),), TIME),
    Field("owner", (_OWNER, (Owner, "user_id")), TEXT),
    Field("owner_type", (_OWNER, (Owner, "owner_type")), TEXT),
    Field("entity_type", ((ProgressRecord, "entity_type"),), ENTITY),
    Field("entity_id", ((ProgressRecord, "entity_id"),), ID),
)
"""The record's fields shown by name, in the order they are written."""

_PATHS = {
    name: tuple((field, field.path(dialect)) for field in FIELDS)
    for name, dialect in DIALECTS.items()
}
"""Each spelling's fields with their keys, worked out once."""

_INTEGRAL = {
    name: frozenset(
        field.name
        for field in FIELDS
        if field.kind.integral and dialect.kinds.get(field.steps[-1]) is None
    )
    for name, dialect in DIALECTS.items()
}
"""Each spelling's fields its JSON may hold as integers (v1 documents its record's id and
time as strings)."""

DIALECT, INTEGERS, EXTRA = "dialect", "integers", "extra"
NAMES: tuple[str, ...] = (*(field.name for field in FIELDS), DIALECT, INTEGERS, EXTRA)
"""Every field name, in order."""


def is_metadata(names: Mapping[str, Any]) -> bool:
    """Do these fields (a front matter, a head's ``okr-*`` metas) name any of a record's?
    (A document's own front matter, a blog's ``title:``, is not a record's.)"""
    return any(name in NAMES for name in names)


# --- record -> fields ------------------------------------------------------------------------


def _peek(wire: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = wire
    for step in path:
        if value.__class__ is not dict or step not in value:
            return MISSING
        value = value[step]
    return value


def _take(wire: dict[str, Any], path: tuple[str, ...]) -> None:
    """Remove the value at ``path`` (which holds one), and the objects on the way that this
    leaves empty. (The dump's own objects: what it shares with the loaded JSON, unknown
    keys' values, is never changed.)"""
    if len(path) == 1:  # (most fields: at the record's top)
        del wire[path[0]]
        return
    *parents, key = path
    chain = [wire]
    for step in parents:
        chain.append(chain[-1][step])
    del chain[-1][key]
    for step, holder in zip(reversed(parents), reversed(chain[:-1]), strict=True):
        if holder[step]:
            break
        del holder[step]


def fields(record: ProgressRecord) -> dict[str, Any]:
    """The record's fields, in order: everything it holds but its content's blocks."""
    dialect = DIALECTS[dialect_of(record)]
    content = record.content
    if content is not None:  # its blocks are not dumped only to be dropped: its keys are below
        record = attrs.evolve(record, content=None)
    wire = dump_record(record)
    out: dict[str, Any] = {}
    integers = []
    integral = _INTEGRAL[dialect.name]
    for field, path in _PATHS[dialect.name]:
        # (_peek, its common case inlined: a key at the record's top)
        value = wire.get(path[0], MISSING) if len(path) == 1 else _peek(wire, path)
        if value is MISSING:
            continue
        kind = field.kind
        if not kind.fits(value):
            continue  # (a value of another type stays in extra)
        if kind.integral and type(value) is int:
            if field.name not in integral:
                continue  # (nor can this spelling hold it as an integer)
            integers.append(field.name)
        _take(wire, path)
        out[field.name] = kind.shown(value)
    if dialect.name != "v1":
        out[DIALECT] = dialect.name
    if integers:
        out[INTEGERS] = integers
    if content is not None and content.extra is not None:  # the content's own keys
        held = {key: value for key, value in content.extra.keys.items() if key != "blocks"}
        if held:
            wire["content"] = held
    if wire:
        out[EXTRA] = json_text(wire) if _deeper_than(wire, MAX_DEPTH) else wire
    return out


MAX_DEPTH = 100
"""How deep ``extra`` may nest as YAML; deeper, it is written as its JSON text (a string),
which PyYAML reads without recursing (it recurses a level at a time, and its limit is near)."""


def _deeper_than(value: Any, depth: int) -> bool:
    """Does ``value`` nest lists and objects deeper than ``depth``? (Without recursion.)"""
    level: list[Any] = [value]
    for _ in range(depth):
        level = [
            item
            for held in level
            for item in (held.values() if isinstance(held, dict) else held)
            if isinstance(item, (dict, list))
        ]
        if not level:
            return False
    return True


# --- fields -> record ------------------------------------------------------------------------


def _json(value: Any, path: str) -> Any:
    """``value`` (as YAML read it) checked to be JSON, and copied."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_json(item, f"{path}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise _expected("a name (a string) as key", key, path)
            out[key] = _json(item, f"{path}.{key}")
        return out
    raise ContentError(f"not JSON: a {type(value).__name__}, {shown(str(value))}", path)


def _extra(value: Any, path: str) -> dict[str, Any]:
    """``extra``: an object, or the JSON text of one (how HTML, and YAML past
    :data:`MAX_DEPTH`, hold it)."""
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            data = json.loads(value)
        except (ValueError, RecursionError) as error:
            raise ContentError(f"not a JSON object: {error}", path) from None
        if not isinstance(data, dict):
            raise _expected("an object", data, path)
        return data
    if not isinstance(value, dict):
        raise _expected("an object", value, path)
    try:
        return _json(value, path)  # type: ignore[no-any-return]
    except RecursionError:
        raise ContentError("nested too deeply", path) from None


def _put(wire: dict[str, Any], field: Field, dialect: Dialect, value: Any, prefix: str) -> None:
    """``value`` at the field's place in ``wire`` (which holds ``extra``)."""
    keys = field.path(dialect)
    holder = wire
    for index, key in enumerate(keys):
        where = f"{prefix}{EXTRA}.{'.'.join(keys[: index + 1])}"
        if index == len(keys) - 1:
            if key in holder:
                raise ContentError(f"given twice: here and as {field.name}", where)
            holder[key] = value
            return
        holder = holder.setdefault(key, {})
        if not isinstance(holder, dict):
            raise _expected(f"an object (it holds {field.name})", holder, where)


def _dialect(value: Any, prefix: str) -> Dialect:
    if value is None:
        return DIALECTS["v1"]
    if isinstance(value, str) and value.strip().lower() in DIALECTS:
        return DIALECTS[value.strip().lower()]
    raise _expected(" or ".join(DIALECTS), value, prefix + DIALECT)


def _integers(value: Any, dialect: Dialect, prefix: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    allowed = _INTEGRAL[dialect.name]
    if not isinstance(value, list) or not all(name in allowed for name in value):
        names = ", ".join(field.name for field in FIELDS if field.name in allowed)
        raise _expected(f"a list of fields of {names}", value, prefix + INTEGERS)
    return frozenset(value)


def record(
    values: Mapping[str, Any], content: Content, *, prefix: str = FRONT_MATTER
) -> ProgressRecord:
    """The record that ``values`` (as :func:`fields` gives them, or as a person wrote them)
    and ``content`` make. Anything that is not a record's metadata is a
    :class:`~okrcontent.ContentError` naming the field: ``prefix`` and its name. An absent
    field and a field of ``null`` are the same."""
    for name in values:
        if name not in NAMES:
            raise ContentError(
                f"not a field of a record (fields: {', '.join(NAMES)})", prefix + name
            )
    dialect = _dialect(values.get(DIALECT), prefix)
    integers = _integers(values.get(INTEGERS), dialect, prefix)
    wire = _extra(values.get(EXTRA), prefix + EXTRA)
    for field in FIELDS:
        value = values.get(field.name)
        if value is not None:
            path = prefix + field.name
            _put(wire, field, dialect, field.kind.wire(value, field.name in integers, path), prefix)
    held = wire.pop("content", {})  # the content object's own keys, beside its blocks
    if not isinstance(held, dict):
        raise _expected("an object", held, f"{prefix}{EXTRA}.content")
    if "blocks" in held:
        raise ContentError("the document's body is the content", f"{prefix}{EXTRA}.content.blocks")
    try:
        result: ProgressRecord = CONVERTERS[dialect.name].structure(wire, ProgressRecord)
    except ContentError as error:  # (the fields are checked: only extra can be at fault)
        raise ContentError(error.reason, f"{prefix}{EXTRA}.{error.path}".rstrip(".")) from None
    # The body as the content, with the keys the codec would have kept (and the spelling it
    # would have stamped): what loading the whole JSON gives, without writing and reading
    # the blocks once more.
    keys = {key: value for key, value in held.items() if value is not None}
    spelling = None if dialect.name == "v1" else dialect.name
    extra = Extra(keys, dialect=spelling) if keys or spelling else None
    return attrs.evolve(result, content=Content(content.blocks, extra=extra))


def normalize_record(record: ProgressRecord) -> ProgressRecord:
    """The record as every format gives it back: its content normalized
    (:func:`okrcontent.normalize`), the content's unknown keys kept (they are metadata)."""
    content = record.content
    keys = content.extra.keys if content is not None and content.extra is not None else {}
    blocks = normalize(record)
    return attrs.evolve(
        record, content=Content(blocks.blocks, extra=Extra(keys)) if keys else blocks
    )


# --- fields as text (HTML attributes) --------------------------------------------------------


def _names_text(value: Any) -> str:
    return " ".join(value)


def _extra_text(value: Any) -> str:
    return value if isinstance(value, str) else json_text(value, separators=(",", ":"))


_TEXTS: dict[str, tuple[Callable[[Any], str], Callable[[str], Any]]] = {
    **{field.name: (field.kind.text, field.kind.parse) for field in FIELDS},
    DIALECT: (str, str),
    INTEGERS: (_names_text, str.split),
    EXTRA: (_extra_text, str),  # (JSON text, which record() reads)
}
"""Field -> how its value is written as text, and read back."""


def texts(values: Mapping[str, Any]) -> dict[str, str]:
    """Fields (as :func:`fields` gives them) as text, for HTML attributes."""
    return {name: _TEXTS[name][0](value) for name, value in values.items()}


def from_texts(texts: Mapping[str, str]) -> dict[str, Any]:
    """Fields read from text, for :func:`record` (a name it does not know is kept, for
    :func:`record` to refuse)."""
    return {name: _TEXTS[name][1](text) if name in _TEXTS else text for name, text in texts.items()}
