"""Reading for the server: a file on disk (regular files only, bounded) and where a
configuration error is."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from retell_lint.errors import FatalError
from retell_lint.source import MAX_FILE_BYTES


class ConfigProblem(NamedTuple):
    """A configuration that could not be loaded: where, and why."""

    path: str
    line: int
    column: int
    message: str


def read_regular(path: str) -> bytes | None:
    """A regular file's bytes (at most the CLI's limit), never blocking on a FIFO."""
    import stat

    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) <= MAX_FILE_BYTES else None


def config_problem(exc: FatalError, found: Path | None) -> ConfigProblem:
    """Where a configuration error is: ``file:line`` or ``file:line:column``."""
    import re

    location = exc.location or ""
    path, line, column = location, 1, 1
    match = re.match(r"^(?P<path>.*?):(?P<line>\d+)(?::(?P<column>\d+))?$", location)
    if match is not None:
        path, line = match.group("path"), int(match.group("line"))
        column = int(match.group("column") or 1)
    if not path and found is not None:
        path = str(found)
    return ConfigProblem(os.path.abspath(path) if path else "", line, column, exc.message)
