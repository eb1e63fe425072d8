"""A real browser: headless Chromium loads the XSS outputs and a standalone document.

No script may run (the payloads would mark ``<body data-pwned>``), and what the browser
parsed must read back as the record (numbers, nesting, text): the structure survives a real
HTML parser, not only lxml. Skipped, with the reason, where Chromium is not installed
(``.ci/run`` installs Debian's ``chromium``).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

import lxml.html
import pytest

import okrcontent
import okrcontent.metadata

from .outline import FIXTURES
from .realistic import make_record
from .xss import ATTRIBUTE_VALUES, HTML_VECTORS, content_vectors

CHROMIUM = (
    os.environ.get("OKRCONTENT_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=3000",
]


def chromium(page: Path, *extra: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_no_script_runs(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        fragments = [okrcontent.to_html(c, people=p) for _, c, p in content_vectors()]
        fragments += [okrcontent.to_html(okrcontent.from_html(h)) for h in HTML_VECTORS]
    page = tmp_path / "xss.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        + "".join(fragments)
        + "</body></html>",
        encoding="utf-8",
    )
    dom = lxml.html.document_fromstring(chromium(page, "--dump-dom"))
    body = dom.find("body")
    assert body is not None
    assert body.get("data-pwned") is None
    assert len(body.findall("div")) == len(fragments)  # every fragment was there, intact


def test_the_browser_shows_the_records_structure(tmp_path: Path) -> None:
    rng = random.Random(3)
    record = okrcontent.load_record(json.dumps(make_record(rng, 30)))
    numbered = okrcontent.from_markdown(
        "1. one\n2. two\n   - child\n     - [x] done\n\n7) seven\n\n> quoted\n"
    )
    for content in (record, numbered):
        page = tmp_path / "record.html"
        page.write_text(okrcontent.to_html(content, standalone=True), encoding="utf-8")
        dumped = chromium(page, "--dump-dom")
        if isinstance(content, okrcontent.ProgressRecord):  # the whole record: its metadata too
            read = okrcontent.record_from_html(dumped)
            expected = okrcontent.metadata.normalize_record(content)
            assert okrcontent.dump_record(read) == okrcontent.dump_record(expected)
        else:
            assert okrcontent.from_html(dumped) == okrcontent.normalize(content)


def test_a_screenshot_of_the_standalone_document(tmp_path: Path) -> None:
    content = okrcontent.from_markdown(
        '**Weekly update** <span style="color: rgba(245, 74, 69, 1)">at risk</span>\n\n'
        "1. Shipped onboarding\n2. Latency p99 down\n   - from 900 ms\n     - [x] cache\n"
        "     - [ ] index\n\n5) resumed at five\n\n> a note under everything\n"
    )
    page = tmp_path / "standalone.html"
    page.write_text(okrcontent.to_html(content, standalone=True), encoding="utf-8")
    shot = tmp_path / "standalone.png"
    chromium(page, f"--screenshot={shot}", "--window-size=800,600")
    assert shot.stat().st_size > 5_000
    keep = os.environ.get("OKRCONTENT_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)


def test_an_okr_document_runs_nothing_and_keeps_its_outline(tmp_path: Path) -> None:
    archive = okrcontent.document.load_archive([FIXTURES / "documents" / "hostile-okr.jsonl"])
    (document,) = okrcontent.document.documents(archive.entities)
    people = {"ou_evil": "\n".join(ATTRIBUTE_VALUES)}
    page = tmp_path / "okr.html"
    page.write_text(okrcontent.document.render(document, "html", people=people), "utf-8")

    def outline(root: lxml.html.HtmlElement) -> list[tuple[str, str]]:
        body = root.find("body")
        assert body is not None
        return [
            (str(e.tag), " ".join(e.text_content().split()))
            for e in body.iter("h1", "h2", "h3", "h4", "section", "article", "li", "a")
        ]

    dumped = lxml.html.document_fromstring(chromium(page, "--dump-dom"))
    body = dumped.find("body")
    assert body is not None
    assert body.get("data-pwned") is None
    assert outline(dumped) == outline(lxml.html.parse(str(page)).getroot())
