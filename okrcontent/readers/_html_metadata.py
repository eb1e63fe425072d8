"""A record's metadata in HTML, as the HTML writer puts it: ``<meta name="okr-<field>">`` in
a page's head and the ``data-okr-<field>`` attributes of a fragment's header
(:data:`~okrcontent.metadata.HTML_META`, :data:`~okrcontent.metadata.HTML_DATA`,
:data:`~okrcontent.metadata.HTML_HEADER`); the HTML reader finds them here, apart from
what the content shows."""

from __future__ import annotations

from typing import Any

from .. import metadata
from ..errors import ContentError
from ..model import Content, ProgressRecord

__all__ = ["Found", "fields", "record"]

Found = dict[str, tuple[str, "str | None"]]
"""Field -> (its text, another text found for it, if any)."""


def fields(root: Any) -> Found:
    """A record's fields: ``<meta name="okr-<field>">`` anywhere (a page's head), and the
    ``data-okr-<field>`` attributes of a record's header, which is taken out of the tree (it
    is no content). Field -> (its text, another text found for it, if any)."""
    found: Found = {}

    def add(name: str, text: str) -> None:
        before = found.get(name)
        if before is None:
            found[name] = (text, None)
        elif before[0] != text and before[1] is None:
            found[name] = (before[0], text)

    for element in root.iter("meta"):
        name = element.get("name") or ""
        if name.lower().startswith(metadata.HTML_META):
            add(name[len(metadata.HTML_META) :].lower(), element.get("content") or "")
    headers = [
        element
        for element in root.iter("header")
        if metadata.HTML_HEADER in (element.get("class") or "").split()
    ]
    for header in headers:
        for key, value in header.items():
            if key.startswith(metadata.HTML_DATA):
                add(key[len(metadata.HTML_DATA) :], value)
        _take_out(header)
    return found


def _take_out(element: Any) -> None:
    """Remove ``element`` from its tree, its tail (the text after it) kept."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        before = element.getprevious()
        if before is not None:
            before.tail = (before.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def record(fields: Found, content: Content) -> ProgressRecord:
    """The record of the fields found (each: its text, and another text found for it)."""
    for name, (text, other) in fields.items():
        if other is not None:
            reason = f"the head says {text!r}, the record's header {other!r}"
            raise ContentError(reason, metadata.HTML_META + name)
    values = metadata.from_texts({name: text for name, (text, _) in fields.items()})
    return metadata.record(values, content, prefix=metadata.HTML_META)
