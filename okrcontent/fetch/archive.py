"""An append-only archive of API envelopes, one JSON line each (``.jsonl`` or ``.jsonl.gz``),
that an interrupted run can continue: ids already in it are known, and a line cut short by a
kill is dropped before anything is appended."""

from __future__ import annotations

import gzip
import json
import os
import tempfile
import zlib
from pathlib import Path
from typing import IO, Any

__all__ = ["Archive", "json_text"]


def json_text(value: Any, **options: Any) -> str:
    """``json.dumps`` without ASCII escapes, but lossless: a lone surrogate (``\\ud800``, which
    no UTF-8 can hold) stays the JSON escape it came as, so the text always encodes."""
    text = json.dumps(value, ensure_ascii=False, **options)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class Archive:
    """Append envelopes to ``path``; :attr:`ids` holds the progress ids already there."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.gzipped = self.path.name.endswith(".gz")
        self.ids: set[str] = set()
        self._stream: IO[bytes] | None = None
        if self.path.exists():
            self._recover()

    def _recover(self) -> None:
        """Read the ids; keep only the complete lines if the last one was cut short."""
        good: list[bytes] = []
        broken = False
        try:
            opener = gzip.open if self.gzipped else open
            with opener(self.path, "rb") as stream:
                for line in stream:
                    if not line.endswith(b"\n"):
                        broken = True
                        break
                    good.append(line)
        except (EOFError, OSError, zlib.error):  # a gzip member cut short
            broken = True
        for line in good:
            progress_id = _progress_id(line)
            if progress_id is not None:
                self.ids.add(progress_id)
        if broken:
            self._rewrite(good)

    def _rewrite(self, lines: list[bytes]) -> None:
        fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        with os.fdopen(fd, "wb") as raw:
            if self.gzipped:
                with gzip.GzipFile(fileobj=raw, mode="wb") as packed:
                    packed.writelines(lines)
            else:
                raw.writelines(lines)
        os.replace(temporary, self.path)

    def append(self, envelope: dict[str, Any]) -> None:
        """One envelope, written and flushed to the file before this returns."""
        line = json_text(envelope).encode() + b"\n"
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
        progress_id = _progress_id(line)
        if progress_id is not None:
            self.ids.add(progress_id)

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None


def _progress_id(line: bytes) -> str | None:
    try:
        data = json.loads(line)
    except ValueError:
        return None
    if isinstance(data, dict):
        record = data.get("data") if "data" in data else data
        if isinstance(record, dict) and isinstance(record.get("progress_id"), str):
            return record["progress_id"]  # type: ignore[no-any-return]
    return None
