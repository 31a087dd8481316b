"""``check --fix`` and ``check --diff``: fix a lint run's files and say what was done."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from retell_lint.fix.apply import FixRun, fix_result, relint
from retell_lint.fix.registry import annotate
from retell_lint.fix.write import unified_diff, write_fixes
from retell_lint.render.text import also_text

if TYPE_CHECKING:
    from retell_lint.config import Config
    from retell_lint.engine import LintResult


def summarise(result: LintResult, *, unsafe: bool, run: FixRun | None = None) -> None:
    """Store the fix counts in ``result.fix_summary`` (read by the reports)."""
    fixable = unsafe_only = 0
    for finding in result.findings:
        fix = finding.fix
        if fix is None:
            continue
        if fix.applicability == "safe" or unsafe:
            fixable += 1
        else:
            unsafe_only += 1
    summary: dict[str, Any] = {
        "mode": None,
        "fixed": 0,
        "fixed_files": 0,
        "fixable": fixable,
        "unsafe_fixable": unsafe_only,
        "unsafe_enabled": unsafe,
    }
    if run is not None:
        summary.update(
            mode="fix", fixed=run.fixed, fixed_files=len(run.changed), also=dict(run.also)
        )
    result.fix_summary = summary


def run_fix(
    result: LintResult,
    config: Config,
    *,
    unsafe: bool,
    stdin_name: str | None,
    account: Any = None,
) -> tuple[LintResult, FixRun, str | None]:
    """Apply the fixes to the files (stdin's fixed text is returned) and lint again."""
    run = fix_result(result, config, unsafe=unsafe)
    stdin_text = write_fixes(run, result, stdin_name)
    fixed = relint(result, run, config, account)
    fixed.errors.extend(run.errors)
    annotate(fixed, reasons=True)
    summarise(fixed, unsafe=unsafe, run=run)
    return fixed, run, stdin_text


def run_diff(result: LintResult, config: Config, *, unsafe: bool) -> tuple[str, FixRun]:
    """The unified diff of every file's fixes (nothing is written)."""
    run = fix_result(result, config, unsafe=unsafe)
    diff = "".join(unified_diff(item.name, item.original, item.text) for item in run.changed)
    annotate(result)
    summarise(result, unsafe=unsafe)
    return diff, run


def diff_summary(run: FixRun, result: LintResult) -> str:
    """``Would fix 7 findings in 3 files.``, and the unsafe fixes left out."""
    changed = run.changed
    if changed:
        line = f"Would fix {_plural(run.fixed, 'finding')} in {_plural(len(changed), 'file')}"
        line += f"{also_text(run.also)}."  # the count agrees with "fixable"
    else:
        line = "No fixes available."
    summary = result.fix_summary or {}
    hidden = int(summary.get("unsafe_fixable", 0))
    if hidden:
        line += f" {_plural(hidden, 'unsafe fix', 'unsafe fixes')} available with --unsafe-fixes."
    return line


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"
