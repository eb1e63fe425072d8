"""okrcontent: Feishu/Lark OKR progress records to Markdown, HTML and plain text, and back.

::

    import okrcontent
    record = okrcontent.load_record(json_bytes)      # envelope or bare record
    okrcontent.dump_record(record) == original_data  # lossless
"""

__version__ = "0.1.0"

from .codec import dump_content, dump_record, load_content, load_record
from .errors import ContentError, OkrContentError
from .model import (
    Block,
    Color,
    Content,
    DocsLink,
    Element,
    Extra,
    Gallery,
    Image,
    Link,
    ListKind,
    ListStyle,
    Mention,
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

__all__ = [
    "Block",
    "Color",
    "Content",
    "ContentError",
    "DocsLink",
    "Element",
    "Extra",
    "Gallery",
    "Image",
    "Link",
    "ListKind",
    "ListStyle",
    "Mention",
    "OkrContentError",
    "Paragraph",
    "ParagraphStyle",
    "ProgressRate",
    "ProgressRecord",
    "ProgressStatus",
    "TextRun",
    "TextStyle",
    "UnknownBlock",
    "UnknownElement",
    "__version__",
    "dump_content",
    "dump_record",
    "load_content",
    "load_record",
    "normalize",
]
