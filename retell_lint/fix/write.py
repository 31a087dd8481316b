"""Writing fixed files: atomically, keeping the mode and the byte-order mark, never
through a symbolic link, never over a file that changed since it was read; and the
unified diff that --diff prints instead."""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING, Any

from retell_lint.errors import FatalError
from retell_lint.findings import ToolError
from retell_lint.source import Source

if TYPE_CHECKING:
    from retell_lint.engine import LintResult
    from retell_lint.fix.apply import FixRun

BOM = b"\xef\xbb\xbf"


def write_atomically(path: str, expected: bytes, data: bytes, **options: Any) -> None:
    """Replace a regular file's bytes through a temporary file in its folder, keeping its
    mode; never through a symbolic link, and not when it changed since it was read.

    ``options`` go to :func:`safe_io.write_bytes` (``inside``, ``written``)."""
    from retell_lint.safe_io import read_bytes, write_bytes

    try:
        info = os.lstat(path)
    except OSError as exc:
        raise FatalError(f"cannot fix: {exc.strerror or exc}", location=path) from None
    if stat.S_ISLNK(info.st_mode):
        raise FatalError("is a symbolic link; not fixed (fix the file it points to)", location=path)
    if not stat.S_ISREG(info.st_mode):
        raise FatalError("is not a regular file; not fixed", location=path)
    current = read_bytes(path, what="the file", limit=len(expected) + 1)
    if current != expected:
        raise FatalError("changed while it was being fixed; not written", location=path)
    write_bytes(path, data, what="the fixed file", **options)


def _original_bytes(source: Source, name: str) -> bytes:
    """The file's bytes as they are now, checked against the text that was linted."""
    from retell_lint.loading import read_source
    from retell_lint.source import DecodeProblem, decode

    data = read_source(name)
    assert isinstance(data, bytes)
    try:
        same = decode(data) == source.text
    except DecodeProblem:
        same = False
    if not same:
        raise FatalError("changed while it was being fixed; not written", location=name)
    return data


def encode(text: str, bom: bool) -> bytes:
    return (BOM if bom else b"") + text.encode("utf-8")


def unified_diff(name: str, before: str, after: str) -> str:
    import difflib

    from retell_lint.redact import diff_name, mask_secrets

    # Secrets masked on each side before diffing; the name can hold no line break.
    lines = difflib.unified_diff(
        mask_secrets(before).splitlines(keepends=True),
        mask_secrets(after).splitlines(keepends=True),
        fromfile=f"a/{diff_name(name)}",
        tofile=f"b/{diff_name(name)}",
    )
    missing = "\n\\ No newline at end of file\n"
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else line + missing)
    return "".join(out)


def write_fixes(
    run: FixRun, result: LintResult, stdin_name: str | None, inside: str | None = None
) -> str | None:
    """Write each changed file (stdin's fixed text is returned, not written).

    ``inside``: the project root; a file named in it whose folder is a link leading out
    of it is not written. Interrupted (SIGINT, SIGTERM), the run stops with one line
    naming the files already written; no temporary file is left behind.
    """
    from retell_lint.safe_io import interruptible

    stdin_text = None
    written: list[str] = []
    files = [item for item in run.changed if stdin_name is None or item.name != stdin_name]
    try:
        with interruptible():
            for item in run.changed:
                if stdin_name is not None and item.name == stdin_name:
                    stdin_text = item.text
                    continue
                source = result.sources[item.name]
                try:
                    original = _original_bytes(source, item.name)
                    data = encode(item.text, original.startswith(BOM))
                    write_atomically(item.name, original, data, inside=inside, written=written)
                except FatalError as exc:
                    item.error = exc.message
                    run.errors.append(ToolError(exc.message, item.name))
    except KeyboardInterrupt:
        raise FatalError(interrupted_message(written, len(files))) from None
    return stdin_text


def interrupted_message(written: list[str], total: int) -> str:
    """What an interrupted fix run had done: the files written, and how many were not."""
    if not written:
        return f"interrupted: no file was written (0 of {total})"
    shown = ", ".join(written[:10]) + (
        f" and {len(written) - 10} more" if len(written) > 10 else ""
    )
    return (
        f"interrupted: {len(written)} of {total} files were fixed and written ({shown}); "
        f"the other {total - len(written)} are unchanged"
    )
