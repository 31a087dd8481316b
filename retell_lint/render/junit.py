"""JUnit XML: one test case per linted file, one failure per finding."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from retell_lint.engine import LintResult
from retell_lint.findings import Finding, ToolError

SUITE = "retell-lint"
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _failure_text(finding: Finding) -> str:
    return (
        f"{finding.file}:{finding.line}:{finding.column}: "
        f"{finding.rule} [{finding.severity}] {finding.message}"
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

    failures = len(result.findings)
    errors = len(result.errors)
    cases = len(names) + (1 if None in errors_by_file else 0)
    counts = {"tests": str(cases), "failures": str(failures), "errors": str(errors)}
    root = ET.Element("testsuites", {"name": SUITE, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts})

    def case(name: str, file_errors: list[ToolError]) -> ET.Element:
        element = ET.SubElement(suite, "testcase", {"classname": SUITE, "name": _clean(name)})
        for error in file_errors:
            node = ET.SubElement(
                element, "error", {"type": "ToolError", "message": _clean(error.message)}
            )
            node.text = _clean(str(error))
        return element

    for name in sorted(names):
        element = case(name, errors_by_file.get(name, []))
        for finding in by_file[name]:
            node = ET.SubElement(
                element,
                "failure",
                {
                    "type": finding.rule,
                    "message": _clean(f"{finding.rule} {finding.name}: {finding.message}"),
                },
            )
            node.text = _clean(_failure_text(finding))
    if None in errors_by_file:
        case(SUITE, errors_by_file[None])
    return root


def render(result: LintResult) -> str:
    root = build(result)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
