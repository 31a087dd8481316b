"""safe_io on its own: what it reads, what it refuses, how it writes."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from retell_lint import safe_io
from retell_lint.errors import FatalError

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs, modes and links")


def test_reads_a_regular_file_up_to_its_cap(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"x" * 10)
    assert safe_io.read_bytes(str(path), what="the input", limit=10) == b"x" * 10
    with pytest.raises(FatalError, match="the input is larger than 9 bytes"):
        safe_io.read_bytes(str(path), what="the input", limit=9)


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda p: os.mkfifo(p), "a FIFO"),
        (lambda p: p.mkdir(), "a folder"),
        (lambda p: p.symlink_to(os.devnull), "a character device"),
    ],
)
def test_anything_but_a_regular_file_is_refused_without_blocking(
    tmp_path: Path, make: object, kind: str
) -> None:
    path = tmp_path / "input"
    assert callable(make)
    make(path)
    outcome: list[str] = []

    def read() -> None:
        try:
            safe_io.read_bytes(str(path), what="the input", limit=100)
        except FatalError as exc:
            outcome.append(str(exc))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(10)
    assert outcome == [f"{path}: the input is {kind}, not a regular file"]


def test_a_link_leaving_the_tree_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("key\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "inside").write_text("ok\n")
    (tree / "out").symlink_to(tmp_path / "secret")
    (tree / "in").symlink_to(tree / "inside")
    assert safe_io.read_bytes(str(tree / "in"), what="f", limit=99, inside=str(tree)) == b"ok\n"
    with pytest.raises(FatalError, match="leading outside"):
        safe_io.read_bytes(str(tree / "out"), what="f", limit=99, inside=str(tree))
    # Named outside the tree, a path is the user's choice.
    assert safe_io.read_bytes(str(tmp_path / "secret"), what="f", limit=99, inside=str(tree))


def test_write_keeps_the_mode_and_replaces_atomically(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("old\n")
    path.chmod(0o640)
    safe_io.write_text(str(path), "new\n", what="the file")
    assert path.read_text() == "new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]


def test_a_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        safe_io.write_text(str(tmp_path / "n.txt"), "x", what="the file")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "n.txt").stat().st_mode) == 0o640


def test_write_refuses_links_read_only_files_and_other_kinds(tmp_path: Path) -> None:
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "ro").write_text("keep")
    (tmp_path / "ro").chmod(0o444)
    os.mkfifo(tmp_path / "fifo")
    cases = {
        "link": "is a symbolic link; not written through it",
        "ro": "is read-only; not written",
        "fifo": "is a FIFO; not written",
    }
    for name, message in cases.items():
        with pytest.raises(FatalError, match=message):
            safe_io.write_text(str(tmp_path / name), "x", what="the file")
    assert not (tmp_path / "elsewhere").exists()
    assert (tmp_path / "ro").read_text() == "keep"


def test_write_without_replace_refuses_what_is_there(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("keep")
    with pytest.raises(safe_io.TargetExists):
        safe_io.write_text(str(tmp_path / "a"), "x", what="the file", replace=False)
    assert (tmp_path / "a").read_text() == "keep"
    written: list[str] = []
    safe_io.write_text(str(tmp_path / "b"), "x", what="the file", replace=False, written=written)
    assert written == [str(tmp_path / "b")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_write_into_a_linked_folder_leaving_the_tree_is_refused(tmp_path: Path) -> None:
    tree, outside = tmp_path / "tree", tmp_path / "outside"
    tree.mkdir()
    outside.mkdir()
    (tree / "sub").symlink_to(outside)
    with pytest.raises(FatalError, match="leading outside"):
        safe_io.write_text(str(tree / "sub" / "x"), "x", what="the file", inside=str(tree))
    assert list(outside.iterdir()) == []


def test_a_failed_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fchmod", full)
    with pytest.raises(FatalError, match="cannot write the file: no space left on the device"):
        safe_io.write_text(str(tmp_path / "a"), "x", what="the file")
    assert list(tmp_path.iterdir()) == []


def test_open_append_refuses_a_fifo_and_a_link(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "link").symlink_to(tmp_path / "target")
    with pytest.raises(FatalError, match="the log is a FIFO"):
        safe_io.open_append(str(tmp_path / "fifo"), what="the log")
    with pytest.raises(FatalError, match="cannot open the log"):
        safe_io.open_append(str(tmp_path / "link"), what="the log")
    assert not (tmp_path / "target").exists()
    with safe_io.open_append(str(tmp_path / "log"), what="the log") as stream:
        stream.write("one\n")
    assert stat.S_IMODE((tmp_path / "log").stat().st_mode) == 0o600


def test_a_cut_read_keeps_the_first_bytes(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_bytes(b"abcdef")
    assert safe_io.read_bytes(str(path), what="the report", limit=4, cut=True) == b"abcd"


def test_open_output_empties_a_regular_file_and_refuses_links_and_fifos(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old old old")
    descriptor = safe_io.open_output(str(target), what="the report")
    os.write(descriptor, b"new")
    os.close(descriptor)
    assert target.read_text() == "new"
    (tmp_path / "link").symlink_to(tmp_path / "victim")
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(FatalError, match="cannot open the report"):
        safe_io.open_output(str(tmp_path / "link"), what="the report")
    with pytest.raises(FatalError, match="the report is a FIFO"):
        safe_io.open_output(str(tmp_path / "fifo"), what="the report")
    assert not (tmp_path / "victim").exists()


def test_remove_takes_files_and_links_never_folders(tmp_path: Path) -> None:
    (tmp_path / "kept").write_text("keep")
    (tmp_path / "link").symlink_to(tmp_path / "kept")
    safe_io.remove(str(tmp_path / "link"), what="the report")
    safe_io.remove(str(tmp_path / "missing"), what="the report")
    assert (tmp_path / "kept").read_text() == "keep"
    (tmp_path / "folder").mkdir()
    with pytest.raises(FatalError, match="is a folder; not removed"):
        safe_io.remove(str(tmp_path / "folder"), what="the report")


def test_a_whole_small_file_is_read_in_one_call(tmp_path, monkeypatch):
    # 10,000 files read per run: the read that only learns the end is saved when the
    # file's size says the first read got all of it.
    import os

    from retell_lint.safe_io import read as read_module

    target = tmp_path / "n.yaml"
    target.write_bytes(b"phone_number: x\n" * 10)
    calls = []
    real = os.read

    def counting(fd, size):
        calls.append(size)
        return real(fd, size)

    monkeypatch.setattr(read_module.os, "read", counting)
    data = read_module.read_bytes(str(target), what="the file", limit=1 << 20)
    assert data == target.read_bytes()
    assert len(calls) == 1


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="no /proc here")
def test_a_file_longer_than_its_size_says_is_read_whole():
    # Reads are sized by the file's size; a file that says 0 bytes and holds more
    # (as /proc's do, or one growing while it is read) is still read to its end.
    from retell_lint.safe_io import read as read_module

    assert os.stat("/proc/self/status").st_size == 0
    data = read_module.read_bytes("/proc/self/status", what="the file", limit=1 << 20)
    assert data.startswith(b"Name:") and b"\nPid:" in data


def test_read_listed_reads_small_regular_files_and_leaves_the_rest_to_read_bytes(
    tmp_path: Path,
) -> None:
    from retell_lint.safe_io.read import CHUNK, read_listed

    (tmp_path / "a.yaml").write_bytes(b"phone_number: x\n")
    (tmp_path / "empty.yaml").write_bytes(b"")
    (tmp_path / "large.yaml").write_bytes(b"x" * CHUNK)
    os.mkfifo(tmp_path / "fifo.yaml")
    (tmp_path / "folder.yaml").mkdir()
    assert read_listed(str(tmp_path / "a.yaml"), 1000) == b"phone_number: x\n"
    assert read_listed(str(tmp_path / "empty.yaml"), 1000) == b""
    # Anything else, never an exception and never a wait (the FIFO has no writer).
    for name in ("large.yaml", "fifo.yaml", "folder.yaml", "gone.yaml", "a\0.yaml"):
        assert read_listed(str(tmp_path / name), 10 * CHUNK) is None
    assert read_listed(str(tmp_path / "a.yaml"), 4) is None  # over the limit
