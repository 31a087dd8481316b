"""``check --statistics``: how many findings each rule raised, most first (like ruff).

Text: one aligned row per rule (count, id, name, ``[*]`` when some are fixable),
instead of the findings. JSON: the same rows in ``summary.statistics``.
"""

from __future__ import annotations

from typing import Any

from retell_lint.engine import LintResult
from retell_lint.output import safe_text


def rows(result: LintResult) -> list[dict[str, Any]]:
    """``{"rule", "name", "count", "fixable"}`` per rule, by count then id (fixable: by
    this run's fixes, unsafe ones only with --unsafe-fixes)."""
    unsafe = bool((result.fix_summary or {}).get("unsafe_enabled"))
    table: dict[str, dict[str, Any]] = {}
    for finding in result.findings:
        row = table.setdefault(
            finding.rule, {"rule": finding.rule, "name": finding.name, "count": 0, "fixable": 0}
        )
        row["count"] += 1
        fix = finding.fix
        if fix is not None and (fix.applicability == "safe" or unsafe):
            row["fixable"] += 1
    return sorted(table.values(), key=lambda row: (-row["count"], row["rule"]))


def render(result: LintResult) -> str:
    """The statistics table, then tool errors (stdout never hides them)."""
    table = rows(result)
    lines = []
    if table:
        count_width = max(len(str(row["count"])) for row in table)
        rule_width = max(len(row["rule"]) for row in table)
        name_width = max(len(row["name"]) for row in table)
        for row in table:
            mark = "[*]" if row["fixable"] else ""
            line = (
                f"{row['count']:>{count_width}}  {safe_text(row['rule']):<{rule_width}}  "
                f"{safe_text(row['name']):<{name_width}}  {mark}"
            )
            lines.append(line.rstrip())
    for error in result.errors:
        lines.append(f"error: {error}")
    return "\n".join(lines) + "\n" if lines else ""
