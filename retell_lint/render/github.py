"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` per finding.

The runner drops ``col`` and ``endColumn`` when ``line`` and ``endLine`` differ, so a
finding spanning lines is annotated at its start (line and column) only.
"""

from __future__ import annotations

from retell_lint.engine import LintResult
from retell_lint.findings import Finding
from retell_lint.redact import workflow_data, workflow_property
from retell_lint.render.text import summary_line

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message (what follows the second ``::``)."""
    return workflow_data(text)


def escape_property(text: str) -> str:
    """Escape a property value (``file=…``, ``title=…``)."""
    return workflow_property(text)


def _command(name: str, properties: list[tuple[str, str]], message: str) -> str:
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def _position(finding: Finding) -> list[tuple[str, str]]:
    line = max(1, finding.line)
    column = max(1, finding.column)
    end_line = max(line, finding.end_line)
    if end_line != line:
        return [("line", str(line)), ("col", str(column))]
    end_column = max(column, finding.end_column)
    return [
        ("line", str(line)),
        ("col", str(column)),
        ("endLine", str(end_line)),
        ("endColumn", str(end_column)),
    ]


def annotation(finding: Finding) -> str:
    properties = [("file", finding.file), *_position(finding)]
    properties.append(("title", f"{finding.rule} {finding.name}"))
    return _command(COMMANDS[finding.severity], properties, finding.message)


def render(result: LintResult) -> str:
    """Annotations, most severe first, as many as GitHub shows (ci/annotations.py)."""
    from retell_lint.ci.annotations import Annotation, capped

    items = [
        Annotation(
            "error", _command("error", [("file", e.file)] if e.file else [], e.message), None
        )
        for e in result.errors
    ]
    items += [
        Annotation(COMMANDS[finding.severity], annotation(finding), finding)
        for finding in result.findings
    ]
    return "\n".join([*capped(items), summary_line(result)]) + "\n"
