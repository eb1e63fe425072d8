"""``python -m benchmarks``: every benchmark, each against its reference in the same run.

Exits 1 if a goal was missed (the table says which).
"""

from __future__ import annotations

import platform
import sys

from . import (
    bench_batch,
    bench_codec,
    bench_html,
    bench_markdown,
    bench_read_scaling,
    bench_scaling,
    bench_text,
)

SUITES = [
    bench_codec.main,
    bench_markdown.main,
    bench_html.main,
    bench_text.main,
    bench_scaling.main,
    bench_read_scaling.main,
    bench_batch.main,
]

print(f"# okrcontent benchmarks (Python {platform.python_version()}, {platform.machine()})")
results = [suite() for suite in SUITES]  # every suite runs, even after a missed goal
sys.exit(0 if all(results) else 1)
