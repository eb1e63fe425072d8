"""Batch conversion of archives: many records, every core, nothing lost, resumable.

::

    summary = okrcontent.batch.convert(["archive.jsonl.gz", "more/"], to="markdown", out="md/")
    summary.converted, summary.skipped, summary.failures

How it runs: the main process reads the inputs as a stream of raw records
(:func:`okrcontent.inputs.iter_sources`), cuts them into chunks and hands them to worker
processes (:mod:`okrcontent.workers`), a bounded number at a time, so memory stays flat
however long the archive. A worker parses each record, judges it against the output folder
as the run found it (:func:`okrcontent.ledger.judge`: an output already there from the same
version with the same options is not converted again, so a re-run finishes an interrupted
job without redoing it), converts it and writes it to a temporary file in the output
folder. The main process, taking results in input order, settles each record
(:class:`okrcontent.ledger.Ledger`: the newer of two versions wins, the same version twice
is a reported duplicate), records it in the folder's manifest (:mod:`okrcontent.manifest`)
and renames its temporary file to its name (``<progress_id>.<ext>``, or a ``name=``
template's: :mod:`okrcontent.names`), so an output file is always complete. Bad records are
reported with their location (``archive.jsonl:102``) and field path. With a directory for
``people=`` or a media folder, the main process first looks up the names and images each
chunk needs (:mod:`okrcontent.lookups`).

What stops a run, and what does not: a bad record (its JSON, a field, an id that cannot name
a file, an output that cannot be encoded, even a bug in a writer) is that record's
:class:`Failure` and the run goes on; so is an image that cannot be downloaded (the output
keeps its remote link). A write error every further record would hit too (a full disk, a
read-only folder) stops the run with :class:`BatchError`, as does a worker that dies or a
directory that refuses names; Ctrl-C stops it with ``KeyboardInterrupt``. However a run
stops, its workers are stopped first and its temporary files removed; workers also die with
the main process if that is killed outright, and the temporaries a killed run leaves are
removed by the next run, which then finishes the job. A lock keeps two runs out of one
folder.

:func:`convert_source` is the pure per-record function (JSON text in, converted text or the
failure out) that any scheduler can map over records; it and :func:`record_of`, the one
judgement of a good record, live in :mod:`okrcontent.entry`.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import inspect
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from . import workers
from .entry import (
    Failure,
    Outcome,
    aside,
    check,
    convert_source,
    file_options,
    id_or_none,
    output_name,
    record_of,
    render,
    unexpected,
)
from .errors import BatchError, ContentError, OkrContentError, WrongKindError
from .files import TEMPORARY_PREFIX, discard, reason, utf8, write_temporary
from .formats import FORMATS
from .inputs import Source, iter_sources
from .ledger import Ledger, Verdict, judge
from .lookups import ChunkLookups, Lookups, Prefetching, needs, people_key
from .manifest import Entry, Key, Manifest, ManifestFile, entry_line, modified_ms, options_line
from .manifest import record_key as record_key
from .media_files import MediaFolder
from .model import ProgressRecord
from .names import DEFAULT_TEMPLATE, NameTemplate

__all__ = [  # the entry's names are the batch's too: okrcontent.batch.check, ...
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


@attrs.define
class Summary:
    """What a batch run did. Each record counts once: converted, skipped, superseded,
    made with other options, or failed (:mod:`okrcontent.ledger`)."""

    converted: int = 0
    skipped: int = 0
    failures: list[Failure] = attrs.Factory(list)
    elapsed: float = 0.0
    updated: int = 0
    """Of the converted: outputs that replaced an older version's."""
    superseded: int = 0
    """Records left out for a newer version of themselves (in the inputs, or already there)."""
    other_options: int = 0
    """Records whose output is there, made from the same version with other options."""
    changed: set[str] = attrs.Factory(set)
    """The options those outputs were made without (``name``, ``people``, ``writer``...)."""
    images_not_kept: list[Failure] = attrs.Factory(list)
    """Images that could not be kept: their outputs link to the remote image."""
    entities: int = 0
    """OKR entities (cycles, objectives, key results) left aside: they are no progress
    records, and ``okrcontent okr`` makes documents of them."""

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def ok(self) -> bool:
        """True when every record was converted or already there, with all its images."""
        return not self.failures and not self.images_not_kept

    @property
    def done(self) -> int:
        """Records settled so far, in any way."""
        settled = self.converted + self.skipped + self.superseded + self.other_options
        return settled + self.failed + self.entities

    @property
    def rate(self) -> float:
        """Records a second."""
        return self.done / self.elapsed if self.elapsed else 0.0


# --- a chunk, in a worker ---------------------------------------------------------------------


@attrs.frozen
class _Job:
    """What every worker needs to know: sent once, when it starts."""

    to: str
    out: str
    overwrite: bool
    people: dict[str, str] | None
    options: dict[str, Any]
    names: NameTemplate
    option_set: int
    manifest: Manifest  # the folder's, as the run found it
    media: bool = False  # images are kept: records come with links to them

    def there(self, name: str) -> bool:
        return os.path.exists(os.path.join(self.out, name))


_Entry = tuple[str, bytes, "str | None"]
"""What a chunk carries for each record: its location, its text, and why it could not be
read (``None`` when it could): read errors travel with the records, so that everything is
reported in input order."""
_Chunk = tuple[list[_Entry], ChunkLookups]


@attrs.frozen
class _Judged:
    """A good record, named and judged against the output folder."""

    record: ProgressRecord
    progress_id: str
    key: Key
    modified: int | None
    name: str
    verdict: Verdict


def _judged(job: _Job, text: bytes) -> _Judged:
    """Raises :class:`ContentError` for a bad record, or one the template cannot name."""
    record = record_of(text)
    progress_id = record.progress_id
    if progress_id is None:  # pragma: no cover - record_of refuses it
        raise ContentError("missing", "progress_id")
    key = record_key(progress_id)
    modified = modified_ms(record.modify_time)
    name = job.names.name(record) + FORMATS[job.to].extension
    previous = job.manifest.get(job.to, key)
    verdict = judge(previous, modified, job.option_set, name, job.there, job.overwrite)
    return _Judged(record, progress_id, key, modified, name, verdict)


def _convert_chunk(job: _Job, chunk: _Chunk) -> list[Outcome]:
    """Convert and write one chunk (in a worker). The cyclic garbage collector is off while
    it runs: the model's trees hold no cycles, and collections over a heap full of young
    parsed records cost more than the conversion (they are freed by reference counting)."""
    entries, lookups = chunk
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        outcomes = []
        for location, text, error in entries:
            if workers.stopping():
                break  # the run is stopping: nobody will read the rest
            if error is not None:
                outcomes.append(Outcome(location, failure=error))
            else:
                outcomes.append(_convert_one(job, location, text, lookups))
        return outcomes
    finally:
        if was_enabled:
            gc.enable()


def _convert_one(job: _Job, location: str, text: bytes, lookups: ChunkLookups) -> Outcome:
    progress_id: str | None = None
    try:
        try:
            judged = _judged(job, text)
        except WrongKindError as error:
            return Outcome(location, entity=aside(error, text))
        progress_id = judged.progress_id
        settled = Outcome(
            location,
            progress_id,
            verdict=judged.verdict,
            name=judged.name,
            modified=judged.modified,
        )
        if judged.verdict is not Verdict.CONVERT:
            return settled
        people = lookups.people if lookups.people is not None else job.people
        links = (lookups.links or {}) if job.media else None
        rendered = render(judged.record, job.to, people, job.options, links)
        temporary = write_temporary(job.out, utf8(rendered.text))
    except OkrContentError as error:
        return Outcome(location, progress_id or id_or_none(text), failure=str(error))
    except OSError as error:
        return Outcome(
            location, progress_id, failure=f"cannot write: {reason(error)}", errno=error.errno
        )
    except Exception as error:  # one record's bug must not cost the others
        return Outcome(location, progress_id or id_or_none(text), failure=unexpected(error))
    return attrs.evolve(
        settled, output=temporary, warnings=rendered.losses, partial=rendered.partial
    )


# --- the run ----------------------------------------------------------------------------------


def _chunks(job: _Job, sources: Iterable[Source], lookups: Lookups) -> Iterator[_Chunk]:
    chunk: list[_Entry] = []
    for source in sources:
        chunk.append((source.location, source.text, source.error))
        if len(chunk) >= CHUNK_RECORDS:
            yield chunk, _looked_up(job, chunk, lookups)
            chunk = []
    if chunk:
        yield chunk, _looked_up(job, chunk, lookups)


def _looked_up(job: _Job, chunk: list[_Entry], lookups: Lookups) -> ChunkLookups:
    """What the chunk's records to convert need from the OpenAPI (names, images), looked
    up here, in the main process (:mod:`okrcontent.lookups`); nothing without lookups."""
    if not lookups:
        return ChunkLookups()
    wanted = []
    for location, text, error in chunk:
        judged: _Judged | None = None
        if error is None:
            try:
                judged = _judged(job, text)
            except Exception:  # a bad record: its worker reports it, in order
                judged = None
        if judged is not None and judged.verdict is Verdict.CONVERT:
            wanted.append((location, needs(judged.record)))
    return lookups.chunk(wanted)


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


def lock_folder(out: Path) -> IO[str]:
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
    people: Mapping[str, str] | Prefetching | None = None,
    options: Mapping[str, Any] | None = None,
    name: str = DEFAULT_TEMPLATE,
    media: MediaFolder | None = None,
    overwrite: bool = False,
    on_progress: Callable[[Summary], None] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
    on_warning: Callable[[str, str], None] | None = None,
) -> Summary:
    """Convert every record of ``inputs`` (files, directories, ``-``) to ``to`` in ``out``.

    ``jobs``: worker processes (default: every core; 1 converts in this process).
    ``people``: open id -> display name: a mapping (it travels to the workers), or a
    :class:`~okrcontent.fetch.Directory` (the names each chunk mentions are looked up here,
    and only those travel). ``options``: the writer's own
    (:attr:`okrcontent.formats.Format.options`), over the defaults of a file of its own
    (:attr:`~okrcontent.formats.Format.file_options`: an HTML output is a whole document
    unless ``{"standalone": False}``). ``name``: the output names' template
    (:mod:`okrcontent.names`; :class:`ValueError` if it could leave the folder).
    ``media``: keep gallery images in this folder and link the outputs to them
    (:mod:`okrcontent.media_files`). ``overwrite``: convert records whose output is there
    too. ``on_progress`` is called with the summary so far after each chunk, ``on_failure``
    with each failure (and each image not kept) as it is found, ``on_warning`` with
    ``(location, message)`` for each loss.

    Raises :class:`BatchError` if the run cannot go on (the output folder is unusable or
    full, a worker died, the directory refused names); bad records never raise. Outputs
    already renamed into place stay, and the manifest knows them.
    """
    run_settings = settings(to, str(out), people, options, name, media)
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BatchError(f"{out}: cannot create the output folder: {reason(error)}") from None
    jobs = jobs or os.cpu_count() or 1
    lock = lock_folder(out)
    manifest_file = ManifestFile(str(out))
    try:
        manifest, option_set = _open_manifest(manifest_file, run_settings.made_with)
        job = _Job(
            to,
            str(out),
            overwrite,
            run_settings.people,
            run_settings.writer,
            run_settings.names,
            option_set,
            manifest,
            media is not None,
        )
        ledger = run_settings.ledger(manifest, option_set, Summary(), overwrite)
        summary = ledger.summary
        run = _Run(job, manifest_file, ledger, run_settings.lookups, on_failure, on_warning)
        run.go(iter_sources(inputs), jobs, on_progress)
    finally:
        manifest_file.close()
        _clean_temporaries(out)
        if media is not None and media.fs is None:
            _clean_temporaries(Path(media.path))
        lock.close()
    return summary


@attrs.frozen
class Settings:
    """A run's options, checked, as the local batch and Dask share them."""

    to: str
    writer: dict[str, Any]
    """The writer's options, a file's defaults included."""
    names: NameTemplate
    lookups: Lookups
    people: dict[str, str] | None
    """Names that travel to the workers (a plain mapping), unless looked up by chunk."""
    made_with: dict[str, Any]
    """What the manifest remembers of the options."""

    def ledger(
        self, manifest: Manifest, option_set: int, summary: Summary, overwrite: bool
    ) -> Ledger:
        shared = not self.names.is_default
        return Ledger(
            manifest, self.to, option_set, summary, overwrite=overwrite, shared_names=shared
        )


def settings(
    to: str,
    out: str,
    people: Mapping[str, str] | Prefetching | None,
    options: Mapping[str, Any] | None,
    name: str,
    media: MediaFolder | None,
) -> Settings:
    """Check a run's options (:class:`ValueError` for a bad one) before anything is
    written; ``out`` is the output folder, where the media links start."""
    writer = file_options(to, options)
    names = NameTemplate(name)
    if people is not None and not isinstance(people, (Mapping, Prefetching)):
        raise TypeError("people= of a batch is a mapping or a directory (a callable stays here)")
    directory = people if isinstance(people, Prefetching) else None
    if directory is not None and inspect.iscoroutinefunction(directory.prefetch):
        raise TypeError("people= of a batch is a Directory, not an AsyncDirectory")
    lookups = Lookups(directory, media, media.link_base(out) if media is not None else "")
    made_with = {
        "to": to,
        "name": names.template,
        "writer": writer,
        "people": people_key(people),
        "media": lookups.link_base if media is not None else None,
    }
    plain = dict(people) if isinstance(people, Mapping) and directory is None else None
    return Settings(to, writer, names, lookups, plain, made_with)


def _open_manifest(file: ManifestFile, made_with: dict[str, Any]) -> tuple[Manifest, int]:
    """The folder's manifest and the number of this run's options, written now if new
    (which also gives the file its first block before the outputs take the space)."""
    try:
        manifest = file.read()
    except OSError as error:
        raise BatchError(f"{file.path}: cannot read: {reason(error)}") from None
    option_set, new = manifest.options_number(made_with)
    try:
        file.append([options_line(option_set, made_with)] if new else [])
    except OSError as error:
        raise BatchError(f"{file.path}: cannot write: {reason(error)}") from None
    return manifest, option_set


@attrs.define
class _Run:
    """The main process's side of a run: each outcome settled, in input order."""

    job: _Job
    manifest_file: ManifestFile
    ledger: Ledger
    lookups: Lookups
    on_failure: Callable[[Failure], None] | None
    on_warning: Callable[[str, str], None] | None

    @property
    def summary(self) -> Summary:
        return self.ledger.summary

    def go(
        self,
        sources: Iterable[Source],
        jobs: int,
        on_progress: Callable[[Summary], None] | None,
    ) -> None:
        started = time.perf_counter()
        chunks = _chunks(self.job, sources, self.lookups)
        results = workers.in_order(_convert_chunk, self.job, chunks, jobs)
        try:
            for (entries, looked_up), outcomes in results:
                for (_, text, _), outcome in zip(entries, outcomes, strict=False):
                    self.settle(outcome, text, looked_up)
                self.summary.elapsed = time.perf_counter() - started
                if on_progress is not None:
                    on_progress(self.summary)
        finally:
            results.close()  # stops the workers if the loop did not finish
            self.summary.elapsed = time.perf_counter() - started

    def fail(self, failure: Failure, *, image: bool = False) -> None:
        (self.summary.images_not_kept if image else self.summary.failures).append(failure)
        if self.on_failure is not None:
            self.on_failure(failure)

    def settle(self, outcome: Outcome, text: bytes, looked_up: ChunkLookups) -> None:
        """Decide one record in input order: rename its output into place, or report it."""
        job, progress_id = self.job, outcome.progress_id
        if outcome.entity is not None:
            self.summary.entities += 1
            return
        if outcome.failure is not None:  # a bad record claims no id: a good one may follow
            if outcome.errno in FATAL_ERRNOS:  # every further record would fail the same way
                raise BatchError(f"{job.out}: {outcome.failure}")
            self.fail(Failure(outcome.location, outcome.failure, progress_id))
            return
        if progress_id is None or outcome.name is None or outcome.verdict is None:
            raise BatchError(f"{outcome.location}: a worker returned no output")  # a bug
        key = record_key(progress_id)
        action = self.ledger.settle(
            key, progress_id, outcome.modified, outcome.name, outcome.verdict
        )
        if not action.write:
            if outcome.output is not None:
                discard(outcome.output)
            if action.failure is not None:
                self.fail(Failure(outcome.location, action.failure, progress_id))
            return
        if outcome.output is None:  # a newer version of a record written earlier in the run
            outcome, looked_up = self._convert_here(outcome.location, text)
            if outcome.failure is not None or outcome.output is None:  # pragma: no cover
                self.ledger.unwrote(key)
                self.fail(Failure(outcome.location, outcome.failure or "no output", progress_id))
                return
        self._write(key, progress_id, outcome, action.replaces, action.takes_from)
        for message in looked_up.failures.get(outcome.location, ()):
            self.fail(Failure(outcome.location, message, progress_id), image=True)
        if self.on_warning is not None:
            for message in outcome.warnings:
                self.on_warning(outcome.location, message)

    def _convert_here(self, location: str, text: bytes) -> tuple[Outcome, ChunkLookups]:
        """Convert a record the worker judged against the folder as the run found it, and
        did not convert, though this run has since written an older version of it."""
        job = attrs.evolve(self.job, overwrite=True)
        looked_up = ChunkLookups()
        if self.lookups:
            looked_up = self.lookups.chunk([(location, needs(_judged(job, text).record))])
        return _convert_one(job, location, text, looked_up), looked_up

    def _write(
        self,
        key: Key,
        progress_id: str,
        outcome: Outcome,
        replaces: str | None,
        takes_from: Key | None,
    ) -> None:
        """Record the output in the manifest, then rename it into place (a kill between
        the two leaves a line for a missing output, which the next run converts again)."""
        job, name, temporary = self.job, outcome.name, outcome.output
        if name is None or temporary is None:  # pragma: no cover - settle checks
            return
        entry = Entry(outcome.modified, job.option_set, name, outcome.partial)
        lines = []
        if takes_from is not None:
            lines.append(entry_line(job.to, str(takes_from), None))
        lines.append(entry_line(job.to, progress_id, entry))
        try:
            self.manifest_file.append(lines)
            os.replace(temporary, os.path.join(job.out, name))
        except OSError as error:
            discard(temporary)
            self.ledger.unwrote(key)
            previous = job.manifest.get(job.to, key)
            with contextlib.suppress(OSError):  # else the next run finds the output missing
                self.manifest_file.append([entry_line(job.to, progress_id, previous)])
            if error.errno in FATAL_ERRNOS:
                raise BatchError(f"{job.out}: cannot write: {reason(error)}") from None
            self.fail(Failure(outcome.location, f"cannot write: {reason(error)}", progress_id))
            return
        self.ledger.wrote(key, name)
        if replaces is not None and replaces != name and self.ledger.free(replaces, key):
            discard(os.path.join(job.out, replaces))
