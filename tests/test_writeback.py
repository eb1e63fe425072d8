"""Writing back: create, update, delete and upload against the loopback fake OpenAPI."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

import okrcontent
import okrcontent.formats
from okrcontent import Content, Gallery, Image, Paragraph, ProgressRate, TextRun, TextStyle
from okrcontent.cli import main
from okrcontent.fetch import (
    AsyncClient,
    Client,
    NoPermissionError,
    NotFoundError,
    RetryPolicy,
    TargetType,
    UncertainWriteError,
)

from .data import API_EXAMPLE
from .fake_openapi import APP_ID, APP_SECRET, Answer, FakeOpenAPI, record_envelope

CREATE = "/open-apis/okr/v1/progress_records"
UPLOAD = "/open-apis/okr/v1/images/upload"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
FAST = RetryPolicy(attempts=3, base=0.01, cap=0.02)
UPDATE = okrcontent.from_markdown("**Shipped** onboarding\n\n- [x] rollout\n- [ ] metrics\n")


@pytest.fixture
def api() -> Any:
    server = FakeOpenAPI().start()
    yield server
    server.stop()


def client(api: FakeOpenAPI, **options: Any) -> Client:
    return Client(
        app_id=APP_ID, app_secret=APP_SECRET, base_url=api.base_url, retry=FAST, **options
    )


def test_create_sends_the_documented_body(api: FakeOpenAPI) -> None:
    with client(api) as c:
        record = c.create_record(
            "7001",
            "kr",
            UPDATE,
            source_title="Weekly",
            source_url="https://wiki.test/w1",
            progress_rate=ProgressRate(40, 1),
        )
    method, path, body = api.bodies[-1]
    assert (method, path) == ("POST", CREATE)
    assert body == {
        "source_title": "Weekly",
        "source_url": "https://wiki.test/w1",
        "target_id": "7001",
        "target_type": 3,
        "content": okrcontent.dump_content(UPDATE),
        "progress_rate": {"percent": 40.0, "status": 1},
    }
    assert record.progress_id in api.records


def test_update_and_delete(api: FakeOpenAPI) -> None:
    with client(api) as c:
        created = c.create_record(
            "7001", TargetType.OBJECTIVE, UPDATE, source_title="t", source_url="http://x.test"
        )
        assert created.progress_id is not None
        changed = Content([Paragraph(["changed"])])
        updated = c.update_record(created.progress_id, changed, progress_rate=ProgressRate(75))
        assert updated.content == changed
        assert api.bodies[-1] == (
            "PUT",
            f"{CREATE}/{created.progress_id}",
            {
                "content": {
                    "blocks": [
                        {
                            "type": "paragraph",
                            "paragraph": {
                                "elements": [{"type": "textRun", "textRun": {"text": "changed"}}]
                            },
                        }
                    ]
                },
                "progress_rate": {"percent": 75.0},
            },
        )
        c.delete_record(created.progress_id)
        assert created.progress_id not in api.records
        with pytest.raises(NotFoundError):
            c.delete_record(created.progress_id)


def test_upload_is_multipart_with_the_documented_fields(api: FakeOpenAPI) -> None:
    with client(api) as c:
        token, url = c.upload_image(PNG, target_id="7001", target_type="objective", name="a.png")
    assert (token, url) == ("boxcnUP1", "https://internal-api.feishu.cn/img/boxcnUP1")
    fields = api.uploads[-1]
    assert fields["target_id"] == "7001"
    assert fields["target_type"] == "2"
    assert fields["data"] == {"filename": "a.png", "data": PNG, "content_type": "image/png"}


def test_the_async_client_writes_the_same(api: FakeOpenAPI) -> None:
    async def main() -> Any:
        async with AsyncClient(user_access_token="u-x", base_url=api.base_url, retry=FAST) as c:
            token, _ = await c.upload_image(PNG, target_id="1", target_type=3, name="b.png")
            content = Content([Gallery([Image(file_token=token, width=10, height=10)])])
            record = await c.create_record(
                "1", 3, content, source_title="t", source_url="https://x.test"
            )
            await c.update_record(record.progress_id or "", Content(["x"]))
            await c.delete_record(record.progress_id or "")
            return record

    record = asyncio.run(main())
    assert [m for m, _, _ in api.bodies] == ["POST", "POST", "PUT"]
    assert record.progress_id not in api.records


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"source_url": "ftp://x.test/a"}, "source_url: 'ftp://x.test/a' is not an http(s) URL"),
        ({"source_url": "javascript:alert(1)"}, "source_url: 'javascript:alert(1)' is not an"),
        ({"source_title": " "}, "source_title: must not be empty"),
        ({"target_id": "../x"}, "target_id: '../x' is not an id"),
        ({"target_type": "team"}, "target_type: 'team' is not objective (2) or key result (3)"),
        (
            {"content": Content([Gallery([Image("a.png")])])},
            "content.blocks[0].gallery.imageList[0].fileToken: missing (images are posted",
        ),
        ({"progress_rate": ProgressRate(140)}, "progress_rate.percent: 140 is not in 0..100"),
    ],
)
def test_what_the_api_would_refuse_is_refused_locally(
    api: FakeOpenAPI, kwargs: dict[str, Any], message: str
) -> None:
    arguments: dict[str, Any] = {
        "target_id": "7001",
        "target_type": "kr",
        "content": UPDATE,
        "source_title": "t",
        "source_url": "https://x.test",
    }
    arguments.update(kwargs)
    with client(api) as c, pytest.raises(okrcontent.ContentError) as caught:
        c.create_record(
            arguments.pop("target_id"),
            arguments.pop("target_type"),
            arguments.pop("content"),
            **arguments,
        )
    assert str(caught.value).startswith(message)
    assert api.calls[CREATE] == 0


def test_the_endpoints_error_codes(api: FakeOpenAPI) -> None:
    api.script(CREATE, Answer(400, {"code": 1001002, "msg": "no permission"}))
    with client(api) as c, pytest.raises(NoPermissionError):
        c.create_record("7001", "kr", UPDATE, source_title="t", source_url="https://x.test")
    with client(api) as c, pytest.raises(NotFoundError):
        c.update_record("123", UPDATE)


def test_a_create_that_times_out_is_not_sent_twice(api: FakeOpenAPI) -> None:
    api.script(CREATE, Answer(200, {"code": 0, "msg": "ok", "data": {}}, delay=0.5))
    with client(api, timeout=0.2) as c, pytest.raises(UncertainWriteError, match="may have been"):
        c.create_record("7001", "kr", UPDATE, source_title="t", source_url="https://x.test")
    assert api.calls[CREATE] == 1


def test_a_create_answered_busy_is_not_retried_but_an_update_is(api: FakeOpenAPI) -> None:
    api.script(CREATE, Answer(500, {"code": 1009998, "msg": "system exception"}))
    with client(api) as c:
        with pytest.raises(UncertainWriteError):
            c.create_record("7001", "kr", UPDATE, source_title="t", source_url="https://x.test")
        assert api.calls[CREATE] == 1
        record = c.create_record(
            "7001", "kr", UPDATE, source_title="t", source_url="https://x.test"
        )
        path = f"{CREATE}/{record.progress_id}"
        api.script(path, Answer(500, {"code": 1009998, "msg": "system exception"}))
        c.update_record(record.progress_id or "", UPDATE)
        assert api.calls[path] == 2


def test_a_rate_limited_create_is_retried(api: FakeOpenAPI) -> None:
    api.script(
        CREATE,
        Answer(429, {"code": 99991400, "msg": "too many"}, headers={"x-ogw-ratelimit-reset": "0"}),
    )
    with client(api) as c:
        c.create_record("7001", "kr", UPDATE, source_title="t", source_url="https://x.test")
    assert api.calls[CREATE] == 2


# --- the command, end to end ---------------------------------------------------------------


def command(api: FakeOpenAPI, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OKRCONTENT_")}
    environment.update({"OKRCONTENT_APP_ID": APP_ID, "OKRCONTENT_APP_SECRET": APP_SECRET})
    return subprocess.run(
        [sys.executable, "-m", "okrcontent", *args, "--base-url", api.base_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=environment,
    )


MARKDOWN = """\
**Weekly update** — <span style="color: rgba(245, 74, 69, 1)">one risk</span>

1. Shipped onboarding
2. Latency down
   - [x] cache
   - [ ] index

![](images/chart.png) ![](photo.jpg)

> see the dashboard
"""


def test_post_a_markdown_file_with_two_local_images_and_read_it_back(
    api: FakeOpenAPI, tmp_path: Path
) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "chart.png").write_bytes(PNG)
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff" + b"\x00" * 16)
    update = tmp_path / "update.md"
    update.write_text(MARKDOWN, encoding="utf-8")
    result = command(
        api,
        "post",
        str(update),
        "--target",
        "7001",
        "--target-type",
        "kr",
        "--title",
        "Weekly",
        "--url",
        "https://wiki.test/w",
        "--percent",
        "40",
        "--status",
        "at_risk",
    )
    assert result.returncode == 0, result.stderr
    progress_id = result.stdout.strip()
    assert [u["data"]["filename"] for u in api.uploads] == ["chart.png", "photo.jpg"]
    assert all(u["target_id"] == "7001" and u["target_type"] == "3" for u in api.uploads)
    body = api.bodies[-1][2]
    gallery = next(b for b in body["content"]["blocks"] if b["type"] == "gallery")
    assert [i["fileToken"] for i in gallery["gallery"]["imageList"]] == ["boxcnUP1", "boxcnUP2"]
    assert body["progress_rate"] == {"percent": 40.0, "status": 1}

    with client(api) as c:
        fetched = c.get_record(progress_id)
    expected = okrcontent.from_markdown(MARKDOWN)
    shown = okrcontent.to_markdown(fetched)
    gallery = next(b for b in okrcontent.normalize(fetched).blocks if isinstance(b, Gallery))
    images = gallery.images
    assert [i.file_token for i in images] == ["boxcnUP1", "boxcnUP2"]
    without_images = [
        b for b in okrcontent.normalize(expected).blocks if not isinstance(b, Gallery)
    ]
    read = okrcontent.normalize(okrcontent.record_from_markdown(shown))
    assert [b for b in read.blocks if not isinstance(b, Gallery)] == without_images


def test_update_and_delete_commands(api: FakeOpenAPI, tmp_path: Path) -> None:
    with client(api) as c:
        record = c.create_record(
            "7001", "kr", UPDATE, source_title="t", source_url="https://x.test"
        )
    changed = tmp_path / "changed.html"
    changed.write_text("<p><b>changed</b> in HTML</p>", encoding="utf-8")
    result = command(api, "update", str(record.progress_id), str(changed))
    assert result.returncode == 0, result.stderr
    stored = api.records[str(record.progress_id)]["content"]
    assert okrcontent.load_content(stored) == Content(
        [Paragraph([TextRun("changed", TextStyle(bold=True)), TextRun(" in HTML")])]
    )
    assert command(api, "delete", str(record.progress_id)).returncode == 0
    assert str(record.progress_id) not in api.records
    again = command(api, "delete", str(record.progress_id))
    assert again.returncode == 1
    assert "okr data not found" in again.stderr


def test_dry_run_prints_the_body_and_sends_nothing(api: FakeOpenAPI, tmp_path: Path) -> None:
    update = tmp_path / "u.md"
    update.write_text("- done\n\n![x](x.png)\n", encoding="utf-8")
    (tmp_path / "x.png").write_bytes(PNG)
    result = command(
        api,
        "post",
        str(update),
        "--target",
        "7001",
        "--target-type",
        "objective",
        "--title",
        "T",
        "--url",
        "https://x.test",
        "--dry-run",
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["target_type"] == 2
    assert body["content"]["blocks"][1]["gallery"]["imageList"][0]["fileToken"] == (
        "<uploaded on post>"
    )
    assert sum(api.calls.values()) == 0


def test_no_upload_posts_images_as_links(api: FakeOpenAPI, tmp_path: Path) -> None:
    update = tmp_path / "u.md"
    update.write_text("![x](https://img.test/x.png)\n", encoding="utf-8")
    result = command(
        api,
        "post",
        str(update),
        "--target",
        "7001",
        "--target-type",
        "kr",
        "--title",
        "T",
        "--url",
        "https://x.test",
        "--no-upload",
    )
    assert result.returncode == 0, result.stderr
    assert api.uploads == []
    (block,) = api.bodies[-1][2]["content"]["blocks"]
    run = block["paragraph"]["elements"][0]["textRun"]
    assert run == {
        "text": "https://img.test/x.png",
        "style": {"link": {"url": "https://img.test/x.png"}},
    }


def test_post_usage_errors(api: FakeOpenAPI, tmp_path: Path) -> None:
    update = tmp_path / "u.md"
    update.write_text("x\n", encoding="utf-8")
    bad_url = command(
        api,
        "post",
        str(update),
        "--target",
        "7001",
        "--target-type",
        "kr",
        "--title",
        "T",
        "--url",
        "not a url",
    )
    assert bad_url.returncode == 1
    assert "source_url: 'not a url' is not an http(s) URL" in bad_url.stderr
    missing = command(api, "post", str(update), "--target", "7001")
    assert missing.returncode == 2


# --- hostile documents and servers at the command line: one line, exit 1, nothing sent ------


@pytest.fixture
def run(
    api: FakeOpenAPI, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Any:
    """The command in this process: ``(exit status, stdout, stderr lines)``."""
    for name in ("OKRCONTENT_USER_TOKEN",):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OKRCONTENT_APP_ID", APP_ID)
    monkeypatch.setenv("OKRCONTENT_APP_SECRET", APP_SECRET)

    def call(*args: str) -> tuple[int, str, list[str]]:
        status = main([*args, "--base-url", api.base_url])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return status, out, err.splitlines()

    return call


POST = ("--target", "7001", "--target-type", "kr", "--title", "T", "--url", "https://x.test")


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("../secret.png", "'../secret.png' goes up a folder"),
        ("/etc/hostname", "'/etc/hostname' is outside"),
        ("file:///etc/hostname", "file: URLs are not read"),
        ("http://169.254.169.254/latest/meta-data", "is a link-local address: refused"),
        ("http://127.0.0.1:9/x.png", "is a loopback address: refused"),
        ("notes.png", "is not an image"),
    ],
)
@pytest.mark.parametrize("dry", [False, True])
def test_a_refused_image_stops_the_post_before_any_request(
    run: Any, api: FakeOpenAPI, tmp_path: Path, src: str, message: str, dry: bool
) -> None:
    (tmp_path / "doc").mkdir()
    (tmp_path / "secret.png").write_bytes(PNG)
    (tmp_path / "doc" / "notes.png").write_text("not an image", encoding="utf-8")
    update = tmp_path / "doc" / "u.md"
    update.write_text(f"update\n\n![]({src})\n", encoding="utf-8")
    status, out, err = run("post", str(update), *POST, *(["--dry-run"] if dry else []))
    assert status == 1
    assert out == ""
    (line,) = err
    assert line.startswith(f"{update}: content.blocks[1].gallery.imageList[0].src: ")
    assert message in line
    assert sum(api.calls.values()) == 0


def test_the_media_flags_widen_the_policy(run: Any, api: FakeOpenAPI, tmp_path: Path) -> None:
    port = api.server.server_address[1]
    api.serve("/img/a.png", Answer(200, raw=PNG, headers={"Content-Type": "image/png"}))
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "b.png").write_bytes(PNG)
    (tmp_path / "doc").mkdir()
    update = tmp_path / "doc" / "u.md"
    remote = f"http://127.0.0.1:{port}/img/a.png"
    update.write_text(f"![]({remote}) ![]({tmp_path / 'shared' / 'b.png'})\n", encoding="utf-8")
    status, _, err = run("post", str(update), *POST)
    assert status == 1
    assert "loopback address" in err[0]
    status, out, err = run(
        "post",
        str(update),
        *POST,
        "--media-allow-network",
        "127.0.0.1/32",
        "--media-root",
        str(tmp_path),
    )
    assert status == 0, err
    assert out.strip() in api.records
    assert [u["data"]["filename"] for u in api.uploads] == ["a.png", "b.png"]
    status, _, err = run("post", str(update), *POST, "--media-allow-network", "nonsense")
    assert status == 2
    assert "--media-allow-network" in err[-1]


@pytest.mark.parametrize(
    ("command", "answer", "message"),
    [
        ("update", Answer(200, raw=b"[" * 100_000), "the answer is not a JSON object"),
        (
            "update",
            Answer(200, raw=b"\x1f\x8b\x08garbage", headers={"Content-Encoding": "gzip"}),
            "error: Error -3",
        ),
        ("delete", Answer(200, {"code": 0, "msg": "ok", "data": 5}), None),
        ("delete", Answer(echo=True), "bad request"),
        ("post", Answer(200, raw=b"{}", headers={"Content-Length": str(2**40)}), "may have been"),
    ],
)
def test_a_hostile_server_is_one_line_at_the_command_line(
    run: Any, api: FakeOpenAPI, tmp_path: Path, command: str, answer: Answer, message: str | None
) -> None:
    update = tmp_path / "u.md"
    update.write_text("x\n", encoding="utf-8")
    progress_id = "7100000000000000001"
    api.records[progress_id] = {"progress_id": progress_id, "content": {"blocks": []}}
    path = CREATE if command == "post" else f"{CREATE}/{progress_id}"
    api.script(path, answer)
    args = {
        "post": ("post", str(update), *POST),
        "update": ("update", progress_id, str(update)),
        "delete": ("delete", progress_id),
    }[command]
    status, _, err = run(*args)
    if message is None:  # a delete answered with any success envelope is done
        assert status == 0
        return
    assert status == 1
    assert len(err) == 1
    assert message in err[0]
    assert APP_SECRET not in err[0]


def test_command_line_mistakes_are_one_line(run: Any, api: FakeOpenAPI, tmp_path: Path) -> None:
    assert run("delete", "../1")[0:2] == (1, "")
    status, _, err = run("fetch", "1", "-o", str(tmp_path / "missing" / "a.jsonl"))
    assert status == 1
    assert "cannot write the archive" in err[0]
    assert main(["delete", "1", "--base-url", "ftp://x.test"]) == 2
    update = tmp_path / "u.md"
    update.write_text("x\n", encoding="utf-8")
    assert run("post", str(update), *POST, "--media-max-bytes", "0")[0] == 2
    update.write_bytes(b"caf\xe9\n")
    before = sum(api.calls.values())
    status, _, err = run("post", str(update), *POST)
    assert status == 1
    assert err == [f"{update}: not UTF-8 text (byte 3)"]
    assert sum(api.calls.values()) == before


def test_fetch_archives_a_lone_surrogate_losslessly(
    run: Any, api: FakeOpenAPI, tmp_path: Path
) -> None:
    envelope = record_envelope("42")
    envelope["data"]["content"]["blocks"][0]["paragraph"]["elements"][0]["textRun"]["text"] = (
        "a\ud800b"
    )
    api.script(f"{CREATE}/42", Answer(200, raw=json.dumps(envelope).encode()))
    archive = tmp_path / "a.jsonl"
    status, _, err = run("fetch", "42", "-o", str(archive))
    assert status == 0, err
    (line,) = archive.read_bytes().splitlines()
    assert b"a\\ud800b" in line
    assert okrcontent.load_record(line).content.blocks[0].elements[0].text == "a\ud800b"  # type: ignore[union-attr]


# --- an exported record, edited and sent back ----------------------------------------------

EXPORTED = okrcontent.load_record(
    {
        "id": "7342000000000000001",
        "update_time": "1728900000000",
        "progress_rate": {"progress_percent": 40, "progress_status": 0},
        "entity_type": 3,
        "entity_id": "7001",
        "content": {"blocks": []},
    }
)
"""A v2 progress item: its target and its rate are in its metadata."""


@pytest.mark.parametrize("format_", ["markdown", "html", "text"])
def test_post_takes_target_percent_and_status_from_the_file(
    run: Any, api: FakeOpenAPI, tmp_path: Path, format_: str
) -> None:
    record = attrs.evolve(EXPORTED, content=UPDATE)
    path = tmp_path / f"update{okrcontent.formats.FORMATS[format_].extension}"
    path.write_text(okrcontent.formats.FORMATS[format_].write(record), encoding="utf-8")
    status, out, err = run(
        "post", str(path), "--title", "T", "--url", "https://x.test", "--dry-run"
    )
    assert (status, err) == (0, [])
    body = json.loads(out)
    assert (body["target_id"], body["target_type"]) == ("7001", 3)
    assert body["progress_rate"] == {"percent": 40.0, "status": 0}
    assert okrcontent.load_content(body["content"]) == okrcontent.normalize(
        okrcontent.formats.FORMATS[format_].read(path.read_text(encoding="utf-8"))
    )
    assert sum(api.calls.values()) == 0


def test_flags_win_over_the_front_matter(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "update.md"
    path.write_text(okrcontent.to_markdown(EXPORTED).replace("percent: 40", "percent: 55"))
    post = ("post", str(path), "--title", "T", "--url", "https://x.test", "--dry-run")
    status, out, _ = run(*post)
    assert status == 0
    assert json.loads(out)["progress_rate"] == {"percent": 55.0, "status": 0}  # as edited
    status, out, _ = run(*post, "--percent", "80", "--status", "delayed", "--target", "9")
    assert status == 0
    body = json.loads(out)
    assert (body["target_id"], body["target_type"]) == ("9", 3)
    assert body["progress_rate"] == {"percent": 80.0, "status": 2}


def test_update_takes_the_progress_id_from_the_file(
    run: Any, api: FakeOpenAPI, tmp_path: Path
) -> None:
    with client(api) as c:
        created = c.create_record(
            "7001", "kr", UPDATE, source_title="t", source_url="https://x.test"
        )
        fetched = c.get_record(str(created.progress_id))
    path = tmp_path / "update.md"
    edited = attrs.evolve(
        fetched, progress_rate=ProgressRate(75, 1), content=Content([Paragraph(["edited"])])
    )
    path.write_text(okrcontent.to_markdown(edited), encoding="utf-8")
    status, out, err = run("update", str(path))
    assert (status, err) == (0, [])
    assert out.strip() == created.progress_id
    stored = api.records[str(created.progress_id)]
    assert okrcontent.load_content(stored["content"]) == Content([Paragraph(["edited"])])
    assert stored["progress_rate"] == {"percent": 75.0, "status": 1}


def test_what_neither_the_flags_nor_the_file_give_is_a_usage_error(
    run: Any, api: FakeOpenAPI, tmp_path: Path
) -> None:
    v1 = tmp_path / "v1.md"  # a v1 record names no target
    v1.write_text(okrcontent.to_markdown(okrcontent.load_record(API_EXAMPLE)), encoding="utf-8")
    status, out, err = run("post", str(v1), "--title", "T", "--url", "https://x.test")
    assert (status, out) == (2, "")
    assert f"{v1}: give --target and --target-type" in err[-1]
    plain = tmp_path / "plain.md"
    plain.write_text("just content\n", encoding="utf-8")
    status, _, err = run("update", str(plain))
    assert status == 2
    assert f"{plain}: give PROGRESS_ID (its front matter has no progress_id)" in err[-1]
    assert sum(api.calls.values()) == 0


def test_a_front_matter_that_is_no_records_is_one_line_and_sends_nothing(
    run: Any, api: FakeOpenAPI, tmp_path: Path
) -> None:
    path = tmp_path / "update.md"
    path.write_text("---\npercent: lots\n---\n\ntext\n", encoding="utf-8")
    status, out, err = run("update", "7", str(path))
    assert (status, out) == (1, "")
    assert err == [f"{path}: front matter.percent: expected a number, got 'lots'"]
    assert sum(api.calls.values()) == 0
