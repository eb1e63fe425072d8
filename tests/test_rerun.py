"""The archive as users keep it: newer versions replace older outputs, the same version
twice is reported, a re-run with other options says so, output names from a template; and
the manifest that remembers what made each output (its file, cut lines, compaction)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

import okrcontent
from okrcontent import batch
from okrcontent.cli import main
from okrcontent.manifest import MANIFEST_NAME, Entry, Manifest, ManifestFile

from .realistic import make_envelope


def version(index: int, modified: int, *, seed: int = 0) -> dict[str, Any]:
    """A record (bare) of id ``7046...812 + index`` at ``modified``, its content by seed."""
    record: dict[str, Any] = make_envelope(random.Random(seed * 1000 + index), 3, index)["data"]
    record["modify_time"] = str(modified)
    return record


def lines(path: Path, *records: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return path


def outputs(out: Path) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted(out.iterdir()) if p.name[0] != "."}


def markdown(record: dict[str, Any]) -> str:
    return okrcontent.to_markdown(okrcontent.load_record(record))


def counts(summary: batch.Summary) -> tuple[int, int, int, int, int, int]:
    return (
        summary.converted,
        summary.updated,
        summary.skipped,
        summary.superseded,
        summary.other_options,
        summary.failed,
    )


T1, T2, T3 = 1_700_000_000_000, 1_700_000_600_000, 1_700_001_200_000


def test_a_newer_version_replaces_the_output_on_a_rerun(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = lines(tmp_path / "w1.jsonl", version(0, T1), version(1, T1))
    assert counts(batch.convert([first], to="markdown", out=out, jobs=1)) == (2, 0, 0, 0, 0, 0)
    newer, older = version(0, T2, seed=1), version(1, T1 - 1, seed=1)
    second = lines(tmp_path / "w2.jsonl", newer, older)
    summary = batch.convert([first, second], to="markdown", out=out, jobs=1)
    assert counts(summary) == (1, 1, 1, 2, 0, 0)  # record 0 updated; record 1's older left out
    assert outputs(out) == {
        "7046518160811425812.md": markdown(newer),
        "7046518160811425813.md": markdown(version(1, T1)),
    }
    again = batch.convert([first, second], to="markdown", out=out, jobs=1)
    assert counts(again) == (0, 0, 2, 2, 0, 0)


@pytest.mark.parametrize("jobs", [1, 2])
def test_within_a_run_the_newer_wins_whatever_the_order(tmp_path: Path, jobs: int) -> None:
    versions = [version(0, t, seed=s) for s, t in enumerate((T2, T1, T3))]
    filler = [version(i, T1) for i in range(1, 300)]  # past a chunk: across workers
    for order in ("newest last", "newest first"):
        records = [versions[0], *filler, versions[1], versions[2]]
        if order == "newest first":
            records.reverse()
        out = tmp_path / order
        summary = batch.convert(
            [lines(tmp_path / "a.jsonl", *records)], to="text", out=out, jobs=jobs
        )
        assert counts(summary) == (300, 0, 0, 2, 0, 0), order
        assert (out / "7046518160811425812.txt").read_text() == okrcontent.to_text(
            okrcontent.load_record(versions[2])
        )


def test_the_same_version_twice_is_reported(tmp_path: Path) -> None:
    record = version(0, T1)
    twin = {**version(0, T1, seed=5)}  # other content, the same modify_time
    summary = batch.convert([lines(tmp_path / "a.jsonl", record, twin)], to="text", out=tmp_path)
    assert counts(summary) == (1, 0, 0, 0, 0, 1)
    assert summary.failures[0].message == (
        "progress_id 7046518160811425812 again, with the same modify_time: "
        "the first record's output is kept"
    )
    assert summary.failures[0].location == f"{tmp_path / 'a.jsonl'}:2"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    status = main(list(args))
    return status, capsys.readouterr().err.splitlines()


def test_a_rerun_with_other_options_says_how_to_redo_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = lines(tmp_path / "a.jsonl", *(version(i, T1) for i in range(3)))
    (tmp_path / "people.json").write_text(json.dumps({"ou_1": "Alice"}))
    out = str(tmp_path / "out")
    base = ("convert", str(archive), "--to", "html", "-o", out)
    assert cli(capsys, *base)[0] == 0
    status, err = cli(capsys, *base, "--people", str(tmp_path / "people.json"), "--no-standalone")
    assert status == 0
    assert err[0].startswith("0 converted, 0 already there, 3 made with other options, 0 failed")
    assert err[1] == (
        "okrcontent: 3 outputs there were made with other options (--people, --standalone); "
        "--overwrite converts them again with these"
    )
    status, err = cli(capsys, *base, "--people", str(tmp_path / "people.json"), "--overwrite")
    assert err[0].startswith("3 converted, 0 already there, 0 failed")
    status, err = cli(capsys, *base, "--people", str(tmp_path / "people.json"))
    assert err[0].startswith("0 converted, 3 already there, 0 failed")


def test_another_name_template_replaces_the_old_files_with_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = lines(tmp_path / "a.jsonl", version(0, T1), version(1, T2))
    out = tmp_path / "out"
    base = ("convert", str(archive), "--to", "markdown", "-o", str(out))
    cli(capsys, *base)
    template = ("--name", "{modified:%Y-%m-%d}_{progress_id}")
    status, err = cli(capsys, *base, *template)
    assert status == 0
    assert "(--name); --overwrite converts them again" in err[1]
    assert sorted(outputs(out)) == ["7046518160811425812.md", "7046518160811425813.md"]
    cli(capsys, *base, *template, "--overwrite")
    assert sorted(outputs(out)) == [
        "2023-11-14_7046518160811425812.md",
        "2023-11-14_7046518160811425813.md",
    ]
    newer = lines(tmp_path / "b.jsonl", version(1, T2 + 86_400_000, seed=2))
    _, err = cli(capsys, *base[:2], str(newer), *base[2:], *template)
    assert err[0].startswith("1 converted (1 replacing an older output), 1 already there")
    assert sorted(outputs(out)) == [
        "2023-11-14_7046518160811425812.md",
        "2023-11-15_7046518160811425813.md",  # the newer version's name; the old file gone
    ]


def test_records_that_get_one_name_are_reported_like_duplicates(tmp_path: Path) -> None:
    records = [version(i, T1) for i in range(3)]
    for record in records:
        record["progress_rate"] = {"percent": 10, "status": 1}
    archive = lines(tmp_path / "a.jsonl", *records)
    summary = batch.convert([archive], to="text", out=tmp_path / "out", name="{status}")
    assert counts(summary) == (1, 0, 0, 0, 0, 2)
    assert summary.failures[0].message == (
        "at_risk.txt: also the name of progress_id 7046518160811425812's output: "
        "the first record's output is kept"
    )
    later = lines(tmp_path / "b.jsonl", version(5, T1))  # in a later run: the name is taken
    later_records = json.loads(later.read_text())
    later_records["progress_rate"] = {"status": 1}
    lines(later, later_records)
    summary = batch.convert([later], to="text", out=tmp_path / "out", name="{status}")
    assert [f.message.split(":")[0] for f in summary.failures] == ["at_risk.txt"]
    with pytest.raises(ValueError, match="would leave the output folder"):
        batch.convert([later], to="text", out=tmp_path / "out", name="../{progress_id}")


def test_a_file_no_run_made_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "7046518160811425812.md").write_text("my own notes\n")
    archive = lines(tmp_path / "a.jsonl", version(0, T1), version(0, T2))
    summary = batch.convert([archive], to="markdown", out=out)
    assert counts(summary) == (0, 0, 1, 1, 0, 0)
    assert (out / "7046518160811425812.md").read_text() == "my own notes\n"
    batch.convert([archive], to="markdown", out=out, overwrite=True)
    assert (out / "7046518160811425812.md").read_text() == markdown(version(0, T2))


def test_what_a_kill_leaves_in_the_manifest_is_redone(tmp_path: Path) -> None:
    """A kill between the manifest line and the rename leaves a line for a missing output;
    a kill in the middle of a line leaves half a line. The next run is right about both."""
    out = tmp_path / "out"
    archive = lines(tmp_path / "a.jsonl", *(version(i, T1) for i in range(3)))
    batch.convert([archive], to="markdown", out=out)
    (out / "7046518160811425813.md").unlink()  # its line was written, the rename was not
    with (out / MANIFEST_NAME).open("a") as stream:
        stream.write('{"to": "markdown", "id": "7046518160811425814", "modi')
    summary = batch.convert([archive], to="markdown", out=out)
    assert counts(summary) == (1, 0, 2, 0, 0, 0)
    assert outputs(out)["7046518160811425813.md"] == markdown(version(1, T1))
    written = (out / MANIFEST_NAME).read_text().splitlines()
    assert written[-2].endswith('"modi')  # the cut line stays alone, ignored
    assert json.loads(written[-1])["id"] == "7046518160811425813"
    manifest = ManifestFile(str(out)).read()
    assert len(manifest) == 3
    assert manifest.get("markdown", 7046518160811425813) == Entry(T1, 1, "7046518160811425813.md")


def test_the_manifest_is_compacted_when_mostly_old(tmp_path: Path) -> None:
    folder = ManifestFile(str(tmp_path))
    options = {"to": "text", "name": "{progress_id}"}
    history = [json.dumps({"options": 1, **options})]
    history += [
        json.dumps({"to": "text", "id": "7", "modified": str(t), "name": "7.txt", "options": 1})
        for t in range(2500)
    ]
    (tmp_path / MANIFEST_NAME).write_text("\n".join(history) + "\n")
    manifest = folder.read()
    assert manifest.get("text", 7) == Entry(2499, 1, "7.txt")
    kept = (tmp_path / MANIFEST_NAME).read_text().splitlines()
    assert len(kept) == 3  # the version line, the options, the one entry
    assert Manifest.parse(kept).get("text", 7) == Entry(2499, 1, "7.txt")


def test_the_manifest_keeps_what_it_does_not_know(tmp_path: Path) -> None:
    text = [
        '{"manifest": 1}',
        '{"options": 1, "to": "post", "name": "{progress_id}", "future": true}',
        '{"to": "post", "id": "007", "modified": "1", "name": "007.post.json", "options": 1}',
        '{"to": "post", "id": "8", "modified": "1", "name": "x", "options": 2}',  # no options 2
        "[1, 2]",
        '{"to": "post", "id": 9, "modified": "1", "name": "x", "options": 1}',  # an id not text
    ]
    manifest = Manifest.parse(text)
    assert len(manifest) == 1
    assert manifest.get("post", "007") == Entry(1, 1, "007.post.json")
    assert Manifest.parse(manifest.dump()).get("post", "007") == Entry(1, 1, "007.post.json")
    assert manifest.options[1]["future"] is True


class _AsyncNames(dict[str, str]):
    """A directory whose names must be awaited (as ``AsyncDirectory``'s)."""

    async def prefetch(self, ids: Any) -> None:  # pragma: no cover - never called
        pass


def test_people_a_batch_cannot_carry_to_its_workers_is_refused(tmp_path: Path) -> None:
    archive = lines(tmp_path / "a.jsonl", version(0, T1))
    with pytest.raises(TypeError, match="a mapping or a directory"):
        batch.convert([archive], to="text", out=tmp_path / "out", people=str.upper)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not an AsyncDirectory"):
        batch.convert([archive], to="text", out=tmp_path / "out", people=_AsyncNames())
    assert not (tmp_path / "out").exists()
