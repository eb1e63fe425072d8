"""The public API: SPEC section 7 names exist, and __all__ is sorted and complete."""

from __future__ import annotations

import okrcontent

SPEC_NAMES = {
    "load_record",
    "load_content",
    "dump_record",
    "dump_content",
    "normalize",
    "ContentError",
}


def test_all_is_sorted_and_complete() -> None:
    exported = {name for name in vars(okrcontent) if not name.startswith("_")}
    modules = {name for name, value in vars(okrcontent).items() if type(value).__name__ == "module"}
    assert okrcontent.__all__ == sorted(okrcontent.__all__)
    assert set(okrcontent.__all__) == (exported - modules) | {"__version__"}


def test_spec_names_are_public() -> None:
    assert set(okrcontent.__all__) >= SPEC_NAMES
