"""``okrcontent validate``: check records, report each bad one with its field path.

It judges exactly as ``convert`` does. An input holds records (an archive, by
:func:`okrcontent.inputs.is_archive`; standard input, or a file whose name says no format:
JSON Lines), each of which must pass :func:`okrcontent.batch.check`, the batch's own
judgement (an archive ``fetch --user`` wrote holds OKR entities too: valid if they load);
or it holds one document (a Markdown, HTML, text or JSON file), which its
format's reader must read, as ``convert`` would.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

from ..batch import check
from ..errors import OkrContentError
from ..formats import format_for_path
from ..inputs import is_archive, iter_sources
from .common import EXIT_BAD_INPUT, EXIT_OK, CommandError, losses_reported, read_document
from .common import report as _report


def _validate_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="archives (.jsonl and .json files, gzipped or not, and directories of them; "
        "- for JSON Lines on standard input) or single records and documents "
        "(.json, .md, .html, .txt)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the failures")


def _problems(name: str) -> Iterator[tuple[str, str | None]]:
    """``(location, None)`` for each good record or document in the input, ``(location,
    message)`` for each bad one."""
    document = None if name == "-" or is_archive(name) else format_for_path(name)
    if document is None:
        for source in iter_sources([name]):
            yield source.location, source.error if source.error else check(source.text)
        return
    with losses_reported(name):
        try:
            read_document(name, document)
        except OkrContentError as error:
            yield name, str(error)
        except CommandError as error:
            yield name, error.message
        else:
            yield name, None


def _validate(args: argparse.Namespace) -> int:
    good = bad = 0
    for name in args.inputs:
        for location, problem in _problems(name):
            if problem is None:
                good += 1
            else:
                bad += 1
                _report(location, problem)
    if good + bad == 0:
        print("okrcontent: warning: no records found in the inputs", file=sys.stderr)
    if not args.quiet:
        print(f"{good} valid, {bad} invalid", file=sys.stderr)
    return EXIT_BAD_INPUT if bad else EXIT_OK
