"""The published JSON Schema, run through the tools that consume it.

``check-jsonschema`` is what a CI job or pre-commit hook runs on config files; its
"best match" is the one message a user reads, so the tests check that message, not
only that validation fails. yaml-language-server (editors) is exercised too when
Node.js and the npm package are installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import typing
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from retell_lint.fields import NUMBER_FIELDS
from retell_lint.schema import build_schema

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "docs" / "retell-lint.schema.json"
YAML_LS_SCRIPT = Path(__file__).parent / "data" / "yaml_ls_validate.mjs"


def _check_jsonschema_command() -> list[str]:
    script = Path(sys.executable).parent / "check-jsonschema"
    found = str(script) if script.is_file() else shutil.which("check-jsonschema")
    assert found, "check-jsonschema is missing: pip install -e '.[test]'"
    return [found]


def check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    """``check-jsonschema --schemafile docs/retell-lint.schema.json FILE...``"""
    return subprocess.run(
        [
            *_check_jsonschema_command(),
            "--color",
            "never",
            "--schemafile",
            str(SCHEMA),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def write_yaml(folder: Path, name: str, document: Any) -> Path:
    path = folder / name
    with path.open("w", encoding="utf-8") as handle:
        YAML(typ="safe", pure=True).dump(document, handle)
    return path


def write_text(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_the_published_schema_is_current() -> None:
    # The consumers below read the published file: it must be what the code generates.
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == build_schema(), (
        "run: retell-lint schema -o docs/retell-lint.schema.json"
    )


# -- configs shaped by the official SDK (retell-sdk 6.2.13) -------------------------------

AGENTS = [
    {"agent_id": "agent_frontdesk", "weight": 0.5, "agent_version": 3},
    {"agent_id": "agent_overflow", "weight": 0.5, "agent_version": "prod-eu_2"},
]
# A value for every parameter of the create, import and update bodies and every field
# of PhoneNumberResponse. test_every_sdk_field_has_a_value fails when the SDK adds one.
VALUES: dict[str, Any] = {
    "phone_number": "+14157774444",
    "phone_number_type": "retell-twilio",
    "phone_number_pretty": "+1 (415) 777-4444",
    "last_modification_timestamp": 1703413636133,
    "nickname": "Front desk",
    "area_code": 415,
    "number_provider": "telnyx",
    "country_code": "CA",
    "toll_free": True,
    "ignore_e164_validation": False,
    "inbound_agents": AGENTS,
    "outbound_agents": [{"agent_id": "agent_frontdesk", "weight": 1, "agent_version": 0}],
    "inbound_sms_agents": [
        {"agent_id": "agent_sms", "weight": 1, "agent_version": "latest_published"}
    ],
    "outbound_sms_agents": [{"agent_id": "agent_sms", "weight": 1, "agent_version": "latest"}],
    "allowed_inbound_country_list": ["US", "CA"],
    "allowed_outbound_country_list": ["US", "GB", "JE"],
    "inbound_webhook_url": "https://hooks.example.com/retell",
    "inbound_sms_webhook_url": "https://hooks.example.com/sms",
    "fallback_number": "+14155551234",
    "termination_uri": "trunk.example.com",
    "auth_username": "retell",
    "auth_password": "${TRUNK_PASSWORD}",
    "sip_trunk_auth_username": "retell",
    "sip_trunk_auth_password": "${TRUNK_PASSWORD}",
    "transport": "TLS",
    "codecs": ["PCMU", "PCMA"],
    "sip_outbound_trunk_config": {
        "termination_uri": "trunk.example.com",
        "auth_username": "retell",
        "transport": "TCP",
        "codecs": ["PCMU"],
    },
}


def _request_keys() -> dict[str, list[str]]:
    from retell.types import (
        phone_number_create_params,
        phone_number_import_params,
        phone_number_update_params,
    )

    bodies = {
        "create": phone_number_create_params.PhoneNumberCreateParams,
        "import": phone_number_import_params.PhoneNumberImportParams,
        "update": phone_number_update_params.PhoneNumberUpdateParams,
    }
    return {name: sorted(typing.get_type_hints(body)) for name, body in bodies.items()}


def test_every_sdk_field_has_a_value() -> None:
    from retell.types import PhoneNumberResponse

    keys = {key for body in _request_keys().values() for key in body}
    keys |= set(PhoneNumberResponse.model_fields)
    assert keys <= set(VALUES), sorted(keys - set(VALUES))
    assert keys <= set(NUMBER_FIELDS), sorted(keys - set(NUMBER_FIELDS))


def test_sdk_shaped_configs_pass(tmp_path: Path) -> None:
    from retell.types import PhoneNumberResponse

    files = []
    for body, keys in _request_keys().items():
        # A config names its number even where the request takes it in the path (update).
        document = {key: VALUES[key] for key in ["phone_number", *keys]}
        files.append(write_yaml(tmp_path, f"{body}.yaml", document))
    response = PhoneNumberResponse.model_validate(
        {key: VALUES[key] for key in PhoneNumberResponse.model_fields}, strict=True
    )
    dumped = response.model_dump(mode="json")
    assert all(value is not None for value in dumped.values())
    files.append(write_yaml(tmp_path, "response.yaml", dumped))
    files.append(write_yaml(tmp_path, "list.yaml", {"phone_numbers": [dumped], "x-team": "ops"}))
    result = check_jsonschema(*files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("inbound_agent_version: prod-eu_2\n", id="legacy-version-tag"),
        pytest.param("inbound_sms_agent_version: 7\n", id="legacy-version-integer"),
        pytest.param("outbound_allowed_countries: [AX, FI]\n", id="legacy-country-list"),
        pytest.param("ignore_e164_validation: true\n", id="boolean"),
        pytest.param("number_provider: twilio\ncountry_code: US\n", id="create-options"),
        pytest.param("nickname: null\ninbound_agents: []\n", id="null-and-empty"),
        pytest.param("x-owner: {team: ops}\n", id="extension-key"),
        pytest.param(
            "inbound_agents:\n  - {agent_id: a, weight: 1, agent_version: b-0_}\n",
            id="tag-ending-in-punctuation",
        ),
    ],
)
def test_accepted(text: str, tmp_path: Path) -> None:
    path = write_text(tmp_path, "number.yaml", 'phone_number: "+14157774444"\n' + text)
    result = check_jsonschema(path)
    assert result.returncode == 0, result.stdout + result.stderr


# (config, fragments of check-jsonschema's output, all required)
REJECTED = [
    pytest.param(
        "nick_name: Front desk\n",
        ["$:", "'nick_name' was unexpected"],
        id="misspelt-key",
    ),
    pytest.param(
        "sip_outbound_trunk_config:\n  transport: TLS\n  password: x\n",
        ["$.sip_outbound_trunk_config:", "'password' was unexpected"],
        id="misspelt-sip-key",
    ),
    pytest.param(
        "inbound_agents:\n  - {agent_id: a, weight: 1, weigth: 1}\n",
        ["$.inbound_agents[0]:", "'weigth' was unexpected"],
        id="misspelt-agent-key",
    ),
    pytest.param(
        "allowed_inbound_country_list: [US, USA]\n",
        ["$.allowed_inbound_country_list[1]:", "'USA' is not one of ['AD'"],
        id="alpha-3-country",
    ),
    pytest.param(
        "inbound_allowed_countries: [UK]\n",
        ["$.inbound_allowed_countries[0]:", "'UK' is not one of"],
        id="legacy-country-list",
    ),
    pytest.param(
        "inbound_agents:\n  - {agent_id: a, weight: 1, agent_version: v3}\n",
        ["$.inbound_agents[0].agent_version:", "'v3' does not match"],
        id="version-v-digits",
    ),
    pytest.param(
        "inbound_agents:\n  - {agent_id: a, weight: 1, agent_version: Prod}\n",
        ["$.inbound_agents[0].agent_version:", "'Prod' does not match"],
        id="version-capital",
    ),
    pytest.param(
        'inbound_agents:\n  - {agent_id: a, weight: 1, agent_version: "3"}\n',
        ["$.inbound_agents[0].agent_version:", "'3' does not match"],
        id="version-quoted-digits",
    ),
    pytest.param(
        "inbound_agents:\n  - {agent_id: a, weight: 1, agent_version: -1}\n",
        ["$.inbound_agents[0].agent_version:", "-1 is less than the minimum of 0"],
        id="version-negative",
    ),
    pytest.param(
        "outbound_agent_version: v12\n",
        ["$.outbound_agent_version:", "'v12' does not match"],
        id="legacy-version-v-digits",
    ),
    pytest.param(
        'ignore_e164_validation: "true"\n',
        ["$.ignore_e164_validation:", "'true' is not of type 'boolean'"],
        id="quoted-boolean",
    ),
    pytest.param(
        "toll_free: yes\n",
        ["$.toll_free:", "'yes' is not of type 'boolean'"],
        id="yaml-1.1-boolean",
    ),
    pytest.param(
        "number_provider: vonage\n",
        ["$.number_provider:", "'vonage' is not one of ['twilio', 'telnyx'"],
        id="number-provider",
    ),
    pytest.param(
        "country_code: GB\n",
        ["$.country_code:", "'GB' is not one of ['US', 'CA'"],
        id="create-country",
    ),
    pytest.param(
        "transport: tls\n",
        ["$.transport:", "'tls' is not one of ['TLS', 'TCP', 'UDP'"],
        id="flat-transport",
    ),
    pytest.param(
        "codecs: PCMU\n",
        ["$.codecs:", "'PCMU' is not of type 'array'"],
        id="flat-codecs",
    ),
]


@pytest.mark.parametrize(("text", "fragments"), REJECTED)
def test_rejected_with_the_mistake_named(text: str, fragments: list[str], tmp_path: Path) -> None:
    path = write_text(tmp_path, "number.yaml", 'phone_number: "+14157774444"\n' + text)
    result = check_jsonschema(path)
    assert result.returncode == 1, result.stdout + result.stderr
    for fragment in fragments:
        assert fragment in result.stdout, result.stdout
    # The messages a wrong schema structure gives instead of naming the mistake.
    assert "does not match any of the regexes" not in result.stdout
    assert "is not valid under any of the given schemas" not in result.stdout
    assert "is not of type 'null'" not in result.stdout


def test_misspelt_key_in_a_list_file(tmp_path: Path) -> None:
    path = write_text(
        tmp_path,
        "numbers.yaml",
        """
        phone_numbers:
          - phone_number: "+14157774444"
            nick_name: Front desk
        """,
    )
    result = check_jsonschema(path)
    assert result.returncode == 1
    assert "$.phone_numbers[0]: Unevaluated properties are not allowed" in result.stdout
    assert "'nick_name' was unexpected" in result.stdout


def test_number_fields_beside_the_list_are_named(tmp_path: Path) -> None:
    path = write_text(
        tmp_path,
        "numbers.yaml",
        """
        phone_number: "+14157774444"
        phone_numbers: []
        """,
    )
    result = check_jsonschema(path)
    assert result.returncode == 1
    assert "'phone_number' was unexpected" in result.stdout


# -- yaml-language-server (editors) -------------------------------------------------------


def _yaml_language_server() -> list[str]:
    """The command that validates files with yaml-language-server, or a skip."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed")
    probe = subprocess.run(
        [node, "-e", "require.resolve('yaml-language-server')"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip("yaml-language-server is not installed (npm install yaml-language-server)")
    return [node, str(YAML_LS_SCRIPT), str(SCHEMA)]


def test_yaml_language_server_reports_what_an_editor_shows(tmp_path: Path) -> None:
    command = _yaml_language_server()
    good = write_yaml(tmp_path, "good.yaml", {key: VALUES[key] for key in ("phone_number",)})
    write_yaml(tmp_path, "full.yaml", {k: v for k, v in VALUES.items() if k in NUMBER_FIELDS})
    bad = write_text(
        tmp_path,
        "bad.yaml",
        """
        phone_number: "+14157774444"
        nick_name: Front desk
        allowed_inbound_country_list: [USA]
        ignore_e164_validation: "true"
        number_provider: vonage
        inbound_agents:
          - {agent_id: a, weight: 1, agent_version: v3}
        """,
    )
    result = subprocess.run(
        [*command, str(good), str(tmp_path / "full.yaml"), str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    errors = result.stdout.splitlines()
    assert result.returncode == 1, result.stdout + result.stderr
    assert all(line.startswith(str(bad)) for line in errors), errors
    by_line = {int(line.split(":")[1]): line for line in errors}
    assert "Property nick_name is not allowed" in by_line[2]
    assert '"US"' in by_line[3]
    assert "boolean" in by_line[4]
    assert '"twilio", "telnyx"' in by_line[5]
    assert "not v followed by digits" in by_line[7]
    assert len(errors) == 5, errors
