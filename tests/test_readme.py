"""The README's first example runs as printed, from the checkout."""

from __future__ import annotations

import os
import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def test_the_use_example_runs_as_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    use = readme[readme.index("\n## Use\n") :]
    code = re.search(r"```python\n(.*?)```", use, re.DOTALL)
    assert code is not None
    script = tmp_path / "use.py"
    script.write_text(code.group(1), encoding="utf-8")
    monkeypatch.chdir(ROOT)
    runpy.run_path(os.fspath(script), run_name="__main__")
    assert "- [ ]" in capsys.readouterr().out  # the sample's first record, as Markdown
