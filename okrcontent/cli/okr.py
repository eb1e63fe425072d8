"""``okrcontent okr``: OKR archives to one document per user and cycle, in a folder."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import warnings
import zoneinfo
from pathlib import Path

from ..document import FORMATS, documents, load_archive, render
from ..errors import LossWarning, OkrContentError
from ..ids import shown
from .common import EXIT_BAD_INPUT, EXIT_OK, UsageError, read_people, report, write_output

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
    parser.add_argument("--people", metavar="FILE", help="JSON object of user id -> display name")
    parser.add_argument(
        "--timezone",
        metavar="ZONE",
        help="the zone times are shown in: a name (Asia/Shanghai), an offset (+08:00) or "
        "local; default UTC",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary")


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


def _okr(args: argparse.Namespace) -> int:
    zone = timezone(args.timezone)
    people = read_people(args.people)
    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{args.output}: exists and is not a folder")
    archive = load_archive(args.inputs)
    for bad in archive.bad_lines:
        report(bad.location, bad.message)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"{args.output}: cannot create the folder: {error.strerror}") from None
    written = failed = 0
    for document in documents(archive.entities):
        where = f"user {shown(document.user)}, cycle {shown(document.cycle_id)}"
        try:
            with warnings.catch_warnings(record=True) as losses:
                warnings.simplefilter("always", LossWarning)
                text = render(document, args.to, people=people, timezone=zone)
            target = folder / (document.name + FORMATS[args.to].suffix)
            # A lone surrogate (JSON can hold one, UTF-8 cannot) is written as its escape.
            write_output(str(target), text.encode("utf-8", "backslashreplace").decode("utf-8"))
        except OkrContentError as error:
            report(where, str(error))
            failed += 1
            continue
        except OSError as error:
            report(where, f"cannot write: {error.strerror or error}")
            failed += 1
            continue
        for loss in dict.fromkeys(str(w.message) for w in losses):
            report(str(target), f"warning: {loss}")
        written += 1
    if not args.quiet:
        print(
            f"{written} documents written to {args.output} from {len(archive.entities)} "
            f"entities; {len(archive.bad_lines)} bad lines, {failed} documents failed",
            file=sys.stderr,
        )
    return EXIT_BAD_INPUT if archive.bad_lines or failed else EXIT_OK
