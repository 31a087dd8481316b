"""``retell-lint drift`` end to end, through the CLI, against the fake Retell API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from drift_support import OUTPUTS, SECRET_KEY, Cli, Result, assert_no_key
from fake_retell import FakeRetell

AGENT_A = [{"agent_id": "agent_a", "weight": 1.0, "agent_version": 3}]


def seed_statuses(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="Front desk", inbound_agents=AGENT_A)
    fake.add_number("+14157770001", nickname="Old", area_code=415)
    fake.add_number("+14157770003", nickname="Nobody declares me")
    fake.add_number("+14157770004", nickname="Hand-managed")
    fake.add_number("+14157770005", nickname="Edited in the dashboard")
    cli.write(
        "retell/frontdesk.yaml",
        """
        # The front desk
        phone_number: "+14157774444"
        nickname: Front desk
        inbound_agents:
          - agent_id: agent_a
            weight: 1
            agent_version: 3
        """,
    )
    cli.write(
        "retell/others.yaml",
        """
        phone_numbers:
          - phone_number: "+14157770001"
            nickname: New
            area_code: 628
          - phone_number: "+14157770002"
            nickname: Not bought yet
          - phone_number: "+14157770004"
            nickname: Declared but ignored
          - phone_number: "+14157770005"
            nickname: As declared
        """,
    )
    cli.write(
        ".retell-lint.yaml",
        """
        drift:
          ignore:
            - phone_number: "+14157770004"
              reason: moved by hand this week
            - phone_number: "+14157770005"
              field: nickname
              reason: marketing edits nicknames in the dashboard
        """,
    )


# -- statuses and formats -------------------------------------------------------------


def test_every_status_in_json(fake: FakeRetell, cli: Cli) -> None:
    seed_statuses(fake, cli)
    result = cli("drift", "--format", "json")
    assert result.code == 1, result.err
    data = result.json()
    assert data["version"] == 1 and data["complete"] is True and data["source"] == "api"
    numbers = result.by_number()
    assert {k: v["status"] for k, v in numbers.items()} == {
        "+14157774444": "in_sync",
        "+14157770001": "changed",
        "+14157770002": "missing",
        "+14157770003": "unmanaged",
        "+14157770004": "ignored",
        "+14157770005": "in_sync",
    }
    changed = numbers["+14157770001"]
    assert changed["file"] == "retell/others.yaml" and changed["line"] == 2
    assert changed["changes"] == [
        {"field": "nickname", "declared": "New", "live": "Old", "line": 3},
        {
            "field": "area_code",
            "declared": 628,
            "live": 415,
            "line": 4,
            "note": "cannot be changed by update",
        },
    ]
    assert numbers["+14157774444"]["file"] == "retell/frontdesk.yaml"
    assert numbers["+14157774444"]["line"] == 2
    assert numbers["+14157770002"]["line"] == 5
    assert numbers["+14157770003"]["file"] is None and numbers["+14157770003"]["line"] is None
    assert numbers["+14157770004"]["reason"] == "moved by hand this week"
    assert numbers["+14157770005"]["ignored_fields"] == [
        {"field": "nickname", "reason": "marketing edits nicknames in the dashboard"}
    ]
    assert data["summary"] == {
        "in_sync": 2,
        "changed": 1,
        "missing": 1,
        "unmanaged": 1,
        "ignored": 1,
        "unknown": 0,
        "ignored_fields": 1,
    }
    # Numbers in a stable order.
    assert list(numbers) == sorted(numbers)


def test_every_status_in_text(fake: FakeRetell, cli: Cli) -> None:
    seed_statuses(fake, cli)
    result = cli("drift")
    assert result.code == 1
    lines = result.out.splitlines()
    assert "~ +14157770001 (retell/others.yaml:2)" in lines
    assert '    nickname: "Old" → "New"' in lines
    assert "    area_code: 415 → 628  (cannot be changed by update)" in lines
    assert "+ +14157770002 (retell/others.yaml:5): declared, not in the account" in lines
    assert "# +14157770004 (retell/others.yaml:7): ignored (moved by hand this week)" in lines
    assert any(line.startswith("    # nickname: difference ignored") for line in lines)
    # Drift first; unmanaged numbers last, on one line, just above the summary.
    heads = [line[:2] for line in lines if not line.startswith((" ", "Changed", "Summary"))]
    assert heads == ["~ ", "+ ", "# ", "= ", "? "]
    assert lines[-2] == "? 1 unmanaged number (in the account, not declared): +14157770003"
    assert lines[-1] == (
        "Summary: 1 changed, 1 missing, 1 unmanaged, 2 in sync, 1 ignored "
        "(1 field difference ignored); 6 numbers compared with the Retell API."
    )
    # In-sync numbers are counted, not listed.
    assert "+14157774444" not in result.out


def test_every_status_in_markdown(fake: FakeRetell, cli: Cli) -> None:
    seed_statuses(fake, cli)
    result = cli("drift", "--format", "markdown")
    assert result.code == 1
    out = result.out
    assert "**Drift in 2 numbers** against the Retell API." in out
    # Every table has the same columns, in the same order.
    headers = [line for line in out.splitlines() if line.startswith("| Field")]
    assert headers == ["| Field | Declared | Live | Note |"]
    assert '| `nickname` | `"New"` | `"Old"` |  |' in out
    assert "| `area_code` | `628` | `415` | cannot be changed by update |" in out
    # The Field column holds field names only, never a status or a reason.
    rows = [line for line in out.splitlines() if line.startswith("| `")]
    statuses = ("missing", "unmanaged", "ignored", "in sync", "declared, not")
    assert rows and all(not any(s in row.split("|")[1] for s in statuses) for row in rows)
    # Drift first, unmanaged last.
    sections = [line for line in out.splitlines() if line.startswith("#### ")]
    assert sections == [
        "#### Changed",
        "#### Missing (declared, not in the account)",
        "#### Ignored",
        "#### Unmanaged (in the account, not declared)",
    ]
    assert "**~ `+14157770001`** (`retell/others.yaml:2`)" in out
    assert "- `+14157770002` (`retell/others.yaml:5`)" in out
    assert "- `+14157770004` (`retell/others.yaml:7`): moved by hand this week" in out
    assert (
        "- `+14157770005` (`retell/others.yaml:9`): `nickname` difference ignored "
        "(marketing edits nicknames in the dashboard)" in out
    )
    assert out.rstrip().endswith("`+14157770003`")


def test_changed_agent_list_shows_entries(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number(
        "+14157774444",
        inbound_agents=[
            {"agent_id": "agent_a", "weight": 0.4, "agent_version": 3},
            {"agent_id": "agent_c", "weight": 0.3},
            {"agent_id": "agent_d", "weight": 0.3, "agent_version": 1},
        ],
    )
    cli.write(
        "retell/a.yaml",
        """
        phone_number: "+14157774444"
        inbound_agents:
          - agent_id: agent_a
            weight: 0.7
            agent_version: 3
          - agent_id: agent_b
            weight: 0.1
          - agent_id: agent_d
            weight: 0.2
            agent_version: 2
        """,
    )
    text = cli("drift")
    assert text.code == 1
    assert text.out.splitlines()[2:7] == [
        "    inbound_agents:",
        "      ~ agent_a: weight 0.4 → 0.7",
        "      + agent_b (weight 0.1): declared, not live",
        "      - agent_c (weight 0.3): live, not declared",
        "      ~ agent_d: weight 0.3, version 1 → weight 0.2, version 2",
    ]
    markdown = cli("drift", "--format", "markdown").out
    assert "| `inbound_agents` `agent_a` | weight 0.7, version 3 | weight 0.4, version 3 |" in (
        markdown
    )
    assert "| `inbound_agents` `agent_b` | weight 0.1 | — |" in markdown
    assert "| `inbound_agents` `agent_c` | — | weight 0.3 |" in markdown
    assert "[{" not in markdown  # no JSON lists
    (change,) = cli("drift", "--format", "json").by_number()["+14157774444"]["changes"]
    assert [(a["change"], a["agent_id"]) for a in change["agents"]] == [
        ("reweighted", "agent_a"),
        ("added", "agent_b"),
        ("removed", "agent_c"),
        ("version", "agent_d"),
    ]
    assert change["agents"][1] == {
        "change": "added",
        "agent_id": "agent_b",
        "declared": {"agent_id": "agent_b", "weight": 0.1},
        "live": None,
    }


def test_many_unmanaged_numbers_are_compact(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="Front desk")
    for index in range(25):
        fake.add_number(f"+1415777{index:04d}")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: Changed\n')
    lines = cli("drift").out.splitlines()
    assert lines[1] == "~ +14157774444 (retell/a.yaml:1)"
    assert lines[-2].startswith("? 25 unmanaged numbers (in the account, not declared): ")
    assert lines[-2].endswith(", +14157770019 and 5 more (--format json lists them all)")
    assert len(lines) == 5
    markdown = cli("drift", "--format", "markdown").out
    assert "and 5 more (the JSON report lists them all)" in markdown
    assert markdown.index("#### Changed") < markdown.index("#### Unmanaged")
    numbers = cli("drift", "--format", "json").json()["numbers"]
    assert sum(1 for n in numbers if n["status"] == "unmanaged") == 25


def test_markdown_escapes_pipes(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="a|b")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: "c|d"\n')
    out = cli("drift", "--format", "markdown").out
    assert '`"c\\|d"`' in out and '`"a\\|b"`' in out


def test_in_sync_and_unmanaged_exit_0_unless_fail_on_unmanaged(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="Front desk")
    fake.add_number("+14157770003")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: Front desk\n')
    result = cli("drift")
    assert result.code == 0
    assert "? 1 unmanaged number (in the account, not declared): +14157770003" in result.out
    assert cli("drift", "--fail-on-unmanaged").code == 1
    fake.numbers.pop("+14157770003")
    result = cli("drift", "--fail-on-unmanaged", "--format", "json")
    assert result.code == 0
    assert result.json()["summary"]["in_sync"] == 1


def test_paths_and_output_file(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="Front desk")
    cli.write("configs/a.yaml", 'phone_number: "+14157774444"\nnickname: Front desk\n')
    result = cli("drift", "configs", "--format", "json", "--output", "report.json")
    assert result.code == 0 and result.out == ""
    report = json.loads((cli.root / "report.json").read_text())
    assert report["numbers"][0]["file"] == os.path.join("configs", "a.yaml")


def test_patch_semantics_omitted_fields_are_not_managed(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number(
        "+14157774444",
        nickname="Anything",
        inbound_agents=AGENT_A,
        inbound_webhook_url="https://hooks.example.com/x",
        fallback_number="+14155550123",
    )
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\n')
    assert cli("drift").code == 0


def test_explicit_null_and_empty_mean_unset(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number(
        "+14157774444",
        nickname="Set",
        inbound_agents=AGENT_A,
        allowed_inbound_country_list=["US"],
        sip_outbound_trunk_config={"termination_uri": "sip.example.com"},
    )
    cli.write(
        "retell/a.yaml",
        """
        phone_number: "+14157774444"
        nickname: null
        inbound_agents: []
        allowed_inbound_country_list:
        sip_outbound_trunk_config: null
        """,
    )
    result = cli("drift", "--format", "json")
    assert result.code == 1
    changes = {c["field"]: c for c in result.json()["numbers"][0]["changes"]}
    assert set(changes) == {
        "nickname",
        "inbound_agents",
        "allowed_inbound_country_list",
        "sip_outbound_trunk_config.termination_uri",
    }
    assert changes["nickname"] == {"field": "nickname", "declared": None, "live": "Set", "line": 2}
    assert changes["inbound_agents"]["live"] == [
        {"agent_id": "agent_a", "weight": 1.0, "agent_version": 3}
    ]
    assert changes["sip_outbound_trunk_config.termination_uri"]["line"] == 5


def test_create_only_phone_number_type(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", phone_number_type="retell-twilio")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nphone_number_type: custom\n')
    result = cli("drift", "--format", "json")
    assert result.code == 1
    (change,) = result.json()["numbers"][0]["changes"]
    assert change["field"] == "phone_number_type"
    assert change["note"] == "cannot be changed by update"


# -- normalisation: each case must come out in sync ------------------------------------

NORMALISATION_CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "e164-form": (
        """
        phone_number: "+1 (415) 777-4444"
        fallback_number: "+1 415-555-0123"
        """,
        {"fallback_number": "+14155550123"},
    ),
    "null-absent-empty-lists": (
        """
        phone_number: "+14157774444"
        outbound_agents: []
        inbound_sms_agents: null
        outbound_sms_agents: []
        allowed_inbound_country_list: null
        allowed_outbound_country_list: []
        """,
        # outbound_agents null, the SMS lists absent, countries [] and null.
        {"allowed_inbound_country_list": [], "allowed_outbound_country_list": None},
    ),
    "weights-as-numbers": (
        """
        phone_number: "+14157774444"
        inbound_agents:
          - agent_id: agent_a
            weight: 1
        outbound_agents:
          - agent_id: agent_b
            weight: 0.50
          - agent_id: agent_c
            weight: .5
        """,
        {
            "inbound_agents": [{"agent_id": "agent_a", "weight": 1.0}],
            "outbound_agents": [
                {"agent_id": "agent_b", "weight": 0.5},
                {"agent_id": "agent_c", "weight": 0.5},
            ],
        },
    ),
    "agent-lists-as-multisets": (
        """
        phone_number: "+14157774444"
        inbound_agents:
          - agent_id: agent_a
            weight: 0.4
            agent_version: 3
          - agent_id: agent_b
            weight: 0.3
            agent_version: prod
          - agent_id: agent_a
            weight: 0.3
            agent_version: 4
        """,
        {
            "inbound_agents": [
                {"agent_id": "agent_a", "weight": 0.3, "agent_version": 4},
                {"agent_id": "agent_b", "weight": 0.3, "agent_version": "prod"},
                {"agent_id": "agent_a", "weight": 0.4, "agent_version": 3},
            ]
        },
    ),
    "countries-as-sets-upper-case": (
        """
        phone_number: "+14157774444"
        allowed_inbound_country_list: [us, Ca, US]
        allowed_outbound_country_list: ["gb", "US"]
        """,
        {
            "allowed_inbound_country_list": ["CA", "US"],
            "allowed_outbound_country_list": ["US", "GB"],
        },
    ),
    "legacy-single-agent-fields": (
        """
        phone_number: "+14157774444"
        inbound_agent_id: agent_a
        inbound_agent_version: 2
        outbound_agents: []
        outbound_agent_id: agent_b
        inbound_sms_agent_id: agent_chat
        """,
        {
            "inbound_agents": [{"agent_id": "agent_a", "weight": 1.0, "agent_version": 2}],
            "outbound_agents": [{"agent_id": "agent_b", "weight": 1}],
            "inbound_sms_agents": [{"agent_id": "agent_chat", "weight": 1.0}],
        },
    ),
    "legacy-country-list-names": (
        """
        phone_number: "+14157774444"
        inbound_allowed_countries: [US, CA]
        """,
        {"allowed_inbound_country_list": ["CA", "US"]},
    ),
    "sip-trunk-field-by-field": (
        """
        phone_number: "+14157774444"
        phone_number_type: custom
        sip_outbound_trunk_config:
          termination_uri: sip.example.com
          auth_username: trunk-user
          auth_password: ${SIP_TRUNK_PASSWORD}
          transport: tls
        """,
        {
            "phone_number_type": "custom",
            "sip_outbound_trunk_config": {
                "termination_uri": "sip.example.com",
                "auth_username": "trunk-user",
                "transport": "TLS",
                "codecs": ["PCMU", "opus"],
            },
        },
    ),
    "explicit-null-matches-unset": (
        """
        phone_number: "+14157774444"
        nickname: null
        fallback_number: null
        inbound_webhook_url:
        sip_outbound_trunk_config: null
        """,
        {"sip_outbound_trunk_config": None},
    ),
    "computed-fields-never-compared": (
        """
        phone_number: "+14157774444"
        last_modification_timestamp: 1
        phone_number_pretty: something else
        """,
        {},
    ),
    "version-digits-equal-the-number": (
        """
        phone_number: "+14157774444"
        inbound_agents:
          - agent_id: agent_a
            weight: 1
            agent_version: "3"
        """,
        {"inbound_agents": AGENT_A},
    ),
    "create-only-area-code-equal": (
        """
        phone_number: "+14157774444"
        area_code: 415
        phone_number_type: retell-twilio
        """,
        {},
    ),
}


@pytest.mark.parametrize("case", sorted(NORMALISATION_CASES))
def test_normalisation_comes_out_in_sync(fake: FakeRetell, cli: Cli, case: str) -> None:
    declared, live = NORMALISATION_CASES[case]
    fake.add_number("+14157774444", **live)
    cli.write("retell/a.yaml", declared)
    result = cli("drift", "--format", "json")
    assert result.code == 0, result.out + result.err
    (number,) = result.json()["numbers"]
    assert number["phone_number"] == "+14157774444"
    assert number["status"] == "in_sync"
    assert number["changes"] == []


def test_legacy_live_fields_read_as_lists(fake: FakeRetell, cli: Cli) -> None:
    # An old saved state may still hold the single-agent field.
    fake.add_number("+14157774444", inbound_agent_id="agent_a", inbound_agent_version=3)
    cli.write(
        "retell/a.yaml",
        """
        phone_number: "+14157774444"
        inbound_agents:
          - agent_id: agent_a
            weight: 1
            agent_version: 3
        """,
    )
    assert cli("drift").code == 0


def test_normalisation_does_not_hide_real_differences(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number(
        "+14157774444",
        inbound_agents=[
            {"agent_id": "agent_a", "weight": 0.5, "agent_version": 3},
            {"agent_id": "agent_b", "weight": 0.5, "agent_version": 1},
        ],
        allowed_inbound_country_list=["US"],
        sip_outbound_trunk_config={"transport": "UDP", "codecs": ["PCMU", "opus"]},
    )
    cli.write(
        "retell/a.yaml",
        """
        phone_number: "+14157774444"
        inbound_agents:
          - agent_id: agent_a
            weight: 0.5
            agent_version: 3
          - agent_id: agent_b
            weight: 0.5
            agent_version: 2
        allowed_inbound_country_list: [US, CA]
        sip_outbound_trunk_config:
          transport: TLS
          codecs: [opus, PCMU]
        """,
    )
    result = cli("drift", "--format", "json")
    assert result.code == 1
    fields = [c["field"] for c in result.json()["numbers"][0]["changes"]]
    assert fields == [
        "inbound_agents",
        "allowed_inbound_country_list",
        "sip_outbound_trunk_config.transport",
        "sip_outbound_trunk_config.codecs",
    ]


# -- secrets ---------------------------------------------------------------------------


def test_sip_password_is_never_compared_resolved_or_printed(
    fake: FakeRetell, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIP_TRUNK_PASSWORD", "env-password-do-not-print")
    fake.add_number(
        "+14157774444",
        sip_outbound_trunk_config={
            "termination_uri": "sip.old.example.com",
            "auth_password": "live-password-do-not-print",
        },
    )
    fake.add_number(
        "+14157770001",
        sip_outbound_trunk_config={"auth_password": "live-password-do-not-print"},
    )
    cli.write(
        "retell/a.yaml",
        """
        phone_numbers:
          - phone_number: "+14157774444"
            sip_outbound_trunk_config:
              termination_uri: sip.example.com
              auth_password: ${SIP_TRUNK_PASSWORD}
          - phone_number: "+14157770001"
            sip_outbound_trunk_config:
              auth_password: literal-password-do-not-print
        """,
    )
    for fmt in ("text", "json", "markdown"):
        result = cli("drift", "--format", fmt)
        assert result.code == 1
        for secret in ("password-do-not-print", "SIP_TRUNK_PASSWORD", "auth_password"):
            assert secret not in result.out + result.err
    numbers = cli("drift", "--format", "json").by_number()
    assert [c["field"] for c in numbers["+14157774444"]["changes"]] == [
        "sip_outbound_trunk_config.termination_uri"
    ]
    assert numbers["+14157770001"]["status"] == "in_sync"
    snapshot = cli("snapshot")
    assert snapshot.code == 0
    assert "password-do-not-print" not in snapshot.out
    assert "auth_password" not in snapshot.out


# -- ignore rules ----------------------------------------------------------------------


def test_ignore_rules_need_a_reason(fake: FakeRetell, cli: Cli) -> None:
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\n')
    cli.write(".retell-lint.yaml", 'drift:\n  ignore:\n    - phone_number: "+14157774444"\n')
    result = cli("drift")
    assert result.code == 2
    assert "need a reason" in result.err and ".retell-lint.yaml:3" in result.err
    assert result.out == "" and fake.request_log == []


def test_ignore_rule_with_unknown_field_is_an_error(fake: FakeRetell, cli: Cli) -> None:
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\n')
    cli.write(
        ".retell-lint.yaml",
        """
        drift:
          ignore:
            - phone_number: "+14157774444"
              field: nicknme
              reason: typo
        """,
    )
    fake.add_number("+14157774444")
    result = cli("drift")
    assert result.code == 2
    assert "drift.ignore field 'nicknme'" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_ignore_by_field_prefix_unmanaged_and_legacy_names(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number(
        "+14157774444",
        sip_outbound_trunk_config={"transport": "UDP", "termination_uri": "a.example.com"},
        inbound_agents=[{"agent_id": "agent_b", "weight": 1.0}],
    )
    fake.add_number("+14157770003")
    cli.write(
        "retell/a.yaml",
        """
        phone_number: "+14157774444"
        inbound_agent_id: agent_a
        sip_outbound_trunk_config:
          transport: TLS
          termination_uri: b.example.com
        """,
    )
    cli.write(
        ".retell-lint.yaml",
        """
        drift:
          ignore:
            - phone_number: "+14157774444"
              field: sip_outbound_trunk_config
              reason: the carrier rotates trunks
            - phone_number: "+1 415 777 4444"
              field: inbound_agent_id
              reason: agent migration in progress
            - phone_number: "+14157770003"
              reason: owned by another team
            - phone_number: "+14150000000"
              reason: long gone
        """,
    )
    result = cli("drift", "--format", "json")
    assert result.code == 0, result.out
    numbers = result.by_number()
    assert numbers["+14157774444"]["status"] == "in_sync"
    assert numbers["+14157774444"]["ignored_fields"] == [
        {"field": "inbound_agents", "reason": "agent migration in progress"},
        {
            "field": "sip_outbound_trunk_config.termination_uri",
            "reason": "the carrier rotates trunks",
        },
        {"field": "sip_outbound_trunk_config.transport", "reason": "the carrier rotates trunks"},
    ]
    assert numbers["+14157770003"]["status"] == "ignored"
    assert result.json()["summary"]["ignored"] == 1
    assert result.json()["summary"]["ignored_fields"] == 3
    assert "drift.ignore entry for +14150000000 matches no declared or live number" in result.err
    text = cli("drift")
    assert "1 ignored (3 field differences ignored)" in text.out


# -- declared files --------------------------------------------------------------------


def test_declared_files_that_do_not_parse_exit_2_before_any_request(
    fake: FakeRetell, cli: Cli
) -> None:
    fake.add_number("+14157774444")
    cli.write("retell/good.yaml", 'phone_number: "+14157774444"\n')
    cli.write("retell/typo.yaml", 'phone_number: "+14157770001"\n\nnicknme: Front desk\n')
    result = cli("drift", "--format", "json")
    assert result.code == 2
    # stdout is still a JSON document: the envelope with the error and nothing else.
    report = result.json()
    assert set(report) == {"tool", "errors"}
    assert report["errors"][0]["message"].startswith(
        "declared files do not parse: retell/typo.yaml:3:1:"
    )
    (line,) = result.err.strip().splitlines()
    assert line.startswith("retell-lint: error: declared files do not parse: retell/typo.yaml:3:1:")
    assert "RL003" in line
    assert fake.request_log == []


@pytest.mark.parametrize(
    "text",
    [
        'phone_number: "+14157774444"\nnickname: [unclosed\n',  # RL001
        'phone_number: "+14157774444"\nnickname: a\nnickname: b\n',  # RL002
        'phone_number: "+14157774444"\narea_code: "415"\n',  # RL004
        "nickname: no number\n",  # RL005
    ],
)
def test_every_reader_problem_stops_drift(fake: FakeRetell, cli: Cli, text: str) -> None:
    cli.write("retell/bad.yaml", text)
    result = cli("drift")
    assert result.code == 2
    assert "declared files do not parse: retell/bad.yaml:" in result.err


def test_number_declared_twice_is_an_error(fake: FakeRetell, cli: Cli) -> None:
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\n')
    cli.write("retell/b.yaml", 'phone_number: "+1 415 777 4444"\n')
    result = cli("drift")
    assert result.code == 2
    assert "+14157774444 is declared twice (retell/a.yaml:1 and retell/b.yaml:1)" in result.err


# -- the account could not be read ----------------------------------------------------


def _slow(fake: FakeRetell, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETELL_LINT_TIMEOUT", "0.2")
    monkeypatch.setenv("RETELL_LINT_MAX_RETRIES", "1")
    fake.slow_seconds = 1.0


def _wrong_key(fake: FakeRetell, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETELL_API_KEY", "key_WRONGKEY_0123456789abcdef")


FAULTS: dict[str, Callable[[FakeRetell, pytest.MonkeyPatch], None]] = {
    "http-500": lambda fake, _mp: fake.fail_next(500, count=50),
    "http-503-with-retry-after": lambda fake, _mp: fake.fail_next(
        503, count=50, headers={"Retry-After": "0"}
    ),
    "timeout": _slow,
    "truncated-body": lambda fake, _mp: setattr(fake, "truncated_body", True),
    "non-json-body": lambda fake, _mp: setattr(fake, "non_json_body", True),
    "repeating-pagination-key": lambda fake, _mp: setattr(fake, "repeat_pagination_key", True),
    "dropped-connection": lambda fake, _mp: setattr(fake, "drop_connection", True),
    "wrong-key": _wrong_key,
}


def _assert_failed_read(result: Result) -> None:
    assert result.code == 2, result.out + result.err
    if result.out:
        # --format json: the envelope with the one error, never a report.
        assert set(result.json()) == {"tool", "errors"}
        assert len(result.json()["errors"]) == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("retell-lint: error: ")
    assert "in sync" not in result.err and "in_sync" not in result.err
    assert "key_WRONGKEY" not in result.err


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_faults_exit_2_with_one_line_and_nothing_in_sync(
    fake: FakeRetell, cli: Cli, monkeypatch: pytest.MonkeyPatch, fault: str, fmt: str
) -> None:
    fake.add_number("+14157774444", nickname="Front desk")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: Front desk\n')
    FAULTS[fault](fake, monkeypatch)
    result = cli("drift", "--format", fmt)
    _assert_failed_read(result)
    if fault == "wrong-key":
        assert "HTTP 401" in result.err


def test_fault_on_a_later_page_still_fails(
    fake: FakeRetell, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.add_numbers(1500)
    cli.write("retell/a.yaml", 'phone_number: "+14155550000"\n')
    route = fake._route

    def second_page_fails(request: Any) -> tuple[int, Any]:
        if "pagination_key" in request.query:
            return 500, {"status": "error", "message": "An unexpected server error occurred."}
        return route(request)

    monkeypatch.setattr(fake, "_route", second_page_fails)
    result = cli("drift", "--format", "json")
    _assert_failed_read(result)
    assert fake.request_log == [("GET", "/v2/list-phone-numbers")] * 4


def test_429_is_retried_to_success(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="Front desk")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: Front desk\n')
    fake.fail_next(429, count=1, headers={"Retry-After": "0"})
    fake.fail_next(429, count=1)
    result = cli("drift", "--format", "json")
    assert result.code == 0, result.err
    assert result.json()["summary"]["in_sync"] == 1
    assert fake.request_log == [("GET", "/v2/list-phone-numbers")] * 3


def test_no_api_key(fake: FakeRetell, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RETELL_API_KEY")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\n')
    for command in (["drift"], ["snapshot"], ["export", "--out", "x"]):
        result = cli(*command)
        assert result.code == 2
        assert "RETELL_API_KEY is not set" in result.err
        assert len(result.err.strip().splitlines()) == 1
    assert fake.request_log == []


def test_bad_tuning_variable(fake: FakeRetell, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETELL_LINT_TIMEOUT", "soon")
    result = cli("drift")
    assert result.code == 2 and "RETELL_LINT_TIMEOUT must be a number" in result.err


def test_debug_traceback_does_not_show_the_key(
    fake: FakeRetell, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\n')
    for fault in ("http-500", "truncated-body", "wrong-key"):
        fake.clear_faults()
        FAULTS[fault](fake, monkeypatch)
        result = cli("drift", "--debug")
        assert result.code == 2
        assert "Traceback" in result.err


def test_subprocess_run_does_not_show_the_key(fake: FakeRetell, tmp_path: Path) -> None:
    (tmp_path / "retell").mkdir()
    (tmp_path / "retell" / "a.yaml").write_text('phone_number: "+14157774444"\n')
    env = dict(os.environ)
    env.update(
        RETELL_BASE_URL=fake.base_url,
        RETELL_API_KEY=fake.api_key,
        RETELL_LINT_MAX_RETRIES="1",
        RETELL_LINT_MAX_RETRY_DELAY="0.01",
    )
    code = "import sys; from retell_lint.cli import main; sys.exit(main())"
    fake.fail_next(500, count=10)
    failed = subprocess.run(
        [sys.executable, "-c", code, "drift", "--debug", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert failed.returncode == 2
    fake.clear_faults()
    fake.add_number("+14157774444")
    ok = subprocess.run(
        [sys.executable, "-c", code, "drift"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    for proc in (failed, ok):
        OUTPUTS.extend([proc.stdout, proc.stderr])
        assert_no_key(proc.stdout, proc.stderr)
    # The key was really sent, so not finding it means it was kept out of the output.
    assert all(r.headers["authorization"] == f"Bearer {SECRET_KEY}" for r in fake.requests)


# -- live state from a file ------------------------------------------------------------


def test_snapshot_then_drift_from_live_state(
    fake: FakeRetell, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.add_agent("agent_a", versions=range(4))
    fake.add_agent("agent_unused", versions=range(2))
    fake.add_number("+14157774444", nickname="Front desk", inbound_agents=AGENT_A)
    fake.add_number("+14157770003")
    result = cli("snapshot", "-o", "state.json")
    assert result.code == 0, result.err
    snapshot = json.loads((cli.root / "state.json").read_text())
    assert snapshot["version"] == 1 and snapshot["source"] == "api"
    assert snapshot["taken_at"].endswith("Z")
    assert [n["phone_number"] for n in snapshot["phone_numbers"]] == [
        "+14157770003",
        "+14157774444",
    ]
    assert {a["agent_id"] for a in snapshot["agents"]} == {"agent_a", "agent_unused"}
    # Versions only for the agents the numbers use.
    assert list(snapshot["agent_versions"]) == ["agent_a"]
    assert [v["version"] for v in snapshot["agent_versions"]["agent_a"]] == [0, 1, 2, 3]

    # The account changes; the saved state does not, and no API is needed to read it.
    fake.numbers.clear()
    monkeypatch.delenv("RETELL_API_KEY")
    before = len(fake.request_log)
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: Front desk\n')
    result = cli("drift", "--live-state", "state.json", "--format", "json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["source"] == "file" and data["complete"] is True
    assert data["summary"]["in_sync"] == 1 and data["summary"]["unmanaged"] == 1
    assert len(fake.request_log) == before
    text = cli("drift", "--live-state", "state.json")
    assert "compared with the live state in state.json" in text.out


def test_snapshot_to_stdout(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444")
    result = cli("snapshot")
    assert result.code == 0
    assert json.loads(result.out)["phone_numbers"][0]["phone_number"] == "+14157774444"


def test_failed_snapshot_writes_nothing(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444")
    fake.fail_next(500, count=50, path_prefix="/v2/list-agents")
    result = cli("snapshot", "-o", "state.json")
    _assert_failed_read(result)
    assert not (cli.root / "state.json").exists()
    assert list(cli.root.iterdir()) == []


def test_incomplete_live_state_reports_nothing_in_sync(fake: FakeRetell, cli: Cli) -> None:
    state = {
        "version": 1,
        "source": "api",
        "taken_at": "2026-11-26T12:00:00Z",
        "complete": False,
        "phone_numbers": [
            {"phone_number": "+14157774444", "nickname": "Front desk"},
            {"phone_number": "+14157770001", "nickname": "Old"},
        ],
    }
    (cli.root / "state.json").write_text(json.dumps(state))
    cli.write(
        "retell/a.yaml",
        """
        phone_numbers:
          - phone_number: "+14157774444"
            nickname: Front desk
          - phone_number: "+14157770001"
            nickname: New
          - phone_number: "+14157770002"
        """,
    )
    result = cli("drift", "--live-state", "state.json", "--format", "json")
    assert result.code == 2
    data = result.json()
    assert data["complete"] is False
    statuses = {n["phone_number"]: n["status"] for n in data["numbers"]}
    assert statuses == {
        "+14157774444": "unknown",
        "+14157770001": "changed",
        "+14157770002": "unknown",
    }
    assert data["summary"]["in_sync"] == 0
    assert "not read completely" in result.err
    text = cli("drift", "--live-state", "state.json")
    assert text.code == 2 and "nothing is reported as in sync" in text.out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not a snapshot from 'retell-lint snapshot': not valid JSON"),
        ("[]", "not a snapshot from 'retell-lint snapshot': the JSON is an array, not an object"),
        ("# retell\nphone_number: x\n", "not a snapshot from 'retell-lint snapshot'"),
        (
            '{"phone_number": "+14157774444"}',
            "not a snapshot from 'retell-lint snapshot': a JSON object without 'version'",
        ),
        ('{"version": 2, "phone_numbers": []}', "unsupported live state version 2"),
        ('{"version": 1}', "no phone_numbers"),
        ('{"version": 1, "phone_numbers": [{"nickname": "x"}]}', "has no phone_number"),
        (
            '{"version": 1, "phone_numbers": [{"phone_number": "+14157774444"}, '
            '{"phone_number": "+1 415 777 4444"}]}',
            "lists +14157774444 twice",
        ),
    ],
)
def test_bad_live_state_files(cli: Cli, content: str, message: str) -> None:
    (cli.root / "state.json").write_text(content)
    result = cli("drift", "--live-state", "state.json")
    assert result.code == 2
    assert message in result.err
    assert cli("drift", "--live-state", "missing.json").code == 2


# -- requests --------------------------------------------------------------------------


def test_one_list_request_per_1000_numbers_and_nothing_else(fake: FakeRetell, cli: Cli) -> None:
    fake.add_numbers(2500)
    fake.add_agent("agent_a", versions=range(4))
    cli.write(
        "retell/a.yaml",
        """
        phone_number: "+14155550000"
        inbound_agents:
          - agent_id: agent_a
            weight: 1
            agent_version: 3
        """,
    )
    result = cli("drift", "--format", "json")
    assert result.code == 1
    assert result.json()["summary"]["unmanaged"] == 2499
    assert fake.request_log == [("GET", "/v2/list-phone-numbers")] * 3
    assert all(r.query["limit"] == "1000" for r in fake.requests)


def test_no_output_of_these_tests_contains_the_key() -> None:
    # Runs after the tests above in this module (pytest keeps file order).
    assert OUTPUTS, "no CLI output was recorded"
    assert_no_key(*OUTPUTS)


# -- create and import parameters, and the flat SIP parameter names ---------------------


def test_create_and_import_parameters_never_drift(fake: FakeRetell, cli: Cli) -> None:
    # The API never returns number_provider, country_code, toll_free nor
    # ignore_e164_validation: comparing them would be drift on every run.
    fake.add_number("+14157774444", nickname="Front desk", inbound_agents=AGENT_A)
    cli.write(
        "retell/frontdesk.yaml",
        """
        phone_number: "+14157774444"
        nickname: Front desk
        number_provider: telnyx
        country_code: US
        toll_free: false
        ignore_e164_validation: true
        inbound_agents:
          - agent_id: agent_a
            weight: 1
            agent_version: 3
        """,
    )
    result = cli("drift", "--format", "json")
    assert result.code == 0, result.out + result.err
    assert result.by_number()["+14157774444"]["status"] == "in_sync"


def test_flat_sip_parameters_are_compared_as_the_trunk(fake: FakeRetell, cli: Cli) -> None:
    trunk = {"termination_uri": "a.pstn.twilio.com", "auth_username": "u", "transport": "TLS"}
    fake.add_number("+14157774444", phone_number_type="custom", sip_outbound_trunk_config=trunk)
    cli.write(
        "retell/frontdesk.yaml",
        """
        phone_number: "+14157774444"
        phone_number_type: custom
        termination_uri: b.pstn.twilio.com
        sip_trunk_auth_username: u
        transport: TLS
        """,
    )
    result = cli("drift", "--format", "json")
    assert result.code == 1, result.out + result.err
    changes = result.by_number()["+14157774444"]["changes"]
    assert [(c["field"], c["declared"], c["live"], c["line"]) for c in changes] == [
        ("sip_outbound_trunk_config.termination_uri", "b.pstn.twilio.com", "a.pstn.twilio.com", 3)
    ]


def test_text_and_markdown_keep_hostile_values_on_one_line(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="a\u2028b\x85c\x1b]0;title\x07d")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: Front desk\n')
    for fmt in ("text", "markdown"):
        out = cli("drift", "--format", fmt).out
        for raw in ("\u2028", "\x85", "\x1b", "\x07"):
            assert raw not in out, (fmt, raw)
        assert "title" in out


def test_state_absent_is_in_sync_only_when_the_number_is_gone(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="Old line")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nstate: absent\nnickname: x\n')
    result = cli("drift", "--format", "json")
    assert result.code == 1
    (number,) = result.json()["numbers"]
    assert number["status"] == "changed"
    assert number["changes"] == [
        {
            "field": "state",
            "declared": "absent",
            "live": "present",
            "line": 2,
            "note": "declared absent: released only by apply --allow-delete",
        }
    ]
    fake.numbers.clear()
    result = cli("drift", "--format", "json")
    assert result.code == 0
    assert result.json()["summary"]["in_sync"] == 1
