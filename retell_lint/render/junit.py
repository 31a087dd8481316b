"""JUnit XML: one test case per linted file.

A file's test case fails (one ``<failure>``) only when the file has findings at or
above the fail level; the failure text lists all of the file's findings. Findings
below the fail level of a passing file go to its ``<system-out>``. A tool error
(an unreadable file) is an ``<error>``; errors not tied to a file get a test case
of their own. So ``failures`` counts failing files and never exceeds ``tests``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from retell_lint.engine import LintResult
from retell_lint.findings import SEVERITY_RANK, Finding, ToolError

SUITE = "retell-lint"
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def finding_line(finding: Finding) -> str:
    return (
        f"{finding.file}:{finding.line}:{finding.column}: "
        f"{finding.rule} [{finding.severity}] {finding.message} ({finding.name})"
    )


def _counts(findings: list[Finding]) -> str:
    parts = []
    for severity in ("error", "warning", "info"):
        count = sum(1 for finding in findings if finding.severity == severity)
        if count:
            word = severity if severity == "info" or count == 1 else severity + "s"
            parts.append(f"{count} {word}")
    return ", ".join(parts)


def _failure_message(findings: list[Finding], failing: list[Finding], fail_level: str) -> str:
    first = failing[0]
    more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
    return (
        f"{_counts(findings)} (fail level: {fail_level}); "
        f"{first.rule} {first.name}: {first.message}{more}"
    )


def build(result: LintResult) -> ET.Element:
    names = set(result.sources)
    names.update(finding.file for finding in result.findings)
    names.update(error.file for error in result.errors if error.file)
    by_file: dict[str, list[Finding]] = {name: [] for name in names}
    for finding in result.findings:
        by_file[finding.file].append(finding)
    errors_by_file: dict[str | None, list[ToolError]] = {}
    for error in result.errors:
        errors_by_file.setdefault(error.file or None, []).append(error)
    threshold = SEVERITY_RANK[result.fail_level]

    cases: list[ET.Element] = []
    failures = errors = 0
    for name in sorted(names):
        case = ET.Element("testcase", {"classname": SUITE, "name": _clean(name)})
        file_errors = errors_by_file.get(name, [])
        for error in file_errors:
            node = ET.SubElement(
                case, "error", {"type": "ToolError", "message": _clean(error.message)}
            )
            node.text = _clean(str(error))
        errors += 1 if file_errors else 0
        findings = by_file[name]
        # Most severe first (stable: report order within a severity).
        failing = sorted(
            (f for f in findings if SEVERITY_RANK[f.severity] >= threshold),
            key=lambda f: -SEVERITY_RANK[f.severity],
        )
        text = "\n".join(_clean(finding_line(f)) for f in findings)
        if failing:
            failures += 1
            node = ET.SubElement(
                case,
                "failure",
                {
                    "type": failing[0].severity,
                    "message": _clean(_failure_message(findings, failing, result.fail_level)),
                },
            )
            node.text = text
        elif findings:
            ET.SubElement(case, "system-out").text = text
        cases.append(case)
    if None in errors_by_file:
        case = ET.Element("testcase", {"classname": SUITE, "name": SUITE})
        for error in errors_by_file[None]:
            node = ET.SubElement(
                case, "error", {"type": "ToolError", "message": _clean(error.message)}
            )
            node.text = _clean(str(error))
        errors += 1
        cases.append(case)

    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": str(errors)}
    root = ET.Element("testsuites", {"name": SUITE, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts, "skipped": "0"})
    suite.extend(cases)
    return root


def render(result: LintResult) -> str:
    root = build(result)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
