"""OKR documents (``okrcontent.document``, ``okrcontent okr``): one per user and cycle.

The golden documents of a small OKR (``tests/fixtures/documents/small-okr.*``) are pinned
byte for byte (an intended change is regenerated with ``OKRCONTENT_UPDATE_GOLDEN=1``) and
checked for what they must say whatever the bytes: headings in order, records newest first,
front matter and ``<meta>`` read back, and every record's content as the writers make it
alone (parsed by markdown-it, cmark-gfm and lxml, it is the same blocks inside the document
as outside it).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import random
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cmarkgfm
import cmarkgfm.cmark
import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import okrcontent
from okrcontent import Content, Cycle, KeyResult, Objective, Owner, ProgressRecord
from okrcontent.cli import main
from okrcontent.document import FORMATS, Document, documents, load_archive, load_line, render
from okrcontent.document.display import RANGE, cycle_name, number, zone_name
from okrcontent.document.text import width
from okrcontent.frontmatter import split
from okrcontent.urls import scheme_of

from .data import API_EXAMPLE
from .fake_openapi import APP_ID, APP_SECRET, Answer, FakeOpenAPI
from .outline import FIXTURES
from .realistic import make_record
from .strategies import wire_cycles, wire_key_results, wire_objectives, wire_records
from .xss import ALLOWED_STYLE, ATTRIBUTE_VALUES, TEXTS, active_parts

HERE = FIXTURES / "documents"
SMALL = HERE / "small-okr.jsonl"
PEOPLE = {"ou_a11ce": "Alice", "ou_b0b": "Bob"}
UTC = dt.timezone.utc
RENDER_MD = MarkdownIt("commonmark").enable("strikethrough")
CONTACT = "/open-apis/contact/v3/users/basic_batch"

HEADINGS = [
    (1, f"Alice · 2025-10{RANGE}2025-12"),
    (2, "O1 Grow activation"),
    (3, "2025-10-20 22:40 UTC · 30%"),
    (3, "KR1.1 First key result"),
    (4, "2025-10-27 09:15 UTC · 62.5% · Delayed"),
    (4, "2025-10-20 08:00 UTC · 40% · At risk"),
    (4, "2025-10-13 08:00 UTC · 20% · Normal"),
    (3, "KR1.2 Second key result"),
    (2, "O2 Reduce churn"),
    (3, "2025-10-22 02:26 UTC · 10% · Normal"),
]
"""The small OKR's outline: objectives and key results in position order (the archive
holds them out of order), each one's records newest first."""

FIELDS = {
    "user": "ou_a11ce",
    "name": "Alice",
    "cycle": "100",
    "tenant_cycle": "900",
    "start": dt.datetime(2025, 10, 1, tzinfo=dt.timezone.utc),
    "end": dt.datetime(2025, 12, 31, 23, 59, 59, 999000, tzinfo=dt.timezone.utc),
    "score": 0.6,
    "status": "normal",
    "objectives": 2,
    "key_results": 2,
    "progress": 5,
}
RECORDS_IN_ORDER = ["304", "303", "302", "301", "305"]


def small() -> list[okrcontent.OkrEntity]:
    archive = load_archive([SMALL])
    assert archive.bad_lines == []
    return archive.entities


def small_document() -> Document:
    (document,) = documents(small())
    return document


def records() -> dict[str, ProgressRecord]:
    return {e.progress_id or "": e for e in small() if isinstance(e, ProgressRecord)}


def rendered(to: str) -> str:
    return render(small_document(), to, people=PEOPLE)


# --- the golden documents --------------------------------------------------------------------


@pytest.mark.parametrize("to", sorted(FORMATS))
def test_golden_document(to: str) -> None:
    golden = HERE / f"small-okr{FORMATS[to].suffix}"
    text = rendered(to)
    if os.environ.get("OKRCONTENT_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def _html_blocks(html: str) -> list[lxml.html.HtmlElement]:
    return list(lxml.html.fragment_fromstring(html, create_parent="div"))


def _sections(html: str) -> list[tuple[tuple[int, str], list[str]]]:
    """A rendered Markdown document as (heading, the blocks under it, serialized)."""
    out: list[tuple[tuple[int, str], list[str]]] = []
    for element in _html_blocks(html):
        tag = str(element.tag)
        if re.fullmatch(r"h[1-6]", tag):
            out.append(((int(tag[1]), element.text_content()), []))
        elif out:
            out[-1][1].append(lxml.html.tostring(element, encoding="unicode").strip())
    return out


def _gfm(text: str) -> str:
    """GitHub's renderer (cmark-gfm), raw HTML kept as GitHub's pipeline gets it."""
    return str(cmarkgfm.github_flavored_markdown_to_html(text, GFM_OPTIONS))


GFM_OPTIONS = cmarkgfm.cmark.Options.CMARK_OPT_UNSAFE
MARKDOWN_RENDERERS: dict[str, Callable[[str], str]] = {
    "markdown-it": RENDER_MD.render,
    "cmark-gfm": _gfm,
}


@pytest.mark.parametrize("renderer", sorted(MARKDOWN_RENDERERS))
def test_markdown_structure(renderer: str) -> None:
    to_html = MARKDOWN_RENDERERS[renderer]
    fields, body = split(rendered("markdown"))
    assert fields == FIELDS
    sections = _sections(to_html(body))
    assert [heading for heading, _ in sections] == HEADINGS
    by_heading = dict(sections)
    by_id = records()
    # every record's content is the same blocks inside the document as alone
    for (level, heading), record_id in zip(
        [h for h in HEADINGS if h[1][:4] == "2025"], RECORDS_IN_ORDER, strict=True
    ):
        record = by_id[record_id]
        content = record.content or Content()  # (the content alone: a record has front matter)
        alone = _sections("<h6>x</h6>" + to_html(okrcontent.to_markdown(content, people=PEOPLE)))
        expected = (
            alone[0][1] if record.content and record.content.blocks else ["<p>(no content)</p>"]
        )
        assert by_heading[level, heading] == expected, heading
    objective = by_id["304"]  # the objective's own record is empty
    assert objective.content == Content()
    notes = next(e for e in small() if isinstance(e, Objective) and e.notes is not None).notes
    assert notes is not None
    notes_alone = _sections("<h6>x</h6>" + to_html(okrcontent.to_markdown(notes)))[0][1]
    assert by_heading[2, "O1 Grow activation"] == [
        "<p>Score <strong>0.5</strong> · Weight <strong>60%</strong> · "
        "Deadline <strong>2025-12-31</strong></p>",
        "<p>for every new team</p>",  # the objective's second line
        "<p><strong>Notes</strong></p>",
        *notes_alone,
    ]


def test_html_structure() -> None:
    page = lxml.html.document_fromstring(rendered("html"))
    meta = {m.get("name"): m.get("content") for m in page.iter("meta") if m.get("name")}
    assert meta["okr-user"] == "ou_a11ce"
    assert meta["okr-start"] == "2025-10-01T00:00:00.000Z"
    assert meta["okr-progress"] == "5"
    main_ = page.find(".//main")
    assert main_ is not None
    headings = [
        (int(str(h.tag)[1]), " ".join(h.text_content().split()))
        for h in main_.iter("h2", "h3", "h4")
    ]
    assert headings == [(level, text.replace(" · ", " ")) for level, text in HEADINGS[1:]]
    # records newest first, each with its exact time, and its content as the writer makes it
    by_id = records()
    articles = list(main_.iter("article"))
    times = [str(a.find(".//time").get("datetime")) for a in articles]  # type: ignore[union-attr]
    assert times[1:4] == sorted(times[1:4], reverse=True)
    for article, record_id in zip(articles, RECORDS_IN_ORDER, strict=True):
        record = by_id[record_id]
        fragment = article.find("div")
        if record.content and record.content.blocks:
            assert fragment is not None
            html = lxml.html.tostring(fragment, encoding="unicode")
            assert okrcontent.from_html(html) == okrcontent.normalize(record.content)
        else:
            assert fragment is None
            assert article.find("p").text == "(no content)"  # type: ignore[union-attr]
    overview = [
        " ".join(" ".join(td.text_content().split()) for td in tr) for tr in page.iter("tr")
    ]
    assert overview[1:3] == [
        "O1 Grow activation 0.5 30%",
        "KR1.1 First key result 0.7 62.5% Delayed",
    ]


def test_text_structure() -> None:
    fields, body = split(rendered("text"))
    assert fields == FIELDS
    lines = body.split("\n")
    assert lines[1:3] == [
        f"Alice · 2025-10{RANGE}2025-12",
        "=" * width(f"Alice · 2025-10{RANGE}2025-12"),
    ]
    dates = [line.strip() for line in lines if line.strip().startswith("• ")]
    assert dates == [f"• {text}" for level, text in HEADINGS if text[:4] == "2025"]
    # a record's content is the text writer's, indented under its heading line
    start = lines.index("    • 2025-10-27 09:15 UTC · 62.5% · Delayed") + 1
    content = okrcontent.to_text(records()["303"].content or Content(), people=PEOPLE)
    content_lines = content.splitlines()
    assert [line[6:] for line in lines[start : start + len(content_lines)]] == content_lines


# --- what archives hold ----------------------------------------------------------------------


def test_v1_records_alone_make_one_section(tmp_path: Path) -> None:
    lines = [
        {"code": 0, "msg": "success", "data": make_record(random.Random(n), 3, n)} for n in range(3)
    ]
    entities = [e for line in lines for e in load_line(json.dumps(line))]
    (document,) = documents(entities)
    assert document.key == (None, None)
    assert document.name == "_unplaced"
    fields, body = split(render(document))
    assert fields == {"objectives": 0, "key_results": 0, "progress": 3}
    headings = [h for h, _ in _sections(RENDER_MD.render(body))]
    assert headings[0] == (1, "Progress records")
    dates = [text for level, text in headings[1:]]
    assert [level for level, _ in headings[1:]] == [2, 2, 2]  # no section heading of its own
    assert dates == sorted(dates, reverse=True)


def test_v1_records_are_placed_by_the_users_okrs_answer() -> None:
    ids = ["7041857032248410131", "7046518160811425812", "7046518160811425813"]
    rng = random.Random(1)
    lines = [(FIXTURES / "v2" / "user-okrs-v1.json").read_text()]
    lines += [json.dumps({**make_record(rng, 2, n), "progress_id": i}) for n, i in enumerate(ids)]
    entities = [e for line in lines for e in load_line(line)]
    (document,) = documents(entities)
    assert document.key == (None, "7026500000000000001")
    text = render(document)
    headings = [h for h, _ in _sections(RENDER_MD.render(split(text)[1]))]
    assert [h for h in headings if not h[1][:1].isdigit()] == [
        (1, "cycle 7026500000000000001"),
        (2, "O1 Make onboarding delightful"),
        (3, "KR1.1 Activation rate 45%"),
        (3, "KR1.2 Churn below 3%"),
    ]
    assert "for every new team" in text  # the objective's second line, under its heading
    assert [level for level, _ in headings].count(4) == 2  # the key result's two records


def test_records_that_name_a_target_not_in_the_archive_are_grouped_by_it() -> None:
    def record(i: str, target: str | None) -> ProgressRecord:
        kind = okrcontent.EntityType.KEY_RESULT if target else None
        return ProgressRecord(progress_id=i, modify_time=i, entity_type=kind, entity_id=target)

    entities = [record("3", "77"), record("2", None), record("1", "77"), record("4", "88")]
    objective = Objective(id="5", cycle_id="6", owner=Owner("user", "ou_a11ce"))
    (alone,) = documents(entities)
    md = render(alone)
    assert [h for h, _ in _sections(RENDER_MD.render(split(md)[1]))] == [
        (1, "Progress records"),
        (2, "1970-01-01 00:00 UTC"),
        (2, "Key result 88"),  # the target with the newest record first
        (3, "1970-01-01 00:00 UTC"),
        (2, "Key result 77"),
        (3, "1970-01-01 00:00 UTC"),
        (3, "1970-01-01 00:00 UTC"),
    ]
    placed, rest = documents([objective, *entities])
    assert placed.key == ("ou_a11ce", "6")
    assert rest.key == (None, None)
    assert placed.cycle is None
    assert "# Alice · cycle 6" in render(placed, people=PEOPLE)
    assert "## Other progress" not in render(rest)  # a document of its own, with no objective


def test_documents_per_user_and_cycle() -> None:
    alice, bob = Owner("user", "ou_a11ce"), Owner("user", "ou_b0b")
    entities: list[okrcontent.OkrEntity] = [
        Cycle(id="1", owner=alice),
        Cycle(id="2", owner=bob),
        Objective(id="11", cycle_id="1", owner=alice),
        Objective(id="21", cycle_id="2", owner=bob),
        Objective(id="31", cycle_id="3", owner=bob),  # its cycle is not in the archive
        KeyResult(id="41", objective_id="404", owner=bob),  # nor its objective
        ProgressRecord(progress_id="51", owner=alice, entity_type=3, entity_id="404"),
    ]
    keys = [d.key for d in documents(entities)]
    assert keys == [
        ("ou_a11ce", "1"),
        ("ou_b0b", "2"),
        ("ou_b0b", "3"),
        ("ou_b0b", None),
        ("ou_a11ce", None),
    ]
    texts = okrcontent.okr_document(entities, to="text")
    assert list(texts) == keys
    assert "KR1" in texts["ou_b0b", None]
    # a cycle without an id shares its key with its owner's unplaced rest: one section of it
    late, early = (ProgressRecord(progress_id=i, modify_time=i, owner=alice) for i in "91")
    (document,) = documents([early, Cycle(owner=alice), late])
    assert document.cycle == Cycle(owner=alice)
    (rest,) = document.objectives
    assert rest.progress == (late, early)


def test_a_mixed_archive_through_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "mixed.jsonl"
    v1 = json.dumps({"code": 0, "msg": "success", "data": make_record(random.Random(2), 2)})
    lines = SMALL.read_text(encoding="utf-8").splitlines()
    lines += [
        v1,  # a v1 record alone
        json.dumps(
            {
                "kind": "cycle",
                "data": {"id": "7", "owner": {"owner_type": "user", "user_id": "ou_b0b"}},
            }
        ),
        json.dumps(
            {
                "kind": "objective",
                "data": {
                    "code": 0,
                    "msg": "",
                    "data": {"objective": {"id": "8", "cycle_id": "7", "position": 1}},
                },
            }
        ),
    ]
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["okr", str(archive), "--to", "markdown", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "_unplaced.md",
        "ou_a11ce_100.md",
        "ou_b0b_7.md",
    ]
    err = capsys.readouterr().err
    assert (
        err == f"3 documents written to {out} from 13 entities; 0 bad lines, 0 documents failed\n"
    )
    assert "## O1" in (out / "ou_b0b_7.md").read_text(encoding="utf-8")


def test_archives_gzipped_in_folders_and_on_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "archives" / "2025"
    folder.mkdir(parents=True)
    lines = SMALL.read_bytes().splitlines(keepends=True)
    (folder / "cycles.jsonl.gz").write_bytes(gzip.compress(b"".join(lines[:5])))
    (folder / "notes.txt").write_text("not an archive")  # a folder holds other files too
    stdin = io.TextIOWrapper(io.BytesIO(b"".join(lines[5:])))
    monkeypatch.setattr("sys.stdin", stdin)
    out = tmp_path / "out"
    assert main(["okr", str(tmp_path / "archives"), "-", "--to", "markdown", "-o", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["ou_a11ce_100.md"]
    written = (out / "ou_a11ce_100.md").read_text(encoding="utf-8")
    assert written == render(small_document(), "markdown")
    assert capsys.readouterr().err.startswith("1 documents written")


# --- the command: bad lines, names, usage ----------------------------------------------------


BAD = [
    b"{broken json",
    json.dumps({"code": 99991663, "msg": "token invalid"}).encode(),
    json.dumps({"id": "9", "cycle_id": "100", "score": "high"}).encode(),
    json.dumps({"kind": "key_result", "data": {"objective_id": 5, "weight": [1]}}).encode(),
    json.dumps({"items": [], "has_more": False}).encode(),
]


def test_bad_lines_are_reported_and_cost_no_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive.jsonl"
    good = SMALL.read_bytes().splitlines()
    archive.write_bytes(b"\n".join(good[:2] + BAD + good[2:]) + b"\n")
    out = tmp_path / "out"
    assert (
        main(["okr", str(archive), "--to", "html", "-o", str(out), "--people", _people(tmp_path)])
        == 1
    )
    assert [p.name for p in out.iterdir()] == ["ou_a11ce_100.html"]
    assert (out / "ou_a11ce_100.html").read_text(encoding="utf-8").count("<article") == 5
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": ", 1)[0] for line in err[:5]] == [f"{archive}:{n}" for n in range(3, 8)]
    assert "invalid JSON" in err[0]
    assert "code 99991663" in err[1]
    assert "score: expected a finite number" in err[2]
    assert "data.weight" in err[3]
    assert "a page of a list answer" in err[4]
    assert (
        err[5] == f"1 documents written to {out} from 10 entities; 5 bad lines, 0 documents failed"
    )
    assert "Traceback" not in "\n".join(err)


def _people(tmp_path: Path) -> str:
    path = tmp_path / "people.json"
    path.write_text(json.dumps(PEOPLE), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("owner", "cycle"),
    [("../../escape", "1"), ("ou_a11ce", "../../escape"), ("ou/x", "2"), ("ou_a11ce", "1/2")],
)
def test_names_that_would_leave_the_folder_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], owner: str, cycle: str
) -> None:
    archive = tmp_path / "a" / "archive.jsonl"
    archive.parent.mkdir()
    lines = [
        {"id": cycle, "owner": {"owner_type": "user", "user_id": owner}, "start_time": "0"},
        {"id": "5", "owner": {"owner_type": "user", "user_id": "ou_b0b"}, "start_time": "0"},
    ]
    archive.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    out = tmp_path / "a" / "out"
    assert main(["okr", str(archive), "--to", "text", "-o", str(out)]) == 1
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == [
        "a",
        "a/archive.jsonl",
        "a/out",
        "a/out/ou_b0b_5.txt",
    ]
    err = capsys.readouterr().err
    assert f"user {owner!r}, cycle {cycle!r}: " in err
    assert "is not a" in err


def test_names_that_differ_by_case_alone_are_not_written_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive.jsonl"
    owners = [{"owner_type": "user", "user_id": u} for u in ("Ab", "aB")]
    rate = {"progress_percent": 10}
    lines = [{"id": str(n), "owner": o, "progress_rate": rate} for n, o in enumerate(owners)]
    archive.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["okr", str(archive), "--to", "text", "-o", str(out), "-q"]) == 1
    assert [p.name for p in out.iterdir()] == ["Ab_unplaced.txt"]
    assert (
        "user 'aB', cycle None: aB_unplaced differs from another document's name only by case"
        in (capsys.readouterr().err)
    )


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "file"
    file.write_text("")
    people = tmp_path / "people.json"
    people.write_text("[1]")
    for args in (
        ["--timezone", "Mars/Olympus"],
        ["--timezone", "+25:00"],
        ["--timezone", "../../etc/passwd"],
        ["-o", str(file)],
        ["--people", str(people)],
    ):
        argv = ["okr", str(SMALL), "--to", "text", "-o", str(tmp_path / "out"), *args]
        assert main(argv) == 2
    with pytest.raises(SystemExit) as exit_:
        main(["okr", str(SMALL), "--to", "pdf", "-o", str(tmp_path / "out")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--timezone 'Mars/Olympus': not a time zone name or offset" in err
    assert "exists and is not a folder" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_missing_archive_is_a_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["okr", str(tmp_path / "missing.jsonl"), "--to", "text", "-o", str(out), "-q"]) == 1
    assert f"{tmp_path / 'missing.jsonl'}: cannot read" in capsys.readouterr().err


def test_names_from_the_contact_api(
    api: FakeOpenAPI,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("OKRCONTENT_USER_TOKEN", "u-x")
    api.users = PEOPLE
    out = tmp_path / "out"
    argv = ["okr", str(SMALL), "--to", "text", "-o", str(out), "--people", "directory"]
    assert main([*argv, "--base-url", api.base_url, "-q"]) == 0
    text = (out / "ou_a11ce_100.txt").read_text(encoding="utf-8")
    assert "name: Alice" in text
    assert "Week 3: shipped with @Bob" in text
    lookups = [b["user_ids"] for _, path, b in api.bodies if path == CONTACT]
    assert lookups == [["ou_a11ce", "ou_b0b"]]  # everyone the archive names, asked at once
    # a refusal is one line, and no document is written without the names
    api.script(CONTACT, Answer(400, {"code": 99991672, "msg": "scope contact:user.base:readonly"}))
    out = tmp_path / "refused"
    assert main([*argv[:5], str(out), "--people", "directory", "--base-url", api.base_url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("--people directory: ")
    assert "contact:user.base:readonly" in err
    assert err.count("\n") == 1
    assert not out.exists()


def test_what_fetch_archives_makes_its_documents(
    api: FakeOpenAPI,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("OKRCONTENT_APP_ID", APP_ID)
    monkeypatch.setenv("OKRCONTENT_APP_SECRET", APP_SECRET)
    user = "ou_3bbe8a09c20e89cce9bff989ed840674"
    made = api.add_okrs(user, cycles=2, objectives=2, key_results=2, progress=2)
    archive = tmp_path / "okrs.jsonl.gz"
    assert main(["fetch", "--base-url", api.base_url, "--user", user, "-o", str(archive)]) == 0
    out = tmp_path / "out"
    assert main(["okr", str(archive), "--to", "markdown", "-o", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{user}_{cycle['id']}.md" for cycle in made["cycle"])
    for name in names:
        fields, body = split((out / name).read_text(encoding="utf-8"))
        assert fields is not None
        assert (fields["objectives"], fields["key_results"], fields["progress"]) == (2, 4, 12)
        headings = [h for h, _ in _sections(RENDER_MD.render(body))]
        labels = [text.split()[0] for _, text in headings if text.startswith(("O", "KR"))]
        assert labels == ["O1", "KR1.1", "KR1.2", "O2", "KR2.1", "KR2.2"]
        assert [level for level, _ in headings].count(4) == 8  # two records a key result
    assert capsys.readouterr().err.endswith(
        f"2 documents written to {out} from 38 entities; 0 bad lines, 0 documents failed\n"
    )


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("+08:00", "UTC+8"),
        ("-0330", "UTC-3:30"),
        ("Asia/Shanghai", "UTC+8"),
        ("UTC", "UTC"),
        ("+8", "UTC+8"),
    ],
)
def test_the_readers_time_zone(tmp_path: Path, zone: str, shown: str) -> None:
    out = tmp_path / "out"
    assert main(["okr", str(SMALL), "--to", "text", "-o", str(out), "-q", "--timezone", zone]) == 0
    text = (out / "ou_a11ce_100.txt").read_text(encoding="utf-8")
    assert re.search(rf"• 2025-10-2\d \d\d:\d\d {re.escape(shown)} · 62\.5%", text)
    assert "start: 2025-10-01T00:00:00.000Z" in text  # metadata keeps the instant


# --- hostile text ----------------------------------------------------------------------------

HOSTILE = HERE / "hostile-okr.jsonl"
"""A cycle of objectives titled by each of :data:`tests.xss.TEXTS` (a newline and ``#``
after it, a mention, a link to one of :data:`tests.xss.URLS`; a numbered second line), with
the same as notes, a key result titled by a doc link, and a record of all of it."""
HOSTILE_PEOPLE = {"ou_evil": f"{ATTRIBUTE_VALUES[0]}\n## {ATTRIBUTE_VALUES[2]}"}
NAME = HOSTILE_PEOPLE["ou_evil"].replace("\n", " ")  # one line, in a heading
DANGEROUS = {"script", "iframe", "object", "embed", "svg", "math", "base", "link", "form"}


def hostile() -> Document:
    archive = load_archive([HOSTILE])
    assert archive.bad_lines == []
    (document,) = documents(archive.entities)
    return document


def _inert(root: lxml.html.HtmlElement) -> list[str]:
    """What in a parsed page could run, load or navigate."""
    problems = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in DANGEROUS:
            problems.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            if name.startswith("on"):
                problems.append(name)
            if name in ("href", "src") and scheme_of(value) not in (None, "http", "https"):
                problems.append(f"{name}={value!r}")
    return problems


def test_hostile_text_is_inert_in_html() -> None:
    html = render(hostile(), "html", people=HOSTILE_PEOPLE)
    page = lxml.html.document_fromstring(html)
    assert _inert(page) == []
    body = page.find("body")
    assert body is not None
    assert list(body.iter("style", "meta", "title")) == []  # the frame's own are in <head>
    fragments = re.findall(r'<div class="okr-content">\n.*?\n</div>', html, re.DOTALL)
    assert len(fragments) == len(page.find_class("okr-content"))
    for fragment in fragments:  # the writer's, as it wrote them
        assert active_parts(fragment) == []
    styles = [e.get("style") for e in body.iter() if e.get("style") is not None]
    bars = [s for s in styles if re.fullmatch(r"width:[0-9.]+%", s or "")]
    assert len(bars) == len(TEXTS) * 2  # a record's and its key result's overview row
    assert [s for s in styles if s not in bars and not ALLOWED_STYLE.fullmatch(s or "")] == []
    title = page.find(".//title")
    assert title is not None
    assert title.text == f"{NAME} · 2025-10{RANGE}2025-12"
    headings = [" ".join(h.text_content().split()) for h in page.iter("h2")]
    assert len(headings) == len(TEXTS)
    first = TEXTS[0].replace("\n", " ")
    assert headings[0] == " ".join(f"O1 {first} #@{NAME} link".split())


def test_hostile_text_keeps_markdown_headings_whole() -> None:
    fields, body = split(render(hostile(), "markdown", people=HOSTILE_PEOPLE))
    assert fields is not None
    assert fields["name"] == NAME
    for name, to_html in MARKDOWN_RENDERERS.items():
        headings = [h for h, _ in _sections(to_html(body))]
        assert headings[0] == (1, f"{NAME} · 2025-10{RANGE}2025-12"), name
        objectives = [text for level, text in headings if level == 2]
        assert objectives == [
            f"O{n} {text.replace(chr(10), ' ')} #@{NAME} link" for n, text in enumerate(TEXTS, 1)
        ], name
        assert [level for level, _ in headings].count(3) == len(TEXTS), name


@pytest.mark.parametrize("renderer", ["markdown-it", "cmark-gfm"])
def test_hostile_markdown_is_inert_when_rendered(renderer: str) -> None:
    body = split(render(hostile(), "markdown", people=HOSTILE_PEOPLE))[1]
    html = MARKDOWN_RENDERERS[renderer](body)
    assert _inert(lxml.html.fragment_fromstring(html, create_parent="div")) == []


def test_hostile_text_keeps_text_headings_on_one_line() -> None:
    body = split(render(hostile(), "text", people=HOSTILE_PEOPLE))[1]
    lines = body.split("\n")
    for n in range(1, len(TEXTS) + 1):
        (index,) = [i for i, line in enumerate(lines) if line.startswith(f"O{n} ")]
        assert set(lines[index + 1]) == {"-"}
        assert len(lines[index + 1]) == width(lines[index])


IDS = st.sampled_from(["1", "2", "3", "99"])
"""Ids that entities share, so that some point at each other and some at nothing."""
ARCHIVE_LINES = st.lists(
    st.one_of(
        st.builds(lambda c, i: {**c, "id": i}, wire_cycles(), IDS),
        st.builds(lambda o, i, c: {**o, "id": i, "cycle_id": c}, wire_objectives(), IDS, IDS),
        st.builds(lambda k, o: {**k, "objective_id": o}, wire_key_results(), IDS),
        st.builds(lambda r, e: {**r, "entity_id": e}, wire_records(dialect="v2"), IDS),
    ),
    max_size=6,
)


@settings(max_examples=25)
@given(ARCHIVE_LINES, st.sampled_from(sorted(FORMATS)))
def test_any_archive_makes_documents(lines: list[dict[str, Any]], to: str) -> None:
    entities = [e for line in lines for e in load_line(line)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", okrcontent.LossWarning)
        texts = okrcontent.okr_document(entities, to=to, people=str.upper)
    assert len(texts) == len(documents(entities))
    for text in texts.values():
        text.encode("utf-8", "backslashreplace")
        if to == "html":
            page = lxml.html.document_fromstring(text)
            assert list(page.iter("script")) == []
        else:
            assert split(text)[0] is not None


# --- the pieces ------------------------------------------------------------------------------


def test_load_line_reads_every_kind_of_line() -> None:
    objective = {"id": "8", "cycle_id": "7", "position": 1}
    for line in (
        objective,
        {"code": 0, "msg": "", "data": {"objective": objective}},
        {"kind": "objective", "data": objective},
        {"kind": "objective", "data": {"code": 0, "msg": "", "data": {"objective": objective}}},
        {"kind": "something new", "data": objective},
    ):
        assert load_line(line) == [Objective(id="8", cycle_id="7", position=1)]
    assert len(load_line(API_EXAMPLE)) == 1
    assert len(load_line((FIXTURES / "v2" / "user-okrs-v1.json").read_text())) == 7
    for bad, message in (
        ({"kind": "cycle", "data": []}, "data: expected an object, got a list []"),
        ({"kind": "cycle", "data": {"score": "x"}}, "data.score: expected a finite number"),
        ([1], "expected a JSON object"),
        ({"code": 0, "msg": "", "data": {"okr_list": "x"}}, "data.okr_list: expected a list"),
    ):
        with pytest.raises(okrcontent.ContentError, match=re.escape(message)):
            load_line(bad)  # type: ignore[arg-type]


def test_names() -> None:
    assert Document("ou_a11ce", "100").name == "ou_a11ce_100"
    assert Document(None, "100").name == "_100"
    assert Document("ou_a11ce", None).name == "ou_a11ce_unplaced"
    assert Document(None, None).name == "_unplaced"
    bad = [("..", "1"), ("ou_x", "1.5"), ("", "1"), ("ou_x", ""), ("a" * 200, "1"), ("-rf", "1")]
    for user, cycle in bad:
        with pytest.raises(okrcontent.ContentError):
            Document(user, cycle).name  # noqa: B018 - the property raises


@pytest.mark.parametrize(
    ("start", "end", "name"),
    [
        ((2025, 10, 1, 0), (2026, 1, 1, 0), f"2025-10{RANGE}2025-12"),
        ((2025, 1, 1, 0), (2026, 1, 1, 0), "2025"),
        ((2025, 3, 1, 0), (2025, 4, 1, 0), "2025-03"),
        ((2025, 11, 1, 0), (2026, 3, 1, 0), f"2025-11{RANGE}2026-02"),
        ((2025, 9, 30, 16), (2025, 12, 31, 16), f"2025-10{RANGE}2025-12"),  # a tenant at UTC+8
        ((2025, 10, 1, 10), (2026, 1, 1, 10), f"2025-10{RANGE}2025-12"),  # a tenant at UTC-10
        ((2025, 10, 5, 0), (2025, 11, 20, 0), f"2025-10-05{RANGE}2025-11-19"),  # not whole months
    ],
)
def test_cycle_names(
    start: tuple[int, int, int, int], end: tuple[int, int, int, int], name: str
) -> None:
    starts = dt.datetime(*start, tzinfo=UTC)
    ends = dt.datetime(*end, tzinfo=UTC) - dt.timedelta(milliseconds=1)
    assert cycle_name(starts, ends, UTC) == name


def test_times_at_the_ends_of_the_calendar() -> None:
    first = ProgressRecord(progress_id="1", modify_time=str(-62135596800000))  # year 1
    last = ProgressRecord(progress_id="2", modify_time="253402300799999")  # year 9999
    cycle = Cycle(id="3", start_time="-62135596800000", end_time="253402300799999")
    zone = dt.timezone(dt.timedelta(hours=-14))
    for to in FORMATS:
        text = render(
            Document(None, "3", cycle, okrcontent.okr.group([first, last])[0].objectives),
            to,
            timezone=zone,
        )
        assert "0001-01-01 00:00 UTC" in text
        assert "9999-12-31 09:59 UTC-14" in text


def test_numbers_and_zones() -> None:
    assert [number(x) for x in (0.5, 50.21, 100.0, 1e300, -0.001, 1 / 3)] == [
        "0.5",
        "50.21",
        "100",
        "1e+300",
        "0",
        "0.33",
    ]
    assert (
        zone_name(dt.datetime(2025, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=45))))
        == "UTC+5:45"
    )
    assert width("李娜 Li") == 7


def test_render_refuses_an_unknown_format_and_reports_people_failures() -> None:
    document = small_document()
    with pytest.raises(ValueError, match="to must be one of markdown, html, text, not 'pdf'"):
        render(document, "pdf")

    def broken(user: str) -> str:
        raise KeyError(user)

    with pytest.raises(okrcontent.PeopleError):
        render(document, "markdown", people=broken)
