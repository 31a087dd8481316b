"""The JSON Schema of config files (``retell-lint schema``)."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from retell_lint.cli import main
from retell_lint.fields import (
    AGENT_FIELDS,
    AGENT_VERSION_PATTERN,
    CREATE_COUNTRIES,
    FLAT_SIP_PARAMETERS,
    NUMBER_FIELDS,
    NUMBER_PROVIDERS,
    SIP_FIELDS,
)
from retell_lint.schema import SCHEMA_DIALECT, build_schema

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
# retell-lint's own files among the examples: their configuration and team policies.
OWN_FILES = (".retell-lint.yaml", "policies.yaml")
EXAMPLE_FILES = sorted(
    path
    for pattern in ("*.yaml", "*.yml")
    for path in EXAMPLES.rglob(pattern)
    if path.is_file() and path.name not in OWN_FILES
)
# Findings that mean a file is deliberately not of the shape the schema describes:
# unreadable YAML, unknown keys, wrong types, missing fields, values the schema
# constrains by enum, range or pattern (phone numbers, area code, number type,
# create options, country codes, weights, agent versions, empty agent ids, SIP transport).
SHAPE_RULES = {
    "RL001",
    "RL002",
    "RL003",
    "RL004",
    "RL005",
    "RL007",
    "RL008",
    "RL101",
    "RL104",
    "RL105",
    "RL106",
    "RL201",
    "RL302",
    "RL306",
    "RL309",
    "RL403",
    "RL505",
}

# Used when examples/ has no config files yet, and always as extra cases.
SAMPLES = {
    "single.yaml": """
        phone_number: "+14157774444"
        phone_number_type: retell-twilio
        nickname: Front desk
        area_code: 415
        inbound_agents:
          - agent_id: agent_frontdesk
            weight: 0.7
            agent_version: 3
          - agent_id: agent_overflow
            weight: 0.3
            agent_version: prod
        outbound_agents:
          - agent_id: agent_frontdesk
            weight: 1
        inbound_sms_agents: []
        outbound_sms_agents:
        allowed_inbound_country_list: [US, CA]
        allowed_outbound_country_list: []
        inbound_webhook_url: https://hooks.example.com/retell
        inbound_sms_webhook_url: null
        fallback_number: "+14155551234"
        x-owner: team-frontdesk
        """,
    "list.yaml": """
        x-agents: &agents
          - agent_id: agent_sales
            weight: 1
            agent_version: 12
            x-note: pinned for the spring campaign
        phone_numbers:
          - phone_number: "+12125550187"
            phone_number_type: retell-telnyx
            inbound_agents: *agents
          - phone_number: "+442079460958"
            phone_number_type: custom
            sip_outbound_trunk_config:
              termination_uri: uk-trunk.pstn.twilio.com
              auth_username: retell-uk
              auth_password: ${UK_TRUNK_PASSWORD}
              transport: TLS
              codecs: [PCMU, PCMA]
              x-vendor: twilio
        """,
    "multi.yaml": """
        phone_number: "+14157774444"
        inbound_agents:
          - agent_id: agent_frontdesk
            weight: 1
        ---
        phone_number: "+14157775555"
        inbound_agents:
          - agent_id: agent_frontdesk
            weight: 1.0
            agent_version: latest
        """,
    "request-parameters.yaml": """
        phone_number: "+14165550100"
        phone_number_type: retell-telnyx
        number_provider: telnyx
        country_code: CA
        toll_free: false
        ignore_e164_validation: true
        termination_uri: trunk.example.com
        auth_username: retell
        auth_password: ${TRUNK_PASSWORD}
        sip_trunk_auth_username: retell
        sip_trunk_auth_password: $TRUNK_PASSWORD
        transport: UDP
        codecs: [PCMU]
        inbound_agents:
          - agent_id: agent_frontdesk
            weight: 1
            agent_version: prod-eu_2
        allowed_outbound_country_list: [CA, US, JE]
        """,
    "legacy.yaml": """
        phone_number: "+14157774444"
        inbound_agent_id: agent_frontdesk
        inbound_agent_version: 2
        inbound_allowed_countries: [US]
        phone_number_pretty: "+1 (415) 777-4444"
        last_modification_timestamp: 1703413636133
        """,
}


def _yaml(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def load_documents(text: str) -> list[Any]:
    return list(YAML(typ="safe", pure=True).load_all(text))


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return build_schema()


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema)


def errors_of(validator: Draft202012Validator, text: str) -> list[str]:
    messages: list[str] = []
    for document in load_documents(_yaml(text)):
        messages.extend(error.message for error in validator.iter_errors(document))
    return messages


def lint_rules(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> set[str]:
    """Rules ``retell-lint check`` reports for a file, with its suppressions disabled."""
    copy = tmp_path / path.name
    text = path.read_text(encoding="utf-8").replace("retell-lint:", "retell-lint-off:")
    copy.write_text(text, encoding="utf-8")
    config = tmp_path / ".retell-lint.yaml"
    config.write_text("fail_level: error\n", encoding="utf-8")
    capsys.readouterr()
    code = main(["check", "--format", "json", "--config", str(config), "--exit-zero", str(copy)])
    out = capsys.readouterr().out
    assert code == 0, out
    return {finding["rule"] for finding in json.loads(out)["findings"]}


# -- the schema itself -------------------------------------------------------------------


def test_cli_prints_a_valid_draft_2020_12_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    Draft202012Validator.check_schema(printed)
    assert printed["$schema"] == SCHEMA_DIALECT == "https://json-schema.org/draft/2020-12/schema"
    assert printed["$id"].startswith("https://")
    assert printed["title"]
    assert printed == build_schema()


def test_cli_writes_the_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "schema.json"
    assert main(["schema", "--output", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(target.read_text(encoding="utf-8")) == build_schema()


def test_cli_reports_an_unwritable_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "--output", str(tmp_path / "missing" / "schema.json")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_properties_follow_the_field_table(schema: dict[str, Any]) -> None:
    defs = schema["$defs"]
    number = defs["PhoneNumberConfig"]["properties"]
    agent = defs["AgentWeight"]["properties"]
    sip = defs["SipOutboundTrunkConfig"]["properties"]
    for properties, table in ((number, NUMBER_FIELDS), (agent, AGENT_FIELDS), (sip, SIP_FIELDS)):
        assert set(properties) == set(table)
        for name, spec in table.items():
            assert properties[name]["description"].startswith(spec.description)
            assert properties[name].get("deprecated", False) is (spec.kind == "legacy")
            assert properties[name].get("readOnly", False) is (spec.kind == "computed")
            # Passwords are write-only wherever they are written: nested or flat.
            secret = spec.kind == "secret" or (
                spec.kind == "api_alias" and SIP_FIELDS[FLAT_SIP_PARAMETERS[name]].kind == "secret"
            )
            assert properties[name].get("writeOnly", False) is secret, name
    assert defs["PhoneNumberConfig"]["required"] == ["phone_number"]
    assert set(defs["AgentWeight"]["required"]) == {"agent_id", "weight"}


def test_descriptions_say_what_each_kind_is_for(schema: dict[str, Any]) -> None:
    number = schema["$defs"]["PhoneNumberConfig"]["properties"]
    for flat, field in FLAT_SIP_PARAMETERS.items():
        assert f"reads it into sip_outbound_trunk_config.{field}" in number[flat]["description"]
    for name in ("number_provider", "country_code", "toll_free"):
        assert "Create-time parameter" in number[name]["description"]
    assert "Import-time parameter" in number["ignore_e164_validation"]["description"]
    # area_code is returned by the API too: it is create-only, not a request parameter alone.
    assert "Create-time parameter" not in number["area_code"]["description"]


def test_extension_keys_only(schema: dict[str, Any]) -> None:
    # unevaluatedProperties rather than additionalProperties: beside patternProperties,
    # a false additionalProperties names the pattern, not the key (see test_schema_consumers).
    for name in ("PhoneNumberConfig", "PhoneNumberList", "AgentWeight", "SipOutboundTrunkConfig"):
        definition = schema["$defs"][name]
        assert definition["unevaluatedProperties"] is False
        assert "additionalProperties" not in definition
        assert list(definition["patternProperties"]) == ["^x-"]


def test_one_shape_chosen_by_its_key(schema: dict[str, Any]) -> None:
    """The list shape when phone_numbers is there, the number shape otherwise; no anyOf
    at the top, whose errors would say "not valid under any of the given schemas"."""
    assert "anyOf" not in schema
    assert schema["if"] == {"required": ["phone_numbers"]}
    assert schema["then"] == {"$ref": "#/$defs/PhoneNumberList"}
    assert schema["else"] == {"$ref": "#/$defs/PhoneNumberConfig"}


def test_enums_and_patterns(schema: dict[str, Any]) -> None:
    number = schema["$defs"]["PhoneNumberConfig"]["properties"]
    assert number["phone_number"]["type"] == "string"
    assert re.match(number["phone_number"]["pattern"], "+14157774444")
    assert not re.match(number["phone_number"]["pattern"], "+1 415 777 4444")
    text = json.dumps(schema)
    assert '"retell-twilio", "retell-telnyx", "custom"' in text
    assert '"TLS", "TCP", "UDP"' in text
    assert number["number_provider"]["enum"] == [*NUMBER_PROVIDERS, None]
    assert number["country_code"]["enum"] == [*CREATE_COUNTRIES, None]
    assert number["toll_free"]["type"] == number["ignore_e164_validation"]["type"]
    assert number["toll_free"]["type"] == ["boolean", "null"]
    assert number["transport"]["enum"] == ["TLS", "TCP", "UDP", None]


def test_agent_version_is_the_spec_pattern(schema: dict[str, Any]) -> None:
    agent = schema["$defs"]["AgentWeight"]["properties"]["agent_version"]
    number = schema["$defs"]["PhoneNumberConfig"]["properties"]
    for prop in (agent, *(number[f"{d}_agent_version"] for d in ("inbound", "outbound"))):
        assert prop["pattern"] == AGENT_VERSION_PATTERN
        assert prop["type"] == ["integer", "string", "null"]
        assert prop["minimum"] == 0


def test_country_codes_are_an_enum_of_iso_3166_codes(schema: dict[str, Any]) -> None:
    import pycountry

    codes = schema["$defs"]["CountryCode"]["enum"]
    assert codes == sorted(country.alpha_2 for country in pycountry.countries)
    assert {"US", "GB", "JE", "AX"} <= set(codes)
    assert not {"USA", "UK", "us", "EU"} & set(codes)
    number = schema["$defs"]["PhoneNumberConfig"]["properties"]
    for name in (
        "allowed_inbound_country_list",
        "allowed_outbound_country_list",
        "inbound_allowed_countries",
        "outbound_allowed_countries",
    ):
        assert number[name]["items"] == {"$ref": "#/$defs/CountryCode"}


# -- what it accepts and rejects ----------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_samples_validate(name: str, validator: Draft202012Validator) -> None:
    assert errors_of(validator, SAMPLES[name]) == []


@pytest.mark.parametrize(
    "path", EXAMPLE_FILES, ids=[p.relative_to(EXAMPLES).as_posix() for p in EXAMPLE_FILES]
)
def test_examples_validate(
    path: Path,
    validator: Draft202012Validator,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rules = lint_rules(path, tmp_path, capsys)
    shape = rules & SHAPE_RULES
    if shape:
        pytest.skip(f"deliberately malformed ({', '.join(sorted(shape))})")
    text = path.read_text(encoding="utf-8")
    documents = load_documents(text)
    assert documents
    for index, document in enumerate(documents):
        errors = [e.message for e in validator.iter_errors(document)]
        assert errors == [], f"{path}, document {index}: {errors}"


def test_some_example_is_validated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not EXAMPLE_FILES:
        pytest.skip("examples/ holds no config yet; the samples above stand in")
    clean = [p for p in EXAMPLE_FILES if not lint_rules(p, tmp_path, capsys) & SHAPE_RULES]
    assert clean, "every example is malformed; the schema test checks none of them"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param(
            """
            phone_number: "+14157774444"
            nick_name: Front desk
            """,
            "nick_name",
            id="misspelt-key",
        ),
        pytest.param(
            """
            phone_number: "+14157774444"
            inbound_agents:
              - weight: 1
            """,
            "agent_id",
            id="agent-without-id",
        ),
        pytest.param(
            """
            phone_number: "+14157774444"
            inbound_agents:
              - agent_id: agent_frontdesk
            """,
            "weight",
            id="agent-without-weight",
        ),
        pytest.param(
            """
            phone_number: "+14157774444"
            inbound_agents:
              - agent_id: agent_frontdesk
                weight: 1
                weigth: 1
            """,
            "weigth",
            id="misspelt-agent-key",
        ),
        pytest.param(
            """
            phone_number: "+14157774444"
            sip_outbound_trunk_config:
              transport: TLS
              password: secret
            """,
            "password",
            id="misspelt-sip-key",
        ),
        pytest.param("nickname: Front desk\n", "phone_number", id="no-phone-number"),
        pytest.param("phone_number: +14157774444\n", "string", id="unquoted-number"),
        pytest.param('phone_number: "+1 415 777 4444"\n', "does not match", id="spaces"),
        pytest.param(
            """
            phone_number: "+14157774444"
            fallback_number: "(415) 555-1234"
            """,
            "does not match",
            id="fallback-not-e164",
        ),
        pytest.param(
            """
            phone_number: "+14157774444"
            phone_number_type: twilio
            """,
            "twilio",
            id="number-type-enum",
        ),
        pytest.param(
            """
            phone_number: "+14157774444"
            inbound_agents:
              - agent_id: agent_frontdesk
                weight: "1"
            """,
            "'1'",
            id="quoted-weight",
        ),
        pytest.param(
            """
            phone_number: "+14157774444"
            inbound_agents:
              - agent_id: agent_frontdesk
                weight: 1
                agent_version: Prod Tag
            """,
            "Prod Tag",
            id="bad-version-tag",
        ),
        pytest.param(
            """
            phone_number: "+14157774444"
            inbound_agents:
              - agent_id: agent_frontdesk
                weight: 1
                agent_version: v3
            """,
            "'v3' does not match",
            id="version-tag-v-digits",
        ),
        pytest.param(
            """
            phone_number: "+14157774444"
            outbound_agent_version: "3"
            """,
            "'3' does not match",
            id="legacy-version-quoted-digits",
        ),
        pytest.param(
            """
            phone_number: "+14157774444"
            allowed_outbound_country_list: [US, USA]
            """,
            "'USA' is not one of",
            id="alpha-3-country",
        ),
        pytest.param(
            """
            phone_number: "+14157774444"
            inbound_allowed_countries: [UK]
            """,
            "'UK' is not one of",
            id="legacy-country-list",
        ),
        pytest.param(
            """
            phone_number: "+14157774444"
            ignore_e164_validation: "true"
            """,
            "'true' is not of type",
            id="quoted-boolean",
        ),
        pytest.param(
            """
            phone_number: "+14157774444"
            number_provider: vonage
            """,
            "'vonage' is not one of",
            id="number-provider-enum",
        ),
        pytest.param(
            """
            phone_number: "+14157774444"
            country_code: GB
            """,
            "'GB' is not one of",
            id="create-country-enum",
        ),
        pytest.param(
            """
            phone_number: "+14157774444"
            transport: tls
            """,
            "'tls' is not one of",
            id="flat-transport-enum",
        ),
        pytest.param(
            """
            phone_number: "+14157774444"
            allowed_inbound_country_list: US
            """,
            "US",
            id="country-list-not-a-list",
        ),
        pytest.param(
            """
            phone_number: "+14157774444"
            phone_numbers: []
            """,
            "phone_number",
            id="both-shapes",
        ),
        pytest.param(
            """
            phone_numbers:
              - nickname: no number
            """,
            "phone_number",
            id="list-entry-without-number",
        ),
        pytest.param(
            """
            phone_numbers:
              - phone_number: "+14157774444"
            defaults: {}
            """,
            "defaults",
            id="unknown-key-beside-list",
        ),
        pytest.param("- phone_number: '+14157774444'\n", "object", id="bare-list"),
    ],
)
def test_rejected(text: str, fragment: str, validator: Draft202012Validator) -> None:
    documents = load_documents(_yaml(text))
    assert len(documents) == 1
    errors = list(validator.iter_errors(documents[0]))
    assert errors, "the schema accepted it"
    # anyOf reports one error; why each branch failed is in its context, recursively.
    messages: list[str] = []
    pending = list(errors)
    while pending:
        error = pending.pop()
        messages.append(error.message)
        pending.extend(error.context or ())
    assert any(fragment in message for message in messages), messages


def test_integer_weight_and_version(validator: Draft202012Validator) -> None:
    text = """
        phone_number: "+14157774444"
        inbound_agents:
          - agent_id: agent_frontdesk
            weight: 1
            agent_version: 0
        """
    assert errors_of(validator, text) == []


def test_modelines_in_examples_point_at_the_current_schema() -> None:
    """An example's ``# yaml-language-server: $schema=...`` that names a local file
    must name a copy of the current schema."""
    current = build_schema()
    seen = 0
    for path in EXAMPLE_FILES:
        for match in re.finditer(
            r"yaml-language-server:\s*\$schema=(\S+)", path.read_text(encoding="utf-8")
        ):
            reference = match.group(1)
            if reference.startswith(("http://", "https://")):
                continue
            target = (path.parent / reference).resolve()
            if not target.is_file():
                pytest.skip(f"{path.name} points at {reference}, which does not exist yet")
            saved = json.loads(target.read_text(encoding="utf-8"))
            assert saved == current, (
                f"{target} is out of date; run: retell-lint schema -o {target.relative_to(ROOT)}"
            )
            seen += 1
    if not seen:
        pytest.skip("no example names a local schema file")
