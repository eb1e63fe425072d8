"""What every sub-command shares: exit statuses, the errors that end a command, reporting,
reading inputs, writing outputs."""

from __future__ import annotations

import contextlib
import gzip
import json
import signal
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ContentError, LossWarning
from ..files import reason, utf8, write_file
from ..formats import FORMATS
from ..inputs import READ_ERRORS

if TYPE_CHECKING:
    from ..model import Content, ProgressRecord

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "SIGNALS",
    "CommandError",
    "Terminated",
    "UsageError",
    "losses_reported",
    "read_document",
    "read_input",
    "read_people",
    "report",
    "write_output",
]

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 128 + signal.SIGINT  # Ctrl-C: 130
SIGNALS: dict[int, int] = {signal.SIGTERM: 128 + signal.SIGTERM}
"""Signals handled like Ctrl-C (the run stops cleanly), with the exit status each gives:
SIGTERM is what ``timeout``, ``kill``, systemd and ``docker stop`` send."""
if hasattr(signal, "SIGHUP"):  # the terminal went away
    SIGNALS[signal.SIGHUP] = 128 + signal.SIGHUP


class UsageError(Exception):
    """A command line that cannot be run as given (exit status 2)."""


class CommandError(Exception):
    """A command that could not finish (exit status 1): ``okrcontent: error: <message>``;
    ``location`` names the file at fault, if one is (it starts the message)."""

    def __init__(self, message: str, location: str = "") -> None:
        super().__init__(f"{location}: {message}" if location else message)
        self.location = location
        self.message = message


class Terminated(KeyboardInterrupt):
    """A signal from :data:`SIGNALS`, raised where the program is, so that it unwinds like
    Ctrl-C (workers stopped, temporary files removed); ``status`` is the exit status."""

    def __init__(self, number: int) -> None:
        super().__init__(signal.Signals(number).name)
        self.status = SIGNALS[number]


def report(location: str, message: str) -> None:
    """One problem, on standard error: ``location: message``."""
    print(f"{location}: {message}", file=sys.stderr)


@contextlib.contextmanager
def losses_reported(name: str) -> Iterator[None]:
    """Report what a conversion inside could not carry across, as ``name: warning: ...``."""
    with warnings.catch_warnings(record=True) as losses:
        warnings.simplefilter("always", LossWarning)
        try:
            yield
        finally:
            for loss in losses:
                report(name, f"warning: {loss.message}")


def read_people(path: str | None) -> dict[str, str] | None:
    if path is None:
        return None
    try:
        data = json.loads(Path(path).read_bytes())
    except (OSError, ValueError, RecursionError) as error:
        why = reason(error) if isinstance(error, OSError) else error
        raise UsageError(f"--people {path}: cannot read a JSON object: {why}") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise UsageError(f"--people {path}: expected a JSON object of id -> name strings")
    return data


def read_input(name: str) -> bytes:
    """The bytes of an input file (``-``: standard input), a ``.gz`` one decompressed."""
    try:
        if name == "-":
            return sys.stdin.buffer.read()
        if name.endswith(".gz"):
            with gzip.open(name, "rb") as stream:
                return stream.read()
        return Path(name).read_bytes()
    except READ_ERRORS as error:
        raise CommandError(f"cannot read: {reason(error)}", name) from None


def read_document(name: str, source_format: str) -> Content | ProgressRecord:
    """The one record or content an input file holds, read with its format's reader.
    Raises :class:`~okrcontent.ContentError` for bad content, :class:`CommandError` for a
    file that cannot be read."""
    data = read_input(name)
    if source_format == "json":
        return FORMATS["json"].read(data)  # type: ignore[arg-type]  # JSON takes bytes
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentError(f"not UTF-8 text: {error}") from None
    return FORMATS[source_format].read(text)


def write_output(name: str | None, output: str | bytes) -> None:
    """Write a command's output to ``name`` (``None`` or ``-``: standard output), as UTF-8,
    through :func:`okrcontent.files.write_file` (atomic for a regular file)."""
    data = utf8(output) if isinstance(output, str) else output
    if name is None or name == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        write_file(name, data)
    except OSError as error:
        raise CommandError(f"cannot write: {reason(error)}", name) from None
