"""Writing outputs so that nobody ever reads half of one: the one place okrcontent creates
files (the batch, ``convert -o``, Dask on a local disk, the fetch archive's repair).

- A regular file (or a new one) is written to a temporary file beside it and renamed over
  it: a reader sees the old content or the new, never a mix, and a kill leaves at most a
  temporary (named with :data:`TEMPORARY_PREFIX`, which the batch sweeps away).
- Anything that is not a regular file (a device such as ``/dev/null``, a named pipe, a
  socket) and any path under ``/dev`` or ``/proc`` (``/dev/stdout`` names whatever standard
  output is, perhaps a file the shell opened) is written through, as ``cat > path`` would:
  a rename would replace the device or the pipe with a file.
- A symbolic link is followed: its target gets the content and the link stays.
- New files get the mode ``0666 & ~umask``, like any program's output (``os.open`` applies
  the umask; ``tempfile.mkstemp`` would make them ``0600``); a file written over keeps its
  mode (and its owner, where the system allows), and one the caller may not write is
  refused, as ``cat > path`` would refuse it, rather than replaced.

Errors are :class:`OSError` naming the path the caller gave, never the temporary file.
What is written must be UTF-8: :func:`utf8` encodes text or says which character cannot be,
and :func:`json_text` gives JSON text that always can be (lone surrogates kept as escapes).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from .errors import ContentError

__all__ = [
    "TEMPORARY_PREFIX",
    "discard",
    "json_text",
    "reason",
    "utf8",
    "write_file",
    "write_temporary",
]

TEMPORARY_PREFIX = ".okr-tmp-"
"""The start of every temporary file name."""
WRITTEN_THROUGH = ("/dev/", "/proc/")
"""Paths under these are written through even when they resolve to a regular file."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_FLAGS |= getattr(os, "O_BINARY", 0)


def reason(error: Exception) -> str:
    """What went wrong, in the system's words (``No space left on device``), without the
    path (the caller names the path the user knows)."""
    return getattr(error, "strerror", None) or str(error)


def utf8(text: str) -> bytes:
    """``text`` as UTF-8, or :class:`ContentError` for a character that has no UTF-8 (a lone
    surrogate such as ``\\ud800``, which JSON can carry and a file cannot)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        character = error.object[error.start]
        raise ContentError(
            f"cannot be written as UTF-8: {character!r} (a lone surrogate) "
            f"at character {error.start} of the output"
        ) from None


def json_text(value: Any, **options: Any) -> str:
    """``json.dumps`` without ASCII escapes, but lossless and always encodable: a lone
    surrogate (``"\\ud800"`` is valid JSON; no UTF-8 can hold the character) is written as
    the same escape, so the text reads back to the same string and :func:`utf8` accepts it.
    ``options`` are ``json.dumps``'s (``indent=2``)."""
    text = json.dumps(value, ensure_ascii=False, **options)
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


def _create(directory: str, prefix: str) -> tuple[int, str]:
    for _ in range(100):
        path = os.path.join(directory, prefix + os.urandom(8).hex())
        try:
            return os.open(path, _FLAGS, 0o666), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {directory}")  # pragma: no cover


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_temporary(
    directory: str,
    data: bytes,
    *,
    prefix: str = TEMPORARY_PREFIX,
    like: os.stat_result | None = None,
) -> str:
    """A new file in ``directory`` holding ``data``, with the mode ``0666 & ~umask`` (or the
    mode and, where allowed, the owner of the file ``like`` describes); returns its path for
    the caller to rename into place. Nothing is left behind on failure."""
    fd, path = _create(directory, prefix)
    try:
        try:
            if like is not None:
                os.fchmod(fd, stat.S_IMODE(like.st_mode))
                if (like.st_uid, like.st_gid) != (os.geteuid(), os.getegid()):
                    with contextlib.suppress(OSError):  # only root may give files away
                        os.fchown(fd, like.st_uid, like.st_gid)
            _write_all(fd, data)
        finally:
            os.close(fd)  # a full disk can surface here too (NFS, quotas)
    except BaseException:
        discard(path)
        raise
    return path


def discard(path: str) -> None:
    """Remove ``path`` if it can be removed (a temporary file, on the way out)."""
    with contextlib.suppress(OSError):
        os.unlink(path)


def write_file(path: str | Path, data: bytes) -> None:
    """Make ``data`` the content of ``path`` (see the module docstring for how)."""
    name = os.fspath(path)
    try:
        try:
            status: os.stat_result | None = os.stat(name)  # of the link's target
        except FileNotFoundError:
            status = None
        if os.path.abspath(name).startswith(WRITTEN_THROUGH) or (
            status is not None and not stat.S_ISREG(status.st_mode)
        ):
            _write_through(name, data)
            return
        if status is not None and not os.access(name, os.W_OK):  # as `cat > path` would
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)
        target = os.path.realpath(name)
        temporary = write_temporary(os.path.dirname(target), data, like=status)
        try:
            os.replace(temporary, target)
        except BaseException:
            discard(temporary)
            raise
    except OSError as error:
        raise OSError(error.errno, reason(error), name) from None


def _write_through(name: str, data: bytes) -> None:
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)
