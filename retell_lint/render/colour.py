"""Colour for the drift and plan text reports on a terminal (``NO_COLOR`` respected).

The reports are rendered plain (every value from a file or server already escaped);
colour is added afterwards by the mark each line starts with, so no escape sequence
can come from the data.
"""

from __future__ import annotations

RED, GREEN, YELLOW, CYAN = "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[36m"
BOLD, DIM, RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
# The first character of a report line: what it says about the number.
MARK_COLOURS = {
    "~": YELLOW,  # changed / update
    "+": GREEN,  # missing / create / import
    "-": RED,  # delete
    "!": RED,  # unknown / cannot apply
    "?": DIM,  # unmanaged
    "#": DIM,  # ignored
    "=": DIM,  # in sync
}
SUMMARY_PREFIXES = ("Summary:", "Plan:")


def colourise(text: str) -> str:
    """``text`` (a drift or plan text report) with its marks and summary coloured."""
    lines = []
    for line in text.split("\n"):
        colour = MARK_COLOURS.get(line[:1]) if line[1:2] == " " else None
        if colour is not None:
            line = colour + line + RESET
        elif line.startswith(SUMMARY_PREFIXES):
            line = BOLD + line + RESET
        lines.append(line)
    return "\n".join(lines)
