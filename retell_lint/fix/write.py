"""Writing fixed files: atomically, keeping the mode and the byte-order mark, never
through a symbolic link, never over a file that changed since it was read; and the
unified diff that --diff prints instead."""

from __future__ import annotations

import contextlib
import os
import stat
from typing import TYPE_CHECKING

from retell_lint.errors import FatalError
from retell_lint.findings import ToolError
from retell_lint.source import Source

if TYPE_CHECKING:
    from retell_lint.engine import LintResult
    from retell_lint.fix.apply import FixRun

BOM = b"\xef\xbb\xbf"


def write_atomically(path: str, expected: bytes, data: bytes) -> None:
    """Replace a regular file's bytes through a temporary file in its folder, keeping its
    mode; never through a symbolic link, and not when it changed since it was read."""
    import tempfile

    try:
        info = os.lstat(path)
    except OSError as exc:
        raise FatalError(f"cannot fix: {exc.strerror or exc}", location=path) from None
    if stat.S_ISLNK(info.st_mode):
        raise FatalError("is a symbolic link; not fixed (fix the file it points to)", location=path)
    if not stat.S_ISREG(info.st_mode):
        raise FatalError("is not a regular file; not fixed", location=path)
    try:
        with open(path, "rb") as handle:
            current = handle.read(len(expected) + 1)
    except OSError as exc:
        raise FatalError(f"cannot fix: {exc.strerror or exc}", location=path) from None
    if current != expected:
        raise FatalError("changed while it was being fixed; not written", location=path)
    folder = os.path.dirname(path) or "."
    handle_fd, temporary = tempfile.mkstemp(
        prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder
    )
    try:
        # No fsync: os.replace makes the switch atomic (readers see the old file or the
        # new one, never a part), as editors and formatters write files.
        with os.fdopen(handle_fd, "wb") as out:
            out.write(data)
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise FatalError(
            f"cannot write the fixed file: {exc.strerror or exc}", location=path
        ) from None


def _original_bytes(source: Source, name: str) -> bytes:
    """The file's bytes as they are now, checked against the text that was linted."""
    from retell_lint.engine import read_source
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


def write_fixes(run: FixRun, result: LintResult, stdin_name: str | None) -> str | None:
    """Write each changed file (stdin's fixed text is returned, not written)."""
    stdin_text = None
    for item in run.changed:
        source = result.sources[item.name]
        if stdin_name is not None and item.name == stdin_name:
            stdin_text = item.text
            continue
        try:
            original = _original_bytes(source, item.name)
            write_atomically(item.name, original, encode(item.text, original.startswith(BOM)))
        except FatalError as exc:
            item.error = exc.message
            run.errors.append(ToolError(exc.message, item.name))
    return stdin_text
