"""The JSON Schema (draft 2020-12) of config files, for editors.

Generated from :mod:`retell_lint.api_model` (pydantic), with the field table of
:mod:`retell_lint.fields` for descriptions and kinds. A config document is
either one number or a mapping with a ``phone_numbers`` list. Keys starting
with ``x-`` are allowed where the linter allows them: beside ``phone_numbers``,
in a number, in an agent entry and in ``sip_outbound_trunk_config``.

The schema checks shape (field names, types, enums, patterns); the linter
checks much more (weights adding up to 1, valid numbers, fallbacks, ...).

Its consumers are check-jsonschema (CI, pre-commit) and yaml-language-server
(editors); tests/test_schema_consumers.py runs both. Unknown keys are refused with
``unevaluatedProperties`` (draft 2020-12), which yaml-language-server reads from
version 2; older versions still check every declared field but not unknown keys.

Point an editor at it with a first line for the YAML language server: the
published copy (:data:`SCHEMA_ID`), or a local one written by
``retell-lint schema -o``, by a path relative to the config file::

    # yaml-language-server: $schema=../docs/retell-lint.schema.json
"""

from __future__ import annotations

import json
from typing import Any

from retell_lint.fields import (
    AGENT_FIELDS,
    FLAT_SIP_PARAMETERS,
    NUMBER_FIELDS,
    SIP_FIELDS,
    FieldSpec,
)

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Where the generated schema is published: docs/retell-lint.schema.json of the repository
# (regenerate with `retell-lint schema -o docs/retell-lint.schema.json`).
SCHEMA_ID = (
    "https://raw.githubusercontent.com/retell-lint/retell-lint/main/docs/retell-lint.schema.json"
)
EXTENSION_PATTERN = "^x-"
E164_PATTERN = r"^\+[1-9][0-9]{1,14}$"
LIST_KEY = "phone_numbers"

# Names of the definitions, as pydantic generates them from the model classes.
NUMBER_DEF = "PhoneNumberConfig"
LIST_DEF = "PhoneNumberList"
AGENT_DEF = "AgentWeight"
SIP_DEF = "SipOutboundTrunkConfig"
COUNTRY_CODE_DEF = "CountryCode"


def _allow_extensions(definition: dict[str, Any]) -> None:
    """Allow ``x-`` keys (anything) beside the declared properties, nothing else.

    ``unevaluatedProperties``, not ``additionalProperties``: beside
    ``patternProperties``, a false ``additionalProperties`` makes validators report a
    misspelt key as "'nick_name' does not match any of the regexes: '^x-'", where
    ``unevaluatedProperties`` says "Unevaluated properties are not allowed ('nick_name'
    was unexpected)".
    """
    definition.pop("additionalProperties", None)
    definition["patternProperties"] = {
        EXTENSION_PATTERN: {"description": "Extension key: ignored by retell-lint and Retell."}
    }
    definition["unevaluatedProperties"] = False


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


# What a field that only one request body accepts, and the API never returns, is for.
_REQUEST_ONLY = {
    ("create",): "Create-time parameter (POST /create-phone-number): used when the number is "
    "bought; not returned by the API.",
    ("import",): "Import-time parameter (POST /import-phone-number): used when the number is "
    "imported; not returned by the API.",
}


# Keywords that apply to one JSON type only (validators ignore them for other types).
_TYPE_KEYWORDS = {
    "string": {"pattern", "minLength", "maxLength", "enum"},
    "integer": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "number": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "array": {"items", "minItems", "maxItems"},
    "boolean": set(),
    "null": set(),
}


def _merge_types(prop: dict[str, Any]) -> None:
    """Turn ``anyOf: [{type: string, pattern: P}, {type: null}]`` into
    ``type: [string, null], pattern: P`` where the branches' keywords cannot clash.

    The two mean the same, but against an ``anyOf`` validators report the branch that
    failed last ("'USA' ... is not of type 'null'"), where a merged schema gets the
    error that matters ("'USA' is not one of [...]").
    """
    branches = prop.get("anyOf")
    if not isinstance(branches, list):
        return
    types: list[str] = []
    merged: dict[str, Any] = {}
    for branch in branches:
        kind = branch.get("type") if isinstance(branch, dict) else None
        if not isinstance(kind, str) or kind not in _TYPE_KEYWORDS or kind in types:
            return
        keywords = set(branch) - {"type"}
        if not keywords <= _TYPE_KEYWORDS[kind] or keywords & set(merged):
            return
        types.append(kind)
        merged.update((key, branch[key]) for key in keywords)
    if "enum" in merged:
        # An enum constrains every type: only an enum or null can be merged.
        if len([t for t in types if t != "null"]) != 1:
            return
        if "null" in types:
            merged["enum"] = [*merged["enum"], None]
    del prop["anyOf"]
    prop["type"] = types
    prop.update(sorted(merged.items()))


def _nullable_object(prop: dict[str, Any], definition: dict[str, Any]) -> None:
    """Turn ``anyOf: [{$ref: D}, {type: null}]`` into ``$ref: D, type: [object, null]``.

    For the same reason as :func:`_merge_types`. ``D`` loses its own ``type``: every
    other keyword of an object definition ignores null, and ``D`` is referred to here
    only.
    """
    branches = prop.pop("anyOf")
    assert branches[1] == {"type": "null"}, branches
    prop["$ref"] = branches[0]["$ref"]
    prop["type"] = [definition.pop("type"), "null"]


def _share(defs: dict[str, Any], shared: dict[str, Any], name: str) -> None:
    """Move every copy of ``shared`` into one definition ``name`` that they refer to."""

    def replace(node: Any) -> Any:
        if node == shared:
            return {"$ref": f"#/$defs/{name}"}
        if isinstance(node, dict):
            return {key: replace(value) for key, value in node.items()}
        if isinstance(node, list):
            return [replace(value) for value in node]
        return node

    for key, value in list(defs.items()):
        defs[key] = replace(value)
    defs[name] = dict(shared)


_PATTERN_MESSAGES = {
    "phone": 'Write the number in E.164 form, quoted: "+14157774444" (+, country code, '
    "number; no spaces).",
    "version": "An integer >= 0, latest, latest_published, or a tag: a lower-case letter, "
    "then up to 19 of a-z, 0-9, _ and -; not v followed by digits.",
}


def _mark_kinds(properties: dict[str, Any], table: dict[str, FieldSpec]) -> None:
    """Annotate each property with what its kind means for a config file."""
    for name, spec in table.items():
        prop = properties.get(name)
        if prop is None:
            continue
        notes = [spec.description]
        if spec.kind == "legacy":
            prop["deprecated"] = True
            if spec.replacement:
                notes.append(f"Write instead: {spec.replacement}.")
        elif spec.kind == "api_alias":
            notes.append(
                "Accepted as the API names it; retell-lint reads it into "
                f"{spec.replacement} and says so (RL012, info)."
            )
        elif spec.kind == "computed":
            prop["readOnly"] = True
        elif spec.kind == "secret":
            prop["writeOnly"] = True
        if spec.kind == "create_only" and not spec.in_response and spec.requests in _REQUEST_ONLY:
            notes.append(_REQUEST_ONLY[spec.requests])
        # A flat password parameter is as write-only as the field it stands for.
        canonical = SIP_FIELDS.get(FLAT_SIP_PARAMETERS.get(name, ""))
        if spec.kind == "api_alias" and canonical is not None and canonical.kind == "secret":
            prop["writeOnly"] = True
        prop["description"] = " ".join(notes)
        if spec.shape in _PATTERN_MESSAGES:
            # Shown by yaml-language-server instead of the bare regular expression.
            prop["patternErrorMessage"] = _PATTERN_MESSAGES[spec.shape]


def _phone(prop: dict[str, Any]) -> None:
    """A phone-number property: a string in E.164 form (or null when nullable)."""
    branches = prop.get("anyOf")
    targets = [b for b in branches if b.get("type") == "string"] if branches else [prop]
    for target in targets:
        target["pattern"] = E164_PATTERN


def build_schema() -> dict[str, Any]:
    """The JSON Schema of a config document: one number, or ``{phone_numbers: [...]}``."""
    from retell_lint.api_model import COUNTRY_CODE_SCHEMA, PhoneNumberList

    generated = PhoneNumberList.model_json_schema(ref_template="#/$defs/{model}")
    defs: dict[str, Any] = generated.pop("$defs")
    # The list itself becomes a definition, beside the number it lists.
    generated.pop("title", None)
    defs[LIST_DEF] = {"title": LIST_DEF, **generated}
    _drop_null_defaults(defs)
    _share(defs, COUNTRY_CODE_SCHEMA, COUNTRY_CODE_DEF)

    number = defs[NUMBER_DEF]
    _mark_kinds(number["properties"], NUMBER_FIELDS)
    _mark_kinds(defs[AGENT_DEF]["properties"], AGENT_FIELDS)
    _mark_kinds(defs[SIP_DEF]["properties"], SIP_FIELDS)
    for name, spec in NUMBER_FIELDS.items():
        if spec.shape == "phone" and name in number["properties"]:
            _phone(number["properties"][name])
    _nullable_object(number["properties"]["sip_outbound_trunk_config"], defs[SIP_DEF])
    for name in (NUMBER_DEF, LIST_DEF, AGENT_DEF, SIP_DEF):
        for prop in defs[name]["properties"].values():
            _merge_types(prop)
        _allow_extensions(defs[name])
    listed = defs[LIST_DEF]["properties"][LIST_KEY]
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
        # The shape is chosen by one key, not tried both ways (anyOf): a validator then
        # reports a mistake against the shape meant, not "valid under none of the schemas".
        "type": "object",
        "if": {"required": [LIST_KEY]},
        "then": {"$ref": f"#/$defs/{LIST_DEF}"},
        "else": {"$ref": f"#/$defs/{NUMBER_DEF}"},
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
