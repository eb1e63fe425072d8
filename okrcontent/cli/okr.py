"""``okrcontent okr``: OKR archives to one document per user and cycle, in a folder."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import zoneinfo
from pathlib import Path

from ..document import FORMATS, Document, documents, load_archive, render
from ..errors import OkrContentError
from ..files import reason, write_file
from ..ids import shown
from ..model import Content, ProgressRecord
from ..okr import KeyResult, Objective, OkrEntity
from ..people import People
from .common import EXIT_BAD_INPUT, EXIT_OK, UsageError, losses_reported, report
from .openapi import _api_args, client_from_args, people_from_option

__all__ = ["_okr", "_okr_args"]


def _okr_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="ARCHIVE",
        help="OKR archives: .jsonl and .json files (gzipped or not), folders of them, or - "
        "(cycles, objectives, key results and progress records, v1 or v2, in any order)",
    )
    parser.add_argument("-t", "--to", required=True, choices=sorted(FORMATS), help="output format")
    parser.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    parser.add_argument(
        "--people",
        metavar="FILE|directory",
        help="names for users and mentions: a JSON object of id -> name, or 'directory' for "
        "the contact API (credentials as for fetch)",
    )
    parser.add_argument(
        "--timezone",
        metavar="ZONE",
        help="the zone times are shown in: a name (Asia/Shanghai), an offset (+08:00) or "
        "local; default UTC",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary")
    _api_args(parser)  # for --people directory


def timezone(value: str | None) -> dt.tzinfo | None:
    """``--timezone``: an IANA name, an offset (``+08:00``, ``-0330``, ``+8``), ``UTC`` or
    ``local`` (this machine's zone: ``None``)."""
    if value is None or value.upper() in ("UTC", "Z"):
        return dt.timezone.utc
    if value == "local":
        return None
    sign, rest = value[:1], value[1:].replace(":", "")
    if sign in "+-" and sign and rest.isdigit() and len(rest) in (1, 2, 4):
        hours, minutes = (int(rest), 0) if len(rest) <= 2 else (int(rest[:2]), int(rest[2:]))
        offset = dt.timedelta(hours=hours, minutes=minutes)
        if offset < dt.timedelta(hours=24) and minutes < 60:
            return dt.timezone(-offset if sign == "-" else offset)
    try:
        return zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise UsageError(f"--timezone {shown(value)}: not a time zone name or offset") from None


def _names(args: argparse.Namespace, entities: list[OkrEntity]) -> People:
    """``--people``: a file, or the contact API, asked up front for everyone the archive
    names (in batches, not one request a name)."""
    from ..fetch.directory import Directory, mention_ids  # the client: for this option only

    people = people_from_option(args.people, lambda: client_from_args(args))
    if isinstance(people, Directory):
        owners = [e.owner.user_id for e in entities if e.owner is not None and e.owner.user_id]
        contents = (c for e in entities for c in _contents(e) if c is not None)
        people.prefetch([*owners, *mention_ids(contents)])
    return people


def _contents(entity: OkrEntity) -> tuple[Content | ProgressRecord | None, ...]:
    if isinstance(entity, Objective):
        return (entity.content, entity.notes)
    if isinstance(entity, KeyResult):
        return (entity.content,)
    return (entity,) if isinstance(entity, ProgressRecord) else ()


def _okr(args: argparse.Namespace) -> int:
    zone = timezone(args.timezone)
    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{args.output}: exists and is not a folder")
    archive = load_archive(args.inputs)
    for bad in archive.bad_lines:
        report(bad.location, bad.message)
    try:
        people = _names(args, archive.entities)
        folder.mkdir(parents=True, exist_ok=True)
    except OkrContentError as error:  # the contact API refused, or could not be reached
        report("--people directory", str(error))
        return EXIT_BAD_INPUT
    except OSError as error:
        report(args.output, f"cannot create the folder: {reason(error)}")
        return EXIT_BAD_INPUT
    written = failed = 0
    taken: set[str] = set()  # names as a case-insensitive file system sees them
    for document in documents(archive.entities):
        if _write(document, args.to, folder, people, zone, taken):
            written += 1
        else:
            failed += 1
    if not args.quiet:
        print(
            f"{written} documents written to {args.output} from {len(archive.entities)} "
            f"entities; {len(archive.bad_lines)} bad lines, {failed} documents failed",
            file=sys.stderr,
        )
    return EXIT_BAD_INPUT if archive.bad_lines or failed else EXIT_OK


def _write(
    document: Document,
    to: str,
    folder: Path,
    people: People,
    zone: dt.tzinfo | None,
    taken: set[str],
) -> bool:
    """One document written (atomically, by :func:`okrcontent.files.write_file`; what its
    formats cannot show reported as warnings), or its failure reported."""
    where = f"user {shown(document.user)}, cycle {shown(document.cycle_id)}"
    try:
        name = document.name
        if name.casefold() in taken:  # user ids may differ by case alone; file names may not
            report(where, f"{name} differs from another document's name only by case")
            return False
        taken.add(name.casefold())
        target = folder / (name + FORMATS[to].suffix)
        with losses_reported(str(target)):
            text = render(document, to, people=people, timezone=zone)
        # A lone surrogate (JSON can hold one, UTF-8 cannot) is written as its escape.
        write_file(target, text.encode("utf-8", "backslashreplace"))
    except OkrContentError as error:
        report(where, str(error))
        return False
    except OSError as error:
        report(where, f"cannot write: {reason(error)}")
        return False
    return True
