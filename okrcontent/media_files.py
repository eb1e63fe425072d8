"""Gallery images kept as files (``--extract-media DIR``, like pandoc's): downloaded once,
saved under a stable name, and linked from the outputs by a relative path.

::

    with Client(app_id=..., app_secret=...) as api:
        media = MediaFolder("md/media", api)
        okrcontent.batch.convert(["archive.jsonl"], to="markdown", out="md", media=media)
        # md/<id>.md shows ![](media/boxcn....png)

An image is downloaded by the client's ``download_image`` (by file token first, with the
client's token; else from its ``src``, public addresses only; at most the media policy's
cap, 10 MB, and really an image: the same checks as write-back). It is saved as
``<stem><extension>``: the stem is the file token (or a digest of the src), known before the
download (:func:`okrcontent.fetch.media.stable_stem`), so a re-run finds the file and
downloads nothing; the extension is what the image's bytes say. Each image is tried once a
run, however many records show it. Files are written atomically (a temporary file renamed;
on an object store, one PUT), and their names come from the stem rule, never from the
record's text, so no image is written outside the folder.

The outputs link to the files by rewriting each image's ``src`` to the path relative to the
output's folder before the writer runs (:func:`localize`): the writers and the file token
are untouched. An image that cannot be downloaded keeps its remote ``src``.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import attrs

from .errors import OkrContentError
from .files import write_file
from .model import Content, Gallery, Image, ProgressRecord

__all__ = ["ImageSource", "MediaFolder", "localize", "relative_link"]

EXTENSIONS = (".png", ".jpg", ".gif", ".webp", ".bmp", ".tiff", ".ico")
"""What a kept image's name may end with (what :data:`okrcontent.fetch.policy.IMAGE_TYPES`
says an image's bytes are), looked for on a re-run."""


class _Downloaded(Protocol):
    @property
    def data(self) -> bytes: ...

    @property
    def extension(self) -> str: ...


class ImageSource(Protocol):
    """What downloads a gallery image: :class:`okrcontent.fetch.Client` is one."""

    def download_image(self, image: Image) -> _Downloaded: ...


def stem_of(image: Image) -> str:
    """The image's file name without extension (the file token, or a digest of the src)."""
    from .fetch.media import stable_stem  # the rule is the client's: one place

    return stable_stem(image)


def has_source(image: Image) -> bool:
    """Can the image be downloaded at all (a file token, or an http(s) src)?"""
    src = (image.src or "").lower()
    return bool(image.file_token) or src.startswith(("http://", "https://"))


def _text_path(path: str | os.PathLike[str]) -> str:
    return os.fspath(path)


@attrs.define
class MediaFolder:
    """A folder of kept images (a local path, or an fsspec URL with ``fs``) and what
    downloads them. Lives in the process that talks to the OpenAPI; the workers only get
    the links (:meth:`links`)."""

    path: str = attrs.field(converter=_text_path)
    source: ImageSource
    fs: Any = None
    """An fsspec filesystem for ``path`` (Dask's remote storage); None: the local disk."""
    _kept: dict[str, str | OkrContentError] = attrs.field(factory=dict, init=False)
    _refused: OkrContentError | None = attrs.field(default=None, init=False)

    def keep(self, image: Image) -> str:
        """The file name of ``image`` in the folder: found there, or downloaded and saved.
        Raises the download's error (an :class:`OkrContentError`: each image is tried once
        a run, and after refused credentials none is), or :class:`OSError` if the file
        cannot be written."""
        stem = stem_of(image)
        known = self._kept.get(stem)
        if isinstance(known, OkrContentError):
            raise known
        if known is not None:
            return known
        name = self._find(stem)
        if name is None:
            if self._refused is not None:  # the credentials: every download would fail
                raise self._refused
            try:
                media = self.source.download_image(image)
            except OkrContentError as error:
                from .fetch.errors import AuthError

                if isinstance(error, AuthError):
                    self._refused = error
                self._kept[stem] = error
                raise
            name = stem + media.extension
            self._write(name, media.data)
        self._kept[stem] = name
        return name

    def _find(self, stem: str) -> str | None:
        for extension in EXTENSIONS:
            name = stem + extension
            if self._exists(name):
                return name
        return None

    def _exists(self, name: str) -> bool:
        if self.fs is None:
            return os.path.isfile(os.path.join(self.path, name))
        return bool(self.fs.exists(posixpath.join(self.path, name)))

    def _write(self, name: str, data: bytes) -> None:
        if self.fs is None:
            os.makedirs(self.path, exist_ok=True)
            write_file(os.path.join(self.path, name), data)
        else:
            self.fs.makedirs(self.path, exist_ok=True)
            self.fs.pipe_file(posixpath.join(self.path, name), data)

    def link_base(self, out: str) -> str:
        """The folder as a relative URL from the folder ``out`` (where outputs are)."""
        if self.fs is None:
            return relative_link(os.path.abspath(self.path), os.path.abspath(out))
        return relative_link(self.path, out)


def relative_link(target: str, start: str) -> str:
    """``target`` as a relative URL path from the folder ``start``: ``../media``; each
    segment percent-encoded (a space, ``#`` or ``?`` in a folder name stays a path)."""
    relative = Path(os.path.relpath(target, start)).as_posix()
    return "/".join(quote(segment, safe="") for segment in relative.split("/"))


def link(base: str, name: str) -> str:
    """The link to the kept file ``name`` from an output, given :meth:`MediaFolder.link_base`."""
    return name if base in ("", ".") else f"{base}/{name}"


def localize(
    item: ProgressRecord | Content, links: Mapping[str, str]
) -> tuple[ProgressRecord | Content, int]:
    """``item`` with each gallery image whose stem has a link pointing at it, and how many
    images that could be downloaded have none (their remote ``src`` stays)."""
    content = item.content if isinstance(item, ProgressRecord) else item
    if content is None:
        return item, 0
    missing = 0
    blocks = list(content.blocks)
    galleries = 0
    for index, block in enumerate(blocks):
        if not isinstance(block, Gallery):
            continue
        galleries += 1
        images = []
        for image in block.images:
            found = links.get(stem_of(image)) if has_source(image) else None
            if found is None:
                missing += has_source(image)
                images.append(image)
            else:
                images.append(attrs.evolve(image, src=found))
        blocks[index] = attrs.evolve(block, images=tuple(images))
    if not galleries:
        return item, 0
    localized = attrs.evolve(content, blocks=tuple(blocks))
    if isinstance(item, ProgressRecord):
        return attrs.evolve(item, content=localized), missing
    return localized, missing
