"""okrcontent: Feishu/Lark OKR progress records to Markdown, HTML and plain text, and back.

::

    import okrcontent
    record = okrcontent.load_record(json_bytes)      # envelope or bare record
    okrcontent.dump_record(record) == original_data  # lossless
"""

__version__ = "0.1.0"

from . import batch as batch  # okrcontent.batch.convert(...)
from . import formats as formats
from .codec import dump_content, dump_record, load_content, load_record
from .errors import ContentError, LossWarning, OkrContentError, PeopleError
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
from .readers.html import from_html
from .readers.markdown import from_markdown
from .readers.text import from_text
from .writers.html import to_html
from .writers.markdown import to_markdown
from .writers.text import to_text

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
    "LossWarning",
    "Mention",
    "OkrContentError",
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
    "dump_content",
    "dump_record",
    "from_html",
    "from_markdown",
    "from_text",
    "load_content",
    "load_record",
    "normalize",
    "to_html",
    "to_markdown",
    "to_text",
]
