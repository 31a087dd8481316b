"""Which exported files to write into an existing tree, and writing them safely.

By default ``export`` writes only numbers no config in the configured tree declares
(a second declaration would be a duplicate number), and never replaces an existing
file. With ``--force`` it replaces files, including the file that declares a number
itself (a refresh), but still skips numbers declared in another file.

Files are never written through a symbolic link: a link where a file would go is
refused (with ``--force`` too), and every file is written to a temporary file in the
same folder and then moved into place (``os.link`` when nothing may be replaced, which
fails if anything appeared there meanwhile; ``os.replace`` otherwise, which replaces
the directory entry, never a link's target).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from retell_lint.errors import FatalError


@dataclass
class ExportPlan:
    """What an export will do: files to write, numbers skipped, files in the way."""

    write: list[tuple[str, str]] = field(default_factory=list)
    # (phone number, where it is declared)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    existing: list[Path] = field(default_factory=list)


def _same_file(declared_in: str, target: Path) -> bool:
    try:
        return os.path.samefile(declared_in, target)
    except OSError:
        return False


def plan_export(
    files: list[tuple[str, str, str]],
    declared: dict[str, str],
    folder: Path,
    *,
    force: bool,
) -> ExportPlan:
    """Decide per file. ``files``: (phone key, file name, YAML text); ``declared``: phone
    key → ``file:line`` of its declaration in the configured tree."""
    plan = ExportPlan()
    for key, name, text in files:
        target = folder / name
        where = declared.get(key)
        if where is not None:
            declared_file = where.rsplit(":", 1)[0]
            if not (force and _same_file(declared_file, target)):
                plan.skipped.append((key, where))
                continue
        if os.path.lexists(target):
            _check_target(target)
            if not force:
                plan.existing.append(target)
                continue
        plan.write.append((name, text))
    return plan


def _check_target(target: Path) -> None:
    mode = os.lstat(target).st_mode
    if stat.S_ISLNK(mode):
        raise FatalError(f"refusing to write through the symbolic link {target}")
    if not stat.S_ISREG(mode):
        raise FatalError(f"{target} exists and is not a regular file")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def prepare_folder(folder: Path) -> None:
    """Create the output folder; refuse one that is a link or not a folder."""
    if folder.is_symlink():
        raise FatalError(f"refusing to export into {folder}: it is a symbolic link")
    if folder.exists() and not folder.is_dir():
        raise FatalError(f"{folder} exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FatalError(f"cannot create {folder}: {exc.strerror or exc}") from None


def _move_new(temporary: str, target: Path) -> None:
    """Put ``temporary`` at ``target`` only if nothing (not even a link) is there."""
    refused = FatalError(f"refusing to overwrite {target}; use --force to overwrite")
    try:
        os.link(temporary, target)  # fails if anything is there now, links too
    except FileExistsError:
        raise refused from None
    except OSError:
        # A file system without hard links: check, then move.
        if os.path.lexists(target):
            raise refused from None
        os.replace(temporary, target)


def write_file(folder: Path, name: str, text: str, *, replace: bool) -> None:
    """Write ``folder/name`` through a temporary file; never through a link."""
    target = folder / name
    if os.path.lexists(target):
        _check_target(target)
        if not replace:
            raise FatalError(f"refusing to overwrite {target}; use --force to overwrite")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    except OSError as exc:
        raise FatalError(f"cannot write to {folder}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o666 & ~_umask())
        if replace:
            os.replace(temporary, target)
        else:
            _move_new(temporary, target)
    except OSError as exc:
        raise FatalError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
