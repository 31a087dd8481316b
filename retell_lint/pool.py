"""Worker processes for a cold run on many files.

Workers are forked, so they start with the parent's rules, checks and
configuration already loaded; each lints a slice of the files and sends back the
same plain data the cache keeps (:mod:`retell_lint.facts`). The parent puts the
results back in the files' order, so the report is the one a single process gives.
Where processes cannot be forked, the files are linted in this process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from retell_lint.engine import Checks
    from retell_lint.source import Source

# The share of an even split this process lints itself besides decoding the workers'
# files (most of which it decodes while the workers finish their last slices).
HERE_SHARE = 0.9
# What a forked worker inherits: set just before the pool starts (the workers' files
# among them: a worker is sent only where its slice starts and ends, never a text).
_JOB: tuple[Checks, Collection[str], Sequence[Source]] | None = None


def _lint_slice(bounds: tuple[int, int]) -> list[dict[str, Any]]:
    from retell_lint.engine import lint_file
    from retell_lint.facts import encode_entry

    assert _JOB is not None
    checks, fields, sources = _JOB
    start, end = bounds
    return [encode_entry(lint_file(source, checks), fields) for source in sources[start:end]]


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
    sources: Sequence[Source],
    checks: Checks,
    fields: Collection[str],
    jobs: int,
    lint_here: Callable[[Sequence[Source]], None],
) -> Iterator[tuple[Source, dict[str, Any]]]:
    """Lint ``sources`` on ``jobs`` cores: ``jobs - 1`` worker processes take the first
    files, this process takes the last ones with ``lint_here`` meanwhile (its files
    need no encoding, sending and decoding). Yields the workers' files, each with its
    cache entry, in the order given, as their slices arrive: what the caller does with
    them overlaps the workers' last slices."""
    global _JOB
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        lint_here(sources)
        return
    here = int(len(sources) * HERE_SHARE / jobs)
    there, mine = sources[: len(sources) - here], sources[len(sources) - here :]
    workers = jobs - 1
    # Slices small enough to share the work out evenly, large enough to be cheap to send.
    size = max(16, min(256, len(there) // (workers * 8) or 1))
    slices = [(start, min(start + size, len(there))) for start in range(0, len(there), size)]
    _JOB = (checks, fields, there)
    try:
        with multiprocessing.get_context("fork").Pool(workers, _worker_signals) as pool:
            results = pool.imap(_lint_slice, slices, chunksize=1)
            _JOB = None
            lint_here(mine)
            for (start, end), entries in zip(slices, results, strict=True):
                yield from zip(there[start:end], entries, strict=True)
    finally:
        _JOB = None
