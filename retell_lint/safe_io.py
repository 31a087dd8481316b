"""The one way commands read and write files.

Reading: regular files only. The path is looked at first and the opened descriptor
again (``O_NONBLOCK``, so a FIFO, device or socket never blocks the run: it is an
error in one line); each kind of input has a size cap; reading stops at a deadline.
With ``inside``, a path within that tree whose links lead out of it is not followed.

Writing: atomic (a temporary file in the same folder, then ``os.replace``, which
replaces the directory entry and never a link's target); never through a symbolic
link, nor into a linked folder that leaves ``inside``; the target's mode is kept; a
read-only file or folder is refused in one line. The temporary file is removed on
any exit, SIGINT and SIGTERM included (:func:`interruptible` turns SIGTERM into
``KeyboardInterrupt`` while it is active), and signals wait while a file is moved
into place, so a caller's record of what was written is always true.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
import time
from collections.abc import Iterator
from typing import IO

from retell_lint.errors import FatalError
from retell_lint.output import display_name

MB = 1024 * 1024
CHUNK = 1024 * 1024
# Reading one file may take this long (a network share that stalls does not hang CI).
READ_SECONDS = 60.0

_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def kind_of(mode: int) -> str:
    """What a file mode describes: 'a regular file', 'a FIFO', 'a folder', ..."""
    if stat.S_ISREG(mode):
        return "a regular file"
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def reason(exc: OSError) -> str:
    """An OSError as a few words (no errno number, no repeated file name)."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop (or a link where none is followed)"
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    return exc.strerror or str(exc)


def under(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or inside it (both absolute, compared as given)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def leaves_tree(path: str, root: str) -> bool:
    """Whether ``path``, named inside ``root``, leads out of it through a symbolic link.

    A path named outside ``root`` (the user pointed there) is not this function's
    business: it returns False.
    """
    lexical = os.path.abspath(path)
    real_root = _real_folder(os.path.abspath(root))
    if not (under(lexical, os.path.abspath(root)) or under(lexical, real_root)):
        return False
    # The folder's real path is remembered (thousands of files share a few folders);
    # the file itself is looked at every time.
    folder, name = os.path.split(lexical)
    real = os.path.join(_real_folder(folder), name)
    if os.path.islink(real):
        real = os.path.realpath(real)
    return not under(real, real_root)


@functools.lru_cache(maxsize=1024)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _check_inside(path: str, inside: str | None, what: str) -> None:
    if inside is not None and leaves_tree(path, inside):
        raise FatalError(
            f"{what} is a symbolic link (or in a linked folder) leading outside "
            f"{display_name(inside)}; not followed",
            location=display_name(path),
        )


def read_bytes(
    path: str,
    *,
    what: str,
    limit: int,
    inside: str | None = None,
    seconds: float = READ_SECONDS,
    too_large: str | None = None,
) -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit``); FatalError otherwise.

    ``what`` names the input in messages ('the baseline', 'the plan'); ``too_large``
    replaces the message for a file over the cap.
    """
    shown = display_name(path)
    large = too_large or f"{what} is larger than {_size(limit)}"
    _check_inside(path, inside, what)
    try:
        before = os.stat(path).st_mode
        if not stat.S_ISREG(before):
            raise FatalError(f"{what} is {kind_of(before)}, not a regular file", location=shown)
        descriptor = os.open(path, _READ_FLAGS)
    except OSError as exc:
        raise FatalError(f"cannot read {what}: {reason(exc)}", location=shown) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):  # swapped since it was looked at
            raise FatalError(
                f"{what} is {kind_of(info.st_mode)}, not a regular file", location=shown
            )
        if info.st_size > limit:
            raise FatalError(large, location=shown)
        deadline = time.monotonic() + seconds
        parts: list[bytes] = []
        size = 0
        while size <= limit:
            part = os.read(descriptor, min(CHUNK, limit + 1 - size))
            if not part:
                break
            parts.append(part)
            size += len(part)
            if time.monotonic() > deadline:
                raise FatalError(f"reading {what} took over {seconds:g} s", location=shown)
    except OSError as exc:
        raise FatalError(f"cannot read {what}: {reason(exc)}", location=shown) from None
    finally:
        os.close(descriptor)
    if size > limit:  # it grew while it was read
        raise FatalError(large, location=shown)
    return b"".join(parts)


def read_text(path: str, *, what: str, limit: int, inside: str | None = None) -> str:
    """A regular file's text (UTF-8, a byte-order mark dropped)."""
    data = read_bytes(path, what=what, limit=limit, inside=inside)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise FatalError(
            f"{what} is not UTF-8 text (byte {exc.start})", location=display_name(path)
        ) from None


def _size(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB else f"{limit} bytes"


def regular_or_absent(path: str, what: str) -> bool:
    """Whether ``path`` is a regular file (links followed); False when nothing is there.

    Anything else there (a FIFO, a folder, a link to /dev/null, a dangling link) is
    an error: it would otherwise be read as empty or skipped without a word.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.lexists(path):
            raise FatalError(
                f"{what} is a symbolic link to nothing", location=display_name(path)
            ) from None
        return False
    except OSError as exc:
        raise FatalError(
            f"cannot read {what}: {reason(exc)}", location=display_name(path)
        ) from None
    if not stat.S_ISREG(mode):
        raise FatalError(
            f"{what} is {kind_of(mode)}, not a regular file", location=display_name(path)
        )
    return True


# -- writing ---------------------------------------------------------------------------


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
    _check_inside(path, inside, what)
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


class _Blocked:
    """SIGINT and SIGTERM wait (in the main thread) while a file is moved into place."""

    def __enter__(self) -> None:
        import signal

        self.signals = {signal.SIGINT, signal.SIGTERM}
        self.old = signal.pthread_sigmask(signal.SIG_BLOCK, self.signals)

    def __exit__(self, *exc: object) -> None:
        import signal

        signal.pthread_sigmask(signal.SIG_SETMASK, self.old)


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
        with _blocked():
            descriptor, temporary = tempfile.mkstemp(
                prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder
            )
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fchmod(descriptor, mode)
        os.close(descriptor)
        descriptor = -1
        with _blocked():
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


def _blocked() -> contextlib.AbstractContextManager[None]:
    # The mask is per thread: in another thread this is harmless (signals go to the main one).
    import signal

    return _Blocked() if hasattr(signal, "pthread_sigmask") else contextlib.nullcontext()


def _move(temporary: str, path: str, replace: bool, shown: str, what: str) -> None:
    if replace:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)  # fails when anything is there now, a link too
    except FileExistsError:
        raise TargetExists(f"{what} exists; not replaced", location=shown) from None
    os.unlink(temporary)


def write_text(path: str, text: str, **options: object) -> None:
    """:func:`write_bytes` of ``text`` as UTF-8 (line ends as given)."""
    write_bytes(path, text.encode("utf-8", "surrogateescape"), **options)  # type: ignore[arg-type]


def make_folder(path: str, *, what: str, inside: str | None = None) -> None:
    """Create the folder ``path`` (and its parents); refuse a link or a non-folder."""
    shown = display_name(path)
    if os.path.islink(path):
        raise FatalError(f"{what} is a symbolic link; not written into", location=shown)
    _check_inside(path, inside, what)
    if os.path.lexists(path) and not os.path.isdir(path):
        raise FatalError(f"{what} exists and is not a folder", location=shown)
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise FatalError(f"cannot create {what}: {reason(exc)}", location=shown) from None


def open_append(path: str, *, what: str) -> IO[str]:
    """A text stream appending to the regular file ``path`` (created 0600); never through
    a link, never blocking on a FIFO."""
    shown = display_name(path)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a FIFO nobody reads
            raise FatalError(f"{what} is a FIFO, not a regular file", location=shown) from None
        raise FatalError(f"cannot open {what}: {reason(exc)}", location=shown) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise FatalError(f"{what} is {kind_of(mode)}, not a regular file", location=shown)
    if hasattr(os, "set_blocking"):
        os.set_blocking(descriptor, True)
    return os.fdopen(descriptor, "a", encoding="utf-8")


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


def silence(stream: IO[str]) -> None:
    """Point ``stream``'s descriptor at the null device (what is still buffered for a
    full or closed standard output goes nowhere instead of failing again at exit)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass
