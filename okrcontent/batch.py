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
twice as a conflict instead of overwriting.

What stops a run, and what does not: a bad record (its JSON, a field, an id that cannot name
a file, an output that cannot be encoded, even a bug in a writer) is that record's
:class:`Failure` and the run goes on. A write error every further record would hit too (a
full disk, a read-only folder) stops the run with :class:`BatchError`, as does a worker
that dies; Ctrl-C stops it with ``KeyboardInterrupt``. However a run stops, its workers are
stopped first and its temporary files removed; workers also die with the main process if
that is killed outright, and the temporaries a killed run leaves are removed by the next
run, which then finishes the job. A lock keeps two runs out of one folder.

:func:`convert_source` is the pure per-record function (JSON text in, converted text or the
failure out) that any scheduler can map over records; the Dask runner uses it too.
"""

from __future__ import annotations

import errno
import gc
import json
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Generator, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import attrs

from .codec import load_record
from .errors import BatchError, ContentError, LossWarning, OkrContentError
from .files import TEMPORARY_PREFIX, discard, reason, utf8, write_temporary
from .formats import FORMATS
from .ids import check_name
from .inputs import Source, iter_sources
from .model import ProgressRecord
from .people import People

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.synchronize import Event

__all__ = [
    "BatchError",
    "Failure",
    "Outcome",
    "Summary",
    "check",
    "convert",
    "convert_source",
    "file_options",
    "output_name",
    "record_of",
]

LOCK_NAME = ".okrcontent.lock"
CHUNK_RECORDS = 256
"""Records a worker converts at a time: large enough that the hand-over is cheap."""
FATAL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})
"""Write errors that every further record would hit too: the run stops."""
STOP_SECONDS = 5.0
"""How long a stopping run waits for a worker to finish its record before killing it."""
PARENT_CHECK_SECONDS = 1.0
"""Where the system cannot kill workers with their parent, how often they look for it."""


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
    """The record in one archive entry: the one judgement of what a good entry is, which
    ``convert`` and ``validate`` share. A record must have a ``progress_id`` that can name a
    file (raises :class:`ContentError` otherwise)."""
    record = load_record(text)
    progress_id = record.progress_id
    if progress_id is None:
        raise ContentError("missing (a record needs one to name its output)", "progress_id")
    check_name(progress_id, "progress_id")
    return record


def check(text: bytes | str) -> str | None:
    """Why an archive entry is not a good record (:func:`record_of`'s judgement, as the
    message a batch would report), or ``None``: what ``validate`` asks of every entry."""
    try:
        record_of(text)
    except OkrContentError as error:
        return str(error)
    except Exception as error:  # one record's bug must not cost the others
        return _unexpected(error)
    return None


def file_options(to: str, options: Mapping[str, Any] | None) -> dict[str, Any]:
    """The writer options of an output file in format ``to``: the format's defaults for a
    file of its own, overridden by ``options``; :class:`ValueError` for an unknown format
    or an option its writer does not take."""
    if to not in FORMATS:
        raise ValueError(f"unknown format {to!r}; one of {', '.join(sorted(FORMATS))}")
    fmt = FORMATS[to]
    try:
        fmt.check_options(options or {})
    except ValueError as error:
        raise ValueError(f"{to}: {error}") from None
    return {**fmt.file_options, **(options or {})}


def output_name(progress_id: str, to: str) -> str:
    """The file name of a record's output."""
    return progress_id + FORMATS[to].extension


def _render(
    record: ProgressRecord, to: str, people: People, options: Mapping[str, Any]
) -> tuple[str, tuple[str, ...]]:
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LossWarning)
        text = FORMATS[to].write(record, people=people, **options)
    return text, tuple(dict.fromkeys(str(w.message) for w in caught))


def _unexpected(error: Exception) -> str:
    """The failure message of an exception no record should cause: a bug, not bad input."""
    return f"{type(error).__name__}: {error} (a bug in okrcontent: please report it)"


def convert_source(
    location: str,
    text: bytes | str,
    to: str,
    people: People = None,
    options: Mapping[str, Any] | None = None,
) -> Outcome:
    """One archive entry converted, or its failure: never raises for bad input.

    This is the per-record function an outside scheduler maps over records; ``options`` are
    the writer's own (``{"standalone": True}`` for HTML: :attr:`Format.options`).
    """
    try:
        record = record_of(text)
        output, losses = _render(record, to, people, options or {})
    except OkrContentError as error:  # bad content, or a people= callable that failed
        return Outcome(location, _id_or_none(text), failure=str(error))
    except Exception as error:  # one record's bug must not cost the others
        return Outcome(location, _id_or_none(text), failure=_unexpected(error))
    return Outcome(location, record.progress_id, output=output, warnings=losses)


def _id_or_none(text: bytes | str) -> str | None:
    """The id of a record that did not load, if it has one, for its failure: a v1 record's
    ``progress_id``, or a v2 progress item's ``id`` (a string, or digits as a number)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, dict) and "progress_id" not in data and "id" not in data:
        data = data.get("data")
    if not isinstance(data, dict):
        return None
    value = data.get("progress_id", data.get("id"))
    if type(value) is int and value >= 0:
        return str(value)
    return value if isinstance(value, str) else None


# --- a chunk, in a worker ---------------------------------------------------------------------


@attrs.frozen
class _Job:
    """What every worker needs to know, sent once per chunk (small)."""

    to: str
    out: str
    overwrite: bool
    people: dict[str, str] | None
    options: dict[str, Any] = attrs.Factory(dict)


_Entry = tuple[str, bytes, "str | None"]
"""What a chunk carries for each record: its location, its text, and why it could not be
read (``None`` when it could): read errors travel with the records, so that everything is
reported in input order."""


def _convert_chunk(job: _Job, chunk: Sequence[_Entry]) -> list[Outcome]:
    """Convert and write one chunk (in a worker). The cyclic garbage collector is off while
    it runs: the model's trees hold no cycles, and collections over a heap full of young
    parsed records cost more than the conversion (they are freed by reference counting)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        outcomes = []
        for location, text, error in chunk:
            if _stopping is not None and _stopping.is_set():
                break  # the run is stopping: nobody will read the rest
            if error is not None:
                outcomes.append(Outcome(location, failure=error))
            else:
                outcomes.append(_convert_one(job, location, text))
        return outcomes
    finally:
        if was_enabled:
            gc.enable()


def _convert_one(job: _Job, location: str, text: bytes) -> Outcome:
    progress_id: str | None = None
    try:
        record = record_of(text)
        progress_id = record.progress_id
        if progress_id is None:  # pragma: no cover - record_of refuses it
            raise ContentError("missing", "progress_id")
        target = os.path.join(job.out, output_name(progress_id, job.to))
        if not job.overwrite and os.path.exists(target):
            return Outcome(location, progress_id, skipped=True)
        output, losses = _render(record, job.to, job.people, job.options)
        temporary = write_temporary(job.out, utf8(output))
    except OkrContentError as error:
        return Outcome(location, progress_id or _id_or_none(text), failure=str(error))
    except OSError as error:
        return Outcome(
            location, progress_id, failure=f"cannot write: {reason(error)}", errno=error.errno
        )
    except Exception as error:  # one record's bug must not cost the others
        return Outcome(location, progress_id or _id_or_none(text), failure=_unexpected(error))
    return Outcome(location, progress_id, output=temporary, warnings=losses)


# --- workers ---------------------------------------------------------------------------------

_stopping: Event | None = None
"""In a worker: set by the main process when the run stops, so chunks end at once."""


def _worker_started(parent: int | None, stopping: Event) -> None:
    """Set up a worker process. Signals that stop a run (Ctrl-C, which reaches the whole
    process group; SIGTERM and SIGHUP, which may) are the main process's to handle: it stops
    the workers itself. And the worker dies with the main process if that is killed."""
    global _stopping
    _stopping = stopping
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    parent = parent if parent is not None else os.getppid()
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    else:  # no parent-death signal: look for the parent now and then
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it died before the death signal was set
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


@attrs.define
class _Workers:
    """A process pool and the event that tells its workers to stop."""

    pool: ProcessPoolExecutor
    stopping: Event

    @classmethod
    def start(cls, jobs: int) -> _Workers:
        """Workers by ``fork`` where that is safe (POSIX, this process has one thread):
        nothing to re-import, and no ``if __name__ == "__main__"`` needed around the call.
        A threaded caller gets ``forkserver`` (or ``spawn``), which are safe with threads
        but do need it."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        methods = multiprocessing.get_all_start_methods()
        if "fork" in methods and threading.active_count() == 1:
            method = "fork"
        else:
            method = "forkserver" if "forkserver" in methods else "spawn"
        context = multiprocessing.get_context(method)
        stopping = context.Event()
        # A forkserver's workers are the server's children, not ours: they watch it instead.
        parent = None if method == "forkserver" else os.getpid()
        pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_worker_started,
            initargs=(parent, stopping),
        )
        return cls(pool, stopping)

    def stop(self, pending: Collection[Future[list[Outcome]]]) -> None:
        """Stop the workers now, not after the chunks queued for them, and wait until they
        are idle, so that none writes a temporary file after the caller has swept them
        away. A worker still busy after :data:`STOP_SECONDS` (stuck in one record) is
        killed: SIGTERM is ignored by workers, the main process handles it."""
        from concurrent.futures import wait

        self.stopping.set()
        for future in pending:
            future.cancel()
        _, busy = wait(pending, timeout=STOP_SECONDS)
        if busy:
            processes = list((getattr(self.pool, "_processes", None) or {}).values())
            for process in processes:
                process.kill()
            for process in processes:
                process.join()
        self.pool.shutdown(wait=True, cancel_futures=True)


def _run(
    job: _Job, chunks: Iterator[list[_Entry]], jobs: int
) -> Generator[list[Outcome], None, None]:
    """Chunks converted in order; at most ``2 * jobs`` in flight. However the caller stops
    (an error, an interrupt, or closing this generator early), the workers stop first."""
    if jobs == 1:
        for chunk in chunks:
            yield _convert_chunk(job, chunk)
        return
    from concurrent.futures.process import BrokenProcessPool

    workers = _Workers.start(jobs)
    pending: deque[Future[list[Outcome]]] = deque()
    try:
        for chunk in chunks:
            pending.append(workers.pool.submit(_convert_chunk, job, chunk))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool:
        workers.stop(pending)
        raise BatchError("a worker process died (killed, or out of memory?)") from None
    except BaseException:
        workers.stop(pending)
        raise
    workers.pool.shutdown()


# --- the run ----------------------------------------------------------------------------------


def _chunks(sources: Iterable[Source]) -> Iterator[list[_Entry]]:
    chunk: list[_Entry] = []
    for source in sources:
        chunk.append((source.location, source.text, source.error))
        if len(chunk) >= CHUNK_RECORDS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _clean_temporaries(out: Path) -> None:
    """Remove the temporary files of this or an earlier run (best effort: a folder that
    cannot be listed has none that this run made)."""
    # os.scandir, not Path.glob: glob lists the whole folder first, and a folder of
    # 100,000 outputs is tens of megabytes of entries.
    try:
        with os.scandir(out) as entries:
            for entry in entries:
                if entry.name.startswith(TEMPORARY_PREFIX):
                    discard(entry.path)
    except OSError:
        pass


def _lock(out: Path) -> IO[str]:
    """Hold the folder's lock file (POSIX; elsewhere the lock is only advisory: none)."""
    try:
        handle = (out / LOCK_NAME).open("a")
    except OSError as error:
        raise BatchError(f"{out}: cannot write in the output folder: {reason(error)}") from None
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


def convert(
    inputs: Sequence[str | Path],
    *,
    to: str,
    out: str | Path,
    jobs: int | None = None,
    people: Mapping[str, str] | None = None,
    options: Mapping[str, Any] | None = None,
    overwrite: bool = False,
    on_progress: Callable[[Summary], None] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    on_warning: Callable[[str, str], None] | None = None,
) -> Summary:
    """Convert every record of ``inputs`` (files, directories, ``-``) to ``to`` in ``out``.

    ``jobs``: worker processes (default: every core; 1 converts in this process).
    ``people``: open id -> display name (a mapping: it travels to the workers).
    ``options``: the writer's own (:attr:`okrcontent.formats.Format.options`), over the
    defaults of a file of its own (:attr:`~okrcontent.formats.Format.file_options`: an HTML
    output is a whole document unless ``{"standalone": False}``).
    ``overwrite``: convert records whose output exists too (default: skip them).
    ``on_progress`` is called with the summary so far after each chunk, ``on_failure`` with
    each failure as it is found, ``on_warning`` with ``(location, message)`` for each loss.
    Raises :class:`BatchError` if the run cannot go on (the output folder is unusable or
    full, a worker died); bad records never raise. Outputs already renamed into place stay.
    """
    writer_options = file_options(to, options)
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BatchError(f"{out}: cannot create the output folder: {reason(error)}") from None
    jobs = jobs or os.cpu_count() or 1
    job = _Job(
        to, str(out), overwrite, dict(people) if people is not None else None, writer_options
    )
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
        results = _run(job, _chunks(iter_sources(inputs)), jobs)
        try:
            for outcomes in results:
                for outcome in outcomes:
                    _settle(job, outcome, seen, summary, fail, on_warning)
                summary.elapsed = time.perf_counter() - started
                if on_progress is not None:
                    on_progress(summary)
        finally:
            results.close()  # stops the workers if the loop did not finish
    finally:
        _clean_temporaries(out)
        lock.close()
    summary.elapsed = time.perf_counter() - started
    return summary


def _id_key(progress_id: str | None) -> int | str | None:
    """The id as remembered for the duplicate check: an int where it is digits (the
    OpenAPI's ids are), which takes half the memory of the string over a long archive."""
    if (
        progress_id is not None
        and len(progress_id) <= 30  # int() of thousands of digits is slow, or refused
        and progress_id.isascii()
        and progress_id.isdigit()
    ):
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
    if outcome.failure is not None:  # a bad record claims no id: a good one may follow
        if outcome.errno in FATAL_ERRNOS:  # every further record would fail the same way
            raise BatchError(f"{job.out}: {outcome.failure}")
        fail(Failure(outcome.location, outcome.failure, progress_id))
        return
    key = _id_key(progress_id)
    duplicate = key is not None and key in seen
    if key is not None:
        seen.add(key)
    if duplicate:
        if outcome.output is not None:
            discard(outcome.output)
        message = f"progress_id {progress_id} again: the first record's output is kept"
        fail(Failure(outcome.location, message, progress_id))
        return
    if outcome.skipped:
        summary.skipped += 1
        return
    if outcome.output is None or progress_id is None:  # pragma: no cover - a worker's bug
        raise BatchError(f"{outcome.location}: a worker returned no output")
    try:
        os.replace(outcome.output, os.path.join(job.out, output_name(progress_id, job.to)))
    except OSError as error:
        discard(outcome.output)
        if error.errno in FATAL_ERRNOS:
            raise BatchError(f"{job.out}: cannot write: {reason(error)}") from None
        fail(Failure(outcome.location, f"cannot write: {reason(error)}", progress_id))
        return
    summary.converted += 1
    if on_warning is not None:
        for message in outcome.warnings:
            on_warning(outcome.location, message)
