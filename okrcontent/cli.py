"""The ``okrcontent`` command.

One ``argparse`` sub-command a row of :data:`COMMANDS`; each row is a function that adds
its arguments and a function that runs it and returns the exit status: 0 all good, 1 some
input was bad (each reported on standard error with its location and field path), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from . import __version__
from .codec import load_record
from .errors import ContentError
from .inputs import iter_sources

__all__ = ["COMMANDS", "main"]

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


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


COMMANDS: dict[
    str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]
] = {
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
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `okrcontent ... | head`
        sys.stderr.close()
        return EXIT_OK
