"""Batch conversion of archives: many records, every core, nothing lost, resumable.

::

    summary = okrcontent.batch.convert(["archive.jsonl.gz", "more/"], to="markdown", out="md/")
    summary.converted, summary.skipped, summary.failures

How it runs: the main process reads the inputs as a stream of raw records
(:func:`okrcontent.inputs.iter_sources`), cuts them into chunks and hands them to worker
processes, a bounded number at a time, so memory stays flat however long the archive. A
worker parses each record, skips it if its output already exists (a re-run finishes an
interrupted job without redoing it), converts it and writes it to a temporary file in the
output folder. The main process, taking results in input order, renames each temporary file
to ``<progress_id>.<ext>`` (so an output file is always complete), reports bad records with
their location (``archive.jsonl:102``) and field path, and reports a ``progress_id`` seen
twice as a conflict instead of overwriting. Temporary files a killed run left behind are
removed by the next run; a lock keeps two runs out of one folder.

:func:`convert_source` is the pure per-record function (JSON text in, converted text or the
failure out) that any scheduler can map over records; the Dask runner uses it too.
"""

from __future__ import annotations

import errno
import gc
import json
import multiprocessing
import os
import re
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import IO, Any

import attrs

from .codec import load_record
from .errors import BatchError, ContentError, LossWarning, OkrContentError
from .formats import FORMATS
from .inputs import Source, iter_sources
from .model import ProgressRecord
from .people import People

__all__ = [
    "BatchError",
    "Failure",
    "Outcome",
    "Summary",
    "convert",
    "convert_source",
    "output_name",
    "record_of",
]

TEMPORARY_PREFIX = ".okr-tmp-"
"""Names of the temporary files a run writes before it renames them."""
LOCK_NAME = ".okrcontent.lock"
CHUNK_RECORDS = 256
"""Records a worker converts at a time: large enough that the hand-over is cheap."""
FATAL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})
"""Write errors that every further record would hit too: the run stops."""

_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")


@attrs.frozen
class Failure:
    """A record that did not convert: where it was, and why."""

    location: str
    message: str
    progress_id: str | None = None

    def as_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class Outcome:
    """What became of one record: its output (or that it was skipped), or its failure."""

    location: str
    progress_id: str | None = None
    output: str | None = None  # the converted text (pure use), or a temporary file (batch)
    skipped: bool = False
    failure: str | None = None
    warnings: tuple[str, ...] = ()
    errno: int | None = None  # of a failed write


@attrs.define
class Summary:
    """What a batch run did."""

    converted: int = 0
    skipped: int = 0
    failures: list[Failure] = attrs.Factory(list)
    elapsed: float = 0.0

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def ok(self) -> bool:
        """True when every record was converted or already there."""
        return not self.failures

    @property
    def rate(self) -> float:
        """Records a second."""
        done = self.converted + self.skipped + self.failed
        return done / self.elapsed if self.elapsed else 0.0


# --- one record: the pure part ---------------------------------------------------------------


def record_of(text: bytes | str) -> ProgressRecord:
    """The record in one archive entry; a record must have a ``progress_id`` that can name
    a file (raises :class:`ContentError` otherwise)."""
    record = load_record(text)
    if record.progress_id is None:
        raise ContentError("missing (a record needs one to name its output)", "progress_id")
    if not _SAFE_NAME.fullmatch(record.progress_id):
        raise ContentError(f"{record.progress_id!r} cannot name a file", "progress_id")
    return record


def output_name(progress_id: str, to: str) -> str:
    """The file name of a record's output."""
    return progress_id + FORMATS[to].extension


def _render(record: ProgressRecord, to: str, people: People) -> tuple[str, tuple[str, ...]]:
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LossWarning)
        text = FORMATS[to].write(record, people=people)
    return text, tuple(dict.fromkeys(str(w.message) for w in caught))


def convert_source(location: str, text: bytes | str, to: str, people: People = None) -> Outcome:
    """One archive entry converted, or its failure: never raises for bad input.

    This is the per-record function an outside scheduler maps over records.
    """
    try:
        record = record_of(text)
        output, losses = _render(record, to, people)
    except OkrContentError as error:  # bad content, or a people= callable that failed
        return Outcome(location, _id_or_none(text), failure=str(error))
    return Outcome(location, record.progress_id, output=output, warnings=losses)


def _id_or_none(text: bytes | str) -> str | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, dict):
        data = data.get("data", data) if "progress_id" not in data else data
        value = data.get("progress_id") if isinstance(data, dict) else None
        return value if isinstance(value, str) else None
    return None


# --- a chunk, in a worker ---------------------------------------------------------------------


@attrs.frozen
class _Job:
    """What every worker needs to know, sent once per chunk (small)."""

    to: str
    out: str
    overwrite: bool
    people: dict[str, str] | None


def _write_temporary(out: str, text: str) -> str:
    fd, path = tempfile.mkstemp(dir=out, prefix=TEMPORARY_PREFIX)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
    except BaseException:
        os.unlink(path)
        raise
    return path


def _convert_chunk(job: _Job, chunk: Sequence[tuple[str, bytes]]) -> list[Outcome]:
    """Convert and write one chunk (in a worker). The cyclic garbage collector is off while
    it runs: the model's trees hold no cycles, and collections over a heap full of young
    parsed records cost more than the conversion (they are freed by reference counting)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return [_convert_one(job, location, text) for location, text in chunk]
    finally:
        if was_enabled:
            gc.enable()


def _convert_one(job: _Job, location: str, text: bytes) -> Outcome:
    try:
        record = record_of(text)
    except ContentError as error:
        return Outcome(location, _id_or_none(text), failure=str(error))
    progress_id = record.progress_id
    assert progress_id is not None
    target = os.path.join(job.out, output_name(progress_id, job.to))
    if not job.overwrite and os.path.exists(target):
        return Outcome(location, progress_id, skipped=True)
    try:
        output, losses = _render(record, job.to, job.people)
    except OkrContentError as error:
        return Outcome(location, progress_id, failure=str(error))
    try:
        temporary = _write_temporary(job.out, output)
    except OSError as error:
        failure = f"cannot write: {error.strerror or error}"
        return Outcome(location, progress_id, failure=failure, errno=error.errno)
    return Outcome(location, progress_id, output=temporary, warnings=losses)


# --- the run ----------------------------------------------------------------------------------


def _chunks(
    sources: Iterable[Source], failures: Callable[[Failure], None]
) -> Iterator[list[tuple[str, bytes]]]:
    chunk: list[tuple[str, bytes]] = []
    for source in sources:
        if source.error is not None:
            failures(Failure(source.location, source.error))
            continue
        chunk.append((source.location, source.text))
        if len(chunk) >= CHUNK_RECORDS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _clean_temporaries(out: Path) -> None:
    # os.scandir, not Path.glob: glob lists the whole folder first, and a folder of
    # 100,000 outputs is tens of megabytes of entries.
    with os.scandir(out) as entries:
        for entry in entries:
            if entry.name.startswith(TEMPORARY_PREFIX):
                Path(entry.path).unlink(missing_ok=True)


def _lock(out: Path) -> IO[str]:
    """Hold the folder's lock file (POSIX; elsewhere the lock is only advisory: none)."""
    handle = (out / LOCK_NAME).open("a")
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return handle
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise BatchError(f"{out}: another okrcontent run is writing here") from None
    return handle


def _pool(jobs: int) -> ProcessPoolExecutor:
    """Workers by ``fork`` where that is safe (POSIX, this process has one thread): nothing
    to re-import, and no ``if __name__ == "__main__"`` needed around the call. A threaded
    caller gets ``forkserver`` (or ``spawn``), which are safe with threads but do need it."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        method = "fork"
    else:
        method = "forkserver" if "forkserver" in methods else "spawn"
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method))


def convert(
    inputs: Sequence[str | Path],
    *,
    to: str,
    out: str | Path,
    jobs: int | None = None,
    people: Mapping[str, str] | None = None,
    overwrite: bool = False,
    on_progress: Callable[[Summary], None] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    on_warning: Callable[[str, str], None] | None = None,
) -> Summary:
    """Convert every record of ``inputs`` (files, directories, ``-``) to ``to`` in ``out``.

    ``jobs``: worker processes (default: every core; 1 converts in this process).
    ``people``: open id -> display name (a mapping: it travels to the workers).
    ``overwrite``: convert records whose output exists too (default: skip them).
    ``on_progress`` is called with the summary so far after each chunk, ``on_failure`` with
    each failure as it is found, ``on_warning`` with ``(location, message)`` for each loss.
    Raises :class:`BatchError` if the output folder cannot be used; bad records never raise.
    """
    if to not in FORMATS:
        raise ValueError(f"unknown format {to!r}; one of {', '.join(sorted(FORMATS))}")
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BatchError(f"{out}: cannot create the output folder: {error.strerror}") from None
    jobs = jobs or os.cpu_count() or 1
    job = _Job(to, str(out), overwrite, dict(people) if people is not None else None)
    summary = Summary()
    started = time.perf_counter()
    seen: set[int | str] = set()

    def fail(failure: Failure) -> None:
        summary.failures.append(failure)
        if on_failure is not None:
            on_failure(failure)

    lock = _lock(out)
    try:
        _clean_temporaries(out)
        chunks = _chunks(iter_sources(inputs), fail)
        results = _run(job, chunks, jobs)
        for outcomes in results:
            for outcome in outcomes:
                _settle(job, outcome, seen, summary, fail, on_warning)
            summary.elapsed = time.perf_counter() - started
            if on_progress is not None:
                on_progress(summary)
    finally:
        _clean_temporaries(out)
        lock.close()
    summary.elapsed = time.perf_counter() - started
    return summary


def _run(
    job: _Job, chunks: Iterator[list[tuple[str, bytes]]], jobs: int
) -> Iterator[list[Outcome]]:
    """Chunks converted in order; at most ``2 * jobs`` in flight."""
    if jobs == 1:
        for chunk in chunks:
            yield _convert_chunk(job, chunk)
        return
    with _pool(jobs) as pool:
        pending: deque[Future[list[Outcome]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_convert_chunk, job, chunk))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _id_key(progress_id: str | None) -> int | str | None:
    """The id as remembered for the duplicate check: an int where it is digits (the
    OpenAPI's ids are), which takes half the memory of the string over a long archive."""
    if progress_id is not None and progress_id.isascii() and progress_id.isdigit():
        number = int(progress_id)
        if str(number) == progress_id:  # "007" stays a string: it is not the id "7"
            return number
    return progress_id


def _settle(
    job: _Job,
    outcome: Outcome,
    seen: set[int | str],
    summary: Summary,
    fail: Callable[[Failure], None],
    on_warning: Callable[[str, str], None] | None,
) -> None:
    """Decide one record in input order: rename its output into place, or report it."""
    progress_id = outcome.progress_id
    key = _id_key(progress_id)
    duplicate = key is not None and key in seen
    if key is not None:
        seen.add(key)
    if outcome.failure is not None:
        if outcome.errno in FATAL_ERRNOS:  # every further record would fail the same way
            raise BatchError(f"{job.out}: {outcome.failure}")
        fail(Failure(outcome.location, outcome.failure, progress_id))
        return
    if duplicate:
        if outcome.output is not None:
            os.unlink(outcome.output)
        message = f"progress_id {progress_id} again: the first record's output is kept"
        fail(Failure(outcome.location, message, progress_id))
        return
    if outcome.skipped:
        summary.skipped += 1
        return
    assert outcome.output is not None
    assert progress_id is not None
    os.replace(outcome.output, os.path.join(job.out, output_name(progress_id, job.to)))
    summary.converted += 1
    if on_warning is not None:
        for message in outcome.warnings:
            on_warning(outcome.location, message)
