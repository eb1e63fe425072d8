"""The JSON wire format <-> the model, through one cattrs converter.

Everything about the wire lives here: camelCase names (:data:`RENAMES`), the tagged
unions ``{"type": "textRun", "textRun": {...}}`` (:data:`BLOCK_TYPES`,
:data:`ELEMENT_TYPES`), unknown keys and types (kept in each node's ``extra`` or as
``Unknown*`` nodes), and the paths in error messages.

Loading is **strict about values and tolerant about shape**: a value the format cannot mean
(a colour channel of 300, a string where a number belongs, a ``type`` without its payload,
malformed JSON) raises :class:`~okrcontent.ContentError` naming the field's path; a missing
field, an explicit ``null``, an undocumented key or an unknown block or element type is
accepted and kept, so that ``dump(load(x)) == x`` up to explicit nulls.

Why the hooks are generated here rather than by ``cattrs.gen``: cattrs has no way to keep
unknown keys, and its error paths name Python attributes, not wire keys. So a hook factory,
registered on the converter, writes one small function per class from the class's fields
(the same technique as ``cattrs.gen``): each wire key is read once, checked inline against
the bounds the model declares, and the node's slots are filled directly, since every value
was already checked (the constructor's validators would check it twice). Small immutable
nodes that repeat (colours, styles, list styles) are interned, which is most of what makes
loading fast; they are built by their constructor, once per distinct value.
"""

from __future__ import annotations

import enum
import json
import linecache
import math
import sys
import types
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, Union, cast, get_args, get_origin

import attrs
import cattrs

from .errors import ContentError
from .model import (
    BOUNDS,
    Block,
    Color,
    Content,
    DocsLink,
    Element,
    Extra,
    Gallery,
    Image,
    Link,
    ListStyle,
    Mention,
    Paragraph,
    ParagraphStyle,
    ProgressRecord,
    TextRun,
    TextStyle,
    UnknownBlock,
    UnknownElement,
    is_finite_number,
    shown,
)

__all__ = [
    "BLOCK_TYPES",
    "ELEMENT_TYPES",
    "RENAMES",
    "converter",
    "dump_content",
    "dump_record",
    "load_content",
    "load_record",
]

RENAMES: dict[type, dict[str, str]] = {
    TextStyle: {
        "strikethrough": "strikeThrough",
        "text_color": "textColor",
        "back_color": "backColor",
    },
    ListStyle: {"kind": "type", "indent_level": "indentLevel"},
    Mention: {"open_id": "openId", "user_id": "userId"},
    Image: {"file_token": "fileToken"},
    Gallery: {"images": "imageList"},
}
"""Model attribute -> wire key, where they differ."""

BLOCK_TYPES: dict[str, type[Paragraph | Gallery]] = {"paragraph": Paragraph, "gallery": Gallery}
"""Wire ``type`` of a block -> model class; the payload sits under the same key."""

ELEMENT_TYPES: dict[str, type[TextRun | DocsLink | Mention]] = {
    "textRun": TextRun,
    "docsLink": DocsLink,
    "person": Mention,
}
"""Wire ``type`` of a paragraph element -> model class."""

INTERNED: frozenset[type] = frozenset({Color, Link, TextStyle, ListStyle, ParagraphStyle})
"""Immutable nodes that repeat across records; loading shares one instance per value."""

_INTERN_LIMIT = 4096  # entries per class before the cache starts over (hostile input)
_MAX_FLOAT = sys.float_info.max

T = TypeVar("T")
Hook = Callable[..., Any]
"""A cattrs hook: ``hook(value)`` (cattrs also passes the type, which these ignore)."""


# --- messages ------------------------------------------------------------------------------


_JSON_NAMES = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}


def _expected(what: str, value: Any, path: str = "") -> ContentError:
    got = _JSON_NAMES.get(type(value), "a number" if type(value) in (int, float) else None)
    return ContentError(f"expected {what}, got {got or type(value).__name__} {shown(value)}", path)


def _bad_number(value: Any, bounds: tuple[float, float, bool], path: str) -> ContentError:
    low, high, integral = bounds
    if integral:
        if type(value) is not int:
            return _expected("an integer", value, path)
    elif not is_finite_number(value):
        return _expected("a finite number", value, path)
    return ContentError(f"{shown(value)} is not in {_bound(low)}..{_bound(high)}", path)


def _bound(x: float) -> str:
    return str(int(x)) if math.isfinite(x) and x == int(x) else str(x)


# --- field kinds: how one attribute is read from and written to the wire -------------------


@attrs.frozen
class _Field:
    """One attribute of a model class, with what the generator needs to know of it."""

    name: str
    key: str
    kind: str  # a key of _LOADERS
    default: Any  # attrs.NOTHING when required
    arg: Any = None  # bounds, enum class or hook, by kind


def _load_bounded(f: _Field, v: str, ns: dict[str, Any]) -> list[str]:
    low, high, integral = f.arg
    ns[f"b_{f.name}"] = f.arg
    low, high = repr(max(low, -_MAX_FLOAT)), repr(min(high, _MAX_FLOAT))  # literals: faster
    bad_type = f"{v}.__class__ is not int"
    if not integral:
        bad_type = f"({bad_type} and {v}.__class__ is not float)"
    return [
        f"if {bad_type} or not ({low} <= {v} <= {high}):",
        f"    raise _bad_number({v}, b_{f.name}, {f.key!r})",
    ]


def _load_plain(what: str, cls: type) -> Callable[[_Field, str, dict[str, Any]], list[str]]:
    def lines(f: _Field, v: str, ns: dict[str, Any]) -> list[str]:
        ns[f"c_{f.name}"] = cls
        return [
            f"if {v}.__class__ is not c_{f.name}:",
            f"    raise _expected({what!r}, {v}, {f.key!r})",
        ]

    return lines


def _load_digits(f: _Field, v: str, ns: dict[str, Any]) -> list[str]:
    return [
        f"if {v}.__class__ is not str or not ({v}.isascii() and {v}.isdigit()):",
        f"    raise _expected('epoch milliseconds as a string of digits', {v}, {f.key!r})",
    ]


def _load_enum(f: _Field, v: str, ns: dict[str, Any]) -> list[str]:
    ns[f"m_{f.name}"] = {member.value: member for member in f.arg}
    ns[f"c_{f.name}"] = type(next(iter(f.arg)).value)
    choices = ", ".join(str(member.value) for member in f.arg)
    return [
        f"e_ = m_{f.name}.get({v}) if {v}.__class__ is c_{f.name} else None",
        "if e_ is None:",
        f"    raise _expected({'one of ' + choices!r}, {v}, {f.key!r})",
        f"{v} = e_",
    ]


def _load_node(f: _Field, v: str, ns: dict[str, Any]) -> list[str]:
    ns[f"h_{f.name}"] = f.arg
    call = [
        "try:",
        f"    {v} = h_{f.name}({v})",
        "except ContentError as e:",
        f"    raise e.within({f.key!r}) from None",
    ]
    empty = getattr(f.arg, "empty", None)
    if empty is None:
        return call
    ns[f"e_{f.name}"] = empty  # {} is common (styles): no call for it
    return [f"if {v}.__class__ is dict and not {v}:", f"    {v} = e_{f.name}", "else:"] + [
        "    " + line for line in call
    ]


_LOADERS: dict[str, Callable[[_Field, str, dict[str, Any]], list[str]]] = {
    "bounded": _load_bounded,
    "str": _load_plain("a string", str),
    "bool": _load_plain("true or false", bool),
    "digits": _load_digits,
    "enum": _load_enum,
    "node": _load_node,
}
"""Field kind -> the lines that check (and convert) a present value ``v`` in place."""

_DUMPERS: dict[str, str] = {
    "bounded": "{v}",
    "str": "{v}",
    "bool": "{v}",
    "digits": "{v}",
    "enum": "{v}.value",
    "node": "h_{name}({v})",
}
"""Field kind -> the expression that writes a present value ``v`` back to JSON."""


def _optional_base(tp: Any) -> Any:
    """``X | None`` -> ``X``."""
    if get_origin(tp) in (Union, types.UnionType):
        args = [arg for arg in get_args(tp) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _fields_of(cls: type, hooks: Hook) -> list[_Field]:
    attrs.resolve_types(cls)
    renames = RENAMES.get(cls, {})
    result = []
    for a in attrs.fields(cls):
        if a.name == "extra":
            continue
        tp = _optional_base(a.type)
        arg: Any = None
        if BOUNDS in a.metadata:
            kind, arg = "bounded", a.metadata[BOUNDS]
        elif a.name == "modify_time":
            kind = "digits"
        elif tp in (str, bool):
            kind = tp.__name__
        elif isinstance(tp, type) and issubclass(tp, enum.Enum):
            kind, arg = "enum", tp
        elif get_origin(tp) is tuple or attrs.has(tp):
            kind, arg = "node", hooks(tp)
        else:  # pragma: no cover - a model change the codec was not taught
            raise TypeError(f"codec: no wire kind for {cls.__name__}.{a.name}: {tp!r}")
        result.append(_Field(a.name, renames.get(a.name, a.name), kind, a.default, arg))
    return result


# --- generated hooks ------------------------------------------------------------------------


def _compile(name: str, cls: type, lines: list[str], ns: dict[str, Any]) -> Callable[..., Any]:
    source = "\n".join(lines) + "\n"
    filename = f"<okrcontent codec {name} {cls.__qualname__}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), ns)  # noqa: S102 - source built from the model
    return ns[name]  # type: ignore[no-any-return]


def _extra_from(
    d: dict[str, Any], known: frozenset[str], omitted: tuple[str, ...], outer: dict[str, Any] | None
) -> Extra | None:
    keys = {k: v for k, v in d.items() if k not in known and v is not None}
    if not (keys or omitted or outer):
        return None
    return Extra(keys, outer or {}, frozenset(omitted))


def _make_structure(cls: type[T], hooks: Hook) -> Callable[..., T]:
    fields = _fields_of(cls, hooks)
    ns: dict[str, Any] = {
        "ContentError": ContentError,
        "_bad_number": _bad_number,
        "_expected": _expected,
        "_extra_from": _extra_from,
        "_new": object.__new__,
        "_cls": cls,
        "_known": frozenset(f.key for f in fields),
        "_cache": {},
        "_limit": _INTERN_LIMIT,
    }
    lines = [
        "def structure(d, _=None, outer=None):",
        "    if d.__class__ is not dict:",
        "        raise _expected('an object', d)",
    ]
    empty = cls() if all(f.default is None for f in fields) else None
    if empty is not None:  # {} (common for styles) is one shared node
        ns["_empty"] = empty
        lines += ["    if not d and outer is None:", "        return _empty"]
    tracked = any(f.default not in (None, attrs.NOTHING) for f in fields)
    lines += ["    n = 0", "    om = ()" if tracked else "    om = None"]
    for f in fields:
        v = f"v_{f.name}"
        lines += [f"    {v} = d.get({f.key!r})", f"    if {v} is not None:", "        n += 1"]
        lines += ["        " + line for line in _LOADERS[f.kind](f, v, ns)]
        if f.default is attrs.NOTHING:
            lines += ["    else:", f"        raise ContentError('missing', {f.key!r})"]
        elif f.default is not None:  # "" or (): remember that the key was absent
            ns[f"d_{f.name}"] = f.default
            lines += ["    else:", f"        {v} = d_{f.name}", f"        om += ({f.key!r},)"]
    lines += [
        "    if om or outer or n != len(d):",
        "        extra = _extra_from(d, _known, om or (), outer)",
        "    else:",
        "        extra = None",
    ]
    values = ", ".join(f"v_{f.name}" for f in fields)
    if cls in INTERNED:
        lines += [
            "    if extra is None:",
            f"        key = ({values},)",
            "        o = _cache.get(key)",
            "        if o is not None:",
            "            return o",
        ]
    if cls in INTERNED:  # built rarely (once per distinct value): the constructor will do
        args = ", ".join([f"v_{f.name}" for f in fields] + ["extra=extra"])
        lines += [
            f"    o = _cls({args})",
            "    if extra is None:",
            "        if len(_cache) >= _limit:",
            "            _cache.clear()",
            "        _cache[key] = o",
        ]
    else:
        lines.append("    o = _new(_cls)")
        for name in [f.name for f in fields] + ["extra"]:
            ns[f"s_{name}"] = getattr(cls, name).__set__  # the slot's own setter
            lines.append(f"    s_{name}(o, {'extra' if name == 'extra' else 'v_' + name})")
    lines.append("    return o")
    structure = _compile("structure", cls, lines, ns)
    structure.empty = empty  # type: ignore[attr-defined]  # read by _load_node in parents
    return structure


def _make_unstructure(cls: type, hooks: Hook) -> Callable[[Any], dict[str, Any]]:
    fields = _fields_of(cls, hooks)
    ns: dict[str, Any] = {}
    lines = [
        "def unstructure(o):",
        "    d = {}",
        "    e = o.extra",
        "    om = e.omitted if e is not None else ()",
    ]
    for f in fields:
        if f.kind == "node":
            ns[f"h_{f.name}"] = f.arg
        value = _DUMPERS[f.kind].format(v="v", name=f.name)
        lines.append(f"    v = o.{f.name}")
        if f.default is None:
            lines.append("    if v is not None:")
        elif f.default is attrs.NOTHING:
            lines.append("    if True:")
        else:
            lines.append(f"    if v or {f.key!r} not in om:")
        lines.append(f"        d[{f.key!r}] = {value}")
    lines += ["    if e is not None and e.keys:", "        d.update(e.keys)", "    return d"]
    return _compile("unstructure", cls, lines, ns)


# --- lists and the tagged unions ------------------------------------------------------------


def _find_bad_item(value: list[Any], item: Hook) -> ContentError:
    """The error of the first bad item, with its index: the slow path after a failure."""
    for index, element in enumerate(value):
        try:
            item(element)
        except ContentError as error:
            return error.within(index)
    raise AssertionError("a list hook failed but none of its items does")  # pragma: no cover


def _make_list_structure(item: Hook) -> Hook:
    """A JSON list -> a tuple, item by item."""

    def structure(value: Any, _: Any = None) -> tuple[Any, ...]:
        if value.__class__ is not list:
            raise _expected("a list", value)
        try:
            return tuple([item(x) for x in value])
        except ContentError:
            raise _find_bad_item(value, item) from None

    return structure


def _make_list_unstructure(item: Hook) -> Callable[[tuple[Any, ...]], list[Any]]:
    def unstructure(value: tuple[Any, ...]) -> list[Any]:
        return [item(x) for x in value]

    return unstructure


def _make_union_structure(
    table: Mapping[str, type], unknown: type[UnknownBlock | UnknownElement], hooks: Hook
) -> Callable[..., Any]:
    loaders = {name: hooks(cls) for name, cls in table.items()}

    def structure(d: Any, _: Any = None) -> Any:
        if d.__class__ is not dict:
            raise _expected("an object", d)
        tag = d.get("type")
        if tag.__class__ is not str:
            raise (
                ContentError("missing", "type")
                if tag is None
                else _expected("a string", tag, "type")
            )
        load = loaders.get(tag)
        if load is None:
            return unknown(tag, d)
        payload = d.get(tag)
        if payload is None:
            raise ContentError(f"missing (the type is {tag!r})", tag)
        outer = None
        if len(d) != 2:  # keys beside "type" and the payload
            outer = {k: v for k, v in d.items() if k != "type" and k != tag and v is not None}
        try:
            return load(payload, None, outer or None)
        except ContentError as error:
            raise error.within(tag) from None

    return structure


def _make_union_list_structure(table: Mapping[str, type], union: Any, hooks: Hook) -> Hook:
    """The list of a tagged union, with the common case (``{"type": t, t: {...}}`` of a
    known ``t``) dispatched inline: lists of elements are the bulk of every record."""
    loaders = {name: hooks(cls) for name, cls in table.items()}
    item = hooks(union)

    def structure(value: Any, _: Any = None) -> tuple[Any, ...]:
        if value.__class__ is not list:
            raise _expected("a list", value)
        out = []
        try:
            for d in value:
                if d.__class__ is dict and len(d) == 2:
                    tag = d.get("type")
                    load = loaders.get(tag) if tag.__class__ is str else None
                    if load is not None:
                        payload = d.get(tag)
                        if payload is not None:
                            out.append(load(payload))
                            continue
                out.append(item(d))
        except ContentError:
            raise _find_bad_item(value, item) from None
        return tuple(out)

    return structure


def _make_union_unstructure(
    table: Mapping[str, type], hooks: Hook
) -> Callable[[Any], dict[str, Any]]:
    dumpers = {cls: (name, hooks(cls)) for name, cls in table.items()}

    def unstructure(node: Any) -> dict[str, Any]:
        entry = dumpers.get(type(node))
        if entry is None:  # an Unknown* node: its data is the whole wire object
            return dict(node.data)
        name, dump = entry
        wire = {"type": name, name: dump(node)}
        if node.extra is not None and node.extra.outer:
            wire.update(node.extra.outer)
        return wire

    return unstructure


UNIONS: dict[Any, tuple[Mapping[str, type], type[UnknownBlock | UnknownElement]]] = {
    Block: (BLOCK_TYPES, UnknownBlock),
    Element: (ELEMENT_TYPES, UnknownElement),
}
"""Each tagged union of the model: its type table and the node that keeps unknown types."""


def _is_tuple(tp: Any) -> bool:
    return get_origin(tp) is tuple


def _is(expected: Any) -> Callable[[Any], bool]:
    return lambda tp: tp == expected


def _factory(make: Callable[..., Hook], *args: Any) -> Callable[[Any], Hook]:
    """A cattrs hook factory that ignores the type it is asked for."""
    return lambda _: make(*args)


def make_converter() -> cattrs.Converter:
    """A converter that knows the OKR content wire format (the module's :data:`converter`)."""
    conv = cattrs.Converter()
    conv.register_structure_hook_factory(
        attrs.has, lambda cls: _make_structure(cls, conv.get_structure_hook)
    )
    conv.register_unstructure_hook_factory(
        attrs.has, lambda cls: _make_unstructure(cls, conv.get_unstructure_hook)
    )
    # Factories run at first use, when every hook they need is registered.
    for union, (table, unknown) in UNIONS.items():
        conv.register_structure_hook_factory(
            _is(union), _factory(_make_union_structure, table, unknown, conv.get_structure_hook)
        )
        conv.register_unstructure_hook_factory(
            _is(union), _factory(_make_union_unstructure, table, conv.get_unstructure_hook)
        )

    def list_structure(tp: Any) -> Hook:
        item = get_args(tp)[0]
        if item in UNIONS:
            return _make_union_list_structure(UNIONS[item][0], item, conv.get_structure_hook)
        return _make_list_structure(conv.get_structure_hook(item))

    conv.register_structure_hook_factory(_is_tuple, list_structure)
    conv.register_unstructure_hook_factory(
        _is_tuple, lambda tp: _make_list_unstructure(conv.get_unstructure_hook(get_args(tp)[0]))
    )
    return conv


converter = make_converter()
"""The one converter: ``converter.structure(obj, Content)``, ``converter.unstructure(c)``."""

_structure_record = cast(
    Callable[[Any], ProgressRecord], converter.get_structure_hook(ProgressRecord)
)
_structure_content = cast(Callable[[Any], Content], converter.get_structure_hook(Content))
_unstructure_record = converter.get_unstructure_hook(ProgressRecord)
_unstructure_content = converter.get_unstructure_hook(Content)


# --- public functions -----------------------------------------------------------------------


def _parse(obj: Any) -> Any:
    if isinstance(obj, (bytes, bytearray, memoryview)):
        obj = bytes(obj)
    elif isinstance(obj, str):
        obj = obj.removeprefix("\ufeff")
    else:
        return obj
    try:
        return json.loads(obj)
    except RecursionError:
        raise ContentError("invalid JSON: nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError, too many digits
        raise ContentError(f"invalid JSON: {error}") from None


_ENVELOPE_KEYS = ("code", "msg", "data")
_RECORD_KEYS = frozenset({"progress_id", "modify_time", "content", "progress_rate"})


def _unwrap(data: dict[str, Any]) -> tuple[Any, str]:
    """The record inside an API envelope (``{"code", "msg", "data"}``: any two of the three
    keys) and the path step to it; a bare record as it is."""
    if sum(key in data for key in _ENVELOPE_KEYS) < 2:
        return data, ""
    code = data.get("code")
    if code != 0 and code is not None:
        raise ContentError(f"the API answered code {shown(code)}: {shown(data.get('msg'))}", "code")
    if data.get("data") is None:
        raise ContentError("missing (the API answer holds no record)", "data")
    return data["data"], "data"


def load_record(obj: dict[str, Any] | str | bytes) -> ProgressRecord:
    """A progress record from the API's JSON: the envelope ``{"code", "msg", "data"}`` or
    the bare ``data`` object, as a dict or as JSON text (str or bytes).

    Raises :class:`~okrcontent.ContentError` for anything that is not a valid record,
    including an envelope whose ``code`` reports an error (or that holds no ``data``) and
    bare content (``{"blocks": [...]}``, which :func:`load_content` reads).
    """
    data = _parse(obj)
    if data.__class__ is not dict:
        raise _expected("a JSON object", data)
    record, step = _unwrap(data)
    if record.__class__ is dict and "blocks" in record and not _RECORD_KEYS & record.keys():
        raise ContentError("this is content, not a record: use load_content()", step)
    try:
        return _structure_record(record)
    except ContentError as error:
        raise (error.within(step) if step else error) from None


def load_content(obj: dict[str, Any] | str | bytes) -> Content:
    """Content (``{"blocks": [...]}``) as a dict or JSON text (str or bytes)."""
    data = _parse(obj)
    if data.__class__ is not dict:
        raise _expected("a JSON object", data)
    looks_like_record = "progress_id" in data or isinstance(data.get("content"), dict)
    if "blocks" not in data and (looks_like_record or ("code" in data and "data" in data)):
        raise ContentError("this is a progress record, not content: use load_record()")
    return _structure_content(data)


def dump_record(record: ProgressRecord) -> dict[str, Any]:
    """The bare record (``data`` of the envelope) as JSON-ready dicts and lists."""
    return cast(dict[str, Any], _unstructure_record(record))


def dump_content(content: Content) -> dict[str, Any]:
    """Content as JSON-ready dicts and lists (``{"blocks": [...]}``)."""
    return cast(dict[str, Any], _unstructure_content(content))
