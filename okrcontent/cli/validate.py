"""``okrcontent validate``: check records, report each bad one with its field path."""

from __future__ import annotations

import argparse
import sys

from ..codec import load_record
from ..errors import ContentError
from ..inputs import iter_sources
from .common import EXIT_BAD_INPUT, EXIT_OK
from .common import report as _report


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
