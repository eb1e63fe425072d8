"""Plain text on realistic records: JSON bytes -> text with ``load_record`` + ``to_text``,
against :func:`benchmarks.floors.text`, a plain converter over the parsed dicts (the floor:
it parses the same JSON and writes the same kind of lines, without a model, canonical form
or escapes). Goal (issue 19): within 2x.
"""

from __future__ import annotations

import okrcontent

from . import floors
from .harness import report


def main() -> bool:
    row = floors.writer_row("text", okrcontent.to_text, floors.text, goal=2.0)
    return report("Plain text (ratio to the reference in the same run)", [row])


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
