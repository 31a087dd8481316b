"""The JSON Schema (draft 2020-12) of config files, for editors.

Generated from :mod:`retell_lint.api_model` (pydantic), with the field table of
:mod:`retell_lint.fields` for descriptions and kinds. A config document is
either one number or a mapping with a ``phone_numbers`` list. Keys starting
with ``x-`` are allowed where the linter allows them: beside ``phone_numbers``,
in a number, in an agent entry and in ``sip_outbound_trunk_config``.

The schema checks shape (field names, types, enums, patterns); the linter
checks much more (weights adding up to 1, valid numbers, country codes, ...).

Point an editor at it with a first line for the YAML language server: the
published copy (:data:`SCHEMA_ID`), or a local one written by
``retell-lint schema -o``, by a path relative to the config file::

    # yaml-language-server: $schema=../docs/retell-lint.schema.json
"""

from __future__ import annotations

import json
from typing import Any

from retell_lint.fields import AGENT_FIELDS, NUMBER_FIELDS, SIP_FIELDS, FieldSpec

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Where the generated schema is published: docs/retell-lint.schema.json of the repository
# (regenerate with `retell-lint schema -o docs/retell-lint.schema.json`).
SCHEMA_ID = (
    "https://raw.githubusercontent.com/retell-lint/retell-lint/main/docs/retell-lint.schema.json"
)
EXTENSION_PATTERN = "^x-"
E164_PATTERN = r"^\+[1-9]\d{1,14}$"

# Names of the definitions, as pydantic generates them from the model classes.
NUMBER_DEF = "PhoneNumberConfig"
LIST_DEF = "PhoneNumberList"
AGENT_DEF = "AgentWeight"
SIP_DEF = "SipOutboundTrunkConfig"


def _allow_extensions(definition: dict[str, Any]) -> None:
    """Allow ``x-`` keys (anything) beside the declared properties, nothing else."""
    definition["patternProperties"] = {
        EXTENSION_PATTERN: {"description": "Extension key: ignored by retell-lint and Retell."}
    }
    definition["additionalProperties"] = False


def _drop_null_defaults(node: Any) -> None:
    """Remove ``default: null``: omitting a field is not the same as setting it to null."""
    if isinstance(node, dict):
        if "default" in node and node["default"] is None:
            del node["default"]
        for value in node.values():
            _drop_null_defaults(value)
    elif isinstance(node, list):
        for value in node:
            _drop_null_defaults(value)


def _mark_kinds(properties: dict[str, Any], table: dict[str, FieldSpec]) -> None:
    """Annotate each property with what its kind means for a config file."""
    for name, spec in table.items():
        prop = properties.get(name)
        if prop is None:
            continue
        prop["description"] = spec.description
        if spec.kind == "legacy":
            prop["deprecated"] = True
            if spec.replacement:
                prop["description"] = f"{spec.description} Write instead: {spec.replacement}."
        elif spec.kind == "computed":
            prop["readOnly"] = True
        elif spec.kind == "secret":
            prop["writeOnly"] = True


def _phone(prop: dict[str, Any]) -> None:
    """A phone-number property: a string in E.164 form (or null when nullable)."""
    branches = prop.get("anyOf")
    targets = [b for b in branches if b.get("type") == "string"] if branches else [prop]
    for target in targets:
        target["pattern"] = E164_PATTERN


def build_schema() -> dict[str, Any]:
    """The JSON Schema of a config document: one number, or ``{phone_numbers: [...]}``."""
    from retell_lint.api_model import PhoneNumberList

    generated = PhoneNumberList.model_json_schema(ref_template="#/$defs/{model}")
    defs: dict[str, Any] = generated.pop("$defs")
    # The list itself becomes a definition, beside the number it lists.
    generated.pop("title", None)
    defs[LIST_DEF] = {"title": LIST_DEF, **generated}
    _drop_null_defaults(defs)

    number = defs[NUMBER_DEF]
    _mark_kinds(number["properties"], NUMBER_FIELDS)
    _mark_kinds(defs[AGENT_DEF]["properties"], AGENT_FIELDS)
    _mark_kinds(defs[SIP_DEF]["properties"], SIP_FIELDS)
    for name, spec in NUMBER_FIELDS.items():
        if spec.shape == "phone" and name in number["properties"]:
            _phone(number["properties"][name])
    for name in (NUMBER_DEF, LIST_DEF, AGENT_DEF, SIP_DEF):
        _allow_extensions(defs[name])
    listed = defs[LIST_DEF]["properties"]["phone_numbers"]
    listed["description"] = "The numbers of this file (or YAML document), one mapping each."
    listed.pop("title", None)

    return {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": "Retell AI phone-number config (retell-lint)",
        "description": (
            "One Retell AI phone number, keyed by the Retell API's field names, or a mapping "
            "with a phone_numbers list of them. A file may hold several YAML documents. "
            "Keys starting with x- are extensions and are ignored. Checked further by "
            "retell-lint (weights adding up to 1, valid numbers and country codes, ...)."
        ),
        "anyOf": [{"$ref": f"#/$defs/{NUMBER_DEF}"}, {"$ref": f"#/$defs/{LIST_DEF}"}],
        "$defs": dict(sorted(defs.items())),
    }


def render_schema() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def run_schema(output: str | None) -> int:
    """``retell-lint schema``: print the schema, or write it to ``output``."""
    from retell_lint.output import EXIT_CLEAN, write_output

    write_output(render_schema(), output)
    return EXIT_CLEAN


if __name__ == "__main__":
    print(render_schema(), end="")
