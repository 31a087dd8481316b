"""Fixing YAML strings through the real engine, for the fix tests.

``fix(text)`` lints the text, applies the fixes in passes as ``check --fix`` does,
and returns the fixed text with what was done.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from lint_helpers import yaml_text

from retell_lint.config import Config
from retell_lint.findings import Finding
from retell_lint.fix.apply import fix_text, lint_text
from retell_lint.fix.edits import Fix, Skipped
from retell_lint.fix.registry import file_fixes


class Fixed(NamedTuple):
    text: str
    fixed: int
    error: str | None
    remaining: list[Finding]


def config(rules_on: Iterable[str] = (), rules: Mapping[str, str] | None = None) -> Config:
    settings = dict.fromkeys(rules_on, "on")
    settings.update(rules or {})
    return Config(root=Path.cwd(), rules=settings)


def fix(
    text: str,
    *,
    unsafe: bool = False,
    dedent: bool = True,
    rules_on: Iterable[str] = (),
    rules: Mapping[str, str] | None = None,
) -> Fixed:
    source = yaml_text(text) if dedent else text
    settings = config(rules_on, rules)
    findings = lint_text("n.yaml", source, settings)
    outcome = fix_text("n.yaml", source, findings, settings, unsafe)
    remaining = lint_text("n.yaml", outcome.text, settings)
    return Fixed(outcome.text, outcome.fixed, outcome.error, remaining)


def fixes_of(text: str, rule: str, *, dedent: bool = True) -> list[Fix | Skipped | None]:
    """The fix (or why not) of each finding of ``rule`` in ``text``."""
    source = yaml_text(text) if dedent else text
    findings = lint_text("n.yaml", source, config())
    return [
        result
        for finding, result in zip(findings, file_fixes(source, findings), strict=True)
        if finding.rule == rule
    ]


def rules_left(result: Fixed) -> list[str]:
    return [finding.rule for finding in result.remaining]
