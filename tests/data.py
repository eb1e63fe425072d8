"""Test data more than one test module uses: the API's own example, bad archive lines, and
archives of realistic records. Test modules import this, never each other."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any

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
