"""Writing a project with team policies into a folder and linting it, for the policy tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

from retell_lint import engine
from retell_lint.config import Config, load_config
from retell_lint.findings import Finding

# A number that satisfies the policies of the tests unless they say otherwise.
NUMBER = """\
phone_number: "+14157774444"
phone_number_type: retell-twilio
nickname: Front desk
inbound_agents:
  - agent_id: agent_a
    weight: 1
    agent_version: 3
"""


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def project(root: Path, config: str, files: dict[str, str]) -> Config:
    """Write ``.retell-lint.yaml`` and config files under ``root``; load the config."""
    (root / ".retell-lint.yaml").write_text(dedent(config), encoding="utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    return load_config(str(root / ".retell-lint.yaml"))


# Built-in rules the policy tests look at: wrong types, and suppressions.
BUILT_IN = {"RL004", "RL010", "RL011"}


def lint(root: Path, config: str, files: dict[str, str]) -> list[Finding]:
    """Policy findings (and RL004, RL010, RL011) of linting ``files`` under ``config``."""
    loaded = project(root, config, files)
    result = engine.lint(tuple(str(root / name) for name in files), loaded)
    assert result.errors == []
    return [f for f in result.findings if not f.rule.startswith("RL") or f.rule in BUILT_IN]


def policy(body: str, *, policy_id: str = "ACME001", name: str = "team-rule") -> str:
    """A configuration with one policy: id, name and message, then ``body`` (YAML lines)."""
    lines = [
        "policies:",
        f"  - id: {policy_id}",
        f"    name: {name}",
        "    message: team rule",
    ]
    lines += ["    " + line for line in dedent(body).splitlines()]
    return "\n".join(lines) + "\n"


def rows(findings: list[Finding], rule: str = "ACME001") -> list[tuple[int, int, str]]:
    """(line, column, path) of the findings of ``rule``."""
    return [(f.line, f.column, f.path) for f in findings if f.rule == rule]
