"""Forked worker processes and their pipes: a task pipe (where each batch of work
starts and ends) and a result pipe (marshal-encoded plain data, a message per batch),
read without waiting between the parent's own work.

A worker reports whatever it raises to the parent and ends without running the
parent's exit handlers; a worker that dies or ends early is :class:`WorkerFailed` in
the parent, never a shorter result. See :mod:`retell_lint.pool` for the lint's use.
"""

from __future__ import annotations

import contextlib
import os
import struct
from collections.abc import Callable, Iterator, Sequence
from typing import Any

# A task: where a batch starts and ends (a start past the end: no more batches).
TASK = struct.Struct("<II")
# A message: its kind, where its batch starts, the length of its marshal-encoded body.
_HEADER = struct.Struct("<cII")
RESULTS, _FAILED, DONE = b"R", b"F", b"D"
# Large enough that a worker seldom waits for this process to read its results.
_PIPE_SIZE = 1 << 20


class WorkerFailed(RuntimeError):
    """A worker process raised, or ended without sending all its results."""


def _worker_signals() -> None:
    """A worker dies of SIGTERM and ignores SIGINT, whatever the parent installed.

    The parent turns SIGTERM into an exception (cleanup runs) and gets Ctrl-C itself;
    a forked worker inheriting that handler would unwind into the parent's code (its
    cleanup, its output) instead of ending."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Worker:
    """One forked process linting the batches it is given, and its two pipes."""

    def __init__(self, pid: int, tasks: int, results: int) -> None:
        self.pid, self.tasks, self.results = pid, tasks, results
        self.given = 0  # batches given and not yet answered
        self.ended = False
        # What has been read from the results pipe and not yet taken, from ``taken`` on.
        self.buffer = bytearray()
        self.taken = 0

    @classmethod
    def start(cls, others: Sequence[Worker], serve: Callable[[int, int], None]) -> Worker:
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
            serve(task_reader, result_writer)
        os.close(task_reader)
        os.close(result_writer)
        os.set_blocking(result_reader, False)
        return cls(pid, task_writer, result_reader)

    def give(self, start: int, end: int) -> None:
        self._tell(TASK.pack(start, end))
        self.given += 1

    def give_no_more(self) -> None:
        self._tell(TASK.pack(1, 0))

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
            self._drop_taken()
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
        self._drop_taken()
        while self.given:
            message = self._message(wait=True)
            assert message is not None
            yield message
        if self._message(wait=True, done=True) is not None:  # pragma: no cover
            raise WorkerFailed("a worker process sent more than it was given")

    def _drop_taken(self) -> None:
        del self.buffer[: self.taken]
        self.taken = 0

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
        if kind == DONE:
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


def run_child(results: int, life: Callable[[], None]) -> None:  # pragma: no cover - in the child
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
            send(results, _FAILED, 0, message)
    finally:
        os._exit(code)


def read_exactly(descriptor: int, size: int) -> bytes:  # pragma: no cover - in the child
    data = b""
    while len(data) < size:
        chunk = os.read(descriptor, size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def send(writer: int, kind: bytes, start: int, body: bytes) -> None:
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
        worker = Worker.start([], serve=lambda _tasks, results: _serve_once(work, results))
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

        send(results, RESULTS, 0, marshal.dumps(work()))
        send(results, DONE, 0, b"")

    run_child(results, once)
