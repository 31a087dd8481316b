"""The JSON Schema (draft 2020-12) of team policy files, for editor completion.

A policy file is a list of policies, the format of ``policies:`` in the configuration.
Paths are offered from the field table (every field, ``list[*]`` and the nested
fields), so editors complete them; the loader still validates everything the schema
cannot express (regexes, assertions that cannot apply to a field's type).
Published as ``docs/retell-lint-policies.schema.json``; a test keeps it current.
"""

from __future__ import annotations

import json
from typing import Any

from retell_lint.fields import AGENT_FIELDS, NUMBER_FIELDS, SIP_FIELDS
from retell_lint.policy.paths import TYPE_NAMES

SCHEMA_ID = (
    "https://raw.githubusercontent.com/retell-lint/retell-lint/main/docs/"
    "retell-lint-policies.schema.json"
)
SEGMENT = r"[A-Za-z_][A-Za-z0-9_]*(\[(\*|[0-9]+)\])*"
PATH_PATTERN = rf"^{SEGMENT}(\.{SEGMENT})*$"


def example_paths() -> list[str]:
    """Every field path without indexes: what editors offer for ``field`` and ``where``."""
    paths: list[str] = []
    for name, spec in NUMBER_FIELDS.items():
        if spec.kind in ("legacy", "api_alias", "computed"):
            continue
        paths.append(name)
        if spec.shape == "agents":
            paths.append(f"{name}[*]")
            paths.extend(f"{name}[*].{field}" for field in AGENT_FIELDS)
        elif spec.shape == "str_list":
            paths.append(f"{name}[*]")
        elif spec.shape == "sip":
            for field, sub in SIP_FIELDS.items():
                paths.append(f"{name}.{field}")
                if sub.shape == "str_list":
                    paths.append(f"{name}.{field}[*]")
    return paths


def _path_schema() -> dict[str, Any]:
    return {
        "type": "string",
        "pattern": PATH_PATTERN,
        "anyOf": [{"enum": example_paths()}, {"pattern": PATH_PATTERN}],
        "description": "A path: a field (nickname), a.b, list[*].x for every item, list[0].x.",
    }


def _assertions() -> dict[str, Any]:
    ref = {"$ref": "#/$defs/Assertions"}
    scalar = {"type": ["string", "number", "boolean"]}
    value = {"anyOf": [scalar, {"type": "array", "items": scalar}]}
    properties: dict[str, Any] = {
        "present": {"type": "boolean", "description": "true: written and not null."},
        "equals": {**value, "description": "The value is exactly this."},
        "one_of": {"type": "array", "items": value, "minItems": 1},
        "not_one_of": {"type": "array", "items": value, "minItems": 1},
        "pattern": {"type": "string", "description": "Python re, searched (anchor with ^ $)."},
        "not_pattern": {"type": "string", "description": "Python re that must not match."},
        "type": {"enum": list(TYPE_NAMES)},
        "min": {"type": "number"},
        "max": {"type": "number"},
        "min_items": {"type": "integer", "minimum": 0},
        "max_items": {"type": "integer", "minimum": 0},
        "subset_of": {
            "type": "array",
            "items": scalar,
            "minItems": 1,
            "description": "Every item of the list is one of these.",
        },
        "contains": {**scalar, "description": "The list holds this item."},
        "unique": {"const": True, "description": "No item of the list repeats."},
        "all": {"type": "array", "items": ref, "minItems": 1},
        "any": {"type": "array", "items": ref, "minItems": 1},
        "not": ref,
    }
    return {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": properties,
        "description": "Assertions; all of them must hold.",
    }


def build_schema() -> dict[str, Any]:
    path = {"$ref": "#/$defs/Path"}
    policy = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "name", "message", "field", "require"],
        "properties": {
            "id": {
                "type": "string",
                "pattern": "^(?!RL)[A-Z][A-Z0-9]*[0-9]{3}$",
                "description": "Unique id such as ACME001 (RL ids are the built-in rules').",
            },
            "name": {
                "type": "string",
                "pattern": "^[a-z][a-z0-9]*(-[a-z0-9]+)*$",
                "description": "Unique kebab-case name, usable wherever the id is.",
            },
            "severity": {"enum": ["error", "warning", "info"], "default": "error"},
            "message": {"type": "string", "minLength": 1, "description": "One line."},
            "description": {"type": "string", "description": "Shown by explain and in SARIF."},
            "url": {"type": "string", "pattern": "^https?://", "description": "Documentation."},
            "enabled": {"type": "boolean", "default": True},
            "scope": {
                "enum": ["number", "project"],
                "default": "number",
                "description": "project: require {unique: true} across all numbers.",
            },
            "where": {
                "type": "object",
                "description": "Only numbers matching all of these: path → assertions.",
                "propertyNames": {"pattern": PATH_PATTERN},
                "additionalProperties": {"$ref": "#/$defs/Assertions"},
            },
            "field": {"anyOf": [path, {"type": "array", "items": path, "minItems": 1}]},
            "require": {"$ref": "#/$defs/Assertions"},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "retell-lint team policies",
        "description": (
            "A list of team policies: rules checked by retell-lint like its built-in ones. "
            "Listed by policy_files in .retell-lint.yaml or [tool.retell-lint]."
        ),
        "type": "array",
        "items": {"$ref": "#/$defs/Policy"},
        "$defs": {"Assertions": _assertions(), "Path": _path_schema(), "Policy": policy},
    }


def render_schema() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def run_schema(output: str | None) -> int:
    """``retell-lint schema --policies``: print the schema, or write it to ``output``."""
    from retell_lint.output import EXIT_CLEAN, write_output

    write_output(render_schema(), output)
    return EXIT_CLEAN


if __name__ == "__main__":
    print(render_schema(), end="")
