"""An append-only archive of API envelopes, one JSON line each (``.jsonl`` or ``.jsonl.gz``),
that an interrupted run can continue: what is in it is known, and a line cut short by a kill
is dropped before anything is appended.

Every line is an envelope ``{"code": 0, "msg": "success", "data": ...}``, so that each one
says what it is without guessing and every reader of the library takes it as it is:

- a progress record: ``data`` is the record, as v1's ``progress_records/:id`` answers it or
  as an item of a v2 progress list (:func:`~okrcontent.load_record` reads both, and so do
  ``convert``, ``validate`` and the batch);
- a cycle, an objective or a key result: ``data`` is ``{"cycle": {...}}``,
  ``{"objective": {...}}`` or ``{"key_result": {...}}``, the shape of the v2 API's own
  answer for one entity, holding the item as its listing answered it
  (:func:`~okrcontent.load_okr` reads it, the key naming the kind).

An entity is *already archived* when the archive holds a line for it (its kind and id) with
the same bytes: :meth:`Archive.put` appends a new or changed reading and skips an unchanged
one. A changed entity's older line is dropped by :meth:`Archive.compact`, so the archive
holds one line per entity, the newest, and a batch converts it without conflicts. (``fetch
ID...`` skips the ids in :attr:`Archive.ids` without asking; with ``--refresh`` it asks again
and puts each record the same way.)
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from pathlib import Path
from typing import IO, Any, Literal

from ..codec import OKR_KINDS
from ..files import json_text, write_file

__all__ = ["WRAPPED", "Archive", "entry"]

WRAPPED = frozenset(OKR_KINDS.values()) - {"progress"}
"""The kinds an archive line names under ``data`` (a progress record is ``data`` itself)."""

Key = tuple[str, str]
_BY_BYTES = "#"  # the id of an entity that has none: its line's digest
Outcome = Literal["new", "changed", "same"]


def entry(kind: str, item: Any) -> dict[str, Any]:
    """The archive line of one item of a listing (``kind``: ``cycle``, ``objective``,
    ``key_result`` or ``progress``)."""
    return {"code": 0, "msg": "success", "data": {kind: item} if kind in WRAPPED else item}


class Archive:
    """Append envelopes to ``path``; :attr:`ids` holds the progress record ids already
    there (v1 and v2 records alike)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.gzipped = self.path.name.endswith(".gz")
        self.ids: set[str] = set()
        self.superseded = 0
        """Lines an entity's later line replaces (dropped by :meth:`compact`)."""
        self._digests: dict[Key, bytes] = {}
        self._stream: IO[bytes] | None = None
        if self.path.exists():
            self._recover()

    def _lines(self) -> tuple[list[bytes], bool]:
        """The complete lines, and whether the file ends in a broken one."""
        good: list[bytes] = []
        try:
            opener = gzip.open if self.gzipped else open
            with opener(self.path, "rb") as stream:
                for line in stream:
                    if not line.endswith(b"\n"):
                        return good, True
                    good.append(line)
        except (EOFError, OSError, zlib.error):  # a gzip member cut short
            return good, True
        return good, False

    def _recover(self) -> None:
        """Read what is there; keep only the complete lines if the last one was cut short."""
        good, broken = self._lines()
        for line in good:
            self._index(line)
        if broken:
            self._rewrite(good)

    def _index(self, line: bytes) -> Outcome | None:
        key = _key(line)
        if key is None:
            return None
        digest = _digest(line)
        before = self._digests.get(key)
        if before == digest:
            return "same"
        self._digests[key] = digest
        if key[0] == "progress" and not key[1].startswith(_BY_BYTES):
            self.ids.add(key[1])
        if before is None:
            return "new"
        self.superseded += 1
        return "changed"

    def _rewrite(self, lines: list[bytes]) -> None:
        data = b"".join(lines)
        write_file(self.path, gzip.compress(data) if self.gzipped else data)

    def holds(self, envelope: dict[str, Any]) -> bool:
        """Whether this very reading of the entity is archived already."""
        return self._holds(_line(envelope))

    def _holds(self, line: bytes) -> bool:
        key = _key(line)
        return key is not None and self._digests.get(key) == _digest(line)

    def put(self, envelope: dict[str, Any]) -> Outcome:
        """Append ``envelope`` unless the archive holds it already: ``new`` (appended),
        ``changed`` (appended; the entity's older line is superseded) or ``same`` (not
        written)."""
        line = _line(envelope)
        if self._holds(line):
            return "same"
        return self._append(line) or "new"

    def append(self, envelope: dict[str, Any]) -> Outcome | None:
        """One envelope, written and flushed to the file before this returns."""
        return self._append(_line(envelope))

    def _append(self, line: bytes) -> Outcome | None:
        if self.gzipped:  # one gzip member a record: a kill loses at most the last one
            with self.path.open("ab") as raw:
                raw.write(gzip.compress(line))
                raw.flush()
                os.fsync(raw.fileno())
        else:
            if self._stream is None:
                self._stream = self.path.open("ab")
            self._stream.write(line)
            self._stream.flush()
        return self._index(line)

    def compact(self) -> int:
        """Drop every line a later line of the same entity supersedes (written to a new
        file that replaces the old one whole); how many were dropped."""
        if not self.superseded:
            return 0
        self.close()
        lines, _ = self._lines()
        keys = [_key(line) for line in lines]
        last = {key: n for n, key in enumerate(keys) if key is not None}
        kept = [line for n, line in enumerate(lines) if last.get(keys[n] or ("", ""), n) == n]
        self._rewrite(kept)
        dropped, self.superseded = len(lines) - len(kept), 0
        return dropped

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _line(envelope: dict[str, Any]) -> bytes:
    return json_text(envelope).encode() + b"\n"


def _digest(line: bytes) -> bytes:
    return hashlib.blake2b(line, digest_size=16).digest()


def _key(line: bytes) -> Key | None:
    """``(kind, id)`` of an archive line: a wrapped entity by its key, anything else as a
    progress record (v1's ``progress_id``, v2's ``id``). An entity without an id is known
    by its bytes (``#`` and their digest: the same item is archived once); a line that is
    no JSON object has no key."""
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, dict):
        return None
    data = value.get("data") if "data" in value and ("code" in value or "msg" in value) else value
    kind = "progress"
    if isinstance(data, dict) and len(data) == 1:
        ((name, inner),) = data.items()
        if name in WRAPPED and isinstance(inner, dict):
            kind, data = name, inner
    if not isinstance(data, dict):
        return None
    found = data.get("progress_id") if kind == "progress" else None
    found = data.get("id") if found is None else found
    if isinstance(found, int) and not isinstance(found, bool):
        found = str(found)
    if not isinstance(found, str) or not found or found.startswith(_BY_BYTES):
        found = _BY_BYTES + _digest(line).hex()
    return kind, found
