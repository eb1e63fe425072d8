"""HTML both ways on realistic records, against references measured in the same run.

- Writing: JSON bytes -> HTML with ``load_record`` + ``to_html``, against
  :func:`benchmarks.floors.html_`, a plain converter over the parsed dicts. Goal (issue 19): 3x.
- Reading: HTML -> Content with ``from_html``, against lxml's bare parse of the same HTML
  plus a bare walk over its tree (``iterwalk``, touching every element's text). Goal: 3x.
"""

from __future__ import annotations

import lxml.html
from lxml import etree

import okrcontent

from . import floors
from .harness import Row, compare, each, report


def lxml_parse_and_walk(text: str) -> int:
    """lxml's bare parse of a fragment and a walk that touches every element's text."""
    root = lxml.html.fragment_fromstring(text, create_parent="div")
    seen = 0
    for _, el in etree.iterwalk(root, events=("start",)):
        seen += len(el.text or "") + len(el.tail or "")
    return seen


def rows() -> list[Row]:
    texts = [okrcontent.to_html(okrcontent.load_record(b)) for b in floors.records()]

    n = len(texts)
    return [
        floors.writer_row("HTML", okrcontent.to_html, floors.html_, goal=3.0),
        compare(
            f"HTML -> Content, {n} records",
            each(okrcontent.from_html, texts),
            "lxml parse + bare walk",
            each(lxml_parse_and_walk, texts),
            goal=3.0,
        ),
    ]


def main() -> bool:
    return report("HTML (ratio to the reference in the same run)", rows())


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
