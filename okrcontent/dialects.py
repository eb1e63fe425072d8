"""The two spellings of the wire, as tables: everything that differs between them.

The OpenAPI spells one content tree two ways. v1 (``progress_records/:id``) is camelCase
inside ``content`` with ``type`` tags; v2 (everything under ``/open-apis/okr/v2/``) is
snake_case with ``block_element_type`` / ``paragraph_element_type`` tags, calls a mention's
one id ``user_id``, counts list levels from 0 and spells the progress rate
``progress_percent`` / ``progress_status``. The codec generates its hooks from a
:class:`Dialect`; a third spelling would be one more table.

Decisions a table encodes (each documented on the row):

- **Levels.** The model's ``ListStyle.indent_level`` is the editor's level, 1..16. v2 counts
  from 0 (the vendor's published examples put a top-level item at ``indent_level: 0``), so
  v2 ``n`` is model ``n + 1``; v2 levels outside 0..15 are refused like v1 levels outside
  1..16, and a v2 document dumps back to the numbers it had.
- **Mentions.** v2's ``mention.user_id`` holds an id of the type the request asked for,
  open_id by default (the vendor's examples show ``ou_...``): it is read into
  ``Mention.open_id``, so that v1 -> v2 -> v1 keeps the id writers resolve. v1's second id,
  ``userId``, has no v2 key: a v2 dump leaves it out (the one fact v2 cannot hold).
- **Records.** v1's progress record and an item of v2's progress lists are one
  :class:`~okrcontent.model.ProgressRecord`: ``progress_id`` / ``modify_time`` are v2's
  ``id`` / ``update_time``; v2's other keys (``create_time``, ``owner``, ``entity_type``,
  ``entity_id``) are spelled the same in both, so an archive may add them to a v1 record.
- **Ids and times.** v1 documents ``progress_id`` and ``modify_time`` as strings, and a
  number there is refused; v2 ids and times are strings in the vendor's Go SDK and command
  line tool and integers in its Python SDK: both are read, and dumped back as they came.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

import attrs

from .model import (
    Block,
    DocsLink,
    Element,
    Gallery,
    Image,
    ListStyle,
    Mention,
    Paragraph,
    ProgressRate,
    ProgressRecord,
    TextRun,
    TextStyle,
    UnknownBlock,
    UnknownElement,
)

__all__ = ["DIALECTS", "V1", "V2", "Dialect", "DialectName", "Spelling", "UnionSpelling"]

DialectName: TypeAlias = Literal["v1", "v2"]
"""The spellings, by name (``dialect=`` of the dump functions)."""


@attrs.frozen
class UnionSpelling:
    """How one tagged union is spelled: ``{<tag>: <type>, <payload key>: {...}}``."""

    tag: str
    types: Mapping[str, type]  #: wire type -> model class
    payloads: Mapping[type, str]  #: model class -> the key its payload sits under
    unknown: type[UnknownBlock | UnknownElement]  #: what keeps a type this version does not know


Spelling: TypeAlias = "Mapping[type, Mapping[str, str | None]]"
"""Model class -> attribute -> wire key, where they differ (``None``: no key in this
spelling; the attribute is never read and never written)."""


@attrs.frozen
class Dialect:
    """One spelling of the wire."""

    name: DialectName
    renames: Spelling
    unions: Mapping[Any, UnionSpelling]  #: Block, Element
    kinds: Mapping[
        tuple[type, str], str
    ] = {}  #: (class, attribute) -> field kind, overriding the model's
    offsets: Mapping[tuple[type, str], int] = {}  #: model value = wire value + offset

    def key(self, cls: type, name: str) -> str | None:
        """The wire key of attribute ``name`` of ``cls``."""
        return self.renames.get(cls, {}).get(name, name)


V1 = Dialect(
    "v1",
    renames={
        TextStyle: {
            "strikethrough": "strikeThrough",
            "text_color": "textColor",
            "back_color": "backColor",
        },
        ListStyle: {"kind": "type", "indent_level": "indentLevel"},
        Mention: {"open_id": "openId", "user_id": "userId"},
        Image: {"file_token": "fileToken"},
        Gallery: {"images": "imageList"},
    },
    unions={
        Block: UnionSpelling(
            "type",
            {"paragraph": Paragraph, "gallery": Gallery},
            {Paragraph: "paragraph", Gallery: "gallery"},
            UnknownBlock,
        ),
        Element: UnionSpelling(
            "type",
            {"textRun": TextRun, "docsLink": DocsLink, "person": Mention},
            {TextRun: "textRun", DocsLink: "docsLink", Mention: "person"},
            UnknownElement,
        ),
    },
    # the v1 API page documents both as strings
    kinds={(ProgressRecord, "progress_id"): "str", (ProgressRecord, "modify_time"): "digits"},
)
"""``GET /open-apis/okr/v1/progress_records/:id``: the official API page's spelling."""

V2 = Dialect(
    "v2",
    renames={
        TextStyle: {"strikethrough": "strike_through"},
        ListStyle: {"kind": "list_type"},
        Mention: {"open_id": "user_id", "user_id": None},
        ProgressRate: {"percent": "progress_percent", "status": "progress_status"},
        ProgressRecord: {"progress_id": "id", "modify_time": "update_time"},
    },
    unions={
        Block: UnionSpelling(
            "block_element_type",
            {"paragraph": Paragraph, "gallery": Gallery},
            {Paragraph: "paragraph", Gallery: "gallery"},
            UnknownBlock,
        ),
        Element: UnionSpelling(
            "paragraph_element_type",
            {"textRun": TextRun, "docsLink": DocsLink, "mention": Mention},
            {TextRun: "text_run", DocsLink: "docs_link", Mention: "mention"},
            UnknownElement,
        ),
    },
    offsets={(ListStyle, "indent_level"): 1},
)
"""Everything under ``/open-apis/okr/v2/``: objectives, key results, cycles, progress lists."""

DIALECTS: dict[str, Dialect] = {"v1": V1, "v2": V2}
"""The spellings by name; v1 is the default."""
