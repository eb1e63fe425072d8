"""Batch conversion on a Dask cluster, over local or remote storage (``okrcontent[dask]``).

::

    from distributed import Client
    summary = okrcontent.dask.convert("s3://okr/archive/*.jsonl.gz", to="markdown",
                                      out="s3://okr/markdown/", client=Client("tcp://host:8786"))

Inputs and outputs go through fsspec, so ``s3://``, ``gs://``, ``abfs://``, ``hdfs://`` and
``memory://`` work as local paths do. Each input file is one partition (its records keep
their ``file:line`` locations); every record goes through the same pure function as the
local batch (:func:`okrcontent.batch.convert_source`), so conversion and failures are the
same; each output is written where the filesystem makes that atomic (on local disks by
:func:`okrcontent.files.write_file`, as the local batch does; a single object PUT on object
stores). An output that exists is
left as it is unless ``overwrite``. The result is the local batch's :class:`Summary`.

:func:`to_bag` gives the converted records as a bag instead, to go on in Dask (for example
``to_bag(...).to_dataframe()`` with pandas installed).

This module imports dask when it is imported; ``import okrcontent`` never does.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from typing import Any

import dask.bag as db
import fsspec
from dask.delayed import delayed

from .batch import Failure, Summary, convert_source, file_options, output_name
from .errors import OkrContentError
from .files import reason, utf8, write_file
from .formats import FORMATS
from .inputs import ARCHIVE_SUFFIXES, READ_ERRORS, Source, sources_in

__all__ = ["convert", "read_sources", "to_bag"]

LOCAL_PROTOCOLS = frozenset({"file", "local"})


def _input_files(urlpath: str | Sequence[str]) -> list[Any]:
    """The archive files a path, glob or folder names, as fsspec OpenFiles."""
    paths = [urlpath] if isinstance(urlpath, str) else list(urlpath)
    expanded: list[str] = []
    for path in paths:
        fs, _, found = fsspec.get_fs_token_paths(path)
        for item in found:
            if fs.isdir(item):
                expanded.extend(
                    fs.unstrip_protocol(p)
                    for p in sorted(fs.find(item))
                    if p.endswith(ARCHIVE_SUFFIXES)
                )
            else:
                expanded.append(fs.unstrip_protocol(item))
    return list(fsspec.open_files(expanded, mode="rb", compression="infer"))


def _name(open_file: Any) -> str:
    name: str = open_file.fs.unstrip_protocol(open_file.path)
    return name.removeprefix("file://")


def _read(open_file: Any) -> list[Source]:
    name = _name(open_file)
    try:
        with open_file as stream:
            return list(sources_in(stream, name))
    except READ_ERRORS as error:
        return [Source(name, error=f"cannot read: {reason(error)}")]


def read_sources(urlpath: str | Sequence[str]) -> db.Bag:
    """A bag of :class:`~okrcontent.inputs.Source` records, one partition per input file."""
    files = _input_files(urlpath)
    if not files:
        return db.from_sequence([], npartitions=1)
    return db.from_delayed([delayed(_read)(f) for f in files])


def _convert(
    source: Source, to: str, people: Mapping[str, str] | None, options: Mapping[str, Any]
) -> dict[str, Any]:
    if source.error is not None:
        return {
            "location": source.location,
            "progress_id": None,
            "output": None,
            "failure": source.error,
        }
    outcome = convert_source(source.location, source.text, to, dict(people or {}) or None, options)
    return {
        "location": outcome.location,
        "progress_id": outcome.progress_id,
        "output": outcome.output,
        "failure": outcome.failure,
    }


def to_bag(
    urlpath: str | Sequence[str],
    *,
    to: str,
    people: Mapping[str, str] | None = None,
    options: Mapping[str, Any] | None = None,
) -> db.Bag:
    """Every record converted, without writing: dicts of ``location``, ``progress_id``,
    ``output`` (the converted text) and ``failure`` (``None``, or why it did not convert).
    ``options`` are the writer's own, as given (HTML: a fragment unless ``standalone``)."""
    if to not in FORMATS:
        raise ValueError(f"unknown format {to!r}")
    FORMATS[to].check_options(options or {})
    return read_sources(urlpath).map(_convert, to, people, dict(options or {}))


def _write(rows: list[dict[str, Any]], out: str, to: str, overwrite: bool) -> list[dict[str, Any]]:
    """Write a partition's outputs (on a worker); the rows come back without their text.
    An output that cannot be written is that record's failure."""
    fs, _, (root,) = fsspec.get_fs_token_paths(out)
    local = bool(
        set(fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,)) & LOCAL_PROTOCOLS
    )
    results = []
    for row in rows:
        output = row.pop("output")
        if output is not None:
            target = posixpath.join(root, output_name(row["progress_id"], to))
            try:
                if not overwrite and fs.exists(target):
                    row["skipped"] = True
                elif local:  # atomic, and with the umask's mode, like the local batch
                    write_file(target, utf8(output))
                else:  # an object store's PUT is atomic
                    fs.pipe_file(target, utf8(output))
            except (OSError, OkrContentError) as error:
                row["failure"] = f"cannot write: {reason(error)}"
        results.append(row)
    return results


def convert(
    urlpath: str | Sequence[str],
    *,
    to: str,
    out: str,
    client: Any = None,
    scheduler: str | None = None,
    people: Mapping[str, str] | None = None,
    options: Mapping[str, Any] | None = None,
    overwrite: bool = False,
) -> Summary:
    """Convert every record under ``urlpath`` to ``to`` in the folder ``out`` on a Dask
    cluster (``client``: a ``distributed.Client``; ``None``: Dask's current scheduler, or
    ``scheduler``, e.g. ``"sync"`` for ``memory://`` paths, which live in one process).
    ``options``: the writer's own, over a file's defaults, as for the local batch."""
    import time

    started = time.perf_counter()
    fs, _, (root,) = fsspec.get_fs_token_paths(out)
    fs.makedirs(root, exist_ok=True)
    writer_options = file_options(to, options)
    converted = to_bag(urlpath, to=to, people=people, options=writer_options)
    written = converted.map_partitions(_write, out, to, overwrite)
    if client is not None:
        rows = client.compute(written).result()
    else:
        rows = written.compute(scheduler=scheduler)
    summary = Summary()
    seen: set[str] = set()
    for row in sorted(rows, key=lambda r: _order(r["location"])):
        progress_id = row["progress_id"]
        if row["failure"] is not None:
            summary.failures.append(Failure(row["location"], row["failure"], progress_id))
        elif progress_id in seen:
            message = f"progress_id {progress_id} again: one record's output is kept"
            summary.failures.append(Failure(row["location"], message, progress_id))
        elif row.get("skipped"):
            summary.skipped += 1
        else:
            summary.converted += 1
        if progress_id is not None and row["failure"] is None:
            seen.add(progress_id)
    summary.elapsed = time.perf_counter() - started
    return summary


def _order(location: str) -> tuple[str, int]:
    """``archive.jsonl:102`` -> ``("archive.jsonl", 102)``: failures in input order."""
    name, _, line = location.rpartition(":")
    if line.isdigit():
        return name, int(line)
    name, _, index = location.rpartition("[")
    if index.endswith("]") and index[:-1].isdigit():
        return name, int(index[:-1])
    return location, 0
