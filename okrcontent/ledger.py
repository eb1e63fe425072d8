"""What becomes of each record of a batch run: the one set of rules, for the local batch and
for Dask.

First, against the output folder as the run found it (:func:`judge`, which a worker applies
before converting, so that nothing up to date is converted again):

====================================================  ======================================
the folder holds, for the record's id                 the record
====================================================  ======================================
nothing (no manifest entry, no file of its name)      is converted
a file of its name that no run recorded               is left alone: never overwritten
an output of an older version                         is converted; its output replaces it
an output of a newer version                          is left out ("older": superseded)
an output of this version, made with these options    is left alone ("already there")
an output of this version, made with other options    is left alone and counted, so that
                                                      the run can say how to redo it
====================================================  ======================================

(An output whose file is missing, or whose images were not all kept, is converted again;
``overwrite`` converts everything.) Then, in input order, against what the run has already
settled (:meth:`Ledger.settle`): a second record with an id seen before is a duplicate
(reported, the first one's output kept) if it has the same ``modify_time``; the newer of two
versions wins whatever their order, and the older counts as *superseded*; two records whose
names are the same (a ``--name`` template that does not tell them apart) are reported like
duplicates. A failed record claims nothing: a good one with its id may follow.

Each record counts once in the :class:`~okrcontent.batch.Summary`: converted (``updated``
says how many of those replaced an older version's output), skipped (already there),
superseded, made with other options, or failed.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .manifest import Entry, Key, Manifest

if TYPE_CHECKING:
    from .batch import Summary

__all__ = ["Action", "Ledger", "Verdict", "judge"]


class Verdict(enum.Enum):
    """A record against the output folder as the run found it."""

    CONVERT = "convert"
    UP_TO_DATE = "already there"
    OLDER = "a newer version's output is there"
    OTHER_OPTIONS = "made with other options"
    NOT_OURS = "a file of its name is there that no run recorded"


def _newer(modified: int | None, than: int | None) -> bool:
    return modified is not None and than is not None and modified > than


def judge(
    previous: Entry | None,
    modified: int | None,
    options: int,
    name: str,
    there: Callable[[str], bool],
    overwrite: bool,
) -> Verdict:
    """The verdict for a record of version ``modified`` whose output would be ``name``,
    made with option set ``options``; ``previous`` is what the manifest says its output is,
    ``there`` whether a file of a name exists."""
    if overwrite:
        return Verdict.CONVERT
    if previous is None:
        return Verdict.NOT_OURS if there(name) else Verdict.CONVERT
    if _newer(modified, previous.modified):
        return Verdict.CONVERT
    if _newer(previous.modified, modified):
        return Verdict.OLDER
    if not there(previous.name):
        return Verdict.CONVERT
    if previous.options != options:
        return Verdict.OTHER_OPTIONS
    if previous.partial or previous.name != name:
        return Verdict.CONVERT
    return Verdict.UP_TO_DATE


class _Status(enum.IntEnum):
    """How a record settled in this run, as remembered for its id."""

    NEW = 0  # converted, no output of it before
    UPDATED = 1  # converted over an older version's output
    REDONE = 2  # converted again (overwrite, a missing file, images to retry)
    SKIPPED = 3
    SUPERSEDED = 4
    OTHER_OPTIONS = 5


_WRITTEN = (_Status.NEW, _Status.UPDATED, _Status.REDONE)
_BY_VERDICT = {
    Verdict.UP_TO_DATE: _Status.SKIPPED,
    Verdict.NOT_OURS: _Status.SKIPPED,
    Verdict.OLDER: _Status.SUPERSEDED,
    Verdict.OTHER_OPTIONS: _Status.OTHER_OPTIONS,
}
_STATUS_BITS = 3
_STATUS_MASK = (1 << _STATUS_BITS) - 1


@attrs.frozen
class Action:
    """What to do with a settled record: write its output (then remove ``replaces``, an
    earlier output of the record under another name, if any; the manifest forgets
    ``takes_from``, the id whose output had the name before), drop it, or report it."""

    write: bool = False
    replaces: str | None = None
    takes_from: Key | None = None
    failure: str | None = None


DROP = Action()
_UNKNOWN = 1 << 62  # a modify_time the record did not have


class Ledger:
    """The run's memory of what it settled, per id (one integer each), and the counting.

    ``manifest`` is the folder's manifest as the run found it (not changed: what the run
    writes goes to the file); ``shared_names``: the template is not the default, so two
    ids may make one name, and the ledger remembers which id each name belongs to.
    """

    def __init__(
        self,
        manifest: Manifest,
        to: str,
        options: int,
        summary: Summary,
        *,
        overwrite: bool = False,
        shared_names: bool = False,
    ) -> None:
        self.manifest = manifest
        self.to = to
        self.options = options
        self.summary = summary
        self.overwrite = overwrite
        self._settled: dict[Key, int] = {}
        self._owners: dict[str, Key] | None = None  # name -> id, with shared names
        self._written: dict[Key, str] = {}  # id -> the name this run wrote, with shared names
        if shared_names:
            self._owners = {}
            for key in manifest.keys(to):
                entry = manifest.get(to, key)
                if entry is not None:
                    self._owners[entry.name] = key

    def settle(
        self,
        key: Key,
        progress_id: str,
        modified: int | None,
        name: str,
        verdict: Verdict,
    ) -> Action:
        """Decide one good record, in input order (``verdict``: :func:`judge`'s, against
        the folder as the run found it)."""
        inherited: _Status | None = None
        settled = self._settled.get(key)
        if settled is not None:
            earlier = settled >> _STATUS_BITS
            status = _Status(settled & _STATUS_MASK)
            earlier_time = None if earlier == _UNKNOWN else earlier
            if not _newer(modified, earlier_time):
                if _newer(earlier_time, modified):
                    self._count(_Status.SUPERSEDED, 1)
                    return DROP
                message = f"progress_id {progress_id} again, with the same modify_time"
                return Action(failure=f"{message}: the first record's output is kept")
            if status != _Status.SUPERSEDED:  # the earlier one gives way
                self._count(status, -1)
                self._count(_Status.SUPERSEDED, 1)
            if status in _WRITTEN:  # its output is this run's: this one replaces it
                verdict, inherited = Verdict.CONVERT, status
        takes_from = None
        claims = verdict in (Verdict.CONVERT, Verdict.NOT_OURS)  # the name, for this record
        owner = self._owners.get(name) if self._owners is not None and claims else None
        if owner is not None and owner != key and self._owns(owner, name):
            if not self.overwrite or owner in self._settled:
                message = f"{name}: also the name of progress_id {owner}'s output"
                return Action(failure=f"{message}: the first record's output is kept")
            takes_from = owner  # overwrite: the file becomes this record's
        previous = self.manifest.get(self.to, key)
        if verdict is Verdict.CONVERT:
            if inherited is not None:
                status = inherited
            elif previous is None:
                status = _Status.NEW
            elif _newer(modified, previous.modified):
                status = _Status.UPDATED
            else:
                status = _Status.REDONE
            made = self._written.get(key) or (previous.name if previous is not None else None)
            action = Action(write=True, replaces=made if made != name else None)
            action = attrs.evolve(action, takes_from=takes_from)
        else:
            status = _BY_VERDICT[verdict]
            action = DROP
            if verdict is Verdict.OTHER_OPTIONS and previous is not None:
                self._differ(previous)
        self._settled[key] = ((_UNKNOWN if modified is None else modified) << _STATUS_BITS) | status
        self._count(status, 1)
        return action

    def wrote(self, key: Key, name: str) -> None:
        """The output of ``key`` is now the file ``name``."""
        if self._owners is not None:
            self._owners[name] = key
            self._written[key] = name

    def unwrote(self, key: Key) -> None:
        """Writing the output of ``key`` failed: it counts as failed (the caller reports
        it), not as :meth:`settle` counted it, and claims nothing."""
        settled = self._settled.pop(key, None)
        if settled is not None:
            self._count(_Status(settled & _STATUS_MASK), -1)
        self._written.pop(key, None)

    def free(self, name: str, key: Key) -> bool:
        """May ``key``'s earlier output ``name`` be removed (no other id's output now)?"""
        return self._owners is None or self._owners.get(name, key) == key

    def _owns(self, owner: Key, name: str) -> bool:
        if owner in self._written:
            return self._written[owner] == name
        entry = self.manifest.get(self.to, owner)
        return entry is not None and entry.name == name

    def _differ(self, previous: Entry) -> None:
        made = self.manifest.options.get(previous.options, {})
        now = self.manifest.options.get(self.options, {})
        self.summary.changed.update(_differences(made, now))

    def _count(self, status: _Status, step: int) -> None:
        summary = self.summary
        if status in _WRITTEN:
            summary.converted += step
            summary.updated += step if status == _Status.UPDATED else 0
        elif status == _Status.SKIPPED:
            summary.skipped += step
        elif status == _Status.SUPERSEDED:
            summary.superseded += step
        else:
            summary.other_options += step


def _differences(made: Mapping[str, Any], now: Mapping[str, Any], prefix: str = "") -> set[str]:
    """The options (``name``, ``writer.standalone``) whose values differ."""
    found = set()
    for option in {*made, *now}:
        was, wanted = made.get(option), now.get(option)
        if isinstance(was, Mapping) and isinstance(wanted, Mapping):
            found |= _differences(was, wanted, f"{prefix}{option}.")
        elif was != wanted:
            found.add(prefix + option)
    return found
