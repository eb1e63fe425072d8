"""Dask against the local batch: records per second on a LocalCluster of 2 workers and with
``batch.convert(jobs=2)`` on the same archive, the scheduler's overhead per partition, and a
simple model of when a cluster pays off. ``python -m benchmarks.bench_dask [RECORDS]``
(needs ``okrcontent[dask]``).
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

from distributed import Client, LocalCluster

import okrcontent.dask
from okrcontent import batch
from tests.realistic import make_envelope


def write_files(folder: Path, records: int, files: int, blocks: int = 15) -> None:
    folder.mkdir(parents=True)
    rng = random.Random(5)
    per_file = records // files
    for number in range(files):
        with (folder / f"part-{number:04d}.jsonl").open("w", encoding="utf-8") as stream:
            for index in range(per_file):
                envelope = make_envelope(rng, blocks, number * per_file + index)
                stream.write(json.dumps(envelope, ensure_ascii=False) + "\n")


def main(records: int = 20_000) -> bool:
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        write_files(work / "archive", records, 20)
        write_files(work / "tiny", 400, 400, blocks=1)
        started = time.perf_counter()
        local = batch.convert([work / "archive"], to="markdown", out=work / "local", jobs=2)
        local_s = time.perf_counter() - started
        with (
            LocalCluster(
                n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=":0"
            ) as cluster,
            Client(cluster) as client,
        ):
            okrcontent.dask.convert(
                str(work / "tiny"), to="markdown", out=str(work / "warm"), client=client
            )  # workers import okrcontent once
            started = time.perf_counter()
            remote = okrcontent.dask.convert(
                str(work / "archive"), to="markdown", out=str(work / "dask"), client=client
            )
            dask_s = time.perf_counter() - started
            started = time.perf_counter()
            okrcontent.dask.convert(
                str(work / "tiny"), to="markdown", out=str(work / "tiny-out"), client=client
            )
            tiny_s = time.perf_counter() - started
    assert local.converted == remote.converted == records
    per_record = dask_s * 2 / records  # worker-seconds per record on the cluster
    per_partition = max(tiny_s * 2 / 400 - per_record / 15, 0.0)
    print(f"\n## Dask: {records:,} records in 20 files, 2 workers\n")
    print("| runner | seconds | records/s |\n|---|---|---|")
    print(f"| local batch, 2 jobs | {local_s:.1f} | {records / local_s:,.0f} |")
    print(f"| LocalCluster, 2 workers | {dask_s:.1f} | {records / dask_s:,.0f} |")
    print(f"\nratio cluster/local: {dask_s / local_s:.2f}x the time")
    print(
        f"scheduler overhead: {per_partition * 1000:.1f} ms of a worker per partition "
        f"(400 one-record files in {tiny_s:.2f}s)"
    )
    print(f"per record on a worker: {per_record * 1e6:.0f} us")
    print(
        "model: time on N machines of C cores ~= records*per_record/(N*C) + "
        "partitions*overhead/(N*C) + the slowest file; a cluster pays off once the archive "
        f"is worth more than the setup, e.g. {records / dask_s:,.0f} x N*C/2 records/s"
    )
    return True


if __name__ == "__main__":
    raise SystemExit(0 if main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000) else 1)
