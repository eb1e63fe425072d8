"""How the readers' time grows with their input: every shape, 10 KB to 10 MB, doubling.

Each reader reads inputs of one shape at sizes 10 KB, 20 KB, ..., 10 MB (11 sizes); the
table shows the time per call at a few sizes and the largest growth between two
consecutive sizes. Linear reading doubles the time when the input doubles; the goal is at
most 2.2x at every step (issue 19). Shapes: what the writers emit (realistic records),
and what stresses a reader: one long paragraph, many runs, many distinct styles, deep
lists, hostile markup.

``python -m benchmarks.bench_read_scaling [--quick]`` (``--quick``: up to 1.3 MB).
"""

from __future__ import annotations

import gc
import itertools
import json
import random
import sys
import time
import warnings
from collections.abc import Callable

import okrcontent
from tests.realistic import make_envelope

GOAL = 2.2
"""The most the time may grow when the input doubles."""

START = 10_000


def _records(write: Callable[[okrcontent.ProgressRecord], str]) -> Callable[[int], str]:
    """Realistic records as the writer writes them, one after another, to a size."""
    rng = random.Random(7)
    records = [okrcontent.load_record(json.dumps(make_envelope(rng, 15, i))) for i in range(60)]
    texts = [write(record) for record in records]

    def make(size: int) -> str:
        out: list[str] = []
        total = 0
        while total < size:
            out.append(texts[len(out) % len(texts)])
            total += len(out[-1]) + 1
        return "\n".join(out)

    return make


def _repeat(unit: str, joiner: str = "") -> Callable[[int], str]:
    """``unit`` repeated to ``size`` characters."""
    return lambda size: joiner.join([unit] * max(size // (len(unit) + len(joiner)), 1))


_SALT = random.Random(3)


def _html_colours(size: int) -> str:
    """A colour a span, every one new (also to the readers' caches, from call to call)."""
    first = _SALT.randrange(1 << 24)
    colours = ((first + i * 7919) % (1 << 24) for i in range(size // 36))
    return "<p>" + "".join(f"<span style='color:#{c:06x}'>x</span>" for c in colours)


def _wrapped(make: Callable[[int], str], head: str, tail: str) -> Callable[[int], str]:
    return lambda size: head + make(size) + tail


Reader = Callable[[str], object]
SHAPES: dict[str, tuple[Reader, dict[str, Callable[[int], str]]]] = {
    "HTML": (
        okrcontent.from_html,
        {
            "realistic records": _records(okrcontent.to_html),
            "one paragraph of <br> lines": _wrapped(_repeat("a line<br>"), "<p>", "</p>"),
            "one paragraph, many runs": _wrapped(_repeat("<b>a</b> <i>b</i> "), "<p>", "</p>"),
            "distinct colours": _html_colours,
            "lists 20 deep": _repeat("<ul><li>x" * 20 + "</li></ul>" * 20),
            "Word list paragraphs": _repeat(
                "<p style='mso-list:l0 level2 lfo1'><span style='mso-list:Ignore'>1.</span>x</p>"
            ),
        },
    ),
    "Markdown": (
        okrcontent.from_markdown,
        {
            "realistic records": _records(okrcontent.to_markdown),
            "soft-wrapped paragraph": _repeat("word word\n"),
            "hard breaks": _repeat("a\\\n"),
            "colour spans": _repeat('<span style="color:red">x</span> '),
            "nested bullets": _repeat("- a\n  - b\n    - c\n"),
            "bare URLs and schemes": _repeat("see https://a.test/x and x:// "),
        },
    ),
    "text": (
        okrcontent.from_text,
        {
            "realistic records": _records(okrcontent.to_text),
            "one long line": _repeat("word "),
            "links": _repeat("docs <https://a.test/x> "),
            "deep indentation": _repeat(" " * 30 + "- x\n"),
        },
    ),
}
"""Reader -> (its function, shape -> input of a size)."""


def seconds(read: Reader, make: Callable[[int], str], size: int) -> tuple[int, float]:
    """The input's length and the CPU seconds of reading it: the best of a few reads of
    fresh inputs of that size, with the garbage collector off (its pauses grow with all
    that the process holds, not with the reader; as in tests/timing.py)."""
    repeat = 5 if size < 200_000 else 3 if size < 3_000_000 else 2
    best, spent, runs = float("inf"), 0.0, 0
    while runs < repeat or (spent < 0.3 and runs < 50):  # (a 1 ms read: more runs)
        text = make(size)
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            read(text)
            elapsed = time.process_time() - started
        finally:
            gc.enable()
        best, spent, runs = min(best, elapsed), spent + elapsed, runs + 1
    return len(text), max(best, 1e-6)


def measure(read: Reader, make: Callable[[int], str], largest: int) -> list[tuple[int, float]]:
    sizes, size = [], START
    while size <= largest:
        sizes.append(size)
        size *= 2
    return [seconds(read, make, size) for size in sizes]


def _fmt(value: float) -> str:
    return f"{value * 1e3:.3g} ms" if value < 1 else f"{value:.3g} s"


def main(largest: int = 10_240_000) -> bool:
    top = f"{largest // 1_000_000} MB"
    print(f"\n## Readers: time as the input doubles, {START // 1000} KB to {top}\n")
    print("| reader | shape | 10 KB | 160 KB | largest | worst growth a doubling | goal |")
    print("|---|---|---|---|---|---|---|")
    met = True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        for name, (read, shapes) in SHAPES.items():
            for shape, make in shapes.items():
                points = measure(read, make, largest)
                worst = max(b[1] / a[1] for a, b in itertools.pairwise(points))
                ok = worst <= GOAL
                met = met and ok
                print(
                    f"| {name} | {shape} | {_fmt(points[0][1])} | {_fmt(points[4][1])} | "
                    f"{_fmt(points[-1][1])} ({points[-1][0] / 1e6:.1f} MB) | {worst:.2f}x | "
                    f"<= {GOAL}x {'met' if ok else 'MISSED'} |",
                    flush=True,
                )
    return met


if __name__ == "__main__":
    raise SystemExit(0 if main(1_280_000 if "--quick" in sys.argv else 10_240_000) else 1)
