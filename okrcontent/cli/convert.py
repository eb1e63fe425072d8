"""``okrcontent convert``: one record or content file to any format, or archives to a
folder (every core, or a Dask cluster)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from .. import batch
from ..errors import OkrContentError
from ..files import json_text, reason, utf8
from ..formats import FORMATS, format_for_path
from ..inputs import is_archive
from ..lookups import Lookups, Prefetching, needs
from ..media_files import MediaFolder, localize
from ..model import Content, ProgressRecord
from ..names import DEFAULT_TEMPLATE, NameTemplate
from ..people import People
from .common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    CommandError,
    UsageError,
    losses_reported,
    read_document,
    read_people,
    report,
    write_output,
)
from .openapi import DIRECTORY, _api_args, client_from_args


def _convert_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="a record or content file (JSON: envelope, bare record or content; Markdown, HTML "
        "or text with --from), - for standard input; or archives: .jsonl and .json files "
        "(gzipped or not) and directories of them, converted to a folder (-o DIR)",
    )
    parser.add_argument("-t", "--to", required=True, choices=sorted(FORMATS), help="output format")
    parser.add_argument(
        "-f",
        "--from",
        dest="source_format",
        choices=sorted(FORMATS),
        help="input format (default: from the file name; JSON for standard input)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="output file for one record (default, or -: stdout); output folder for archives",
    )
    parser.add_argument(
        "--people",
        metavar="FILE|directory",
        help="names for mentions: a JSON object of open id -> name, or 'directory' for the "
        "contact API (credentials from the environment, as for fetch)",
    )
    parser.add_argument(
        "--extract-media",
        metavar="DIR",
        help="keep gallery images as files in DIR (downloaded once, by file token; at most 10 "
        "MB, images only) and link the outputs to them; credentials as for --people directory",
    )
    parser.add_argument(
        "-s",
        "--standalone",
        action=argparse.BooleanOptionalAction,
        help="HTML: a whole document (doctype, <meta charset>, styles), not a fragment; the "
        "default for archives (--no-standalone: fragments)",
    )
    parser.add_argument(
        "--metadata",
        action=argparse.BooleanOptionalAction,
        help="Markdown, HTML, text: a record's metadata (id, date, percent, status, ...) as "
        "front matter or a header; the default (--no-metadata: the content alone, reported)",
    )
    parser.add_argument(
        "--dialect",
        choices=("v1", "v2"),
        help="JSON: the spelling to write (default: the input's): v1 progress records, or v2 "
        "(the /okr/v2/ API's)",
    )
    batch = parser.add_argument_group("archives")
    batch.add_argument(
        "-j", "--jobs", type=int, metavar="N", help="worker processes (default: cores)"
    )
    batch.add_argument(
        "--overwrite", action="store_true", help="convert again records whose output exists"
    )
    batch.add_argument(
        "--name",
        metavar="TEMPLATE",
        help="output file names, from the record's fields: {progress_id} (the default), "
        "{modified:%%Y-%%m-%%d}, {created:...}, {status}, {percent}, {entity_id}; "
        "e.g. '{modified:%%Y-%%m-%%d}_{progress_id}'",
    )
    batch.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary")
    batch.add_argument("--report", metavar="FILE", help="write failures as JSON Lines to FILE")
    _api_args(parser)  # the OpenAPI's host and app, for --people directory and --extract-media
    where = batch.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a Dask cluster (tcp://host:8786); needs okrcontent[dask]",
    )
    where.add_argument(
        "--dask", action="store_true", help="run on a local Dask cluster; needs okrcontent[dask]"
    )


def _convert(args: argparse.Namespace) -> int:
    folder = args.output is not None and (Path(args.output).is_dir() or args.output.endswith("/"))
    archives = len(args.inputs) > 1 or folder or any(is_archive(name) for name in args.inputs)
    if archives:
        _check_archive_args(args)
    elif args.name is not None:
        raise UsageError("--name names the outputs of archives: -o names this one")
    options = writer_options(args)
    with contextlib.ExitStack() as stack:
        client: Any = None
        if args.people == DIRECTORY or args.extract_media is not None:
            client = stack.enter_context(client_from_args(args))
        people = client.directory() if args.people == DIRECTORY else read_people(args.people)
        if archives:
            return _convert_archives(args, people, client)
        return _convert_one(args, options, people, client)


def _convert_one(
    args: argparse.Namespace, options: dict[str, Any], people: People, client: Any
) -> int:
    """One record or content file to one output (standard output by default)."""
    name = args.inputs[0]
    source_format = args.source_format or ("json" if name == "-" else format_for_path(name))
    if source_format is None:
        raise UsageError(f"{name}: cannot tell the format from the name; give --from")
    not_kept: list[str] = []
    with losses_reported(name):
        try:
            content = read_document(name, source_format)
            if isinstance(people, Prefetching):  # every name in one go, errors first
                people.prefetch(needs(content)[0])
            if args.extract_media is not None:
                content, not_kept = _keep_images(args, name, content, client)
            output = FORMATS[args.to].write(content, people=people, **options)
            data = utf8(output)
        except OkrContentError as error:
            report(name, str(error))
            return EXIT_BAD_INPUT
        except CommandError as error:  # the input cannot be read
            report(error.location, error.message)
            return EXIT_BAD_INPUT
    write_output(args.output, data)
    for message in not_kept:
        report(name, message)
    return EXIT_BAD_INPUT if not_kept else EXIT_OK


def _keep_images(
    args: argparse.Namespace, name: str, content: Content | ProgressRecord, client: Any
) -> tuple[Content | ProgressRecord, list[str]]:
    """The document's images kept in ``--extract-media`` and linked from where the output
    goes (its folder; the current one for standard output); what could not be kept."""
    media = MediaFolder(args.extract_media, client)
    where = "." if args.output in (None, "-") else os.path.dirname(os.path.abspath(args.output))
    looked_up = Lookups(None, media, media.link_base(where)).chunk([(name, needs(content))])
    localized, _ = localize(content, looked_up.links or {})
    return localized, looked_up.failures.get(name, [])


WRITER_FLAGS = {"standalone": "--standalone", "metadata": "--metadata", "dialect": "--dialect"}
"""Writer option -> the flag that sets it."""


def writer_options(args: argparse.Namespace) -> dict[str, Any]:
    """The writer options given on the command line, checked against ``--to``'s writer."""
    options = {
        option: getattr(args, option)
        for option in WRITER_FLAGS
        if getattr(args, option, None) is not None
    }
    for option in options:
        if option not in FORMATS[args.to].options:
            takes = [name for name, fmt in FORMATS.items() if option in fmt.options]
            raise UsageError(f"{WRITER_FLAGS[option]} is for --to {' or '.join(takes)}")
    return options


def _check_archive_args(args: argparse.Namespace) -> None:
    if args.output is None or args.output == "-":
        raise UsageError("converting archives or several inputs needs -o OUTPUT_FOLDER")
    if args.source_format not in (None, "json"):
        raise UsageError("archives are JSON (records or envelopes); --from must be json")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if Path(args.output).exists() and not Path(args.output).is_dir():
        raise UsageError(f"{args.output}: exists and is not a folder")
    if (args.scheduler or args.dask) and "-" in args.inputs:
        raise UsageError("standard input cannot be read on a cluster: give files or URLs")
    try:
        NameTemplate(args.name or DEFAULT_TEMPLATE)
    except ValueError as error:
        raise UsageError(f"--name {error}") from None


def _convert_archives(args: argparse.Namespace, people: People, client: Any) -> int:
    """Many records to a folder: :func:`okrcontent.batch.convert` with a progress bar, or
    :func:`okrcontent.dask.convert`."""
    with _Report(args.report) as failures:
        if args.scheduler or args.dask:
            return _convert_on_dask(args, people, client, failures)
        media = MediaFolder(args.extract_media, client) if args.extract_media else None
        return _convert_here(args, people, media, failures)


def _convert_here(
    args: argparse.Namespace, people: Any, media: MediaFolder | None, failures: _Report
) -> int:
    progress = _Progress(args)
    losses = [0]

    def on_failure(failure: batch.Failure) -> None:
        progress.write(f"{failure.location}: {failure.message}")
        failures.add(failure)

    def on_warning(location: str, message: str) -> None:
        losses[0] += 1

    try:
        summary = batch.convert(
            args.inputs,
            to=args.to,
            out=args.output,
            jobs=args.jobs,
            people=people,
            options=writer_options(args),
            name=args.name or DEFAULT_TEMPLATE,
            media=media,
            overwrite=args.overwrite,
            on_progress=progress.update,
            on_failure=on_failure,
            on_warning=on_warning,
        )
    except KeyboardInterrupt:
        progress.close()
        print("okrcontent: interrupted; the same command finishes the job", file=sys.stderr)
        raise
    finally:
        progress.close()
    extra = f"{summary.rate:.0f} records/s"
    if losses[0]:
        extra += f"; {losses[0]} with content {args.to} cannot show"
    _summarize(args, summary, extra)
    return EXIT_OK if summary.ok else EXIT_BAD_INPUT


OPTION_FLAGS = {
    "name": "--name",
    "people": "--people",
    "media": "--extract-media",
    "writer.standalone": "--standalone",
    "writer.dialect": "--dialect",
    "writer.metadata": "--metadata",
}
"""What the manifest calls an option -> the flag that sets it."""


def _summarize(args: argparse.Namespace, summary: batch.Summary, extra: str) -> None:
    """The run's summary on standard error (the counts that are not zero), and what to do
    about outputs made with other options or images not kept."""
    if summary.done == summary.entities:
        print("okrcontent: warning: no records found in the inputs", file=sys.stderr)
    if summary.entities:
        print(
            f"okrcontent: {_counted(summary.entities, 'OKR entity')} (cycles, objectives, key "
            "results) left aside: okrcontent okr makes documents of them",
            file=sys.stderr,
        )
    if args.quiet:
        return
    counts = [f"{summary.converted} converted"]
    if summary.updated:
        older = "an older output" if summary.updated == 1 else "older outputs"
        counts[0] += f" ({summary.updated} replacing {older})"
    counts.append(f"{summary.skipped} already there")
    if summary.superseded:
        counts.append(f"{_counted(summary.superseded, 'older version')} left out")
    if summary.other_options:
        counts.append(f"{summary.other_options} made with other options")
    counts.append(f"{summary.failed} failed")
    print(f"{', '.join(counts)}, in {_seconds(summary.elapsed)} ({extra})", file=sys.stderr)
    if summary.other_options:
        flags = sorted({OPTION_FLAGS.get(option, option) for option in summary.changed})
        were = "was" if summary.other_options == 1 else "were"
        print(
            f"okrcontent: {_counted(summary.other_options, 'output')} there {were} made with "
            f"other options ({', '.join(flags)}); --overwrite converts them again with these",
            file=sys.stderr,
        )
    if summary.images_not_kept:
        print(
            f"okrcontent: {_counted(len(summary.images_not_kept), 'image')} not kept (the "
            "outputs link to the remote images); the same command tries them again",
            file=sys.stderr,
        )


def _seconds(elapsed: float) -> str:
    """A run's time as people read it: ``0.03s`` for a small archive (not ``0.0s``), ``12.4s``."""
    return f"{elapsed:.2f}s" if elapsed < 10 else f"{elapsed:.1f}s"


def _plural(count: int, noun: str) -> str:
    if count == 1:
        return noun
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"


def _counted(count: int, noun: str) -> str:
    return f"{count} {_plural(count, noun)}"


class _Report:
    """``--report FILE``: the failures as JSON Lines (none without the option)."""

    def __init__(self, name: str | None) -> None:
        self.name = name
        self.stream: IO[str] | None = None
        if name is not None:
            try:
                self.stream = open(name, "w", encoding="utf-8")  # noqa: SIM115 - closed below
            except OSError as error:
                raise UsageError(f"--report {name}: {reason(error)}") from None

    def add(self, failure: batch.Failure) -> None:
        if self.stream is not None:
            try:
                self.stream.write(json_text(failure.as_json()) + "\n")
            except OSError as error:
                raise CommandError(f"--report {self.name}: cannot write: {reason(error)}") from None

    def __enter__(self) -> _Report:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.stream is not None:
            stream, self.stream = self.stream, None
            try:
                stream.close()
            except OSError as error:
                raise CommandError(f"--report {self.name}: cannot write: {reason(error)}") from None


def _convert_on_dask(args: argparse.Namespace, people: Any, api: Any, failures: _Report) -> int:
    """The same job on a Dask cluster (``okrcontent.dask``), through fsspec paths."""
    try:
        from distributed import Client, LocalCluster

        from .. import dask as on_dask
    except ImportError:
        raise UsageError("--scheduler and --dask need: pip install 'okrcontent[dask]'") from None
    try:
        if args.dask:
            cluster: Any = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=args.jobs or os.cpu_count() or 1,
                threads_per_worker=1,
                dashboard_address=":0",  # a free port: a fixed one fails beside another cluster
            )
            client: Any = Client(cluster)  # type: ignore[no-untyped-call]
        else:
            cluster, client = None, Client(args.scheduler)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as error:
        raise CommandError(f"cannot reach the Dask scheduler: {reason(error)}") from None
    with client:
        summary = on_dask.convert(
            list(args.inputs),
            to=args.to,
            out=args.output,
            client=client,
            people=people,
            options=writer_options(args),
            name=args.name or DEFAULT_TEMPLATE,
            media=_remote_media(args, api),
            overwrite=args.overwrite,
        )
    if cluster is not None:
        cluster.close()
    for failure in [*summary.failures, *summary.images_not_kept]:
        report(failure.location, failure.message)
        failures.add(failure)
    _summarize(args, summary, "on Dask")
    return EXIT_OK if summary.ok else EXIT_BAD_INPUT


def _remote_media(args: argparse.Namespace, api: Any) -> MediaFolder | None:
    """``--extract-media`` on the storage of the output folder (an fsspec URL like it)."""
    if args.extract_media is None:
        return None
    import fsspec

    media_fs, _, (path,) = fsspec.get_fs_token_paths(args.extract_media)
    out_fs, _, _ = fsspec.get_fs_token_paths(args.output)
    if media_fs.protocol != out_fs.protocol:
        raise UsageError("--extract-media must be on the output folder's storage, as a link")
    local = "file" in (media_fs.protocol if isinstance(media_fs.protocol, tuple) else ())
    return MediaFolder(args.extract_media, api) if local else MediaFolder(path, api, media_fs)


class _Progress:
    """A tqdm bar on standard error: records done, rate, failures so far; silent when
    standard error is not a terminal or with --quiet."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.bar: Any = None
        if args.quiet or not sys.stderr.isatty():
            return
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: the workers are forked from here
        self.bar = tqdm(
            total=_count_records(args.inputs),
            unit=" records",
            file=sys.stderr,
            dynamic_ncols=True,
            smoothing=0.1,
        )

    def update(self, summary: batch.Summary) -> None:
        if self.bar is not None:
            done = summary.done
            self.bar.update(done - self.bar.n)
            self.bar.set_postfix(failed=summary.failed, refresh=False)

    def write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _count_records(inputs: Sequence[str]) -> int | None:
    """Records in plain JSON Lines files, counted fast for the progress bar's ETA;
    ``None`` (no ETA) when an input is gzipped, a folder, JSON or standard input."""
    total = 0
    for name in inputs:
        if not name.lower().endswith((".jsonl", ".ndjson")):
            return None
        try:
            with open(name, "rb") as stream:
                total += sum(
                    block.count(b"\n") for block in iter(lambda: stream.read(1 << 20), b"")
                )
        except OSError:
            return None
    return total
