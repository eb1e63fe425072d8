"""JSON bytes <-> model: ``load_record`` against ``json.loads`` of the same bytes.

Goal (issue 3): ``load_record`` from bytes within 2x of ``json.loads`` alone, on realistic
records; unknown keys must not cost the common case much.
"""

from __future__ import annotations

import json
import random
from typing import Any

import okrcontent
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


def rows() -> list[Row]:
    rng = random.Random(7)
    small = [json.dumps(make_envelope(rng, 15, i)).encode() for i in range(50)]
    big = json.dumps(make_envelope(rng, 500)).encode()
    unknown = [json.dumps(_with_unknown_keys(json.loads(b))).encode() for b in small]
    loaded = [okrcontent.load_record(b) for b in small]

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
    ]


def main() -> bool:
    return report("codec: JSON <-> model (ratio to json.loads of the same bytes)", rows())


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
