"""apply's progress on stderr: a bar on a terminal (done/total, rate, ETA), one JSON
line per write with ``--progress json`` (for CI logs), nothing with ``off``; ``auto``
draws the bar only when stderr is a terminal. :func:`read_progress`: the count of a
long account read (drift), on a terminal."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from .outcome import Outcome

PROGRESS_MODES = ("auto", "json", "off")
_WIDTH = 24


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.5))
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}m{seconds:02d}s" if minutes else f"{seconds}s"


def bar_text(done: int, total: int, elapsed: float) -> str:
    """``[#####-----] 12/40  3.1/s  ETA 9s``."""
    filled = _WIDTH * done // total if total else _WIDTH
    rate = done / elapsed if elapsed > 0 else 0.0
    eta = _duration((total - done) / rate) if rate > 0 else "?"
    return f"[{'#' * filled}{'-' * (_WIDTH - filled)}] {done}/{total}  {rate:.1f}/s  ETA {eta}"


class Progress:
    def __init__(
        self,
        mode: str,
        total: int,
        stream: IO[str] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        if mode == "auto":
            isatty = getattr(self.stream, "isatty", None)
            mode = "bar" if callable(isatty) and isatty() else "off"
        self.mode = mode
        self.total = total
        self.done = 0
        self._clock = clock
        self._started = clock()
        self._lock = threading.Lock()

    def __call__(self, outcome: Outcome) -> None:
        with self._lock:
            self.done += 1
            elapsed = self._clock() - self._started
            if self.mode == "json":
                entry = {
                    "event": "write",
                    "action": outcome.action.kind,
                    "phone_number": outcome.action.phone_number,
                    "status": outcome.status,
                    "done": self.done,
                    "total": self.total,
                    "elapsed": round(elapsed, 3),
                }
                self._emit(json.dumps(entry, ensure_ascii=True) + "\n")
            elif self.mode == "bar":
                self._emit("\r" + bar_text(self.done, self.total, elapsed))

    def finish(self) -> None:
        with self._lock:
            if self.mode == "bar" and self.done:
                self._emit("\n")

    def _emit(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.mode = "off"


def read_progress(
    stream: IO[str] | None = None, clock: Callable[[], float] = time.monotonic
) -> Callable[[str, int, bool], None] | None:
    """For a client's ``on_page``: the count read so far and the rate, on a terminal
    only (None elsewhere: CI logs get no carriage returns)."""
    out = stream if stream is not None else sys.stderr
    isatty = getattr(out, "isatty", None)
    if not (callable(isatty) and isatty()):
        return None
    started = clock()

    def show(path: str, count: int, last: bool) -> None:
        what = path.rsplit("/", 1)[-1].removeprefix("list-").replace("-", " ")
        elapsed = clock() - started
        rate = f"  {count / elapsed:.0f}/s" if elapsed > 0 else ""
        try:
            out.write(f"\rreading the account: {count} {what}{rate}" + ("\n" if last else ""))
            out.flush()
        except (OSError, ValueError):
            pass

    return show
