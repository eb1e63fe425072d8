"""The ``okrcontent`` command.

One ``argparse`` sub-command a row of :data:`COMMANDS`; each row is a function that adds
its arguments and a function that runs it and returns the exit status: 0 all good, 1 some
input was bad (each reported on standard error with its location and field path), 2 usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from . import __version__, batch
from .codec import load_record
from .errors import ContentError, LossWarning, OkrContentError
from .formats import FORMATS, format_for_path
from .inputs import iter_sources
from .model import Content, ProgressRate

__all__ = ["COMMANDS", "main"]

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command line that cannot be run as given (exit status 2)."""


def _report(location: str, message: str) -> None:
    print(f"{location}: {message}", file=sys.stderr)


# --- validate -------------------------------------------------------------------------------


def _validate_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="a .json or .jsonl file (optionally .gz), a directory of them, or - for stdin",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the failures")


def _validate(args: argparse.Namespace) -> int:
    good = bad = 0
    for source in iter_sources(args.inputs):
        try:
            if source.error is not None:
                raise ContentError(source.error)
            load_record(source.text)
        except ContentError as error:
            bad += 1
            _report(source.location, str(error))
        else:
            good += 1
    if not args.quiet:
        print(f"{good} valid, {bad} invalid", file=sys.stderr)
    return EXIT_BAD_INPUT if bad else EXIT_OK


# --- convert --------------------------------------------------------------------------------


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
    parser.add_argument("--people", metavar="FILE", help="JSON object of open id -> display name")
    batch = parser.add_argument_group("archives")
    batch.add_argument(
        "-j", "--jobs", type=int, metavar="N", help="worker processes (default: cores)"
    )
    batch.add_argument(
        "--overwrite", action="store_true", help="convert again records whose output exists"
    )
    batch.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary")
    batch.add_argument("--report", metavar="FILE", help="write failures as JSON Lines to FILE")
    where = batch.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a Dask cluster (tcp://host:8786); needs okrcontent[dask]",
    )
    where.add_argument(
        "--dask", action="store_true", help="run on a local Dask cluster; needs okrcontent[dask]"
    )


def _people(path: str | None) -> dict[str, str] | None:
    if path is None:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UsageError(f"--people {path}: cannot read a JSON object: {error}") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise UsageError(f"--people {path}: expected a JSON object of id -> name strings")
    return data


def _read_input(name: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as error:
        raise UsageError(f"{name}: cannot read: {error.strerror or error}") from None


def _write_output(name: str | None, text: str) -> None:
    if name is None or name == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(name)
    # Written next to the target and renamed: a reader never sees half a file.
    fd, temporary = tempfile.mkstemp(
        dir=target.parent or ".", prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _is_archive(name: str) -> bool:
    """Does this input hold many records (a folder, JSON Lines, a JSON array)?"""
    if name == "-":
        return False
    path = Path(name)
    if path.is_dir() or name.lower().removesuffix(".gz").endswith((".jsonl", ".ndjson")):
        return True
    if name.lower().endswith(".json"):
        try:
            with path.open("rb") as stream:
                head = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
        except OSError:
            return False
        return head.startswith(b"[")
    return False


def _convert(args: argparse.Namespace) -> int:
    folder = args.output is not None and (Path(args.output).is_dir() or args.output.endswith("/"))
    if len(args.inputs) > 1 or folder or any(_is_archive(name) for name in args.inputs):
        return _convert_archives(args)
    name = args.inputs[0]
    source_format = args.source_format or ("json" if name == "-" else format_for_path(name))
    if source_format is None:
        raise UsageError(f"{name}: cannot tell the format from the name; give --from")
    people = _people(args.people)
    data = _read_input(name)
    with warnings.catch_warnings(record=True) as losses:
        warnings.simplefilter("always", LossWarning)
        try:
            text = data.decode("utf-8-sig") if source_format != "json" else data
            content = FORMATS[source_format].read(text)  # type: ignore[arg-type]
            output = FORMATS[args.to].write(content, people=people)
        except UnicodeDecodeError as error:
            _report(name, f"not UTF-8 text: {error}")
            return EXIT_BAD_INPUT
        except OkrContentError as error:
            _report(name, str(error))
            return EXIT_BAD_INPUT
    for loss in losses:
        _report(name, f"warning: {loss.message}")
    _write_output(args.output, output)
    return EXIT_OK


def _convert_archives(args: argparse.Namespace) -> int:
    """Many records to a folder: :func:`okrcontent.batch.convert` with a progress bar."""
    if args.output is None or args.output == "-":
        raise UsageError("converting archives or several inputs needs -o OUTPUT_FOLDER")
    if args.source_format not in (None, "json"):
        raise UsageError("archives are JSON (records or envelopes); --from must be json")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if Path(args.output).exists() and not Path(args.output).is_dir():
        raise UsageError(f"{args.output}: exists and is not a folder")
    people = _people(args.people)
    report = None
    if args.report:
        try:
            report = open(args.report, "w", encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError as error:
            raise UsageError(f"--report {args.report}: {error.strerror}") from None
    progress = _Progress(args)
    losses = [0]

    def on_failure(failure: batch.Failure) -> None:
        progress.write(f"{failure.location}: {failure.message}")
        if report is not None:
            report.write(json.dumps(failure.as_json(), ensure_ascii=False) + "\n")

    def on_warning(location: str, message: str) -> None:
        losses[0] += 1

    if args.scheduler or args.dask:
        return _convert_on_dask(args, people, report, progress)
    try:
        summary = batch.convert(
            args.inputs,
            to=args.to,
            out=args.output,
            jobs=args.jobs,
            people=people,
            overwrite=args.overwrite,
            on_progress=progress.update,
            on_failure=on_failure,
            on_warning=on_warning,
        )
    except batch.BatchError as error:
        progress.close()
        print(f"okrcontent: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        if report is not None:
            report.close()
    progress.close()
    if summary.converted + summary.skipped + summary.failed == 0:
        print("okrcontent: warning: no records found in the inputs", file=sys.stderr)
    if not args.quiet:
        print(
            f"{summary.converted} converted, {summary.skipped} already there, "
            f"{summary.failed} failed, in {summary.elapsed:.1f}s ({summary.rate:.0f} records/s)"
            + (f"; {losses[0]} with content {args.to} cannot show" if losses[0] else ""),
            file=sys.stderr,
        )
    return EXIT_OK if summary.ok else EXIT_BAD_INPUT


def _convert_on_dask(
    args: argparse.Namespace,
    people: dict[str, str] | None,
    report: IO[str] | None,
    progress: _Progress,
) -> int:
    """The same job on a Dask cluster (``okrcontent.dask``), through fsspec paths."""
    progress.close()
    if "-" in args.inputs:
        raise UsageError("standard input cannot be read on a cluster: give files or URLs")
    try:
        from distributed import Client, LocalCluster

        from . import dask as on_dask
    except ImportError:
        raise UsageError("--scheduler and --dask need: pip install 'okrcontent[dask]'") from None
    try:
        if args.dask:
            cluster: Any = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=args.jobs or os.cpu_count() or 1,
                threads_per_worker=1,
                dashboard_address=None,
            )
            client: Any = Client(cluster)  # type: ignore[no-untyped-call]
        else:
            cluster, client = None, Client(args.scheduler)  # type: ignore[no-untyped-call]
        with client:
            summary = on_dask.convert(
                list(args.inputs),
                to=args.to,
                out=args.output,
                client=client,
                people=people,
                overwrite=args.overwrite,
            )
        if cluster is not None:
            cluster.close()
        for failure in summary.failures:
            _report(failure.location, failure.message)
            if report is not None:
                report.write(json.dumps(failure.as_json(), ensure_ascii=False) + "\n")
    finally:
        if report is not None:
            report.close()
    if not args.quiet:
        print(
            f"{summary.converted} converted, {summary.skipped} already there, "
            f"{summary.failed} failed, in {summary.elapsed:.1f}s on Dask",
            file=sys.stderr,
        )
    return EXIT_OK if summary.ok else EXIT_BAD_INPUT


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
            done = summary.converted + summary.skipped + summary.failed
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


# --- fetch ------------------------------------------------------------------------------------

CREDENTIALS = ("OKRCONTENT_APP_ID", "OKRCONTENT_APP_SECRET", "OKRCONTENT_USER_TOKEN")
"""Environment variables the fetch command reads its credentials from."""


def _fetch_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID", help="progress record ids")
    parser.add_argument(
        "--user",
        action="append",
        default=[],
        metavar="USER_ID",
        help="also fetch every progress record on this user's OKRs (repeatable)",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="ARCHIVE",
        help="JSON Lines archive to append to (.jsonl or .jsonl.gz)",
    )
    parser.add_argument(
        "--user-id-type", default="open_id", choices=["open_id", "union_id", "user_id"]
    )
    _api_args(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the failures")


def _api_args(parser: argparse.ArgumentParser) -> None:
    """The options of every command that talks to the OpenAPI."""
    parser.add_argument(
        "--app-id",
        help="app id (default: $OKRCONTENT_APP_ID); the secret and "
        "a user token are read from $OKRCONTENT_APP_SECRET, $OKRCONTENT_USER_TOKEN",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--lark", action="store_true", help="open.larksuite.com, not Feishu")
    where.add_argument("--base-url", help="another OpenAPI host")


def _client(args: argparse.Namespace) -> Any:
    """A fetch client from the environment's credentials and the host options."""
    from .fetch import FEISHU, LARK, Client

    app_id = args.app_id or os.environ.get("OKRCONTENT_APP_ID")
    secret = os.environ.get("OKRCONTENT_APP_SECRET")
    user_token = os.environ.get("OKRCONTENT_USER_TOKEN")
    if not user_token and not (app_id and secret):
        raise UsageError(
            "no credentials: set OKRCONTENT_APP_ID and OKRCONTENT_APP_SECRET, "
            "or OKRCONTENT_USER_TOKEN"
        )
    base_url = args.base_url or (LARK if args.lark else FEISHU)
    if user_token:
        return Client(user_access_token=user_token, base_url=base_url)
    return Client(app_id=app_id, app_secret=secret, base_url=base_url)


def _fetch(args: argparse.Namespace) -> int:
    from .fetch import ApiError
    from .fetch.archive import Archive

    if not args.ids and not args.user:
        raise UsageError("give progress record ids, or --user USER_ID")
    if not args.output.removesuffix(".gz").endswith((".jsonl", ".ndjson")):
        raise UsageError("-o must name a .jsonl or .jsonl.gz archive")
    client = _client(args)
    archive = Archive(args.output)
    fetched = skipped = failed = 0
    try:
        with client:
            ids = list(dict.fromkeys(args.ids))
            for user in args.user:
                try:
                    ids.extend(
                        i
                        for i in client.iter_progress_ids(user, user_id_type=args.user_id_type)
                        if i not in ids
                    )
                except (ApiError, ValueError) as error:
                    _report(f"user {user}", str(error))
                    failed += 1
            for progress_id in ids:
                if progress_id in archive.ids:
                    skipped += 1
                    continue
                try:
                    envelope = client.get_envelope(progress_id, user_id_type=args.user_id_type)
                    load_record(envelope)  # archive only what loads
                except (ApiError, ContentError) as error:
                    _report(progress_id, str(error))
                    failed += 1
                    continue
                archive.append(envelope)
                fetched += 1
    finally:
        archive.close()
    if not args.quiet:
        print(
            f"{fetched} fetched, {skipped} already in {args.output}, {failed} failed",
            file=sys.stderr,
        )
    return EXIT_BAD_INPUT if failed else EXIT_OK


# --- post / update / delete ---------------------------------------------------------------------

STATUSES = {"none": -1, "normal": 0, "at_risk": 1, "delayed": 2}


def _write_args(parser: argparse.ArgumentParser, *, create: bool) -> None:
    if not create:
        parser.add_argument("progress_id", metavar="PROGRESS_ID")
    parser.add_argument("file", metavar="FILE", help="the update: Markdown, HTML or text (- stdin)")
    parser.add_argument(
        "-f",
        "--from",
        dest="source_format",
        choices=["html", "markdown", "text"],
        help="its format (default: from the file name; Markdown for standard input)",
    )
    target_help = "the objective or key result id" + ("" if create else " (for image uploads)")
    parser.add_argument("--target", required=create, metavar="ID", help=target_help)
    parser.add_argument("--target-type", required=create, choices=["objective", "kr"])
    if create:
        parser.add_argument("--title", required=True, help="source title shown with the record")
        parser.add_argument("--url", required=True, help="source URL (http or https)")
    parser.add_argument("--percent", type=float, help="progress, 0..100")
    parser.add_argument("--status", choices=sorted(STATUSES, key=STATUSES.__getitem__))
    parser.add_argument(
        "--no-upload", action="store_true", help="do not upload images: post them as links"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print the JSON body to be sent, and send nothing"
    )
    _api_args(parser)


def _update_content(args: argparse.Namespace) -> Content:
    name = args.file
    source_format = args.source_format or ("markdown" if name == "-" else format_for_path(name))
    if source_format not in ("html", "markdown", "text"):
        raise UsageError(f"{name}: give --from markdown, html or text")
    text = _read_input(name).decode("utf-8-sig")
    with warnings.catch_warnings(record=True) as losses:
        warnings.simplefilter("always", LossWarning)
        content = FORMATS[source_format].read(text)
    for loss in losses:
        _report(name, f"warning: {loss.message}")
    return content if isinstance(content, Content) else (content.content or Content())


def _progress_rate(args: argparse.Namespace) -> ProgressRate | None:
    if args.percent is None and args.status is None:
        return None
    return ProgressRate(args.percent, STATUSES[args.status] if args.status else None)


def _download(url: str) -> bytes:
    """A remote image, to upload it as a Feishu file."""
    import httpx

    response = httpx.get(url, timeout=30, follow_redirects=True)
    response.raise_for_status()
    return response.content


def _write(args: argparse.Namespace, *, create: bool) -> int:
    """``post`` and ``update``: read the update, upload its images, send it."""
    import httpx

    from .fetch import ApiError
    from .fetch.post import TargetType, create_body, prepare_images, update_body

    content = _update_content(args)
    base = Path(args.file).parent if args.file != "-" else Path.cwd()
    rate = _progress_rate(args)

    def body_of(content: Content) -> dict[str, Any]:
        if create:
            return create_body(
                args.target,
                args.target_type,
                content,
                source_title=args.title,
                source_url=args.url,
                progress_rate=rate,
            )
        return update_body(content, progress_rate=rate)

    if args.dry_run:  # an image to upload shows where its token will go

        def placeholder(data: bytes, name: str) -> tuple[str, str]:
            return "<uploaded on post>", name

        try:
            prepared = prepare_images(
                content,
                base=base,
                upload=None if args.no_upload else placeholder,
                download=lambda url: b"",
            )
            print(json.dumps(body_of(prepared), ensure_ascii=False, indent=2))
        except ContentError as error:
            _report(args.file, str(error))
            return EXIT_BAD_INPUT
        return EXIT_OK
    with _client(args) as client:

        def upload(data: bytes, name: str) -> tuple[str, str]:
            if args.target is None or args.target_type is None:
                raise UsageError("the update has images to upload: give --target and --target-type")
            result: tuple[str, str] = client.upload_image(
                data, target_id=args.target, target_type=TargetType.of(args.target_type), name=name
            )
            return result

        try:
            prepared = prepare_images(
                content, base=base, upload=None if args.no_upload else upload, download=_download
            )
            body_of(prepared)  # checked before anything is sent
            if create:
                record = client.create_record(
                    args.target,
                    args.target_type,
                    prepared,
                    source_title=args.title,
                    source_url=args.url,
                    progress_rate=rate,
                )
            else:
                record = client.update_record(args.progress_id, prepared, progress_rate=rate)
        except (ApiError, ContentError) as error:
            _report(args.file, str(error))
            return EXIT_BAD_INPUT
        except httpx.HTTPError as error:
            _report(args.file, f"cannot download an image: {error}")
            return EXIT_BAD_INPUT
    print(record.progress_id)
    return EXIT_OK


def _post(args: argparse.Namespace) -> int:
    return _write(args, create=True)


def _update(args: argparse.Namespace) -> int:
    return _write(args, create=False)


def _delete_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("progress_id", metavar="PROGRESS_ID")
    _api_args(parser)


def _delete(args: argparse.Namespace) -> int:
    from .fetch import ApiError

    with _client(args) as client:
        try:
            client.delete_record(args.progress_id)
        except (ApiError, ContentError) as error:
            _report(args.progress_id, str(error))
            return EXIT_BAD_INPUT
    print(f"deleted {args.progress_id}", file=sys.stderr)
    return EXIT_OK


COMMANDS: dict[
    str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]
] = {
    "convert": (
        "convert a record or content between JSON, Markdown, HTML and text",
        _convert_args,
        _convert,
    ),
    "delete": ("delete a progress record", _delete_args, _delete),
    "fetch": (
        "fetch progress records from the OpenAPI into a JSON Lines archive",
        _fetch_args,
        _fetch,
    ),
    "post": (
        "post a Markdown, HTML or text update as a new progress record, images uploaded",
        lambda parser: _write_args(parser, create=True),
        _post,
    ),
    "update": (
        "replace a progress record's content with a Markdown, HTML or text update",
        lambda parser: _write_args(parser, create=False),
        _update,
    ),
    "validate": (
        "check records and report each bad one with its field path",
        _validate_args,
        _validate,
    ),
}
"""Sub-command name -> (help, add its arguments, run it)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="okrcontent",
        description="Feishu/Lark OKR progress records to Markdown, HTML and text, and back.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (help_text, add_arguments, run) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        add_arguments(sub)
        sub.set_defaults(run=run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"okrcontent: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `okrcontent ... | head`
        sys.stderr.close()
        return EXIT_OK
