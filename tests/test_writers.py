"""What every writer shares: the prologue, the table of marks, and time linear in the input
whatever its shape."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import pytest

import okrcontent
from okrcontent import Content, Paragraph, ProgressRecord, UnknownBlock
from okrcontent.writers import _common, html, markdown

from .data import SHAPES
from .timing import assert_linear

STAGES: dict[str, Callable[[Content], object]] = {
    "normalize": okrcontent.normalize,
    "markdown": okrcontent.to_markdown,
    "html": okrcontent.to_html,
    "text": okrcontent.to_text,
}

SIZES = {"many distinct styles": 4200, "long same-style runs": 2000}
"""Units a shape needs to show its property (distinct styles: past every shared cache)."""


CASES = [
    (shape, stage)
    for shape in sorted(SHAPES)
    for stage in sorted(STAGES)
    # Past the shared caches, only the canonical pass and the mark caches meet new styles:
    # normalize and the HTML writer take the paths the other writers share.
    if shape != "many distinct styles" or stage in ("normalize", "html")
]


@pytest.mark.parametrize(("shape", "stage"), CASES)
def test_time_grows_linearly_with_every_shape(shape: str, stage: str) -> None:
    assert_linear(STAGES[stage], SHAPES[shape], SIZES.get(shape, 600))


def test_both_markup_writers_wrap_every_mark_in_the_shared_order() -> None:
    keys = [key for _, key in _common.MARK_KEYS]
    assert [key for key, _ in markdown.MARKS] == keys
    assert [key for key, _ in html.MARKS] == keys


def test_a_writer_without_a_wrap_for_a_mark_is_refused() -> None:
    with pytest.raises(TypeError, match=r"no wrap for the marks \['strike'\]"):
        _common.marks({"link": 1, "colors": 2, "bold": 3})


@pytest.mark.parametrize("writer", [okrcontent.to_markdown, okrcontent.to_html, okrcontent.to_text])
def test_the_prologue_reports_unknown_parts_at_the_callers_line(
    writer: Callable[[Content], str],
) -> None:
    content = Content([UnknownBlock("table", {"type": "table"}), Paragraph(["a"])])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        writer(content)
    assert [w.filename for w in caught] == [__file__]
    assert [w.message.loss for w in caught] == [okrcontent.losses.Loss.UNKNOWN_TYPE]  # type: ignore[union-attr]


def test_the_prologue_keeps_the_record() -> None:
    record = ProgressRecord(progress_id="7", content=Content(["a"]))
    document = _common.prologue(record, "text")
    assert document.record is record
    assert document.lines == [((okrcontent.TextRun("a"),), None, None)]
    assert _common.prologue(Content(["a"]), "text").record is None
