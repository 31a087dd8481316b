"""Findings: what a check reports, and severities."""

from __future__ import annotations

from typing import Any, Literal

from retell_lint.source import Span

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}
DOCS_BASE_URL = "https://github.com/retell-lint/retell-lint/blob/main/docs/rules.md"


def rule_url(rule_id: str, name: str) -> str:
    """The documentation link of a rule: its section in docs/rules.md."""
    return f"{DOCS_BASE_URL}#{rule_id.lower()}-{name}"


class Hit:
    """A finding as a check reports it, before the rule's name and configured
    severity are attached. ``severity`` overrides the rule's default for this one
    finding (RL007 warns for YAML 1.1-only ambiguity, RL104 for non-US numbers)."""

    __slots__ = ("document", "file", "message", "path", "phone_number", "rule", "severity", "span")

    def __init__(
        self,
        rule: str,
        message: str,
        span: Span,
        path: str = "",
        phone_number: str | None = None,
        document: int = 0,
        severity: Severity | None = None,
        file: str = "",
    ) -> None:
        self.rule = rule
        self.message = message
        self.span = span
        self.path = path
        self.phone_number = phone_number
        self.document = document
        self.severity = severity
        self.file = file

    def __repr__(self) -> str:
        return (
            f"Hit({self.rule}, {self.file}:{self.span.line}:{self.span.column}, {self.message!r})"
        )


class Finding:
    """One problem found at one place of one file."""

    __slots__ = (
        "column",
        "document",
        "end_column",
        "end_line",
        "file",
        "fix",
        "line",
        "message",
        "name",
        "path",
        "phone_number",
        "rule",
        "severity",
        "url",
    )

    def __init__(
        self,
        rule: str,
        name: str,
        severity: Severity,
        message: str,
        file: str,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        path: str = "",
        phone_number: str | None = None,
        document: int = 0,
        url: str | None = "",
    ) -> None:
        self.rule = rule
        self.name = name
        self.severity: Severity = severity
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.path = path
        self.phone_number = phone_number
        # The document a finding belongs to; with ``path`` it keys the baseline.
        self.document = document
        # The documentation link: "" for a built-in rule's section of docs/rules.md;
        # a team policy's own url, or None when it gives none.
        self.url = url
        # The automatic fix (retell_lint.fix.edits.Fix), when one was worked out.
        self.fix: Any = None

    def __repr__(self) -> str:
        return (
            f"Finding({self.rule}, {self.file}:{self.line}:{self.column}, "
            f"{self.severity}, {self.message!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

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
            "url": rule_url(self.rule, self.name) if self.url == "" else self.url,
            "fix": self.fix.to_dict() if self.fix is not None else None,
        }


class ToolError:
    """Something that stopped part of a run (an unreadable file); not a finding."""

    __slots__ = ("file", "message")

    def __init__(self, message: str, file: str | None = None) -> None:
        self.message = message
        self.file = file

    def __repr__(self) -> str:
        return f"ToolError({self.message!r}, file={self.file!r})"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "message": self.message}

    def __str__(self) -> str:
        from retell_lint.output import safe_text

        text = f"{self.file}: {self.message}" if self.file else self.message
        return safe_text(text)
