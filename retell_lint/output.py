"""Exit codes and writing output: the lowest layer every command shares.

Exit codes, the same for every command and format:
  0  clean (no finding at or above the fail level; no drift; nothing to do)
  1  findings at or above the fail level, drift, or changes pending
  2  could not run: bad usage, invalid configuration, unreadable input,
     API failure, internal error
"""

from __future__ import annotations

import contextlib
import os
import re
import sys

from retell_lint.redact import display_name, safe_text

__all__ = ["display_name", "safe_text"]  # re-exported: every caller's one import

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_CODES_HELP = (
    "Exit codes: 0 no findings at or above the fail level; 1 findings (or drift); "
    "2 could not run (usage, configuration, I/O, API failure, internal error)."
)


# What click.echo strips from text that is not coloured and goes elsewhere than a terminal.
_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")


def echo(text: str = "", *, err: bool = False, nl: bool = True, colour: bool = False) -> None:
    """Write ``text`` to stdout (stderr with ``err``) and flush, as ``click.echo`` does,
    without loading click (the plain ``check`` path never does): a newline unless
    ``nl`` is false, and escape codes stripped unless ``colour`` or the stream is a
    terminal."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # no stream attached (pythonw): nothing to write to
        return
    if nl:
        text += "\n"
    if text and not colour and not _isatty(stream):
        text = _ANSI.sub("", text)
    if text:
        stream.write(text)
    stream.flush()


def _isatty(stream: object) -> bool:
    try:
        return bool(getattr(stream, "isatty", lambda: False)())
    except (ValueError, OSError):  # closed or detached
        return False


def write_output(text: str, output: str | None, colour: bool = False) -> None:
    """Write a report to stdout (``None`` or ``-``) or to a file."""
    if output is None or output == "-":
        echo(text, nl=False, colour=colour)
        return
    from retell_lint.safe_io import write_text

    # Atomic, never through a symbolic link, a read-only file refused.
    write_text(output, text, what="the output file", errors="backslashreplace")


def protect_streams() -> None:
    """Lone surrogates (``"\\ud800"`` in API JSON) print as ``\\ud800``, never crash.

    Python strings may hold them, UTF-8 cannot: with ``backslashreplace`` each one is
    written as its escape, which is also what it is in a JSON string.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            # A closed or unusual stream keeps its own handling.
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def use_colour(choice: str, output: str | None) -> bool:
    if choice == "always":
        return True
    if choice == "never" or output not in (None, "-") or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


# How stderr lines are escaped: "text", or "github" (workflow-command data too).
_stderr_style = "text"


def set_stderr_style(style: str) -> None:
    """``github`` escapes stderr lines as workflow-command data too."""
    global _stderr_style
    _stderr_style = style


def error_line(message: str) -> str:
    """The stderr line for ``message``: one line, whatever the message holds."""
    line = safe_text(message)
    if _stderr_style == "github":
        line = line.replace("%", "%25")
    return f"retell-lint: {line}"


def echo_error(message: str) -> None:
    """One line on stderr, prefixed with the tool's name."""
    echo(error_line(message), err=True)
