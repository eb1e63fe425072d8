"""The library's exceptions.

Hierarchy::

    OkrContentError              base of everything okrcontent raises on purpose
    ├── ContentError (ValueError) bad input: malformed JSON, wrong types, out-of-range
    │   │                         values, a block whose payload is missing; carries the
    │   │                         wire path of the offending field
    │   └── WrongKindError        good input of another kind (content for a record, an
    │                             objective for a record, ...); ``kind`` says which
    ├── PeopleError               the ``people=`` callable of a writer failed
    └── BatchError                a batch cannot go on (its output folder is unusable, full
                                  or locked by another run; a worker process died)

    LossWarning (UserWarning)    a conversion could not carry something across (a warning,
                                 not an error: the rest converts; see ``warnings``)

Later modules (fetch) hang their own branches under ``OkrContentError``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .losses import Loss

__all__ = [
    "BatchError",
    "ContentError",
    "LossWarning",
    "OkrContentError",
    "PeopleError",
    "WrongKindError",
]


class OkrContentError(Exception):
    """Base class: ``except OkrContentError`` catches every deliberate okrcontent error."""


class ContentError(OkrContentError, ValueError):
    """Input that cannot be read as OKR content.

    ``path`` names the offending field the way it is spelled in the JSON
    (``blocks[3].paragraph.elements[0].textRun.style.textColor.red``), empty when the
    whole input is at fault; ``reason`` says what is wrong with it.
    """

    path: str
    reason: str

    def __init__(self, reason: str, path: str = "") -> None:
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)

    def __reduce__(self) -> tuple[type[ContentError], tuple[str, str]]:
        # Keeps the error picklable, so worker processes can hand it back intact.
        return (type(self), (self.reason, self.path))

    def within(self, step: str | int) -> ContentError:
        """The same error, seen from the parent: ``step`` is a key or a list index."""
        head = f"[{step}]" if isinstance(step, int) else step
        if self.path and not self.path.startswith("["):
            head += "."
        return ContentError(self.reason, head + self.path)


class WrongKindError(ContentError):
    """Input that is of another kind than asked for: content or an objective given to
    :func:`~okrcontent.load_record`, a record given to :func:`~okrcontent.load_content`.
    ``kind`` names what it is (``"content"``, ``"record"``, ``"cycle"``, ``"objective"``,
    ``"key_result"``, ``"page"``), so that a batch can leave an archive's OKR entities aside
    instead of reporting them as bad records."""

    kind: str

    def __init__(self, reason: str, path: str = "", kind: str = "") -> None:
        super().__init__(reason, path)
        self.kind = kind

    def __reduce__(self) -> tuple[type[WrongKindError], tuple[str, str, str]]:  # type: ignore[override]
        return (type(self), (self.reason, self.path, self.kind))


class PeopleError(OkrContentError):
    """The ``people=`` callable given to a writer raised; the cause is chained."""


class BatchError(OkrContentError):
    """A batch run cannot go on: every further record would fail the same way. Bad records
    never raise this; each is a :class:`okrcontent.batch.Failure` and the run goes on."""


class LossWarning(UserWarning):
    """Something in the input has no equivalent in the output and was left out or
    approximated: italic text read from Markdown (kept as plain text), an unknown block
    type written to Markdown (skipped). Filter, record or escalate it with :mod:`warnings`;
    ``loss`` names the kind (:class:`okrcontent.losses.Loss`), ``detail`` what it was about."""

    loss: Loss | None = None
    detail: str = ""
