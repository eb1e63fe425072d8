"""Markdown both ways on realistic records, against references measured in the same run.

- Writing: JSON bytes -> Markdown with ``load_record`` + ``to_markdown``, against
  :func:`benchmarks.floors.markdown`, a plain converter over the parsed dicts (the floor: it parses
  the same JSON and writes the same kind of Markdown, without a model, nesting or checks).
  Goal (issue 19): within 3.5x.
- Reading: Markdown -> Content with ``from_markdown``, against markdown-it-py's bare
  ``parse()`` of the same text (the floor: tokens, no content). Goal: within 1.3x.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from markdown_it import MarkdownIt

import okrcontent

from . import floors
from .harness import Row, compare, each, report


def rows() -> list[Row]:
    texts = [okrcontent.to_markdown(okrcontent.load_record(b)) for b in floors.records()]
    parser = MarkdownIt("commonmark", {"html": True}).enable(["strikethrough", "table"])

    n = len(texts)
    return [
        floors.writer_row("Markdown", okrcontent.to_markdown, floors.markdown, goal=3.5),
        compare(
            f"Markdown -> Content, {n} records",
            each(okrcontent.from_markdown, texts),
            "markdown-it-py parse()",
            each(parser.parse, texts),
            goal=1.3,
        ),
    ]


SAMPLE = Path(__file__).parent.parent / "examples" / "sample-archive.jsonl"
ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]|&#[0-9]+;|&#[xX][0-9a-fA-F]+;")
"""A backslash escape or a character reference: what a reader of the source has to skip."""


def escapes_per_1000(path: Path = SAMPLE) -> tuple[float, int, int]:
    """Escapes per 1,000 characters of the Markdown of every record of an archive, and how
    many of its lines end in ``&#32;`` (of how many)."""
    chars = escapes = lines = references = 0
    with path.open("rb") as stream, warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        for line in stream:
            markdown = okrcontent.to_markdown(okrcontent.load_record(line))
            chars += len(markdown)
            escapes += len(ESCAPE.findall(markdown))
            for written in markdown.splitlines():
                lines += 1
                references += written.endswith("&#32;")
    return 1000 * escapes / max(chars, 1), references, lines


def main() -> bool:
    ok = report("Markdown (ratio to the reference in the same run)", rows())
    density, references, lines = escapes_per_1000()
    print(
        f"\nescapes in the sample archive's Markdown: {density:.2f} per 1,000 characters; "
        f"lines ending in &#32;: {references:,} of {lines:,}"
    )
    return ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
