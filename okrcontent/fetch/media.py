"""Gallery images kept for good: downloaded by their file token, or from their ``src``.

A record's ``src`` URLs are temporary (they stop working after a while); its file tokens are
not. So an image is fetched from the first of :data:`SOURCES` that applies and answers:

1. **by file token**: ``GET /open-apis/drive/v1/medias/:file_token/download`` on the OpenAPI
   host with the client's token. The OKR image upload answers a ``file_token`` (``boxcn...``,
   a drive media token) and a ``url``; the OKR API has no download call of its own, and the
   drive's "download media" call is the documented way back from a media token to its bytes
   (the app needs a drive or docs read scope; the vendor limits it to 5 a second). A
   redirect it answers is followed by the media connection, as a src is;
2. **by src**: the URL itself, by the client's guarded media connection (public addresses
   only, checked after resolution and on every redirect, as :class:`MediaPolicy` says), with
   the client's token only when the host is Feishu's or Lark's own
   (:data:`~okrcontent.fetch.post.FEISHU_FILE_HOSTS`; a redirect elsewhere drops it).

Either way the answer is streamed under the media policy's cap (10 MB by default), must be
served as ``image/*`` and *be* an image by its first bytes, and counts as one call: retried
on 5xx and network errors, within ``RetryPolicy.total``. A source that fails hands over to
the next; when every one fails the error is a :class:`MediaError` saying why for each. Bad
credentials end it at once (every image would fail the same).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

import httpx

from ..errors import ContentError
from ..ids import ID_RULES, check_key, shown
from ..model import Image
from ..urls import scheme_of
from .errors import AnswerTooLargeError, ApiError, AuthError, MediaError
from .policy import Media
from .post import is_feishu_url
from .transport import Reply

if TYPE_CHECKING:
    from .client import _Core

__all__ = ["MEDIA_PATH", "SOURCES", "fetch_flow", "image_flow", "stable_name", "stable_stem"]

MEDIA_PATH = "/open-apis/drive/v1/medias/{}/download"

Flow = Generator[Any, Any, Any]


def stable_stem(image: Image) -> str:
    """A file name without its extension that is the same on every run and safe anywhere:
    the file token, or a digest of the src (a URL's last segment could be ``..`` or ``con``).
    Known before the download, so a re-run can look for ``stem.*`` and skip it."""
    token = image.file_token
    if token and ID_RULES["key"][0].fullmatch(token):
        return token
    return hashlib.sha256((image.src or "").encode("utf-8", "surrogatepass")).hexdigest()[:24]


def stable_name(image: Image, extension: str) -> str:
    """:func:`stable_stem` with the extension the image's bytes say (``.png``)."""
    return stable_stem(image) + extension


def _media(core: _Core[Any], reply: Reply, image: Image, what: str) -> Media:
    """The answer as an image (served as one, and one by its bytes)."""
    core.media.check_served(reply.headers.get("content-type", ""), what)
    media = core.media.checked(reply.body, "", what)
    return Media(media.data, stable_name(image, media.extension), media.mime_type)


def _by_token(core: _Core[Any], image: Image) -> Flow:
    token = check_key(image.file_token, "file_token")
    path = MEDIA_PATH.format(token)
    reply = yield from core._call("GET", path, limit=("drive.media", ""), raw=True)
    if 300 <= reply.status < 400:  # the file is elsewhere: a media host, checked as any
        location = reply.headers["location"]
        try:
            where = str(httpx.URL(core.base_url + path).join(location))
        except httpx.InvalidURL:
            raise MediaError(f"the drive moved the image to {shown(location)}: no URL") from None
        core.media.check_url(where)
        reply = yield from core._fetch(where, authorize=is_feishu_url(where))
    return _media(core, reply, image, f"the image {shown(token)}")


def _by_src(core: _Core[Any], image: Image) -> Flow:
    src = image.src or ""
    core.media.check_url(src)
    reply = yield from core._fetch(src, authorize=is_feishu_url(src))
    return _media(core, reply, image, shown(src))


def _has_token(image: Image) -> bool:
    return bool(image.file_token)


def _has_src(image: Image) -> bool:
    return scheme_of(image.src or "") in ("http", "https")


SOURCES: tuple[tuple[str, Callable[[Image], bool], Callable[[Any, Image], Flow]], ...] = (
    ("by file token", _has_token, _by_token),
    ("by src", _has_src, _by_src),
)
"""(what it is called in an error, does it apply to the image, its flow), tried in order."""


def image_flow(core: _Core[Any], image: Image) -> Flow:
    """The flow of one gallery image's download: a :class:`Media` whose ``name`` is
    :func:`stable_name` and whose ``extension`` its bytes say."""
    failures: list[str] = []
    first: BaseException | None = None
    for what, applies, source in SOURCES:
        if not applies(image):
            continue
        try:
            return (yield from source(core, image))
        except AuthError:
            raise  # the credentials: every image would fail the same
        except AnswerTooLargeError:
            failures.append(f"{what}: over the cap of {core.media.max_bytes} bytes")
        except (ApiError, ContentError) as error:  # MediaError is a ContentError
            failures.append(f"{what}: {error}")
            first = first or error
    if not failures:
        raise MediaError("the image has neither a file token nor an http(s) src")
    raise MediaError("cannot download the image: " + "; ".join(failures)) from first


def fetch_flow(core: _Core[Any], url: str) -> Flow:
    """The flow of one remote image by its URL (an update's picture to upload), under the
    media policy; the client's token only for Feishu's own hosts."""
    try:
        return (yield from _by_src(core, Image(src=url)))
    except AnswerTooLargeError:
        raise MediaError(f"{shown(url)} is over the cap of {core.media.max_bytes} bytes") from None
    except ApiError as error:
        raise MediaError(f"cannot download {shown(url)}: {error.msg}") from None
