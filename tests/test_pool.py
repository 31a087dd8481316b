"""Worker processes die when the pool shuts them down: a run never waits on one."""

from __future__ import annotations

import signal

from retell_lint import pool
from retell_lint.safe_io import interruptible
from retell_lint.source import Source


def _dispositions(items: list[tuple[str, str]]) -> list[object]:
    return [(signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) for _ in items]


def test_workers_die_of_sigterm_and_leave_ctrl_c_to_the_parent(monkeypatch):
    # The parent's SIGTERM handler raises; a worker inheriting it would not die when
    # the pool shuts down, and could hang the run holding the pool's queue lock.
    monkeypatch.setattr(pool, "_lint_slice", _dispositions)
    sources = [Source(f"n{index}.yaml", "") for index in range(40)]
    with interruptible():
        assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None)
        seen = pool.lint_in_workers(sources, None, (), 2)  # type: ignore[arg-type]
    assert set(seen) == {(signal.SIG_DFL, signal.SIG_IGN)}
