"""okrcontent: Feishu/Lark OKR progress records to Markdown, HTML and plain text, and back.

::

    import okrcontent
    record = okrcontent.load_record(json_bytes)      # envelope or bare record
    okrcontent.dump_record(record) == original_data  # lossless
"""

__version__ = "0.1.0"

from . import batch as batch  # okrcontent.batch.convert(...)
from . import formats as formats
from .codec import (
    dialect_of,
    dump_content,
    dump_okr,
    dump_record,
    load_content,
    load_okr,
    load_record,
)
from .errors import ContentError, LossWarning, OkrContentError, PeopleError
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
from .readers.html import from_html
from .readers.markdown import from_markdown
from .readers.text import from_text
from .user_okrs import load_user_okrs
from .writers.html import to_html
from .writers.markdown import to_markdown
from .writers.text import to_text

__all__ = [
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
    "__version__",
    "dialect_of",
    "dump_content",
    "dump_okr",
    "dump_record",
    "from_html",
    "from_markdown",
    "from_text",
    "load_content",
    "load_okr",
    "load_record",
    "load_user_okrs",
    "normalize",
    "to_html",
    "to_markdown",
    "to_text",
]
