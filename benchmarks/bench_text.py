"""Plain text on realistic records, against a reference measured in the same run.

Writing: JSON bytes -> text with ``load_record`` + ``to_text``, against
:func:`dict_walk_text`, a plain converter over the parsed dicts (the floor: it parses the
same JSON and writes the same kind of lines, without a model, canonical form or escapes).
Goal (issue 19): within 2x.
"""

from __future__ import annotations

import json
import random

import okrcontent
from tests.realistic import make_envelope

from .harness import Row, compare, each, report

MARKERS = {"bullet": "- ", "checkBox": "[ ] ", "checkedBox": "[x] ", "indent": ""}


def dict_walk_text(data: bytes) -> str:
    """JSON bytes -> text by walking the dicts: the reference floor."""
    record = json.loads(data)["data"]
    out = []
    for block in record.get("content", {}).get("blocks", []):
        if block.get("type") == "gallery":
            images = block["gallery"].get("imageList", [])
            out.append(" ".join(f"[image: {i.get('fileToken', '')}]" for i in images))
            continue
        paragraph = block.get("paragraph", {})
        parts = []
        for element in paragraph.get("elements", []):
            kind = element.get("type")
            if kind == "textRun":
                run = element["textRun"]
                parts.append(run.get("text", ""))
                link = run.get("style", {}).get("link")
                if link:
                    parts.append(f" <{link.get('url', '')}>")
            elif kind == "docsLink":
                link = element["docsLink"]
                parts.append(f"{link.get('title', '')} <{link.get('url', '')}>")
            elif kind == "person":
                parts.append("@" + element["person"].get("openId", ""))
        line = "".join(parts)
        lst = paragraph.get("style", {}).get("list")
        if lst:
            pad = "  " * (lst.get("indentLevel", 1) - 1)
            marker = MARKERS.get(lst["type"], f"{lst.get('number', 1)}. ")
            line = pad + marker + line
        out.append(line)
    return "\n".join(out) + "\n"


def rows() -> list[Row]:
    rng = random.Random(11)
    records = [json.dumps(make_envelope(rng, 15, i)).encode() for i in range(50)]
    n = len(records)
    return [
        compare(
            f"JSON -> text, {n} records of 15 blocks",
            each(lambda b: okrcontent.to_text(okrcontent.load_record(b)), records),
            "dict-walking converter",
            each(dict_walk_text, records),
            goal=2.0,
        ),
    ]


def main() -> bool:
    return report("Plain text (ratio to the reference in the same run)", rows())


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
