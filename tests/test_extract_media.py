"""Images kept as files and names from the directory, in the batch, on Dask and on the
command line, against the loopback fake server (an OpenAPI, a contact directory, a drive
and an image host): successes, a 404, a huge image, a slow one, re-runs, links from nested
output folders, a directory that refuses."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import okrcontent
from okrcontent import batch
from okrcontent.cli import main
from okrcontent.fetch import Client, MediaPolicy, RetryPolicy
from okrcontent.manifest import ManifestFile
from okrcontent.media_files import MediaFolder

from .fake_openapi import APP_ID, APP_SECRET, Answer, FakeOpenAPI

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
GIF = b"GIF89a" + b"\x00" * 32
DNS = {"img.example": ["127.0.0.1"]}
POLICY = MediaPolicy(
    allow_networks=("127.0.0.1/32",),
    resolve=lambda host, port: DNS[host],
    max_bytes=65536,
    timeout=0.3,
)
RETRY = RetryPolicy(attempts=2, base=0.01, cap=0.02, total=2.0)


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OKRCONTENT_APP_ID", APP_ID)
    monkeypatch.setenv("OKRCONTENT_APP_SECRET", APP_SECRET)
    monkeypatch.delenv("OKRCONTENT_USER_TOKEN", raising=False)


def client(api: FakeOpenAPI) -> Client:
    return Client(
        app_id=APP_ID,
        app_secret=APP_SECRET,
        base_url=api.base_url,
        media=POLICY,
        retry=RETRY,
        timeout=2.0,
    )


def record(index: int, *images: dict[str, Any], mentions: tuple[str, ...] = ()) -> dict[str, Any]:
    elements: list[dict[str, Any]] = [{"type": "textRun", "textRun": {"text": f"week {index} "}}]
    elements += [{"type": "person", "person": {"openId": who}} for who in mentions]
    blocks: list[dict[str, Any]] = [{"type": "paragraph", "paragraph": {"elements": elements}}]
    if images:
        blocks.append({"type": "gallery", "gallery": {"imageList": list(images)}})
    return {
        "progress_id": str(7046518160811425812 + index),
        "modify_time": "1700000000000",
        "content": {"blocks": blocks},
    }


def image(token: str | None = None, src: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"width": 640.0, "height": 480.0}
    if token:
        found["fileToken"] = token
    if src:
        found["src"] = src
    return found


def host(api: FakeOpenAPI, path: str) -> str:
    return f"http://img.example:{api.server.server_address[1]}{path}"


def write_lines(path: Path, *records: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_images_kept_linked_relatively_and_failures_reported(
    api: FakeOpenAPI, tmp_path: Path
) -> None:
    api.media["boxcnKept1"] = (PNG, "image/png")
    api.serve("/img/ok.gif", Answer(200, raw=GIF, headers={"Content-Type": "image/gif"}))
    api.serve("/img/gone.png", Answer(404, raw=b"", headers={"Content-Type": "text/plain"}))
    api.serve("/img/huge.png", Answer(200, size=64 * 2**20, headers={"Content-Type": "image/png"}))
    api.serve(
        "/img/slow.png",
        Answer(200, raw=PNG * 20, trickle=0.05, headers={"Content-Type": "image/png"}),
    )
    archive = write_lines(
        tmp_path / "a.jsonl",
        record(0, image("boxcnKept1", "https://expired.example/x.png")),
        record(1, image(src=host(api, "/img/gone.png"))),
        record(2, image(src=host(api, "/img/huge.png"))),
        record(3, image(src=host(api, "/img/slow.png"))),
        record(4, image("boxcnKept1"), image(src=host(api, "/img/ok.gif"))),
        record(5),
    )
    site = tmp_path / "site"
    out = site / "2024" / "md"  # nested: the links climb out of it
    with client(api) as api_client:
        media = MediaFolder(site / "media", api_client)
        summary = batch.convert([archive], to="markdown", out=out, media=media, jobs=1)
    assert (summary.converted, summary.failed) == (6, 0)
    not_kept = {f.location.rsplit(":", 1)[1]: f.message for f in summary.images_not_kept}
    assert sorted(not_kept) == ["2", "3", "4"]
    assert re.match(r"image [0-9a-f]{24} not kept \(the output links to its src\): ", not_kept["2"])
    assert "HTTP 404" in not_kept["2"]
    assert "over the cap of 65536 bytes" in not_kept["3"]
    assert "within the deadline" in not_kept["4"]
    assert api.sent["/img/huge.png"] < 64 * 2**20  # the cap stopped the download
    kept = {p.name for p in (site / "media").iterdir()}
    (gif,) = kept - {"boxcnKept1.png"}
    assert re.fullmatch(r"[0-9a-f]{24}\.gif", gif)
    assert (site / "media" / "boxcnKept1.png").read_bytes() == PNG
    assert api.calls["/open-apis/drive/v1/medias/boxcnKept1/download"] == 1  # once, for two
    first = (out / "7046518160811425812.md").read_text()
    assert "../../media/boxcnKept1.png" in first
    assert "expired.example" not in first
    assert host(api, "/img/gone.png") in (out / "7046518160811425813.md").read_text()
    assert f"../../media/{gif}" in (out / "7046518160811425816.md").read_text()
    back = okrcontent.normalize(
        okrcontent.record_from_markdown((out / "7046518160811425812.md").read_text())
    )
    assert back.blocks[1].images[0].file_token == "boxcnKept1"  # type: ignore[union-attr]
    # A re-run: what is kept is reused; what failed is tried again, and now kept.
    api.serve("/img/gone.png", Answer(200, raw=PNG, headers={"Content-Type": "image/png"}))
    with client(api) as api_client:
        media = MediaFolder(site / "media", api_client)
        again = batch.convert([archive], to="markdown", out=out, media=media, jobs=1)
    assert (again.converted, again.skipped) == (3, 3)  # the three with images not kept
    assert [f.location.rsplit(":", 1)[1] for f in again.images_not_kept] == ["3", "4"]
    assert api.calls["/open-apis/drive/v1/medias/boxcnKept1/download"] == 1
    assert "../../media/" in (out / "7046518160811425813.md").read_text()
    manifest = ManifestFile(str(out)).read()
    entries = [manifest.get("markdown", 7046518160811425812 + i) for i in range(6)]
    assert [entry.partial if entry else None for entry in entries] == [
        *(False, False, True, True, False, False)
    ]


def test_the_command_keeps_images_and_names_people(
    api: FakeOpenAPI, tmp_path: Path, credentials: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """By file token (the OpenAPI host's own download) and the contact directory: the
    command as users run it, with the credentials from the environment."""
    api.media["boxcnKept1"] = (PNG, "image/png")
    api.users = {f"ou_{n:04x}": f"Person {n}" for n in range(60)}
    people = [f"ou_{n:04x}" for n in range(61)]  # 60 visible, one hidden
    records = [record(i, mentions=tuple(people[i * 7 : i * 7 + 7])) for i in range(9)]
    records[0] = record(0, image("boxcnKept1"), mentions=("ou_0000",))
    archive = write_lines(tmp_path / "a.jsonl", *records)
    out = tmp_path / "out"
    common = ("--base-url", api.base_url, "--people", "directory")
    command = ["convert", str(archive), "--to", "markdown", "-o", str(out), *common]
    command += ["--extract-media", str(tmp_path / "media")]
    status = main(command)
    err = capsys.readouterr().err
    assert status == 0, err
    assert err.startswith("9 converted, 0 already there, 0 failed")
    texts = [(out / f"{7046518160811425812 + i}.md").read_text() for i in range(9)]
    assert 'src="../media/boxcnKept1.png"' in texts[0]
    assert (tmp_path / "media" / "boxcnKept1.png").read_bytes() == PNG
    assert "@Person 0" in texts[0]
    assert "@Person 59" in texts[8]
    assert "@ou_003c" in texts[8]  # hidden: shown as the id
    lookups = api.calls["/open-apis/contact/v3/users/batch"]
    assert lookups == 2  # 61 ids, 50 a request
    single = tmp_path / "record.json"
    single.write_text(json.dumps(records[0]))
    page = tmp_path / "site" / "w1.html"
    page.parent.mkdir()
    status = main(
        [
            "convert",
            str(single),
            "--to",
            "html",
            "-o",
            str(page),
            *common,
            "--extract-media",
            str(tmp_path / "site" / "img"),
        ]
    )
    assert status == 0, capsys.readouterr().err
    html = page.read_text()
    assert 'src="img/boxcnKept1.png"' in html
    assert "Person 0" in html
    # Again: what is up to date needs nothing from the OpenAPI.
    before = dict(api.calls)
    assert main(command) == 0
    assert capsys.readouterr().err.startswith("0 converted, 9 already there")
    assert api.calls == before


def test_a_directory_that_refuses_stops_the_run_in_one_line(
    api: FakeOpenAPI,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    archive = write_lines(tmp_path / "a.jsonl", record(0, mentions=("ou_0001",)))
    monkeypatch.setenv("OKRCONTENT_APP_ID", APP_ID)
    monkeypatch.setenv("OKRCONTENT_APP_SECRET", "wrong-secret-value")
    args = [
        "convert",
        str(archive),
        "--to",
        "text",
        "-o",
        str(tmp_path / "out"),
        "--base-url",
        api.base_url,
        "--people",
        "directory",
    ]
    assert main(args) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert err[0].startswith("okrcontent: error: names for mentions: ")
    assert "wrong-secret-value" not in err[0]
    monkeypatch.delenv("OKRCONTENT_APP_SECRET")
    assert main(args) == 2  # no credentials: a usage error, before anything is read
    assert "no credentials" in capsys.readouterr().err


def test_dask_keeps_images_on_the_output_storage(api: FakeOpenAPI) -> None:
    fsspec = pytest.importorskip("fsspec", reason="okrcontent[dask] is not installed")
    pytest.importorskip("distributed", reason="okrcontent[dask] is not installed")
    import okrcontent.dask

    memory = fsspec.filesystem("memory")
    api.media["boxcnKept1"] = (PNG, "image/png")
    lines = [record(0, image("boxcnKept1")), record(1, image(src=host(api, "/img/no.png")))]
    api.serve("/img/no.png", Answer(404, raw=b"", headers={"Content-Type": "text/plain"}))
    memory.pipe_file("/media-in/a.jsonl", "".join(json.dumps(r) + "\n" for r in lines).encode())
    with client(api) as api_client:
        media = MediaFolder("/media-site/media", api_client, fs=memory)
        summary = okrcontent.dask.convert(
            "memory://media-in/",
            to="markdown",
            out="memory://media-site/md",
            scheduler="sync",
            media=media,
        )
    assert (summary.converted, len(summary.images_not_kept)) == (2, 1)
    assert memory.cat_file("/media-site/media/boxcnKept1.png") == PNG
    first = memory.cat_file("/media-site/md/7046518160811425812.md").decode()
    assert "../media/boxcnKept1.png" in first


class _Interrupting:
    """An image source that answers a few images, then is interrupted (Ctrl-C in the
    middle of a download), and counts what it was asked."""

    def __init__(self, answers: int) -> None:
        self.answers = answers
        self.asked = 0

    def download_image(self, image: okrcontent.Image) -> Any:
        from okrcontent.fetch.policy import Media

        self.asked += 1
        if self.asked > self.answers:
            raise KeyboardInterrupt
        return Media(PNG, f"{image.file_token}.png", "image/png")


class _Names(dict[str, str]):
    """A ``people=`` mapping asked ahead, like a directory: it records what it was asked."""

    def __init__(self, names: dict[str, str]) -> None:
        super().__init__()
        self.names = names
        self.asked: list[list[str]] = []

    def prefetch(self, ids: Any) -> None:
        ids = list(ids)
        self.asked.append(ids)
        self.update({i: self.names[i] for i in ids if i in self.names})


def test_an_interrupted_download_stops_the_run_cleanly_and_a_rerun_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The main process downloads while the workers convert: Ctrl-C in a download stops the
    workers, leaves no temporary file (outputs or images) and a manifest the next run
    finishes from; names travel to the workers a chunk at a time."""
    monkeypatch.setattr(batch, "CHUNK_RECORDS", 16)
    people = _Names({f"ou_{n}": f"Name {n}" for n in range(0, 120, 10)})
    records = [
        record(i, image(f"boxcn{i}"), mentions=(f"ou_{i}",)) if i % 5 == 0 else record(i)
        for i in range(120)
    ]
    archive = write_lines(tmp_path / "a.jsonl", *records)
    out, media = tmp_path / "out", tmp_path / "media"
    source = _Interrupting(answers=13)  # in the fifth chunk: the first is written by then
    with pytest.raises(KeyboardInterrupt):
        batch.convert(
            [archive],
            to="markdown",
            out=out,
            people=people,
            media=MediaFolder(media, source),
            jobs=2,
        )
    left = [p.name for p in [*out.iterdir(), *media.iterdir()] if p.name.startswith(".okr-tmp")]
    assert left == []
    assert {p.name for p in media.iterdir()} == {f"boxcn{i * 5}.png" for i in range(13)}
    done = len(list(out.glob("*.md")))
    assert 0 < done < 120
    again = MediaFolder(media, _Interrupting(answers=99))
    summary = batch.convert([archive], to="markdown", out=out, people=people, media=again, jobs=2)
    assert (summary.converted, summary.skipped, summary.failed) == (120 - done, done, 0)
    assert "@Name 100" in (out / f"{7046518160811425812 + 100}.md").read_text()
    assert "@ou_105" in (out / f"{7046518160811425812 + 105}.md").read_text()  # no name
    assert all(len(ids) <= 16 for ids in people.asked)  # a chunk's ids at a time
