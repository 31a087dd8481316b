"""Worker processes die when the pool shuts them down: a run never waits on one."""

from __future__ import annotations

import signal

from retell_lint import pool
from retell_lint.safe_io import interruptible
from retell_lint.source import Source


def _dispositions(bounds: tuple[int, int]) -> list[object]:
    start, end = bounds
    return [(signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT))] * (end - start)


def _named(bounds: tuple[int, int]) -> list[str]:
    # A worker reads its files from what it inherited: only the bounds are sent.
    assert pool._JOB is not None
    return [f"linted {source.name}" for source in pool._JOB[2][bounds[0] : bounds[1]]]


def test_workers_die_of_sigterm_and_leave_ctrl_c_to_the_parent(monkeypatch):
    # The parent's SIGTERM handler raises; a worker inheriting it would not die when
    # the pool shuts down, and could hang the run holding the pool's queue lock.
    monkeypatch.setattr(pool, "_lint_slice", _dispositions)
    sources = [Source(f"n{index}.yaml", "") for index in range(40)]
    with interruptible():
        assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None)
        done = list(pool.lint_in_workers(sources, None, (), 2, lambda mine: None))  # type: ignore[arg-type]
    assert done and {entry for _source, entry in done} == {(signal.SIG_DFL, signal.SIG_IGN)}


def test_the_files_are_shared_between_the_workers_and_this_process_in_order(monkeypatch):
    monkeypatch.setattr(pool, "_lint_slice", _named)
    sources = [Source(f"n{index:03d}.yaml", "") for index in range(300)]
    for jobs in (2, 3, 5):
        here: list[Source] = []
        done = list(pool.lint_in_workers(sources, None, (), jobs, here.extend))  # type: ignore[arg-type]
        # The workers take the first files, this process the rest: each file once.
        assert [source for source, _entry in done] + here == sources
        assert all(entry == f"linted {source.name}" for source, entry in done)
        assert 0 < len(here) < len(sources) / jobs


def test_one_job_lints_everything_here():
    sources = [Source("a.yaml", ""), Source("b.yaml", "")]
    here: list[Source] = []
    assert list(pool.lint_in_workers(sources, None, (), 1, here.extend)) == []  # type: ignore[arg-type]
    assert here == sources
