"""Signals around writes: SIGTERM as KeyboardInterrupt, and signals held back while a
temporary file is created or moved into place."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


class _Blocked:
    """SIGINT and SIGTERM wait (in the main thread) while a file is moved into place."""

    def __enter__(self) -> None:
        import signal

        self.signals = {signal.SIGINT, signal.SIGTERM}
        self.old = signal.pthread_sigmask(signal.SIG_BLOCK, self.signals)

    def __exit__(self, *exc: object) -> None:
        import signal

        signal.pthread_sigmask(signal.SIG_SETMASK, self.old)


def blocked() -> contextlib.AbstractContextManager[None]:
    # The mask is per thread: in another thread this is harmless (signals go to the main one).
    import signal

    return _Blocked() if hasattr(signal, "pthread_sigmask") else contextlib.nullcontext()


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that cleanup runs."""


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """While active, SIGTERM raises KeyboardInterrupt (as SIGINT does) in the main thread."""
    import signal

    def terminate(signum: int, frame: object) -> None:
        raise _Terminated

    try:
        previous = signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not the main thread: signals are not this thread's to handle
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
