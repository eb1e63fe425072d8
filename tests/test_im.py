"""Updates sent to chats: the IM message and image calls against the loopback fake server
(which checks the body as the IM API does), every case for both clients; and ``send``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from okrcontent import Content, ContentError, Gallery, Image, Paragraph
from okrcontent.cli import main
from okrcontent.fetch import (
    Client,
    MediaError,
    MediaPolicy,
    NoPermissionError,
    SentMessage,
    UncertainWriteError,
)
from okrcontent.fetch.im import UPLOADED_ON_SEND, upload_images
from okrcontent.fetch.retry import KeyedLimiters

from .clients import Runner
from .fake_openapi import APP_ID, APP_SECRET, Answer, FakeOpenAPI

MESSAGES = "/open-apis/im/v1/messages"
IMAGES = "/open-apis/im/v1/images"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
POST = {
    "zh_cn": {
        "title": "Week 47",
        "content": [
            [{"tag": "text", "text": "Shipped, thanks "}, {"tag": "at", "user_id": "ou_1"}],
            [{"tag": "a", "text": "dashboard", "href": "https://dash.example/w47"}],
        ],
    }
}


def send(kind: str, api: FakeOpenAPI, *args: Any, **options: Any) -> SentMessage:
    return Runner(kind, api).run(lambda c: c.send_message(*args, **options))  # type: ignore[no-any-return]


def test_a_post_is_sent_as_the_api_documents(api: FakeOpenAPI, kind: str) -> None:
    sent = send(kind, api, "oc_team", POST)
    assert (sent.message_id, sent.chat_id) == ("om_1", "oc_team")
    assert len(sent.idempotency_key) == 36
    method, path, query, _ = api.requests[-1]
    assert (method, path, query) == ("POST", MESSAGES, {"receive_id_type": ["chat_id"]})
    body = api.bodies[-1][2]
    assert body["msg_type"] == "post"
    assert isinstance(body["content"], str)
    assert json.loads(body["content"]) == POST
    assert body["uuid"] == sent.idempotency_key


def test_one_key_posts_once(api: FakeOpenAPI, kind: str) -> None:
    first = send(kind, api, "oc_team", json.dumps(POST), idempotency_key="weekly-47")
    again = send(kind, api, "oc_team", POST, idempotency_key="weekly-47")
    assert first.message_id == again.message_id
    assert len(api.messages) == 1


@pytest.mark.parametrize(
    "answer",
    [
        Answer(500, {"code": 1009998, "msg": "busy"}),
        Answer(200, {"code": 0, "data": {}}, drop=True),
    ],
)
def test_a_send_that_may_have_been_posted_is_not_retried(
    api: FakeOpenAPI, kind: str, answer: Answer
) -> None:
    api.script(MESSAGES, answer)
    with pytest.raises(
        UncertainWriteError, match=r"send it again with the same idempotency key"
    ) as caught:
        send(kind, api, "oc_team", POST, idempotency_key="weekly-47")
    assert caught.value.idempotency_key == "weekly-47"
    assert "(weekly-47)" in str(caught.value)
    assert api.calls[MESSAGES] == 1


def test_a_chat_rate_limit_is_waited_out(api: FakeOpenAPI, kind: str) -> None:
    api.script(MESSAGES, Answer(400, {"code": 230020, "msg": "frequency limit"}))
    assert send(kind, api, "oc_team", POST).message_id == "om_1"
    assert api.calls[MESSAGES] == 2


def test_a_chat_without_the_bot(api: FakeOpenAPI, kind: str) -> None:
    with pytest.raises(NoPermissionError, match="outside the group") as caught:
        send(kind, api, "oc_outside", POST)
    assert caught.value.code == 230002
    assert api.calls[MESSAGES] == 1


@pytest.mark.parametrize(
    ("receive_id", "content", "options", "message"),
    [
        ("oc_team", {}, {}, "^content: no locale"),
        ("oc_team", {"title": "x", "content": []}, {}, "'title' is not a locale"),
        ("oc_team", {"zh_cn": {"content": [{"tag": "text"}]}}, {}, r"content\[0\]: \{"),
        ("oc_team", {"zh_cn": {"content": [[{"text": "x"}]]}}, {}, r"\[0\]\[0\]\.tag: None"),
        ("oc_team", "{not json", {}, "^content: not JSON"),
        ("oc_team", {"zh_cn": {"content": [[{"tag": "text", "text": "x" * 31_000}]]}}, {}, "cap"),
        ("oc_team", POST, {"idempotency_key": "k" * 51}, "longer than 50"),
        ("oc_team/../x", POST, {}, "^receive_id: .* is not a key"),
        ("oc_team", POST, {"receive_id_type": "email"}, "^receive_id_type: 'email'"),
    ],
)
def test_what_the_api_would_refuse_costs_no_request(
    api: FakeOpenAPI, kind: str, receive_id: str, content: Any, options: Any, message: str
) -> None:
    with pytest.raises(ContentError, match=message):
        send(kind, api, receive_id, content, **options)
    assert api.calls[MESSAGES] == 0


def test_an_image_for_messages(api: FakeOpenAPI, kind: str, tmp_path: Path) -> None:
    def upload(image: Any, **options: Any) -> Any:
        runner = Runner(kind, api, **options)
        return runner.run(lambda c: c.upload_message_image(image, name="chart.png"))

    assert upload(PNG) == "img_v3_1"
    assert api.im_images[-1] == {"filename": "chart.png", "data": PNG, "content_type": "image/png"}
    assert api.bodies[-1][2]["image_type"] == "message"
    with pytest.raises(MediaError, match="not an image"):
        upload(b"<svg onload=alert(1)>")
    with pytest.raises(MediaError, match="over the cap of 8 bytes"):
        upload(PNG, media=MediaPolicy(max_bytes=8))
    assert api.calls[IMAGES] == 1


def test_five_messages_a_second_to_one_chat() -> None:
    now = [0.0]
    limiters = KeyedLimiters(clock=lambda: now[0])
    assert [limiters.reserve("im.receiver", "oc_a") for _ in range(6)] == [0.0] * 5 + [1.0]
    assert limiters.reserve("im.receiver", "oc_b") == 0.0  # another chat has its own
    now[0] = 0.5
    assert limiters.reserve("im.receiver", "oc_a") == 0.5  # the first five free up at 1.0


# --- images of an update, for a chat ---------------------------------------------------------

DNS = {"img.example": ["127.0.0.1"]}
LOOPBACK = MediaPolicy(allow_networks=("127.0.0.1/32",), resolve=lambda host, port: DNS[host])


def gallery(api: FakeOpenAPI, *local: str) -> Content:
    remote = f"http://img.example:{api.server.server_address[1]}/img/chart.png"
    images = [Image(file_token="boxcnOKR1"), *(Image(src) for src in local), Image(remote)]
    return Content([Paragraph(["Week 47"]), Gallery(images)])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "doc").mkdir()
    (tmp_path / "doc" / "local.png").write_bytes(PNG)
    (tmp_path / "secret.png").write_bytes(PNG)
    return tmp_path / "doc"


def test_every_image_is_read_then_uploaded(api: FakeOpenAPI, folder: Path) -> None:
    api.media["boxcnOKR1"] = (PNG, "image/png")
    api.serve("/img/chart.png", Answer(200, raw=PNG, headers={"Content-Type": "image/png"}))
    content = gallery(api, "local.png")
    with Client(app_id=APP_ID, app_secret=APP_SECRET, base_url=api.base_url, media=LOOPBACK) as c:
        keys = upload_images(c, content, base=folder)
    remote = content.blocks[1].images[2].src  # type: ignore[union-attr]
    assert keys == {"boxcnOKR1": "img_v3_1", "local.png": "img_v3_2", remote: "img_v3_3"}
    names = [i["filename"] for i in api.im_images]
    assert names[:2] == ["boxcnOKR1.png", "local.png"]
    assert re.fullmatch(r"[0-9a-f]{24}\.png", names[2])


def test_a_refused_image_costs_no_upload(api: FakeOpenAPI, folder: Path) -> None:
    api.media["boxcnOKR1"] = (PNG, "image/png")
    content = gallery(api, "local.png", "../secret.png")
    client = Client(app_id=APP_ID, app_secret=APP_SECRET, base_url=api.base_url, media=LOOPBACK)
    with client, pytest.raises(MediaError) as caught:
        upload_images(client, content, base=folder)
    assert caught.value.path == "content.blocks[1].gallery.imageList[2]"
    assert api.calls[IMAGES] == 0


def test_a_dry_run_reads_nothing_remote_and_uploads_nothing(api: FakeOpenAPI, folder: Path) -> None:
    keys = upload_images(None, gallery(api, "local.png"), base=folder, policy=LOOPBACK)
    assert set(keys.values()) == {UPLOADED_ON_SEND}
    assert len(keys) == 3
    assert sum(api.calls.values()) == 0


# --- the command --------------------------------------------------------------------------------


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKRCONTENT_APP_ID", APP_ID)
    monkeypatch.setenv("OKRCONTENT_APP_SECRET", APP_SECRET)
    monkeypatch.delenv("OKRCONTENT_USER_TOKEN", raising=False)


def test_send_a_post(
    api: FakeOpenAPI, tmp_path: Path, credentials: None, capsys: pytest.CaptureFixture[str]
) -> None:
    post = tmp_path / "post.json"
    post.write_text(json.dumps(POST), encoding="utf-8")
    argv = ["send", str(post), "--chat-id", "oc_team", "--title", "W47", "--base-url", api.base_url]
    assert main(argv) == 0
    assert capsys.readouterr().out == "om_1\n"
    assert json.loads(api.messages[0]["content"])["zh_cn"]["title"] == "W47"


def test_send_dry_run_needs_no_credentials(
    api: FakeOpenAPI,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("OKRCONTENT_APP_SECRET", raising=False)
    post = tmp_path / "post.json"
    post.write_text(json.dumps(POST), encoding="utf-8")
    argv = ["send", str(post), "--chat-id", "oc_team", "--dry-run", "--idempotency-key", "k1"]
    assert main([*argv, "--base-url", api.base_url]) == 0
    body = json.loads(capsys.readouterr().out)
    assert (body["receive_id"], body["msg_type"], body["uuid"]) == ("oc_team", "post", "k1")
    assert json.loads(body["content"]) == POST
    assert sum(api.calls.values()) == 0


def test_send_that_may_have_been_posted_says_how_to_send_it_once(
    api: FakeOpenAPI, tmp_path: Path, credentials: None, capsys: pytest.CaptureFixture[str]
) -> None:
    api.script(MESSAGES, Answer(502, None))
    post = tmp_path / "post.json"
    post.write_text(json.dumps(POST), encoding="utf-8")
    argv = ["send", str(post), "--chat-id", "oc_team", "--idempotency-key", "k1"]
    assert main([*argv, "--base-url", api.base_url]) == 1
    assert "send it again with the same idempotency key (k1)" in capsys.readouterr().err
    assert api.calls[MESSAGES] == 1


def test_send_refuses_a_bad_chat_id_before_any_request(
    api: FakeOpenAPI, tmp_path: Path, credentials: None, capsys: pytest.CaptureFixture[str]
) -> None:
    post = tmp_path / "post.json"
    post.write_text(json.dumps(POST), encoding="utf-8")
    assert main(["send", str(post), "--chat-id", "oc_x?y=1", "--base-url", api.base_url]) == 1
    assert "receive_id: 'oc_x?y=1' is not a key" in capsys.readouterr().err
    assert sum(api.calls.values()) == 0


def test_send_an_update_written_in_markdown(
    api: FakeOpenAPI, tmp_path: Path, credentials: None, capsys: pytest.CaptureFixture[str]
) -> None:
    update = tmp_path / "update.md"
    update.write_text(
        '**Shipped** <span data-okr-mention="ou_1">@Alice</span>\n\n- [x] rollout\n',
        encoding="utf-8",
    )
    argv = ["send", str(update), "--chat-id", "oc_team", "--title", "W47"]
    assert main([*argv, "--base-url", api.base_url]) == 0, capsys.readouterr().err
    post = json.loads(api.messages[0]["content"])
    elements = [e for locale in post.values() for line in locale["content"] for e in line]
    assert {"tag": "at", "user_id": "ou_1"}.items() <= next(
        e for e in elements if e["tag"] == "at"
    ).items()


def test_send_a_markdown_update_with_mentions_and_an_image(
    api: FakeOpenAPI, folder: Path, credentials: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's case end to end: what the SDK's Markdown-to-post leaked (the mention's
    ``<span>``, ``&#32;``) is a notifying ``at``; the image is uploaded and shown."""
    (folder / "update.md").write_text(
        '&#32;<span data-okr-mention="ou_1">@ou_1</span> shipped the **beta**\n\n'
        "1. rollout\n   - [x] canary\n\n![chart](local.png)\n",
        encoding="utf-8",
    )
    (folder / "people.json").write_text('{"ou_1": "Alice"}', encoding="utf-8")
    argv = ["send", str(folder / "update.md"), "--chat-id", "oc_team", "--title", "Week 47"]
    argv += ["--people", str(folder / "people.json"), "--upload-images", "--base-url", api.base_url]
    assert main(argv) == 0, capsys.readouterr().err
    assert capsys.readouterr().out == "om_1\n"
    assert api.im_images[0]["filename"] == "local.png"
    (message,) = api.messages
    assert "data-okr" not in message["content"]
    assert "&#32;" not in message["content"]
    assert json.loads(message["content"]) == {
        "zh_cn": {
            "title": "Week 47",
            "content": [
                [
                    {"tag": "text", "text": " "},
                    {"tag": "at", "user_id": "ou_1", "user_name": "Alice"},
                    {"tag": "text", "text": " shipped the "},
                    {"tag": "text", "text": "beta", "style": ["bold"]},
                ],
                [{"tag": "text", "text": "1. rollout"}],
                [{"tag": "text", "text": "\u3000☑ canary"}],
                [{"tag": "img", "image_key": "img_v3_1"}],
            ],
        }
    }


def test_send_dry_run_of_an_update_shows_where_images_go(
    api: FakeOpenAPI,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("OKRCONTENT_APP_SECRET", raising=False)
    (folder / "update.md").write_text(
        "![chart](local.png)\n\n![](https://x.test/a.png)\n", encoding="utf-8"
    )
    argv = ["send", str(folder / "update.md"), "--chat-id", "oc_team", "--dry-run"]
    assert main([*argv, "--upload-images", "--base-url", api.base_url]) == 0
    post = json.loads(json.loads(capsys.readouterr().out)["content"])
    assert post["zh_cn"]["content"] == [
        [{"tag": "img", "image_key": UPLOADED_ON_SEND}],
        [{"tag": "img", "image_key": UPLOADED_ON_SEND}],
    ]
    assert main([*argv, "--base-url", api.base_url]) == 0  # without uploads: links
    post = json.loads(json.loads(capsys.readouterr().out)["content"])
    assert post["zh_cn"]["content"] == [
        [{"tag": "text", "text": "[image: local.png]"}],
        [{"tag": "a", "text": "[image]", "href": "https://x.test/a.png"}],
    ]
    assert sum(api.calls.values()) == 0
