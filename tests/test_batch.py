"""Batch conversion: bad records isolated, outputs atomic, runs resumable, every input kind.

The command is run as a user runs it (a subprocess); the library call is tested beside it.
"""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import okrcontent
from okrcontent import batch

from .data import archive
from .realistic import make_envelope


def run(*args: str, stdin: bytes = b"", timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "okrcontent", *args],
        input=stdin.decode(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def expected_markdown(envelope: dict[str, Any]) -> str:
    return okrcontent.to_markdown(okrcontent.load_record(envelope))


def test_an_archive_with_bad_lines(tmp_path: Path) -> None:
    envelopes = archive(tmp_path / "archive.jsonl", 40)
    out = tmp_path / "out"
    report = tmp_path / "report.jsonl"
    result = run(
        "convert",
        str(tmp_path / "archive.jsonl"),
        "--to",
        "markdown",
        "-o",
        str(out),
        "--jobs",
        "2",
        "--report",
        str(report),
    )
    assert result.returncode == 1
    name = tmp_path / "archive.jsonl"
    assert result.stderr.splitlines()[:4] == [
        f"{name}:4: invalid JSON: Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)",
        f"{name}:9: content.blocks[0].paragraph.style.list.indentLevel: 40 is not in 1..16",
        f"{name}:14: progress_id: missing (a record needs one to name its output)",
        f"{name}:19: progress_id: '../../escape' cannot name a file",
    ]
    assert result.stderr.splitlines()[4].startswith("40 converted, 0 already there, 4 failed")
    assert sorted(p.name for p in out.glob("*.md")) == sorted(
        e["data"]["progress_id"] + ".md" for e in envelopes
    )
    for envelope in envelopes:
        path = out / (envelope["data"]["progress_id"] + ".md")
        assert path.read_text(encoding="utf-8") == expected_markdown(envelope)
    failures = [json.loads(line) for line in report.read_text().splitlines()]
    assert [f["location"] for f in failures] == [f"{name}:{n}" for n in (4, 9, 14, 19)]
    assert failures[1]["progress_id"] == "1"


@pytest.mark.parametrize("to", ["markdown", "html", "text", "json"])
def test_every_format(tmp_path: Path, to: str) -> None:
    envelopes = archive(tmp_path / "a.jsonl", 5, bad=False)
    summary = batch.convert([tmp_path / "a.jsonl"], to=to, out=tmp_path / "out", jobs=1)
    assert (summary.converted, summary.failed) == (5, 0)
    extension = okrcontent.formats.FORMATS[to].extension
    record = okrcontent.load_record(envelopes[0])
    written = (tmp_path / "out" / f"{record.progress_id}{extension}").read_text(encoding="utf-8")
    assert written == okrcontent.formats.FORMATS[to].write(record)


def test_a_rerun_skips_what_is_there_without_touching_it(tmp_path: Path) -> None:
    archive(tmp_path / "a.jsonl", 20, bad=False)
    out = tmp_path / "out"
    first = batch.convert([tmp_path / "a.jsonl"], to="markdown", out=out, jobs=2)
    assert first.converted == 20
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.md")}
    time.sleep(0.05)
    second = batch.convert([tmp_path / "a.jsonl"], to="markdown", out=out, jobs=2)
    assert (second.converted, second.skipped) == (0, 20)
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.md")} == before
    third = batch.convert([tmp_path / "a.jsonl"], to="markdown", out=out, jobs=2, overwrite=True)
    assert third.converted == 20
    assert all(p.stat().st_mtime_ns > before[p.name] for p in out.glob("*.md"))


def test_a_killed_run_leaves_only_complete_outputs_and_a_rerun_finishes(tmp_path: Path) -> None:
    envelopes = archive(tmp_path / "big.jsonl", 6000, bad=False)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "okrcontent",
            "convert",
            str(tmp_path / "big.jsonl"),
            "--to",
            "markdown",
            "-o",
            str(out),
            "--jobs",
            "2",
            "--quiet",
        ],
        start_new_session=True,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if out.exists() and len(list(out.glob("*.md"))) >= 300:
            break
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done = sorted(out.glob("*.md"))
    assert 300 <= len(done) < len(envelopes), "the run was not killed part-way"
    by_id = {e["data"]["progress_id"]: e for e in envelopes}
    for path in done:  # what a killed run leaves is complete
        assert path.read_text(encoding="utf-8") == expected_markdown(by_id[path.stem])
    result = run("convert", str(tmp_path / "big.jsonl"), "--to", "markdown", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "already there" in result.stderr
    assert sorted(p.name for p in out.iterdir() if p.name != batch.LOCK_NAME) == sorted(
        f"{i}.md" for i in by_id
    )
    for progress_id, envelope in list(by_id.items())[::97]:
        assert (out / f"{progress_id}.md").read_text(encoding="utf-8") == expected_markdown(
            envelope
        )


def test_stdin_gzip_directories_and_json_arrays(tmp_path: Path) -> None:
    folder = tmp_path / "archives"
    (folder / "2024").mkdir(parents=True)
    a = archive(folder / "2024" / "a.jsonl.gz", 3, bad=False, seed=1)
    b = archive(tmp_path / "b.jsonl", 2, bad=False, seed=2, first=50)
    c = [make_envelope(random.Random(3), 4, 100 + i) for i in range(2)]
    (folder / "c.json").write_text(json.dumps(c), encoding="utf-8")
    out = tmp_path / "out"
    result = run(
        "convert",
        str(folder),
        "-",
        "--to",
        "text",
        "-o",
        f"{out}/",
        stdin=(tmp_path / "b.jsonl").read_bytes(),
    )
    assert result.returncode == 0, result.stderr
    expected = {e["data"]["progress_id"] + ".txt" for e in a + b + c}
    assert {p.name for p in out.iterdir() if p.name != batch.LOCK_NAME} == expected


def test_duplicate_ids_are_a_conflict_not_an_overwrite(tmp_path: Path) -> None:
    envelope = make_envelope(random.Random(9), 3, 0)
    other = json.loads(json.dumps(envelope))
    other["data"]["content"]["blocks"] = []
    (tmp_path / "dup.jsonl").write_text(json.dumps(envelope) + "\n" + json.dumps(other) + "\n")
    summary = batch.convert([tmp_path / "dup.jsonl"], to="markdown", out=tmp_path / "out", jobs=1)
    assert summary.converted == 1
    assert [f.message for f in summary.failures] == [
        f"progress_id {envelope['data']['progress_id']} again: the first record's output is kept"
    ]
    written = (tmp_path / "out" / f"{envelope['data']['progress_id']}.md").read_text()
    assert written == expected_markdown(envelope)


def test_an_empty_archive_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("\n")
    result = run(
        "convert", str(tmp_path / "empty.jsonl"), "--to", "markdown", "-o", f"{tmp_path}/o/"
    )
    assert result.returncode == 0
    assert result.stderr.splitlines()[0] == "okrcontent: warning: no records found in the inputs"


def test_empty_and_unreadable_inputs(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("")
    result = run(
        "convert",
        str(tmp_path / "empty.jsonl"),
        str(tmp_path / "missing.jsonl"),
        "--to",
        "markdown",
        "-o",
        str(tmp_path / "out"),
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{tmp_path / 'missing.jsonl'}: cannot read: No such file or directory"
    )


def test_usage_errors(tmp_path: Path) -> None:
    archive(tmp_path / "a.jsonl", 1, bad=False)
    (tmp_path / "file.txt").write_text("x")
    for args in [
        ("convert", str(tmp_path / "a.jsonl"), "--to", "markdown"),
        (
            "convert",
            str(tmp_path / "a.jsonl"),
            "--to",
            "markdown",
            "-o",
            str(tmp_path / "file.txt"),
        ),
        (
            "convert",
            str(tmp_path / "a.jsonl"),
            "--to",
            "markdown",
            "-o",
            "x/",
            "--from",
            "markdown",
        ),
        ("convert", str(tmp_path / "a.jsonl"), "--to", "markdown", "-o", "x/", "--jobs", "0"),
    ]:
        result = run(*args)
        assert result.returncode == 2, args
        assert "error:" in result.stderr


def test_one_run_at_a_time_in_a_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    holder = batch._lock(out)
    try:
        with pytest.raises(batch.BatchError, match="another okrcontent run is writing here"):
            batch.convert([], to="markdown", out=out)
    finally:
        holder.close()


def test_stale_temporary_files_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / (batch.TEMPORARY_PREFIX + "abc")).write_text("half a file")
    batch.convert([], to="markdown", out=out)
    assert [p.name for p in out.iterdir()] == [batch.LOCK_NAME]


def test_a_full_disk_stops_the_run_with_a_clear_message(tmp_path: Path) -> None:
    job = batch._Job("markdown", str(tmp_path), False, None)
    outcome = batch.Outcome(
        "a.jsonl:1", "1", failure="cannot write: No space left on device", errno=errno.ENOSPC
    )
    with pytest.raises(batch.BatchError, match="No space left on device"):
        batch._settle(job, outcome, set(), batch.Summary(), lambda f: None, None)


def test_the_pure_per_record_function() -> None:
    envelope = make_envelope(random.Random(4), 3, 0)
    outcome = batch.convert_source("x:1", json.dumps(envelope).encode(), "text")
    assert outcome.output == okrcontent.to_text(okrcontent.load_record(envelope))
    assert outcome.progress_id == envelope["data"]["progress_id"]
    bad = batch.convert_source("x:2", b'{"progress_id": "7", "content": {"blocks": 3}}', "text")
    assert (bad.progress_id, bad.failure) == (
        "7",
        "content.blocks: expected a list, got a number 3",
    )
