"""Worker processes: the files shared out in order, failures reported, never waited on."""

from __future__ import annotations

import os
import signal

import pytest

from retell_lint import forked, pool
from retell_lint.safe_io import interruptible
from retell_lint.source import Source


def _dispositions(bounds: tuple[int, int]) -> list[object]:
    start, end = bounds
    handlers = (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT))
    return [[int(handler) for handler in handlers]] * (end - start)  # type: ignore[arg-type]


def _named(bounds: tuple[int, int]) -> list[str]:
    # A worker reads its files from what it inherited: only the bounds are known to it.
    assert pool._JOB is not None
    return [f"linted {source.name}" for source in pool._JOB[2][bounds[0] : bounds[1]]]


def _sources(count: int) -> list[Source]:
    return [Source(f"n{index:03d}.yaml", "phone_number: x\n") for index in range(count)]


def test_workers_die_of_sigterm_and_leave_ctrl_c_to_the_parent(monkeypatch):
    # The parent's SIGTERM handler raises; a worker inheriting it would unwind into the
    # parent's cleanup and output instead of ending.
    monkeypatch.setattr(pool, "_lint_slice", _dispositions)
    with interruptible():
        assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None)
        done = list(pool.lint_in_workers(_sources(40), None, (), 2, lambda mine: None))  # type: ignore[arg-type]
    assert done
    assert {tuple(entry) for _source, entry in done} == {(signal.SIG_DFL, signal.SIG_IGN)}


def _slow_named(bounds: tuple[int, int]) -> list[str]:
    import time

    time.sleep(0.002)
    return _named(bounds)


def test_every_file_is_linted_once_by_a_worker_or_by_this_process(monkeypatch):
    monkeypatch.setattr(pool, "_lint_slice", _slow_named)
    sources = _sources(900)
    for jobs in (2, 3, 5):
        here: list[Source] = []

        def lint_here(batch: list[Source], here: list[Source] = here) -> None:
            __import__("time").sleep(0.002)
            here.extend(batch)

        done = list(pool.lint_in_workers(sources, None, (), jobs, lint_here))  # type: ignore[arg-type]
        linted = [source for source, _entry in done] + here
        assert sorted(linted, key=lambda source: source.name) == sources
        assert all(entry == f"linted {source.name}" for source, entry in done)
        # Workers take batches from the front, this process from the back.
        assert here and done
        assert max(sources.index(s) for s, _entry in done) < min(map(sources.index, here))


def test_a_fast_worker_takes_more_batches_than_a_slow_parent(monkeypatch):
    monkeypatch.setattr(pool, "_lint_slice", _named)
    sources = _sources(960)
    here: list[Source] = []

    def slow_here(batch: list[Source]) -> None:
        __import__("time").sleep(0.02)
        here.extend(batch)

    done = list(pool.lint_in_workers(sources, None, (), 2, slow_here))  # type: ignore[arg-type]
    assert len(done) + len(here) == len(sources)
    assert len(done) > 2 * len(here)


def _large(bounds: tuple[int, int]) -> list[object]:
    start, end = bounds
    return [f"{index}:" + "x" * 50_000 for index in range(start, end)]


def test_results_many_times_larger_than_the_pipe_arrive_whole_and_in_order(monkeypatch):
    # 15 MB through a 1 MB pipe: read between this process's batches and at the end.
    monkeypatch.setattr(pool, "_lint_slice", _large)
    sources = _sources(600)
    here: list[Source] = []
    done = list(pool.lint_in_workers(sources, None, (), 2, here.extend))  # type: ignore[arg-type]
    assert sorted([source for source, _entry in done] + here, key=lambda s: s.name) == sources
    assert sorted(entry for _source, entry in done) == sorted(_large((0, len(done))))


def _raising(bounds: tuple[int, int]) -> list[object]:
    raise ValueError("no such thing")


def _dying(bounds: tuple[int, int]) -> list[object]:
    os.kill(os.getpid(), signal.SIGKILL)
    return []


@pytest.mark.parametrize(
    ("lint_slice", "message"),
    [
        (_raising, "a worker process failed: ValueError: no such thing"),
        (_dying, "a worker process ended early (killed by signal 9)"),
    ],
)
def test_a_failed_worker_is_an_error_not_a_shorter_report(monkeypatch, lint_slice, message):
    monkeypatch.setattr(pool, "_lint_slice", lint_slice)
    with pytest.raises(forked.WorkerFailed) as raised:
        list(pool.lint_in_workers(_sources(300), None, (), 2, lambda mine: None))  # type: ignore[arg-type]
    assert str(raised.value) == message
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every worker reaped


def test_an_interrupted_parent_ends_its_workers(monkeypatch):
    monkeypatch.setattr(pool, "_lint_slice", _named)

    def interrupted(mine: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        list(pool.lint_in_workers(_sources(300), None, (), 3, interrupted))  # type: ignore[arg-type]
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_without_a_process_to_spare_the_files_are_linted_here(monkeypatch):
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    sources = _sources(300)
    here: list[Source] = []
    assert list(pool.lint_in_workers(sources, None, (), 2, here.extend)) == []  # type: ignore[arg-type]
    assert sorted(here, key=lambda source: source.name) == sources
    assert len(here) == len(sources)


def test_one_job_lints_everything_here():
    sources = [Source("a.yaml", ""), Source("b.yaml", "")]
    here: list[Source] = []
    assert list(pool.lint_in_workers(sources, None, (), 1, here.extend)) == []  # type: ignore[arg-type]
    assert here == sources


def test_one_off_work_in_a_worker_comes_back_as_plain_data():
    parent = os.getpid()
    waiting = forked.in_a_worker(lambda: {"pid": os.getpid(), "items": [1, "two", None]})
    result = waiting()
    assert result["items"] == [1, "two", None] and result["pid"] != parent
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_one_off_work_that_fails_is_an_error(monkeypatch):
    def failing() -> object:
        raise OSError("disk on fire")

    with pytest.raises(forked.WorkerFailed, match="a worker process failed: OSError: disk on fire"):
        forked.in_a_worker(failing)()


def test_one_off_work_without_a_process_to_spare_runs_here(monkeypatch):
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert forked.in_a_worker(lambda: os.getpid())() == os.getpid()
