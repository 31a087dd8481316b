"""How many write requests apply has in flight at once: an adaptive limit.

The limit starts at ``apply.concurrency``. An answer of 429 or 5xx halves it (never
below 1; once for the requests that were already in flight when it fell, which all
met the same overload, as TCP halves once per loss window) and holds every new
request back until the server's ``Retry-After`` (or a short pause) has passed; each
run of successful answers as long as the limit grows it back by one, up to the
configured maximum. A request waits for a free slot before it is sent, so no more
requests are in flight than the limit of the moment.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# The pause after a 429/5xx that names no Retry-After.
DEFAULT_PAUSE = 0.5
# A Retry-After above this is capped: the writer's own retry delay is capped as well.
MAX_PAUSE = 60.0


class AdaptiveLimit:
    def __init__(self, maximum: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        if maximum < 1:
            raise ValueError("the concurrency must be at least 1")
        self.maximum = maximum
        self.limit = maximum
        self.in_flight = 0
        # Observed, for tests and the benchmark.
        self.peak = 0
        self.lowest = maximum
        self._clock = clock
        self._resume_at = 0.0
        self._successes = 0
        # How many times the limit has fallen: a request sent before the last fall
        # does not make it fall again.
        self._falls = 0
        self._cond = threading.Condition()

    def acquire(self) -> int:
        """Wait for a free slot (and for a pause to end), then take it; the ticket to
        give back to :meth:`release`."""
        with self._cond:
            while True:
                wait = self._resume_at - self._clock()
                if wait <= 0 and self.in_flight < self.limit:
                    break
                self._cond.wait(timeout=wait if wait > 0 else None)
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            return self._falls

    def release(
        self, status: int | None, retry_after: float | None = None, ticket: int | None = None
    ) -> None:
        """Give the slot back with the answer's status (None: no answer) and the
        ticket :meth:`acquire` gave (None: counted as sent after the last fall)."""
        with self._cond:
            self.in_flight -= 1
            if status is not None and (status == 429 or status >= 500):
                self._throttled(retry_after, fall=ticket is None or ticket >= self._falls)
            elif status is not None and 200 <= status < 300:
                self._successes += 1
                if self.limit < self.maximum and self._successes >= self.limit:
                    self.limit += 1
                    self._successes = 0
            self._cond.notify_all()

    def _throttled(self, retry_after: float | None, *, fall: bool) -> None:
        if fall:
            self.limit = max(1, self.limit // 2)
            self.lowest = min(self.lowest, self.limit)
            self._falls += 1
        self._successes = 0
        pause = DEFAULT_PAUSE if retry_after is None else min(max(retry_after, 0.0), MAX_PAUSE)
        self._resume_at = max(self._resume_at, self._clock() + pause)
