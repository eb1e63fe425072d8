"""JSON bytes <-> model: ``load_record`` against ``json.loads`` of the same bytes.

Goal (issues 3 and 19): ``load_record`` from bytes within 2x of ``json.loads`` alone, on
realistic records, in both spellings; unknown keys must not cost the common case much, and
content with more distinct styles than the intern caches hold must not cost much more per
run than content with few.
"""

from __future__ import annotations

import json
import random
from typing import Any

import okrcontent
from okrcontent import codec
from tests.realistic import make_envelope

from .harness import Row, compare, each, report


def _with_unknown_keys(value: Any) -> Any:
    """The same record with an undocumented key in every object."""
    if isinstance(value, dict):
        out = {k: _with_unknown_keys(v) for k, v in value.items()}
        out["futureField"] = 1
        return out
    if isinstance(value, list):
        return [_with_unknown_keys(v) for v in value]
    return value


def _as_v2_item(envelope: dict[str, Any], index: int) -> bytes:
    """The same record as an item of a v2 progress list."""
    record = okrcontent.load_record(envelope)
    item = okrcontent.dump_record(record, "v2")
    item.update(entity_type=3, entity_id=str(7342342398472398474 + index))
    return json.dumps(item).encode()


def _styled(distinct: int, runs: int = 20_000) -> bytes:
    """Content of ``runs`` coloured runs in ``distinct`` styles, 40 runs a line."""

    def run(k: int) -> dict[str, Any]:
        color = {"red": k % 256, "green": k // 256 % 256, "blue": k // 65536 % 256}
        return {"type": "textRun", "textRun": {"text": "x", "style": {"textColor": color}}}

    lines = [
        {
            "type": "paragraph",
            "paragraph": {"elements": [run(i % distinct) for i in range(j, j + 40)]},
        }
        for j in range(0, runs, 40)
    ]
    return json.dumps({"blocks": lines}).encode()


def _without_msgspec(text: bytes) -> Any:
    saved, codec._fast_decode = codec._fast_decode, None
    try:
        return okrcontent.load_record(text)
    finally:
        codec._fast_decode = saved


def rows() -> list[Row]:
    rng = random.Random(7)
    envelopes = [make_envelope(rng, 15, i) for i in range(50)]
    small = [json.dumps(e).encode() for e in envelopes]
    big = json.dumps(make_envelope(rng, 500)).encode()
    unknown = [json.dumps(_with_unknown_keys(json.loads(b))).encode() for b in small]
    v2 = [_as_v2_item(e, i) for i, e in enumerate(envelopes)]
    loaded = [okrcontent.load_record(b) for b in small]
    loaded_v2 = [okrcontent.load_record(b) for b in v2]
    few, many = _styled(100), _styled(20_000)

    n = len(small)
    return [
        compare(
            f"load_record, {n} records of 15 blocks",
            each(okrcontent.load_record, small),
            "json.loads",
            each(json.loads, small),
            goal=2.0,
        ),
        compare(
            "load_record, one record of 500 blocks",
            lambda: okrcontent.load_record(big),
            "json.loads",
            lambda: json.loads(big),
            goal=2.0,
        ),
        compare(
            f"load_record, {n} v2 progress items of 15 blocks",
            each(okrcontent.load_record, v2),
            "json.loads",
            each(json.loads, v2),
            goal=2.0,
        ),
        compare(
            f"load_record without msgspec (json module only), {n} records",
            each(_without_msgspec, small),
            "json.loads",
            each(json.loads, small),
        ),
        compare(
            f"load_record, {n} records, unknown key in every object",
            each(okrcontent.load_record, unknown),
            "json.loads",
            each(json.loads, unknown),
        ),
        compare(
            f"dump_record, {n} records of 15 blocks",
            each(okrcontent.dump_record, loaded),
            "json.loads",
            each(json.loads, small),
        ),
        compare(
            f"dump_record, {n} v2 progress items",
            each(okrcontent.dump_record, loaded_v2),
            "json.loads",
            each(json.loads, v2),
        ),
        compare(
            "load_content, 20,000 runs in 20,000 distinct styles",
            lambda: okrcontent.load_content(many),
            "the same in 100 styles",
            lambda: okrcontent.load_content(few),
        ),
    ]


def main() -> bool:
    return report("codec: JSON <-> model (ratio to json.loads of the same bytes)", rows())


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
