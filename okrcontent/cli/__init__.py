"""The ``okrcontent`` command.

One ``argparse`` sub-command a row of :data:`COMMANDS`; each row is a function that adds
its arguments and a function that runs it and returns the exit status: 0 all good, 1 some
input was bad (each reported on standard error with its location and field path), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from .. import __version__
from .common import EXIT_OK, EXIT_USAGE, UsageError
from .convert import _convert, _convert_args
from .openapi import (
    _delete,
    _delete_args,
    _fetch,
    _fetch_args,
    _post,
    _send,
    _send_args,
    _update,
    _write_args,
)
from .validate import _validate, _validate_args

__all__ = ["COMMANDS", "build_parser", "main"]

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
    "send": (
        "send an update (or a record, or a post) to a chat as a post, mentions notifying",
        _send_args,
        _send,
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
