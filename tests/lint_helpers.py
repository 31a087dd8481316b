"""Linting YAML strings through the real engine, for the rule tests.

tests/ has no ``__init__.py``: pytest puts this folder on ``sys.path``, so test
modules import this one as ``from lint_helpers import ...``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path

from retell_lint import engine
from retell_lint.config import Config
from retell_lint.findings import Finding
from retell_lint.source import Source

# A clean number: lines 1-4. Tests append the lines under test after it (line 5 on).
BASE = """\
phone_number: "+14157774444"
inbound_agents:
  - agent_id: agent_frontdesk
    weight: 1
"""

# (rule, line, column, severity, path)
Row = tuple[str, int, int, str, str]


def yaml_text(text: str) -> str:
    """Dedent a triple-quoted YAML string and drop its leading newline."""
    return textwrap.dedent(text).lstrip("\n")


def make_config(rules_on: Iterable[str] = (), rules: Mapping[str, str] | None = None) -> Config:
    """A config with default rules, plus ``rules_on`` switched on and ``rules`` applied."""
    settings = dict.fromkeys(rules_on, "on")
    settings.update(rules or {})
    return Config(root=Path.cwd(), rules=settings)


def lint_files(
    files: Mapping[str, str],
    *,
    rules_on: Iterable[str] = (),
    rules: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Lint several files together (cross-file rules see all of them)."""
    sources = [Source(name, yaml_text(text)) for name, text in files.items()]
    result = engine.lint_sources(sources, make_config(rules_on, rules))
    assert result.errors == []
    return result.findings


def lint_text(
    text: str,
    name: str = "n.yaml",
    *,
    rules_on: Iterable[str] = (),
    rules: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Lint one file's text (dedented, leading newline dropped)."""
    return lint_files({name: text}, rules_on=rules_on, rules=rules)


def row(finding: Finding) -> Row:
    return (finding.rule, finding.line, finding.column, finding.severity, finding.path)


def rows(findings: Iterable[Finding], *rule_ids: str) -> list[Row]:
    """Findings as rows, in report order; only those of ``rule_ids`` when given."""
    return [row(f) for f in findings if not rule_ids or f.rule in rule_ids]


def file_rows(findings: Iterable[Finding], *rule_ids: str) -> list[tuple[str, str, int, int]]:
    """(file, rule, line, column) of each finding; only those of ``rule_ids`` when given."""
    return [
        (f.file, f.rule, f.line, f.column) for f in findings if not rule_ids or f.rule in rule_ids
    ]


def rule_lines(findings: Iterable[Finding]) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in findings]


def agents(name: str, *entries: str) -> str:
    """An agent list; each entry is 'agent_id|weight[|agent_version]'."""
    text = f"{name}:\n"
    for entry in entries:
        agent_id, weight, *version = entry.split("|")
        text += f"  - agent_id: {agent_id}\n    weight: {weight}\n"
        if version:
            text += f"    agent_version: {version[0]}\n"
    return text


def entry(phone: str, fallback: str | None = None) -> str:
    """One entry of a phone_numbers list: 4 lines, or 5 with a fallback (its last line)."""
    text = f'  - phone_number: "{phone}"\n'
    text += "    inbound_agents:\n      - agent_id: a\n        weight: 1\n"
    if fallback is not None:
        text += f'    fallback_number: "{fallback}"\n'
    return text


def single(phone: str, fallback: str | None = None) -> str:
    """A one-number file; the fallback, if any, is on line 5."""
    text = BASE.replace('"+14157774444"', f'"{phone}"')
    return text + (f'fallback_number: "{fallback}"\n' if fallback is not None else "")
