"""The one way okrcontent writes a file: atomic for regular files, through for devices,
pipes and symbolic links, with the umask's mode, and nothing left behind on failure."""

from __future__ import annotations

import os
import resource
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from okrcontent import ContentError
from okrcontent.files import TEMPORARY_PREFIX, utf8, write_file, write_temporary


@pytest.fixture
def umask_027() -> Iterator[None]:
    previous = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(previous)


def test_a_new_file_gets_the_umask_s_mode(tmp_path: Path, umask_027: None) -> None:
    write_file(tmp_path / "new.txt", b"x")
    assert (tmp_path / "new.txt").read_bytes() == b"x"
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
    temporary = write_temporary(str(tmp_path), b"y")
    assert stat.S_IMODE(os.stat(temporary).st_mode) == 0o640
    assert Path(temporary).name.startswith(TEMPORARY_PREFIX)


def test_a_regular_file_is_replaced_whole_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old content, longer than the new")
    target.chmod(0o604)
    inode = target.stat().st_ino
    write_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_ino != inode  # renamed over, not rewritten in place
    assert stat.S_IMODE(target.stat().st_mode) == 0o604
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another owner")
def test_a_file_written_over_keeps_its_owner(tmp_path: Path) -> None:
    target = tmp_path / "theirs.txt"
    target.write_bytes(b"old")
    os.chown(target, 65534, 65534)
    write_file(target, b"new")
    assert (target.stat().st_uid, target.stat().st_gid) == (65534, 65534)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any file")
def test_a_file_the_caller_may_not_write_is_refused_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "protected.txt"
    target.write_bytes(b"keep me")
    target.chmod(0o444)
    with pytest.raises(PermissionError):
        write_file(target, b"new")
    assert target.read_bytes() == b"keep me"


def test_a_symbolic_link_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "target.md").write_text("old")
    (tmp_path / "link.md").symlink_to("real/target.md")
    (tmp_path / "dangling.md").symlink_to("real/new.md")
    write_file(tmp_path / "link.md", b"through the link")
    write_file(tmp_path / "dangling.md", b"created at the target")
    assert (tmp_path / "link.md").is_symlink()
    assert (tmp_path / "real" / "target.md").read_bytes() == b"through the link"
    assert (tmp_path / "real" / "new.md").read_bytes() == b"created at the target"
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["new.md", "target.md"]


def test_a_named_pipe_gets_the_content_and_stays_a_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_file(fifo, b"into the pipe")
    reader.join(timeout=60)
    assert received == [b"into the pipe"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.skipif(not os.access("/dev/null", os.W_OK), reason="no writable /dev/null")
def test_a_device_is_written_through() -> None:
    write_file("/dev/null", b"nothing")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_errors_name_the_path_given_and_leave_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as missing:
        write_file(tmp_path / "no" / "such" / "folder.txt", b"x")
    assert missing.value.filename == str(tmp_path / "no" / "such" / "folder.txt")
    assert missing.value.strerror == "No such file or directory"
    with pytest.raises(IsADirectoryError):
        write_file(tmp_path, b"x")
    assert list(tmp_path.iterdir()) == []


def test_a_write_the_system_refuses_part_way_leaves_no_temporary(tmp_path: Path) -> None:
    """``RLIMIT_FSIZE`` makes the kernel refuse the write after 1,000 bytes (EFBIG; Python
    ignores SIGXFSZ), as a full disk refuses it with ENOSPC: the same path out."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1000, hard))
    try:
        with pytest.raises(OSError, match="File too large"):
            write_file(tmp_path / "big.txt", b"x" * 5000)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert list(tmp_path.iterdir()) == []


def test_text_that_has_no_utf8_is_a_content_error() -> None:
    assert utf8("中文 ok") == "中文 ok".encode()
    with pytest.raises(ContentError) as error:
        utf8("ab\ud800")
    assert str(error.value) == (
        "cannot be written as UTF-8: '\\ud800' (a lone surrogate) at character 2 of the output"
    )
