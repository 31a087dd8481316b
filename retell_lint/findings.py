"""Findings: what a check reports, and severities."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from retell_lint.source import Span

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}
DOCS_BASE_URL = "https://github.com/retell-lint/retell-lint/blob/main/docs/rules.md"


def rule_url(rule_id: str, name: str) -> str:
    """The documentation link of a rule: its section in docs/rules.md."""
    return f"{DOCS_BASE_URL}#{rule_id.lower()}-{name}"


@dataclass
class Hit:
    """A finding as a check reports it, before the rule's name and configured
    severity are attached. ``severity`` overrides the rule's default for this one
    finding (RL007 warns for YAML 1.1-only ambiguity, RL104 for non-US numbers)."""

    rule: str
    message: str
    span: Span
    path: str = ""
    phone_number: str | None = None
    document: int = 0
    severity: Severity | None = None
    file: str = ""


@dataclass
class Finding:
    """One problem found at one place of one file."""

    rule: str
    name: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    path: str = ""
    phone_number: str | None = None
    # The document a finding belongs to; with ``path`` it keys the baseline.
    document: int = 0
    related: list[str] = field(default_factory=list)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "path": self.path,
            "phone_number": self.phone_number,
            "url": rule_url(self.rule, self.name),
        }


@dataclass
class ToolError:
    """Something that stopped part of a run (an unreadable file); not a finding."""

    message: str
    file: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "message": self.message}

    def __str__(self) -> str:
        return f"{self.file}: {self.message}" if self.file else self.message
