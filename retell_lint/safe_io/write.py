"""Writing: atomic, never through a link, the mode kept, read-only targets refused."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from typing import IO

from retell_lint.errors import FatalError
from retell_lint.redact import display_name
from retell_lint.safe_io.read import check_inside, kind_of, reason
from retell_lint.safe_io.signals import blocked


class TargetExists(FatalError):
    """Something is where a new file would go (``write_bytes(..., replace=False)``)."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _read_only(mode: int, path: str) -> bool:
    # Write bits, not only access(): a 0444 file is read-only for root too.
    return not (mode & 0o222) or not os.access(path, os.W_OK)


def check_target(path: str, *, what: str, inside: str | None = None) -> os.stat_result | None:
    """What is at ``path`` if it may be written (None: nothing); FatalError otherwise."""
    shown = display_name(path)
    check_inside(path, inside, what)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise FatalError(f"cannot write {what}: {reason(exc)}", location=shown) from None
    if stat.S_ISLNK(info.st_mode):
        raise FatalError(f"{what} is a symbolic link; not written through it", location=shown)
    if not stat.S_ISREG(info.st_mode):
        raise FatalError(f"{what} is {kind_of(info.st_mode)}; not written", location=shown)
    if _read_only(info.st_mode, path):
        raise FatalError(f"{what} is read-only; not written", location=shown)
    return info


def write_bytes(
    path: str,
    data: bytes,
    *,
    what: str,
    inside: str | None = None,
    replace: bool = True,
    written: list[str] | None = None,
) -> None:
    """Write ``data`` to ``path`` atomically (see the module's notes).

    ``replace=False``: refuse when anything is at ``path``, even when it appears
    meanwhile. ``written``: ``path`` is appended once it is in place.
    """
    import tempfile

    shown = display_name(path)
    existing = check_target(path, what=what, inside=inside)
    if existing is not None and not replace:
        raise TargetExists(f"{what} exists; not replaced", location=shown)
    folder = os.path.dirname(path) or os.curdir
    try:
        folder_mode = os.stat(folder).st_mode
    except OSError as exc:
        raise FatalError(f"cannot write {what}: {reason(exc)}", location=shown) from None
    if _read_only(folder_mode, folder):
        raise FatalError(f"cannot write {what}: its folder is read-only", location=shown)
    mode = stat.S_IMODE(existing.st_mode) if existing else 0o666 & ~_umask()
    temporary = None
    descriptor = -1
    try:
        # Signals wait until the temporary file's name is known, so that it is removed.
        with blocked():
            descriptor, temporary = tempfile.mkstemp(
                prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder
            )
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fchmod(descriptor, mode)
        os.close(descriptor)
        descriptor = -1
        with blocked():
            _move(temporary, path, replace, shown, what)
            temporary = None
            if written is not None:
                written.append(path)
    except OSError as exc:
        raise FatalError(f"cannot write {what}: {reason(exc)}", location=shown) from None
    finally:
        if descriptor >= 0:
            os.close(descriptor)
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _move(temporary: str, path: str, replace: bool, shown: str, what: str) -> None:
    if replace:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)  # fails when anything is there now, a link too
    except FileExistsError:
        raise TargetExists(f"{what} exists; not replaced", location=shown) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EOPNOTSUPP):
            raise
        # A file system without hard links: look, then move.
        if os.path.lexists(path):
            raise TargetExists(f"{what} exists; not replaced", location=shown) from None
        os.replace(temporary, path)
        return
    os.unlink(temporary)


def write_text(path: str, text: str, *, errors: str = "surrogateescape", **options: object) -> None:
    """:func:`write_bytes` of ``text`` as UTF-8 (line ends as given). ``errors``:
    ``surrogateescape`` gives back the bytes a file was read with; reports pass
    ``backslashreplace`` so a lone surrogate from the API is written as its escape."""
    write_bytes(path, text.encode("utf-8", errors), **options)  # type: ignore[arg-type]


def make_folder(path: str, *, what: str, inside: str | None = None) -> None:
    """Create the folder ``path`` (and its parents); refuse a link or a non-folder."""
    shown = display_name(path)
    if os.path.islink(path):
        raise FatalError(f"{what} is a symbolic link; not written into", location=shown)
    check_inside(path, inside, what)
    if os.path.lexists(path) and not os.path.isdir(path):
        raise FatalError(f"{what} exists and is not a folder", location=shown)
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise FatalError(f"cannot create {what}: {reason(exc)}", location=shown) from None


def open_output(path: str, *, what: str, append: bool = False, mode: int = 0o644) -> int:
    """A descriptor writing the regular file ``path`` (emptied first unless ``append``;
    created with ``mode`` less the umask); never through a link, never blocking on a
    FIFO."""
    shown = display_name(path)
    flags = (
        os.O_WRONLY
        | os.O_CREAT
        | (os.O_APPEND if append else os.O_TRUNC)
        | getattr(os, "O_NOFOLLOW", 0)
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_CLOEXEC", 0)
    )
    try:
        descriptor = os.open(path, flags, mode)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a FIFO nobody reads
            raise FatalError(f"{what} is a FIFO, not a regular file", location=shown) from None
        raise FatalError(f"cannot open {what}: {reason(exc)}", location=shown) from None
    kind = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(kind):
        os.close(descriptor)
        raise FatalError(f"{what} is {kind_of(kind)}, not a regular file", location=shown)
    if hasattr(os, "set_blocking"):
        os.set_blocking(descriptor, True)
    return descriptor


def open_append(path: str, *, what: str) -> IO[str]:
    """A text stream appending to the regular file ``path`` (created 0600)."""
    descriptor = open_output(path, what=what, append=True, mode=0o600)
    return os.fdopen(descriptor, "a", encoding="utf-8")


def remove(path: str, *, what: str) -> None:
    """Remove the file (or link) ``path`` if it is there; never a folder."""
    shown = display_name(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise FatalError(f"cannot remove {what}: {reason(exc)}", location=shown) from None
    if stat.S_ISDIR(info.st_mode):
        raise FatalError(f"{what} is a folder; not removed", location=shown)
    try:
        os.unlink(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise FatalError(f"cannot remove {what}: {reason(exc)}", location=shown) from None


def silence(stream: IO[str]) -> None:
    """Point ``stream``'s descriptor at the null device (what is still buffered for a
    full or closed standard output goes nowhere instead of failing again at exit)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass
