"""Batch conversion on a Dask cluster, over local or remote storage (``okrcontent[dask]``).

::

    from distributed import Client
    summary = okrcontent.dask.convert("s3://okr/archive/*.jsonl.gz", to="markdown",
                                      out="s3://okr/markdown/", client=Client("tcp://host:8786"))

Inputs and outputs go through fsspec, so ``s3://``, ``gs://``, ``abfs://``, ``hdfs://`` and
``memory://`` work as local paths do. Each input file is one partition (its records keep
their ``file:line`` locations). A run has two passes over the inputs, so that the outputs
are what the local batch makes, whatever the order of the partitions:

1. the workers read every record and say what it is (its id, version and output name, or
   why it is bad), without converting it;
2. here, the records are settled in input order by the local batch's rules
   (:mod:`okrcontent.ledger`: against the folder's manifest and the names already there,
   the newer of two versions wins, the same one twice is reported); names for mentions and
   images to keep are looked up here, where the client is (:mod:`okrcontent.lookups`); the
   manifest is written with what is about to be written;
3. the workers convert the records that won (by the same functions as the local batch:
   :func:`okrcontent.batch.convert_source`) and write each output where the filesystem makes
   that atomic (on local disks by :func:`okrcontent.files.write_file`; a single PUT on object
   stores); then the manifest is written again, without the outputs that failed, and the
   files that newer outputs replaced under other names are removed.

The manifest is rewritten whole (object stores do not append). A run killed between the
passes leaves a manifest that names outputs not written yet: the next run converts them.
Two runs must not write to one folder at once: on a local disk the run holds the local
batch's lock; nothing locks an object store. The result is the local batch's
:class:`Summary`.

:func:`to_bag` gives the converted records as a bag instead, to go on in Dask (for example
``to_bag(...).to_dataframe()`` with pandas installed).

This module imports dask when it is imported; ``import okrcontent`` never does.
"""

from __future__ import annotations

import contextlib
import functools
import posixpath
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import attrs
import dask.bag as db
import fsspec
from dask.delayed import delayed

from .batch import Summary, lock_folder, settings
from .entry import Failure, aside, convert_source, record_of, unexpected
from .errors import OkrContentError, WrongKindError
from .files import reason, utf8, write_file
from .formats import FORMATS
from .inputs import ARCHIVE_SUFFIXES, READ_ERRORS, Source, sources_in
from .ledger import Ledger, judge
from .lookups import ChunkLookups, Lookups, Needs, Prefetching, needs
from .manifest import MANIFEST_NAME, Entry, Key, Manifest, modified_ms, record_key
from .media_files import MediaFolder
from .names import DEFAULT_TEMPLATE, NameTemplate

__all__ = ["convert", "read_sources", "to_bag"]

LOCAL_PROTOCOLS = frozenset({"file", "local"})


def _input_files(urlpath: str | Sequence[str]) -> list[Any]:
    """The archive files a path, glob or folder names, as fsspec OpenFiles (hidden files
    and folders left out, as the local batch leaves them)."""
    paths = [urlpath] if isinstance(urlpath, str) else list(urlpath)
    expanded: list[str] = []
    for path in paths:
        fs, _, found = fsspec.get_fs_token_paths(path)
        for item in found:
            if fs.isdir(item):
                expanded.extend(
                    fs.unstrip_protocol(p)
                    for p in sorted(fs.find(item))
                    if p.endswith(ARCHIVE_SUFFIXES) and not _hidden(p[len(item) :])
                )
            else:
                expanded.append(fs.unstrip_protocol(item))
    return list(fsspec.open_files(expanded, mode="rb", compression="infer"))


def _hidden(relative: str) -> bool:
    return any(part.startswith(".") for part in relative.split("/"))


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
        "entity": outcome.entity,
    }


def to_bag(
    urlpath: str | Sequence[str],
    *,
    to: str,
    people: Mapping[str, str] | None = None,
    options: Mapping[str, Any] | None = None,
) -> db.Bag:
    """Every record converted, without writing: dicts of ``location``, ``progress_id``,
    ``output`` (the converted text), ``failure`` (``None``, or why it did not convert) and
    ``entity`` (the kind of an OKR entity left aside, or ``None``).
    ``options`` are the writer's own, as given (HTML: a fragment unless ``standalone``)."""
    if to not in FORMATS:
        raise ValueError(f"unknown format {to!r}")
    FORMATS[to].check_options(options or {})
    return read_sources(urlpath).map(_convert, to, people, dict(options or {}))


# --- pass 1: what each record is ------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _template(template: str) -> NameTemplate:
    return NameTemplate(template)


class _Row(NamedTuple):
    """What pass 1 says of a record (a tuple: the client holds one a record)."""

    file: str
    location: str
    progress_id: str | None
    failure: str | None
    name: str = ""
    modified: int | None = None
    needs: Needs | None = None
    entity: str | None = None  # an OKR entity, left aside (entry.aside)


def _describe(open_file: Any, to: str, template: str, looks: bool) -> list[_Row]:
    """Each record of one input file: its id, version and output name (and, with lookups,
    what it needs looked up), or why it is bad."""
    path = open_file.fs.unstrip_protocol(open_file.path)
    rows = []
    for source in _read(open_file):
        if source.error is not None:
            rows.append(_Row(path, source.location, None, source.error))
            continue
        progress_id = None
        try:
            try:
                record = record_of(source.text)
            except WrongKindError as error:
                kind = aside(error, source.text)
                rows.append(_Row(path, source.location, None, None, entity=kind))
                continue
            progress_id = record.progress_id
            name = _template(template).name(record) + FORMATS[to].extension
        except OkrContentError as error:
            rows.append(_Row(path, source.location, progress_id, str(error)))
            continue
        except Exception as error:  # one record's bug must not cost the others
            rows.append(_Row(path, source.location, progress_id, unexpected(error)))
            continue
        modified = modified_ms(record.modify_time)
        found = needs(record) if looks else None
        rows.append(_Row(path, source.location, progress_id, None, name, modified, found))
    return rows


# --- pass 3: the winners converted and written -----------------------------------------------


def _write_partition(
    path: str, wanted: dict[str, str], job: dict[str, Any], looked_up: ChunkLookups
) -> list[dict[str, Any]]:
    """Convert and write the records of one input file that won (location -> output
    name); a row for each (``failure``: None, or why it was not written)."""
    (open_file,) = fsspec.open_files([path], mode="rb", compression="infer")
    fs, _, (root,) = fsspec.get_fs_token_paths(job["out"])
    local = _is_local(fs)
    people = looked_up.people if looked_up.people is not None else job["people"]
    links = (looked_up.links or {}) if job["media"] else None
    results = []
    for source in _read(open_file):
        name = wanted.get(source.location)
        if name is None:
            continue
        outcome = convert_source(
            source.location, source.text, job["to"], people, job["options"], links
        )
        row = {"location": source.location, "failure": outcome.failure, "partial": outcome.partial}
        if outcome.output is not None:
            target = posixpath.join(root, name)
            try:
                if local:  # atomic, and with the umask's mode, like the local batch
                    write_file(target, utf8(outcome.output))
                else:  # an object store's PUT is atomic
                    fs.pipe_file(target, utf8(outcome.output))
            except (OSError, OkrContentError) as error:
                row["failure"] = f"cannot write: {reason(error)}"
        results.append(row)
    return results


# --- the run ----------------------------------------------------------------------------------


def convert(
    urlpath: str | Sequence[str],
    *,
    to: str,
    out: str,
    client: Any = None,
    scheduler: str | None = None,
    people: Mapping[str, str] | Prefetching | None = None,
    options: Mapping[str, Any] | None = None,
    name: str = DEFAULT_TEMPLATE,
    media: MediaFolder | None = None,
    overwrite: bool = False,
) -> Summary:
    """Convert every record under ``urlpath`` to ``to`` in the folder ``out`` on a Dask
    cluster (``client``: a ``distributed.Client``; ``None``: Dask's current scheduler, or
    ``scheduler``, e.g. ``"sync"`` for ``memory://`` paths, which live in one process).
    ``people``, ``options``, ``name``, ``media`` and ``overwrite`` are the local batch's
    (:func:`okrcontent.batch.convert`); ``media`` may be on remote storage too
    (``MediaFolder("s3://bucket/media", api, fs=...)``), on the output's filesystem."""
    started = time.perf_counter()
    run = _DaskRun.start(to, out, client, scheduler, people, options, name, media, overwrite)
    lock = lock_folder(Path(run.root)) if _is_local(run.fs) else None  # as the local batch
    try:
        run.settle(run.compute(run.described(_input_files(urlpath))))
        run.write()
    finally:
        if lock is not None:
            lock.close()
    run.summary.elapsed = time.perf_counter() - started
    return run.summary


@attrs.define
class _DaskRun:
    """A run's driver: the three passes, and what they learn."""

    to: str
    out: str
    fs: Any
    root: str
    client: Any
    scheduler: str | None
    job: dict[str, Any]
    names: NameTemplate
    lookups: Lookups
    manifest: Manifest
    option_set: int
    ledger: Ledger
    overwrite: bool
    winners: dict[Key, _Winner] = attrs.Factory(dict)
    failures: list[tuple[int, Failure]] = attrs.Factory(list)

    @classmethod
    def start(
        cls,
        to: str,
        out: str,
        client: Any,
        scheduler: str | None,
        people: Mapping[str, str] | Prefetching | None,
        options: Mapping[str, Any] | None,
        name: str,
        media: MediaFolder | None,
        overwrite: bool,
    ) -> _DaskRun:
        fs, _, (root,) = fsspec.get_fs_token_paths(out)
        run_settings = settings(to, root, people, options, name, media)
        fs.makedirs(root, exist_ok=True)
        manifest = _read_manifest(fs, root)
        option_set, _ = manifest.options_number(run_settings.made_with)
        ledger = run_settings.ledger(manifest, option_set, Summary(), overwrite)
        job = {
            "to": to,
            "out": out,
            "options": run_settings.writer,
            "people": run_settings.people,
            "media": media is not None,
        }
        return cls(
            to,
            out,
            fs,
            root,
            client,
            scheduler,
            job,
            run_settings.names,
            run_settings.lookups,
            manifest,
            option_set,
            ledger,
            overwrite,
        )

    @property
    def summary(self) -> Summary:
        return self.ledger.summary

    def compute(self, bag: db.Bag) -> list[Any]:
        if self.client is not None:
            return list(self.client.compute(bag).result())
        return list(bag.compute(scheduler=self.scheduler))

    def described(self, files: list[Any]) -> db.Bag:
        if not files:
            return db.from_sequence([], npartitions=1)
        looks = bool(self.lookups)
        tasks = [delayed(_describe)(f, self.to, self.names.template, looks) for f in files]
        return db.from_delayed(tasks)

    def settle(self, rows: list[_Row]) -> None:
        """Pass 2: every record settled in input order."""
        there = _names_in(self.fs, self.root)
        for index, row in enumerate(rows):
            if row.entity is not None:
                self.summary.entities += 1
                continue
            if row.failure is not None or row.progress_id is None:
                failure = Failure(row.location, row.failure or "no id", row.progress_id)
                self.failures.append((index, failure))
                continue
            key = record_key(row.progress_id)
            previous = self.manifest.get(self.to, key)
            verdict = judge(
                previous,
                row.modified,
                self.option_set,
                row.name,
                there.__contains__,
                self.overwrite,
            )
            action = self.ledger.settle(key, row.progress_id, row.modified, row.name, verdict)
            if action.failure is not None:
                self.failures.append(
                    (index, Failure(row.location, action.failure, row.progress_id))
                )
            elif action.write:
                self.ledger.wrote(key, row.name)
                self.winners[key] = _Winner(index, row, action.takes_from)

    def write(self) -> None:
        """Pass 3: the winners' names and images looked up, the manifest with what is about
        to be written, the winners converted and written, then the manifest again without
        what failed; replaced files removed."""
        winners = self.winners
        looked_up = ChunkLookups()
        if self.lookups and winners:
            looked_up = self.lookups.chunk(
                (w.row.location, w.row.needs or ([], [])) for w in winners.values()
            )
        _write_manifest(self.fs, self.root, self._manifest(looked_up, {}))
        by_file: dict[str, dict[str, str]] = {}
        for winner in winners.values():
            by_file.setdefault(winner.row.file, {})[winner.row.location] = winner.row.name
        tasks = [
            delayed(_write_partition)(path, wanted, self.job, looked_up)
            for path, wanted in by_file.items()
        ]
        results = {r["location"]: r for r in self.compute(db.from_delayed(tasks))} if tasks else {}
        for key, winner in list(winners.items()):
            row = winner.row
            result = results.get(row.location, {"failure": "not converted (a worker was lost?)"})
            if result["failure"] is not None:
                self.ledger.unwrote(key)
                del winners[key]
                failure = Failure(row.location, result["failure"], row.progress_id)
                self.failures.append((winner.position, failure))
                continue
            for message in looked_up.failures.get(row.location, ()):
                self.summary.images_not_kept.append(Failure(row.location, message, row.progress_id))
            previous = self.manifest.get(self.to, key)
            gone = previous.name if previous is not None else row.name
            if gone != row.name and self.ledger.free(gone, key):
                _remove(self.fs, posixpath.join(self.root, gone))
        _write_manifest(self.fs, self.root, self._manifest(looked_up, results))
        self.failures.sort(key=lambda failure: failure[0])
        self.summary.failures.extend(failure for _, failure in self.failures)

    def _manifest(self, looked_up: ChunkLookups, results: dict[str, dict[str, Any]]) -> Manifest:
        """The folder's manifest with the winners' outputs (a copy: the ledger keeps the
        one the run found)."""
        final = Manifest.parse(self.manifest.dump())
        final.options.update(self.manifest.options)  # this run's too
        for key, winner in self.winners.items():
            if winner.takes_from is not None:
                final.forget(self.to, winner.takes_from)
            row = winner.row
            result = results.get(row.location, {})
            partial = result.get("partial", row.location in looked_up.failures)
            final.set(self.to, key, Entry(row.modified, self.option_set, row.name, bool(partial)))
        return final


class _Winner(NamedTuple):
    position: int  # in input order
    row: _Row
    takes_from: Key | None


def _read_manifest(fs: Any, root: str) -> Manifest:
    path = posixpath.join(root, MANIFEST_NAME)
    try:
        data = fs.cat_file(path)
    except FileNotFoundError:
        return Manifest()
    return Manifest.parse(data.splitlines())


def _write_manifest(fs: Any, root: str, manifest: Manifest) -> None:
    data = "".join(line + "\n" for line in manifest.dump()).encode("utf-8")
    path = posixpath.join(root, MANIFEST_NAME)
    if _is_local(fs):
        write_file(path, data)
    else:
        fs.pipe_file(path, data)


def _names_in(fs: Any, root: str) -> set[str]:
    """The names of the files in the output folder (listed once: an object store answers a
    listing faster than a question a record)."""
    try:
        return {posixpath.basename(path) for path in fs.ls(root, detail=False)}
    except FileNotFoundError:
        return set()


def _remove(fs: Any, path: str) -> None:
    with contextlib.suppress(OSError):
        fs.rm_file(path)


def _is_local(fs: Any) -> bool:
    protocols = fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,)
    return bool(set(protocols) & LOCAL_PROTOCOLS)
