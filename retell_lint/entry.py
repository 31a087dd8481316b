"""The ``retell-lint`` command: a plain ``check`` starts without click.

pre-commit runs ``retell-lint check --force-exclude FILE...`` on every commit, and
for one file the interpreter's start-up is most of the run; click alone costs about
as much as linting the file. :func:`plain_check` recognises the few flags such a
run uses and builds the same :class:`~retell_lint.options.CheckOptions` the click
command would; anything else (another command, an option with a value, ``--help``,
``--``) goes to the full command line in :mod:`retell_lint.cli`. Of the options with a
value, ``--format`` and ``--jobs`` are taken here when their value is one click would
take as it is; any other value goes to click, which says what is wrong with it.
"""

from __future__ import annotations

import gc
import os
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


def _format(value: str) -> str | None:
    from retell_lint.options import CHECK_FORMATS

    return value if value in CHECK_FORMATS else None


def _jobs(value: str) -> int | None:
    # Plain ASCII digits only: click reads "+2", " 2" and "1_0" too, and says what is
    # wrong with "0"; all of those go to it.
    if value.isascii() and value.isdigit() and int(value) >= 1:
        return int(value)
    return None


# Option → the CheckOptions field it sets, and how its value is read (None: not here).
VALUED: dict[str, tuple[str, Any]] = {
    "--format": ("output_format", _format),
    "--jobs": ("jobs", _jobs),
    "-j": ("jobs", _jobs),
}


def plain_check(args: Sequence[str]) -> CheckOptions | None:
    """The options of ``check`` when ``args`` are ``check`` followed by paths and the
    flags of :data:`FLAGS` only; ``None`` when click must parse them."""
    if not args or args[0] != "check":
        return None
    paths: list[str] = []
    fields: dict[str, Any] = {}
    words = iter(args[1:])
    for arg in words:
        if arg.startswith("-") and arg != "-":
            flag = FLAGS.get(arg)
            if flag is not None:
                fields[flag[0]] = flag[1]
                continue
            valued = VALUED.get(arg)
            value = next(words, None)
            read = None if valued is None or value is None else valued[1](value)
            if valued is None or read is None:
                return None
            fields[valued[0]] = read
        else:
            paths.append(arg)
    if fields.get("statistics") and fields.get("output_format") in ("sarif", "junit"):
        return None  # click says --statistics prints text or json
    from retell_lint.options import CheckOptions
    from retell_lint.settings import Overrides

    return CheckOptions(paths=tuple(paths), overrides=Overrides(), **fields)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``retell-lint`` with ``argv`` (default: the process's) and return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    # A run allocates a node for every key and value it reads and frees few of them
    # before the report: with the default thresholds the collector walks that
    # growing heap hundreds of times for nothing (a tenth of a 1,000-file check).
    # Cyclic garbage is still collected, every 50,000 allocations.
    gc.set_threshold(50_000, 20, 20)
    options = plain_check(args)
    if options is None:
        from retell_lint.cli import main as full

        return full(args)
    from retell_lint.commands import run_check
    from retell_lint.guard import guarded, prepare_streams

    prepare_streams()
    if options.output_format == "json" and not (options.fix and "-" in options.paths):
        # As through click: a run that fails still prints a JSON document on stdout.
        from retell_lint import envelope

        envelope.expect_json("check")
    _PLAIN[0] = True
    return guarded(args, lambda: run_check(options))


# Whether the last run was a plain check (nothing left open when it returns).
_PLAIN = [False]


def run() -> None:
    """The ``retell-lint`` console script: :func:`main`, then the process ends.

    A plain check then ends at once, without freeing its objects one by one (for a
    10,000-file run that takes a quarter of a second) or running the interpreter's
    shutdown; what it wrote to stdout and stderr is flushed first. Its cache and any
    file it fixed are written and closed before it returns. Every other command ends
    as usual."""
    _PLAIN[0] = False
    code = main()
    if not _PLAIN[0]:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            code = 2  # a report that could not be written: the run failed
    os._exit(code)
