"""The ``retell-lint`` command: a plain ``check`` starts without click.

pre-commit runs ``retell-lint check --force-exclude FILE...`` on every commit, and
for one file the interpreter's start-up is most of the run; click alone costs about
as much as linting the file. :func:`plain_check` recognises the few flags such a
run uses and builds the same :class:`~retell_lint.options.CheckOptions` the click
command would; anything else (another command, an option with a value, ``--help``,
``--``) goes to the full command line in :mod:`retell_lint.cli`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from retell_lint.options import CheckOptions

# Flag → the CheckOptions field it sets, and to what. Only flags that take no value
# and need no check against other options belong here.
FLAGS: dict[str, tuple[str, bool]] = {
    "--force-exclude": ("force_exclude", True),
    "--no-cache": ("cache", False),
    "--exit-zero": ("exit_zero", True),
    "--quiet": ("quiet", True),
    "-q": ("quiet", True),
    "--fix": ("fix", True),
    "--statistics": ("statistics", True),
}


def plain_check(args: Sequence[str]) -> CheckOptions | None:
    """The options of ``check`` when ``args`` are ``check`` followed by paths and the
    flags of :data:`FLAGS` only; ``None`` when click must parse them."""
    if not args or args[0] != "check":
        return None
    paths: list[str] = []
    fields: dict[str, Any] = {}
    for arg in args[1:]:
        if arg.startswith("-") and arg != "-":
            flag = FLAGS.get(arg)
            if flag is None:
                return None
            fields[flag[0]] = flag[1]
        else:
            paths.append(arg)
    from retell_lint.options import CheckOptions
    from retell_lint.settings import Overrides

    return CheckOptions(paths=tuple(paths), overrides=Overrides(), **fields)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``retell-lint`` with ``argv`` (default: the process's) and return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    options = plain_check(args)
    if options is None:
        from retell_lint.cli import main as full

        return full(args)
    from retell_lint.commands import run_check
    from retell_lint.guard import guarded, prepare_streams

    prepare_streams()
    return guarded(args, lambda: run_check(options))
