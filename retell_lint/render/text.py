"""The default human-readable format: each finding with its source line and a caret."""

from __future__ import annotations

from retell_lint.engine import LintResult
from retell_lint.findings import Finding
from retell_lint.output import safe_text
from retell_lint.redact import masked_line

COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
BOLD, DIM, RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
# Characters of a source line shown around a finding (a minified line can be huge).
SNIPPET_WIDTH = 120


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _count(count: int, severity: str) -> str:
    # "1 info", "3 info": info is not counted in the plural.
    return f"{count} {severity}" if severity == "info" else _plural(count, severity)


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def summary_line(result: LintResult) -> str:
    """``Found 5 errors, 7 warnings and 1 info in 2 of 4 files (6 numbers).``"""
    counts = result.counts()
    numbers = _plural(result.number_count, "number")
    if not result.findings:
        if result.errors:
            # A run that could not read everything never says all checks passed.
            errors = _plural(len(result.errors), "error")
            return f"Not checked: {errors} ({_plural(result.files, 'file')}, {numbers})."
        return f"All checks passed ({_plural(result.files, 'file')}, {numbers})."
    parts = [
        _count(counts[severity], severity)
        for severity in ("error", "warning", "info")
        if counts[severity]
    ]
    files = f"{result.files_with_findings} of {_plural(result.files, 'file')}"
    return f"Found {_and(parts)} in {files} ({numbers})."


def _fixable(result: LintResult, finding: Finding) -> bool:
    fix = finding.fix
    if fix is None:
        return False
    unsafe = bool((result.fix_summary or {}).get("unsafe_enabled"))
    return bool(fix.applicability == "safe" or unsafe)


def also_text(also: dict[str, int]) -> str:
    """`` (and 1 RL201 finding a fix brought out)``, or nothing."""
    if not also:
        return ""
    total = sum(also.values())
    rules = ", ".join(sorted(also))
    what = "finding a fix brought out" if total == 1 else "findings the fixes brought out"
    return f" (and {total} {rules} {what})"


def fix_lines(result: LintResult) -> list[str]:
    """What --fix did, and what it could do: ``Fixed 7 findings in 3 files.``"""
    summary = result.fix_summary
    if not summary:
        return []
    lines = []
    if summary["mode"] == "fix":
        fixed, files = summary["fixed"], summary["fixed_files"]
        also = also_text(summary.get("also") or {})
        lines.append(
            f"Fixed {_plural(fixed, 'finding')} in {_plural(files, 'file')}{also}."
            if fixed
            else "Nothing was fixed."
        )
    elif summary["fixable"]:
        lines.append(f"[*] {_plural(summary['fixable'], 'finding')} fixable with --fix.")
    hidden = summary["unsafe_fixable"]
    if hidden:
        fixes = "unsafe fix" if hidden == 1 else "unsafe fixes"
        lines.append(f"{hidden} {fixes} available with --unsafe-fixes.")
    return lines


def _snippet(result: LintResult, finding: Finding, colour: bool) -> list[str]:
    source = result.sources.get(finding.file)
    if source is None:
        return []
    # Secrets are masked on the whole file first (a folded value spans lines), then
    # the line is cut to width: truncation cannot leave part of a secret behind.
    text = masked_line(source.text, finding.line).replace("\t", " ").rstrip("\r")
    if not text.strip():
        return []
    gutter = str(finding.line)
    width = 1
    if finding.end_line == finding.line and finding.end_column > finding.column:
        width = finding.end_column - finding.column
    width = max(1, min(width, len(text) - finding.column + 1))
    if _masks_value(finding):
        start = max(0, finding.column - 1)
        text = text[:start] + "*" * min(width, 8) + text[start + width :]
        width = min(width, 8)
    text, column, width = _clip(text, finding.column, width)
    caret = " " * (column - 1) + "^" * width
    if colour:
        caret = COLOURS[finding.severity] + caret + RESET
    pad = " " * len(gutter)
    return [f"  {gutter} | {safe_text(text)}", f"  {pad} | {caret}"]


def _masks_value(finding: Finding) -> bool:
    """Whether the finding's span holds a secret (a plaintext password) to hide."""
    from retell_lint import catalogue

    rule = catalogue.load().get(finding.rule)
    return rule is not None and rule.secret_value


def _clip(text: str, column: int, width: int) -> tuple[str, int, int]:
    """At most SNIPPET_WIDTH characters of a line, around the finding's column.

    Control characters count as the several characters they are shown as, so the
    caret stays under the finding.
    """
    width = min(width, SNIPPET_WIDTH)
    if len(text) > SNIPPET_WIDTH:
        start = max(0, min(column - 1 - SNIPPET_WIDTH // 3, len(text) - SNIPPET_WIDTH))
        end = start + SNIPPET_WIDTH
        head = "…" if start > 0 else ""
        tail = "…" if end < len(text) else ""
        column = column - start + len(head)
        text = head + text[start:end] + tail
    before = safe_text(text[: column - 1])
    marked = safe_text(text[column - 1 : column - 1 + width])
    return text, len(before) + 1, max(1, len(marked))


def render(result: LintResult, colour: bool = False, *, quiet: bool = False) -> str:
    """The findings with their lines; then errors, what --fix did and the summary line
    (``quiet``: the findings and errors only, like ``ruff --quiet``)."""
    lines: list[str] = []
    for finding in result.findings:
        location = f"{safe_text(finding.file)}:{finding.line}:{finding.column}:"
        severity = f"[{finding.severity}]"
        rule = finding.rule
        if colour:
            location = BOLD + location + RESET
            severity = COLOURS[finding.severity] + severity + RESET
            rule = BOLD + rule + RESET
        mark = "[*] " if _fixable(result, finding) else ""
        message = safe_text(finding.message)
        lines.append(f"{location} {rule} {severity} {mark}{message} ({finding.name})")
        lines.extend(_snippet(result, finding, colour))
        lines.append("")
    for error in result.errors:
        lines.append(f"error: {error}")
    if quiet:
        return "\n".join(lines) + "\n" if lines else ""
    # What --fix did or could do, then the summary line (always the last line).
    lines.extend(fix_lines(result))
    summary = summary_line(result)
    lines.append(DIM + summary + RESET if colour and not result.findings else summary)
    return "\n".join(lines) + "\n"
