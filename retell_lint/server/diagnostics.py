"""Findings → LSP diagnostics: exact ranges, rule id as code, documentation link,
severity, source, and tags for deprecated and redundant fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lsprotocol import types

from retell_lint.findings import Finding, rule_url
from retell_lint.fix.edits import Lines
from retell_lint.server.positions import LspLines, yaml_line_starts

SOURCE = "retell-lint"
SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}
# Fields the API no longer has (shown struck through) and fields that do nothing
# (shown faded): legacy agent fields and flat SIP parameter names; read-only fields
# and suppressions that suppress nothing.
DEPRECATED_RULES = frozenset(("RL009", "RL012"))
UNNECESSARY_RULES = frozenset(("RL006", "RL010", "RL304"))


class Positions:
    """Converts a finding's YAML line/column into an editor's range in one text."""

    __slots__ = ("lsp", "yaml")

    def __init__(self, text: str, encoding: str) -> None:
        self.lsp = LspLines(text, encoding)
        self.yaml = Lines.__new__(Lines)
        self.yaml.text = text
        if "\x85" in text or "\u2028" in text or "\u2029" in text:
            self.yaml.starts = yaml_line_starts(text)
        else:
            self.yaml.starts = self.lsp.starts  # the same lines

    def offsets(self, finding: Finding) -> tuple[int, int]:
        start = self.yaml.offset(finding.line, finding.column)
        end = self.yaml.offset(finding.end_line, finding.end_column)
        return start, max(start, end)

    def range_of(self, start: int, end: int) -> types.Range:
        line, character = self.lsp.position(start)
        end_line, end_character = self.lsp.position(end)
        return types.Range(
            start=types.Position(line=line, character=character),
            end=types.Position(line=end_line, character=end_character),
        )

    def finding_range(self, finding: Finding) -> types.Range:
        return self.range_of(*self.offsets(finding))


def to_diagnostic(finding: Finding, positions: Positions, index: int) -> types.Diagnostic:
    """One finding as a diagnostic; ``data`` names the finding for code actions."""
    url = rule_url(finding.rule, finding.name) if finding.url == "" else finding.url
    tags: list[types.DiagnosticTag] = []
    if finding.rule in DEPRECATED_RULES:
        tags.append(types.DiagnosticTag.Deprecated)
    if finding.rule in UNNECESSARY_RULES:
        tags.append(types.DiagnosticTag.Unnecessary)
    data: dict[str, Any] = {"rule": finding.rule, "index": index}
    return types.Diagnostic(
        range=positions.finding_range(finding),
        message=finding.message,
        severity=SEVERITY[finding.severity],
        code=finding.rule,
        code_description=types.CodeDescription(href=url) if url else None,
        source=SOURCE,
        tags=tags or None,
        data=data,
    )


def to_diagnostics(
    findings: Sequence[Finding], text: str, encoding: str = "utf-16"
) -> list[types.Diagnostic]:
    positions = Positions(text, encoding)
    return [to_diagnostic(finding, positions, index) for index, finding in enumerate(findings)]


def problem_diagnostic(line: int, column: int, message: str) -> types.Diagnostic:
    """A configuration that could not be loaded, shown on its file (to the line's end)."""
    start = types.Position(line=max(line - 1, 0), character=max(column - 1, 0))
    end = types.Position(line=max(line - 1, 0) + 1, character=0)
    return types.Diagnostic(
        range=types.Range(start=start, end=end),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        code="config",
        source=SOURCE,
    )
