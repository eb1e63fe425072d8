"""The loss vocabulary: every reported loss is a named kind a caller can match."""

from __future__ import annotations

import warnings

import pytest

import okrcontent
from okrcontent.losses import Loss, Losses, warn


def _caught(run: object) -> list[okrcontent.LossWarning]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run()  # type: ignore[operator]
    return [w.message for w in caught if isinstance(w.message, okrcontent.LossWarning)]


def test_readers_report_kinds_not_only_words() -> None:
    (html,) = _caught(lambda: okrcontent.from_html("<i>x</i>"))
    (markdown,) = _caught(lambda: okrcontent.from_markdown("*x*"))
    assert html.loss is markdown.loss is Loss.ITALIC
    assert str(html) == Loss.ITALIC.value


def test_writers_name_what_they_left_out() -> None:
    content = okrcontent.load_content({"blocks": [{"type": "table", "table": {}}]})
    (loss,) = _caught(lambda: okrcontent.to_text(content))
    assert (loss.loss, loss.detail) == (Loss.UNKNOWN_TYPE, "blocks[0] (table)")
    assert str(loss) == "blocks[0] (table): unknown type, left out of text"


def test_each_kind_is_reported_once_per_call() -> None:
    losses = Losses()
    for _ in range(3):
        losses.add(Loss.TABLE)
    losses.add(Loss.UNKNOWN_TAG, "kbd")
    losses.add(Loss.UNKNOWN_TAG, "abbr")
    assert len(losses) == 3
    assert Loss.TABLE in losses
    assert Loss.ITALIC not in losses


@pytest.mark.parametrize("loss", list(Loss))
def test_every_message_reads_whole(loss: Loss) -> None:
    message = loss.message("x", format="HTML")
    assert "{" not in message
    assert message


def test_warn_points_at_the_caller() -> None:
    with pytest.warns(okrcontent.LossWarning) as record:
        warn(Loss.RULE, stacklevel=1)
    assert record[0].filename == __file__
