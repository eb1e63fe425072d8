"""The floors the writers are measured against: plain converters over the parsed JSON
dicts, one a format (no model, no canonical form, no nesting, no safety, little escaping),
sharing one walk over the blocks; and the row that times a writer against its floor."""

from __future__ import annotations

import html
import json
import random
import re
from collections.abc import Callable
from typing import Any

import attrs

import okrcontent
from tests.realistic import make_envelope

from .harness import Row, compare, each

JsonDict = dict[str, Any]


Render = Callable[[JsonDict], str]


@attrs.frozen
class Floor:
    """One format's plain converter: how it writes each kind of element, a gallery, a line
    and the document."""

    text_run: Render
    docs_link: Render
    person: Render
    gallery: Callable[[list[JsonDict]], str]
    line: Callable[[str, JsonDict | None], str]
    separator: str

    def __call__(self, data: bytes) -> str:
        """JSON bytes -> the format, walking the dicts."""
        rules = {"textRun": self.text_run, "docsLink": self.docs_link, "person": self.person}
        out = []
        record = json.loads(data)["data"]
        for block in record.get("content", {}).get("blocks", []):
            if block.get("type") == "gallery":
                out.append(self.gallery(block["gallery"].get("imageList", [])))
                continue
            paragraph = block.get("paragraph", {})
            parts = []
            for element in paragraph.get("elements", []):
                kind = element.get("type")
                rule = rules.get(kind)
                if rule is not None:
                    parts.append(rule(element[kind]))
            out.append(self.line("".join(parts), paragraph.get("style", {}).get("list")))
        return self.separator.join(out) + "\n"


def _at(person: JsonDict) -> str:
    return "@" + str(person.get("openId", ""))


_ESCAPE = re.compile(r"[\\`*_\[\]<>|~&#]")
_MARKDOWN_MARKERS = {"checkBox": "- [ ]", "checkedBox": "- [x]", "indent": ">"}


def _emphasis(text: str, style: JsonDict, bold: str, strike: str) -> str:
    """``text`` wrapped for bold and strikethrough (``{}`` in the templates)."""
    if style.get("bold"):
        text = bold.format(text)
    if style.get("strikeThrough"):
        text = strike.format(text)
    return text


def _markdown_run(run: JsonDict) -> str:
    style = run.get("style", {})
    text = _emphasis(_ESCAPE.sub(r"\\\g<0>", run.get("text", "")), style, "**{}**", "~~{}~~")
    if "link" in style:
        text = f"[{text}]({style['link'].get('url', '')})"
    return text


def _markdown_line(line: str, lst: JsonDict | None) -> str:
    if not lst:
        return line
    pad = "  " * (lst.get("indentLevel", 1) - 1)
    marker = _MARKDOWN_MARKERS.get(lst["type"], "-")
    if lst["type"] == "number":
        marker = f"{lst.get('number', 1)}."
    return f"{pad}{marker} {line}"


markdown = Floor(
    _markdown_run,
    lambda link: f"[{link.get('title', '')}]({link.get('url', '')})",
    _at,
    lambda images: " ".join(f"![]({i.get('src', '')})" for i in images),
    _markdown_line,
    "\n\n",
)
"""JSON bytes -> Markdown."""


def _html_run(run: JsonDict) -> str:
    style = run.get("style", {})
    text = _emphasis(html.escape(run.get("text", "")), style, "<strong>{}</strong>", "<s>{}</s>")
    if "textColor" in style:
        c = style["textColor"]
        rgba = [c.get("red", 0), c.get("green", 0), c.get("blue", 0), c.get("alpha", 1)]
        text = f'<span style="color: rgba({", ".join(map(str, rgba))})">{text}</span>'
    if "link" in style:
        text = f'<a href="{html.escape(style["link"].get("url", ""))}">{text}</a>'
    return text


html_ = Floor(
    _html_run,
    lambda link: (
        f'<a href="{html.escape(link.get("url", ""))}">{html.escape(link.get("title", ""))}</a>'
    ),
    lambda person: f"<span>@{html.escape(person.get('openId', ''))}</span>",
    lambda images: (
        "<p>" + "".join(f'<img src="{html.escape(i.get("src", ""))}">' for i in images) + "</p>"
    ),
    lambda line, lst: f"<li>{line}</li>" if lst else f"<p>{line}</p>",
    "\n",
)
"""JSON bytes -> HTML."""

_TEXT_MARKERS = {"bullet": "- ", "checkBox": "[ ] ", "checkedBox": "[x] ", "indent": ""}


def _text_run(run: JsonDict) -> str:
    link = run.get("style", {}).get("link")
    text: str = run.get("text", "")
    return text + (f" <{link.get('url', '')}>" if link else "")


def _text_line(line: str, lst: JsonDict | None) -> str:
    if not lst:
        return line
    marker = _TEXT_MARKERS.get(lst["type"], f"{lst.get('number', 1)}. ")
    return "  " * (int(lst.get("indentLevel", 1)) - 1) + marker + line


text = Floor(
    _text_run,
    lambda link: f"{link.get('title', '')} <{link.get('url', '')}>",
    _at,
    lambda images: " ".join(f"[image: {i.get('fileToken', '')}]" for i in images),
    _text_line,
    "\n",
)
"""JSON bytes -> plain text."""


def records(count: int = 50, seed: int = 11) -> list[bytes]:
    """Realistic envelopes of 15 blocks, as JSON bytes."""
    rng = random.Random(seed)
    return [json.dumps(make_envelope(rng, 15, i)).encode() for i in range(count)]


def writer_row(
    name: str,
    writer: Callable[[okrcontent.ProgressRecord], str],
    floor: Callable[[bytes], str],
    goal: float,
) -> Row:
    """JSON bytes -> a format with ``load_record`` and ``writer``, against its floor."""
    data = records()
    return compare(
        f"JSON -> {name}, {len(data)} records of 15 blocks",
        each(lambda b: writer(okrcontent.load_record(b)), data),
        "dict-walking converter",
        each(floor, data),
        goal=goal,
    )
