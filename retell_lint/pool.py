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

import contextlib
import os
import struct
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Any

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
# A task: where a batch starts and ends (a start past the end: no more batches).
_TASK = struct.Struct("<II")
# A message: its kind, where its batch starts, the length of its marshal-encoded body.
_HEADER = struct.Struct("<cII")
_RESULTS, _FAILED, _DONE = b"R", b"F", b"D"
# Large enough that a worker seldom waits for this process to read its results.
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
    workers: list[_Worker] = []
    _JOB = (checks, fields, sources)
    try:
        for _ in range(jobs - 1):
            try:
                workers.append(_Worker.start(workers))
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


class _Worker:
    """One forked process linting the batches it is given, and its two pipes."""

    def __init__(self, pid: int, tasks: int, results: int) -> None:
        self.pid, self.tasks, self.results = pid, tasks, results
        self.given = 0  # batches given and not yet answered
        self.ended = False
        # What has been read from the results pipe and not yet taken, from ``taken`` on.
        self.buffer = bytearray()
        self.taken = 0

    @classmethod
    def start(
        cls, others: Sequence[_Worker], serve: Callable[[int, int], None] | None = None
    ) -> _Worker:
        task_reader, task_writer = os.pipe()
        result_reader, result_writer = os.pipe()
        try:
            import fcntl

            fcntl.fcntl(result_writer, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
        except (ImportError, AttributeError, OSError):
            pass  # a smaller pipe: the worker waits for this process now and then
        try:
            pid = os.fork()
        except OSError:
            for descriptor in (task_reader, task_writer, result_reader, result_writer):
                os.close(descriptor)
            raise
        if pid == 0:  # pragma: no cover - runs in the child, which never returns
            os.close(task_writer)
            os.close(result_reader)
            for other in others:
                os.close(other.tasks)
                os.close(other.results)
            (serve or _serve)(task_reader, result_writer)
        os.close(task_reader)
        os.close(result_writer)
        os.set_blocking(result_reader, False)
        return cls(pid, task_writer, result_reader)

    def give(self, start: int, end: int) -> None:
        self._tell(_TASK.pack(start, end))
        self.given += 1

    def give_no_more(self) -> None:
        self._tell(_TASK.pack(1, 0))

    def _tell(self, task: bytes) -> None:
        try:
            os.write(self.tasks, task)
        except OSError:
            # The worker is gone: its own last word (a failure) if it left one.
            for _batch in self.arrived():
                pass
            raise WorkerFailed(f"a worker process ended early ({self._end()})") from None

    def arrived(self) -> Iterator[tuple[int, list[Any]]]:
        """The batches answered so far, without waiting."""
        if self.taken > _PIPE_SIZE:  # what was taken is dropped now and then
            del self.buffer[: self.taken]
            self.taken = 0
        try:
            while chunk := os.read(self.results, _PIPE_SIZE):
                self.buffer += chunk
        except BlockingIOError:
            pass
        while True:
            message = self._message(wait=False)
            if message is None:
                return
            yield message

    def rest(self) -> Iterator[tuple[int, list[Any]]]:
        """Every batch not answered yet, waiting for each; raises WorkerFailed when the
        worker failed or ended before answering them all."""
        os.set_blocking(self.results, True)
        del self.buffer[: self.taken]
        self.taken = 0
        while self.given:
            message = self._message(wait=True)
            assert message is not None
            yield message
        if self._message(wait=True, done=True) is not None:  # pragma: no cover
            raise WorkerFailed("a worker process sent more than it was given")

    def _message(self, *, wait: bool, done: bool = False) -> tuple[int, list[Any]] | None:
        """The next whole message's batch (None: none whole yet, or the worker is done)."""
        import marshal

        header = self._take(_HEADER.size, wait)
        if header is None:
            return None
        kind, start, size = _HEADER.unpack(header)
        body = self._take(size, wait)
        if body is None:
            self.taken -= _HEADER.size  # the header again, with the body, next time
            return None
        if kind == _FAILED:
            raise WorkerFailed(f"a worker process failed: {body.decode('utf-8', 'replace')}")
        if kind == _DONE:
            if done:
                return None
            raise WorkerFailed("a worker process ended before answering every batch")
        self.given -= 1
        return start, marshal.loads(body)

    def _take(self, size: int, wait: bool) -> bytes | None:
        """The next ``size`` bytes of the results; None when they have not all arrived
        (``wait``: read until they have; the pipe ending first is WorkerFailed)."""
        while len(self.buffer) - self.taken < size:
            if not wait:
                return None
            chunk = os.read(self.results, _PIPE_SIZE)
            if not chunk:
                raise WorkerFailed(f"a worker process ended early ({self._end()})")
            self.buffer += chunk
        data = bytes(self.buffer[self.taken : self.taken + size])
        self.taken += size
        return data

    def _end(self) -> str:
        """How the worker ended (it is reaped here)."""
        _pid, status = os.waitpid(self.pid, 0)
        self.ended = True
        if os.WIFSIGNALED(status):
            return f"killed by signal {os.WTERMSIG(status)}"
        return f"exit status {os.waitstatus_to_exitcode(status)}"

    def stop(self) -> None:
        """Close the pipes, end the worker if it still runs and reap it."""
        for descriptor in (self.tasks, self.results):
            with contextlib.suppress(OSError):
                os.close(descriptor)
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


def _child(results: int, life: Callable[[], None]) -> None:  # pragma: no cover - in the child
    """A worker's whole life: ``life()``, whatever it raises reported to the parent,
    then the end, without running the parent's exit handlers or flushing its
    buffered output."""
    code = 0
    try:
        _worker_signals()
        life()
    except BaseException as exc:  # everything is reported to the parent
        code = 1
        # Should even that fail, the parent sees the pipe end early.
        with contextlib.suppress(BaseException):
            message = f"{type(exc).__name__}: {exc}".encode("utf-8", "replace")
            _send(results, _FAILED, 0, message)
    finally:
        os._exit(code)


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
            task = _read_exactly(tasks, _TASK.size)
            if len(task) < _TASK.size:
                return  # the parent is gone
            start, end = _TASK.unpack(task)
            if start > end:
                _send(results, _DONE, 0, b"")
                return
            _send(results, _RESULTS, start, marshal.dumps(_lint_slice((start, end))))

    _child(results, batches)


def _read_exactly(descriptor: int, size: int) -> bytes:  # pragma: no cover - in the child
    data = b""
    while len(data) < size:
        chunk = os.read(descriptor, size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def _send(writer: int, kind: bytes, start: int, body: bytes) -> None:
    data = memoryview(_HEADER.pack(kind, start, len(body)) + body)
    while data:
        data = data[os.write(writer, data) :]


def in_a_worker(work: Callable[[], Any]) -> Callable[[], Any]:
    """Start ``work()`` in a forked process now; the function returned waits for its
    result (plain data) and gives it back, or raises WorkerFailed. Where no process
    can be forked, ``work()`` runs when its result is asked for. (Should this process
    stop first, the worker ends at its first write to the closed pipe.)"""
    if not hasattr(os, "fork"):
        return work
    try:
        worker = _Worker.start([], serve=lambda _tasks, results: _serve_once(work, results))
    except OSError:
        return work
    worker.given = 1

    def result() -> Any:
        try:
            for _start, value in worker.rest():
                return value
            raise WorkerFailed("a worker process sent nothing")  # pragma: no cover
        finally:
            worker.stop()

    return result


def _serve_once(work: Callable[[], Any], results: int) -> None:  # pragma: no cover - child
    """A one-off worker: send ``work()``'s result."""

    def once() -> None:
        import marshal

        _send(results, _RESULTS, 0, marshal.dumps(work()))
        _send(results, _DONE, 0, b"")

    _child(results, once)
