"""Writing back: the request bodies of create and update, checked locally, and the images of
a Markdown or HTML update made into uploaded files.

A body is checked before it is sent, and what the API would refuse is a
:class:`~okrcontent.ContentError` naming the field (``source_url: ...``,
``content.blocks[2].gallery.imageList[0].fileToken: ...``), so a mistake costs no request.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..codec import dump_content
from ..errors import ContentError
from ..ids import check_id
from ..model import Content, Gallery, Image, Paragraph, ProgressRate, TextRun, TextStyle
from ..urls import scheme_of
from .errors import MediaError
from .policy import Media, MediaPolicy

__all__ = [
    "FEISHU_FILE_HOSTS",
    "TARGET_NAMES",
    "TargetType",
    "create_body",
    "is_feishu_url",
    "prepare_images",
    "read_images",
    "update_body",
]

FEISHU_FILE_HOSTS = ("feishu.cn", "larksuite.com", "feishucdn.com", "larksuitecdn.com")
"""Feishu's and Lark's own hosts: their image URLs are Feishu files already (left as they
are on write-back), and only they may see the client's token with a download."""


class TargetType(enum.IntEnum):
    """What a progress record is about."""

    OBJECTIVE = 2
    KEY_RESULT = 3

    @classmethod
    def of(cls, value: TargetType | int | str) -> TargetType:
        """From the enum, its number, or a name of :data:`TARGET_NAMES` (``-`` for ``_``)."""
        if isinstance(value, str):
            name = value.strip().lower().replace("-", "_")
            if name in TARGET_NAMES:
                return TARGET_NAMES[name]
        try:
            return cls(int(value))
        except (TypeError, ValueError):
            raise ContentError(
                f"{value!r} is not objective (2) or key result (3)", "target_type"
            ) from None


TARGET_NAMES = {
    "objective": TargetType.OBJECTIVE,
    "o": TargetType.OBJECTIVE,
    "key_result": TargetType.KEY_RESULT,
    "kr": TargetType.KEY_RESULT,
}
"""The names a target type goes by (``--target-type`` offers these)."""


def _rate(rate: ProgressRate | None) -> dict[str, Any] | None:
    if rate is None:
        return None
    body: dict[str, Any] = {}
    if rate.percent is not None:
        if not 0 <= rate.percent <= 100:
            raise ContentError(f"{rate.percent!r} is not in 0..100", "progress_rate.percent")
        body["percent"] = round(float(rate.percent), 2)
    if rate.status is not None:
        body["status"] = int(rate.status)
    return body


def _content(content: Content) -> dict[str, Any]:
    for index, block in enumerate(content.blocks):
        if isinstance(block, Gallery):
            for number, image in enumerate(block.images):
                if not image.file_token:
                    raise ContentError(
                        "missing (images are posted as uploaded files: upload it first)",
                        f"content.blocks[{index}].gallery.imageList[{number}].fileToken",
                    )
    return dump_content(content)


def create_body(
    target_id: str,
    target_type: TargetType | int | str,
    content: Content,
    *,
    source_title: str,
    source_url: str,
    progress_rate: ProgressRate | None = None,
) -> dict[str, Any]:
    """The body of ``POST /open-apis/okr/v1/progress_records``, checked."""
    if not isinstance(source_title, str) or not source_title.strip():
        raise ContentError("must not be empty", "source_title")
    if scheme_of(source_url) not in ("http", "https") or not urlsplit(source_url).netloc:
        raise ContentError(f"{source_url!r} is not an http(s) URL", "source_url")
    body: dict[str, Any] = {
        "source_title": source_title,
        "source_url": source_url,
        "target_id": check_id(target_id, "target_id"),
        "target_type": int(TargetType.of(target_type)),
        "content": _content(content),
    }
    rate = _rate(progress_rate)
    if rate is not None:
        body["progress_rate"] = rate
    return body


def update_body(content: Content, *, progress_rate: ProgressRate | None = None) -> dict[str, Any]:
    """The body of ``PUT /open-apis/okr/v1/progress_records/:progress_id``, checked."""
    body: dict[str, Any] = {"content": _content(content)}
    rate = _rate(progress_rate)
    if rate is not None:
        body["progress_rate"] = rate
    return body


# --- images ---------------------------------------------------------------------------------

Uploader = Callable[[bytes, str], tuple[str, str]]
"""``(data, file name) -> (file token, URL)``: how an image becomes a Feishu file."""
Downloader = Callable[[str], "Media"]
"""``url -> Media``: how a remote image is fetched before it is uploaded (by default the
policy's :meth:`~okrcontent.fetch.policy.MediaPolicy.download`)."""


def is_feishu_url(url: str) -> bool:
    """Is ``url`` on one of :data:`FEISHU_FILE_HOSTS` (or a subdomain)?"""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in FEISHU_FILE_HOSTS)


def _as_links(gallery: Gallery) -> Paragraph:
    runs = [
        TextRun(image.src or "", TextStyle(link=image.src)) for image in gallery.images if image.src
    ]
    spaced: list[TextRun] = []
    for run in runs:
        if spaced:
            spaced.append(TextRun(" "))
        spaced.append(run)
    return Paragraph(spaced)


def _to_upload(content: Content) -> list[tuple[int, int, Image]]:
    """``(block, image, Image)`` of every image that needs uploading."""
    return [
        (index, number, image)
        for index, block in enumerate(content.blocks)
        if isinstance(block, Gallery)
        for number, image in enumerate(block.images)
        if not image.file_token and image.src and not is_feishu_url(image.src)
    ]


def read_images(
    content: Content,
    *,
    base: Path,
    policy: MediaPolicy | None = None,
    download: Downloader | None = None,
) -> dict[tuple[int, int], Media]:
    """Every image to upload, read under the media policy (default :class:`MediaPolicy`:
    local files only inside ``base``, remote ones only from public addresses, 10 MB each),
    keyed by ``(block, image)``. A refused image is a :class:`MediaError` naming its field;
    nothing is uploaded until every image has been read."""
    policy = policy or MediaPolicy()
    fetch = download or policy.download
    found = {}
    for index, number, image in _to_upload(content):
        src = image.src or ""
        try:
            remote = scheme_of(src) in ("http", "https")
            found[index, number] = fetch(src) if remote else policy.read_local(src, base)
        except MediaError as error:
            raise MediaError(
                error.reason, f"content.blocks[{index}].gallery.imageList[{number}].src"
            ) from None
    return found


def prepare_images(
    content: Content,
    *,
    base: Path,
    upload: Uploader | None,
    download: Downloader | None = None,
    policy: MediaPolicy | None = None,
) -> Content:
    """Images made postable: one with a file token, or a Feishu file URL, is left alone; a
    local file (relative to ``base``, the document's folder) or another URL is read under
    ``policy`` (:func:`read_images`), then uploaded (``upload``) and replaced by its file.
    Every image is read before the first is uploaded, so a refused one costs no request.
    With ``upload`` ``None`` (``--no-upload``) a gallery of images without tokens becomes a
    line of links to them instead, and nothing is read."""
    if upload is None:
        return Content(
            [
                _as_links(b)
                if isinstance(b, Gallery) and not all(i.file_token for i in b.images)
                else b
                for b in content.blocks
            ]
        )
    media = read_images(content, base=base, policy=policy, download=download)
    blocks = list(content.blocks)
    for (index, number), item in media.items():
        gallery = blocks[index]
        if not isinstance(gallery, Gallery):  # cannot be: _to_upload found an image there
            continue
        image = gallery.images[number]
        token, url = upload(item.data, item.name)
        images = list(gallery.images)
        images[number] = Image(url or image.src, token, image.width, image.height)
        blocks[index] = Gallery(images)
    return Content(blocks)
