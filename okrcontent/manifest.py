"""The output folder's manifest: which version of which record, converted with which
options, made each output. It lets a re-run replace an output with a newer version of its
record, leave one that is up to date, and say which outputs other options made.

The file is ``.okrcontent-manifest.jsonl`` in the output folder, JSON Lines, readable::

    {"manifest": 1}
    {"options": 1, "to": "markdown", "name": "{progress_id}", "writer": {}, "people": null, ...}
    {"to": "markdown", "id": "7046...812", "modified": "1640677213095", "name": "7046...812.md"...}
    {"to": "markdown", "id": "7046...812", "gone": true}

A line for an output is appended (and reaches the system: one ``write``) *before* the
output is renamed into place, so that a run killed at any moment (SIGKILL included) leaves no
output the manifest does not know: at worst a line for an output that is missing or older,
which the next run finds missing or not up to date and converts again. Later lines win; a
line cut short by a kill, or any line that does not parse, is ignored (its output is then
unrecorded, and an unrecorded file is never overwritten without ``overwrite``). When the
file has many more lines than outputs it is rewritten whole, atomically
(:func:`okrcontent.files.write_file`), at the start of a run; the batch's lock keeps runs
apart. The Dask runner, whose storage may not append, rewrites it whole instead.

In memory an entry is one integer per record (with the name kept aside only where it is
not the default ``<id><extension>``): a folder of 100,000 outputs costs about 13 MB.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from .files import json_text, write_file
from .formats import FORMATS

__all__ = ["MANIFEST_NAME", "Entry", "Key", "Manifest", "ManifestFile", "modified_ms", "record_key"]

MANIFEST_NAME = ".okrcontent-manifest.jsonl"
FORMAT_VERSION = 1
COMPACT_SLACK = 1000
"""Lines beyond twice the live entries the file may hold before it is rewritten."""

Key = int | str
"""A record's id as the manifest and the batch remember it (see :func:`record_key`)."""

_APPEND = os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
_NO_TIME = 1 << 62  # past any epoch millisecond a calendar holds (year 9999 is ~2**48)
_OPTION_BITS = 16


class Entry(NamedTuple):
    """What made one output: its record's version, the options, its file name."""

    modified: int | None
    """The record's ``modify_time`` (epoch milliseconds), or None if it had none."""
    options: int
    """The number of the option set that made it (:attr:`Manifest.options`)."""
    name: str
    """The output's file name in the folder."""
    partial: bool = False
    """Some of its images could not be kept: a re-run converts it again."""


def record_key(progress_id: str) -> Key:
    """The id as remembered: an int where it is digits (the OpenAPI's ids are), which takes
    half the memory of the string over a long archive; ``"007"`` stays a string."""
    if len(progress_id) <= 30 and progress_id.isascii() and progress_id.isdigit():
        number = int(progress_id)
        if str(number) == progress_id:
            return number
    return progress_id


def modified_ms(value: str | None) -> int | None:
    """A wire ``modify_time`` as epoch milliseconds, or None when it is none."""
    if value is None or not value.isascii() or len(value) > 19:
        return None
    digits = value[1:] if value.startswith("-") else value
    return int(value) if digits.isdigit() else None


def _pack(entry: Entry) -> int:
    modified = _NO_TIME if entry.modified is None else entry.modified
    return (modified << (_OPTION_BITS + 1)) | (entry.options << 1) | int(entry.partial)


def _unpack(value: int, name: str) -> Entry:
    modified = value >> (_OPTION_BITS + 1)
    options = (value >> 1) & ((1 << _OPTION_BITS) - 1)
    return Entry(None if modified == _NO_TIME else modified, options, name, bool(value & 1))


class Manifest:
    """The manifest in memory: per format, record key -> :class:`Entry`; the option sets."""

    def __init__(self) -> None:
        self.options: dict[int, dict[str, Any]] = {}
        """Option set number -> the options (``to``, ``name``, ``writer``, ``people``...)."""
        self.lines = 0
        """Lines read from the file: the compaction compares them with :meth:`__len__`."""
        self._entries: dict[str, dict[Key, int]] = {}
        self._names: dict[str, dict[Key, str]] = {}

    @classmethod
    def parse(cls, lines: Iterable[bytes | str]) -> Manifest:
        """The manifest of these lines; lines that do not parse are skipped."""
        manifest = cls()
        for line in lines:
            manifest.lines += 1
            try:
                data = json.loads(line)
            except (ValueError, RecursionError):
                continue
            if isinstance(data, dict):
                manifest._apply(data)
        return manifest

    def _apply(self, data: dict[str, Any]) -> None:
        number = data.get("options")
        if "to" not in data or "id" not in data:
            if type(number) is int and 0 < number < 1 << _OPTION_BITS:
                self.options[number] = {k: v for k, v in data.items() if k != "options"}
            return
        to, progress_id = data["to"], data["id"]
        if not isinstance(to, str) or not isinstance(progress_id, str):
            return
        if data.get("gone") is True:
            self.forget(to, record_key(progress_id))
            return
        modified, name = data.get("modified"), data.get("name")
        if type(number) is not int or number not in self.options or not isinstance(name, str):
            return
        if modified is not None and not isinstance(modified, str):
            return
        entry = Entry(modified_ms(modified), number, name, data.get("partial") is True)
        self.set(to, record_key(progress_id), entry)

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._entries.values())

    def get(self, to: str, key: Key) -> Entry | None:
        value = self._entries.get(to, {}).get(key)
        if value is None:
            return None
        name = self._names.get(to, {}).get(key)
        return _unpack(value, name if name is not None else _default_name(key, to))

    def set(self, to: str, key: Key, entry: Entry) -> None:
        self._entries.setdefault(to, {})[key] = _pack(entry)
        names = self._names.setdefault(to, {})
        if entry.name == _default_name(key, to):
            names.pop(key, None)
        else:
            names[key] = entry.name

    def forget(self, to: str, key: Key) -> None:
        self._entries.get(to, {}).pop(key, None)
        self._names.get(to, {}).pop(key, None)

    def keys(self, to: str) -> Iterator[Key]:
        return iter(list(self._entries.get(to, {})))

    def options_number(self, options: Mapping[str, Any]) -> tuple[int, bool]:
        """The number of this option set, and whether it is new (not in the manifest yet)."""
        wanted = dict(options)
        for number, known in self.options.items():
            if known == wanted:
                return number, False
        number = max(self.options, default=0) + 1
        self.options[number] = wanted
        return number, True

    def dump(self) -> Iterator[str]:
        """The lines of the whole manifest, without lines since replaced (a compaction)."""
        yield json_text({"manifest": FORMAT_VERSION})
        used = {
            _unpack(value, "").options
            for entries in self._entries.values()
            for value in entries.values()
        }
        for number, options in sorted(self.options.items()):
            if number in used:
                yield options_line(number, options)
        for to in self._entries:
            for key in self._entries[to]:
                entry = self.get(to, key)
                if entry is not None:
                    yield entry_line(to, str(key), entry)


def _default_name(key: Key, to: str) -> str:
    fmt = FORMATS.get(to)  # a format of a later version: every name is kept as written
    return f"{key}{fmt.extension}" if fmt is not None else ""


def options_line(number: int, options: Mapping[str, Any]) -> str:
    return json_text({"options": number, **options})


def entry_line(to: str, progress_id: str, entry: Entry | None) -> str:
    """The line for an output, or (``entry`` None) for one that is gone."""
    if entry is None:
        return json_text({"to": to, "id": progress_id, "gone": True})
    data: dict[str, Any] = {
        "to": to,
        "id": progress_id,
        "modified": None if entry.modified is None else str(entry.modified),
        "name": entry.name,
        "options": entry.options,
    }
    if entry.partial:
        data["partial"] = True
    return json_text(data)


class ManifestFile:
    """The manifest file of a local output folder, appended to line by line."""

    def __init__(self, folder: str) -> None:
        self.path = os.path.join(folder, MANIFEST_NAME)
        self._fd: int | None = None

    def read(self) -> Manifest:
        """The manifest (empty if there is none); rewritten first if it is mostly old lines.
        Raises :class:`OSError` if it cannot be read."""
        try:
            with open(self.path, "rb") as stream:
                manifest = Manifest.parse(stream)
        except FileNotFoundError:
            return Manifest()
        if manifest.lines > 2 * len(manifest) + COMPACT_SLACK:
            write_file(self.path, "".join(line + "\n" for line in manifest.dump()).encode())
            manifest.lines = len(manifest)
        return manifest

    def append(self, lines: Iterable[str]) -> None:
        """Append lines, in one write; the first write of a run starts on a line of its own
        (the last line may have been cut short by a kill). Raises :class:`OSError`."""
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        if self._fd is None:
            fd = os.open(self.path, _APPEND, 0o666)
            try:
                size = os.lseek(fd, 0, os.SEEK_END)
                if size == 0:
                    data = (json_text({"manifest": FORMAT_VERSION}) + "\n").encode() + data
                else:
                    os.lseek(fd, size - 1, os.SEEK_SET)
                    if os.read(fd, 1) != b"\n":
                        data = b"\n" + data
            except BaseException:
                os.close(fd)
                raise
            self._fd = fd
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)
