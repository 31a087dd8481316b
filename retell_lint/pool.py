"""Worker processes for a cold run on many files.

Workers are forked, so they start with the parent's rules, checks and
configuration already loaded; each lints a slice of the files and sends back the
same plain data the cache keeps (:mod:`retell_lint.facts`). The parent puts the
results back in the files' order, so the report is the one a single process gives.
Where processes cannot be forked, the files are linted in this process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from retell_lint.engine import Checks
    from retell_lint.source import Source

# What a forked worker inherits: set just before the pool starts.
_JOB: tuple[Checks, Collection[str]] | None = None


def _lint_slice(items: list[tuple[str, str]]) -> list[dict[str, Any]]:
    from retell_lint.engine import lint_file
    from retell_lint.facts import encode_entry
    from retell_lint.source import Source

    assert _JOB is not None
    checks, fields = _JOB
    return [encode_entry(lint_file(Source(name, text), checks), fields) for name, text in items]


def _worker_signals() -> None:
    """A worker dies of SIGTERM and ignores SIGINT, whatever the parent installed.

    The parent turns SIGTERM into an exception (cleanup runs) and gets Ctrl-C itself;
    a forked worker inherits that handler, and the pool's shutdown (SIGTERM to each
    idle worker) would then raise inside a worker holding the pool's shared queue
    lock, leaving the others — and the run — waiting on it forever."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def lint_in_workers(
    sources: Sequence[Source], checks: Checks, fields: Collection[str], jobs: int
) -> list[dict[str, Any]]:
    """Each source's cache entry, in the order given."""
    global _JOB
    items = [(source.name, source.text) for source in sources]
    if "fork" not in multiprocessing.get_all_start_methods():
        _JOB = (checks, fields)
        try:
            return _lint_slice(items)
        finally:
            _JOB = None
    # Slices small enough to share the work out evenly, large enough to be cheap to send.
    size = max(16, min(256, len(items) // (jobs * 8) or 1))
    slices = [items[start : start + size] for start in range(0, len(items), size)]
    _JOB = (checks, fields)
    try:
        with multiprocessing.get_context("fork").Pool(jobs, _worker_signals) as pool:
            results = pool.map(_lint_slice, slices, chunksize=1)
    finally:
        _JOB = None
    return [entry for chunk in results for entry in chunk]
