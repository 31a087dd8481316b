"""Worker processes for a cold run on many files.

Workers are forked, so they start with the parent's rules, checks, configuration
and the files' texts already loaded. The files are cut into batches; this process
hands the first ones out to the workers, a few ahead, and lints the last ones itself,
until the two ends meet: however fast each process turns out to be, they finish
together. A worker sends back each batch's results, the same plain data the cache
keeps (:mod:`retell_lint.facts`), through a pipe of its own; this process decodes
them between its own batches. The caller puts every file back in the files' order,
so the report is the one a single process gives. Where processes cannot be forked,
the files are linted in this process.

Plain ``os.fork`` and pipes, not :mod:`multiprocessing`: its import and its pool's
threads and queues cost as much as linting a hundred files, and a pre-commit run
or a CI lint of a few hundred files is exactly where that shows.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from retell_lint.forked import DONE, RESULTS, TASK, Worker, read_exactly, run_child, send

if TYPE_CHECKING:
    from retell_lint.engine import Checks
    from retell_lint.source import Source

# Files in a batch: a few milliseconds of work, so the processes finish close together
# and messages stay cheap.
BATCH = 24
# Batches a worker is given ahead of the one it lints: it never waits for the next.
AHEAD = 3
# What a forked worker inherits: set just before the workers start (the files among
# them: a worker is told only where each of its batches starts and ends).
_JOB: tuple[Checks, Collection[str], Sequence[Source]] | None = None


def _lint_slice(bounds: tuple[int, int]) -> list[Any]:
    from retell_lint.engine import lint_file
    from retell_lint.facts import encode_entry

    assert _JOB is not None
    checks, fields, sources = _JOB
    start, end = bounds
    return [encode_entry(lint_file(source, checks), fields) for source in sources[start:end]]


def lint_in_workers(
    sources: Sequence[Source],
    checks: Checks,
    fields: Collection[str],
    jobs: int,
    lint_here: Callable[[Sequence[Source]], None],
) -> Iterator[tuple[Source, Any]]:
    """Lint ``sources`` on ``jobs`` cores: ``jobs - 1`` worker processes take batches
    from the front, this process takes them from the back with ``lint_here``. Yields
    each file the workers linted, with its cache entry, as its batch arrives (in no
    particular order); every file is either yielded or given to ``lint_here``, once."""
    global _JOB
    if jobs < 2 or not hasattr(os, "fork"):
        lint_here(sources)
        return
    batches = [(at, min(at + BATCH, len(sources))) for at in range(0, len(sources), BATCH)]
    front, back = 0, len(batches)  # batches[front:back] are nobody's yet
    workers: list[Worker] = []
    _JOB = (checks, fields, sources)
    try:
        for _ in range(jobs - 1):
            try:
                workers.append(Worker.start(workers, _serve))
            except OSError:  # no process to spare (EAGAIN, ENOMEM): fewer workers
                break
        _JOB = None
        while front < back:
            for worker in workers:
                for start, entries in worker.arrived():
                    yield from zip(sources[start : start + len(entries)], entries, strict=True)
                while worker.given < AHEAD and front < back:
                    worker.give(*batches[front])
                    front += 1
            if front < back:
                back -= 1
                start, end = batches[back]
                lint_here(sources[start:end])
        for worker in workers:
            worker.give_no_more()
        for worker in workers:
            for start, entries in worker.rest():
                yield from zip(sources[start : start + len(entries)], entries, strict=True)
    finally:
        _JOB = None
        for worker in workers:
            worker.stop()


def _serve(tasks: int, results: int) -> None:  # pragma: no cover - in the child
    """Lint each batch this worker is given and send its results, until told there are
    no more (or this process's parent is gone)."""

    def batches() -> None:
        import gc
        import marshal

        # The parent's objects are not this worker's garbage: collections leave them
        # alone, so they do not copy every page the worker shares with the parent.
        gc.freeze()
        while True:
            task = read_exactly(tasks, TASK.size)
            if len(task) < TASK.size:
                return  # the parent is gone
            start, end = TASK.unpack(task)
            if start > end:
                send(results, DONE, 0, b"")
                return
            send(results, RESULTS, start, marshal.dumps(_lint_slice((start, end))))

    run_child(results, batches)
