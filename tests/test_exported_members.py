"""The public API: SPEC section 7 names exist, __all__ is sorted and complete, and the
package root imports its names lazily (a program pays only for the formats it uses)."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import subprocess
import sys
import types

import okrcontent

SPEC_NAMES = {
    "load_record",
    "load_content",
    "dump_record",
    "dump_content",
    "normalize",
    "ContentError",
}


def _type_checking_names() -> set[str]:
    """The names the ``if TYPE_CHECKING:`` block of the package root imports."""
    tree = ast.parse(inspect.getsource(okrcontent))
    block = next(node for node in tree.body if isinstance(node, ast.If))  # the only one
    return {
        alias.asname or alias.name
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def test_all_is_sorted_and_complete() -> None:
    lazy = {name for names in okrcontent._EXPORTS.values() for name in names}
    public = {
        name
        for name in dir(okrcontent)
        if not name.startswith("_") and not isinstance(getattr(okrcontent, name), types.ModuleType)
    }
    assert okrcontent.__all__ == sorted(okrcontent.__all__)
    assert set(okrcontent.__all__) == public | {"__version__"}
    assert lazy <= public
    assert _type_checking_names() == lazy | set(okrcontent._SUBMODULES)


def test_every_name_is_the_object_its_module_defines() -> None:
    for module, names in okrcontent._EXPORTS.items():
        defining = importlib.import_module(f"okrcontent.{module}")
        for name in names:
            assert getattr(okrcontent, name) is getattr(defining, name), name
    assert isinstance(okrcontent.batch, types.ModuleType)
    importlib.import_module("okrcontent.normalize")  # the submodule does not shadow the function
    assert okrcontent.normalize is importlib.import_module("okrcontent.normalize").normalize


def test_spec_names_are_public() -> None:
    assert set(okrcontent.__all__) >= SPEC_NAMES


def test_an_unknown_name_is_an_attribute_error() -> None:
    assert not hasattr(okrcontent, "to_pdf")


def test_importing_the_model_loads_no_format_and_no_worker_machinery() -> None:
    heavy = ["lxml", "markdown_it", "multiprocessing", "concurrent.futures", "httpx", "cattrs"]
    code = (
        "import json, sys\n"
        "import okrcontent.model\n"
        f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))\n"
        "import okrcontent\n"
        "print(okrcontent.to_text(okrcontent.load_content({'blocks': []})) == '')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    loaded, works = result.stdout.splitlines()
    assert json.loads(loaded) == []
    assert works == "True"
