"""Positions: a finding's 1-based line/column (lines as YAML counts them, columns in
characters) ↔ text offsets ↔ LSP positions (0-based; lines end at \\n, \\r\\n or \\r
only; columns in UTF-16 code units unless the client agreed to UTF-32 or UTF-8)."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

# The line breaks of the Language Server Protocol (YAML also counts NEL, LS and PS).
LSP_BREAK = re.compile(r"\r\n|[\r\n]")


class LspLines:
    """Offsets of a text's lines as an editor counts them, and position conversion."""

    __slots__ = ("encoding", "starts", "text")

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.encoding = encoding
        self.starts = line_starts(text)

    def _units(self, chunk: str) -> int:
        if self.encoding == "utf-32":
            return len(chunk)
        if self.encoding == "utf-8":
            return len(chunk.encode("utf-8", "surrogatepass"))
        if chunk.isascii():
            return len(chunk)
        return len(chunk) + sum(1 for char in chunk if ord(char) > 0xFFFF)

    def position(self, offset: int) -> tuple[int, int]:
        """The 0-based line and character of a text offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        # An offset inside a \r\n pair belongs at the end of the line.
        return line, self._units(self.text[start:offset])

    def offset(self, line: int, character: int) -> int:
        """The text offset of a 0-based line and character (clamped to the line)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[line]
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        content = self.text[start:end].rstrip("\r\n")
        if self.encoding == "utf-32" or content.isascii():
            return start + min(max(character, 0), len(content))
        units = 0
        for index, char in enumerate(content):
            if units >= character:
                return start + index
            if self.encoding == "utf-8":
                units += len(char.encode("utf-8", "surrogatepass"))
            else:
                units += 2 if ord(char) > 0xFFFF else 1
        return start + len(content)


def line_starts(text: str) -> list[int]:
    """Where each line starts (lines end at \\n, \\r\\n or \\r)."""
    if "\r" not in text:
        # Splitting and adding up lengths runs in C: a keystroke in a large file
        # needs this for every publish.
        return list(accumulate(map((1).__add__, map(len, text.split("\n")[:-1])), initial=0))
    return [0] + [match.end() for match in LSP_BREAK.finditer(text)]


def yaml_line_starts(text: str) -> list[int]:
    """Where each line starts as YAML counts lines (NEL, LS and PS end lines too)."""
    if "\x85" not in text and "\u2028" not in text and "\u2029" not in text:
        return line_starts(text)
    from retell_lint.fix.edits import LINE_BREAK

    return [0] + [match.end() for match in LINE_BREAK.finditer(text)]
