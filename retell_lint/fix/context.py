"""What a fixer sees: the file's parsed text and the finding's place in it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from retell_lint.fix.edits import Skipped
from retell_lint.fix.locate import Step, Tree, split_path

if TYPE_CHECKING:
    from retell_lint.findings import Finding

LIST_KEY = "phone_numbers"


class Context:
    """One file being fixed: its tree and every finding reported in it."""

    __slots__ = ("findings", "memo", "tree")

    def __init__(self, tree: Tree, findings: Sequence[Finding]) -> None:
        self.tree = tree
        self.findings = findings
        # What fixers work out once per file or per node (keeps fixing linear).
        self.memo: dict[Any, Any] = {}

    def follow(self, finding: Finding) -> list[Step] | Skipped:
        if not finding.path:
            return Skipped("the finding names no field")
        return self.tree.follow(finding.document, finding.path)

    @staticmethod
    def number_prefix(finding: Finding) -> str:
        """``phone_numbers[2]`` for a number in a list, else ''."""
        parts = split_path(finding.path)
        if len(parts) >= 2 and parts[0] == LIST_KEY and isinstance(parts[1], int):
            return f"{LIST_KEY}[{parts[1]}]"
        return ""

    def isolation(self, finding: Finding, what: str) -> str:
        return f"{finding.document}:{self.number_prefix(finding)}:{what}"


def field_name(finding: Finding) -> str | None:
    """The last key of a finding's path (the list's name for a list entry)."""
    keys = [part for part in split_path(finding.path) if isinstance(part, str)]
    return keys[-1] if keys else None


def in_list(finding: Finding) -> bool:
    """Whether a finding's path ends at a list entry."""
    parts = split_path(finding.path)
    return bool(parts) and isinstance(parts[-1], int)
