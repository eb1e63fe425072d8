"""YAML front matter: metadata at the top of a Markdown or plain-text document.

::

    ---
    progress_id: "7046518160811425812"
    modified: 2024-10-14T10:00:00.000Z
    percent: 12.5
    status: normal
    ---

:func:`dump` writes the block by hand, so that it is small and predictable: the keys in the
order given, one line each; a string as a plain scalar only where every YAML reader (1.1 as
PyYAML, 1.2 as the rest) reads it back as that string, otherwise double-quoted; numbers,
booleans and ``None`` as YAML reads them; a :class:`datetime.datetime` as an ISO 8601
timestamp; lists and mappings as JSON flow collections (JSON is YAML). Characters YAML does not
print or folds (controls, NEL, the line and paragraph separators, lone surrogates) are escaped.
Every output parses with PyYAML's safe loader to the values it was made from (tested).

:func:`split` finds the block as mdit-py-plugins' ``front_matter`` rule does (the rule itself
runs, on the document's head) and parses it with PyYAML's safe loader (on libyaml where
PyYAML has it and the block has no alias and no deep nesting: the same values, five times
faster); a block that is not a YAML mapping, uses aliases (billion-laughs documents) or is
larger than :data:`MAX_BYTES` is a :class:`~okrcontent.ContentError`, so a hostile header
costs nothing.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from collections.abc import Mapping
from typing import Any

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from .errors import ContentError

__all__ = ["MAX_BYTES", "dump", "load", "split"]

MAX_BYTES = 65_536
"""The largest front matter read (characters between the delimiters)."""

DELIMITER = "---"

# --- writing ---------------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:[ -][A-Za-z0-9_]+)*")
_SPECIAL_WORDS = frozenset(
    "y n yes no on off true false null nan inf".split()
)  # read as booleans, null or numbers by YAML 1.1 (case-insensitively)
# Not printable in YAML (or folded into a line break inside a scalar): escaped as \uXXXX.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _string(value: str) -> str:
    if _PLAIN.fullmatch(value) and value.lower() not in _SPECIAL_WORDS:
        return value
    return _quoted(value)


def _float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    mantissa, e, exponent = text.partition("e")
    if "." not in mantissa:  # YAML 1.1 reads "1e+16" as a string: it needs the dot
        mantissa += ".0"
    return mantissa + e + exponent


def _timestamp(value: _dt.datetime) -> str:
    if value.tzinfo is _dt.timezone.utc:  # (a record's times are: half the time)
        return value.isoformat(timespec="milliseconds")[:-6] + "Z"  # (less "+00:00")
    if value.tzinfo is not None:
        value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return value.isoformat(timespec="milliseconds") + "Z"
    return value.isoformat(timespec="milliseconds")


def _value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, _dt.datetime):
        return _timestamp(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_quoted(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"front matter cannot hold a {type(value).__name__}")


def _quoted(value: str) -> str:
    if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'  # (ids, digits: what JSON and the escapes would leave as it is)
    return _UNPRINTABLE.sub(_escape, json.dumps(value, ensure_ascii=False))


def _flow(value: Any) -> str:
    """A value inside a flow collection: strings always quoted (a plain scalar there may not
    hold ``,``, ``[`` and the like)."""
    return _quoted(value) if isinstance(value, str) else _value(value)


def dump(fields: Mapping[str, Any]) -> str:
    """The front matter block for ``fields`` (``""`` when there are none), ending in a
    newline. Values: ``None``, booleans, numbers, strings, datetimes (to the millisecond;
    aware ones in UTC), and lists and mappings of these."""
    if not fields:
        return ""
    lines = [DELIMITER]
    lines.extend(f"{_string(key)}: {_value(value)}" for key, value in fields.items())
    lines.append(DELIMITER)
    return "\n".join(lines) + "\n"


# --- reading ---------------------------------------------------------------------------------


_FAST: Any = getattr(yaml, "CSafeLoader", None)  # libyaml's, where PyYAML was built with it
_FAST_NESTING = 128  # deeper, the Python loader reads it (libyaml's composer recurses in C)


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases: an alias can make a small document expand
    without bound."""

    def fetch_alias(self) -> None:
        mark = self.get_mark()
        raise yaml.constructor.ConstructorError(None, None, "aliases are not allowed", mark)


_OPENS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSES = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _plain(block: str) -> bool:
    """Can libyaml build ``block`` safely: no alias, and nested no deeper than its composer
    (which recurses in C, where no limit would stop it) should go? Its parser reads the
    events without recursing."""
    depth = 0
    for event in yaml.parse(block, Loader=_FAST):
        if isinstance(event, _OPENS):
            depth += 1
            if depth > _FAST_NESTING:
                return False
        elif isinstance(event, _CLOSES):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            return False
    return True


def _parse(block: str) -> Any:
    """The YAML of ``block``: read by libyaml (five times faster) when it reads it safely,
    else by PyYAML's own loader, whose values and messages are the reference (it also reads
    what libyaml refuses, such as the escape of half a surrogate pair)."""
    if _FAST is not None:
        try:
            if _plain(block):
                return yaml.load(block, Loader=_FAST)  # noqa: S506 - safe: no alias
        except yaml.YAMLError:
            pass
    return yaml.load(block, Loader=_Loader)  # noqa: S506 - a safe loader, aliases refused


def load(block: str) -> dict[str, Any]:
    """The fields of a front matter block (the text between the delimiters)."""
    if len(block) > MAX_BYTES:
        raise ContentError(f"larger than {MAX_BYTES} characters", "front matter")
    try:
        data = _parse(block)
    except yaml.YAMLError as error:
        reason = " ".join(str(error).split())
        raise ContentError(f"not YAML: {reason}", "front matter") from None
    except RecursionError:
        raise ContentError("not YAML: nested too deeply", "front matter") from None
    except ValueError as error:  # a value Python will not make: an integer of 5,000 digits
        raise ContentError(f"a value that cannot be read: {error}", "front matter") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise ContentError("expected a mapping of names to values", "front matter")
    return data


_FINDER = MarkdownIt("zero").use(front_matter_plugin)


def split(text: str) -> tuple[dict[str, Any] | None, str]:
    """``(fields, body)``: the front matter of ``text`` (``None`` if it has none) and the
    text after it (with ``\r\n`` and ``\r`` line ends made ``\n``, as Markdown reads them)."""
    if not text.startswith(DELIMITER):
        return None, text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    head = text[: MAX_BYTES + 1024]
    tokens = _FINDER.parse(head)
    first = tokens[0] if tokens else None
    if first is None or first.type != "front_matter" or first.map is None:
        return None, text
    end = first.map[1]  # lines taken by the block, delimiters included
    position = 0
    for _ in range(end):
        newline = text.find("\n", position)
        position = len(text) if newline < 0 else newline + 1
    return load(first.content), text[position:]
