"""HTML both ways on realistic records, against references measured in the same run.

- Writing: JSON bytes -> HTML with ``load_record`` + ``to_html``, against
  :func:`dict_walk_html`, a plain converter over the parsed dicts. Goal: within 1.5x.
- Reading: HTML -> Content with ``from_html``, against lxml's bare parse of the same HTML
  plus a bare walk over its tree (``iterwalk``, touching every element's text). Goal: 3x.
"""

from __future__ import annotations

import html
import json
import random

import lxml.html
from lxml import etree

import okrcontent
from tests.realistic import make_envelope

from .harness import Row, compare, each, report


def dict_walk_html(data: bytes) -> str:
    """JSON bytes -> HTML by walking the dicts: the reference floor."""
    record = json.loads(data)["data"]
    out = []
    for block in record.get("content", {}).get("blocks", []):
        if block.get("type") == "gallery":
            images = block["gallery"].get("imageList", [])
            out.append(
                "<p>"
                + "".join(f'<img src="{html.escape(i.get("src", ""))}">' for i in images)
                + "</p>"
            )
            continue
        paragraph = block.get("paragraph", {})
        parts = []
        for element in paragraph.get("elements", []):
            kind = element.get("type")
            if kind == "textRun":
                run = element["textRun"]
                text = html.escape(run.get("text", ""))
                style = run.get("style", {})
                if style.get("bold"):
                    text = f"<strong>{text}</strong>"
                if style.get("strikeThrough"):
                    text = f"<s>{text}</s>"
                if "textColor" in style:
                    c = style["textColor"]
                    rgba = [c.get("red", 0), c.get("green", 0), c.get("blue", 0), c.get("alpha", 1)]
                    text = f'<span style="color: rgba({", ".join(map(str, rgba))})">{text}</span>'
                if "link" in style:
                    text = f'<a href="{html.escape(style["link"].get("url", ""))}">{text}</a>'
                parts.append(text)
            elif kind == "docsLink":
                link = element["docsLink"]
                url, title = html.escape(link.get("url", "")), html.escape(link.get("title", ""))
                parts.append(f'<a href="{url}">{title}</a>')
            elif kind == "person":
                parts.append(
                    "<span>@" + html.escape(element["person"].get("openId", "")) + "</span>"
                )
        lst = paragraph.get("style", {}).get("list")
        tag = "li" if lst else "p"
        out.append(f"<{tag}>{''.join(parts)}</{tag}>")
    return "\n".join(out)


def lxml_parse_and_walk(text: str) -> int:
    """lxml's bare parse of a fragment and a walk that touches every element's text."""
    root = lxml.html.fragment_fromstring(text, create_parent="div")
    seen = 0
    for _, el in etree.iterwalk(root, events=("start",)):
        seen += len(el.text or "") + len(el.tail or "")
    return seen


def rows() -> list[Row]:
    rng = random.Random(11)
    records = [json.dumps(make_envelope(rng, 15, i)).encode() for i in range(50)]
    texts = [okrcontent.to_html(okrcontent.load_record(b)) for b in records]

    n = len(records)
    return [
        compare(
            f"JSON -> HTML, {n} records of 15 blocks",
            each(lambda b: okrcontent.to_html(okrcontent.load_record(b)), records),
            "dict-walking converter",
            each(dict_walk_html, records),
            goal=1.5,
        ),
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
