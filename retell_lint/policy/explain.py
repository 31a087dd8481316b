"""``retell-lint explain ACME001``: a team policy in words."""

from __future__ import annotations

from typing import Any

from retell_lint.policy.assertions import render_data
from retell_lint.policy.compile import Policy


def _block(data: Any) -> list[str]:
    """Mapping data one key a line (YAML flow style below the first level)."""
    if isinstance(data, dict):
        return [f"    {key}: {render_data(value)}" for key, value in data.items()]
    if isinstance(data, list):
        return [f"    - {render_data(item)}" for item in data]
    return [f"    {render_data(data)}"]


def explain(policy: Policy) -> str:
    enabled = "on by default" if policy.enabled else "off by default"
    lines = [
        f"{policy.id} {policy.name} [{policy.severity}, {enabled}]",
        f"Team policy, defined at {policy.source}",
        "",
        policy.message,
    ]
    if policy.description:
        lines += ["", "Description:", *(f"    {line}" for line in policy.description.splitlines())]
    if policy.scope == "project":
        lines += ["", "Scope: project (values must differ across all numbers linted together)"]
    if "where" in policy.data:
        lines += ["", "Where (only numbers matching all of these):", *_block(policy.data["where"])]
    lines += ["", "Field:", *_block(policy.data["field"])]
    lines += ["", "Require:", *_block(policy.data["require"])]
    if policy.url:
        lines += ["", f"More: {policy.url}"]
    return "\n".join(lines)
