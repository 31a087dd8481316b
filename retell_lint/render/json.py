"""The versioned JSON report of ``check``."""

from __future__ import annotations

from typing import Any

from retell_lint import envelope
from retell_lint.engine import LintResult
from retell_lint.jsonout import dumps


def report(result: LintResult, *, statistics: bool = False) -> dict[str, Any]:
    counts = result.counts()
    document = envelope.wrap(
        "check",
        {
            "version": 1,
            "findings": [finding.to_dict() for finding in result.findings],
            "summary": {
                "files": result.files,
                "files_with_findings": result.files_with_findings,
                "numbers": result.number_count,
                "error": counts["error"],
                "warning": counts["warning"],
                "info": counts["info"],
                # file, written, hidden, stale_entries, stale_findings; null without a baseline.
                "baseline": result.baseline,
                "fixes": _fixes(result),
            },
        },
        errors=[error.to_dict() for error in result.errors],
    )
    if statistics:
        from retell_lint.render.statistics import rows

        document["summary"]["statistics"] = rows(result)
    return document


def _fixes(result: LintResult) -> dict[str, int]:
    """Findings fixed by --fix, fixable now, and fixable only with --unsafe-fixes."""
    summary = result.fix_summary or {}
    return {key: int(summary.get(key, 0)) for key in ("fixed", "fixable", "unsafe_fixable")}


def render(result: LintResult, *, statistics: bool = False) -> str:
    # json.dumps(indent=2)'s text, written without its per-character Python encoder.
    return dumps(report(result, statistics=statistics)) + "\n"
