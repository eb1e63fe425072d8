"""What a conversion can lose, by name: pandoc's typed log messages in miniature.

Every loss a reader or a writer reports is a member of :class:`Loss`, raised as a
:class:`~okrcontent.LossWarning` that carries it (``warning.loss``, ``warning.detail``), so
that a caller or a test matches the kind of loss rather than its words::

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", okrcontent.LossWarning)
        content = okrcontent.from_html(pasted)
    lost = {w.message.loss for w in caught}          # {Loss.ITALIC, Loss.TABLE}

A member's value is its message; ``{detail}`` in it is filled with what the reporter names
(a tag, a token type, a field path). A reader reports each kind once per call
(:class:`Losses`); the SPEC lists the table below.
"""

from __future__ import annotations

import enum
import warnings
from collections.abc import Iterator

from .errors import LossWarning

__all__ = ["Loss", "Losses", "warn"]


class Loss(enum.Enum):
    """Every kind of loss, with its message (``{detail}``: what the reporter names)."""

    # text styles and inline markup the model has no field for
    ITALIC = "italic read as plain text (the format has no italic)"
    UNDERLINE = "underline read as plain text"
    CODE = "code formatting read as plain text"
    SCRIPT = "subscript and superscript read as plain text"
    UNKNOWN_TAG = "HTML <{detail}> read as its text"
    UNKNOWN_TOKEN = "Markdown {detail} left out"  # noqa: S105 - not a secret
    EMOJI = "chat emoji read as their names in brackets ([SMILE])"
    MENTION_STYLE = "styles of @-mentions left out (a mention has none)"
    NOT_A_USER = "@-mentions of no one user (@all, a message's mention key) read as text"
    POST_TAG = "post {detail} elements read as their text"
    # blocks the model has no kind for
    HEADING = "headings read as bold paragraphs"
    CODE_BLOCK = "code blocks read as plain lines"
    TABLE = "tables read as text lines, cells joined by ' | '"
    RULE = "horizontal rules left out"
    THEMATIC_BREAK = "thematic breaks left out"
    RAW_HTML = "raw HTML blocks read as their text"
    MEDIA = "embedded media left out"
    IMAGE_IN_TEXT = "images inside text moved to a line of their own"
    HIDDEN = "hidden content (display: none) left out"
    CDATA = "CDATA sections left out (HTML does not show them)"
    POST_MARKDOWN = "Markdown in a post (md elements) read as plain lines"
    POST_TITLE = "the post's title read as a bold first line"
    POST_LOCALE = "the post read in {detail}; its other languages left out"
    CHAT_IMAGE = "chat images read without a source (an image key is no OKR file token)"
    # structure past what the format or the parser holds
    TOO_DEEP = "nesting deeper than 16 levels kept at level 16"
    MARKDOWN_TOO_DEEP = "Markdown nested deeper than the parser follows kept as text"
    HTML_TOO_DEEP = "HTML nested deeper than the parser follows read as plain lines"
    NUMBERS_RESTARTED = "list numbers past 999999999 started again at 1"
    NUMBER_OUT_OF_RANGE = "list numbers outside 0..999999999 kept at the nearest"
    QUOTED_LIST = "lists inside quotes or indented blocks read as nested lists"
    IMAGE_ALT = "image alt text left out (a gallery image has none)"
    LINK_TITLE = "link titles left out (a link has none)"
    # a record's metadata, which content has no place for
    METADATA_LEFT_ASIDE = "{detail} left aside: content has none (record_from_*() reads a record's)"
    # writers: what the content holds and the output format cannot show
    UNKNOWN_TYPE = "{detail}: unknown type, left out of {format}"
    METADATA_NOT_WRITTEN = "the record's metadata ({detail}) left out of {format}"
    COLORS = "text and background colours left out (a chat post has none)"
    INACTIVE_LINK = "links a chat cannot open (relative, or an unsafe scheme) written as text"
    MENTION_AS_TEXT = "mentions without a user's open id written as @names: they notify no one"

    def message(self, detail: str = "", format: str = "") -> str:
        """The message, with what the reporter names filled in."""
        return self.value.format(detail=detail, format=format)


def warn(loss: Loss, detail: str = "", *, format: str = "", stacklevel: int = 2) -> None:
    """Report ``loss`` as a :class:`LossWarning` (``stacklevel`` as in :func:`warnings.warn`,
    counted from the caller of this function)."""
    warning = LossWarning(loss.message(detail, format))
    warning.loss, warning.detail = loss, detail
    warnings.warn(warning, stacklevel=stacklevel + 1)


class Losses:
    """The losses of one conversion, each kind (and detail) once, in the order found;
    :meth:`report` warns them at the end, so that a reader warns once per kind per call."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[tuple[Loss, str], None] = {}

    def add(self, loss: Loss, detail: str = "") -> None:
        self._seen.setdefault((loss, detail), None)

    def __contains__(self, loss: Loss) -> bool:
        return any(kind is loss for kind, _ in self._seen)

    def __iter__(self) -> Iterator[Loss]:
        """The kinds found, in order (a kind once for each detail it was reported with)."""
        return (kind for kind, _ in self._seen)

    def __len__(self) -> int:
        return len(self._seen)

    def report(self, stacklevel: int = 2) -> None:
        for loss, detail in self._seen:
            warn(loss, detail, stacklevel=stacklevel + 1)
