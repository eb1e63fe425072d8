"""What every writer shares: the prologue, the table of marks, and time linear in the input
whatever its shape."""

from __future__ import annotations

import gc
import warnings
from collections.abc import Callable, Iterator

import pytest

import okrcontent
from okrcontent import Content, Paragraph, ProgressRecord, UnknownBlock
from okrcontent.normalize import CACHE_SIZE, clear_caches
from okrcontent.writers import _common, html, markdown

from .data import SHAPES
from .timing import assert_linear

STAGES: dict[str, Callable[[Content], object]] = {
    "normalize": okrcontent.normalize,
    "markdown": okrcontent.to_markdown,
    "html": okrcontent.to_html,
    "text": okrcontent.to_text,
}


@pytest.fixture(autouse=True, scope="module")
def _frozen_heap() -> Iterator[None]:
    """What earlier tests left in memory is frozen out of the collector's way: the timing
    helpers collect before every measurement, and should not walk all of it each time."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


SIZES = {"long same-style runs": 2000}
"""Units a shape needs to show its property (a quadratic merge shows past a few thousand)."""


@pytest.mark.parametrize("stage", sorted(STAGES))
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_time_grows_linearly_with_every_shape(shape: str, stage: str) -> None:
    def cold(content: Content) -> object:
        clear_caches()  # every run meets its styles for the first time, as a new record does
        return STAGES[stage](content)

    assert_linear(cold, SHAPES[shape], SIZES.get(shape, 400))


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


def test_more_distinct_styles_than_the_caches_hold_are_all_right() -> None:
    content = SHAPES["many distinct styles"](2 * CACHE_SIZE + 100)
    runs = [e for b in okrcontent.normalize(content).blocks for e in getattr(b, "elements", ())]
    colors = [r.style.text_color for r in runs if r.style is not None]
    assert len(colors) == len(runs) - 1  # the first is black: no colour
    assert len(set(colors)) == len(colors) > 2 * CACHE_SIZE
    assert all(c is not None and type(c.alpha) is float for c in colors)
    assert okrcontent.to_html(content).count("<span") == len(colors)
