"""Reading the files of a run: two processes read a long list exactly as one does."""

from __future__ import annotations

import os
from pathlib import Path

from retell_lint import loading
from retell_lint.loading import PARALLEL_READ, load_sources


def _tree(root: Path, count: int) -> list[str]:
    names = []
    for index in range(count):
        path = root / f"n{index:05d}.yaml"
        names.append(str(path))
        if index % 700 == 3:
            path.write_bytes(b"nickname: \xff\n")  # undecodable: an RL001 hit
        elif index % 700 == 5:
            os.mkfifo(path)  # not a regular file: an error, never a wait
        elif index % 700 == 7:
            path.write_bytes(b"\xef\xbb\xbfnickname: bom\n")
        else:
            path.write_text(f'phone_number: "+1415555{index:04d}"\n', encoding="utf-8")
    return names


def _plain(loaded: tuple[list, list, list]) -> tuple[list, list, list]:
    sources, hits, errors = loaded
    return (
        [(s.name, s.text, s.bom, s.undecodable) for s in sources],
        [(h.rule, h.message, tuple(h.span), h.file) for h in hits],
        [(e.file, e.message) for e in errors],
    )


def test_two_processes_read_what_one_reads_in_the_same_order(tmp_path: Path) -> None:
    names = _tree(tmp_path, PARALLEL_READ + 100)
    listed = frozenset(names[::2])  # a listing's plain files and named ones alike
    one_keys: dict[str, str] = {}
    two_keys: dict[str, str] = {}
    one = _plain(load_sources(names, None, one_keys, listed, jobs=1))
    two = _plain(load_sources(names, None, two_keys, listed, jobs=2))
    assert one == two
    assert one_keys == two_keys and len(one_keys) == len(one[0]) - len(one[1])
    # Files 3, 703 and 1403 are undecodable, 5, 705 and 1405 FIFOs: both halves hold some.
    assert [hit[3][-10:] for hit in one[1]] == ["00003.yaml", "00703.yaml", "01403.yaml"]
    assert [error[0][-10:] for error in one[2]] == ["00005.yaml", "00705.yaml", "01405.yaml"]


def test_a_short_list_is_read_here(tmp_path: Path, monkeypatch) -> None:
    names = _tree(tmp_path, 20)

    def no_worker(work: object) -> object:
        raise AssertionError("no worker for 20 files")

    monkeypatch.setattr("retell_lint.forked.in_a_worker", no_worker)
    sources, hits, errors = load_sources(names, None, None, (), jobs=4)
    assert len(sources) == 19 and len(hits) == 1 and len(errors) == 1
    assert loading.PARALLEL_READ > 20


def test_work_of_its_own_is_done_while_the_worker_reads(tmp_path: Path) -> None:
    names = _tree(tmp_path, PARALLEL_READ + 10)
    done: list[int] = []
    one = _plain(load_sources(names, None, None, (), jobs=1, meanwhile=lambda: done.append(1)))
    two = _plain(load_sources(names, None, None, (), jobs=2, meanwhile=lambda: done.append(2)))
    assert one == two and done == [1, 2]


def test_a_failure_meanwhile_leaves_no_worker_behind(tmp_path: Path) -> None:
    import pytest

    names = _tree(tmp_path, PARALLEL_READ)

    def failing() -> None:
        raise OSError("cache folder on fire")

    with pytest.raises(OSError, match="on fire"):
        load_sources(names, None, None, (), jobs=2, meanwhile=failing)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
