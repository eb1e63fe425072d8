"""The cattrs hooks of the codec, generated from the model and a :class:`Dialect` table.

Why the hooks are generated here rather than by ``cattrs.gen``: cattrs has no way to keep
unknown keys, and its error paths name Python attributes, not wire keys. So a hook factory,
registered on the converter, writes one small function per class from the class's fields
(the same technique as ``cattrs.gen``): each wire key is read once, checked inline against
the bounds the model declares, and the node's slots are filled directly, since every value
was already checked (the constructor's validators would check it twice). Small immutable
nodes that repeat (colours, styles, list styles, owners) are interned, which is most of
what makes loading fast; a miss costs little more than a hit (nodes are built slot by slot,
interned ones too), so that content with more distinct styles than the cache holds
(:data:`_INTERN_LIMIT` a class) loads at nearly the same speed per run.

Everything a spelling changes comes from its :class:`~okrcontent.dialects.Dialect`: the wire
key of each attribute, the tag and payload keys of the tagged unions, the kind of a field
where the spelling is stricter than the model, and level offsets. A key that is the other
spelling's name for one of a class's fields is a mixed document and an error naming it;
that check costs nothing on the common path (it runs only where unknown keys are found).
"""

from __future__ import annotations

import enum
import linecache
import math
import sys
import types
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs
import cattrs

from . import wirevalues
from .dialects import DIALECTS, V1, Dialect, UnionSpelling
from .errors import ContentError
from .model import (
    BOUNDS,
    KIND,
    Color,
    Content,
    Extra,
    Link,
    ListStyle,
    Owner,
    ParagraphStyle,
    ProgressRecord,
    TextStyle,
    is_finite_number,
    shown,
)
from .okr import Cycle, KeyResult, Objective

__all__ = ["INTERNED", "ROOTS", "expected", "make_converter"]

INTERNED: frozenset[type] = frozenset({Color, Link, TextStyle, ListStyle, ParagraphStyle, Owner})
"""Immutable nodes that repeat across records; loading shares one instance per value."""

ROOTS: frozenset[type] = frozenset({Content, ProgressRecord, Cycle, Objective, KeyResult})
"""Where a document can start: these remember the spelling they were loaded from."""

_INTERN_LIMIT = 4096  # entries per class before the cache starts over (hostile input)
_HASH_SLOT = "_attrs_cached_hash"  # attrs' slot for cache_hash=True, set to None by __init__
_MAX_FLOAT = sys.float_info.max
_ID_BITS = 64  # ids and times as JSON integers: the API's int64 (and uint64)

T = TypeVar("T")
Hook = Callable[..., Any]
"""A cattrs hook: ``hook(value)`` (cattrs also passes the type, which these ignore)."""


# --- messages ------------------------------------------------------------------------------

_JSON_NAMES = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}


def expected(what: str, value: Any, path: str = "") -> ContentError:
    """``expected <what>, got <the JSON type> <value>`` at ``path``."""
    got = _JSON_NAMES.get(type(value), "a number" if type(value) in (int, float) else None)
    return ContentError(f"expected {what}, got {got or type(value).__name__} {shown(value)}", path)


def _bad_number(value: Any, bounds: tuple[float, float, bool], path: str) -> ContentError:
    low, high, integral = bounds
    if integral:
        if type(value) is not int:
            return expected("an integer", value, path)
    elif not is_finite_number(value):
        return expected("a finite number", value, path)
    return ContentError(f"{shown(value)} is not in {_bound(low)}..{_bound(high)}", path)


def _bound(x: float) -> str:
    return str(int(x)) if math.isfinite(x) and x == int(x) else str(x)


def _digits(value: int, what: str, key: str) -> str:
    """An id or time sent as a JSON integer, as the string the model holds."""
    if value.bit_length() > _ID_BITS:
        raise expected(what, value, key)
    return str(value)


def _mixed(key: str, found_in: Mapping[str, tuple[str, str]], dialect: str) -> ContentError:
    other, ours = found_in[key]
    return ContentError(f"spelled {other} in a {dialect} document ({dialect}: {ours})", key)


# --- field kinds: how one attribute is read from and written to the wire -------------------


@attrs.frozen
class _Field:
    """One attribute of a model class, with what the generator needs to know of it."""

    name: str
    key: str | None  # None: this spelling has no key for it
    kind: str  # a key of _LOADERS
    default: Any  # attrs.NOTHING when required
    arg: Any = None  # bounds, enum class or hook, by kind
    offset: int = 0  # model value = wire value + offset


def _load_bounded(f: _Field, v: str, ns: dict[str, Any]) -> list[str]:
    low, high, integral = f.arg
    low, high = low - f.offset, high - f.offset  # the wire's range
    ns[f"b_{f.name}"] = (low, high, integral)
    low, high = repr(max(low, -_MAX_FLOAT)), repr(min(high, _MAX_FLOAT))  # literals: faster
    bad_type = f"{v}.__class__ is not int"
    if not integral:
        bad_type = f"({bad_type} and {v}.__class__ is not float)"
    lines = [
        f"if {bad_type} or not ({low} <= {v} <= {high}):",
        f"    raise _bad_number({v}, b_{f.name}, {f.key!r})",
    ]
    return lines + ([f"{v} += {f.offset}"] if f.offset else [])


def _load_plain(what: str, cls: type) -> Callable[[_Field, str, dict[str, Any]], list[str]]:
    def lines(f: _Field, v: str, ns: dict[str, Any]) -> list[str]:
        ns[f"c_{f.name}"] = cls
        return [
            f"if {v}.__class__ is not c_{f.name}:",
            f"    raise _expected({what!r}, {v}, {f.key!r})",
        ]

    return lines


_DIGITS = "epoch milliseconds as a string of digits"
_TIME = "epoch milliseconds (digits or an integer)"
_ID = "an id (a string or an integer)"


def _load_digits(f: _Field, v: str, ns: dict[str, Any]) -> list[str]:
    return [
        f"if {v}.__class__ is not str or not ({v}.isascii() and {v}.isdigit()):",
        f"    raise _expected({_DIGITS!r}, {v}, {f.key!r})",
    ]


def _load_number_or(what: str, text_ok: str) -> Callable[[_Field, str, dict[str, Any]], list[str]]:
    """An id or time: a string (``text_ok`` says which) or a JSON integer, held as a
    string; the key is remembered in ``nm`` so that the dump gives an integer back."""

    def lines(f: _Field, v: str, ns: dict[str, Any]) -> list[str]:
        return [
            f"if {v}.__class__ is int:",
            f"    {v} = _digits({v}, {what!r}, {f.key!r})",
            f"    nm += ({f.name!r},)",
            f"elif {v}.__class__ is not str or not ({text_ok.format(v=v)}):",
            f"    raise _expected({what!r}, {v}, {f.key!r})",
        ]

    return lines


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
    "time": _load_number_or(_TIME, "{v}.isascii() and {v}.isdigit()"),
    "id": _load_number_or(_ID, "True"),
    "enum": _load_enum,
    "node": _load_node,
}
"""Field kind -> the lines that check (and convert) a present value ``v`` in place."""

_AS_SENT = "(int({v}) if {name!r} in nm else {v})"
_DUMPERS: dict[str, str] = {
    "bounded": "{v}",
    "str": "{v}",
    "bool": "{v}",
    "digits": "{v}",
    "time": _AS_SENT,
    "id": _AS_SENT,
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


def _fields_of(cls: type, hooks: Hook, dialect: Dialect) -> list[_Field]:
    attrs.resolve_types(cls)
    result = []
    for a in attrs.fields(cls):
        if a.name == "extra":
            continue
        tp = _optional_base(a.type)
        arg: Any = None
        kind = dialect.kinds.get((cls, a.name))
        if kind is not None:
            pass
        elif BOUNDS in a.metadata:
            kind, arg = "bounded", a.metadata[BOUNDS]
        elif KIND in a.metadata:
            kind = a.metadata[KIND]
        elif tp in (str, bool):
            kind = tp.__name__
        elif isinstance(tp, type) and issubclass(tp, enum.Enum):
            kind, arg = "enum", tp
        elif get_origin(tp) is tuple or attrs.has(tp):
            kind, arg = "node", hooks(tp)
        else:  # pragma: no cover - a model change the codec was not taught
            raise TypeError(f"codec: no wire kind for {cls.__name__}.{a.name}: {tp!r}")
        offset = dialect.offsets.get((cls, a.name), 0)
        result.append(_Field(a.name, dialect.key(cls, a.name), kind, a.default, arg, offset))
    return result


def _other_spellings(
    cls: type, dialect: Dialect, known: frozenset[str]
) -> dict[str, tuple[str, str]]:
    """Wire key of another spelling -> (that spelling, this one's key), for ``cls``."""
    found: dict[str, tuple[str, str]] = {}
    for other in DIALECTS.values():
        if other is dialect:
            continue
        for a in attrs.fields(cls):
            theirs, ours = other.key(cls, a.name), dialect.key(cls, a.name)
            if a.name != "extra" and theirs is not None and theirs not in known:
                found[theirs] = (other.name, ours or f"no key for {a.name}")
    return found


# --- generated hooks ------------------------------------------------------------------------


def _compile(name: str, of: str, lines: list[str], ns: dict[str, Any]) -> Callable[..., Any]:
    """Function ``name`` from ``lines``, its source kept for tracebacks under ``of``."""
    source = "\n".join(lines) + "\n"
    filename = f"<okrcontent codec {name} {of}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), ns)  # noqa: S102 - source built from the model
    return ns[name]  # type: ignore[no-any-return]


def _make_extra_from(
    known: frozenset[str], foreign: Mapping[str, tuple[str, str]], dialect: Dialect, stamp: bool
) -> Callable[..., Extra | None]:
    """The slow path of a structure hook: what the wire held beyond the fields."""
    name = dialect.name if stamp else None
    stamped = Extra(dialect=name) if stamp else None

    def extra_from(
        d: dict[str, Any],
        omitted: tuple[str, ...],
        outer: dict[str, Any] | None,
        numeric: tuple[str, ...],
    ) -> Extra | None:
        keys = {k: v for k, v in d.items() if k not in known and v is not None}
        for key, value in keys.items():
            if key in foreign:
                raise _mixed(key, foreign, dialect.name)
            wirevalues.check(value, key)  # kept as it came: it must be JSON to be written
        if not (keys or omitted or outer or numeric):
            return stamped
        return Extra(keys, outer or {}, frozenset(omitted), name, frozenset(numeric))

    return extra_from


def _make_absent(
    foreign: Mapping[str, tuple[str, str]], dialect: Dialect
) -> Callable[[dict[str, Any], str], ContentError]:
    """The error for a required key that is absent: spelled another way, or missing."""

    def absent(d: dict[str, Any], key: str) -> ContentError:
        for theirs, (_, ours) in foreign.items():
            if ours == key and theirs in d:
                return _mixed(theirs, foreign, dialect.name)
        return ContentError("missing", key)

    return absent


def _make_structure(cls: type[T], hooks: Hook, dialect: Dialect) -> Callable[..., T]:
    fields = _fields_of(cls, hooks, dialect)
    read = [f for f in fields if f.key is not None]
    known = frozenset(f.key for f in read if f.key is not None)
    stamp = cls in ROOTS and dialect is not V1  # v1 is the default: no memory needed
    foreign = _other_spellings(cls, dialect, known)
    ns: dict[str, Any] = {
        "ContentError": ContentError,
        "_bad_number": _bad_number,
        "_expected": expected,
        "_digits": _digits,
        "_extra_from": _make_extra_from(known, foreign, dialect, stamp),
        "_absent": _make_absent(foreign, dialect),
        "_new": object.__new__,
        "_cls": cls,
        "_cache": {},
        "_limit": _INTERN_LIMIT,
    }
    lines = [
        "def structure(d, _=None, outer=None):",
        "    if d.__class__ is not dict:",
        "        raise _expected('an object', d)",
    ]
    empty = cls() if all(f.default is None for f in fields) else None
    if empty is not None and stamp:
        empty = attrs.evolve(empty, extra=Extra(dialect=dialect.name))  # type: ignore[misc]
    if empty is not None:  # {} (common for styles) is one shared node
        ns["_empty"] = empty
        lines += ["    if not d and outer is None:", "        return _empty"]
    tracked = any(f.default not in (None, attrs.NOTHING) for f in read)
    numbered = any(f.kind in ("id", "time") for f in read)
    lines += [
        "    n = 0",
        "    om = ()" if tracked else "    om = None",
        "    nm = ()" if numbered else "    nm = None",
    ]
    for f in fields:
        v = f"v_{f.name}"
        if f.key is None:  # not in this spelling
            ns[f"d_{f.name}"] = f.default
            lines.append(f"    {v} = d_{f.name}")
            continue
        lines += [f"    {v} = d.get({f.key!r})", f"    if {v} is not None:", "        n += 1"]
        lines += ["        " + line for line in _LOADERS[f.kind](f, v, ns)]
        if f.default is attrs.NOTHING:
            lines += ["    else:", f"        raise _absent(d, {f.key!r})"]
        elif f.default is not None:  # "" or (): remember that the key was absent
            ns[f"d_{f.name}"] = f.default
            lines += ["    else:", f"        {v} = d_{f.name}", f"        om += ({f.name!r},)"]
    kept = (["om"] if tracked else []) + (["nm"] if numbered else [])  # the bookkeeping it has
    condition = "True" if stamp else " or ".join([*kept, "outer", "n != len(d)"])
    lines += [
        f"    if {condition}:",
        "        extra = _extra_from(d, om or (), outer, nm or ())",
        "    else:",
        "        extra = None",
    ]
    if cls in INTERNED:
        key = ", ".join(_key_part(f) for f in fields)
        lines += [
            "    if extra is None:",
            f"        key = ({key},)",
            "        o = _cache.get(key)",
            "        if o is not None:",
            "            return o",
        ]
    lines.append("    o = _new(_cls)")
    for name in [f.name for f in fields] + ["extra"]:
        ns[f"s_{name}"] = getattr(cls, name).__set__  # the slot's own setter
        lines.append(f"    s_{name}(o, {'extra' if name == 'extra' else 'v_' + name})")
    cached_hash = getattr(cls, _HASH_SLOT, None)
    if cached_hash is not None:  # what attrs' __init__ sets for cache_hash=True
        ns["s_hash"] = cached_hash.__set__
        lines.append("    s_hash(o, None)")
    if cls in INTERNED:
        lines += [
            "    if extra is None:",
            "        if len(_cache) >= _limit:",
            "            _cache.clear()",
            "        _cache[key] = o",
        ]
    lines.append("    return o")
    structure = _compile("structure", f"{cls.__qualname__} {dialect.name}", lines, ns)
    structure.empty = empty  # type: ignore[attr-defined]  # read by _load_node in parents
    return structure


def _key_part(f: _Field) -> str:
    """The expression that stands for field ``f`` in an interned node's cache key. Equal is
    not enough: ``0 == 0.0 == -0.0`` and attrs nodes holding them compare equal, but the
    wire wrote them differently, and the node found must dump as this one's wire did. So a
    float is keyed by its exact spelling (``hex()``: an int never equals it) and a node by
    its identity (nodes are interned themselves; a cached node keeps its parts alive, so
    their ids are not reused while it is cached)."""
    v = f"v_{f.name}"
    if f.kind == "node":
        return f"id({v})"
    if f.kind == "bounded" and not f.arg[2]:  # a number that may be an int or a float
        return f"({v}.hex() if {v}.__class__ is float else {v})"
    return v


def _make_unstructure(cls: type, hooks: Hook, dialect: Dialect) -> Callable[[Any], dict[str, Any]]:
    fields = [f for f in _fields_of(cls, hooks, dialect) if f.key is not None]
    ns: dict[str, Any] = {}
    lines = [
        "def unstructure(o):",
        "    d = {}",
        "    e = o.extra",
        "    om = e.omitted if e is not None else ()",
        "    nm = e.numeric if e is not None else ()",
    ]
    for f in fields:
        if f.kind == "node":
            ns[f"h_{f.name}"] = f.arg
        value = _DUMPERS[f.kind].format(v="v", name=f.name)
        if f.offset:
            value = f"({value} - {f.offset})"
        lines.append(f"    v = o.{f.name}")
        if f.default is None:
            lines.append("    if v is not None:")
        elif f.default is attrs.NOTHING:
            lines.append("    if True:")
        else:
            lines.append(f"    if v or {f.name!r} not in om:")
        lines.append(f"        d[{f.key!r}] = {value}")
    lines += ["    if e is not None and e.keys:", "        d.update(e.keys)", "    return d"]
    return _compile("unstructure", f"{cls.__qualname__} {dialect.name}", lines, ns)


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
            raise expected("a list", value)
        try:
            return tuple([item(x) for x in value])
        except ContentError:
            raise _find_bad_item(value, item) from None

    return structure


def _make_list_unstructure(item: Hook) -> Callable[[tuple[Any, ...]], list[Any]]:
    def unstructure(value: tuple[Any, ...]) -> list[Any]:
        return [item(x) for x in value]

    return unstructure


def _union_parts(
    union: Any, dialect: Dialect, hooks: Hook
) -> tuple[UnionSpelling, dict[str, tuple[str, Hook]]]:
    """The union's spelling, and wire type -> (payload key, structure hook)."""
    spelling = dialect.unions[union]
    loaders = {name: (spelling.payloads[cls], hooks(cls)) for name, cls in spelling.types.items()}
    return spelling, loaders


def _foreign_tag(d: dict[str, Any], union: Any, dialect: Dialect) -> ContentError | None:
    """A mixed document: the union's tag or payload key as another spelling has it."""
    ours = dialect.unions[union]
    for other in DIALECTS.values():
        theirs = other.unions[union]
        if other is dialect:
            continue
        if ours.tag not in d and theirs.tag in d:
            return _mixed(theirs.tag, {theirs.tag: (other.name, ours.tag)}, dialect.name)
        for cls, key in theirs.payloads.items():
            if key in d and key != ours.payloads[cls] and ours.payloads[cls] not in d:
                return _mixed(key, {key: (other.name, ours.payloads[cls])}, dialect.name)
    return None


def _make_union_structure(union: Any, dialect: Dialect, hooks: Hook) -> Callable[..., Any]:
    spelling, loaders = _union_parts(union, dialect, hooks)
    tag_key, unknown = spelling.tag, spelling.unknown

    def structure(d: Any, _: Any = None) -> Any:
        if d.__class__ is not dict:
            raise expected("an object", d)
        tag = d.get(tag_key)
        if tag.__class__ is not str:
            if tag is not None:
                raise expected("a string", tag, tag_key)
            raise _foreign_tag(d, union, dialect) or ContentError("missing", tag_key)
        entry = loaders.get(tag)
        if entry is None:
            wirevalues.check(d)  # kept whole, and written back
            return unknown(tag, d)
        key, load = entry
        payload = d.get(key)
        if payload is None:
            mixed = _foreign_tag(d, union, dialect)
            raise mixed or ContentError(f"missing (the type is {tag!r})", key)
        outer = None
        if len(d) != 2:  # keys beside the tag and the payload
            outer = {k: v for k, v in d.items() if k != tag_key and k != key and v is not None}
            wirevalues.check(outer)
        try:
            return load(payload, None, outer or None)
        except ContentError as error:
            raise error.within(key) from None

    return structure


def _inline_body(cls: type, hooks: Hook, dialect: Dialect, ns: dict[str, Any]) -> list[str]:
    """The lines that read payload ``p`` of ``cls`` in place, for a list hook, in the common
    case: every field's key present and nothing else (so no ``extra``), appending the node
    and going on with the next item; any other payload falls through to the class's hook. A
    bad value raises as in the class's hook, and the list hook then asks the class's hook
    where. Empty for a class that needs more than its fields (interned, a document's root,
    ids and times, a field this spelling has no key for)."""
    fields = _fields_of(cls, hooks, dialect)
    if (
        cls in INTERNED
        or cls in ROOTS
        or any(f.key is None or f.kind in ("id", "time") for f in fields)
    ):
        return []
    ns.update(_new=object.__new__, _cls=cls, ContentError=ContentError)
    ns.update(_bad_number=_bad_number, _expected=expected)
    gets = [f"v_{f.name} = p.get({f.key!r})" for f in fields]
    present = " and ".join(f"v_{f.name} is not None" for f in fields)
    body = [*gets, f"if {present}:"]
    for f in fields:
        body += ["    " + line for line in _LOADERS[f.kind](f, f"v_{f.name}", ns)]
    body.append("    o = _new(_cls)")
    for name in [f.name for f in fields] + ["extra"]:
        ns[f"s_{name}"] = getattr(cls, name).__set__
        body.append(f"    s_{name}(o, {'None' if name == 'extra' else 'v_' + name})")
    body += ["    append(o)", "    continue"]
    return [f"if p.__class__ is dict and len(p) == {len(fields)}:"] + ["    " + b for b in body]


def _make_union_list_structure(union: Any, dialect: Dialect, hooks: Hook) -> Hook:
    """The list of a tagged union, with the common case (``{tag: t, payload: {...}}`` of a
    known ``t``) dispatched inline, and the union's first type (a text run, a paragraph)
    read inline where it has the common shape: lists of elements are the bulk of every
    record, and a call an element is a fifth of its time."""
    spelling, loaders = _union_parts(union, dialect, hooks)
    (first_tag, first), *_ = spelling.types.items()
    ns: dict[str, Any] = {
        "_expected": expected,
        "_find_bad_item": _find_bad_item,
        "ContentError": ContentError,
        "loaders": loaders,
        "item": hooks(union),
    }
    inline = _inline_body(first, hooks, dialect, ns)
    lines = [
        "def structure(value, _=None):",
        "    if value.__class__ is not list:",
        "        raise _expected('a list', value)",
        "    out = []",
        "    append = out.append",
        "    try:",
        "        for d in value:",
        "            if d.__class__ is dict and len(d) == 2:",
        f"                tag = d.get({spelling.tag!r})",
    ]
    if inline:
        lines += [
            f"                if tag == {first_tag!r}:",
            f"                    p = d.get({spelling.payloads[first]!r})",
        ] + ["                    " + line for line in inline]
    lines += [
        "                entry = loaders.get(tag) if tag.__class__ is str else None",
        "                if entry is not None:",
        "                    payload = d.get(entry[0])",
        "                    if payload is not None:",
        "                        append(entry[1](payload))",
        "                        continue",
        "            append(item(d))",
        "    except ContentError:",
        "        raise _find_bad_item(value, item) from None",
        "    return tuple(out)",
    ]
    return _compile("structure", f"list of {first.__name__}... {dialect.name}", lines, ns)


def _make_union_unstructure(
    union: Any, dialect: Dialect, hooks: Hook
) -> Callable[[Any], dict[str, Any]]:
    spelling = dialect.unions[union]
    tag_key = spelling.tag
    dumpers = {
        cls: (name, spelling.payloads[cls], hooks(cls)) for name, cls in spelling.types.items()
    }
    other_tags = {other.unions[union].tag for other in DIALECTS.values()} - {tag_key}

    def unstructure(node: Any) -> dict[str, Any]:
        entry = dumpers.get(type(node))
        if entry is None:  # an Unknown* node: its data is the whole wire object
            data: Mapping[str, Any] = node.data
            if tag_key not in data and other_tags & data.keys():  # loaded in another spelling
                return {(tag_key if k in other_tags else k): v for k, v in data.items()}
            return dict(data)
        name, key, dump = entry
        wire = {tag_key: name, key: dump(node)}
        if node.extra is not None and node.extra.outer:
            wire.update(node.extra.outer)
        return wire

    return unstructure


def _is_tuple(tp: Any) -> bool:
    return get_origin(tp) is tuple


def _is(expected_type: Any) -> Callable[[Any], bool]:
    return lambda tp: tp == expected_type


def make_converter(dialect: Dialect = V1) -> cattrs.Converter:
    """A converter that reads and writes the wire in ``dialect``'s spelling."""
    conv = cattrs.Converter()
    structure, unstructure = conv.get_structure_hook, conv.get_unstructure_hook
    conv.register_structure_hook_factory(
        attrs.has, lambda cls: _make_structure(cls, structure, dialect)
    )
    conv.register_unstructure_hook_factory(
        attrs.has, lambda cls: _make_unstructure(cls, unstructure, dialect)
    )
    # Factories run at first use, when every hook they need is registered.
    for union in dialect.unions:
        conv.register_structure_hook_factory(
            _is(union), lambda tp: _make_union_structure(tp, dialect, structure)
        )
        conv.register_unstructure_hook_factory(
            _is(union), lambda tp: _make_union_unstructure(tp, dialect, unstructure)
        )

    def list_structure(tp: Any) -> Hook:
        item = get_args(tp)[0]
        if item in dialect.unions:
            return _make_union_list_structure(item, dialect, structure)
        return _make_list_structure(structure(item))

    conv.register_structure_hook_factory(_is_tuple, list_structure)
    conv.register_unstructure_hook_factory(
        _is_tuple, lambda tp: _make_list_unstructure(unstructure(get_args(tp)[0]))
    )
    return conv
