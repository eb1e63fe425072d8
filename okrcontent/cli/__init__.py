"""The ``okrcontent`` command.

One ``argparse`` sub-command a row of :data:`COMMANDS`; each row is a function that adds
its arguments and a function that runs it and returns the exit status: 0 all good, 1 some
input was bad (each reported on standard error with its location and field path) or the
command could not finish (one line, ``okrcontent: error: ...``), 2 usage; 130 after Ctrl-C
and 143 after SIGTERM (129 after SIGHUP), each once the command has stopped cleanly.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TextIO

from .._version import __version__
from ..errors import OkrContentError
from .common import (
    EXIT_BAD_INPUT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    SIGNALS,
    CommandError,
    Terminated,
    UsageError,
)
from .convert import _convert, _convert_args
from .okr import _okr, _okr_args
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
        "fetch progress records, or users' whole OKRs, from the OpenAPI into a JSON Lines archive",
        _fetch_args,
        _fetch,
    ),
    "okr": (
        "OKR archives to one Markdown, HTML or text document per user and cycle",
        _okr_args,
        _okr,
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
        sub.set_defaults(run=run, parser=sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 done, 1 something failed and was
    reported, 2 usage, 130 Ctrl-C, 143 SIGTERM)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with _signals_raise():
            return _run(args)
    except BrokenPipeError:  # `okrcontent ... | head`: the reader has had enough
        for stream in (sys.stdout, sys.stderr):
            _silence(stream)
        return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.run(args))
    except UsageError as error:
        args.parser.print_usage(sys.stderr)
        print(f"okrcontent: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (CommandError, OkrContentError) as error:
        print(f"okrcontent: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Terminated as stop:
        return stop.status
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        raise
    except Exception as error:  # a bug: one line, not a traceback
        print(
            f"okrcontent: internal error: {type(error).__name__}: {error} "
            "(a bug in okrcontent: please report it)",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """While a command runs, the signals of :data:`SIGNALS` raise :class:`Terminated` (in
    the main thread only, where Python can handle signals; restored afterwards)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(number: int, frame: object) -> None:
        raise Terminated(number)

    previous = {number: signal.signal(number, handler) for number in SIGNALS}
    try:
        yield
    finally:
        for number, action in previous.items():
            signal.signal(number, action)


def _silence(stream: TextIO) -> None:
    """Point a closed pipe's descriptor at /dev/null, so that the interpreter's own flush
    at exit does not complain about it a second time."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
