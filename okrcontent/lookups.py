"""What the main process looks up for a chunk of records before the workers convert it:
names for their mentions, from a directory, and their gallery images, kept as files.

Both talk to the OpenAPI, so both happen here, in the process that holds the client: one
token, one rate limiter (the drive's media download allows 5 calls a second for the whole
app, the contact API its own), no credentials in the workers, and the main process's signal
handling (Ctrl-C stops a download as it stops the run). It happens a chunk at a time, while
the workers convert the chunks before it, so an archive is read once (standard input
included) and memory holds one chunk's ids and one image at a time. The workers get plain
data: the names of the chunk's mentions, and a link for each of its images that was kept.
Only records that will be converted are looked up: a re-run of an up-to-date folder asks
for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol, runtime_checkable

import attrs

from .errors import BatchError, OkrContentError
from .files import reason
from .media_files import MediaFolder, has_source, link, stem_of
from .model import Content, Gallery, Image, ProgressRecord

__all__ = ["ChunkLookups", "Lookups", "Needs", "Prefetching", "needs", "people_key"]


@runtime_checkable
class Prefetching(Protocol):
    """A ``people=`` mapping whose names are asked for ahead, many at a time
    (:class:`okrcontent.fetch.Directory`): it does not travel to worker processes."""

    def prefetch(self, ids: Iterable[str]) -> None: ...

    def get(self, key: str, /) -> str | None: ...


@attrs.frozen
class ChunkLookups:
    """What a chunk's records need: names for the mentions, links to the kept images (by
    image stem), and the images that could not be kept (location -> what went wrong)."""

    people: dict[str, str] | None = None
    links: dict[str, str] | None = None
    failures: dict[str, list[str]] = attrs.Factory(dict)


@attrs.define
class Lookups:
    """The directory and the media folder of a run (either may be None)."""

    people: Prefetching | None
    media: MediaFolder | None
    link_base: str = ""
    """The media folder as a relative URL from the output folder."""

    def __bool__(self) -> bool:
        return self.people is not None or self.media is not None

    def chunk(self, wanted: Iterable[tuple[str, Needs]]) -> ChunkLookups:
        """Look up what ``(location, needs)`` pairs need (:func:`needs`). Raises
        :class:`BatchError` if the directory fails (a missing scope, the network: every
        record would show ids) or an image cannot be written to the media folder."""
        wanted = list(wanted)
        names = self._names(wanted) if self.people is not None else None
        if self.media is None:
            return ChunkLookups(people=names)
        links: dict[str, str] = {}
        failures: dict[str, list[str]] = {}
        for location, (_, images) in wanted:
            for image in images:
                stem = stem_of(image)
                if stem in links:
                    continue
                try:
                    links[stem] = link(self.link_base, self.media.keep(image))
                except OkrContentError as error:
                    why = f"image {stem} not kept (the output links to its src): {error}"
                    failures.setdefault(location, []).append(why)
                except OSError as error:
                    raise BatchError(f"{self.media.path}: cannot write: {reason(error)}") from None
        return ChunkLookups(people=names, links=links, failures=failures)

    def _names(self, wanted: list[tuple[str, Needs]]) -> dict[str, str]:
        if self.people is None:  # pragma: no cover - the caller checks
            return {}
        ids = list(dict.fromkeys(user_id for _, (mentions, _) in wanted for user_id in mentions))
        try:
            self.people.prefetch(ids)
        except OkrContentError as error:
            raise BatchError(f"names for mentions: {error}") from error
        names = {}
        for user_id in ids:
            name = self.people.get(user_id)
            if name is not None:
                names[user_id] = name
        return names


Needs = tuple[list[str], list[Image]]
"""What a record needs looked up: the ids it mentions, the images it shows."""


def needs(record: ProgressRecord | Content) -> Needs:
    """The ids ``record`` mentions (as ``people=`` is asked for them) and the gallery
    images it shows that can be downloaded."""
    from .fetch.directory import mention_ids  # the directory's own rule for what it is asked

    images = [
        image
        for block in record
        if isinstance(block, Gallery)
        for image in block.images
        if has_source(image)
    ]
    return list(mention_ids(record)), images


def people_key(people: Mapping[str, str] | Prefetching | None) -> str | None:
    """What the manifest remembers of the names a run used: none, ``directory``, or a
    digest of the mapping (a different ``--people`` file makes different outputs)."""
    import hashlib
    import json

    if people is None:
        return None
    if isinstance(people, Prefetching):
        return "directory"
    if not isinstance(people, Mapping):  # pragma: no cover - typed away
        return "callable"
    text = json.dumps(sorted(people.items()), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
