"""Markdown both ways on realistic records, against references measured in the same run.

- Writing: JSON bytes -> Markdown with ``load_record`` + ``to_markdown``, against
  :func:`dict_walk_markdown`, a plain converter over the parsed dicts (the floor: it parses
  the same JSON and writes the same kind of Markdown, without a model, nesting or checks).
  Goal: within 1.5x.
- Reading: Markdown -> Content with ``from_markdown``, against markdown-it-py's bare
  ``parse()`` of the same text (the floor: tokens, no content). Goal: within 1.3x.
"""

from __future__ import annotations

import json
import random
import re

from markdown_it import MarkdownIt

import okrcontent
from tests.realistic import make_envelope

from .harness import Row, compare, each, report

_ESCAPE = re.compile(r"[\\`*_\[\]<>|~&#]")


def dict_walk_markdown(data: bytes) -> str:
    """JSON bytes -> Markdown by walking the dicts: the reference floor (about 40 lines)."""
    record = json.loads(data)["data"]
    out = []
    for block in record.get("content", {}).get("blocks", []):
        if block.get("type") == "gallery":
            images = block["gallery"].get("imageList", [])
            out.append(" ".join(f"![]({i.get('src', '')})" for i in images))
            continue
        paragraph = block.get("paragraph", {})
        parts = []
        for element in paragraph.get("elements", []):
            kind = element.get("type")
            if kind == "textRun":
                run = element["textRun"]
                text = _ESCAPE.sub(r"\\\g<0>", run.get("text", ""))
                style = run.get("style", {})
                if style.get("bold"):
                    text = f"**{text}**"
                if style.get("strikeThrough"):
                    text = f"~~{text}~~"
                if "link" in style:
                    text = f"[{text}]({style['link'].get('url', '')})"
                parts.append(text)
            elif kind == "docsLink":
                link = element["docsLink"]
                parts.append(f"[{link.get('title', '')}]({link.get('url', '')})")
            elif kind == "person":
                parts.append("@" + element["person"].get("openId", ""))
        line = "".join(parts)
        lst = paragraph.get("style", {}).get("list")
        if lst:
            pad = "  " * (lst.get("indentLevel", 1) - 1)
            marker = {
                "number": f"{lst.get('number', 1)}.",
                "checkBox": "- [ ]",
                "checkedBox": "- [x]",
                "indent": ">",
            }.get(lst["type"], "-")
            line = f"{pad}{marker} {line}"
        out.append(line)
    return "\n\n".join(out) + "\n"


def rows() -> list[Row]:
    rng = random.Random(11)
    records = [json.dumps(make_envelope(rng, 15, i)).encode() for i in range(50)]
    texts = [okrcontent.to_markdown(okrcontent.load_record(b)) for b in records]
    parser = MarkdownIt("commonmark", {"html": True}).enable(["strikethrough", "table"])

    n = len(records)
    return [
        compare(
            f"JSON -> Markdown, {n} records of 15 blocks",
            each(lambda b: okrcontent.to_markdown(okrcontent.load_record(b)), records),
            "dict-walking converter",
            each(dict_walk_markdown, records),
            goal=1.5,
        ),
        compare(
            f"Markdown -> Content, {n} records",
            each(okrcontent.from_markdown, texts),
            "markdown-it-py parse()",
            each(parser.parse, texts),
            goal=1.3,
        ),
    ]


def main() -> bool:
    return report("Markdown (ratio to the reference in the same run)", rows())


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
