"""The Dask runner: a real LocalCluster (processes, on loopback) and fsspec's memory
filesystem; skipped, with the reason, where ``okrcontent[dask]`` is not installed."""

from __future__ import annotations

import json
import os
import random
import stat
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed", reason="okrcontent[dask] is not installed")
fsspec = pytest.importorskip("fsspec", reason="okrcontent[dask] is not installed")

import okrcontent  # noqa: E402
import okrcontent.dask  # noqa: E402
import okrcontent.writers.json  # noqa: E402
from okrcontent.manifest import MANIFEST_NAME  # noqa: E402

from .data import archive, v2_archive  # noqa: E402
from .realistic import make_envelope  # noqa: E402


@pytest.fixture(scope="module")
def cluster() -> Any:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",  # a free port: a fixed one races with other clusters
        ) as local,
        Client(local) as client,
    ):
        yield client


def test_importing_okrcontent_never_imports_dask() -> None:
    import subprocess
    import sys

    code = "import sys, okrcontent; print('dask' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_a_cluster_converts_like_the_local_batch(cluster: Any, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    archive(tmp_path / "in" / "a.jsonl", 30)
    archive(tmp_path / "in" / "b.jsonl.gz", 20, bad=False, seed=8, first=1000)
    v2_archive(tmp_path / "in" / "c.jsonl", 3)  # v2 progress items, named by their id
    local = okrcontent.batch.convert(
        [tmp_path / "in"], to="markdown", out=tmp_path / "local", jobs=1
    )
    remote = okrcontent.dask.convert(
        str(tmp_path / "in"), to="markdown", out=str(tmp_path / "dask"), client=cluster
    )
    assert (remote.converted, remote.skipped) == (local.converted, local.skipped) == (55, 0)
    assert [(f.location, f.message) for f in remote.failures] == [
        (f.location, f.message) for f in local.failures
    ]
    assert len(remote.failures) == 4
    outputs = sorted(p.name for p in (tmp_path / "local").glob("*.md"))
    assert sorted(p.name for p in (tmp_path / "dask").glob("*.md")) == outputs
    assert {"1.md", "7342342398472398475.md"} <= set(outputs)
    umask = os.umask(0)
    os.umask(umask)
    for name in outputs:
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
        assert stat.S_IMODE((tmp_path / "dask" / name).stat().st_mode) == 0o666 & ~umask
    again = okrcontent.dask.convert(
        str(tmp_path / "in"), to="markdown", out=str(tmp_path / "dask"), client=cluster
    )
    assert (again.converted, again.skipped) == (0, 55)


def test_the_memory_filesystem(cluster: Any) -> None:
    memory = fsspec.filesystem("memory")
    rng = random.Random(4)
    lines = [
        okrcontent.writers.json.to_json(okrcontent.load_record(make_envelope(rng, 4, i)))
        for i in range(5)
    ]
    memory.pipe_file(
        "/in/archive.jsonl", "".join(line.replace("\n", "") + "\n" for line in lines).encode()
    )
    summary = okrcontent.dask.convert(
        "memory://in/archive.jsonl", to="html", out="memory://out", scheduler="sync"
    )
    assert (summary.converted, summary.failed) == (5, 0)
    assert sorted(memory.ls("/out", detail=False)) == sorted(
        [f"/out/{7046518160811425812 + i}.html" for i in range(5)] + [f"/out/{MANIFEST_NAME}"]
    )
    record = okrcontent.load_record(lines[0])
    page = memory.cat_file(f"/out/{record.progress_id}.html").decode()
    assert page == okrcontent.to_html(record, standalone=True)  # a file is a whole document
    okrcontent.dask.convert(
        "memory://in/archive.jsonl",
        to="html",
        out="memory://fragments",
        scheduler="sync",
        options={"standalone": False},
    )
    page = memory.cat_file(f"/fragments/{record.progress_id}.html").decode()
    assert page == okrcontent.to_html(record)


def test_a_bag_of_converted_records(tmp_path: Path) -> None:
    archive(tmp_path / "a.jsonl", 20)
    rows = okrcontent.dask.to_bag(str(tmp_path / "a.jsonl"), to="text").compute(scheduler="sync")
    good = [r for r in rows if r["failure"] is None]
    assert len(good) == 20
    assert all(isinstance(r["output"], str) and r["progress_id"] for r in good)
    assert [r["location"].rsplit(":", 1)[1] for r in rows if r["failure"]] == ["4", "9", "14", "19"]


def test_the_command_on_a_local_cluster(tmp_path: Path) -> None:
    import subprocess
    import sys

    archive(tmp_path / "a.jsonl", 10)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "okrcontent",
            "convert",
            str(tmp_path / "a.jsonl"),
            "--to",
            "html",
            "-o",
            str(tmp_path / "out"),
            "--dask",
            "--jobs",
            "2",
            "--report",
            str(tmp_path / "r.jsonl"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert len(list((tmp_path / "out").glob("*.html"))) == 10
    assert len((tmp_path / "r.jsonl").read_text().splitlines()) == 4
    assert "10 converted, 0 already there, 4 failed" in result.stderr


def _version(index: int, modified: int, seed: int) -> str:
    record = make_envelope(random.Random(seed), 3, index)["data"]
    record["modify_time"] = str(modified)
    return json.dumps(record) + "\n"


def test_versions_names_and_options_as_the_local_batch(tmp_path: Path) -> None:
    """The newest version wins across partitions whatever their order, the same version
    twice is reported, a re-run leaves what is up to date and counts what other options
    made, a template names the outputs: on Dask as in the local batch, manifest included."""
    memory = fsspec.filesystem("memory")
    files = {
        "/v/a.jsonl": _version(0, 3000, 1) + _version(1, 1000, 2) + _version(2, 1000, 3),
        "/v/b.jsonl": _version(0, 2000, 4) + _version(1, 2000, 5) + _version(2, 1000, 6),
    }
    for path, text in files.items():
        memory.pipe_file(path, text.encode())
        (tmp_path / Path(path).name).write_text(text)
    template = "{modified:%Y}-{progress_id}"
    results = []
    for runner in ("local", "dask"):
        runs = []
        for options in ({}, {}, {"standalone": False}):
            if runner == "local":
                summary = okrcontent.batch.convert(
                    sorted(tmp_path.glob("*.jsonl")),
                    to="html",
                    out=tmp_path / "out",
                    name=template,
                    options=options,
                    jobs=1,
                )
            else:
                summary = okrcontent.dask.convert(
                    "memory://v/",
                    to="html",
                    out="memory://versions",
                    scheduler="sync",
                    name=template,
                    options=options,
                )
            runs.append(
                (
                    summary.converted,
                    summary.updated,
                    summary.skipped,
                    summary.superseded,
                    summary.other_options,
                    sorted(summary.changed),
                    [(Path(f.location).name, f.message) for f in summary.failures],
                )
            )
        results.append(runs)
    assert results[0] == results[1]
    assert results[1][0] == (
        3,
        0,
        0,
        2,
        0,
        [],
        [
            (
                "b.jsonl:3",
                "progress_id 7046518160811425814 again, with the same modify_time: "
                "the first record's output is kept",
            ),
        ],
    )
    assert results[1][1][:5] == (0, 0, 3, 2, 0)
    assert results[1][2][4:6] == (3, ["writer.standalone"])
    local = {p.name: p.read_bytes() for p in (tmp_path / "out").glob("*.html")}
    remote = {Path(p).name: memory.cat_file(p) for p in memory.ls("/versions", detail=False)}
    assert remote.pop(MANIFEST_NAME)
    assert remote == local
    assert sorted(local) == [f"1970-{7046518160811425812 + i}.html" for i in range(3)]
    newest = okrcontent.load_record(_version(0, 3000, 1))
    assert local["1970-7046518160811425812.html"].decode() == okrcontent.to_html(
        newest, standalone=True
    )


def test_a_local_folder_is_locked_as_the_local_batch_locks_it(tmp_path: Path) -> None:
    archive(tmp_path / "a.jsonl", 2, bad=False)
    (tmp_path / "out").mkdir()
    holder = okrcontent.batch.lock_folder(tmp_path / "out")
    try:
        with pytest.raises(okrcontent.BatchError, match="another okrcontent run is writing here"):
            okrcontent.dask.convert(
                str(tmp_path / "a.jsonl"), to="text", out=str(tmp_path / "out"), scheduler="sync"
            )
    finally:
        holder.close()


def test_okr_entities_are_left_aside_on_dask_too(tmp_path: Path) -> None:
    memory = fsspec.filesystem("memory")
    sample = Path(__file__).parent.parent / "examples" / "sample-okr.jsonl"
    memory.pipe_file("/okrs/archive.jsonl", sample.read_bytes())
    summary = okrcontent.dask.convert(
        "memory://okrs/archive.jsonl", to="text", out="memory://okr-out", scheduler="sync"
    )
    local = okrcontent.batch.convert([sample], to="text", out=tmp_path, jobs=1)
    assert (summary.failures, summary.entities, summary.converted) == (
        [],
        local.entities,
        local.converted,
    )
