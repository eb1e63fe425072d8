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


RECORD = json.loads(SAMPLE.read_text(encoding="utf-8").splitlines()[0])


def test_convert_a_record_to_each_format(tmp_path: Path) -> None:
    source = tmp_path / "record.json"
    source.write_text(json.dumps(RECORD), encoding="utf-8")
    record = okrcontent.load_record(RECORD)
    assert run("convert", str(source), "--to", "markdown").stdout == okrcontent.to_markdown(record)
    assert run("convert", str(source), "--to", "text").stdout == okrcontent.to_text(record)
    as_json = json.loads(run("convert", str(source), "--to", "json").stdout)
    assert as_json == RECORD["data"]


def test_convert_in_a_pipe() -> None:
    markdown = run("convert", "-", "--to", "markdown", stdin=json.dumps(RECORD).encode())
    assert markdown.returncode == 0
    text = run("convert", "-", "--from", "markdown", "--to", "text", stdin=markdown.stdout.encode())
    assert text.returncode == 0
    assert text.stdout == okrcontent.to_text(okrcontent.load_record(RECORD))


def test_convert_to_a_file_with_people(tmp_path: Path) -> None:
    people = tmp_path / "people.json"
    people.write_text(json.dumps({"ou_1": "Alice"}), encoding="utf-8")
    content = tmp_path / "content.json"
    content.write_text(
        json.dumps(
            {
                "blocks": [
                    {
                        "type": "paragraph",
                        "paragraph": {
                            "elements": [{"type": "person", "person": {"openId": "ou_1"}}]
                        },
                    }
                ]
            }
        )
    )
    out = tmp_path / "out.txt"
    result = run("convert", str(content), "--to", "text", "-o", str(out), "--people", str(people))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == "@Alice\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_convert_markdown_file_by_its_extension(tmp_path: Path) -> None:
    source = tmp_path / "update.md"
    source.write_text("- [x] shipped\n- *risk*\n", encoding="utf-8")
    result = run("convert", str(source), "--to", "json")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"{source}: warning: italic read as plain text (the format has no italic)"
    ]
    blocks = json.loads(result.stdout)["blocks"]
    assert [b["paragraph"]["style"]["list"]["type"] for b in blocks] == ["checkedBox", "bullet"]


def test_convert_bad_input_is_exit_1_with_the_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "code": 0,
                "msg": "ok",
                "data": {
                    "content": {
                        "blocks": [
                            {
                                "type": "paragraph",
                                "paragraph": {
                                    "style": {"list": {"type": "bullet", "indentLevel": 99}}
                                },
                            }
                        ]
                    }
                },
            }
        )
    )
    result = run("convert", str(bad), "--to", "markdown")
    assert result.returncode == 1
    assert result.stderr == (
        f"{bad}: data.content.blocks[0].paragraph.style.list.indentLevel: 99 is not in 1..16\n"
    )
    assert result.stdout == ""


def test_convert_usage_errors_are_exit_2(tmp_path: Path) -> None:
    unknown = tmp_path / "notes.docx"
    unknown.write_bytes(b"x")
    cases = [
        ("convert", str(unknown), "--to", "text"),
        ("convert", str(tmp_path / "missing.json"), "--to", "text"),
        ("convert", "-", "--to", "pdf"),
        ("convert", "-"),
        ("convert", "a.json", "b.json", "--to", "text"),
        ("convert", "-", "--to", "text", "--people", str(unknown)),
    ]
    for args in cases:
        result = run(*args)
        assert result.returncode == 2, args
        assert "error:" in result.stderr, args
