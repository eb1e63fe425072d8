"""What every sub-command shares: exit statuses, usage errors, reporting, reading inputs,
writing outputs atomically."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_OK",
    "EXIT_USAGE",
    "UsageError",
    "read_input",
    "read_people",
    "report",
    "write_output",
]

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command line that cannot be run as given (exit status 2)."""


def report(location: str, message: str) -> None:
    """One problem, on standard error: ``location: message``."""
    print(f"{location}: {message}", file=sys.stderr)


def read_people(path: str | None) -> dict[str, str] | None:
    if path is None:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UsageError(f"--people {path}: cannot read a JSON object: {error}") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise UsageError(f"--people {path}: expected a JSON object of id -> name strings")
    return data


def read_input(name: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as error:
        raise UsageError(f"{name}: cannot read: {error.strerror or error}") from None


def write_output(name: str | None, text: str) -> None:
    if name is None or name == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(name)
    # Written next to the target and renamed: a reader never sees half a file.
    fd, temporary = tempfile.mkstemp(
        dir=target.parent or ".", prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
