"""Markdown reports that fit a pull-request comment, cut by section.

A report is a head (title, counts), sections (a heading, one block of lines per number,
closing lines) and a tail. When the whole report is longer than the limit, each section
keeps its first numbers (up to ``FLOOR``), then as many more as fit, earlier sections
first, and ends with
"… N more numbers" saying where the full list is. Every section keeps its heading, so
no kind of change disappears from the comment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from retell_lint.ci.limits import COMMENT_MAX_CHARS, MARKDOWN_MAX_CHARS

# Numbers every section shows before an earlier section takes the rest of the room.
FLOOR = 10


@dataclass
class Item:
    """One number's lines in a section (a table row group, a bullet, a block)."""

    text: str
    number: str


@dataclass
class Section:
    head: list[str]
    items: list[Item]
    tail: list[str] = field(default_factory=list)


def _cost(lines: Sequence[str]) -> int:
    return sum(len(line) + 1 for line in lines)


def more_line(count: int, where: str) -> str:
    noun = "number" if count == 1 else "numbers"
    return (
        f"… {count:,} more {noun} (cut to fit a pull-request comment of "
        f"{COMMENT_MAX_CHARS:,} characters; {where})"
    )


def _more(count: int, where: str) -> list[str]:
    # Blank lines around it: a table or a list would take the note as one of its own, and
    # the next heading starts a block of its own.
    return ["", more_line(count, where), ""]


def _lines(
    head: list[str], sections: list[tuple[Section, int]], tail: list[str], where: str
) -> str:
    lines = list(head)
    for section, shown in sections:
        lines += section.head
        lines += [item.text for item in section.items[:shown]]
        left = {item.number for item in section.items[shown:]}
        if left:
            lines += _more(len(left), where)
        lines += section.tail
    lines += tail
    return "\n".join(lines) + "\n"


def fit(
    head: list[str],
    sections: list[Section],
    tail: list[str],
    where: str,
    limit: int = MARKDOWN_MAX_CHARS,
) -> str:
    """The report whole when it fits in ``limit`` characters, else cut by section."""
    whole = [(section, len(section.items)) for section in sections]
    text = _lines(head, whole, tail, where)
    if len(text) <= limit:
        return text
    # What every section needs whatever happens: its heading, closing lines, the note.
    fixed = _cost(head) + _cost(tail)
    for section in sections:
        fixed += _cost(section.head) + _cost(section.tail)
        fixed += _cost(_more(len(section.items), where))
    budget = limit - fixed
    # Two passes: the first few numbers of every section, then the rest in order, so a
    # long first section cannot crowd out the ones after it.
    shown = [0] * len(sections)
    for floor in (FLOOR, None):
        for index, section in enumerate(sections):
            stop = len(section.items) if floor is None else min(floor, len(section.items))
            while shown[index] < stop:
                cost = len(section.items[shown[index]].text) + 1
                if cost > budget:
                    break
                budget -= cost
                shown[index] += 1
    return _lines(head, list(zip(sections, shown, strict=True)), tail, where)


def fit_table(lines: list[str], rows: list[str], where: str) -> str:
    """``lines`` ending with a table's header, then ``rows``: cut by number.

    A row whose first two cells are empty continues the number above it (more fields of
    one change); the second cell names the number (an escaped ``|`` is ``\\|``, so the
    first `` | `` ends the first cell and the second one the number's).
    """
    items: list[Item] = []
    for row in rows:
        if row.startswith("|  |  | ") and items:
            items[-1].text += "\n" + row
            continue
        cells = row.split(" | ", 2)
        items.append(Item(row, cells[1] if len(cells) > 2 else row))
    return fit(lines[:-2], [Section(lines[-2:], items, [""])], [], where)
