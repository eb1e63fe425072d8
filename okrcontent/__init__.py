"""okrcontent: Feishu/Lark OKR progress records to Markdown, HTML and plain text, and back.

::

    import okrcontent
    record = okrcontent.load_record(json_bytes)      # envelope or bare record
    okrcontent.dump_record(record) == original_data  # lossless

The model, the OKR entities, the errors and ``normalize`` (light: attrs and the standard
library) are imported here; the codec (cattrs, msgspec), every reader and writer (lxml,
markdown-it-py) and the batch (multiprocessing) on first use (PEP 562), so ``import
okrcontent.model`` costs the model alone and a program that never writes HTML never loads
lxml. A new lazy name is one entry in :data:`_EXPORTS`, one line under ``TYPE_CHECKING``
(for type checkers) and one in ``__all__``; ``tests/test_exported_members.py`` checks that
they agree. (``normalize`` must be imported here in any case: importing the submodule
``okrcontent.normalize``, which every writer does, would otherwise set the package
attribute to the module.)
"""

import importlib as _importlib
import typing as _typing

from ._version import __version__
from .errors import (
    BatchError,
    ContentError,
    LossWarning,
    OkrContentError,
    PeopleError,
    WrongKindError,
)
from .model import (
    Block,
    Color,
    Content,
    DocsLink,
    Element,
    EntityType,
    Extra,
    Gallery,
    Image,
    Link,
    ListKind,
    ListStyle,
    Mention,
    Owner,
    Paragraph,
    ParagraphStyle,
    ProgressRate,
    ProgressRecord,
    ProgressStatus,
    TextRun,
    TextStyle,
    UnknownBlock,
    UnknownElement,
)
from .normalize import normalize
from .okr import Cycle, CycleStatus, KeyResult, Objective, OkrEntity

if _typing.TYPE_CHECKING:
    from . import batch as batch
    from . import document as document
    from . import formats as formats
    from . import metadata as metadata
    from .codec import (
        dialect_of,
        dump_content,
        dump_okr,
        dump_record,
        load_content,
        load_okr,
        load_record,
    )
    from .document import okr_document
    from .readers.html import from_html, record_from_html
    from .readers.markdown import from_markdown, record_from_markdown
    from .readers.post import from_post
    from .readers.text import from_text, record_from_text
    from .user_okrs import load_user_okrs
    from .writers.html import to_html
    from .writers.markdown import to_markdown
    from .writers.post import to_post
    from .writers.text import to_text

_EXPORTS: dict[str, tuple[str, ...]] = {
    "codec": (
        "dialect_of",
        "dump_content",
        "dump_okr",
        "dump_record",
        "load_content",
        "load_okr",
        "load_record",
    ),
    "document": ("okr_document",),
    "readers.html": ("from_html", "record_from_html"),
    "readers.markdown": ("from_markdown", "record_from_markdown"),
    "readers.post": ("from_post",),
    "readers.text": ("from_text", "record_from_text"),
    "user_okrs": ("load_user_okrs",),
    "writers.html": ("to_html",),
    "writers.markdown": ("to_markdown",),
    "writers.post": ("to_post",),
    "writers.text": ("to_text",),
}
"""Module (inside the package) -> the public names it provides."""

_SUBMODULES = ("batch", "document", "formats", "metadata")
"""Modules reachable as attributes after a bare ``import okrcontent`` (``okrcontent.batch``)."""

_ORIGIN = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = [
    "BatchError",
    "Block",
    "Color",
    "Content",
    "ContentError",
    "Cycle",
    "CycleStatus",
    "DocsLink",
    "Element",
    "EntityType",
    "Extra",
    "Gallery",
    "Image",
    "KeyResult",
    "Link",
    "ListKind",
    "ListStyle",
    "LossWarning",
    "Mention",
    "Objective",
    "OkrContentError",
    "OkrEntity",
    "Owner",
    "Paragraph",
    "ParagraphStyle",
    "PeopleError",
    "ProgressRate",
    "ProgressRecord",
    "ProgressStatus",
    "TextRun",
    "TextStyle",
    "UnknownBlock",
    "UnknownElement",
    "WrongKindError",
    "__version__",
    "dialect_of",
    "dump_content",
    "dump_okr",
    "dump_record",
    "from_html",
    "from_markdown",
    "from_post",
    "from_text",
    "load_content",
    "load_okr",
    "load_record",
    "load_user_okrs",
    "normalize",
    "okr_document",
    "record_from_html",
    "record_from_markdown",
    "record_from_text",
    "to_html",
    "to_markdown",
    "to_post",
    "to_text",
]


def __getattr__(name: str) -> object:
    """Import a public name's module on first use, and keep the name here after that."""
    if name in _ORIGIN:
        value = getattr(_importlib.import_module(f".{_ORIGIN[name]}", __name__), name)
    elif name in _SUBMODULES:
        value = _importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_ORIGIN, *_SUBMODULES})
