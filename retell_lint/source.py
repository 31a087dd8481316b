"""Reading a config file's bytes into text, and positions within it.

Everything here is cheap and import-light: it runs for every file in a
pre-commit hook.
"""

from __future__ import annotations

from typing import NamedTuple

# A file this large is still read (the limit protects memory, not style).
MAX_FILE_BYTES = 50 * 1024 * 1024


class Span(NamedTuple):
    """A region of a file; lines and columns are 1-based, the end is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


class Source:
    """One config file (or stdin) as text.

    ``name`` is the path as the user gave it (or as found under a folder they
    gave); it is what every finding reports. ``undecodable``: the bytes were
    not text (reported as RL001), so there is nothing to parse.
    """

    __slots__ = ("_lines", "bom", "name", "text", "undecodable")

    def __init__(self, name: str, text: str, undecodable: bool = False) -> None:
        self.name = name
        self.text = text
        self.undecodable = undecodable
        # The bytes started with a UTF-8 byte-order mark (dropped from ``text``).
        self.bom = False
        self._lines: list[str] | None = None

    def __repr__(self) -> str:
        return f"Source({self.name!r})"

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    def line_text(self, line: int) -> str:
        """The text of a 1-based line without its line end ('' past the end)."""
        lines = self.lines
        return lines[line - 1] if 0 < line <= len(lines) else ""


class DecodeProblem(Exception):
    """The bytes are not UTF-8 text; carries the 1-based position of the first bad byte."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def decode(data: bytes) -> str:
    """Decode a config file's bytes as UTF-8 (a byte-order mark is dropped).

    Raises :class:`DecodeProblem` for binary data and invalid UTF-8, with the
    position of the first offending byte.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    # UTF-16 has a byte-order mark or, without one, NUL bytes.
    if (nul != -1 or data.startswith((b"\xff\xfe", b"\xfe\xff"))) and _looks_utf16(data):
        raise DecodeProblem(
            "UTF-16 text; retell-lint reads UTF-8 only: save the file as UTF-8", 1, 1
        )
    if nul != -1:
        line, column = _position_of(data, nul)
        raise DecodeProblem("binary file (NUL byte); expected UTF-8 YAML text", line, column)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position_of(data, exc.start)
        raise DecodeProblem(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8", line, column
        ) from None


def _looks_utf16(data: bytes) -> bool:
    """A UTF-16 byte-order mark, or text whose every other byte is NUL (BOM-less UTF-16)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = data[:64]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return even.count(0) == len(even) or odd.count(0) == len(odd)


def _position_of(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column
