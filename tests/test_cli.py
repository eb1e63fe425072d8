"""The command line, run as a user runs it: a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import okrcontent

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "examples" / "sample-archive.jsonl"


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "okrcontent", *args],
        input=stdin.decode(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_version_and_help() -> None:
    assert run("--version").stdout.strip() == f"okrcontent {okrcontent.__version__}"
    result = run("--help")
    assert result.returncode == 0
    assert "validate" in result.stdout


def test_no_command_is_a_usage_error() -> None:
    result = run()
    assert result.returncode == 2
    assert "COMMAND" in result.stderr


def test_validate_the_sample_archive() -> None:
    result = run("validate", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "100 valid, 0 invalid"


def test_validate_reports_each_bad_record_with_its_location_and_path(tmp_path: Path) -> None:
    archive = tmp_path / "archive.jsonl"
    good = {"progress_id": "1"}
    bad = {
        "progress_id": "2",
        "content": {
            "blocks": [
                {
                    "type": "paragraph",
                    "paragraph": {"style": {"list": {"type": "bullet", "indentLevel": 40}}},
                }
            ]
        },
    }
    archive.write_text("\n".join([json.dumps(good), "{broken", json.dumps(bad), ""]))
    result = run("validate", str(archive), str(tmp_path / "missing.json"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{archive}:2: invalid JSON: Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)",
        f"{archive}:3: content.blocks[0].paragraph.style.list.indentLevel: 40 is not in 1..16",
        f"{tmp_path / 'missing.json'}: cannot read: No such file or directory",
        "1 valid, 3 invalid",
    ]


def test_validate_reads_stdin() -> None:
    result = run("validate", "-", stdin=SAMPLE.read_bytes())
    assert result.returncode == 0
    assert result.stderr.strip() == "100 valid, 0 invalid"
