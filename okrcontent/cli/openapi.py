"""The commands that talk to the OpenAPI: ``fetch``, ``post``, ``update``, ``delete``.
Credentials come from the environment (:data:`CREDENTIALS`), never from a flag."""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any

from ..codec import load_record
from ..errors import ContentError, LossWarning
from ..fetch.post import TARGET_NAMES
from ..formats import FORMATS, format_for_path
from ..ids import USER_ID_TYPES
from ..model import Content, ProgressRate, ProgressStatus
from .common import EXIT_BAD_INPUT, EXIT_OK, UsageError
from .common import read_input as _read_input
from .common import report as _report

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
    parser.add_argument("--user-id-type", default="open_id", choices=USER_ID_TYPES)
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
    from ..fetch import FEISHU, LARK, Client

    app_id_name, secret_name, token_name = CREDENTIALS
    app_id = args.app_id or os.environ.get(app_id_name)
    secret = os.environ.get(secret_name)
    user_token = os.environ.get(token_name)
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
    from ..fetch import ApiError
    from ..fetch.archive import Archive

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

STATUSES = {status.name.lower(): status for status in ProgressStatus}
"""``--status`` names: the :class:`~okrcontent.model.ProgressStatus` members, lower case."""


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
    parser.add_argument("--target-type", required=create, choices=TARGET_NAMES)
    if create:
        parser.add_argument("--title", required=True, help="source title shown with the record")
        parser.add_argument("--url", required=True, help="source URL (http or https)")
    parser.add_argument("--percent", type=float, help="progress, 0..100")
    parser.add_argument("--status", choices=STATUSES)
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

    from ..fetch import ApiError
    from ..fetch.post import TargetType, create_body, prepare_images, update_body

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
    from ..fetch import ApiError

    with _client(args) as client:
        try:
            client.delete_record(args.progress_id)
        except (ApiError, ContentError) as error:
            _report(args.progress_id, str(error))
            return EXIT_BAD_INPUT
    print(f"deleted {args.progress_id}", file=sys.stderr)
    return EXIT_OK
