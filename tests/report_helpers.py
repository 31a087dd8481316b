"""Report-shaped test data shared by the renderer and CI tests: a finding, a lint
result holding findings, and the official SARIF 2.1.0 schema as validator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from retell_lint.engine import LintResult
from retell_lint.findings import Finding, ToolError
from retell_lint.source import Source

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"


def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator: jsonschema.protocols.Validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return validator


def assert_valid_sarif(report: dict[str, Any]) -> None:
    errors = sorted(_validator().iter_errors(report), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def finding(**overrides: Any) -> Finding:
    values: dict[str, Any] = {
        "rule": "RL301",
        "name": "weights-sum",
        "severity": "error",
        "message": "weights add up to 0.9",
        "file": "n.yaml",
        "line": 2,
        "column": 3,
        "end_line": 2,
        "end_column": 9,
        "path": "inbound_agents",
        "phone_number": "+14157774444",
    }
    values.update(overrides)
    return Finding(**values)


def result_of(findings: list[Finding], errors: list[ToolError] | None = None) -> LintResult:
    names = {f.file for f in findings}
    return LintResult(
        findings=findings,
        errors=errors or [],
        files=len(names),
        numbers=[],
        sources={name: Source(name, "phone_number: x\n") for name in names},
    )
