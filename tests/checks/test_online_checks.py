"""``retell-lint check --online``: RL901–RL904 and RL402 against the live account."""

from __future__ import annotations

import pytest
from drift_support import Cli, Result
from fake_retell import FakeRetell

from retell_lint import catalogue
from retell_lint.checks import RuleContext
from retell_lint.checks.online import live_nested_fallback

ONLINE_RULES = ("RL901", "RL902", "RL903", "RL904")


def seed_account(fake: FakeRetell) -> None:
    """The account the catalogue examples of RL901–RL904 describe, and a bit more."""
    fake.add_agent("agent_frontdesk", "voice", versions=range(4), tags={"prod": 3, "staging": 2})
    fake.add_agent("agent_frontdesk_chat", "chat", versions=range(2))
    fake.add_agent("agent_night", "voice", is_suspended=True, versions=[0])
    fake.add_agent("agent_unused", "voice", versions=range(6))
    fake.add_number("+14157774444")
    fake.add_number("+14155550199", fallback_number="+14155550123")  # not declared
    fake.add_number("+14155550100")  # no fallback


DECLARED = """\
phone_numbers:
  - phone_number: "+14157774444"
    inbound_agents:
      - agent_id: agent_frontdesk_old
        weight: 0.5
      - agent_id: agent_frontdesk
        weight: 0.5
        agent_version: 7
    outbound_agents:
      - agent_id: agent_frontdesk_chat
        weight: 1
    inbound_sms_agents:
      - agent_id: agent_frontdesk
        weight: 1
        agent_version: canary
    fallback_number: "+14155550199"
  - phone_number: "+14157770001"
    inbound_agents:
      - agent_id: agent_night
        weight: 1
        agent_version: 0
    outbound_agent_id: agent_gone
    fallback_number: "+14155550100"
  - phone_number: "+14155550123"
    inbound_agents:
      - agent_id: agent_frontdesk
        weight: 1
        agent_version: prod
    inbound_sms_agents:
      - agent_id: agent_frontdesk_chat
        weight: 1
        agent_version: latest_published
    fallback_number: "+14155550999"
"""


def online_findings(result: Result) -> list[tuple[str, int, str]]:
    return sorted(
        (f["rule"], f["line"], f["path"])
        for f in result.json()["findings"]
        if f["rule"] in (*ONLINE_RULES, "RL402")
    )


def test_each_online_rule_fires_where_expected(fake: FakeRetell, cli: Cli) -> None:
    seed_account(fake)
    cli.write("retell/numbers.yaml", DECLARED)
    result = cli("check", "--online", "--format", "json")
    assert result.code == 1, result.err
    assert online_findings(result) == [
        ("RL402", 16, "phone_numbers[0].fallback_number"),
        ("RL402", 33, "phone_numbers[2].fallback_number"),
        ("RL901", 4, "phone_numbers[0].inbound_agents[0].agent_id"),
        ("RL901", 22, "phone_numbers[1].outbound_agent_id"),
        ("RL902", 8, "phone_numbers[0].inbound_agents[1].agent_version"),
        ("RL902", 15, "phone_numbers[0].inbound_sms_agents[0].agent_version"),
        ("RL903", 10, "phone_numbers[0].outbound_agents[0].agent_id"),
        ("RL903", 13, "phone_numbers[0].inbound_sms_agents[0].agent_id"),
        ("RL904", 19, "phone_numbers[1].inbound_agents[0].agent_id"),
    ]
    messages = {(f["rule"], f["line"]): f for f in result.json()["findings"]}
    assert messages[("RL901", 4)]["severity"] == "error"
    assert messages[("RL903", 10)]["severity"] == "warning"
    assert messages[("RL904", 19)]["severity"] == "warning"
    assert "has no version 7 (its versions: 0 to 3)" in messages[("RL902", 8)]["message"]
    assert "no tag 'canary' (its tags: prod, staging)" in messages[("RL902", 15)]["message"]
    assert "+14155550123" in messages[("RL402", 16)]["message"]
    assert "live number +14155550199" in messages[("RL402", 33)]["message"]


def test_requests_list_once_and_versions_only_for_referenced_agents(
    fake: FakeRetell, cli: Cli
) -> None:
    seed_account(fake)
    cli.write("retell/numbers.yaml", DECLARED)
    cli("check", "--online")
    paths = [path for _method, path in fake.request_log]
    assert paths.count("/v2/list-phone-numbers") == 1
    assert paths.count("/v2/list-agents") == 1
    # Numeric versions name agent_frontdesk and agent_night; agent_frontdesk_chat is
    # only used with tags, agent_unused not at all, agent_frontdesk_old is unknown.
    versions = sorted(p for p in paths if p.startswith("/list-agent-versions/"))
    assert versions == [
        "/list-agent-versions/agent_frontdesk",
        "/list-agent-versions/agent_night",
    ]


def test_version_fetches_are_concurrent_but_bounded(fake: FakeRetell, cli: Cli) -> None:
    lines = ["phone_numbers:"]
    for index in range(20):
        fake.add_agent(f"agent_{index:02d}", versions=range(3))
        lines += [
            f'  - phone_number: "+1415555{index:04d}"',
            "    inbound_agents:",
            f"      - agent_id: agent_{index:02d}",
            "        weight: 1",
            "        agent_version: 2",
        ]
    cli.write("retell/many.yaml", "\n".join(lines) + "\n")
    fake.fault_path_prefix = "/list-agent-versions/"
    fake.slow_seconds = 0.05
    result = cli("check", "--online", "--format", "json")
    assert online_findings(result) == []
    assert len(fake.requests_to("/list-agent-versions/agent_07")) == 1
    versions = [p for _m, p in fake.request_log if p.startswith("/list-agent-versions/")]
    assert len(versions) == 20
    assert 1 < fake.max_in_flight <= 8


@pytest.mark.parametrize("rule_id", ONLINE_RULES)
def test_catalogue_examples(fake: FakeRetell, cli: Cli, rule_id: str) -> None:
    seed_account(fake)
    rule = catalogue.load()[rule_id]
    cli.write("retell/bad.yaml", rule.bad)
    bad = cli("check", "--online", "--format", "json", "retell/bad.yaml")
    assert {f for f, _l, _p in online_findings(bad)} - {"RL402"} == {rule_id}
    cli.write("retell/good.yaml", rule.good)
    good = cli("check", "--online", "--format", "json", "retell/good.yaml")
    assert online_findings(good) == []


def test_online_rules_need_online(fake: FakeRetell, cli: Cli) -> None:
    seed_account(fake)
    cli.write("retell/numbers.yaml", DECLARED)
    result = cli("check", "--format", "json")
    assert online_findings(result) == []
    assert fake.request_log == []


def test_without_a_key_exit_2_with_a_clear_message(
    fake: FakeRetell, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RETELL_API_KEY")
    cli.write("retell/numbers.yaml", DECLARED)
    result = cli("check", "--online")
    assert result.code == 2
    assert result.out == ""
    assert result.err.strip() == (
        "retell-lint: error: RETELL_API_KEY is not set; export your Retell API key as "
        "RETELL_API_KEY to use commands that talk to the Retell API"
    )


@pytest.mark.parametrize("fault", ["numbers", "agents", "versions", "wrong-key"])
def test_api_failures_exit_2(
    fake: FakeRetell, cli: Cli, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    seed_account(fake)
    cli.write("retell/numbers.yaml", DECLARED)
    prefixes = {
        "numbers": "/v2/list-phone-numbers",
        "agents": "/v2/list-agents",
        "versions": "/list-agent-versions/",
    }
    if fault == "wrong-key":
        monkeypatch.setenv("RETELL_API_KEY", "key_WRONGKEY_0123456789abcdef")
    else:
        fake.fail_next(500, count=50, path_prefix=prefixes[fault])
    result = cli("check", "--online", "--format", "json")
    assert result.code == 2
    # stdout is still JSON: the envelope with the one error.
    assert set(result.json()) == {"tool", "errors"} and len(result.json()["errors"]) == 1
    assert len(result.err.strip().splitlines()) == 1
    assert "key_WRONGKEY" not in result.err


def test_live_fallback_rules_directly(fake: FakeRetell) -> None:
    """The live part of RL402 on its own: declared numbers win over their live state."""
    from retell_lint.filestate import read_numbers
    from retell_lint.online import Account
    from retell_lint.source import Source

    text = (
        "phone_numbers:\n"
        '  - phone_number: "+14155550001"\n'
        '    fallback_number: "+14155550002"\n'
        '  - phone_number: "+14155550002"\n'
        '  - phone_number: "+14155550003"\n'
        '    fallback_number: "+1 415 555 0004"\n'
    )
    numbers = read_numbers(Source("a.yaml", text)).numbers
    account = Account.build(
        numbers=[
            # Declared without a fallback: the live fallback does not count.
            {"phone_number": "+14155550002", "fallback_number": "+14155550009"},
            {"phone_number": "+14155550004", "fallback_number": "+14155550003"},
        ],
        agents=[],
    )
    rule = catalogue.load()["RL402"]
    hits = list(live_nested_fallback(numbers, RuleContext(rule, {}, account)))
    assert [(h.span.line, h.message) for h in hits] == [
        (
            6,
            "fallback_number +1 415 555 0004 has a fallback of its own in the live account "
            "(+14155550003) (a cycle); Retell does not chain fallbacks — point at a number "
            "without one",
        )
    ]
    assert list(live_nested_fallback(numbers, RuleContext(rule, {}, None))) == []
