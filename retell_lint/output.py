"""Exit codes and writing output: the lowest layer every command shares.

Exit codes, the same for every command and format:
  0  clean (no finding at or above the fail level; no drift; nothing to do)
  1  findings at or above the fail level, drift, or changes pending
  2  could not run: bad usage, invalid configuration, unreadable input,
     API failure, internal error
"""

from __future__ import annotations

import os
import sys

from retell_lint.errors import FatalError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_CODES_HELP = (
    "Exit codes: 0 no findings at or above the fail level; 1 findings (or drift); "
    "2 could not run (usage, configuration, I/O, API failure, internal error)."
)


def write_output(text: str, output: str | None, colour: bool = False) -> None:
    """Write a report to stdout (``None`` or ``-``) or to a file."""
    if output is None or output == "-":
        import click

        # click strips escape codes when stdout is not a terminal unless told not to.
        click.echo(text, nl=False, color=colour or None)
        return
    try:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise FatalError(f"cannot write {output}: {exc.strerror or exc}") from None


def use_colour(choice: str, output: str | None) -> bool:
    if choice == "always":
        return True
    if choice == "never" or output not in (None, "-") or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def echo_error(message: str) -> None:
    """One line on stderr, prefixed with the tool's name."""
    import click

    click.echo(f"retell-lint: {message}", err=True)
