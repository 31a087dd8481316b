"""Edits and fixes, as ruff models them, and positions in a text.

An :class:`Edit` replaces the characters ``[start, end)`` of a file's text with
``text`` (an insertion when start == end, a deletion when text is empty). A
:class:`Fix` is one or more edits applied together or not at all, with an
applicability: ``safe`` fixes are applied by ``--fix``, ``unsafe`` ones (they
change what the config means) only with ``--unsafe-fixes``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Literal, NamedTuple

Applicability = Literal["safe", "unsafe"]
# Line breaks as YAML readers count lines (libyaml and ruamel.yaml alike).
LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


class Edit(NamedTuple):
    start: int
    end: int
    text: str
    # For an edit that removes an entry: its collection, as "offset/entries" (a pass
    # never removes every entry of a collection).
    removes: str = ""


class Fix:
    """Edits that repair one finding, applied together.

    ``isolation``: fixes sharing a key are never applied in the same pass (two
    moves into one ``sip_outbound_trunk_config`` that does not exist yet would
    each create it); the later one waits for the next pass.
    """

    __slots__ = ("applicability", "description", "edits", "isolation")

    def __init__(
        self,
        description: str,
        edits: Iterable[Edit],
        applicability: Applicability = "safe",
        isolation: str | None = None,
    ) -> None:
        self.description = description
        self.edits = tuple(sorted(edits))
        self.applicability: Applicability = applicability
        self.isolation = isolation
        for before, after in zip(self.edits, self.edits[1:], strict=False):
            if overlap(before, after):
                raise ValueError(f"edits of one fix overlap: {before} and {after}")

    def __repr__(self) -> str:
        return f"Fix({self.applicability}, {self.description!r}, {list(self.edits)})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Fix):
            return NotImplemented
        return (self.applicability, self.description, self.edits) == (
            other.applicability,
            other.description,
            other.edits,
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def start(self) -> int:
        return self.edits[0].start if self.edits else 0

    def to_dict(self) -> dict[str, Any]:
        """What the JSON report says of a fix."""
        return {"applicability": self.applicability, "description": self.description}


class Skipped(NamedTuple):
    """A finding whose rule can fix, but not here; ``reason`` says why."""

    reason: str


def overlap(a: Edit, b: Edit) -> bool:
    """Whether two edits touch the same characters (two insertions at one place do)."""
    if a.start == a.end == b.start == b.end:
        return True
    return a.start < b.end and b.start < a.end


class Taken:
    """Edits taken so far in a pass, sorted, for overlap checks in logarithmic time."""

    __slots__ = ("edits",)

    def __init__(self) -> None:
        self.edits: list[Edit] = []

    def clashes(self, edit: Edit) -> bool:
        from bisect import bisect_left

        index = bisect_left(self.edits, edit)
        # Taken edits are disjoint, so only the neighbours can overlap (an insertion
        # may sit at the start of a neighbour's range, so look one further each way).
        return any(overlap(edit, other) for other in self.edits[max(0, index - 2) : index + 2])

    def add(self, edit: Edit) -> None:
        from bisect import insort

        insort(self.edits, edit)


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` applied."""
    parts: list[str] = []
    position = 0
    for edit in sorted(edits):
        if edit.start < position:
            raise ValueError(f"overlapping edit {edit}")
        parts.append(text[position : edit.start])
        parts.append(edit.text)
        position = edit.end
    parts.append(text[position:])
    return "".join(parts)


class Lines:
    """Offsets of a text's lines, with line breaks counted as YAML readers count them."""

    __slots__ = ("starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [match.end() for match in LINE_BREAK.finditer(text)]

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based line and column (clamped to the text)."""
        if line > len(self.starts):
            return len(self.text)
        return min(self.starts[max(line, 1) - 1] + max(column, 1) - 1, len(self.text))

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of an offset."""
        from bisect import bisect_right

        index = bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def line_of(self, offset: int) -> int:
        """The 0-based index of the line holding ``offset``."""
        from bisect import bisect_right

        return bisect_right(self.starts, offset) - 1

    def line_start(self, offset: int) -> int:
        return self.starts[self.line_of(offset)]

    def content_end(self, offset: int) -> int:
        """Where the line holding ``offset`` ends, before its line break."""
        index = self.line_of(offset)
        if index + 1 >= len(self.starts):
            return len(self.text)
        end = self.starts[index + 1]
        return end - 2 if self.text[end - 2 : end] == "\r\n" else end - 1

    def next_line_start(self, offset: int) -> int:
        """The start of the line after the one holding ``offset`` (or the text's end)."""
        index = self.line_of(offset)
        return self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)

    @property
    def newline(self) -> str:
        """The text's line break: that of its first line, else a line feed."""
        match = LINE_BREAK.search(self.text)
        return match.group() if match is not None else "\n"
