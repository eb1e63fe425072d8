"""The media policy: a hostile document gets nothing from the disk or the network.

The loopback fake server is the image host. Loopback is not public, so the success cases
widen the policy explicitly (to 127.0.0.1 only) and every refusal is checked without it.
No test connects anywhere but 127.0.0.1: the refused addresses (169.254.169.254, 10.0.0.1,
127.0.0.2) are refused before any connection, and names resolve through a fake resolver.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from okrcontent import Content, Gallery, Image, Paragraph
from okrcontent.fetch import AsyncClient, Client, MediaError, MediaPolicy, RetryPolicy
from okrcontent.fetch.policy import address_kind, image_type
from okrcontent.fetch.post import prepare_images

from .fake_openapi import APP_ID, APP_SECRET, Answer, FakeOpenAPI

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
GIF = b"GIF89a" + b"\x00" * 16
LOOPBACK = MediaPolicy(allow_networks=("127.0.0.1/32",))
UPLOAD = "/open-apis/okr/v1/images/upload"


@pytest.fixture
def api() -> Iterator[FakeOpenAPI]:
    server = FakeOpenAPI().start()
    server.serve("/img/chart.png", Answer(200, raw=PNG, headers={"Content-Type": "image/png"}))
    yield server
    server.stop()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A document's folder with an image, and a secret beside it."""
    (tmp_path / "doc").mkdir()
    (tmp_path / "doc" / "chart.png").write_bytes(PNG)
    (tmp_path / "secret.png").write_bytes(PNG)
    return tmp_path / "doc"


def read(src: str, base: Path, policy: MediaPolicy | None = None) -> Any:
    return (policy or MediaPolicy()).read_local(src, base)


# --- local files ---------------------------------------------------------------------------


def test_an_image_inside_the_folder_is_read(folder: Path) -> None:
    media = read("chart.png", folder)
    assert (media.data, media.name, media.mime_type) == (PNG, "chart.png", "image/png")


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("../secret.png", "goes up a folder"),
        ("sub/../../secret.png", "goes up a folder"),
        ("%2e%2e/secret.png", "goes up a folder"),
        ("file:///etc/passwd", "file: URLs are not read"),
        ("data:image/png;base64,AAAA", "neither a file nor an http"),
        ("missing.png", "no such file"),
        ("a\x00b.png", "no such file"),
        ("\ud800.png", "no such file"),
    ],
)
def test_a_document_cannot_reach_outside_its_folder(folder: Path, src: str, message: str) -> None:
    with pytest.raises(MediaError, match=message):
        read(src, folder)


def test_an_absolute_path_outside_is_refused(folder: Path) -> None:
    with pytest.raises(MediaError, match="is outside"):
        read(str(folder.parent / "secret.png"), folder)


def test_a_symlink_out_of_the_folder_is_refused(folder: Path) -> None:
    (folder / "link.png").symlink_to(folder.parent / "secret.png")
    with pytest.raises(MediaError, match="is outside"):
        read("link.png", folder)
    (folder / "inside.png").symlink_to(folder / "chart.png")
    assert read("inside.png", folder).data == PNG  # a link that stays inside is fine


def test_a_fifo_or_a_folder_is_not_read(folder: Path) -> None:
    os.mkfifo(folder / "pipe.png")
    (folder / "dir.png").mkdir()
    with pytest.raises(MediaError, match="not a regular file"):
        read("pipe.png", folder)  # would block forever if opened for reading plainly
    with pytest.raises(MediaError, match="not a regular file"):
        read("dir.png", folder)


def test_what_is_not_an_image_or_too_large_is_refused(folder: Path) -> None:
    (folder / "notes.png").write_text("<svg onload=alert(1)>", encoding="utf-8")
    with pytest.raises(MediaError, match="is not an image"):
        read("notes.png", folder)
    with pytest.raises(MediaError, match="over the cap of 16 bytes"):
        read("chart.png", folder, MediaPolicy(max_bytes=16))


def test_a_media_root_widens_the_folder(folder: Path) -> None:
    outside = str(folder.parent / "secret.png")
    assert read(outside, folder, MediaPolicy(root=folder.parent)).data == PNG
    with pytest.raises(MediaError, match="goes up a folder"):
        read("../secret.png", folder, MediaPolicy(root=folder.parent))  # never through ..


def test_image_types_by_their_bytes() -> None:
    assert image_type(PNG) == ("image/png", ".png")
    assert image_type(GIF) == ("image/gif", ".gif")
    assert image_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == ("image/webp", ".webp")
    assert image_type(b"<svg/>") is None


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("8.8.8.8", None),
        ("2001:4860:4860::8888", None),
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("10.0.0.1", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "non-public"),
        ("0.0.0.0", "unspecified"),
        ("::ffff:127.0.0.1", "loopback"),
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("224.0.0.1", "multicast"),
    ],
)
def test_what_counts_as_public(address: str, kind: str | None) -> None:
    assert address_kind(ipaddress.ip_address(address)) == kind


# --- remote images -------------------------------------------------------------------------


def url(api: FakeOpenAPI, path: str = "/img/chart.png", host: str = "127.0.0.1") -> str:
    return f"http://{host}:{api.server.server_address[1]}{path}"


def test_a_public_looking_policy_refuses_the_loopback_host(api: FakeOpenAPI) -> None:
    with pytest.raises(MediaError, match=re.escape("'127.0.0.1' is a loopback address: refused")):
        MediaPolicy().download(url(api))
    assert sum(api.calls.values()) == 0  # refused before connecting


def test_widened_explicitly_it_downloads(api: FakeOpenAPI) -> None:
    media = LOOPBACK.download(url(api))
    assert (media.data, media.name, media.mime_type) == (PNG, "chart.png", "image/png")
    assert MediaPolicy(allow_private=True).download(url(api)).data == PNG


def test_the_metadata_endpoint_is_refused_without_a_connection() -> None:
    with pytest.raises(MediaError, match="link-local address"):
        MediaPolicy(allow_networks=("127.0.0.1/32",)).download("http://169.254.169.254/latest/")


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("http://169.254.169.254/latest/meta-data/", "'169.254.169.254' is a link-local"),
        ("http://127.0.0.2:{port}/img/chart.png", "'127.0.0.2' is a loopback"),
        ("http://[::1]:{port}/img/chart.png", "'::1' is a loopback"),
        ("file:///etc/passwd", "UnsupportedProtocol"),
    ],
)
def test_a_redirect_to_a_refused_address_is_refused(
    api: FakeOpenAPI, location: str, message: str
) -> None:
    port = api.server.server_address[1]
    api.serve("/img/moved.png", Answer(302, headers={"Location": location.format(port=port)}))
    with pytest.raises(MediaError, match=message):
        LOOPBACK.download(url(api, "/img/moved.png"))
    assert api.calls["/img/moved.png"] == 1
    assert api.calls["/img/chart.png"] == 0


def test_a_redirect_within_the_policy_is_followed(api: FakeOpenAPI) -> None:
    api.serve("/img/moved.png", Answer(302, headers={"Location": "/img/chart.png"}))
    assert LOOPBACK.download(url(api, "/img/moved.png")).data == PNG


def test_names_are_checked_after_resolution_and_connected_as_checked(api: FakeOpenAPI) -> None:
    dns = {
        "img.test": ["127.0.0.1"],
        "metadata.test": ["169.254.169.254"],
        "mixed.test": ["93.184.216.34", "10.0.0.1"],
    }
    policy = MediaPolicy(allow_networks=("127.0.0.1/32",), resolve=lambda host, port: dns[host])
    # img.test exists only in this resolver: the download connected to the address checked
    assert policy.download(url(api, host="img.test")).data == PNG
    with pytest.raises(
        MediaError, match=re.escape("'metadata.test' is at 169.254.169.254, which is a link")
    ):
        policy.download(url(api, host="metadata.test"))
    with pytest.raises(
        MediaError, match=re.escape("'mixed.test' is at 10.0.0.1, which is a private")
    ):
        policy.download(url(api, host="mixed.test"))
    assert api.calls["/img/chart.png"] == 1


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (Answer(200, raw=b"<html>", headers={"Content-Type": "text/html"}), "served as text/html"),
        (Answer(200, raw=b"<html>", headers={"Content-Type": "image/png"}), "is not an image"),
        (Answer(404, raw=b"", headers={"Content-Type": "image/png"}), "HTTP 404"),
        (
            Answer(200, size=256 * 2**20, headers={"Content-Type": "image/png"}),
            "over the cap of 65536 bytes",
        ),
        (
            Answer(200, raw=b"1", headers={"Content-Type": "image/png", "Content-Length": "9" * 9}),
            "over the cap of 65536 bytes",
        ),
        (
            Answer(200, raw=PNG * 20, trickle=0.02, headers={"Content-Type": "image/png"}),
            "within the deadline",
        ),
    ],
)
def test_what_the_image_host_sends_is_checked(
    api: FakeOpenAPI, answer: Answer, message: str
) -> None:
    api.serve("/img/x.png", answer)
    policy = MediaPolicy(allow_networks=("127.0.0.1/32",), max_bytes=65536, timeout=0.3)
    with pytest.raises(MediaError, match=message):
        policy.download(url(api, "/img/x.png"))
    assert api.sent["/img/x.png"] < 256 * 2**20


# --- prepare_images and the client -----------------------------------------------------------


def _never(data: bytes, name: str) -> tuple[str, str]:
    raise AssertionError("nothing may be uploaded")


def test_a_refused_image_names_its_field_and_nothing_is_uploaded(folder: Path) -> None:
    content = Content([Paragraph(["x"]), Gallery([Image("chart.png"), Image("../secret.png")])])
    with pytest.raises(MediaError) as caught:
        prepare_images(content, base=folder, upload=_never)
    assert caught.value.path == "content.blocks[1].gallery.imageList[1].src"
    assert "'../secret.png' goes up a folder" in str(caught.value)


def test_prepare_images_uploads_what_the_policy_allows(api: FakeOpenAPI, folder: Path) -> None:
    content = Content([Gallery([Image("chart.png"), Image(url(api)), Image(file_token="t")])])
    sent: list[tuple[bytes, str]] = []

    def upload(data: bytes, name: str) -> tuple[str, str]:
        sent.append((data, name))
        return f"token{len(sent)}", ""

    with pytest.raises(MediaError, match="loopback"):
        prepare_images(content, base=folder, upload=upload)
    assert sent == []
    prepared = prepare_images(content, base=folder, upload=upload, policy=LOOPBACK)
    assert sent == [(PNG, "chart.png"), (PNG, "chart.png")]
    (gallery,) = prepared.blocks
    assert isinstance(gallery, Gallery)
    assert [i.file_token for i in gallery.images] == ["token1", "token2", "t"]


@pytest.fixture(params=["sync", "async"])
def upload_image(request: pytest.FixtureRequest, api: FakeOpenAPI) -> Any:
    """``upload_image`` of the sync or the async client, called the same way."""

    def call(image: Any, policy: MediaPolicy | None = None) -> Any:
        options: dict[str, Any] = {
            "app_id": APP_ID,
            "app_secret": APP_SECRET,
            "base_url": api.base_url,
            "retry": RetryPolicy(attempts=1),
            "media": policy,
        }
        arguments = {"target_id": "7001", "target_type": "kr"}
        if request.param == "sync":
            with Client(**options) as client:
                return client.upload_image(image, **arguments)

        async def main() -> Any:
            async with AsyncClient(**options) as client:
                return await client.upload_image(image, **arguments)

        return asyncio.run(main())

    return call


def test_the_client_uploads_only_images(upload_image: Any, api: FakeOpenAPI, folder: Path) -> None:
    with pytest.raises(MediaError, match="not an image"):
        upload_image(b"#!/bin/sh\n")
    with pytest.raises(MediaError, match="over the cap of 8 bytes"):
        upload_image(PNG, MediaPolicy(max_bytes=8))
    os.mkfifo(folder / "pipe")
    with pytest.raises(MediaError, match="not a regular file"):
        upload_image(folder / "pipe")
    assert sum(api.calls.values()) == 0
    assert upload_image(folder / "chart.png")[0] == "boxcnUP1"
    assert api.uploads[-1]["data"]["content_type"] == "image/png"
    assert upload_image(GIF)[0] == "boxcnUP2"
    assert api.uploads[-1]["data"]["content_type"] == "image/gif"
