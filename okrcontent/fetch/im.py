"""Updates sent to chats: the IM API's message and image calls, their bodies checked locally.

- **Send a message**: ``POST /open-apis/im/v1/messages?receive_id_type=chat_id`` with
  ``receive_id``, ``msg_type`` (``post``: Feishu's rich text) and ``content``, the JSON
  *string* of the message. Every send carries a ``uuid`` (at most 50 characters): the server
  posts at most one message per uuid within an hour. A send is a create, so the client never
  retries it where it may have taken effect (:class:`UncertainWriteError`, which carries the
  key): sending again with the same key is then safe.
- **Upload an image** for messages: ``POST /open-apis/im/v1/images`` (multipart,
  ``image_type=message``, the file as ``image``; at most 10 MB) -> ``image_key``.
  :func:`upload_images` does it for every picture of an update: a gallery image of a record
  by its file token (or src), a local one under the media policy, a remote one by URL; every
  image is read before the first is uploaded.

Limits the vendor documents, kept here before a request is made: a post at most 30 KB of
request body (a text 150 KB); 5 messages a second to one chat (shared by its bots: the
client waits for its turn, :data:`~okrcontent.fetch.retry.ENDPOINT_LIMITS`); 1000 calls a
minute for the app (the client's own limiter keeps it lower). A post's shape is checked by
:func:`check_post`: a refused body costs no request.
"""

from __future__ import annotations

import json
import re
import uuid as uuids
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import ContentError
from ..ids import check_key, shown
from ..model import Content, Gallery, Image, ProgressRecord
from ..urls import scheme_of
from .answers import field
from .errors import AnswerError, MediaError, UncertainWriteError
from .policy import Media, MediaPolicy
from .post import is_feishu_url

if TYPE_CHECKING:
    from .client import Client, _Core

__all__ = [
    "IMAGES_PATH",
    "MAX_BODY_BYTES",
    "MAX_IMAGE_BYTES",
    "MESSAGES_PATH",
    "RECEIVE_ID_TYPES",
    "SentMessage",
    "check_post",
    "message_body",
    "new_idempotency_key",
    "send_flow",
    "upload_flow",
    "upload_images",
]

MESSAGES_PATH = "/open-apis/im/v1/messages"
IMAGES_PATH = "/open-apis/im/v1/images"
RECEIVE_ID_TYPES = ("chat_id", "open_id", "user_id", "union_id")
"""Who a message goes to (``receive_id_type``)."""
MAX_BODY_BYTES = {"text": 150 * 1024, "post": 30 * 1024, "interactive": 30 * 1024}
"""The request body's documented cap, by ``msg_type``."""
MAX_IMAGE_BYTES = 10 * 1024 * 1024
"""The cap on an image uploaded for messages."""
MAX_KEY = 50
"""Characters an idempotency key (``uuid``) may have."""
_LOCALE = re.compile(r"[a-z]{2}_[a-z]{2}")
_UNCERTAIN = (
    "the message may have been sent: send it again with the same idempotency key "
    "({key}) within an hour and it is posted at most once"
)

Flow = Generator[Any, Any, Any]


@attrs.frozen
class SentMessage:
    """A message the server accepted."""

    message_id: str
    chat_id: str | None
    create_time: str | None
    idempotency_key: str


def new_idempotency_key() -> str:
    """A fresh key for one message (a UUID, 36 characters)."""
    return str(uuids.uuid4())


def _expect(value: Any, kind: type, path: str, what: str) -> None:
    if not isinstance(value, kind):
        raise ContentError(f"{shown(value)} where {what} belongs", path)


def check_post(post: Any) -> None:
    """A ``post`` message's content, as the API takes it: ``{locale: {"title": str,
    "content": [[{"tag": str, ...}, ...], ...]}}``, at least one locale (``zh_cn``,
    ``en_us``...). Anything else is a :class:`ContentError` naming the field."""
    _expect(post, dict, "content", "an object of locales")
    if not post:
        raise ContentError("no locale (zh_cn, en_us...)", "content")
    for locale, body in post.items():
        if not _LOCALE.fullmatch(locale):
            raise ContentError(f"{shown(locale)} is not a locale like zh_cn", "content")
        at = f"content.{locale}"
        _expect(body, dict, at, "an object")
        if "title" in body:
            _expect(body["title"], str, f"{at}.title", "a string")
        lines = body.get("content")
        _expect(lines, list, f"{at}.content", "a list of lines")
        for number, line in enumerate(lines):
            _expect(line, list, f"{at}.content[{number}]", "a list of elements")
            for index, element in enumerate(line):
                where = f"{at}.content[{number}][{index}]"
                _expect(element, dict, where, "an object")
                _expect(element.get("tag"), str, f"{where}.tag", "a string")


def message_body(
    receive_id: str, content: Any, *, msg_type: str = "post", uuid: str
) -> dict[str, Any]:
    """The body of ``POST /open-apis/im/v1/messages``, checked: ``content`` is the message
    (an object, or its JSON text), sent as a JSON string."""
    check_key(receive_id, "receive_id")
    check_key(uuid, "uuid")
    if len(uuid) > MAX_KEY:
        raise ContentError(f"{shown(uuid)} is longer than {MAX_KEY} characters", "uuid")
    if isinstance(content, str):
        try:
            content = json.loads(content)
        except (ValueError, RecursionError):
            raise ContentError("not JSON", "content") from None
    if msg_type == "post":
        check_post(content)
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    body = {"receive_id": receive_id, "msg_type": msg_type, "content": text, "uuid": uuid}
    size = len(json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    cap = MAX_BODY_BYTES.get(msg_type)
    if cap is not None and size > cap:
        raise ContentError(
            f"the message is {size} bytes, over the {msg_type} cap of {cap} bytes", "content"
        )
    return body


def send_flow(core: _Core[Any], body: dict[str, Any], receive_id_type: str) -> Flow:
    """The flow of one send (never retried where it may have been posted)."""
    if receive_id_type not in RECEIVE_ID_TYPES:
        raise ContentError(
            f"{shown(receive_id_type)} is not one of {', '.join(RECEIVE_ID_TYPES)}",
            "receive_id_type",
        )
    key = body["uuid"]
    try:
        envelope = yield from core._call(
            "POST",
            MESSAGES_PATH,
            {"receive_id_type": receive_id_type},
            json=body,
            idempotent=False,
            limit=("im.receiver", body["receive_id"]),
            uncertain=_UNCERTAIN.format(key=key),
        )
    except UncertainWriteError as error:
        error.idempotency_key = key
        raise
    data = field(envelope, "data", "", dict) or {}
    message_id = field(data, "message_id", "data.", str)
    if not message_id:
        raise AnswerError("the send answer has no data.message_id")
    return SentMessage(
        message_id,
        field(data, "chat_id", "data.", str),
        field(data, "create_time", "data.", str),
        key,
    )


def upload_flow(core: _Core[Any], image: bytes | str | Path, name: str | None) -> Flow:
    """The flow of one image upload for messages: its ``image_key``."""
    media = core.media.image(image, name)
    if len(media.data) > MAX_IMAGE_BYTES:
        raise MediaError(f"{shown(media.name)} is over the IM cap of {MAX_IMAGE_BYTES} bytes")
    files = {"image": (media.name, media.data, media.mime_type)}
    envelope = yield from core._call(
        "POST", IMAGES_PATH, files=files, data={"image_type": "message"}
    )
    data = field(envelope, "data", "", dict) or {}
    key = field(data, "image_key", "data.", str)
    if not key:
        raise AnswerError("the upload answer has no data.image_key")
    return key


UPLOADED_ON_SEND = "<uploaded on send>"
"""The image key a dry run shows where an image will be uploaded."""


def _gallery_images(content: Content | ProgressRecord) -> list[tuple[str, Image]]:
    """``(field path, image)`` of every gallery image, in order."""
    return [
        (f"content.blocks[{index}].gallery.imageList[{number}]", image)
        for index, block in enumerate(content)
        if isinstance(block, Gallery)
        for number, image in enumerate(block.images)
    ]


def image_ref(image: Image) -> str | None:
    """What names an image in ``image_keys``: its file token, else its src."""
    return image.file_token or image.src or None


def _read(client: Client | None, image: Image, base: Path, policy: MediaPolicy) -> Media | None:
    """One image's bytes (None in a dry run, which only checks what it can offline)."""
    src = image.src or ""
    feishu = bool(image.file_token) or is_feishu_url(src)
    if scheme_of(src) not in ("http", "https") and not feishu:
        return policy.read_local(src, base)
    if client is None:
        if image.file_token:
            check_key(image.file_token, "file_token")
        else:
            policy.check_url(src)
        return None
    return client.download_image(image) if feishu else client.fetch_image(src)


def upload_images(
    client: Client | None,
    content: Content | ProgressRecord,
    *,
    base: Path,
    policy: MediaPolicy | None = None,
) -> dict[str, str]:
    """Every gallery image of ``content`` uploaded for chat messages: ``{file token or src:
    image_key}`` (:func:`image_ref`). A record's images are downloaded by their file token
    (:meth:`~okrcontent.fetch.Client.download_image`), local files read inside ``base`` (the
    update's folder) and remote ones fetched under ``policy`` (the client's media policy by
    default); all of them before the first upload, so a refused one costs no upload. With no
    ``client`` (a dry run) nothing is fetched or sent: the keys are :data:`UPLOADED_ON_SEND`."""
    policy = policy or (client.media if client is not None else MediaPolicy())
    read: dict[str, Media | None] = {}
    for path, image in _gallery_images(content):
        ref = image_ref(image)
        if ref is None or ref in read:
            continue
        try:
            read[ref] = _read(client, image, base, policy)
        except ContentError as error:  # a MediaError, or a bad file token
            raise MediaError(error.reason, f"{path}.{error.path}" if error.path else path) from None
    keys = {}
    for ref, media in read.items():
        if client is None or media is None:
            keys[ref] = UPLOADED_ON_SEND
        else:
            keys[ref] = client.upload_message_image(media.data, name=media.name)
    return keys
