"""Reading: regular files only, capped, without blocking, optionally inside a tree."""

from __future__ import annotations

import errno
import functools
import os
import stat
import time

from retell_lint.errors import FatalError
from retell_lint.redact import display_name

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


def check_inside(path: str, inside: str | None, what: str) -> None:
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
    cut: bool = False,
    listed: bool = False,
) -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit``); FatalError otherwise.

    ``what`` names the input in messages ('the baseline', 'the plan'); ``too_large``
    replaces the message for a file over the cap; ``cut``: the first ``limit`` bytes of
    a larger file instead of an error; ``listed``: a folder listing has just shown a
    plain regular file at ``path``.
    """
    check_inside(path, inside, what)
    try:
        # Not opened unless regular (opening a device can act on it), unless a folder
        # listing has just said so (``listed``); what is open is looked at again below.
        if not listed:
            before = os.stat(path).st_mode
            if not stat.S_ISREG(before):
                raise FatalError(
                    f"{what} is {kind_of(before)}, not a regular file", location=display_name(path)
                )
        descriptor = os.open(path, _READ_FLAGS)
    except OSError as exc:
        raise FatalError(
            f"cannot read {what}: {reason(exc)}", location=display_name(path)
        ) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):  # swapped since it was looked at
            raise FatalError(
                f"{what} is {kind_of(info.st_mode)}, not a regular file",
                location=display_name(path),
            )
        if info.st_size > limit and not cut:
            raise FatalError(_too_large(what, limit, too_large), location=display_name(path))
        deadline = time.monotonic() + seconds
        parts: list[bytes] = []
        size = 0
        while size <= limit:
            # Ask for what the file's size says is left (and one byte more, to see its
            # end): a megabyte asked of a small file costs far more than its read.
            ahead = info.st_size + 1 - size if size <= info.st_size else 64 * 1024
            wanted = min(CHUNK, limit + 1 - size, ahead)
            part = os.read(descriptor, wanted)
            if not part:
                break
            parts.append(part)
            size += len(part)
            if time.monotonic() > deadline:
                raise FatalError(
                    f"reading {what} took over {seconds:g} s", location=display_name(path)
                )
            if len(part) < wanted and size == info.st_size:
                # The whole file, as its size says: no second read to learn its end
                # (a short read alone is not proof on every file system).
                break
    except OSError as exc:
        raise FatalError(
            f"cannot read {what}: {reason(exc)}", location=display_name(path)
        ) from None
    finally:
        os.close(descriptor)
    if size > limit:  # larger (or it grew while it was read)
        if not cut:
            raise FatalError(_too_large(what, limit, too_large), location=display_name(path))
        return b"".join(parts)[:limit]
    return parts[0] if len(parts) == 1 else b"".join(parts)


def read_listed(path: str, limit: int) -> bytes | None:
    """The bytes of a small plain file a folder listing has just shown, read in one go;
    ``None`` whenever anything is not as simple (it is gone, it is not a regular file
    now, it is large, it changed size while read): :func:`read_bytes` then reads it,
    or says why it cannot. Thousands of files of a tree are read this way.
    """
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(descriptor)
        size = info.st_size
        if not stat.S_ISREG(info.st_mode) or size > limit or size >= CHUNK:
            return None
        data = os.read(descriptor, size + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    return data if len(data) == size else None


def _too_large(what: str, limit: int, message: str | None) -> str:
    return message or f"{what} is larger than {_size(limit)}"


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
