"""The fixer of each rule, and the fixes of one file's findings."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from retell_lint.fix import structure, suppressions, values
from retell_lint.fix.context import Context
from retell_lint.fix.edits import Fix, Skipped
from retell_lint.fix.locate import Tree
from retell_lint.fixable import related_paths

if TYPE_CHECKING:
    from retell_lint.engine import LintResult
    from retell_lint.findings import Finding
    from retell_lint.source import Source

Fixer = Callable[[Context, "Finding"], Fix | Skipped | None]

FIXERS: dict[str, Fixer] = {
    "RL006": structure.remove_field,
    "RL007": values.quote,
    "RL009": structure.legacy,
    "RL010": suppressions.unused_suppression,
    "RL012": structure.move_flat,
    "RL013": values.quote,
    "RL101": values.e164,
    "RL201": values.country,
    "RL202": structure.remove_repeat,
    "RL301": values.weights,
    "RL304": structure.remove_field,
    "RL403": values.e164,
    "RL505": values.transport,
}


def file_fixes(text: str, findings: Sequence[Finding]) -> list[Fix | Skipped | None]:
    """The fix of each finding of one file (None: its rule has no fixer or nothing to do).

    A file with a syntax error (RL001) is never fixed.
    """
    if not any(finding.rule in FIXERS for finding in findings) or any(
        finding.rule == "RL001" for finding in findings
    ):
        return [None] * len(findings)
    tree = Tree(text)
    if tree.broken:
        return [None] * len(findings)
    context = Context(tree, findings)
    results: list[Fix | Skipped | None] = []
    for finding in findings:
        fixer = FIXERS.get(finding.rule)
        if fixer is None:
            results.append(None)
            continue
        try:
            results.append(fixer(context, finding))
        except Exception as exc:
            # A value the fixer did not foresee: no fix rather than a wrong one.
            results.append(Skipped(f"the fix could not be worked out ({type(exc).__name__})"))
    _duplicates_make_unsafe(findings, results)
    return results


def _duplicates_make_unsafe(
    findings: Sequence[Finding], results: Sequence[Fix | Skipped | None]
) -> None:
    """A fix that touches a key written twice (RL002) is unsafe: it would keep one of
    the two values, and which one the user meant is unknown."""
    duplicated = [f.path for f in findings if f.rule == "RL002" and f.path]
    if not duplicated:
        return
    for finding, fix in zip(findings, results, strict=True):
        path = finding.path or ""
        if isinstance(fix, Fix) and any(related_paths(path, key) for key in duplicated):
            fix.applicability = "unsafe"
            fix.description += " (unsafe: a key it changes is written twice)"


def findings_by_source(result: LintResult) -> Iterator[tuple[str, Source, list[Finding]]]:
    """Each readable file of ``result`` with its findings, in report order."""
    by_file: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_file.setdefault(finding.file, []).append(finding)
    for name, findings in by_file.items():
        source = result.sources.get(name)
        if source is not None and not source.undecodable:
            yield name, source, findings


def annotate(result: LintResult, *, reasons: bool = False) -> None:
    """Attach each finding's fix (``Finding.fix``); with ``reasons``, a finding whose
    fix was skipped says why in its message."""
    for _name, source, findings in findings_by_source(result):
        for finding, fix in zip(findings, file_fixes(source.text, findings), strict=True):
            if isinstance(fix, Fix):
                finding.fix = fix
            elif isinstance(fix, Skipped) and reasons:
                finding.message += f" (not fixed automatically: {fix.reason})"
