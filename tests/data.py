"""Test data more than one test module uses: the API's own example, bad archive lines, and
archives of realistic records. Test modules import this, never each other."""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import okrcontent
from okrcontent import Color, Content, Link, ListStyle, Paragraph, TextRun, TextStyle

from .outline import FIXTURES
from .realistic import make_envelope

API_EXAMPLE = (FIXTURES / "api-example.json").read_text(encoding="utf-8")
"""The envelope of the official API page's example answer."""

BAD_LINES = [
    b"{broken json",
    json.dumps(
        {
            "progress_id": "1",
            "content": {
                "blocks": [
                    {
                        "type": "paragraph",
                        "paragraph": {"style": {"list": {"type": "bullet", "indentLevel": 40}}},
                    }
                ]
            },
        }
    ).encode(),
    json.dumps({"content": {"blocks": []}}).encode(),
    json.dumps({"progress_id": "../../escape", "content": {"blocks": []}}).encode(),
]
"""Archive lines that must each be reported, and cost no other record."""


def archive(
    path: Path, count: int, *, bad: bool = True, seed: int = 5, first: int = 0
) -> list[dict[str, Any]]:
    """A JSON Lines archive of ``count`` realistic envelopes, with bad lines between."""
    rng = random.Random(seed)
    envelopes = [make_envelope(rng, 8, first + index) for index in range(count)]
    lines = [json.dumps(e, ensure_ascii=False).encode() for e in envelopes]
    if bad:
        for offset, line in enumerate(BAD_LINES):
            lines.insert(3 + offset * 5, line)
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wb") as stream:
        stream.write(b"\n".join(lines) + b"\n")
    return envelopes


V2_FIXTURES = ("progress.json", "progress-sdk-integers.json")
"""Progress items of the v2 lists, as the API page and the SDK spell them."""


def v2_archive(path: Path, count: int, *, seed: int = 6) -> list[dict[str, Any]]:
    """A JSON Lines archive of v2 progress items: the fixtures, then ``count`` realistic
    records spelled v2 (ids from ``7146...``)."""
    items = [json.loads((FIXTURES / "v2" / name).read_text()) for name in V2_FIXTURES]
    rng = random.Random(seed)
    for index in range(count):
        record = okrcontent.load_record(make_envelope(rng, 6, 100_000_000_000_000_000 + index))
        items.append(okrcontent.dump_record(record, "v2"))
    path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items))
    return items


def with_lone_surrogates(envelope: dict[str, Any]) -> dict[str, Any]:
    """The envelope with one more line, whose text and mention id hold a lone surrogate
    (valid JSON, ``"\\ud800"``; no file can hold it as UTF-8)."""
    envelope = json.loads(json.dumps(envelope))
    envelope["data"]["content"]["blocks"].append(
        {
            "type": "paragraph",
            "paragraph": {
                "elements": [
                    {"type": "textRun", "textRun": {"text": "half \ud800 a pair"}},
                    {"type": "person", "person": {"openId": "ou_\ud800"}},
                ]
            },
        }
    )
    return envelope


API_ERROR_BODY = {"code": 99991663, "msg": "token invalid"}
"""What the OpenAPI answers for a bad token: an envelope without ``data``."""


# --- pathological shapes: what a writer must handle in linear time ---------------------------

BOLD = TextStyle(bold=True)


def _many_runs(n: int) -> Content:
    """Paragraphs of 100 short runs, the style changing at every run."""
    styles = [None, BOLD, TextStyle(strikethrough=True), TextStyle(link=Link("https://e.x/a"))]
    return Content(
        [
            Paragraph([TextRun(f"w{i} ", styles[i % 4]) for i in range(100)])
            for _ in range(max(1, n // 100))
        ]
    )


def _same_style(n: int) -> Content:
    """One paragraph of ``n`` adjacent runs of one style: canonical form merges them."""
    return Content([Paragraph([TextRun("one-style-run-" * 5, BOLD)] * n)])


def _deep_lists(n: int) -> Content:
    """Lines going down to level 16 and back up, numbered, bulleted and tasks."""
    kinds = ["number", "bullet", "checkBox", "indent"]
    return Content(
        [
            Paragraph([f"line {i}"], ListStyle(kinds[i // 16 % 4], 1 + abs(i % 30 - 15), i))
            for i in range(n)
        ]
    )


def _distinct_styles(n: int) -> Content:
    """Runs whose styles are all different (more than any cache holds)."""
    return Content(
        [
            Paragraph(
                [
                    TextRun("x ", TextStyle(text_color=Color(i % 256, i // 256 % 256, i // 65536)))
                    for i in range(start, start + 50)
                ]
            )
            for start in range(0, max(n, 50), 50)
        ]
    )


def _huge_paragraph(n: int) -> Content:
    """One paragraph: one run of ``n`` short lines full of Markdown syntax."""
    return Content([Paragraph(["a *b* _c_ [d](e) <f> 1. g\n" * n])])


SHAPES: dict[str, Callable[[int], Content]] = {
    "many runs": _many_runs,
    "long same-style runs": _same_style,
    "deep lists": _deep_lists,
    "many distinct styles": _distinct_styles,
    "huge single paragraph": _huge_paragraph,
}
"""Pathological contents by shape, ``n`` units each (a unit is a run or a line, ~20-60 bytes
of JSON): the writers' scaling test and benchmark."""
