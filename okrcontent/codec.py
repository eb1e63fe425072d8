"""The JSON wire format <-> the model: loading and dumping, in both spellings.

Everything about the wire lives in :mod:`okrcontent.dialects` (the two spellings, as tables)
and :mod:`okrcontent.hooks` (the converter's hooks, generated from the model and a table);
this module holds one converter per spelling (:data:`CONVERTERS`, ``converter`` is v1's)
and the public functions: :func:`load_content`, :func:`load_record`, :func:`load_okr` read
a dict or JSON text and tell the spelling from the document itself; :func:`dump_content`,
:func:`dump_record`, :func:`dump_okr` write either spelling (by default the one the
document was loaded from, v1 for content built by hand).

Loading is **strict about values and tolerant about shape**: a value the format cannot mean
(a colour channel of 300, a string where a number belongs, a ``type`` without its payload,
malformed JSON, a document that mixes the spellings) raises :class:`~okrcontent.ContentError`
naming the field's path; a missing field, an explicit ``null``, an undocumented key or an
unknown block or element type is accepted and kept, so that ``dump(load(x)) == x`` up to
explicit nulls (and key order), in each spelling.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar, cast, overload

import cattrs

from .dialects import DIALECTS, V1, V2, Dialect, DialectName
from .errors import ContentError, WrongKindError
from .hooks import ROOTS, expected, make_converter
from .model import Content, ProgressRecord, shown
from .okr import Cycle, KeyResult, Objective, OkrEntity

_fast_decode: Callable[[str | bytes], Any] | None
try:
    from msgspec import MsgspecError as _Refused
    from msgspec.json import Decoder as _Decoder

    _fast_decode = _Decoder().decode
except ImportError:  # pragma: no cover - a platform without msgspec reads with json alone
    _fast_decode = None
    _Refused = ValueError  # type: ignore[misc,assignment]

__all__ = [
    "CONVERTERS",
    "OKR_KINDS",
    "converter",
    "dialect_of",
    "dump_content",
    "dump_okr",
    "dump_record",
    "load_content",
    "load_okr",
    "load_record",
]

CONVERTERS: dict[str, cattrs.Converter] = {name: make_converter(d) for name, d in DIALECTS.items()}
"""One converter per spelling: ``CONVERTERS["v2"].structure(obj, Objective)``."""

converter = CONVERTERS["v1"]
"""The v1 converter: ``converter.structure(obj, Content)``, ``converter.unstructure(c)``."""

E = TypeVar("E", Cycle, Objective, KeyResult, ProgressRecord)
Hook = Callable[..., Any]

_LOAD: dict[tuple[str, type], Hook] = {
    (name, cls): conv.get_structure_hook(cls) for name, conv in CONVERTERS.items() for cls in ROOTS
}
_DUMP: dict[tuple[str, type], Hook] = {
    (name, cls): conv.get_unstructure_hook(cls)
    for name, conv in CONVERTERS.items()
    for cls in ROOTS
}

OKR_KINDS: dict[type, str] = {
    Cycle: "cycle",
    Objective: "objective",
    KeyResult: "key_result",
    ProgressRecord: "progress",
}
"""Each kind of OKR entity, with the key a v2 ``get`` answer puts one under
(``{"data": {"objective": {...}}}``)."""

_MARKERS: tuple[tuple[frozenset[str], type], ...] = (
    (frozenset({"objective_id"}), KeyResult),
    (frozenset({"cycle_id", "notes", "category_id"}), Objective),
    (frozenset({"tenant_cycle_id", "start_time", "end_time", "cycle_status"}), Cycle),
    (
        frozenset({"entity_type", "entity_id", "progress_rate", "progress_id", "modify_time"}),
        ProgressRecord,
    ),
)
"""Keys only one kind of entity has: how :func:`load_okr` tells them apart."""

_NAMES = {Cycle: "a cycle", Objective: "an objective", KeyResult: "a key result"}
_WRAPPED = {OKR_KINDS[kind]: kind for kind in _NAMES}
_PAGE = "a page of a list answer: load each of its items"


# --- reading the text and telling what it is -------------------------------------------------


def _parse(obj: Any) -> Any:
    """JSON text (str or bytes) -> Python values; anything else as it is.

    msgspec's untyped decoder reads the text first: it gives exactly what :func:`json.loads`
    gives (big integers exact, ``1.0`` a float and ``1`` an int, the last of duplicate keys)
    in about two thirds of the time. What it refuses, the json module reads (NaN and Infinity,
    numbers past a float, lone surrogates, byte order marks, UTF-16 and UTF-32), or refuses
    in its own words, so that results and errors are the json module's either way.
    """
    if isinstance(obj, (bytes, bytearray, memoryview)):
        obj = bytes(obj)
    elif isinstance(obj, str):
        obj = obj.removeprefix("\ufeff")
    else:
        return obj
    if _fast_decode is not None:
        try:
            return _fast_decode(obj)
        except (_Refused, ValueError, RecursionError):
            pass
    try:
        return json.loads(obj)
    except RecursionError:
        raise ContentError("invalid JSON: nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError, too many digits
        raise ContentError(f"invalid JSON: {error}") from None


def _object(obj: Any) -> dict[str, Any]:
    data = _parse(obj)
    if data.__class__ is not dict:
        raise expected("a JSON object", data)
    return cast(dict[str, Any], data)


def _unwrap(data: dict[str, Any]) -> tuple[Any, str]:
    """What an API envelope (``{"code", "msg", "data"}``: any two of the three keys, or
    ``data`` alone, holding an object) holds, and the path step to it; a bare object as it
    is. (``{"data": {...}}`` is what ``jq '{data}'`` and an SDK's answer object keep: read
    as a record with one unknown key, it converted to an empty document.)"""
    if "data" in data:
        if "code" not in data and "msg" not in data:
            return (data["data"], "data") if _data_alone(data) else (data, "")
    elif "code" not in data or "msg" not in data:
        return data, ""
    code = data.get("code")
    if code != 0 and code is not None:
        raise ContentError(f"the API answered code {shown(code)}: {shown(data.get('msg'))}", "code")
    if data.get("data") is None:
        raise ContentError("missing (the API answer holds no record)", "data")
    return data["data"], "data"


def _data_alone(data: dict[str, Any]) -> bool:
    """Is ``data`` an answer of its ``data`` alone, an object (see :func:`_unwrap`)?"""
    return len(data) == 1 and data.get("data").__class__ is dict


def _kind_of(data: dict[str, Any]) -> type | None:
    """The kind of OKR entity ``data`` is, by the keys only that kind has."""
    keys = data.keys()
    for markers, kind in _MARKERS:
        if not markers.isdisjoint(keys):
            return kind
    return None


def _content_dialect(data: dict[str, Any]) -> Dialect:
    """The spelling of content: its first tagged block's (v1 when none is tagged)."""
    blocks = data.get("blocks")
    if blocks.__class__ is list:
        for block in blocks:
            if block.__class__ is dict:
                if "type" in block:
                    return V1
                if "block_element_type" in block:
                    return V2
    return V1


def _record_dialect(data: dict[str, Any]) -> Dialect:
    """The spelling of a progress record: its id and time keys, else its rate, else its
    content."""
    if "progress_id" in data or "modify_time" in data:
        return V1
    if "id" in data or "update_time" in data:
        return V2
    rate = data.get("progress_rate")
    if rate.__class__ is dict:
        if "percent" in rate or "status" in rate:
            return V1
        if "progress_percent" in rate or "progress_status" in rate:
            return V2
    content = data.get("content")
    return _content_dialect(content) if content.__class__ is dict else V1


def _load(dialect: Dialect, kind: type, data: Any, step: str) -> Any:
    try:
        return _LOAD[dialect.name, kind](data)
    except ContentError as error:
        raise (error.within(step) if step else error) from None


# --- public functions -----------------------------------------------------------------------


def load_record(obj: dict[str, Any] | str | bytes) -> ProgressRecord:
    """A progress record from the API's JSON, as a dict or as JSON text (str or bytes):
    v1's envelope ``{"code", "msg", "data"}`` or its bare ``data``, or an item of a v2
    progress list. The spelling is told from the record (:func:`dialect_of` gives it back).

    Raises :class:`~okrcontent.ContentError` for anything that is not a valid record,
    including an envelope whose ``code`` reports an error (or that holds no ``data``), bare
    content (``{"blocks": [...]}``, which :func:`load_content` reads) and another OKR entity
    (which :func:`load_okr` reads).
    """
    record, step = _unwrap(_object(obj))
    if record.__class__ is dict:
        dialect = _record_dialect(record)
        if "progress_id" not in record:  # then it may be something else
            kind = _kind_of(record)
            if kind is None and "blocks" in record:
                raise WrongKindError(
                    "this is content, not a record: use load_content()", step, "content"
                )
            if kind is None and record.get("items").__class__ is list:
                raise WrongKindError(_PAGE, step, "page")
            if kind is None and len(record) == 1:  # a get answer: {"objective": {...}}
                kind = _WRAPPED.get(next(iter(record)))
            if kind in _NAMES:
                raise WrongKindError(
                    f"this is {_NAMES[kind]}, not a record: use load_okr()", step, OKR_KINDS[kind]
                )
    else:
        dialect = V1
    return cast(ProgressRecord, _load(dialect, ProgressRecord, record, step))


def load_content(obj: dict[str, Any] | str | bytes) -> Content:
    """Content (``{"blocks": [...]}``) as a dict or JSON text (str or bytes), in either
    spelling (told from its blocks)."""
    data, step = _object(obj), ""
    if "blocks" not in data and _data_alone(data):
        data, step = data["data"], "data"
    if "blocks" not in data:
        kind = _kind_of(data) or (ProgressRecord if "data" in data and "code" in data else None)
        if kind is ProgressRecord or (kind is None and data.get("content").__class__ is dict):
            raise WrongKindError(
                "this is a progress record, not content: use load_record()", step, "record"
            )
        if kind is not None:
            raise WrongKindError(
                f"this is {_NAMES[kind]}, not content: use load_okr()", step, OKR_KINDS[kind]
            )
    return cast(Content, _load(_content_dialect(data), Content, data, step))


@overload
def load_okr(obj: dict[str, Any] | str | bytes, kind: type[E]) -> E: ...
@overload
def load_okr(obj: dict[str, Any] | str | bytes, kind: None = None) -> OkrEntity: ...
def load_okr(obj: dict[str, Any] | str | bytes, kind: type[E] | None = None) -> OkrEntity:
    """An OKR entity as the v2 API answers it: a :class:`~okrcontent.okr.Cycle`,
    :class:`~okrcontent.okr.Objective`, :class:`~okrcontent.okr.KeyResult` or progress record,
    bare (an item of a list answer, a line of an archive) or in the envelope of a ``get``
    answer (``{"code": 0, "data": {"objective": {...}}}``).

    ``kind`` is the class to read; without it, the kind is told from the keys only that kind
    has (``objective_id``: a key result, ``cycle_id``: an objective, ...). A progress record
    may also be v1's (:func:`load_record`).
    """
    data, step = _unwrap(_object(obj))
    if data.__class__ is dict and len(data) == 1:  # a get answer: {"objective": {...}}
        ((key, inner),) = data.items()
        if (
            inner.__class__ is dict
            and key in OKR_KINDS.values()
            and (kind is None or OKR_KINDS[kind] == key)
        ):
            data, step = inner, f"{step}.{key}" if step else key
            kind = kind or next(k for k, name in OKR_KINDS.items() if name == key)
    if data.__class__ is dict and kind is None:
        if data.get("items").__class__ is list:
            raise ContentError(_PAGE, step)
        kind = _kind_of(data)
        if kind is None:
            raise ContentError(
                "cannot tell which OKR entity this is (no key only one kind has): pass kind=", step
            )
    dialect = _record_dialect(data) if kind is ProgressRecord and data.__class__ is dict else V2
    return cast(OkrEntity, _load(dialect, kind or ProgressRecord, data, step))


def dialect_of(node: Content | OkrEntity) -> DialectName:
    """The spelling ``node`` was loaded from (v1 for what was built by hand)."""
    extra = node.extra
    if extra is not None and extra.dialect is not None:
        return cast(DialectName, extra.dialect)
    return "v2" if isinstance(node, (Cycle, Objective, KeyResult)) else "v1"


def _dump(node: Any, kind: type, dialect: DialectName | None, for_write: bool) -> dict[str, Any]:
    name = dialect or dialect_of(node)
    if name not in DIALECTS:
        raise ValueError(f"dialect must be one of {', '.join(DIALECTS)}, not {name!r}")
    data = cast(dict[str, Any], _DUMP[name, kind](node))
    if not for_write:
        return data
    try:
        return cast(dict[str, Any], _without_empty(data))
    except RecursionError:  # unknown data nested deeper than Python recurses
        raise ContentError("nested too deeply to write") from None


def _without_empty(value: Any) -> Any:
    """``value`` without empty objects (``"style": {}``), which v2 write calls refuse
    (error 9499): a key whose object is or becomes empty is left out."""
    if value.__class__ is dict:
        out = {}
        for key, item in value.items():
            item = _without_empty(item)
            if item.__class__ is not dict or item:
                out[key] = item
        return out
    if value.__class__ is list:
        return [_without_empty(item) for item in value]
    return value


def dump_record(
    record: ProgressRecord, dialect: DialectName | None = None, *, for_write: bool = False
) -> dict[str, Any]:
    """The bare record (``data`` of a v1 envelope, an item of a v2 list) as JSON-ready dicts
    and lists, spelled ``dialect`` (by default, as it was loaded). ``for_write`` leaves out
    empty objects, for a request body."""
    return _dump(record, ProgressRecord, dialect, for_write)


def dump_content(
    content: Content, dialect: DialectName | None = None, *, for_write: bool = False
) -> dict[str, Any]:
    """Content as JSON-ready dicts and lists (``{"blocks": [...]}``), spelled ``dialect``
    (by default, as it was loaded; v1 for content built by hand). ``for_write`` leaves out
    empty objects, which v2 write calls refuse."""
    return _dump(content, Content, dialect, for_write)


def dump_okr(
    entity: OkrEntity, dialect: DialectName | None = None, *, for_write: bool = False
) -> dict[str, Any]:
    """An OKR entity as the v2 API spells it (a progress record: as :func:`dump_record`;
    cycles, objectives and key results have only the v2 spelling)."""
    if isinstance(entity, ProgressRecord):
        return dump_record(entity, dialect, for_write=for_write)
    if dialect not in (None, "v2"):
        raise ValueError(f"{type(entity).__name__} has only the v2 spelling, not {dialect!r}")
    return _dump(entity, type(entity), "v2", for_write)
