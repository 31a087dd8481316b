"""One line per finding (``file:line:column: rule [severity] message``) and a summary."""

from __future__ import annotations

from retell_lint.engine import LintResult
from retell_lint.output import safe_text
from retell_lint.render.text import summary_line


def render(result: LintResult) -> str:
    lines = [
        f"{safe_text(finding.file)}:{finding.line}:{finding.column}: "
        f"{finding.rule} [{finding.severity}] {safe_text(finding.message)}"
        for finding in result.findings
    ]
    lines.extend(f"error: {error}" for error in result.errors)
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
