"""The marks that okrcontent's Markdown and HTML add where their syntax has no word for the
content, shared by the writers that emit them and the readers that read them back."""

from __future__ import annotations

import html

__all__ = [
    "DOC_LINK_TITLE",
    "EMPTY_LINE",
    "FILLER",
    "INDENT",
    "INERT_DOC",
    "INERT_HREF",
    "INERT_SRC",
    "MENTION",
    "MENTION_USER",
    "TOKEN",
    "attribute",
]

DOC_LINK_TITLE = "Feishu doc"
"""The link title that marks a doc link: ``[title](url "Feishu doc")``."""
FILLER = "<!-- okr:skip -->"
"""The whole content of a Markdown list item that stands for a level the record skips."""
EMPTY_LINE = "<br>"
"""A Markdown line that is an empty paragraph (Markdown has no empty paragraph)."""

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


def attribute(value: str) -> str:
    """A value for a double-quoted HTML attribute: escaped, and on one line."""
    return html.escape(value, quote=True).replace("\r", "&#13;").replace("\n", "&#10;")
