"""Batch conversion: bad records isolated, outputs atomic, runs resumable, every input kind.

The command is run as a user runs it (a subprocess); the library call is tested beside it.
"""

from __future__ import annotations

import errno
import gzip
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings

import okrcontent
from okrcontent import batch, files, ids
from okrcontent.manifest import MANIFEST_NAME

from . import strategies
from .data import API_ERROR_BODY, archive, v2_archive, with_lone_surrogates
from .realistic import make_envelope

NAME_RULE = ids.ID_RULES["name"][1]


def run(*args: str, stdin: bytes = b"", timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "okrcontent", *args],
        input=stdin.decode(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def outputs(out: Path) -> list[str]:
    """The outputs in a folder: what is not the lock, the manifest or a temporary file."""
    return sorted(p.name for p in out.iterdir() if not p.name.startswith("."))


def as_file(to: str, record: okrcontent.ProgressRecord) -> str:
    """What the batch writes for ``record`` in format ``to`` (a file's writer options; what
    the format cannot show is not this test's business)."""
    fmt = okrcontent.formats.FORMATS[to]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        return fmt.write(record, **fmt.file_options)


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
        f"{name}:19: progress_id: '../../escape' is not a file name ({NAME_RULE})",
    ]
    assert re.fullmatch(
        r"40 converted, 0 already there, 4 failed, in \d+\.\d\ds \(\d+ records/s\)",
        result.stderr.splitlines()[4],
    )  # (a small archive's time in hundredths: "in 0.0s" said nothing)
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
    fmt = okrcontent.formats.FORMATS[to]
    record = okrcontent.load_record(envelopes[0])
    written = tmp_path / "out" / f"{record.progress_id}{fmt.extension}"
    assert written.read_text(encoding="utf-8") == as_file(to, record)


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


def _process_state(pid: int) -> tuple[str, str] | None:
    """``(state, start time)`` of a process from /proc, or None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], fields[19]


def _children(pid: int) -> dict[int, str]:
    """The processes whose parent is ``pid``: pid -> start time (against pid reuse)."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found[int(entry)] = fields[19]
    return found


def _running(processes: dict[int, str]) -> list[int]:
    alive = []
    for pid, started in processes.items():
        state = _process_state(pid)
        if state is not None and state[1] == started and state[0] not in "ZX":
            alive.append(pid)
    return alive


def _wait_for(condition: Callable[[], bool], what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGKILL"])
def test_a_signalled_run_leaves_no_worker_and_a_rerun_finishes(
    tmp_path: Path, signal_name: str
) -> None:
    """SIGTERM goes to the whole process group, as ``timeout`` and systemd send it: a clean
    stop, status 143, no temporary left. SIGKILL goes to the main process alone, as the OOM
    killer or ``docker kill`` of a shell's child would: the workers must die by themselves,
    and the next run removes the temporaries and finishes the job."""
    envelopes = archive(tmp_path / "big.jsonl", 1200, bad=False)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "okrcontent", "convert", str(tmp_path / "big.jsonl")]
    command += ["--to", "markdown", "-o", str(out), "--jobs", "2", "--quiet"]
    process = subprocess.Popen(command, start_new_session=True, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: out.exists() and len(list(out.glob("*.md"))) >= 200, "outputs")
        workers = _children(process.pid)
        assert len(workers) == 2
        if signal_name == "SIGTERM":
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.send_signal(signal.SIGKILL)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:  # pragma: no cover - only when the test fails
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    _wait_for(lambda: not _running(workers), "the workers to die", seconds=60)
    left = [p.name for p in out.iterdir() if p.name.startswith(files.TEMPORARY_PREFIX)]
    if signal_name == "SIGTERM":
        assert process.returncode == 143
        assert stderr == "okrcontent: interrupted; the same command finishes the job\n"
        assert left == []
    else:
        assert process.returncode == -signal.SIGKILL
    done = sorted(out.glob("*.md"))
    assert 200 <= len(done) < len(envelopes), "the run was not stopped part-way"
    by_id = {e["data"]["progress_id"]: e for e in envelopes}
    for path in done:  # what a stopped run leaves is complete
        assert path.read_text(encoding="utf-8") == expected_markdown(by_id[path.stem])
    result = run(*command[3:-1])
    assert result.returncode == 0, result.stderr
    assert f"{len(done)} already there" in result.stderr
    assert outputs(out) == sorted(f"{i}.md" for i in by_id)
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
    assert set(outputs(out)) == expected


def test_duplicate_ids_are_a_conflict_not_an_overwrite(tmp_path: Path) -> None:
    envelope = make_envelope(random.Random(9), 3, 0)
    other = json.loads(json.dumps(envelope))
    other["data"]["content"]["blocks"] = []
    (tmp_path / "dup.jsonl").write_text(json.dumps(envelope) + "\n" + json.dumps(other) + "\n")
    summary = batch.convert([tmp_path / "dup.jsonl"], to="markdown", out=tmp_path / "out", jobs=1)
    assert summary.converted == 1
    assert [f.message for f in summary.failures] == [
        f"progress_id {envelope['data']['progress_id']} again, with the same modify_time: "
        "the first record's output is kept"
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
    holder = batch.lock_folder(out)
    try:
        with pytest.raises(batch.BatchError, match="another okrcontent run is writing here"):
            batch.convert([], to="markdown", out=out)
    finally:
        holder.close()


def test_stale_temporary_files_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / (files.TEMPORARY_PREFIX + "abc")).write_text("half a file")
    batch.convert([], to="markdown", out=out)
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME, batch.LOCK_NAME]


def test_a_full_disk_stops_the_run_with_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(json.dumps(make_envelope(random.Random(1), 2)) + "\n")
    full = OSError(errno.ENOSPC, "No space left on device")
    with (
        mock.patch.object(batch, "write_temporary", side_effect=full),
        pytest.raises(batch.BatchError, match=r"out: cannot write: No space left on device$"),
    ):
        batch.convert([tmp_path / "a.jsonl"], to="markdown", out=tmp_path / "out", jobs=1)
    assert outputs(tmp_path / "out") == []


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


# --- hostile records and a hostile file system ------------------------------------------------


def _lines(path: Path, *records: object) -> None:
    """JSON Lines with every non-ASCII character escaped (a lone surrogate stays valid)."""
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="ascii")


@pytest.mark.parametrize("to", sorted(okrcontent.formats.FORMATS))
def test_a_lone_surrogate_costs_no_other_record(tmp_path: Path, to: str) -> None:
    rng = random.Random(11)
    good = [make_envelope(rng, 4, i) for i in range(3)]
    hostile = with_lone_surrogates(make_envelope(rng, 4, 10))
    _lines(tmp_path / "a.jsonl", good[0], hostile, good[1], good[2])
    summary = batch.convert([tmp_path / "a.jsonl"], to=to, out=tmp_path / "out", jobs=1)
    fmt = okrcontent.formats.FORMATS[to]
    for envelope in good:
        record = okrcontent.load_record(envelope)
        written = tmp_path / "out" / f"{record.progress_id}{fmt.extension}"
        assert written.read_text(encoding="utf-8") == as_file(to, record)
    written = tmp_path / "out" / f"{hostile['data']['progress_id']}{fmt.extension}"
    if to == "json":  # kept, as the same \ud800 escapes: it reads back to the same record
        assert (summary.converted, summary.failures) == (4, [])
        assert json.loads(written.read_bytes()) == hostile["data"]
    elif summary.failures:  # a writer that keeps the surrogate: that record's failure alone
        assert summary.converted == 3
        assert [f.location for f in summary.failures] == [f"{tmp_path / 'a.jsonl'}:2"]
        assert "lone surrogate" in summary.failures[0].message
        assert not written.exists()
    else:  # a writer that replaces it: a valid UTF-8 file
        written.read_text(encoding="utf-8")


def test_hostile_ids_and_bodies_are_reported_and_cost_nothing(tmp_path: Path) -> None:
    rng = random.Random(12)
    good = [make_envelope(rng, 3, i) for i in range(2)]
    long_id = make_envelope(rng, 3, 5)
    long_id["data"]["progress_id"] = "9" * 5000
    _lines(tmp_path / "a.jsonl", good[0], long_id, API_ERROR_BODY, good[1])
    summary = batch.convert([tmp_path / "a.jsonl"], to="text", out=tmp_path / "out", jobs=1)
    assert summary.converted == 2
    first = summary.failures[0]
    assert (first.location, first.message) == (
        f"{tmp_path / 'a.jsonl'}:2",
        f"progress_id: {ids.shown('9' * 5000)} is not a file name ({NAME_RULE})",
    )
    assert [f.location for f in summary.failures][1:] == [f"{tmp_path / 'a.jsonl'}:3"]


def test_a_corrupt_gzip_costs_only_what_follows_in_that_file(tmp_path: Path) -> None:
    rng = random.Random(13)
    first = [make_envelope(rng, 30, i) for i in range(40)]
    packed = bytearray(gzip.compress(b"".join(json.dumps(e).encode() + b"\n" for e in first)))
    packed[len(packed) // 2 : len(packed) // 2 + 40] = bytes(40)  # deflate data destroyed
    (tmp_path / "a.jsonl.gz").write_bytes(bytes(packed))
    second = archive(tmp_path / "b.jsonl", 5, bad=False, seed=3, first=100)
    summary = batch.convert([tmp_path], to="markdown", out=tmp_path / "out", jobs=1)
    unreadable = [f for f in summary.failures if f.message.startswith("cannot read: ")]
    assert len(unreadable) == 1
    assert unreadable[0].location.startswith(f"{tmp_path / 'a.jsonl.gz'}:")
    for envelope in second:  # the next file is read all the same
        assert (tmp_path / "out" / f"{envelope['data']['progress_id']}.md").exists()
    result = run("validate", str(tmp_path / "a.jsonl.gz"), str(tmp_path / "b.jsonl"))
    assert result.returncode == 1
    assert f"{unreadable[0].location}: {unreadable[0].message}" in result.stderr.splitlines()
    assert result.stderr.splitlines()[-1] == (
        f"{summary.converted} valid, {summary.failed} invalid"
    )


def test_outputs_get_the_umask_s_mode(tmp_path: Path) -> None:
    archive(tmp_path / "a.jsonl", 2, bad=False)
    previous = os.umask(0o027)
    try:
        batch.convert([tmp_path / "a.jsonl"], to="html", out=tmp_path / "out", jobs=1)
    finally:
        os.umask(previous)
    assert {oct(p.stat().st_mode & 0o777) for p in (tmp_path / "out").glob("*.html")} == {"0o640"}


def test_validate_and_convert_judge_alike(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    archive(folder / "a.jsonl", 6)
    no_id: dict[str, Any] = {"content": {"blocks": []}}
    rng = random.Random(14)
    items = [make_envelope(rng, 3, 50), no_id, {"progress_id": "a b"}, API_ERROR_BODY]
    (folder / "b.json").write_text(json.dumps(items, indent=2))
    (folder / "notes.md").write_text("- not an archive: skipped by both\n")
    checked = run("validate", str(folder))
    converted = run("convert", str(folder), "--to", "text", "-o", str(tmp_path / "out"))
    assert (checked.returncode, converted.returncode) == (1, 1)
    failures = [line for line in converted.stderr.splitlines() if line.startswith(str(folder))]
    assert len(failures) == 7
    assert checked.stderr.splitlines()[:-1] == failures
    assert checked.stderr.splitlines()[-1] == "7 valid, 7 invalid"
    assert converted.stderr.splitlines()[-1].startswith("7 converted, 0 already there, 7 failed")


def _namespace(script: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (sh) as root of new user and mount namespaces (``unshare -rm``), where
    it may mount a small tmpfs or a read-only one; skip where the system allows neither."""
    unshare = shutil.which("unshare")
    probe = [unshare or "unshare", "-rm", "mount", "-t", "tmpfs", "none", "/mnt"]
    if unshare is None or subprocess.run(probe, capture_output=True, check=False).returncode:
        pytest.skip("needs unshare -rm with tmpfs mounts (user namespaces)")
    environment = {**os.environ, "PYTHON": sys.executable, **env}
    return subprocess.run(
        [unshare, "-rm", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )


FULL_DISK = """
set -u
mount -t tmpfs -o size=200k tmpfs "$DISK"
convert() { "$PYTHON" -m okrcontent convert "$ARCHIVE" --to markdown -o "$DISK/out" --jobs 2; }
convert 2> "$WORK/first.err"; echo $? > "$WORK/first.status"
ls -a "$DISK/out" > "$WORK/first.ls"
mount -o remount,size=64m "$DISK"
convert 2> "$WORK/second.err"; echo $? > "$WORK/second.status"
cp -r "$DISK/out" "$WORK/result"
"""


def test_a_full_disk_stops_cleanly_and_a_rerun_finishes(tmp_path: Path) -> None:
    """A real full disk (a 200 KB tmpfs, ENOSPC from the kernel), grown afterwards."""
    envelopes = archive(tmp_path / "a.jsonl", 150, bad=False)
    (tmp_path / "disk").mkdir()
    result = _namespace(
        FULL_DISK,
        DISK=str(tmp_path / "disk"),
        ARCHIVE=str(tmp_path / "a.jsonl"),
        WORK=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    first = (tmp_path / "first.err").read_text()
    assert (tmp_path / "first.status").read_text() == "1\n"
    disk_full = "cannot write: No space left on device"
    assert first == f"okrcontent: error: {tmp_path / 'disk' / 'out'}: {disk_full}\n"
    written = (tmp_path / "first.ls").read_text().split()
    assert not [name for name in written if name.startswith(files.TEMPORARY_PREFIX)]
    done = [name for name in written if name.endswith(".md")]
    assert 0 < len(done) < len(envelopes)
    assert (tmp_path / "second.status").read_text() == "0\n"
    second = (tmp_path / "second.err").read_text()
    assert second.startswith(
        f"{len(envelopes) - len(done)} converted, {len(done)} already there, 0 failed"
    )
    for envelope in envelopes:
        path = tmp_path / "result" / f"{envelope['data']['progress_id']}.md"
        assert path.read_text(encoding="utf-8") == expected_markdown(envelope)


READ_ONLY = """
set -u
mount -t tmpfs -o ro,size=64k tmpfs "$OUT"
"$PYTHON" -m okrcontent convert "$ARCHIVE" --to text -o "$OUT" 2>&1; echo "status $?"
"$PYTHON" -m okrcontent convert "$RECORD" --to text -o "$OUT/x.txt" 2>&1; echo "status $?"
"""


def test_a_read_only_output_folder_is_one_clear_line(tmp_path: Path) -> None:
    envelopes = archive(tmp_path / "a.jsonl", 2, bad=False)
    (tmp_path / "record.json").write_text(json.dumps(envelopes[0]))
    out = tmp_path / "out"
    out.mkdir()
    result = _namespace(
        READ_ONLY,
        OUT=str(out),
        ARCHIVE=str(tmp_path / "a.jsonl"),
        RECORD=str(tmp_path / "record.json"),
    )
    assert result.stdout.splitlines() == [
        f"okrcontent: error: {out}: cannot write in the output folder: Read-only file system",
        "status 1",
        f"okrcontent: error: {out / 'x.txt'}: cannot write: Read-only file system",
        "status 1",
    ]


def test_hostile_records_through_the_command(tmp_path: Path) -> None:
    """The same hostile records through the command and its worker processes."""
    rng = random.Random(15)
    good = [make_envelope(rng, 3, i) for i in range(3)]
    long_id = make_envelope(rng, 3, 7)
    long_id["data"]["progress_id"] = "9" * 5000
    hostile = with_lone_surrogates(make_envelope(rng, 3, 8))
    _lines(tmp_path / "a.jsonl", good[0], hostile, long_id, API_ERROR_BODY, good[1], good[2])
    name = tmp_path / "a.jsonl"
    for to in ("json", "markdown"):
        out, report = tmp_path / to, tmp_path / f"{to}.jsonl"
        result = run(
            "convert", str(name), "--to", to, "-o", str(out), "--jobs", "2", "--report", str(report)
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        failures = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
        locations = [f["location"] for f in failures]
        assert locations[-2:] == [f"{name}:3", f"{name}:4"]
        assert locations[:-2] in ([], [f"{name}:2"])  # a writer may keep or replace \ud800
        extension = okrcontent.formats.FORMATS[to].extension
        for envelope in good:
            assert (out / f"{envelope['data']['progress_id']}{extension}").exists()
    assert (
        json.loads((tmp_path / "json" / "7046518160811425820.json").read_bytes())
        == (hostile["data"])
    )


# --- writer options and the v2 spelling ---------------------------------------------------------


def test_html_outputs_are_documents_unless_asked_for_fragments(tmp_path: Path) -> None:
    envelopes = archive(tmp_path / "a.jsonl", 2, bad=False)
    record = okrcontent.load_record(envelopes[0])
    name = f"{record.progress_id}.html"
    batch.convert([tmp_path / "a.jsonl"], to="html", out=tmp_path / "doc", jobs=1)
    page = (tmp_path / "doc" / name).read_text(encoding="utf-8")
    assert page == okrcontent.to_html(record, standalone=True)
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    options = {"standalone": False}
    batch.convert([tmp_path / "a.jsonl"], to="html", out=tmp_path / "frag", options=options)
    assert (tmp_path / "frag" / name).read_text(encoding="utf-8") == okrcontent.to_html(record)
    batch.convert([tmp_path / "a.jsonl"], to="json", out=tmp_path / "v2", options={"dialect": "v2"})
    written = json.loads((tmp_path / "v2" / f"{record.progress_id}.json").read_bytes())
    assert written == okrcontent.dump_record(record, "v2")
    bad_options: list[tuple[str, dict[str, Any]]] = [
        ("markdown", {"standalone": True}),
        ("json", {"dialect": "v2", "x": 1}),
    ]
    for to, bad in bad_options:
        with pytest.raises(ValueError, match=f"^{to}: its writer has no option"):
            batch.convert([tmp_path / "a.jsonl"], to=to, out=tmp_path / "no", options=bad)
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("to", sorted(okrcontent.formats.FORMATS))
def test_a_v2_archive_converts_as_a_v1_one(tmp_path: Path, to: str) -> None:
    """Progress items of the v2 lists (the API page's, the SDK's integer ids, realistic ones
    spelled v2): named by their id, converted as their v1 twins are."""
    items = v2_archive(tmp_path / "v2.jsonl", 4)
    broken = {**items[2], "content": {"blocks": [{"block_element_type": "paragraph", "x": 1}]}}
    (tmp_path / "bad.jsonl").write_text(json.dumps(broken) + "\n")
    summary = batch.convert([tmp_path / "v2.jsonl", tmp_path / "bad.jsonl"], to=to, out=tmp_path)
    assert summary.converted == len(items)
    fmt = okrcontent.formats.FORMATS[to]
    for item in items:
        record = okrcontent.load_record(item)
        twin = okrcontent.load_record(okrcontent.dump_record(record, "v1"))
        written = (tmp_path / f"{item['id']}{fmt.extension}").read_text(encoding="utf-8")
        assert written == as_file(to, record)
        if to == "json":  # JSON keeps the spelling
            assert json.loads(written) == item
        elif to in ("html", "markdown", "text"):  # the v1 twin's content; the metadata keeps
            alone = {**fmt.file_options, "metadata": False}  # the spelling (dialect: v2)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", okrcontent.LossWarning)
                assert fmt.write(record, **alone) == fmt.write(twin, **alone)
        else:  # every other output is the v1 twin's
            assert written == as_file(to, twin)
    assert [(f.location, f.progress_id) for f in summary.failures] == [
        (f"{tmp_path / 'bad.jsonl'}:1", items[2]["id"])
    ]


@settings(max_examples=25)
@given(item=strategies.wire_records(dialect="v2"))
def test_any_v2_item_converts_as_its_record(item: dict[str, Any]) -> None:
    text = json.dumps(item).encode()
    record = okrcontent.load_record(text)
    for to, fmt in okrcontent.formats.FORMATS.items():
        outcome = batch.convert_source("x:1", text, to)
        assert (outcome.progress_id, outcome.failure) == (str(item["id"]), None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", okrcontent.LossWarning)
            assert outcome.output == fmt.write(record)


# --- an archive of whole OKRs: the entities beside the records are left aside -----------------

OKR_SAMPLE = Path(__file__).parent.parent / "examples" / "sample-okr.jsonl"


def test_the_okr_entities_of_a_whole_okr_archive_are_left_aside(tmp_path: Path) -> None:
    """``fetch --user`` archives cycles, objectives and key results beside the progress
    records: converting it converts the records and counts the entities, failing none."""
    summary = batch.convert([OKR_SAMPLE], to="markdown", out=tmp_path / "out", jobs=1)
    loaded = [okrcontent.load_okr(line) for line in OKR_SAMPLE.read_text().splitlines()]
    entities = sum(1 for entity in loaded if not isinstance(entity, okrcontent.ProgressRecord))
    assert entities > 0
    assert (summary.failures, summary.entities) == ([], entities)
    assert summary.converted == len(loaded) - entities == len(list((tmp_path / "out").glob("*.md")))


def test_an_okr_entity_that_does_not_load_is_a_bad_entry(tmp_path: Path) -> None:
    source = tmp_path / "okrs.jsonl"
    good = {"objective": {"id": "1", "cycle_id": "2", "position": 1}}
    bad = {"objective": {"id": "3", "cycle_id": "2", "position": "first"}}
    envelopes = [{"code": 0, "msg": "success", "data": d} for d in (good, bad)]
    source.write_text("".join(json.dumps(e) + "\n" for e in envelopes))
    summary = batch.convert([source], to="text", out=tmp_path / "out", jobs=1)
    assert summary.entities == 1
    ((location, message, _),) = [(f.location, f.message, f.progress_id) for f in summary.failures]
    assert location.endswith("okrs.jsonl:2")
    assert message.startswith("data.objective.position: expected an integer")
    assert batch.check(json.dumps(envelopes[0])) is None
    assert batch.check(json.dumps(envelopes[1])) == message


def test_the_command_says_what_it_left_aside(tmp_path: Path) -> None:
    result = run("convert", str(OKR_SAMPLE), "--to", "text", "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "OKR entities (cycles, objectives, key results) left aside" in result.stderr
    result = run("validate", str(OKR_SAMPLE))
    lines = OKR_SAMPLE.read_text().count("\n")
    assert (result.returncode, result.stderr.strip()) == (0, f"{lines} valid, 0 invalid")


def test_a_wrong_kind_says_its_kind_and_survives_pickling() -> None:
    import pickle

    with pytest.raises(okrcontent.WrongKindError) as caught:
        okrcontent.load_record({"blocks": []})
    assert caught.value.kind == "content"
    again = pickle.loads(pickle.dumps(caught.value))
    assert (type(again), again.kind, str(again)) == (
        type(caught.value),
        "content",
        str(caught.value),
    )
