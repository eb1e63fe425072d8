"""Batch conversion: records per second with one worker and with every core, the batch's
per-record cost against a bare in-process loop, and peak memory at two archive sizes.

``python -m benchmarks.bench_batch [RECORDS]`` (default 20,000 realistic records; the memory
check converts 10,000 and 100,000 smaller records). Goals (issue 8): every core at least
1.7x one worker on 2 cores; peak RSS for 10,000 and 100,000 records within 30 MB.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import okrcontent
from okrcontent import batch
from tests.realistic import make_envelope

from .harness import Row, report


def write_archive(path: Path, count: int, blocks: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as stream:
        for index in range(count):
            stream.write(json.dumps(make_envelope(rng, blocks, index), ensure_ascii=False) + "\n")


def bare_loop(path: Path) -> float:
    """Seconds for ``to_markdown(load_record(line))`` over the archive, in this process."""
    started = time.perf_counter()
    with path.open("rb") as stream:
        for line in stream:
            okrcontent.to_markdown(okrcontent.load_record(line))
    return time.perf_counter() - started


def batch_seconds(path: Path, jobs: int, workdir: Path) -> float:
    out = Path(tempfile.mkdtemp(dir=workdir))
    summary = batch.convert([path], to="markdown", out=out, jobs=jobs)
    assert summary.ok, summary.failures[:3]
    return summary.elapsed


def peak_rss_mb(path: Path, workdir: Path) -> float:
    """Peak resident memory (MB) of the largest process of a command-line run."""
    out = Path(tempfile.mkdtemp(dir=workdir))
    code = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[1:], check=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    command = [
        sys.executable,
        "-m",
        "okrcontent",
        "convert",
        str(path),
        "--to",
        "markdown",
        "-o",
        str(out),
        "--quiet",
    ]
    result = subprocess.run(
        [sys.executable, "-c", code, *command], capture_output=True, text=True, check=True
    )
    return int(result.stdout.strip()) / 1024


def main(records: int = 20_000) -> bool:
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as temporary:
        workdir = Path(temporary)
        archive = workdir / "archive.jsonl"
        write_archive(archive, records, 15)
        bare = bare_loop(archive)
        one = batch_seconds(archive, 1, workdir)
        every = batch_seconds(archive, cores, workdir)
        rows = [
            Row(
                f"batch, 1 worker ({records / one:,.0f} records/s)",
                one,
                f"bare to_markdown loop ({records / bare:,.0f} records/s)",
                bare,
            ),
            Row(
                f"batch, 1 worker ({records / one:,.0f} records/s)",
                one,
                f"batch, {cores} workers ({records / every:,.0f} records/s)",
                every,
                goal=None,
            ),
        ]
        small, large = workdir / "small.jsonl", workdir / "large.jsonl"
        write_archive(small, 10_000, 5, seed=2)
        write_archive(large, 100_000, 5, seed=3)
        rss_small, rss_large = peak_rss_mb(small, workdir), peak_rss_mb(large, workdir)
    ok = report(f"batch: {records:,} records of 15 blocks, {cores} cores", rows)
    speedup = one / every
    print(
        f"\nspeed-up on {cores} cores: {speedup:.2f}x (goal on 2 cores: >= 1.7x) "
        f"{'met' if speedup >= 1.7 or cores < 2 else 'MISSED'}"
    )
    print(
        f"peak RSS: {rss_small:.0f} MB for 10,000 records, {rss_large:.0f} MB for 100,000 "
        f"(difference {rss_large - rss_small:.0f} MB; goal < 30 MB) "
        f"{'met' if rss_large - rss_small < 30 else 'MISSED'}"
    )
    return ok and (speedup >= 1.7 or cores < 2) and rss_large - rss_small < 30


if __name__ == "__main__":
    raise SystemExit(0 if main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000) else 1)
