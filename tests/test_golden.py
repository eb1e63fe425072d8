"""The writers' outputs, pinned by digest: a change to any output byte is seen.

``tests/fixtures/golden/<format>.sha256`` holds one SHA-256 a content: every record of the
sample archive, realistic records (:mod:`tests.realistic`, fixed seeds) and generated
contents full of syntax and unicode (:func:`tests.strategies.seeded_wire_content`, fixed
seeds). Speed work must leave every digest as it is. An intended change of output is
regenerated with ``OKRCONTENT_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and the reason
goes in the commit message. The first line of each file is the digest of the sample archive
itself: a new archive means new digests, not a changed writer.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import okrcontent
from okrcontent import Content, ProgressRecord

from .outline import FIXTURES
from .realistic import make_record
from .strategies import seeded_wire_content

SAMPLE = Path(__file__).parent.parent / "examples" / "sample-archive.jsonl"
GOLDEN = FIXTURES / "golden"
PEOPLE = {"ou_4ac87fc089be9c5c": "Alice"}

WRITERS: dict[str, Callable[[Content | ProgressRecord], str]] = {
    "markdown": lambda c: okrcontent.to_markdown(c, people=PEOPLE),
    "html": lambda c: okrcontent.to_html(c, people=PEOPLE),
    "html-standalone": lambda c: okrcontent.to_html(c, standalone=True),
    "text": lambda c: okrcontent.to_text(c, people=PEOPLE),
}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def corpus() -> Iterator[tuple[str, Content | ProgressRecord]]:
    """Every pinned content, with its name."""
    with SAMPLE.open("rb") as stream:
        for number, line in enumerate(stream, 1):
            yield f"sample:{number}", okrcontent.load_record(line)
    for seed in (1, 2):
        rng = random.Random(seed)
        for index in range(40):
            record = json.dumps(make_record(rng, 15, index))
            yield f"realistic:{seed}:{index}", okrcontent.load_record(record)
    for seed in range(200):
        wire = seeded_wire_content(random.Random(seed))
        yield f"generated:{seed}", okrcontent.load_content(wire)


def outputs(writer: Callable[[Content | ProgressRecord], str]) -> dict[str, str]:
    digests = {"archive": _digest(SAMPLE.read_bytes())}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        for name, content in corpus():
            digests[name] = _digest(writer(content).encode("utf-8"))
    return digests


def _read(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return dict(line.split(" ", 1) for line in lines if line)


@pytest.mark.parametrize("format_", sorted(WRITERS))
def test_outputs_are_unchanged(format_: str) -> None:
    path = GOLDEN / f"{format_}.sha256"
    now = outputs(WRITERS[format_])
    if os.environ.get("OKRCONTENT_UPDATE_GOLDEN"):
        path.write_text("".join(f"{k} {v}\n" for k, v in now.items()), encoding="utf-8")
    pinned = _read(path)
    assert now["archive"] == pinned["archive"], (
        "examples/sample-archive.jsonl changed: regenerate the digests "
        "(OKRCONTENT_UPDATE_GOLDEN=1 pytest tests/test_golden.py)"
    )
    changed = [name for name in pinned if now.get(name) != pinned[name]]
    assert not changed, f"{len(changed)} outputs changed, first: {changed[:5]}"
    assert set(now) == set(pinned)
