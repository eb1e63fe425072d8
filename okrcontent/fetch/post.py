"""Writing back: the request bodies of create and update, checked locally, and the images of
a Markdown or HTML update made into uploaded files.

A body is checked before it is sent, and what the API would refuse is a
:class:`~okrcontent.ContentError` naming the field (``source_url: ...``,
``content.blocks[2].gallery.imageList[0].fileToken: ...``), so a mistake costs no request.
"""

from __future__ import annotations

import enum
import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..codec import dump_content
from ..errors import ContentError
from ..ids import check_id
from ..model import Content, Gallery, Image, Paragraph, ProgressRate, TextRun, TextStyle
from ..urls import scheme_of

__all__ = [
    "FEISHU_FILE_HOSTS",
    "TARGET_NAMES",
    "TargetType",
    "create_body",
    "prepare_images",
    "update_body",
]

FEISHU_FILE_HOSTS = ("feishu.cn", "larksuite.com", "feishucdn.com", "larksuitecdn.com")
"""Hosts whose image URLs are Feishu files already (left as they are)."""


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
Downloader = Callable[[str], bytes]
"""``url -> data``: how a remote image is fetched before it is uploaded."""


def _is_feishu_file(url: str) -> bool:
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


def prepare_images(
    content: Content,
    *,
    base: Path,
    upload: Uploader | None,
    download: Downloader | None = None,
) -> Content:
    """Images made postable: one with a file token, or a Feishu file URL, is left alone; a
    local file (relative to ``base``) or another URL is uploaded (``upload``) and replaced
    by its file. With ``upload`` ``None`` (``--no-upload``) a gallery of images without
    tokens becomes a line of links to them instead."""
    blocks = []
    for block in content.blocks:
        if not isinstance(block, Gallery) or all(i.file_token for i in block.images):
            blocks.append(block)
            continue
        if upload is None:
            blocks.append(_as_links(block))
            continue
        images = []
        for image in block.images:
            if image.file_token or not image.src or _is_feishu_file(image.src):
                images.append(image)
                continue
            data, name = _read_image(image.src, base, download)
            token, url = upload(data, name)
            images.append(Image(url or image.src, token, image.width, image.height))
        blocks.append(Gallery(images))
    return Content(blocks)


def _read_image(src: str, base: Path, download: Downloader | None) -> tuple[bytes, str]:
    scheme = scheme_of(src)
    if scheme in ("http", "https"):
        if download is None:
            raise ContentError(f"{src!r} is a remote image and nothing can download it", "src")
        return download(src), Path(urlsplit(src).path).name or "image"
    if scheme not in (None, "file"):
        raise ContentError(f"{src!r} is neither a file nor an http(s) URL", "src")
    path = Path(unquote(urlsplit(src).path) if scheme == "file" else src)
    path = path if path.is_absolute() else base / path
    try:
        return path.read_bytes(), path.name
    except OSError as error:
        raise ContentError(
            f"cannot read the image {str(path)!r}: {error.strerror}", "src"
        ) from None


def mime_type(name: str) -> str:
    """The MIME type to upload a file under."""
    return mimetypes.guess_type(name)[0] or "application/octet-stream"
