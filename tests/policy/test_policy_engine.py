"""Team policies through the engine: findings and their positions, ``where``, ``[*]``,
project-wide uniqueness, and rule settings and suppressions by id and by name."""

from __future__ import annotations

from pathlib import Path

from policy_helpers import NUMBER, lint, policy, rows

WEBHOOK = policy(
    r"""
    field: inbound_webhook_url
    require: {pattern: '^https://hooks\.acme\.com/'}
    """
)


def test_a_value_that_breaks_the_policy_is_reported_at_the_value(tmp_path: Path):
    findings = lint(
        tmp_path,
        WEBHOOK,
        {
            "bad.yaml": NUMBER + "inbound_webhook_url: https://evil.example/x\n",
            "good.yaml": NUMBER.replace("4444", "4445")
            + "inbound_webhook_url: https://hooks.acme.com/x\n",
        },
    )
    assert [(f.rule, f.name, f.severity, f.line, f.column, f.end_column) for f in findings] == [
        ("ACME001", "team-rule", "error", 8, 22, 44)
    ]
    assert findings[0].message == (
        "team rule (inbound_webhook_url: 'https://evil.example/x' does not match "
        "'^https://hooks\\.acme\\.com/')"
    )
    assert findings[0].path == "inbound_webhook_url"
    assert findings[0].phone_number == "+14157774444"


def test_a_missing_field_is_reported_at_the_phone_number_key(tmp_path: Path):
    config = policy("field: inbound_webhook_url\nrequire: {present: true}")
    findings = lint(tmp_path, config, {"n.yaml": "# a comment\n" + NUMBER})
    assert rows(findings) == [(2, 1, "inbound_webhook_url")]
    assert "inbound_webhook_url: it is missing" in findings[0].message


def test_numbers_in_a_list_are_reported_with_their_prefix(tmp_path: Path):
    config = policy("field: nickname\nrequire: {pattern: '^[A-Z]'}")
    text = """\
    phone_numbers:
      - phone_number: "+14157774444"
        nickname: Desk
      - phone_number: "+14157774445"
        nickname: desk
    """
    findings = lint(tmp_path, config, {"n.yaml": text})
    assert rows(findings) == [(5, 15, "phone_numbers[1].nickname")]


def test_every_item_is_checked_and_reported_at_its_own_value(tmp_path: Path):
    config = policy(
        "field: inbound_agents[*].agent_version\nrequire: {present: true, type: integer}"
    )
    text = """\
    phone_number: "+14157774444"
    inbound_agents:
      - agent_id: a
        weight: 0.5
        agent_version: prod
      - agent_id: b
        weight: 0.25
      - agent_id: c
        weight: 0.25
        agent_version: 4
    """
    findings = lint(tmp_path, config, {"n.yaml": text})
    # A missing field of an item is reported at the item.
    assert rows(findings) == [
        (5, 20, "inbound_agents[0].agent_version"),
        (6, 5, "inbound_agents[1].agent_version"),
    ]
    # A number without the list has no item to check.
    assert lint(tmp_path, config, {"n.yaml": 'phone_number: "+14157774444"\n'}) == []


def test_list_assertions_point_at_the_offending_item(tmp_path: Path):
    config = policy(
        "field: allowed_outbound_country_list\nrequire: {subset_of: [US, CA], unique: true}"
    )
    text = NUMBER + "allowed_outbound_country_list: [US, FR, US]\n"
    findings = lint(tmp_path, config, {"n.yaml": text})
    assert rows(findings) == [
        (8, 37, "allowed_outbound_country_list[1]"),
        (8, 41, "allowed_outbound_country_list[2]"),
    ]


def test_a_missing_field_of_a_mapping_is_reported_at_its_key(tmp_path: Path):
    config = policy("field: sip_outbound_trunk_config.transport\nrequire: {present: true}")
    text = NUMBER + "sip_outbound_trunk_config:\n  termination_uri: t.example.com\n"
    findings = lint(tmp_path, config, {"n.yaml": text})
    assert rows(findings) == [(8, 1, "sip_outbound_trunk_config.transport")]


def test_flat_sip_parameters_are_checked_where_they_are_written(tmp_path: Path):
    config = policy("field: sip_outbound_trunk_config.transport\nrequire: {equals: TLS}")
    findings = lint(tmp_path, config, {"n.yaml": NUMBER + "transport: UDP\n"})
    assert rows(findings) == [(8, 12, "transport")]


def test_several_fields(tmp_path: Path):
    config = policy(
        """
        field: [inbound_webhook_url, inbound_sms_webhook_url]
        require: {pattern: '^https://'}
        """
    )
    text = NUMBER + "inbound_webhook_url: http://a.example\ninbound_sms_webhook_url: http://b\n"
    findings = lint(tmp_path, config, {"n.yaml": text})
    assert [path for _l, _c, path in rows(findings)] == [
        "inbound_webhook_url",
        "inbound_sms_webhook_url",
    ]


def test_values_already_reported_with_the_wrong_type_are_not_reported_again(tmp_path: Path):
    config = policy("field: area_code\nrequire: {min: 200}")
    findings = lint(tmp_path, config, {"n.yaml": NUMBER + "area_code: '415'\n"})
    assert [f.rule for f in findings] == ["RL004"]


# -- where ------------------------------------------------------------------------------


SMS = policy(
    """
    where: {phone_number_type: {not_one_of: [retell-twilio, retell-telnyx]}}
    field: inbound_sms_agents
    require: {present: false}
    """
)
SMS_AGENTS = "inbound_sms_agents:\n  - agent_id: s\n    weight: 1\n"


def test_where_limits_the_numbers_a_policy_checks(tmp_path: Path):
    custom = NUMBER.replace("retell-twilio", "custom") + SMS_AGENTS
    twilio = NUMBER.replace("4444", "4445") + SMS_AGENTS
    findings = lint(tmp_path, SMS, {"custom.yaml": custom, "twilio.yaml": twilio})
    assert [(f.file.rsplit("/", 1)[-1], f.line, f.path) for f in findings] == [
        ("custom.yaml", 8, "inbound_sms_agents")
    ]
    # The whole field must go: the finding is at its key.
    assert (findings[0].column, findings[0].end_column) == (1, 19)


def test_where_on_a_missing_field_does_not_match(tmp_path: Path):
    config = policy(
        """
        where: {nickname: {pattern: '^Prod'}}
        field: inbound_agents[*].agent_version
        require: {type: integer}
        """
    )
    unnamed = (
        'phone_number: "+14157774444"\ninbound_agents:\n'
        "  - {agent_id: a, weight: 1, agent_version: dev}\n"
    )
    assert lint(tmp_path, config, {"n.yaml": unnamed}) == []
    named = unnamed + "nickname: Prod desk\n"
    assert rows(lint(tmp_path, config, {"n.yaml": named})) == [
        (3, 45, "inbound_agents[0].agent_version")
    ]


def test_where_with_every_item(tmp_path: Path):
    config = policy(
        """
        where:
          inbound_agents[*].agent_id: {pattern: '^agent_prod'}
        field: nickname
        require: {present: true}
        """
    )
    prod = 'phone_number: "+14157774444"\ninbound_agents:\n  - {agent_id: agent_prod1, weight: 1}\n'
    mixed = prod.replace("4444", "4445") + "  - {agent_id: agent_dev, weight: 0}\n"
    findings = lint(tmp_path, config, {"prod.yaml": prod, "mixed.yaml": mixed})
    assert [f.file.rsplit("/", 1)[-1] for f in findings if f.rule == "ACME001"] == ["prod.yaml"]


def test_composition_end_to_end(tmp_path: Path):
    config = policy(
        """
        field: inbound_agents[*].agent_version
        require:
          any:
            - {type: integer, min: 1}
            - {one_of: [prod, staging]}
        """
    )
    text = (
        'phone_number: "+14157774444"\ninbound_agents:\n'
        "  - {agent_id: a, weight: 0.5, agent_version: 0}\n"
        "  - {agent_id: b, weight: 0.5, agent_version: prod}\n"
    )
    findings = lint(tmp_path, config, {"n.yaml": text})
    assert rows(findings) == [(3, 47, "inbound_agents[0].agent_version")]
    assert "none of the alternatives holds: 0 is less than 1;" in findings[0].message


# -- project scope ----------------------------------------------------------------------


UNIQUE = policy(
    """
    scope: project
    field: nickname
    require: {unique: true}
    """
)


def test_project_unique_reports_every_later_repeat_across_files(tmp_path: Path):
    files = {
        "a.yaml": NUMBER,
        "b.yaml": NUMBER.replace("4444", "4445"),
        "c.yaml": NUMBER.replace("4444", "4446").replace("Front desk", "Sales"),
    }
    findings = lint(tmp_path, UNIQUE, files)
    assert [(f.file.rsplit("/", 1)[-1], f.line, f.column, f.path) for f in findings] == [
        ("b.yaml", 3, 11, "nickname")
    ]
    assert f"'Front desk' is also used by +14157774444 ({tmp_path}/a.yaml:3)" in findings[0].message


def test_project_unique_respects_where_and_skips_missing_values(tmp_path: Path):
    config = policy(
        """
        scope: project
        where: {phone_number_type: {equals: custom}}
        field: nickname
        require: {unique: true}
        """
    )
    files = {
        "a.yaml": NUMBER,
        "b.yaml": NUMBER.replace("4444", "4445"),
        "c.yaml": 'phone_number: "+14157774446"\n',
        "d.yaml": 'phone_number: "+14157774447"\n',
    }
    assert lint(tmp_path, config, files) == []


# -- settings and suppressions ------------------------------------------------------------

MISSING_NICKNAME = 'phone_number: "+14157774444"\n'
NICKNAME = policy("field: nickname\nrequire: {present: true}", name="nickname-required")


def test_rules_setting_turns_a_policy_off_or_changes_its_severity(tmp_path: Path):
    files = {"n.yaml": MISSING_NICKNAME}
    assert rows(lint(tmp_path, NICKNAME, files)) == [(1, 1, "nickname")]
    assert lint(tmp_path, NICKNAME + "rules: {ACME001: off}\n", files) == []
    assert lint(tmp_path, NICKNAME + "rules: {nickname-required: off}\n", files) == []
    warned = lint(tmp_path, NICKNAME + "rules: {ACME001: warning}\n", files)
    assert [f.severity for f in warned] == ["warning"]


def test_a_policy_off_by_default_is_turned_on_in_rules(tmp_path: Path):
    config = NICKNAME.replace("    message:", "    enabled: false\n    message:")
    files = {"n.yaml": MISSING_NICKNAME}
    assert lint(tmp_path, config, files) == []
    assert len(lint(tmp_path, config + "rules: {ACME001: on}\n", files)) == 1


def test_suppressions_by_id_and_by_name(tmp_path: Path):
    by_id = 'phone_number: "+14157774444"  # retell-lint: ignore[ACME001] named later\n'
    by_name = 'phone_number: "+14157774445"  # retell-lint: ignore[nickname-required]\n'
    file_wide = '# retell-lint: ignore-file[nickname-required]\nphone_number: "+14157774446"\n'
    findings = lint(tmp_path, NICKNAME, {"a.yaml": by_id, "b.yaml": by_name, "c.yaml": file_wide})
    assert findings == []


def test_an_unused_policy_suppression_is_reported(tmp_path: Path):
    text = NUMBER.replace('"+14157774444"', '"+14157774444"  # retell-lint: ignore[ACME001]')
    findings = lint(tmp_path, NICKNAME, {"n.yaml": text})
    assert [(f.rule, f.line, f.message) for f in findings] == [
        ("RL010", 1, "unused suppression: no ACME001 finding on this line")
    ]


def test_an_unknown_policy_in_a_suppression_is_reported(tmp_path: Path):
    text = NUMBER.replace('"+14157774444"', '"+14157774444"  # retell-lint: ignore[ACME002]')
    findings = lint(tmp_path, NICKNAME, {"n.yaml": text})
    assert [(f.rule, f.line) for f in findings] == [("RL011", 1)]


def test_policies_do_not_change_a_run_without_them(tmp_path: Path):
    text = NUMBER + "inbound_webhook_url: https://evil.example/x\n"
    assert lint(tmp_path, "fail_level: error\n", {"n.yaml": text}) == []


# -- retell-lint's own files in a linted folder --------------------------------------------


def test_a_linted_folder_skips_the_configuration_and_policy_files(tmp_path: Path):
    from retell_lint import engine
    from retell_lint.config import Config

    (tmp_path / ".retell-lint.yaml").write_text("policy_files: [team.yaml]\nfail_level: error\n")
    (tmp_path / "team.yaml").write_text("- id: ACME001\n  require: {present: true}\n")
    (tmp_path / "number.yaml").write_text(NUMBER)
    # Not retell-lint's own: a list without policies, a mapping with a phone-number key.
    (tmp_path / "list.yaml").write_text("- id: ACME001\n")
    (tmp_path / "mixed.yaml").write_text("fail_level: error\nnickname: x\n")
    result = engine.lint((str(tmp_path),), Config(root=tmp_path))
    reported = {f.file.rsplit("/", 1)[-1] for f in result.findings}
    assert reported == {"list.yaml", "mixed.yaml"}
    assert [n.phone_number for n in result.numbers] == [None, "+14157774444"]
