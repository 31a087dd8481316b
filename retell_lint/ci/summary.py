"""The job summary (``$GITHUB_STEP_SUMMARY``): counts and the most severe findings.

``check``'s summary is read back from its SARIF report (the format the action uploads
anyway); ``plan`` and ``drift`` show their Markdown report, which already fits a
comment. Text from files and servers is escaped for a Markdown table cell.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from retell_lint.ci.limits import SARIF_MAX_BYTES, SUMMARY_MAX_BYTES
from retell_lint.jsontext import parse_json
from retell_lint.output import safe_text

TOP_FINDINGS = 10
LEVEL_RANK = {"error": 0, "warning": 1, "note": 2, "none": 3}
LEVEL_NAMES = {"error": "error", "warning": "warning", "note": "info", "none": "info"}


@dataclass
class CheckCounts:
    errors: int = 0
    warnings: int = 0
    notes: int = 0
    files: int = 0
    top: list[dict[str, Any]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def findings(self) -> int:
        return self.errors + self.warnings + self.notes


def cell(text: str) -> str:
    """Data for a Markdown table cell: one line, no HTML, no table breaks."""
    text = safe_text(text).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("`", "'")


def read_sarif(path: Path) -> CheckCounts:
    """Counts and the most severe findings of a SARIF report written by ``check``."""
    from retell_lint.safe_io import read_text

    # check keeps its SARIF under SARIF_MAX_BYTES; anything far larger is not its report.
    report = parse_json(read_text(str(path), what="the SARIF report", limit=4 * SARIF_MAX_BYTES))
    run = report["runs"][0]
    results: list[dict[str, Any]] = run.get("results", [])
    levels = Counter(str(r.get("level", "warning")) for r in results)
    files = {_where(r).rsplit(":", 2)[0] for r in results}
    ranked = sorted(results, key=lambda r: LEVEL_RANK.get(str(r.get("level")), 3))
    counts = CheckCounts(
        errors=levels["error"],
        warnings=levels["warning"],
        notes=levels["note"] + levels["none"],
        files=len(files),
        top=ranked[:TOP_FINDINGS],
    )
    for invocation in run.get("invocations", []):
        for note in invocation.get("toolExecutionNotifications", []):
            counts.notices.append(str(note.get("message", {}).get("text", "")))
    return counts


def _where(result: dict[str, Any]) -> str:
    try:
        physical = result["locations"][0]["physicalLocation"]
        uri = unquote(str(physical["artifactLocation"]["uri"]))
        region = physical.get("region", {})
        return f"{uri}:{region.get('startLine', 1)}:{region.get('startColumn', 1)}"
    except (KeyError, IndexError, TypeError):
        return "?:1:1"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def check_summary(counts: CheckCounts | None, exit_code: int) -> str:
    lines = ["### retell-lint check", ""]
    if counts is None:
        lines.append(f"**retell-lint could not run** (exit {exit_code}): see the step's log.")
        return "\n".join(lines) + "\n"
    if counts.findings:
        total = _plural(counts.findings, "finding")
        lines.append(
            f"**{total}** in {_plural(counts.files, 'file')}: {counts.errors:,} errors, "
            f"{counts.warnings:,} warnings, {counts.notes:,} info."
        )
    else:
        lines.append("**No findings.**")
    if exit_code == 2:
        lines += ["", f"**retell-lint could not check everything** (exit {exit_code}):"]
        lines += [f"- {cell(note)}" for note in counts.notices[:TOP_FINDINGS]]
    elif counts.notices:
        lines += ["", *(f"- {cell(note)}" for note in counts.notices[:TOP_FINDINGS])]
    if counts.top:
        shown = len(counts.top)
        title = "Most severe findings" if shown < counts.findings else "Findings"
        lines += ["", f"#### {title} ({shown} of {counts.findings:,})", ""]
        lines += ["| Severity | Rule | Where | Message |", "|---|---|---|---|"]
        for result in counts.top:
            level = LEVEL_NAMES.get(str(result.get("level")), "info")
            rule = cell(str(result.get("ruleId", "")))
            where = cell(_where(result))
            message = cell(str(result.get("message", {}).get("text", "")))
            lines.append(f"| {level} | {rule} | {where} | {message} |")
    return "\n".join(lines) + "\n"


def report_summary(command: str, report: str, exit_code: int) -> str:
    if exit_code == 2 or not report.strip():
        return (
            f"### retell-lint {command}\n\n"
            f"**retell-lint could not run** (exit {exit_code}): see the step's log.\n"
        )
    return report


def bounded(text: str) -> str:
    """At most GitHub's step-summary size (the runner drops a larger summary whole)."""
    data = text.encode("utf-8")
    if len(data) <= SUMMARY_MAX_BYTES:
        return text
    note = "\n\n… (cut: a job summary holds at most 1 MiB)\n"
    keep = SUMMARY_MAX_BYTES - len(note.encode("utf-8"))
    return data[:keep].decode("utf-8", "ignore") + note
