"""Which annotations a ``--format github`` run prints as workflow commands.

GitHub shows 10 error and 10 warning annotations per step (ci/limits.py) and drops the
rest without a word, in the order they were printed. So the most severe come first
(tool errors, then errors, warnings, notices), at most ``ANNOTATIONS_PER_KIND`` of each;
the others are listed as plain log lines between ``::stop-commands::`` markers (the
runner reads nothing in them as a command), and one notice says how many there are
and where to find them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from retell_lint.ci.limits import ANNOTATIONS_PER_KIND
from retell_lint.findings import Finding
from retell_lint.output import safe_text

RANK = {"error": 0, "warning": 1, "notice": 2}
NAMES = {"error": "error", "warning": "warning", "notice": "notice"}


class Annotation:
    """One workflow command and what it reports (plain class: no dataclasses import on
    the github path, which pre-commit runs in CI)."""

    __slots__ = ("command", "finding", "kind")

    def __init__(self, kind: str, command: str, finding: Finding | None) -> None:
        self.kind = kind  # error, warning or notice
        self.command = command  # the workflow command line
        self.finding = finding  # None for a tool error


def _plain(item: Annotation) -> str:
    finding = item.finding
    if finding is None:
        # The command itself, as data: "::error file=...::message" minus the leading "::".
        return f"{item.kind}: {item.command.split('::', 2)[-1]}"
    where = f"{safe_text(finding.file)}:{finding.line}:{finding.column}"
    severity = {"notice": "info"}.get(item.kind, item.kind)
    return f"{where}: {finding.rule} [{severity}] {safe_text(finding.message)} ({finding.name})"


def _split(items: Sequence[Annotation], notice_room: int) -> tuple[list[int], list[int]]:
    room = {"error": ANNOTATIONS_PER_KIND, "warning": ANNOTATIONS_PER_KIND, "notice": notice_room}
    shown: list[int] = []
    rest: list[int] = []
    for index in sorted(range(len(items)), key=lambda i: RANK[items[i].kind]):
        kind = items[index].kind
        if room[kind] > 0:
            room[kind] -= 1
            shown.append(index)
        else:
            rest.append(index)
    return shown, rest


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def capped(items: Sequence[Annotation]) -> list[str]:
    """The lines to print: shown annotations, the others as plain lines, one notice."""
    shown, rest = _split(items, ANNOTATIONS_PER_KIND)
    if not rest:
        return [items[i].command for i in shown]
    # The closing notice takes one of the notices' places.
    shown, rest = _split(items, ANNOTATIONS_PER_KIND - 1)
    lines = [items[i].command for i in shown]
    token = os.urandom(16).hex()
    lines.append(f"::stop-commands::{token}")
    lines.append(f"Not shown as annotations ({len(rest):,}):")
    lines += [_plain(items[i]) for i in rest]
    lines.append(f"::{token}::")
    by_kind = {kind: sum(items[i].kind == kind for i in rest) for kind in RANK}
    parts = ", ".join(_plural(count, NAMES[kind]) for kind, count in by_kind.items() if count)
    lines.append(
        f"::notice title=retell-lint::{len(rest):,} more findings ({parts}) are not shown as"
        " annotations (GitHub shows 10 errors and 10 warnings per step): they are listed in"
        " this step's log above this notice, and --format sarif or text reports them all"
    )
    return lines
