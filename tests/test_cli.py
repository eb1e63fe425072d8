"""The command line, run as a user runs it: a subprocess where the process matters (pipes,
standard input), in this process otherwise (``okrcontent.cli.main``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import okrcontent
from okrcontent.cli import main

from .data import API_ERROR_BODY, with_lone_surrogates

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "examples" / "sample-archive.jsonl"
SAMPLE_RECORDS = SAMPLE.read_bytes().count(b"\n")


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
    assert result.stderr.strip() == f"{SAMPLE_RECORDS} valid, 0 invalid"


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
    assert result.stderr.strip() == f"{SAMPLE_RECORDS} valid, 0 invalid"


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
        ("convert", "-", "--to", "pdf"),
        ("convert", "-"),
        ("convert", "a.json", "b.json", "--to", "text"),
        ("convert", "-", "--to", "text", "--people", str(unknown)),
    ]
    for args in cases:
        result = run(*args)
        assert result.returncode == 2, args
        assert "error:" in result.stderr, args


def test_output_goes_through_links_and_special_files(tmp_path: Path) -> None:
    source = tmp_path / "record.json"
    source.write_text(json.dumps(RECORD), encoding="utf-8")
    expected = okrcontent.to_text(okrcontent.load_record(RECORD))
    (tmp_path / "docs").mkdir()
    (tmp_path / "link.txt").symlink_to("docs/record.txt")
    assert (
        run("convert", str(source), "--to", "text", "-o", str(tmp_path / "link.txt")).stderr == ""
    )
    assert (tmp_path / "link.txt").is_symlink()
    assert (tmp_path / "docs" / "record.txt").read_text(encoding="utf-8") == expected
    to_stdout = run("convert", str(source), "--to", "text", "-o", "/dev/stdout")
    assert (to_stdout.returncode, to_stdout.stdout) == (0, expected)


def test_a_missing_output_folder_is_one_line(tmp_path: Path) -> None:
    source = tmp_path / "record.json"
    source.write_text(json.dumps(RECORD), encoding="utf-8")
    target = tmp_path / "nodir" / "x.txt"
    result = run("convert", str(source), "--to", "text", "-o", str(target))
    assert (result.returncode, result.stdout) == (1, "")
    assert (
        result.stderr == f"okrcontent: error: {target}: cannot write: No such file or directory\n"
    )
    assert list(tmp_path.iterdir()) == [source]


def test_inputs_that_fail_are_one_line_each(tmp_path: Path) -> None:
    (tmp_path / "folder.json").mkdir()
    (tmp_path / "latin1.md").write_bytes("caf\xe9\n".encode("latin-1"))
    cases = {
        str(tmp_path / "missing.json"): "cannot read: No such file or directory",
        str(tmp_path / "latin1.md"): "not UTF-8 text: 'utf-8' codec can't decode byte 0xe9 in "
        "position 3: invalid continuation byte",
    }
    for name, message in cases.items():
        result = run("convert", name, "--to", "text")
        assert (result.returncode, result.stderr) == (1, f"{name}: {message}\n"), name
    checked = run("validate", *cases)
    assert checked.returncode == 1
    assert checked.stderr.splitlines() == [
        *(f"{n}: {m}" for n, m in cases.items()),
        "0 valid, 2 invalid",
    ]


def test_usage_errors_of_every_kind_are_one_line(tmp_path: Path) -> None:
    source = tmp_path / "record.json"
    source.write_text(json.dumps(RECORD), encoding="utf-8")
    (tmp_path / "people.json").write_text("[1, 2]")
    cases = [
        ("convert", str(tmp_path), "--to", "text"),  # a folder needs -o
        ("convert", str(source), "--to", "text", "--people", str(tmp_path / "people.json")),
        ("convert", str(source), "--to", "text", "--people", str(tmp_path)),
        ("convert", str(tmp_path), "--to", "text", "-o", "o/", "--report", "no/such/r.jsonl"),
    ]
    for args in cases:
        result = run(*args)
        assert result.returncode == 2, args
        assert result.stderr.startswith("usage: okrcontent convert "), args
        assert result.stderr.splitlines()[-1].startswith("okrcontent: error: "), args
        assert "Traceback" not in result.stderr, args


def test_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    blocks = [{"type": "paragraph", "paragraph": {"elements": []}}] * 50_000
    (tmp_path / "long.json").write_text(json.dumps({"blocks": blocks}))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "okrcontent",
            "convert",
            str(tmp_path / "long.json"),
            "--to",
            "json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    assert process.stdout.read(10) == b'{\n  "block'
    process.stdout.close()
    with process.stderr:
        assert process.stderr.read() == b""
    assert process.wait(timeout=60) == 0


def test_lone_surrogates_and_error_bodies(tmp_path: Path) -> None:
    hostile = with_lone_surrogates(RECORD)
    (tmp_path / "hostile.json").write_text(json.dumps(hostile), encoding="ascii")
    as_json = run("convert", str(tmp_path / "hostile.json"), "--to", "json")
    assert as_json.returncode == 0, as_json.stderr
    assert "\\ud800" in as_json.stdout  # kept as the escape: valid UTF-8, the same string
    assert json.loads(as_json.stdout) == hostile["data"]
    (tmp_path / "error.json").write_text(json.dumps(API_ERROR_BODY))
    error_body = run("convert", str(tmp_path / "error.json"), "--to", "text")
    assert (error_body.returncode, error_body.stdout) == (1, "")
    assert error_body.stderr == (
        f"{tmp_path / 'error.json'}: code: the API answered code 99991663: 'token invalid'\n"
    )
    as_markdown = run("convert", str(tmp_path / "hostile.json"), "--to", "markdown")
    assert "Traceback" not in as_markdown.stderr
    assert as_markdown.returncode in (0, 1)
    if as_markdown.returncode:
        assert as_markdown.stderr.startswith(f"{tmp_path / 'hostile.json'}: cannot be written")


def test_validate_reads_documents_with_their_reader(tmp_path: Path) -> None:
    (tmp_path / "update.md").write_text("- [x] shipped\n- *risk*\n", encoding="utf-8")
    (tmp_path / "page.html").write_text("<p>ok</p>", encoding="utf-8")
    (tmp_path / "content.json").write_text('{"blocks": []}', encoding="utf-8")
    names = [str(tmp_path / n) for n in ("update.md", "page.html", "content.json")]
    result = run("validate", *names)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{names[0]}: warning: italic read as plain text (the format has no italic)",
        "3 valid, 0 invalid",
    ]


# --- in process: what the command says, exactly -------------------------------------------------

V2_ITEM = ROOT / "tests" / "fixtures" / "v2" / "progress.json"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The command run in this process: (exit status, standard output, standard error)."""
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_convert_between_the_two_spellings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    v1 = tmp_path / "record.json"
    v1.write_text(json.dumps(RECORD), encoding="utf-8")
    status, out, _ = cli(capsys, "convert", str(v1), "--to", "json", "--dialect", "v2")
    assert status == 0
    record = okrcontent.load_record(RECORD)
    assert json.loads(out) == okrcontent.dump_record(record, "v2")
    assert json.loads(out)["id"] == record.progress_id  # v2 names the id "id"
    assert okrcontent.load_record(out) == record
    status, out, _ = cli(capsys, "convert", str(V2_ITEM), "--to", "json", "--dialect", "v1")
    assert status == 0
    item = okrcontent.load_record(V2_ITEM.read_text())
    assert json.loads(out) == okrcontent.dump_record(item, "v1")
    assert "progress_id" in json.loads(out)
    status, out, _ = cli(capsys, "convert", str(V2_ITEM), "--to", "json")  # as it came
    assert json.loads(out) == json.loads(V2_ITEM.read_text())
    content = tmp_path / "content.json"
    content.write_text(json.dumps(RECORD["data"]["content"]), encoding="utf-8")
    status, out, _ = cli(capsys, "convert", str(content), "--to", "json", "--dialect", "v2")
    assert (status, json.loads(out)["blocks"][0]["block_element_type"]) == (0, "paragraph")


def test_standalone_html_like_pandoc(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "record.json"
    source.write_text(json.dumps(RECORD), encoding="utf-8")
    record = okrcontent.load_record(RECORD)
    for flags, standalone in [((), False), (("-s",), True), (("--standalone",), True)]:
        status, out, _ = cli(capsys, "convert", str(source), "--to", "html", *flags)
        assert (status, out) == (0, okrcontent.to_html(record, standalone=standalone)), flags
    assert out.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in out


def test_writer_options_for_another_format_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "record.json"
    source.write_text(json.dumps(RECORD), encoding="utf-8")
    for args, message in [
        (("--to", "markdown", "--dialect", "v2"), "--dialect is for --to json"),
        (("--to", "text", "-s"), "--standalone is for --to html"),
        (("--to", "json", "--no-standalone"), "--standalone is for --to html"),
        (("--to", "text", "-o", f"{tmp_path}/out/", "-s"), "--standalone is for --to html"),
    ]:
        status, out, err = cli(capsys, "convert", str(source), *args)
        assert (status, out) == (2, ""), args
        assert err.splitlines()[-1] == f"okrcontent: error: {message}", args
    assert not (tmp_path / "out").exists()


def test_no_metadata_writes_the_content_alone_and_says_so(tmp_path: Path) -> None:
    record = tmp_path / "record.json"
    record.write_bytes(SAMPLE.read_bytes().split(b"\n")[0])
    with_metadata = run("convert", str(record), "--to", "markdown")
    alone = run("convert", str(record), "--to", "markdown", "--no-metadata")
    assert with_metadata.stdout.startswith("---\nprogress_id: ")
    assert alone.stdout == with_metadata.stdout.split("---\n", 2)[2].lstrip("\n")
    assert "metadata (progress_id, modified, percent, status) left out" in alone.stderr
    refused = run("convert", str(record), "--to", "json", "--no-metadata")
    assert refused.returncode == 2
    assert "--metadata is for --to html or markdown or text" in refused.stderr
