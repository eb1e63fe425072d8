"""The marks that okrcontent's Markdown and HTML add where their syntax has no word for the
content, shared by the writers that emit them and the readers that read them back."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

__all__ = [
    "DOC_LINK_TITLE",
    "EMPTY_LINE",
    "EMPTY_TASK",
    "FILLER",
    "INDENT",
    "INERT_DOC",
    "INERT_HREF",
    "INERT_SRC",
    "MENTION",
    "MENTION_USER",
    "TOKEN",
    "attribute",
    "tag",
]

DOC_LINK_TITLE = "Feishu doc"
"""The link title that marks a doc link: ``[title](url "Feishu doc")``."""
FILLER = "<!-- okr:skip -->"
"""The whole content of a Markdown list item that stands for a level the record skips."""
EMPTY_LINE = "<br>"
"""A Markdown line that is an empty paragraph (Markdown has no empty paragraph)."""
EMPTY_TASK = "<!-- -->"
"""The text of an empty Markdown task item (``- [ ] <!-- -->``): GFM parsers (cmark-gfm,
marko) need something after the box to see a task, and a comment shows nothing."""

MENTION = "data-okr-mention"
"""Attribute: the open id of a mention."""
MENTION_USER = "data-okr-user"
"""Attribute: the user id of a mention."""
INDENT = "data-okr-indent"
"""Attribute: the indent level of an ``indent`` line (HTML)."""
INERT_HREF = "data-okr-href"
"""Attribute: the URL of a link that must not be followed (see :mod:`okrcontent.urls`)."""
INERT_DOC = "data-okr-doc"
"""Attribute: the URL of a doc link that must not be followed."""
INERT_SRC = "data-okr-src"
"""Attribute: the URL of an image that must not be loaded."""
TOKEN = "data-okr-token"  # noqa: S105 - a file token of an image, not a secret
"""Attribute: an image's file token."""


_ATTRIBUTE_ESCAPES = str.maketrans({"\r": "&#13;", "\n": "&#10;", "`": "&#96;"})


_ATTRIBUTE_SPECIAL = re.compile("[&<>\"'\r\n`]")


def attribute(value: str) -> str:
    """A value for a double-quoted HTML attribute: escaped, on one line, and without a
    backtick (in Markdown, a backtick in a tag could close a code span opened before it)."""
    if _ATTRIBUTE_SPECIAL.search(value) is None:  # (most values: ids, URLs; a tenth of the time)
        return value
    return html.escape(value, quote=True).translate(_ATTRIBUTE_ESCAPES)


def tag(name: str, attributes: Mapping[str, str | None], extra: str = "") -> str:
    """An opening tag: ``name`` and the attribute names are the writers' constants, the
    values are escaped; ``None`` values are left out."""
    parts = "".join(f' {k}="{attribute(v)}"' for k, v in attributes.items() if v is not None)
    return f"<{name}{parts}{extra}>"
