"""Exit codes and writing output: the lowest layer every command shares.

Exit codes, the same for every command and format:
  0  clean (no finding at or above the fail level; no drift; nothing to do)
  1  findings at or above the fail level, drift, or changes pending
  2  could not run: bad usage, invalid configuration, unreadable input,
     API failure, internal error
"""

from __future__ import annotations

import os
import re
import sys

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
    from retell_lint.safe_io import write_text

    # Atomic, never through a symbolic link, a read-only file refused.
    write_text(output, text, what="the output file")


def use_colour(choice: str, output: str | None) -> bool:
    if choice == "always":
        return True
    if choice == "never" or output not in (None, "-") or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


# C0 and C1 controls (ESC starts terminal sequences; CR, LF and the Unicode line
# breaks start new lines), bidirectional overrides, and lone surrogates (bytes
# of a file name that are not UTF-8).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# How stderr lines are escaped: "text", or "github" (workflow-command data too).
_stderr_style = "text"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\n``, ``\\x1b``).

    For data the tool did not write itself (file names, keys, values, server
    messages) on its way to a terminal or a CI log: it can neither start a line
    of its own nor send an escape sequence.
    """
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def display_name(path: str) -> str:
    """A file name as reports show it: valid Unicode (undecodable bytes as ``\\xNN``)."""
    return _SURROGATE.sub(_escape, path)


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
    import click

    click.echo(error_line(message), err=True)
