"""RL006 and RL009: fields the API computes and fields it removed; and the API page's
own example object, which shows both along with several other rules."""

from __future__ import annotations

import pytest
from lint_helpers import BASE, lint_text, rows

# -- RL006 read-only-field ---------------------------------------------------------


def test_rl006_computed_fields_point_at_their_keys() -> None:
    findings = lint_text(
        BASE
        + 'phone_number_pretty: "+1 (415) 777-4444"\nlast_modification_timestamp: 1703413636133\n'
    )
    assert rows(findings) == [
        ("RL006", 5, 1, "info", "phone_number_pretty"),
        ("RL006", 6, 1, "info", "last_modification_timestamp"),
    ]
    assert findings[0].message == (
        "phone_number_pretty is computed by the API and ignored here; remove it"
    )


def test_rl006_in_a_list_file() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            inbound_agents:
              - agent_id: a
                weight: 1
          - phone_number: "+14155551234"
            last_modification_timestamp: 1703413636133
            inbound_agents:
              - agent_id: a
                weight: 1
        """
    )
    assert rows(findings) == [
        ("RL006", 7, 5, "info", "phone_numbers[1].last_modification_timestamp")
    ]


def test_rl006_near_misses() -> None:
    # nickname is the field for people; x- keys are the user's own.
    text = BASE + "nickname: Front desk\nx-pretty: +1 (415) 777-4444\n"
    assert rows(lint_text(text)) == []


# -- RL009 legacy-agent-field ------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "field", "replacement"),
    [
        ("outbound_agent_id: agent_sales", "outbound_agent_id", "outbound_agents: [{agent_id"),
        ("inbound_sms_agent_id: agent_chat", "inbound_sms_agent_id", "inbound_sms_agents: ["),
        ("outbound_sms_agent_id: agent_chat", "outbound_sms_agent_id", "outbound_sms_agents: ["),
        (
            "inbound_allowed_countries: [US]",
            "inbound_allowed_countries",
            "allowed_inbound_country_list",
        ),
        (
            "outbound_allowed_countries: [US]",
            "outbound_allowed_countries",
            "allowed_outbound_country_list",
        ),
    ],
)
def test_rl009_legacy_field(line: str, field: str, replacement: str) -> None:
    findings = lint_text(BASE + line + "\n")
    assert rows(findings) == [("RL009", 5, 1, "warning", field)]
    assert findings[0].message.startswith(f"{field} was removed from the Retell API in 2026")
    assert f"write {replacement}" in findings[0].message


def test_rl009_acceptance_case_and_inbound_fields() -> None:
    findings = lint_text(
        """
        phone_number: "+14157774444"
        inbound_agent_id: oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD
        inbound_agent_version: 1
        """
    )
    # The legacy id stands for a one-entry list, so no RL308; no RL304 (nothing shadows
    # them).
    assert rows(findings) == [
        ("RL009", 2, 1, "warning", "inbound_agent_id"),
        ("RL009", 3, 1, "warning", "inbound_agent_version"),
    ]


def test_rl009_in_a_list_file() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            inbound_agents:
              - agent_id: a
                weight: 1
            outbound_allowed_countries: [US]
        """
    )
    assert rows(findings) == [
        ("RL009", 6, 5, "warning", "phone_numbers[0].outbound_allowed_countries")
    ]


def test_rl009_near_misses() -> None:
    text = BASE + "outbound_agents:\n  - agent_id: agent_sales\n    weight: 1\n"
    text += "allowed_inbound_country_list: [US]\n"
    assert rows(lint_text(text)) == []


# -- The API reference page's example object ----------------------------------------

# GET /get-phone-number's example response, as printed on the API page, linted as a
# config file (JSON is YAML).
SEED_JSON = """\
{
  "phone_number": "+14157774444",
  "phone_number_type": "retell-twilio",
  "last_modification_timestamp": 1703413636133,
  "phone_number_pretty": "+1 (415) 777-4444",
  "inbound_agent_id": "oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD",
  "outbound_agent_id": "oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD",
  "inbound_agent_version": 1,
  "outbound_agent_version": 1,
  "allowed_inbound_country_list": [
    "US",
    "CA",
    "GB"
  ],
  "allowed_outbound_country_list": [
    "US",
    "CA"
  ],
  "area_code": 415,
  "inbound_agents": [
    {
      "agent_id": "oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD",
      "weight": 0.5,
      "agent_version": 1
    }
  ],
  "outbound_agents": [
    {
      "agent_id": "oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD",
      "weight": 0.5,
      "agent_version": 1
    }
  ],
  "inbound_sms_agents": [
    {
      "agent_id": "oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD",
      "weight": 0.5,
      "agent_version": 1
    }
  ],
  "outbound_sms_agents": [
    {
      "agent_id": "oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD",
      "weight": 0.5,
      "agent_version": 1
    }
  ],
  "nickname": "Frontdesk Number",
  "inbound_webhook_url": "https://example.com/inbound-webhook",
  "inbound_sms_webhook_url": "https://example.com/inbound-sms-webhook",
  "sip_outbound_trunk_config": {
    "termination_uri": "someuri.pstn.twilio.com",
    "auth_username": "username",
    "transport": "TCP"
  },
  "fallback_number": "+14155551234"
}
"""

# Each finding, with why it is right. Not reported, and rightly so: RL104 (area code
# 415 is that of +1 415), RL203 (US is in both country lists), RL403 (+14155551234 is
# valid), RL502/RL503 (public https webhooks), RL506 (no password), RL303 (one entry
# per list), RL305 (each version has its agent id).
SEED_EXPECTED = [
    # Read-only fields pasted from the API response.
    ("RL006", 4, 3, "info", "last_modification_timestamp"),
    ("RL006", 5, 3, "info", "phone_number_pretty"),
    # The four single-agent legacy fields: removed (RL009), and each shadowed by the
    # non-empty list of its direction (RL304).
    ("RL009", 6, 3, "warning", "inbound_agent_id"),
    ("RL304", 6, 3, "warning", "inbound_agent_id"),
    ("RL009", 7, 3, "warning", "outbound_agent_id"),
    ("RL304", 7, 3, "warning", "outbound_agent_id"),
    ("RL009", 8, 3, "warning", "inbound_agent_version"),
    ("RL304", 8, 3, "warning", "inbound_agent_version"),
    ("RL009", 9, 3, "warning", "outbound_agent_version"),
    ("RL304", 9, 3, "warning", "outbound_agent_version"),
    # Each list holds a single agent of weight 0.5.
    ("RL301", 20, 3, "error", "inbound_agents"),
    ("RL301", 27, 3, "error", "outbound_agents"),
    ("RL301", 34, 3, "error", "inbound_sms_agents"),
    ("RL301", 41, 3, "error", "outbound_sms_agents"),
    # A SIP trunk on a number bought through Retell (retell-twilio).
    ("RL504", 51, 3, "warning", "sip_outbound_trunk_config"),
    # transport TCP: signalling in clear text (info).
    ("RL507", 54, 18, "info", "sip_outbound_trunk_config.transport"),
]


def test_api_page_example_as_json() -> None:
    findings = lint_text(SEED_JSON, "get-phone-number.json")
    assert rows(findings) == SEED_EXPECTED
    assert all(
        f.message.endswith("a single agent takes weight 1") for f in findings if f.rule == "RL301"
    )


def test_api_page_example_as_yaml() -> None:
    findings = lint_text(
        """
        phone_number: "+14157774444"
        phone_number_type: retell-twilio
        last_modification_timestamp: 1703413636133
        phone_number_pretty: "+1 (415) 777-4444"
        inbound_agent_id: oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD
        outbound_agent_id: oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD
        inbound_agent_version: 1
        outbound_agent_version: 1
        allowed_inbound_country_list: [US, CA, GB]
        allowed_outbound_country_list: [US, CA]
        area_code: 415
        inbound_agents:
          - {agent_id: oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD, weight: 0.5, agent_version: 1}
        outbound_agents:
          - {agent_id: oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD, weight: 0.5, agent_version: 1}
        inbound_sms_agents:
          - {agent_id: oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD, weight: 0.5, agent_version: 1}
        outbound_sms_agents:
          - {agent_id: oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD, weight: 0.5, agent_version: 1}
        nickname: Frontdesk Number
        inbound_webhook_url: https://example.com/inbound-webhook
        inbound_sms_webhook_url: https://example.com/inbound-sms-webhook
        sip_outbound_trunk_config:
          termination_uri: someuri.pstn.twilio.com
          auth_username: username
          transport: TCP
        fallback_number: "+14155551234"
        """
    )
    assert [(f.rule, f.line) for f in findings] == [
        ("RL006", 3),
        ("RL006", 4),
        ("RL009", 5),
        ("RL304", 5),
        ("RL009", 6),
        ("RL304", 6),
        ("RL009", 7),
        ("RL304", 7),
        ("RL009", 8),
        ("RL304", 8),
        ("RL301", 12),
        ("RL301", 14),
        ("RL301", 16),
        ("RL301", 18),
        ("RL504", 23),
        ("RL507", 26),
    ]
