"""Rules the reader reports while building the model: RL002-RL005, RL007, RL008."""

from __future__ import annotations

import pytest
from lint_helpers import BASE, lint_files, lint_text, rows

# -- RL002 duplicate-key ------------------------------------------------------------


def test_rl002_duplicate_top_level_key_points_at_the_second_key() -> None:
    findings = lint_text(
        """
        phone_number: "+14157774444"
        nickname: Front desk
        nickname: Reception
        inbound_agents:
          - agent_id: agent_frontdesk
            weight: 1
        """
    )
    assert rows(findings) == [("RL002", 3, 1, "error", "nickname")]
    assert "first defined on line 2" in findings[0].message


def test_rl002_in_an_agent_entry_keeps_the_first_value() -> None:
    # The first weight (1) is used, so the list still adds up to 1: no RL301.
    findings = lint_text(
        """
        phone_number: "+14157774444"
        inbound_agents:
          - agent_id: agent_frontdesk
            weight: 1
            weight: 0.5
        """
    )
    assert rows(findings) == [("RL002", 5, 5, "error", "inbound_agents[0].weight")]


def test_rl002_in_a_list_file_and_in_the_sip_trunk() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            inbound_agents:
              - agent_id: agent_frontdesk
                weight: 1
          - phone_number: "+14155551234"
            phone_number_type: custom
            nickname: one
            nickname: two
            inbound_agents:
              - agent_id: agent_sales
                weight: 1
            sip_outbound_trunk_config:
              transport: TLS
              transport: UDP
        """
    )
    assert rows(findings) == [
        ("RL002", 9, 5, "error", "phone_numbers[1].nickname"),
        ("RL002", 15, 7, "error", "phone_numbers[1].sip_outbound_trunk_config.transport"),
    ]


def test_rl002_near_misses() -> None:
    # The same key in two different mappings, and a merged key overridden explicitly.
    findings = lint_text(
        """
        x-defaults: &defaults
          phone_number_type: custom
        phone_numbers:
          - <<: *defaults
            phone_number: "+14157774444"
            phone_number_type: custom
            inbound_agents:
              - agent_id: agent_frontdesk
                weight: 0.5
              - agent_id: agent_backup
                weight: 0.5
        """
    )
    assert rows(findings) == []


# -- RL003 unknown-field ------------------------------------------------------------


def test_rl003_misspelt_number_field_with_suggestion() -> None:
    findings = lint_text(
        """
        phone_number: "+14157774444"
        nick_name: Front desk
        inbound_agents:
          - agent_id: agent_frontdesk
            weight: 1
        """
    )
    assert rows(findings) == [("RL003", 2, 1, "error", "nick_name")]
    assert findings[0].message == "unknown field 'nick_name'; did you mean 'nickname'?"


def test_rl003_in_agent_entry_and_sip_trunk() -> None:
    findings = lint_text(
        BASE
        + """\
outbound_agents:
  - agent_id: agent_sales
    weight: 1
    agent_verison: 2
phone_number_type: custom
sip_outbound_trunk_config:
  transprt: TLS
"""
    )
    assert rows(findings) == [
        ("RL003", 8, 5, "error", "outbound_agents[0].agent_verison"),
        ("RL003", 11, 3, "error", "sip_outbound_trunk_config.transprt"),
    ]
    assert "did you mean 'agent_version'?" in findings[0].message
    assert "did you mean 'transport'?" in findings[1].message


def test_rl003_misspelt_weight_also_leaves_the_entry_without_weight() -> None:
    findings = lint_text(
        """
        phone_number: "+14157774444"
        inbound_agents:
          - agent_id: agent_frontdesk
            wieght: 1
        """
    )
    assert rows(findings) == [
        ("RL005", 3, 5, "error", "inbound_agents[0]"),
        ("RL003", 4, 5, "error", "inbound_agents[0].wieght"),
    ]


def test_rl003_in_a_list_file() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            inbound_agents:
              - agent_id: agent_frontdesk
                weight: 1
          - phone_number: "+14155551234"
            inbound_agnets:
              - agent_id: agent_sales
                weight: 1
        defaults: {}
        """
    )
    assert rows(findings, "RL003") == [
        ("RL003", 7, 5, "error", "phone_numbers[1].inbound_agnets"),
        ("RL003", 10, 1, "error", "defaults"),
    ]


def test_rl003_acceptance_case_plural_legacy_name() -> None:
    findings = lint_text(
        """
        phone_number: "+14157774444"
        inbound_agent_ids:
          - oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD
        """
    )
    assert rows(findings, "RL003") == [("RL003", 2, 1, "error", "inbound_agent_ids")]


def test_rl003_near_misses_extension_keys_and_legacy_fields() -> None:
    # x- keys are the user's own; legacy fields are RL009's, not unknown.
    findings = lint_text(
        BASE
        + """\
x-owner: platform-team
outbound_agent_id: agent_sales
"""
    )
    assert rows(findings) == [("RL009", 6, 1, "warning", "outbound_agent_id")]


# -- RL004 invalid-type -------------------------------------------------------------


def test_rl004_quoted_weight_is_not_summed() -> None:
    findings = lint_text(
        """
        phone_number: "+14157774444"
        inbound_agents:
          - agent_id: agent_frontdesk
            weight: "0.5"
          - agent_id: agent_backup
            weight: 0.2
        """
    )
    # 0.5 + 0.2 would break RL301; the unreadable weight keeps the list out of it.
    assert rows(findings) == [("RL004", 4, 13, "error", "inbound_agents[0].weight")]
    assert "remove the quotes" in findings[0].message


@pytest.mark.parametrize(
    ("line", "row"),
    [
        ('area_code: "415"', ("RL004", 5, 12, "error", "area_code")),
        (
            "allowed_inbound_country_list: US",
            ("RL004", 5, 31, "error", "allowed_inbound_country_list"),
        ),
        ("nickname: [Front desk]", ("RL004", 5, 11, "error", "nickname")),
        ("phone_number_type: null", ("RL004", 5, 20, "error", "phone_number_type")),
        ("sip_outbound_trunk_config: TLS", ("RL004", 5, 28, "error", "sip_outbound_trunk_config")),
        ("outbound_agents: agent_sales", ("RL004", 5, 18, "error", "outbound_agents")),
    ],
)
def test_rl004_wrong_types(line: str, row: tuple[str, int, int, str, str]) -> None:
    assert rows(lint_text(BASE + line + "\n")) == [row]


def test_rl004_agent_entry_that_is_not_a_mapping() -> None:
    findings = lint_text(
        """
        phone_number: "+14157774444"
        inbound_agents:
          - agent_id: agent_frontdesk
            weight: 0.5
          - agent_backup
        """
    )
    assert rows(findings) == [("RL004", 5, 5, "error", "inbound_agents[1]")]


def test_rl004_inbound_agents_of_the_wrong_type_is_not_also_rl308() -> None:
    findings = lint_text(
        """
        phone_number: "+14157774444"
        inbound_agents: {agent_id: agent_frontdesk, weight: 1}
        """
    )
    assert rows(findings) == [("RL004", 2, 17, "error", "inbound_agents")]


def test_rl004_phone_number_of_the_wrong_type_is_not_also_rl005() -> None:
    findings = lint_text(
        """
        phone_number: ["+14157774444"]
        inbound_agents:
          - agent_id: agent_frontdesk
            weight: 1
        """
    )
    assert rows(findings) == [("RL004", 1, 15, "error", "phone_number")]


def test_rl004_in_a_list_file() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            inbound_agents:
              - agent_id: agent_frontdesk
                weight: 1
          - "+14155551234"
          - phone_number: "+14155550123"
            area_code: four-one-five
            inbound_agents:
              - agent_id: agent_sales
                weight: 1
        """
    )
    assert rows(findings) == [
        ("RL004", 6, 5, "error", "phone_numbers[1]"),
        ("RL004", 8, 16, "error", "phone_numbers[2].area_code"),
    ]


def test_rl004_near_misses() -> None:
    # Integer weight, integer and tag versions, null for nullable fields.
    findings = lint_text(
        """
        phone_number: "+14157774444"
        area_code: 415
        nickname: null
        inbound_agents:
          - agent_id: agent_frontdesk
            weight: 1
            agent_version: 3
        outbound_agents:
          - agent_id: agent_sales
            weight: 1.0
            agent_version: prod
        allowed_inbound_country_list: null
        fallback_number: null
        """
    )
    assert rows(findings) == []


# -- RL005 missing-required-field ---------------------------------------------------


def test_rl005_agent_entry_without_weight_points_at_the_entry() -> None:
    findings = lint_text(
        """
        phone_number: "+14157774444"
        inbound_agents:
          - agent_id: agent_frontdesk
            weight: 0.5
          - agent_id: agent_backup
        """
    )
    # No RL301 either: the sum is not checked while a weight is missing.
    assert rows(findings) == [("RL005", 5, 5, "error", "inbound_agents[1]")]
    assert findings[0].message == "agent entry without 'weight'"


def test_rl005_agent_entry_without_agent_id() -> None:
    findings = lint_text(
        """
        phone_number: "+14157774444"
        inbound_agents:
          - weight: 1
        """
    )
    assert rows(findings) == [("RL005", 3, 5, "error", "inbound_agents[0]")]
    assert findings[0].message == "agent entry without 'agent_id'"


def test_rl005_number_without_phone_number() -> None:
    findings = lint_text(
        """
        nickname: Front desk
        inbound_agents:
          - agent_id: agent_frontdesk
            weight: 1
        """
    )
    assert rows(findings) == [("RL005", 1, 1, "error", "")]


@pytest.mark.parametrize("value", ["null", ""])
def test_rl005_phone_number_without_value_points_at_the_key(value: str) -> None:
    findings = lint_text(
        f"""
        nickname: Front desk
        phone_number: {value}
        inbound_agents:
          - agent_id: agent_frontdesk
            weight: 1
        """
    )
    assert rows(findings) == [("RL005", 2, 1, "error", "phone_number")]


def test_rl005_in_a_list_file() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            inbound_agents:
              - agent_id: agent_frontdesk
                weight: 1
          - nickname: Sales
            inbound_agents:
              - agent_id: agent_sales
        """
    )
    assert rows(findings) == [
        ("RL005", 6, 5, "error", "phone_numbers[1]"),
        ("RL005", 8, 9, "error", "phone_numbers[1].inbound_agents[0]"),
    ]


def test_rl005_near_miss_complete_entries() -> None:
    assert rows(lint_text(BASE)) == []


# -- RL007 implicit-type ------------------------------------------------------------


def test_rl007_unquoted_phone_number_is_an_error_and_not_also_rl101() -> None:
    findings = lint_text(
        """
        phone_number: +14157774444
        inbound_agents:
          - agent_id: agent_frontdesk
            weight: 1
        """
    )
    assert rows(findings) == [("RL007", 1, 15, "error", "phone_number")]
    assert 'quote it: "+14157774444"' in findings[0].message


def test_rl007_unquoted_fallback_without_plus_advises_e164() -> None:
    findings = lint_text(BASE + "fallback_number: 14155551234\n")
    assert rows(findings) == [("RL007", 5, 18, "error", "fallback_number")]
    assert "in E.164 form" in findings[0].message


def test_rl013_norway_is_a_warning_and_quoted_norway_is_fine() -> None:
    findings = lint_text(
        BASE
        + """\
allowed_inbound_country_list: [US, NO]
allowed_outbound_country_list: [US, "NO", 'NO']
"""
    )
    # The quoted pair is a real duplicate (RL202), but no RL013.
    assert rows(findings) == [
        ("RL013", 5, 36, "warning", "allowed_inbound_country_list[1]"),
        ("RL202", 6, 43, "warning", "allowed_outbound_country_list[2]"),
    ]
    assert "boolean to YAML 1.1 parsers" in findings[0].message


@pytest.mark.parametrize(
    ("value", "rule", "severity", "kind"),
    [
        # Strings in YAML 1.2, booleans or numbers in YAML 1.1: RL013, a warning.
        ("yes", "RL013", "warning", "boolean"),
        ("Off", "RL013", "warning", "boolean"),
        ("1:30", "RL013", "warning", "base-60 number"),
        # Not strings in any YAML version: RL007, an error.
        ("true", "RL007", "error", "read as a boolean"),
        ("0755", "RL007", "error", "read as an integer"),
        ("3.5", "RL007", "error", "read as a number"),
    ],
)
def test_rl007_and_rl013_nickname_values(value: str, rule: str, severity: str, kind: str) -> None:
    findings = lint_text(BASE + f"nickname: {value}\n")
    assert rows(findings) == [(rule, 5, 11, severity, "nickname")]
    assert kind in findings[0].message


def test_rl007_in_agent_entry_of_a_list_file() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            inbound_agents:
              - agent_id: 12345
                weight: 1
        """
    )
    assert rows(findings) == [
        ("RL007", 4, 19, "error", "phone_numbers[0].inbound_agents[0].agent_id")
    ]


def test_rl013_configured_severity_overrides_the_default() -> None:
    findings = lint_text(BASE + "nickname: on\n", rules={"RL013": "error"})
    assert rows(findings) == [("RL013", 5, 11, "error", "nickname")]


def test_each_rule_has_one_severity() -> None:
    # RL007 and RL013 report at their catalogue severity, never a per-finding one.
    findings = lint_text(BASE + "nickname: on\nallowed_inbound_country_list: [US, +1]\n")
    assert {(f.rule, f.severity) for f in findings} == {
        ("RL013", "warning"),
        ("RL007", "error"),
    }


@pytest.mark.parametrize(
    "line",
    [
        'nickname: "yes"',
        "nickname: 'NO'",
        "nickname: NOPE",
        "nickname: no_way",
        'fallback_number: "+14155551234"',
        'allowed_inbound_country_list: ["US", "NO"]',
    ],
)
def test_rl007_near_misses(line: str) -> None:
    assert rows(lint_text(BASE + line + "\n")) == []


# -- RL008 not-a-phone-number-config ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "row", "message"),
    [
        (
            "service: frontdesk\nreplicas: 2\n",
            ("RL008", 1, 1, "warning", ""),
            "no phone_number and no phone_numbers list",
        ),
        ("", ("RL008", 1, 1, "warning", ""), "empty file"),
        (
            '- phone_number: "+14157774444"\n',
            ("RL008", 1, 1, "warning", ""),
            "the document is a list",
        ),
        ("phone_numbers: []\n", ("RL008", 1, 1, "warning", ""), "empty list"),
        ("x-note: nothing here\n", ("RL008", 1, 1, "warning", ""), "not a phone-number config"),
    ],
)
def test_rl008_documents_without_a_number(
    text: str, row: tuple[str, int, int, str, str], message: str
) -> None:
    findings = lint_text(text)
    assert rows(findings) == [row]
    assert message in findings[0].message


def test_rl008_second_document_of_another_kind() -> None:
    findings = lint_text(BASE + "---\nservice: frontdesk\n")
    assert rows(findings) == [("RL008", 6, 1, "warning", "")]
    assert findings[0].document == 1


def test_rl008_stray_document_separator_at_the_end() -> None:
    findings = lint_text(BASE + "---\n")
    assert [(f.rule, f.document) for f in findings] == [("RL008", 1)]
    assert "empty document" in findings[0].message


def test_rl008_near_misses() -> None:
    # A number without phone_number is RL005's, not "not a config"; a list file is fine.
    assert [f.rule for f in lint_text("nickname: Front desk\ninbound_agents: []\n")] == [
        "RL005",
        "RL308",
    ]
    findings = lint_files(
        {
            "single.yaml": BASE,
            "list.yaml": "phone_numbers:\n  - phone_number: '+14155551234'\n"
            "    inbound_agents: [{agent_id: a, weight: 1}]\n",
        }
    )
    assert rows(findings) == []


def test_rl013_yaml11_boolean_as_agent_version_tag_is_a_warning() -> None:
    findings = lint_text(
        """\
phone_number: "+14157774444"
inbound_agents:
  - agent_id: agent_frontdesk
    weight: 1
    agent_version: no
outbound_agents:
  - agent_id: agent_frontdesk
    weight: 1
    agent_version: "no"
"""
    )
    assert rows(findings) == [("RL013", 5, 20, "warning", "inbound_agents[0].agent_version")]


# -- state: the apply directive ----------------------------------------------------------


def test_state_absent_and_present_are_read_without_findings() -> None:
    from retell_lint.filestate import read_numbers
    from retell_lint.source import Source

    for value in ("absent", "present"):
        assert rows(lint_text(BASE + f"state: {value}\n")) == []
        state = read_numbers(Source("n.yaml", BASE + f"state: {value}\n"))
        assert state.numbers[0].config.state == value
        assert "state" in state.numbers[0].declared


def test_state_outside_its_choices_is_rl004_and_left_out() -> None:
    from retell_lint.filestate import read_numbers
    from retell_lint.source import Source

    findings = lint_text(BASE + "state: absnet\n")
    assert rows(findings) == [("RL004", 5, 8, "error", "state")]
    assert findings[0].message == "'state' must be present or absent, not 'absnet'"
    assert read_numbers(Source("n.yaml", BASE + "state: absnet\n")).numbers[0].config.state is None
    # A wrong type is reported once, as a type.
    assert [f.rule for f in lint_text(BASE + "state: [absent]\n")] == ["RL004"]
