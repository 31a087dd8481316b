"""JSON Schemas (draft 2020-12) of every command's JSON output, shipped with the tool.

``check``, ``drift``, ``plan`` (also the file ``plan -o`` saves), ``apply``,
``snapshot``, ``rules``, ``explain`` and ``export``: one ``<command>.schema.json``
each. docs/json-output.md describes them.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

COMMANDS = ("check", "drift", "plan", "apply", "snapshot", "rules", "explain", "export")


def load(command: str) -> dict[str, Any]:
    """The schema of ``command``'s JSON output."""
    if command not in COMMANDS:
        raise KeyError(command)
    text = resources.files(__name__).joinpath(f"{command}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
