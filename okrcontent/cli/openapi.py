"""The commands that talk to the OpenAPI: ``fetch``, ``post``, ``update``, ``delete``,
``send``; and :func:`people_from_option`, the ``--people`` of every command (a JSON file, or
``directory``: names from the contact API). Credentials come from the environment
(:data:`CREDENTIALS`), never from a flag."""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys
import warnings
import weakref
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from ..codec import load_record
from ..errors import ContentError, LossWarning, OkrContentError
from ..fetch.policy import MAX_MEDIA_BYTES, MediaPolicy
from ..fetch.post import TARGET_NAMES
from ..files import json_text
from ..formats import FORMATS, format_for_path
from ..ids import USER_ID_TYPES, check_id, check_user_id
from ..metadata import STATUS_NAMES
from ..model import Content, Gallery, ProgressRate, ProgressRecord
from ..people import People
from ..readers.json import from_json as read_json
from .common import EXIT_BAD_INPUT, EXIT_OK, UsageError, losses_reported, read_people
from .common import read_input as _read_input
from .common import report as _report

CREDENTIALS = ("OKRCONTENT_APP_ID", "OKRCONTENT_APP_SECRET", "OKRCONTENT_USER_TOKEN")
"""Environment variables the fetch command reads its credentials from."""


def _fetch_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID", help="progress record ids (v1, one by one)")
    parser.add_argument(
        "--user",
        action="append",
        default=[],
        metavar="USER_ID",
        help="archive this user's OKR cycles: cycles, objectives, key results and every "
        "progress record, from the v2 listings (repeatable)",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--cycle",
        action="append",
        default=[],
        metavar="ID",
        help="with --user: only this cycle (repeatable)",
    )
    which.add_argument(
        "--period",
        action="append",
        default=[],
        metavar="NAME",
        help="with --user: only the cycle of this OKR period, by its Chinese or English name "
        "(repeatable)",
    )
    which.add_argument(
        "--since",
        metavar="DATE",
        help="with --user: only cycles ending on or after DATE (YYYY-MM-DD, midnight UTC; "
        "or an ISO date and time with its offset)",
    )
    parser.add_argument(
        "--v1",
        action="store_true",
        help="with --user: the old way, only the progress records on the user's OKRs, "
        "one v1 request each (no cycles, objectives or key results)",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="ARCHIVE",
        help="JSON Lines archive to append to (.jsonl or .jsonl.gz)",
    )
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="fetch again the ids already in the archive, and append those that changed "
        "(--user always lists everything again)",
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


def client_from_args(args: argparse.Namespace, media: Any = None) -> Any:
    """A fetch client from the environment's credentials and the host options (a command
    without :func:`_api_args` gets Feishu and the environment's app id)."""
    from ..fetch import FEISHU, LARK, Client

    app_id_name, secret_name, token_name = CREDENTIALS
    app_id = getattr(args, "app_id", None) or os.environ.get(app_id_name)
    secret = os.environ.get(secret_name)
    user_token = os.environ.get(token_name)
    if not user_token and not (app_id and secret):
        raise UsageError(
            "no credentials: set OKRCONTENT_APP_ID and OKRCONTENT_APP_SECRET, "
            "or OKRCONTENT_USER_TOKEN"
        )
    base_url = getattr(args, "base_url", None) or (LARK if getattr(args, "lark", False) else FEISHU)
    try:
        if user_token:
            return Client(user_access_token=user_token, base_url=base_url, media=media)
        return Client(app_id=app_id, app_secret=secret, base_url=base_url, media=media)
    except ValueError as error:  # the base URL: the credentials are not checked here
        raise UsageError(f"--{error}".replace("base_url", "base-url", 1)) from None


@attrs.define
class _Tally:
    """What a fetch run did: lines appended, found unchanged, failures; whether it stopped."""

    fetched: int = 0
    skipped: int = 0
    failed: int = 0
    stopped: bool = False


def _fetch(args: argparse.Namespace) -> int:
    """``fetch``: progress records by id (v1), and whole OKRs of users (v2), into one
    archive that a re-run completes."""
    from ..fetch.archive import Archive

    select = _selection(args)
    if not args.output.removesuffix(".gz").endswith((".jsonl", ".ndjson")):
        raise UsageError("-o must name a .jsonl or .jsonl.gz archive")
    client = client_from_args(args)
    try:
        archive = Archive(args.output)
    except OSError as error:
        client.close()
        _report(args.output, f"cannot read the archive: {error.strerror or error}")
        return EXIT_BAD_INPUT
    tally = _Tally()
    try:
        with client:
            ids = list(args.ids)
            if args.v1:
                for user in args.user:
                    try:
                        ids.extend(client.iter_progress_ids(user, user_id_type=args.user_id_type))
                    except OkrContentError as error:
                        _report(f"user {user}", str(error))
                        tally.failed += 1
            _fetch_records(client, archive, list(dict.fromkeys(ids)), args, tally)
            for user in [] if args.v1 else dict.fromkeys(args.user):
                if tally.stopped:
                    break
                _fetch_okrs(client, archive, user, select, args, tally)
            archive.compact()
    except OSError as error:
        _report(args.output, f"cannot write the archive: {error.strerror or error}")
        return EXIT_BAD_INPUT
    finally:
        archive.close()
    if not args.quiet:
        print(
            f"{tally.fetched} fetched, {tally.skipped} already in {args.output}, "
            f"{tally.failed} failed",
            file=sys.stderr,
        )
    return EXIT_BAD_INPUT if tally.failed else EXIT_OK


def _selection(args: argparse.Namespace) -> Any:
    """The cycles ``--cycle``, ``--period`` and ``--since`` select (usage errors first)."""
    from ..fetch.okr import Selection

    narrowed = args.cycle or args.period or args.since is not None
    if narrowed and (args.v1 or not args.user):
        raise UsageError("--cycle, --period and --since choose a --user's cycles (not with --v1)")
    if args.v1 and not args.user:
        raise UsageError("--v1 goes with --user")
    if not args.ids and not args.user:
        raise UsageError("give progress record ids, or --user USER_ID")
    try:
        cycles = frozenset(check_id(cycle, "--cycle") for cycle in args.cycle)
        for user in args.user:
            check_user_id(user, "--user")
    except ContentError as error:
        raise UsageError(str(error)) from None
    since = None if args.since is None else _since(args.since)
    return Selection(cycles, frozenset(args.period), since)


def _since(text: str) -> _dt.datetime:
    """``--since``: a date (its midnight, UTC) or an ISO date and time (UTC without an
    offset)."""
    try:
        when = _dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--since {text!r}: give a date, YYYY-MM-DD") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=_dt.timezone.utc)


def _fetch_records(
    client: Any, archive: Any, ids: list[str], args: argparse.Namespace, tally: _Tally
) -> None:
    """Progress records by id, one v1 request each. Ids in the archive are skipped, or with
    ``--refresh`` fetched again: a changed record is appended (and its older line dropped
    when the run ends, as ``--user`` does), an unchanged one counted as already there."""
    from ..fetch.errors import AuthError

    for position, progress_id in enumerate(ids):
        if progress_id in archive.ids and not args.refresh:
            tally.skipped += 1
            continue
        try:
            envelope = client.get_envelope(progress_id, user_id_type=args.user_id_type)
            load_record(envelope)  # archive only what loads
        except AuthError as error:  # the credentials fail every id alike: stop
            _report(progress_id, f"{error}; stopped: the rest would fail the same")
            tally.failed += len(ids) - position
            tally.stopped = True
            return
        except OkrContentError as error:
            _report(progress_id, str(error))
            tally.failed += 1
            continue
        if archive.put(envelope) == "same":
            tally.skipped += 1
        else:
            tally.fetched += 1


def _fetch_okrs(
    client: Any, archive: Any, user: str, select: Any, args: argparse.Namespace, tally: _Tally
) -> None:
    """A user's whole OKRs from the v2 listings, each item archived as it comes unless the
    archive holds it unchanged; a summary line for the user."""
    from ..fetch.archive import entry
    from ..fetch.okr import STOPPING, Failed

    counts: Counter[str] = Counter()
    before = client.requests

    def keep(event: Any) -> None:
        if isinstance(event, Failed):
            _report(f"user {user}", event.message)
            tally.failed += 1
        elif event.error is not None:
            _report(f"user {user}", str(event.error))
            tally.failed += 1
        else:
            counts[event.kind] += 1
            if archive.put(entry(event.kind, event.item)) == "same":
                tally.skipped += 1
            else:
                tally.fetched += 1

    try:
        client.walk_okrs(user, keep, select=select, user_id_type=args.user_id_type)
    except STOPPING as error:  # credentials, the network, the rate limit
        _report(f"user {user}", f"{error}; stopped: the rest would fail the same")
        tally.failed += 1
        tally.stopped = True
        return
    if not args.quiet:
        kinds = ", ".join(
            f"{counts[kind]} {one if counts[kind] == 1 else many}"
            for kind, (one, many) in _KIND_NAMES.items()
        )
        print(f"user {user}: {kinds} in {client.requests - before} requests", file=sys.stderr)


_KIND_NAMES = {
    "cycle": ("cycle", "cycles"),
    "objective": ("objective", "objectives"),
    "key_result": ("key result", "key results"),
    "progress": ("progress record", "progress records"),
}
"""How the per-user summary names each kind of entity."""


# --- post / update / delete ---------------------------------------------------------------------

STATUSES = {name: status for status, name in STATUS_NAMES.items()}
"""``--status`` names: the statuses as the metadata names them (``at_risk``)."""

FROM_THE_FILE = "(default: the file's front matter)"


def _write_args(parser: argparse.ArgumentParser, *, create: bool) -> None:
    if not create:
        parser.add_argument(
            "progress_id",
            metavar="PROGRESS_ID",
            nargs="?",
            help=f"the record to update {FROM_THE_FILE}",
        )
    parser.add_argument(
        "file",
        metavar="FILE",
        help="the update: Markdown, HTML or text (- stdin); a record written by convert "
        "(front matter, or HTML's okr-* metadata) gives the flags' defaults",
    )
    parser.add_argument(
        "-f",
        "--from",
        dest="source_format",
        choices=["html", "markdown", "text"],
        help="its format (default: from the file name; Markdown for standard input)",
    )
    target_help = "the objective or key result id" + ("" if create else " (for image uploads)")
    parser.add_argument("--target", metavar="ID", help=f"{target_help} {FROM_THE_FILE}")
    parser.add_argument("--target-type", choices=TARGET_NAMES, help=FROM_THE_FILE)
    if create:
        parser.add_argument("--title", required=True, help="source title shown with the record")
        parser.add_argument("--url", required=True, help="source URL (http or https)")
    parser.add_argument("--percent", type=float, help=f"progress, 0..100 {FROM_THE_FILE}")
    parser.add_argument("--status", choices=STATUSES, help=FROM_THE_FILE)
    parser.add_argument(
        "--no-upload", action="store_true", help="do not upload images: post them as links"
    )
    _media_args(parser)
    parser.add_argument(
        "--dry-run", action="store_true", help="print the JSON body to be sent, and send nothing"
    )
    _api_args(parser)


def _media_args(parser: argparse.ArgumentParser) -> None:
    """The media policy's options, for every command that reads an update's images."""
    media = parser.add_argument_group(
        "images",
        "local images are read only inside the update's folder, remote ones only from "
        "public addresses, each at most 10 MB and a real image (PNG, JPEG, GIF, WebP, ...)",
    )
    media.add_argument(
        "--media-root", metavar="DIR", help="read local images anywhere inside DIR instead"
    )
    media.add_argument(
        "--media-allow-network",
        action="append",
        default=[],
        metavar="CIDR",
        help="also fetch remote images from this non-public network (repeatable), e.g. 10.1.0.0/16",
    )
    media.add_argument(
        "--media-allow-private",
        action="store_true",
        help="also fetch remote images from any loopback, private or link-local address",
    )
    media.add_argument(
        "--media-max-bytes",
        type=int,
        default=MAX_MEDIA_BYTES,
        metavar="N",
        help="the cap on one image (default: %(default)s)",
    )


def _update_content(args: argparse.Namespace) -> tuple[Content, ProgressRecord | None]:
    """The update's content, and the record it is when its file holds one (front matter)."""
    name = args.file
    source_format = args.source_format or ("markdown" if name == "-" else format_for_path(name))
    if source_format not in ("html", "markdown", "text"):
        raise UsageError(f"{name}: give --from markdown, html or text")
    read = _read_text(name, _read_input(name), source_format)
    if isinstance(read, Content):
        return read, None
    return read.content or Content(), read


@attrs.frozen
class _Sent:
    """What ``post`` and ``update`` send besides the content: each from its flag, else from
    the file's front matter (flags win)."""

    progress_id: str | None
    target: str | None
    target_type: str | int | None
    rate: ProgressRate | None


def _sent(args: argparse.Namespace, record: ProgressRecord | None, *, create: bool) -> _Sent:
    """The flags, with the file's record filling in those not given; a usage error for what
    neither gives (a v1 record names no target: post needs --target and --target-type)."""
    held = record or ProgressRecord()
    rate = held.progress_rate or ProgressRate()
    percent = args.percent if args.percent is not None else rate.percent
    status = STATUSES[args.status] if args.status else rate.status
    sent = _Sent(
        progress_id=None if create else args.progress_id or held.progress_id,
        target=args.target or held.entity_id,
        target_type=args.target_type or held.entity_type,
        rate=None if percent is None and status is None else ProgressRate(percent, status),
    )
    if create and (sent.target is None or sent.target_type is None):
        raise UsageError(
            f"{args.file}: give --target and --target-type (its front matter names no "
            "entity_id and entity_type: a v1 record has none)"
        )
    if not create and sent.progress_id is None:
        raise UsageError(f"{args.file}: give PROGRESS_ID (its front matter has no progress_id)")
    return sent


def _read_text(name: str, data: bytes, source_format: str) -> Content | ProgressRecord:
    """An update in a text format (UTF-8), read; what the format cannot hold reported."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentError(f"not UTF-8 text (byte {error.start})") from None
    with warnings.catch_warnings(record=True) as losses:
        warnings.simplefilter("always", LossWarning)
        content = FORMATS[source_format].read(text)
    for loss in losses:
        _report(name, f"warning: {loss.message}")
    return content


def _media_policy(args: argparse.Namespace) -> MediaPolicy:
    if args.media_max_bytes < 1:
        raise UsageError("--media-max-bytes must be positive")
    try:
        return MediaPolicy(
            root=args.media_root,
            allow_private=args.media_allow_private,
            allow_networks=args.media_allow_network,
            max_bytes=args.media_max_bytes,
        )
    except ValueError as error:
        raise UsageError(f"--media-allow-network: {error}") from None


def _print_json(value: Any) -> None:
    """JSON on standard output, readable (not ASCII-escaped) yet lossless: a lone surrogate
    stays a ``\\udXXX`` escape instead of failing to encode."""
    print(json_text(value, indent=2))


def _write(args: argparse.Namespace, *, create: bool) -> int:
    """``post`` and ``update``: read the update and its images, upload them, send it."""
    from ..errors import OkrContentError
    from ..fetch.policy import Media
    from ..fetch.post import TargetType, create_body, prepare_images, update_body

    policy = _media_policy(args)
    try:
        content, record = _update_content(args)
    except ContentError as error:
        _report(args.file, str(error))
        return EXIT_BAD_INPUT
    sent = _sent(args, record, create=create)
    base = Path(args.file).parent if args.file != "-" else Path.cwd()
    rate = sent.rate

    def body_of(content: Content) -> dict[str, Any]:
        if create:
            return create_body(
                sent.target or "",
                sent.target_type or "",
                content,
                source_title=args.title,
                source_url=args.url,
                progress_rate=rate,
            )
        return update_body(content, progress_rate=rate)

    if args.dry_run:  # every image is checked; one to upload shows where its token will go

        def placeholder(data: bytes, name: str) -> tuple[str, str]:
            return "<uploaded on post>", name

        def unfetched(url: str) -> Media:  # a dry run sends nothing, not even for an image
            policy.check_url(url)
            return Media(b"", url, "")

        try:
            prepared = prepare_images(
                content,
                base=base,
                upload=None if args.no_upload else placeholder,
                download=unfetched,
                policy=policy,
            )
            _print_json(body_of(prepared))
        except ContentError as error:
            _report(args.file, str(error))
            return EXIT_BAD_INPUT
        return EXIT_OK
    with client_from_args(args, media=policy) as client:

        def upload(data: bytes, name: str) -> tuple[str, str]:
            if sent.target is None or sent.target_type is None:
                raise UsageError("the update has images to upload: give --target and --target-type")
            result: tuple[str, str] = client.upload_image(
                data, target_id=sent.target, target_type=TargetType.of(sent.target_type), name=name
            )
            return result

        try:
            body_of(_without_images(content))  # checked before any upload
            prepared = prepare_images(
                content, base=base, upload=None if args.no_upload else upload, policy=policy
            )
            if create:
                written = client.create_record(
                    sent.target,
                    sent.target_type,
                    prepared,
                    source_title=args.title,
                    source_url=args.url,
                    progress_rate=rate,
                )
            else:
                written = client.update_record(sent.progress_id, prepared, progress_rate=rate)
        except OkrContentError as error:
            _report(args.file, str(error))
            return EXIT_BAD_INPUT
    print(written.progress_id)
    return EXIT_OK


def _without_images(content: Content) -> Content:
    """The content with its galleries left out: what the body check can see before upload."""
    return Content([b for b in content.blocks if not isinstance(b, Gallery)])


def _post(args: argparse.Namespace) -> int:
    return _write(args, create=True)


def _update(args: argparse.Namespace) -> int:
    return _write(args, create=False)


def _delete_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("progress_id", metavar="PROGRESS_ID")
    _api_args(parser)


def _delete(args: argparse.Namespace) -> int:
    from ..errors import OkrContentError

    with client_from_args(args) as client:
        try:
            client.delete_record(args.progress_id)
        except OkrContentError as error:
            _report(args.progress_id, str(error))
            return EXIT_BAD_INPUT
    print(f"deleted {args.progress_id}", file=sys.stderr)
    return EXIT_OK


# --- --people directory ------------------------------------------------------------------------

DIRECTORY = "directory"
"""The ``--people`` value that means: names from the contact API (``./directory`` is a file)."""


def people_from_option(value: str | None, client_factory: Callable[[], Any]) -> People:
    """What ``--people VALUE`` means: None (no names), ``directory`` (a
    :class:`~okrcontent.fetch.Directory` on a client from ``client_factory``, closed with
    it), or a JSON file of id -> name."""
    if value != DIRECTORY:
        return read_people(value)
    client = client_factory()
    directory = client.directory()
    weakref.finalize(directory, client.close)
    return directory  # type: ignore[no-any-return]


# --- send ----------------------------------------------------------------------------------------

SOURCE_FORMATS = ("html", "json", "markdown", "post", "text")
"""What ``send`` reads: an update, a record (JSON), or a post already made (``post``)."""


def _send_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file",
        metavar="FILE",
        help="the update: a record or content (JSON), Markdown, HTML or text, or a post "
        "(JSON, as convert --to post writes it); - for standard input",
    )
    parser.add_argument("--chat-id", required=True, metavar="ID", help="the chat (oc_...)")
    parser.add_argument(
        "-f",
        "--from",
        dest="source_format",
        choices=SOURCE_FORMATS,
        help="its format (default: from the file name; JSON for standard input, where a post "
        "object is recognised by its locales)",
    )
    parser.add_argument("--title", help="the post's title")
    parser.add_argument(
        "--people",
        metavar="FILE|directory",
        help="names for mentions: a JSON object of open id -> name, or 'directory' for the "
        "contact API",
    )
    parser.add_argument(
        "--upload-images",
        action="store_true",
        help="upload the update's images to the chat (IM image API); default: send links",
    )
    parser.add_argument(
        "--idempotency-key",
        metavar="KEY",
        help="the message's uuid (default: a new one): the same key within an hour posts once",
    )
    _media_args(parser)
    parser.add_argument(
        "--dry-run", action="store_true", help="print the message body to be sent, send nothing"
    )
    _api_args(parser)


def _is_post(value: Any) -> bool:
    """A post object (``{"zh_cn": {...}}``) rather than a record or content."""
    from ..fetch.im import check_post

    try:
        check_post(value)
    except ContentError:
        return False
    return True


def _send_source(args: argparse.Namespace) -> tuple[str, Any]:
    """``("post", post object)`` or ``("content", Content or ProgressRecord)``."""
    name = args.file
    source_format = args.source_format or ("json" if name == "-" else format_for_path(name))
    data = _read_input(name)
    if source_format in ("json", "post"):
        try:
            value = json.loads(data)
        except (ValueError, RecursionError):
            value = None
        if source_format == "post" or _is_post(value):
            return "post", value
        return "content", read_json(data)
    if source_format not in FORMATS:
        raise UsageError(f"{name}: give --from markdown, html, text, json or post")
    return "content", _read_text(name, data, source_format)


def _titled(post: Any, title: str | None) -> Any:
    if title is None or not isinstance(post, dict):
        return post
    return {locale: {**body, "title": title} for locale, body in post.items()}


def _send(args: argparse.Namespace) -> int:
    """``send``: an update made into a post (or a post as it is) sent to a chat."""
    from ..errors import OkrContentError
    from ..fetch.im import message_body, new_idempotency_key

    policy = _media_policy(args)
    key = args.idempotency_key or new_idempotency_key()
    try:
        kind, source = _send_source(args)
    except ContentError as error:
        _report(args.file, str(error))
        return EXIT_BAD_INPUT
    offline = args.dry_run and args.people != DIRECTORY  # a dry run needs no credentials
    client: Any = None if offline else client_from_args(args, media=policy)
    try:
        post = source if kind == "post" else _post_of(source, client, args, policy)
        body = message_body(args.chat_id, _titled(post, args.title), uuid=key)
        if args.dry_run:
            _print_json(body)
            return EXIT_OK
        sent = client.send_message(args.chat_id, body["content"], idempotency_key=key)
    except OkrContentError as error:
        _report(args.file, str(error))
        return EXIT_BAD_INPUT
    finally:
        if client is not None:
            client.close()
    print(sent.message_id)
    return EXIT_OK


def _post_of(content: Any, client: Any, args: argparse.Namespace, policy: MediaPolicy) -> Any:
    """The post of an update: its images uploaded first with ``--upload-images`` (in a dry
    run only checked), then the post writer."""
    from ..fetch.im import upload_images
    from ..writers.post import to_post

    keys: dict[str, str] = {}
    if args.upload_images:
        base = Path(args.file).parent if args.file != "-" else Path.cwd()
        uploader = None if args.dry_run else client
        keys = upload_images(uploader, content, base=base, policy=policy)
    people = client.directory() if args.people == DIRECTORY else read_people(args.people)
    with losses_reported(args.file):  # what the chat cannot show: colours, dead links...
        return to_post(content, people=people, image_keys=keys)
