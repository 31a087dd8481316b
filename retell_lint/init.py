"""``retell-lint init``: the configuration, pre-commit hooks and a CI workflow for a repository.

Each file is written only when it does not exist (and no other file already does its
job): nothing is ever overwritten, and nothing is written through a symbolic link.
Where a file exists without retell-lint in it (``.pre-commit-config.yaml``), the lines
to add are printed instead.
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path

import click

from retell_lint import __version__
from retell_lint.config import CONFIG_NAMES, DEFAULT_INCLUDE, find_config
from retell_lint.errors import FatalError
from retell_lint.output import EXIT_CLEAN, safe_text

PLACEHOLDER_SOURCE = "https://git.example.com/your-team/retell-lint"
WORKFLOW = Path(".github/workflows/retell-lint.yaml")
PRE_COMMIT = Path(".pre-commit-config.yaml")
# How much of the tree init reads to find where the phone-number configs are.
SCAN_FILES, SCAN_DEPTH, SCAN_BYTES = 5000, 6, 64 * 1024
SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".github"}
NUMBER_KEY = re.compile(r"^(-\s+)?(phone_number|phone_numbers)\s*:", re.M)


@dataclass(frozen=True)
class InitOptions:
    source: str = PLACEHOLDER_SOURCE
    rev: str = f"v{__version__}"
    dry_run: bool = False


def repository_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding ``.git``; ``start`` without one."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def find_config_folders(root: Path) -> list[str]:
    """Folders (relative, sorted) holding YAML files that declare phone numbers."""
    folders: set[str] = set()
    seen = 0
    for current, dirs, files in os.walk(root):
        depth = len(Path(current).relative_to(root).parts)
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        if depth >= SCAN_DEPTH:
            dirs[:] = []
        for name in sorted(files):
            if not name.endswith((".yaml", ".yml")) or name.startswith("."):
                continue
            seen += 1
            if seen > SCAN_FILES:
                return sorted(folders)
            path = Path(current) / name
            if path.is_symlink() or not path.is_file():
                continue
            try:
                with open(path, "rb") as handle:
                    head = handle.read(SCAN_BYTES).decode("utf-8", "replace")
            except OSError:
                continue
            if NUMBER_KEY.search(head):
                folders.add(Path(current).relative_to(root).as_posix())
    return sorted(folders)


def include_globs(folders: list[str]) -> list[str]:
    """Include globs for the top folders of the configs found (the defaults: none found)."""
    if not folders:
        return list(DEFAULT_INCLUDE)
    globs: list[str] = []
    for top in sorted({folder.split("/", 1)[0] for folder in folders}):
        prefix = "" if top == "." else f"{top}/**/"
        globs += [f"{prefix}*.yaml", f"{prefix}*.yml"]
    return globs


def config_text(include: list[str]) -> str:
    lines = [
        "# retell-lint configuration, written by 'retell-lint init'.",
        "# Every key is described in the README (Configuration).",
        "include:",
        *(f'  - "{glob}"' for glob in include),
        "fail_level: error",
        "rules: {}",
    ]
    return "\n".join(lines) + "\n"


def files_pattern(include: list[str]) -> str | None:
    """The pre-commit ``files:`` regex for the include globs (None: the hooks' default)."""
    if include == list(DEFAULT_INCLUDE):
        return None
    tops = sorted({glob.split("/", 1)[0] for glob in include if "/" in glob})
    if not tops:
        return r"\.ya?ml$"
    return "^(" + "|".join(re.escape(top) for top in tops) + r")/.*\.ya?ml$"


def pre_commit_snippet(options: InitOptions, include: list[str]) -> str:
    files = files_pattern(include)
    hook = "      - id: retell-lint"
    if files is not None:
        hook += f"\n        files: '{files}'"
    return (
        f"  - repo: {options.source}   # your copy of retell-lint\n"
        f"    rev: {options.rev}\n"
        "    hooks:\n"
        f"{hook}\n"
    )


def workflow_text(options: InitOptions) -> str:
    return f"""\
# Lints the Retell phone-number configs on every push and pull request
# (written by 'retell-lint init'). retell-lint is not on PyPI: it is installed
# from your copy of its repository.
name: retell-lint
on: [push, pull_request]
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install "git+{options.source}.git@{options.rev}"
      - run: retell-lint check
"""


def _mkdirs(root: Path, folder: Path, *, create: bool = True) -> None:
    """Create ``folder`` under ``root``; refuse when any part of it is a link."""
    current = root
    for part in folder.relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            raise FatalError(f"refusing to write under {current}: it is a symbolic link")
        if not current.exists():
            if not create:
                return
            current.mkdir()
        elif not current.is_dir():
            raise FatalError(f"cannot write under {current}: it is not a folder")


def write_new(path: Path, text: str) -> bool:
    """Write ``path`` if nothing is there, atomically; False if something is (even a
    dangling link). Never follows a link."""
    # One function, so that the shared safe-write helper can replace it in one place.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(temporary, flags, 0o666)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
            try:
                os.link(temporary, path)  # fails when anything (a link too) is at path
            except FileExistsError:
                return False
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV):
                    raise
                return _write_exclusive(path, text)  # a file system without hard links
            return True
        finally:
            os.unlink(temporary)
    except OSError as exc:
        raise FatalError(f"cannot write {path}: {exc.strerror or exc}") from None


def _write_exclusive(path: Path, text: str) -> bool:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags, 0o666)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    return True


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def run_init(options: InitOptions, cwd: Path | None = None) -> int:
    root = repository_root((cwd or Path.cwd()).resolve())
    say = click.echo
    shown = safe_text(str(root))
    say(f"{'Would set up' if options.dry_run else 'Setting up'} retell-lint in {shown}")
    existing = find_config(root)
    include = include_globs(find_config_folders(root))
    planned: list[tuple[Path, str]] = []
    if existing is not None:
        say(f"  kept {safe_text(str(existing.relative_to(root)))}: a configuration exists")
        from retell_lint.config import load_config

        include = load_config(str(existing)).include
    elif any(_exists(root / name) for name in CONFIG_NAMES):
        say("  kept .retell-lint.yaml: something is there already")
    else:
        planned.append((root / CONFIG_NAMES[0], config_text(include)))
    pre_commit = root / PRE_COMMIT
    snippet = pre_commit_snippet(options, include)
    if pre_commit.is_symlink() or (pre_commit.exists() and not pre_commit.is_file()):
        say(f"  kept {PRE_COMMIT}: not a regular file")
    elif pre_commit.exists():
        try:
            with open(pre_commit, "rb") as handle:
                text = handle.read(SCAN_BYTES * 16).decode("utf-8", "replace")
        except OSError as exc:
            raise FatalError(f"cannot read {PRE_COMMIT}: {exc.strerror or exc}") from None
        if "retell-lint" in text:
            say(f"  kept {PRE_COMMIT}: it already runs retell-lint")
        else:
            say(f"  kept {PRE_COMMIT}: add these lines under its 'repos:' key:")
            say(snippet.rstrip("\n"))
    else:
        planned.append((pre_commit, "repos:\n" + snippet))
    workflows = root / WORKFLOW.parent
    if _exists(root / WORKFLOW) or _mentions_retell_lint(workflows):
        say(f"  kept {WORKFLOW.parent}: a workflow runs retell-lint already")
    else:
        planned.append((root / WORKFLOW, workflow_text(options)))
    for path, _text in planned:
        _mkdirs(root, path.parent, create=False)  # refuse before anything is written
    for path, text in planned:
        relative = path.relative_to(root)
        if options.dry_run:
            say(f"  would write {relative}:")
            say("\n".join(f"    {line}" for line in text.rstrip("\n").splitlines()))
            continue
        _mkdirs(root, path.parent)
        if write_new(path, text):
            say(f"  wrote {relative}")
        else:
            say(f"  kept {relative}: it appeared while init ran")
    if not planned:
        say("Nothing to write: retell-lint is set up here. Next: retell-lint check")
    elif options.source == PLACEHOLDER_SOURCE:
        say(
            f"Next: replace {PLACEHOLDER_SOURCE} with the URL of your copy of retell-lint "
            "(or run init with --source URL), then run: retell-lint check"
        )
    else:
        say("Next: retell-lint check")
    return EXIT_CLEAN


def _mentions_retell_lint(folder: Path) -> bool:
    if folder.is_symlink() or not folder.is_dir():
        return False
    for path in sorted(folder.iterdir())[:200]:
        if path.suffix in (".yml", ".yaml") and path.is_file() and not path.is_symlink():
            try:
                if "retell-lint" in path.read_text(encoding="utf-8", errors="replace"):
                    return True
            except OSError:
                continue
    return False
