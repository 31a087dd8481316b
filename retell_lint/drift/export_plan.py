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

import os
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
    from retell_lint.safe_io import check_target

    check_target(str(target), what="the file")


def prepare_folder(folder: Path, inside: str | None = None) -> None:
    """Create the output folder; refuse one that is a link, not a folder, or (named
    inside ``inside``) reached through a linked folder that leaves it."""
    from retell_lint.safe_io import make_folder

    make_folder(str(folder), what="the export folder", inside=inside)


def write_file(
    folder: Path,
    name: str,
    text: str,
    *,
    replace: bool,
    inside: str | None = None,
    written: list[str] | None = None,
) -> None:
    """Write ``folder/name`` through a temporary file; never through a link."""
    from retell_lint.safe_io import TargetExists, write_text

    target = folder / name
    if not replace and os.path.lexists(target):
        _check_target(target)
        raise FatalError(f"refusing to overwrite {target}; use --force to overwrite")
    try:
        write_text(
            str(target), text, what="the file", inside=inside, replace=replace, written=written
        )
    except TargetExists:
        raise FatalError(f"refusing to overwrite {target}; use --force to overwrite") from None
