"""The one URL policy of every writer: what becomes an active link, and how URLs read.

Feishu's rich-text APIs may write a link percent-encoded as a whole
(``https%3A%2F%2Fexample.com%2Fp%3Fq%3D1``). :func:`canonical_url` decodes such a URL once;
it is the form :func:`okrcontent.normalize` keeps and writers show. :func:`safe_href` says
whether a URL may become an active ``href``/``src``: ``http``, ``https``, ``mailto`` and
relative URLs may; anything else (``javascript:``, ``data:``, ``vbscript:``, unknown
schemes) may not, and writers then carry the URL inert, so that nothing is lost and nothing
runs. The scheme is read the way browsers read it: leading spaces and control characters are
ignored, and tabs and newlines inside the scheme do not hide it.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

__all__ = ["HREFS", "SAFE_SCHEMES", "canonical_url", "safe_href", "scheme_of"]

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
"""Schemes allowed in an active link; relative URLs (no scheme) are allowed too."""

_ENCODED_WHOLE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*%3[aA]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_IGNORED_BY_BROWSERS = re.compile(r"[\t\n\r]")
_LEADING = "".join(map(chr, range(0x21)))  # spaces and controls, which browsers skip


def canonical_url(url: str) -> str:
    """``url`` with a whole-URL percent-encoding (``https%3A%2F%2F...``) decoded once."""
    return unquote(url) if _ENCODED_WHOLE.match(url) else url


def scheme_of(url: str) -> str | None:
    """The scheme a browser would see in ``url``, lower-cased; ``None`` for a relative URL."""
    cleaned = _IGNORED_BY_BROWSERS.sub("", url.lstrip(_LEADING))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


HREFS: dict[str, str | None] = {}
"""What :func:`safe_href` decided, by URL (4,096 at most: a full table starts again empty)."""


def safe_href(url: str) -> str | None:
    """The canonical form of ``url`` if it is safe as an active link, else ``None``
    (decided once a URL: writers ask for every linked run)."""
    try:
        return HREFS[url]
    except KeyError:
        if len(HREFS) >= 4096:
            HREFS.clear()
        canonical = canonical_url(url)
        scheme = scheme_of(canonical)
        safe = HREFS[url] = canonical if scheme is None or scheme in SAFE_SCHEMES else None
        return safe
