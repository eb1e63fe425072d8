"""Gallery images kept for good: by file token through the drive media API, else from their
``src``, under the media policy; every case for both clients.

The fake server is both the OpenAPI and the image host. Names resolve through the policy's
resolver: ``okr.feishu.cn`` (a Feishu host, which may see the token) and ``img.example``
(which may not) are both 127.0.0.1, allowed explicitly; nothing connects anywhere else.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from okrcontent import Image
from okrcontent.fetch import MediaError, MediaPolicy, RetryPolicy, TokenError
from okrcontent.fetch.media import stable_stem

from .clients import Runner
from .fake_openapi import Answer, FakeOpenAPI

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
TOKEN = "boxcnOKRimage1"
MEDIA = f"/open-apis/drive/v1/medias/{TOKEN}/download"
DNS = {"okr.feishu.cn": ["127.0.0.1"], "img.example": ["127.0.0.1"], "evil.example": ["10.0.0.1"]}
POLICY = MediaPolicy(
    allow_networks=("127.0.0.1/32",), resolve=lambda host, port: DNS[host], timeout=1.0
)
PNG_ANSWER = Answer(200, raw=PNG, headers={"Content-Type": "image/png"})


def src(api: FakeOpenAPI, path: str, host: str = "okr.feishu.cn") -> str:
    return f"http://{host}:{api.server.server_address[1]}{path}"


def download(kind: str, api: FakeOpenAPI, image: Image | str, **options: Any) -> Any:
    options.setdefault("media", POLICY)
    return Runner(kind, api, **options).run(lambda c: c.download_image(image))


def authorization(api: FakeOpenAPI, path: str) -> str | None:
    return next((h.get("authorization") for _, p, _, h in api.requests if p == path), None)


def test_by_file_token_through_the_drive_media_api(api: FakeOpenAPI, kind: str) -> None:
    api.media[TOKEN] = (JPEG, "image/jpeg")
    media = download(kind, api, Image(src=src(api, "/img/gone.png"), file_token=TOKEN))
    assert (media.data, media.mime_type, media.extension, media.name) == (
        JPEG,
        "image/jpeg",
        ".jpg",
        TOKEN + ".jpg",
    )
    assert authorization(api, MEDIA) == "Bearer t-1"
    assert api.calls["/img/gone.png"] == 0  # the src was not needed


@pytest.mark.parametrize("location", ["http://img.example:{port}/img/a.png", "javascript:x()"])
def test_a_drive_redirect_is_followed_by_the_guarded_connection(
    api: FakeOpenAPI, kind: str, location: str
) -> None:
    port = api.server.server_address[1]
    api.script(MEDIA, Answer(302, headers={"Location": location.format(port=port)}))
    api.serve("/img/a.png", PNG_ANSWER)
    if location.startswith("javascript"):
        with pytest.raises(MediaError, match=r"by file token: InvalidURL"):
            download(kind, api, TOKEN)
        return
    assert download(kind, api, TOKEN).name == TOKEN + ".png"
    assert authorization(api, "/img/a.png") is None  # not a Feishu host: no token


def test_a_token_the_drive_does_not_know_falls_back_to_the_src(api: FakeOpenAPI, kind: str) -> None:
    api.serve("/img/a.png", PNG_ANSWER)
    media = download(kind, api, Image(src=src(api, "/img/a.png"), file_token=TOKEN))
    assert (media.data, media.name) == (PNG, TOKEN + ".png")
    assert authorization(api, "/img/a.png") == "Bearer t-1"  # a Feishu host may see it


def test_a_src_elsewhere_gets_no_token(api: FakeOpenAPI, kind: str) -> None:
    api.serve("/img/a.png", PNG_ANSWER)
    media = download(kind, api, Image(src=src(api, "/img/a.png", "img.example")))
    assert media.data == PNG
    assert re.fullmatch(r"[0-9a-f]{24}\.png", media.name)  # stable, and safe as a file name
    assert authorization(api, "/img/a.png") is None
    assert api.calls["/open-apis/auth/v3/tenant_access_token/internal"] == 0


def test_a_redirect_elsewhere_drops_the_token(api: FakeOpenAPI, kind: str) -> None:
    api.serve(
        "/img/moved", Answer(302, headers={"Location": src(api, "/img/a.png", "img.example")})
    )
    api.serve("/img/a.png", PNG_ANSWER)
    assert download(kind, api, Image(src=src(api, "/img/moved"))).data == PNG
    assert authorization(api, "/img/moved") == "Bearer t-1"
    assert authorization(api, "/img/a.png") is None


@pytest.mark.parametrize(
    "location",
    ["http://169.254.169.254/latest/meta-data/", "http://evil.example/x.png", "http://[::1]/x"],
)
def test_a_redirect_to_a_private_address_is_refused(
    api: FakeOpenAPI, kind: str, location: str
) -> None:
    api.serve("/img/moved", Answer(302, headers={"Location": location}))
    with pytest.raises(MediaError, match=r"by src: .* address: refused"):
        download(kind, api, Image(src=src(api, "/img/moved")))


def test_the_default_policy_refuses_a_loopback_src_without_connecting(
    api: FakeOpenAPI, kind: str
) -> None:
    with pytest.raises(MediaError, match=r"'127\.0\.0\.1' is a loopback address: refused"):
        download(kind, api, Image(src=src(api, "/img/a.png", "127.0.0.1")), media=None)
    assert api.calls["/img/a.png"] == 0


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (Answer(404, raw=b"gone", headers={"Content-Type": "text/plain"}), "HTTP 404"),
        (Answer(200, raw=b"<html>", headers={"Content-Type": "text/html"}), "served as text/html"),
        (Answer(200, raw=b"<svg/>", headers={"Content-Type": "image/svg+xml"}), "not an image"),
        (
            Answer(200, size=256 * 2**20, headers={"Content-Type": "image/png"}),
            "over the cap of 65536 bytes",
        ),
        (
            Answer(200, raw=PNG * 50, trickle=0.01, headers={"Content-Type": "image/png"}),
            "within the deadline",
        ),
    ],
)
def test_what_the_image_host_sends_is_checked(
    api: FakeOpenAPI, kind: str, answer: Answer, message: str
) -> None:
    api.serve("/img/x.png", answer)
    policy = MediaPolicy(
        allow_networks=("127.0.0.1/32",),
        resolve=lambda host, port: DNS[host],
        max_bytes=65536,
        timeout=0.2,
    )
    image = Image(src=src(api, "/img/x.png"), file_token=TOKEN)
    retry = RetryPolicy(attempts=2, base=0.01, cap=0.02, total=2.0)
    with pytest.raises(MediaError, match=f"by file token: .*; by src: .*{message}"):
        download(kind, api, image, media=policy, retry=retry)
    assert api.sent["/img/x.png"] < 256 * 2**20


def test_a_busy_image_host_is_retried(api: FakeOpenAPI, kind: str) -> None:
    api.script("/img/b.png", Answer(503, raw=b"", headers={"Content-Type": "text/plain"}))
    api.serve("/img/b.png", PNG_ANSWER)
    assert download(kind, api, Image(src=src(api, "/img/b.png"))).data == PNG
    assert api.calls["/img/b.png"] == 2


def test_a_token_that_is_no_key_is_never_sent(api: FakeOpenAPI, kind: str) -> None:
    with pytest.raises(MediaError, match=r"by file token: file_token: '\.\./\.\./x' is not a key"):
        download(kind, api, "../../x")
    assert sum(api.calls.values()) == 0


def test_an_image_with_nothing_to_fetch_by(api: FakeOpenAPI, kind: str) -> None:
    with pytest.raises(MediaError, match="neither a file token nor an http"):
        download(kind, api, Image(src="file:///etc/passwd"))


def test_bad_credentials_stop_at_once(api: FakeOpenAPI, kind: str) -> None:
    api.serve("/img/a.png", PNG_ANSWER)
    image = Image(src=src(api, "/img/a.png"), file_token=TOKEN)
    with pytest.raises(TokenError):
        download(kind, api, image, app_secret="wrong")
    assert api.calls["/img/a.png"] == 0


def test_a_feishu_host_echoing_the_token_gets_it_redacted(api: FakeOpenAPI, kind: str) -> None:
    api.serve("/img/echo.png", Answer(echo=True))
    with pytest.raises(MediaError, match="bad request") as caught:
        download(kind, api, Image(src=src(api, "/img/echo.png")))
    assert authorization(api, "/img/echo.png") == "Bearer t-1"
    assert "t-1" not in str(caught.value)
    assert "<secret>" in str(caught.value)


def test_the_stable_stem_is_known_before_the_download() -> None:
    assert stable_stem(Image(file_token=TOKEN)) == TOKEN
    assert stable_stem(Image(src="https://x/a.png")) == stable_stem(Image(src="https://x/a.png"))
    assert stable_stem(Image(file_token="../x", src="s")) == stable_stem(Image(src="s"))


def test_fetch_image_by_url(api: FakeOpenAPI, kind: str) -> None:
    api.serve("/img/a.png", PNG_ANSWER)
    api.serve("/img/none.png", Answer(404, raw=b"", headers={"Content-Type": "text/plain"}))
    runner = Runner(kind, api, media=POLICY)
    assert runner.run(lambda c: c.fetch_image(src(api, "/img/a.png", "img.example"))).data == PNG
    with pytest.raises(MediaError, match=r"cannot download .*HTTP 404"):
        runner.run(lambda c: c.fetch_image(src(api, "/img/none.png", "img.example")))
