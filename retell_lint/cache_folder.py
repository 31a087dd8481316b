"""The cache folder and its files, never through a symbolic link: the folder is
opened without following one and every file is opened relative to it; writes go to
a new file that then replaces the old one. The folder is the cache's only when it
holds the cache's ``CACHEDIR.TAG`` (or is empty and gets one, with a ``.gitignore``
of ``*``): a folder holding anything else is never written to or cleared.
"""

from __future__ import annotations

import contextlib
import os
import stat

MAX_PACKS = 8
# A pack's facts file: "<settings>.facts" beside "<settings>.json".
FACTS_SUFFIX = ".facts"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by retell-lint.\n"
    "# For information about cache directory tags, see:\n"
    "#\thttps://bford.info/cachedir/\n"
)
GITIGNORE = "# Created by retell-lint: nothing here belongs in git.\n*\n"
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
DIRECTORY = getattr(os, "O_DIRECTORY", 0)
CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class CacheError(Exception):
    """The cache folder cannot be used (the run goes on without it)."""


def open_folder(folder: str, create: bool) -> int:
    """A descriptor of the folder, never through a symbolic link."""
    if create:
        parent = os.path.dirname(os.path.abspath(folder))
        try:
            os.makedirs(parent, exist_ok=True)
            os.mkdir(folder, 0o755)
        except FileExistsError:
            pass
        except OSError as exc:
            raise CacheError(f"cannot create {folder}: {exc.strerror or exc}") from None
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        raise CacheError(f"{folder} does not exist") from None
    except OSError as exc:
        raise CacheError(f"cannot use {folder}: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise CacheError(f"{folder} is not a folder (a symbolic link is never followed)")
    try:
        return os.open(folder, os.O_RDONLY | DIRECTORY | NOFOLLOW | CLOEXEC)
    except OSError as exc:
        raise CacheError(f"cannot open {folder}: {exc.strerror or exc}") from None


def read_file(name: str, folder_fd: int, limit: int) -> bytes | None:
    """A regular file's bytes (None when missing, a link, not regular, or too large)."""
    try:
        fd = os.open(name, os.O_RDONLY | NOFOLLOW | CLOEXEC, dir_fd=folder_fd)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks) if size <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def write_file(name: str, folder_fd: int, data: bytes) -> None:
    """Write ``name`` in the folder atomically: a new file, then a rename over it."""
    temporary = f".{name}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC
    fd = os.open(temporary, flags, 0o644, dir_fd=folder_fd)
    try:
        with os.fdopen(fd, "wb", closefd=True) as handle:
            handle.write(data)
        os.replace(temporary, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder_fd)
        raise


def prepare(folder: str) -> None:
    """Make the cache folder ready for another of the tool's files (apply's journal):
    created and tagged if missing; CacheError when it is a link or not a folder, or
    holds other files without being a retell-lint cache."""
    fd = open_folder(folder, create=True)
    try:
        claim(fd, folder)
    except OSError as exc:
        raise CacheError(f"cannot use {folder}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def is_ours(folder_fd: int) -> bool:
    return read_file("CACHEDIR.TAG", folder_fd, 4096) == CACHEDIR_TAG.encode()


def claim(folder_fd: int, folder: str) -> None:
    """Make sure the folder is the cache's: tagged already, or empty and tagged now.

    A folder holding anything else (``--cache-dir .`` by mistake) is never written
    to: its files are not the cache's to replace or remove."""
    if is_ours(folder_fd):
        return
    # Another run claiming it at this moment leaves only the tag files and its
    # temporary copies of them: the folder is still the cache's to claim.
    if any(not _claiming(name) for name in os.listdir(folder_fd)):
        raise CacheError(f"{folder} holds other files and is not a retell-lint cache")
    for name, text in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", GITIGNORE)):
        try:
            write_file(name, folder_fd, text.encode())
        except OSError as exc:
            raise CacheError(f"cannot write the cache: {exc.strerror or exc}") from None


def _claiming(name: str) -> bool:
    if name in ("CACHEDIR.TAG", ".gitignore"):
        return True
    return name.startswith((".CACHEDIR.TAG.", "..gitignore.")) and name.endswith(".tmp")


def prune(folder_fd: int, keep: str) -> None:
    """Keep the MAX_PACKS most recently written packs; remove stale temporary files."""
    packs: list[tuple[float, str]] = []
    try:
        names = os.listdir(folder_fd)
    except OSError:
        return
    for name in names:
        if not (name.endswith(".json") or name.endswith(".tmp")):
            continue  # facts files go with their packs, below
        try:
            info = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
        except OSError:
            continue
        if name.endswith(".tmp"):
            import time

            if time.time() - info.st_mtime > 3600:  # left by a run that was killed
                _unlink(folder_fd, name)
            continue
        if name != keep:
            packs.append((info.st_mtime, name))
    packs.sort(reverse=True)
    kept = {keep, *(name for _mtime, name in packs[: MAX_PACKS - 1])}
    for _mtime, name in packs[MAX_PACKS - 1 :]:
        _unlink(folder_fd, name)
    for name in names:
        if name.endswith(FACTS_SUFFIX) and name[: -len(FACTS_SUFFIX)] + ".json" not in kept:
            _unlink(folder_fd, name)


def _unlink(folder_fd: int, name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name, dir_fd=folder_fd)


def clear(folder: str) -> bool:
    """Remove the cache folder (only what retell-lint writes there). False: none there."""
    try:
        fd = open_folder(folder, create=False)
    except CacheError:
        if os.path.islink(folder):
            raise
        return False
    try:
        if not is_ours(fd):
            raise CacheError(f"{folder} is not a retell-lint cache (no CACHEDIR.TAG of ours)")
        for name in os.listdir(fd):
            # .jsonl: apply's journal, kept in the same folder.
            ours = name.endswith((".json", FACTS_SUFFIX, ".jsonl", ".tmp"))
            if ours or name in ("CACHEDIR.TAG", ".gitignore"):
                _unlink(fd, name)
    finally:
        os.close(fd)
    try:
        os.rmdir(folder)
    except OSError as exc:
        raise CacheError(f"cannot remove {folder}: {exc.strerror or exc}") from None
    return True
