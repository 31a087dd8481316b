"""Reading the files a run lints: their bytes (safely: regular files only, size-capped),
decoded as UTF-8, and each one's cache key when the result cache is used.

A tree of thousands of files is read by two processes at once: a forked worker reads
the first half while this process reads the second, and the worker sends back what
it read as plain data (texts, keys, problems), in order.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

from retell_lint.discover import STDIN
from retell_lint.errors import FatalError
from retell_lint.findings import Hit, ToolError
from retell_lint.output import display_name
from retell_lint.safe_io.read import read_bytes, read_listed
from retell_lint.source import MAX_FILE_BYTES, DecodeProblem, Source, Span, decode

# From this many files on (and more than one core), two processes read them.
PARALLEL_READ = 2000
# The worker's share (%) when this process first does other work (reading the cache).
WORKER_SHARE_MEANWHILE = 46


def read_source(name: str, stdin_name: str | None = None, listed: bool = False) -> bytes:
    """Read a file's bytes; stdin when ``name`` is '-'.

    ``listed``: a folder listing has just shown a plain regular file there."""
    if name == STDIN:
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise FatalError(
                f"stdin is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; not a config file",
                location=stdin_name or STDIN,
            )
        return data
    if listed:
        data = read_listed(name, MAX_FILE_BYTES)
        if data is not None:
            return data
    # Regular files only (a FIFO swapped in after discovery never blocks), size-capped.
    return read_bytes(
        name,
        listed=listed,
        what="the file",
        limit=MAX_FILE_BYTES,
        too_large=f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; not a config file",
    )


def load_sources(
    names: Iterable[str],
    stdin_name: str | None,
    keys: dict[str, str] | None = None,
    regular: Collection[str] = (),
    jobs: int = 1,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[list[Source], list[Hit], list[ToolError]]:
    """Read and decode files; undecodable ones become RL001 hits, unreadable ones errors.

    With ``keys``, each decoded file's cache key is put there by its name. With ``jobs``
    above 1, a long list of files is read by two processes, and ``meanwhile`` (work of
    its own, such as reading the result cache) is done while the worker reads its part.
    """
    names = list(names)
    hashed = keys is not None
    if jobs > 1 and len(names) >= PARALLEL_READ and STDIN not in names:
        from retell_lint.forked import in_a_worker

        if hashed:
            import retell_lint.cache  # noqa: F401  (imported once, before the fork)

        # With the cache to read here, the worker still reads a little less: sending
        # its texts back costs it more.
        split = len(names) * (WORKER_SHARE_MEANWHILE if meanwhile else 50) // 100
        first = names[:split]
        theirs = in_a_worker(lambda: _read(first, None, hashed, regular))
        try:
            if meanwhile is not None:
                meanwhile()
            # This part is assembled while the worker may still be reading.
            mine = _assemble(_read(names[split:], None, hashed, regular), keys)
        except BaseException:
            with contextlib.suppress(Exception):
                theirs()  # the worker is reaped, whatever it has to say
            raise
        first_part = _assemble(theirs(), keys)
        return (
            first_part[0] + mine[0],
            first_part[1] + mine[1],
            first_part[2] + mine[2],
        )
    else:
        if meanwhile is not None:
            meanwhile()
        items = _read(names, stdin_name, hashed, regular)
    return _assemble(items, keys)


def _read(
    names: Sequence[str], stdin_name: str | None, hashed: bool, regular: Collection[str]
) -> list[tuple[Any, ...]]:
    """Each file as plain data (a worker sends it as it is): ``("s", name, text, bom,
    key)``, ``("u", name, message, line, column)`` for undecodable bytes, or
    ``("e", name, message)`` for a file that cannot be read."""
    key_of: Callable[[str, bytes], str] | None = None
    if hashed:
        from retell_lint.cache import file_key as key_of
    items: list[tuple[Any, ...]] = []
    for name in names:
        display = (stdin_name or "-") if name == STDIN else display_name(name)
        try:
            data = read_source(name, display, name in regular)
        except FatalError as exc:
            items.append(("e", display, exc.message))
            continue
        try:
            text = decode(data)
        except DecodeProblem as problem:
            items.append(("u", display, problem.message, problem.line, problem.column))
            continue
        key = None if key_of is None else key_of(display, data)
        items.append(("s", display, text, data.startswith(b"\xef\xbb\xbf"), key))
    return items


def _assemble(
    items: list[tuple[Any, ...]], keys: dict[str, str] | None
) -> tuple[list[Source], list[Hit], list[ToolError]]:
    sources: list[Source] = []
    hits: list[Hit] = []
    errors: list[ToolError] = []
    for item in items:
        kind, display = item[0], item[1]
        if kind == "s":
            source = Source(display, item[2])
            source.bom = item[3]
            sources.append(source)
            if keys is not None:
                keys[display] = item[4]
        elif kind == "u":
            _kind, _display, message, line, column = item
            sources.append(Source(display, "", undecodable=True))
            hits.append(Hit("RL001", message, Span(line, column, line, column + 1), file=display))
        else:
            errors.append(ToolError(item[2], display))
    return sources, hits, errors
