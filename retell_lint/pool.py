"""Worker processes for a cold run on many files.

Workers are forked, so they start with the parent's rules, checks, configuration
and the files' texts already loaded; each lints one contiguous part of the files
and sends back, through a pipe of its own, the same plain data the cache keeps
(:mod:`retell_lint.facts`), a few files at a time. The parent puts the results back
in the files' order, so the report is the one a single process gives. Where
processes cannot be forked, the files are linted in this process.

Plain ``os.fork`` and pipes, not :mod:`multiprocessing`: its import and its pool's
threads and queues cost as much as linting a hundred files, and a pre-commit run
or a CI lint of a few hundred files is exactly where that shows.
"""

from __future__ import annotations

import contextlib
import os
import struct
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from retell_lint.engine import Checks
    from retell_lint.source import Source

# The share of an even split this process lints itself besides decoding the workers'
# files (most of which it decodes while the workers finish their last ones).
HERE_SHARE = 0.9
# Files a worker lints between two messages: few enough that the parent can decode
# early results while the worker goes on, enough that messages stay cheap.
BATCH = 32
# What a forked worker inherits: set just before the workers start (the workers'
# files among them: a worker is told only where its part starts and ends).
_JOB: tuple[Checks, Collection[str], Sequence[Source]] | None = None
# A message: its kind, then the length of its marshal-encoded body.
_HEADER = struct.Struct("<cI")
_RESULTS, _FAILED, _DONE = b"R", b"F", b"D"
# Large enough that a worker never waits for the parent (which reads only once it
# has linted its own share); Linux allows this much to anyone.
_PIPE_SIZE = 1 << 20


class WorkerFailed(RuntimeError):
    """A worker process raised, or ended without sending all its results."""


def _lint_slice(bounds: tuple[int, int]) -> list[Any]:
    from retell_lint.engine import lint_file
    from retell_lint.facts import encode_entry

    assert _JOB is not None
    checks, fields, sources = _JOB
    start, end = bounds
    return [encode_entry(lint_file(source, checks), fields) for source in sources[start:end]]


def _worker_signals() -> None:
    """A worker dies of SIGTERM and ignores SIGINT, whatever the parent installed.

    The parent turns SIGTERM into an exception (cleanup runs) and gets Ctrl-C itself;
    a forked worker inheriting that handler would unwind into the parent's code (its
    cleanup, its output) instead of ending."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def lint_in_workers(
    sources: Sequence[Source],
    checks: Checks,
    fields: Collection[str],
    jobs: int,
    lint_here: Callable[[Sequence[Source]], None],
) -> Iterator[tuple[Source, Any]]:
    """Lint ``sources`` on ``jobs`` cores: ``jobs - 1`` worker processes take the first
    files, this process takes the last ones with ``lint_here`` meanwhile (its files
    need no encoding, sending and decoding). Yields the workers' files, each with its
    cache entry, in the order given, as they arrive."""
    global _JOB
    if jobs < 2 or not hasattr(os, "fork"):
        lint_here(sources)
        return
    here = int(len(sources) * HERE_SHARE / jobs)
    there, mine = sources[: len(sources) - here], sources[len(sources) - here :]
    parts = _parts(there, jobs - 1)
    workers: list[_Worker] = []
    unstarted: list[Source] = []
    _JOB = (checks, fields, there)
    try:
        for start, end in parts:
            try:
                workers.append(_Worker.start(start, end, workers))
            except OSError:  # no process to spare (EAGAIN, ENOMEM): linted here
                unstarted.extend(there[start:end])
        _JOB = None
        lint_here([*unstarted, *mine])
        for worker in workers:
            for start, entries in worker.results():
                yield from zip(there[start : start + len(entries)], entries, strict=True)
    finally:
        _JOB = None
        for worker in workers:
            worker.stop()


def _parts(sources: Sequence[Source], count: int) -> list[tuple[int, int]]:
    """``count`` contiguous parts of ``sources`` of about the same amount of text."""
    total = sum(len(source.text) for source in sources) or 1
    bounds = [0]
    reached = 0
    for index, source in enumerate(sources):
        reached += len(source.text)
        if len(bounds) < count and reached * count >= total * len(bounds):
            bounds.append(index + 1)
    while len(bounds) < count:
        bounds.append(len(sources))
    bounds.append(len(sources))
    return [(bounds[i], bounds[i + 1]) for i in range(count) if bounds[i] < bounds[i + 1]]


class _Worker:
    """One forked process linting ``sources[start:end]`` of the job, and its pipe."""

    def __init__(self, pid: int, reader: int, start: int) -> None:
        self.pid, self.reader, self.start_at = pid, reader, start
        self.ended = False

    @classmethod
    def start(cls, start: int, end: int, others: Sequence[_Worker]) -> _Worker:
        reader, writer = os.pipe()
        try:
            import fcntl

            fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
        except (ImportError, AttributeError, OSError):
            pass  # a smaller pipe: the worker waits for the parent now and then
        try:
            pid = os.fork()
        except OSError:
            os.close(reader)
            os.close(writer)
            raise
        if pid == 0:  # pragma: no cover - runs in the child, which never returns
            os.close(reader)
            for other in others:
                os.close(other.reader)
            _serve(writer, start, end)
        os.close(writer)
        return cls(pid, reader, start)

    def results(self) -> Iterator[tuple[int, list[Any]]]:
        """Each batch of results (where it starts, its entries) in order; raises
        WorkerFailed when the worker failed or ended before sending them all."""
        import marshal

        at = self.start_at
        while True:
            header = self._read(_HEADER.size)
            if len(header) < _HEADER.size:
                raise WorkerFailed(f"a worker process ended early ({self._end()})")
            kind, size = _HEADER.unpack(header)
            body = self._read(size)
            if len(body) < size:
                raise WorkerFailed(f"a worker process ended early ({self._end()})")
            if kind == _DONE:
                return
            if kind == _FAILED:
                raise WorkerFailed(f"a worker process failed: {body.decode('utf-8', 'replace')}")
            entries = marshal.loads(body)
            yield at, entries
            at += len(entries)

    def _read(self, size: int) -> bytes:
        chunks: list[bytes] = []
        left = size
        while left:
            chunk = os.read(self.reader, min(left, _PIPE_SIZE))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _end(self) -> str:
        """How the worker ended (it is reaped here)."""
        _pid, status = os.waitpid(self.pid, 0)
        self.ended = True
        if os.WIFSIGNALED(status):
            return f"killed by signal {os.WTERMSIG(status)}"
        return f"exit status {os.waitstatus_to_exitcode(status)}"

    def stop(self) -> None:
        """Close the pipe, end the worker if it still runs and reap it."""
        os.close(self.reader)
        if self.ended:
            return
        import signal

        try:
            done, _status = os.waitpid(self.pid, os.WNOHANG)
            if done == 0:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self.ended = True


def _serve(writer: int, start: int, end: int) -> None:  # pragma: no cover - in the child
    """The worker's whole life: lint its part a batch at a time, send each batch, end
    without running the parent's exit handlers or flushing its buffered output."""
    code = 0
    try:
        import gc
        import marshal

        # The parent's objects are not this worker's garbage: collections leave them
        # alone, so they do not copy every page the worker shares with the parent.
        gc.freeze()
        _worker_signals()
        for at in range(start, end, BATCH):
            entries = _lint_slice((at, min(at + BATCH, end)))
            _send(writer, _RESULTS, marshal.dumps(entries))
        _send(writer, _DONE, b"")
    except BaseException as exc:  # everything is reported to the parent
        code = 1
        # Should even that fail, the parent sees the pipe end early.
        with contextlib.suppress(BaseException):
            _send(writer, _FAILED, f"{type(exc).__name__}: {exc}".encode("utf-8", "replace"))
    finally:
        os._exit(code)


def _send(writer: int, kind: bytes, body: bytes) -> None:
    data = memoryview(_HEADER.pack(kind, len(body)) + body)
    while data:
        data = data[os.write(writer, data) :]
