"""RL301-RL309: weighted agent lists, agent versions and legacy agent fields."""

from __future__ import annotations

import pytest
from lint_helpers import BASE, agents, lint_text, rows

PHONE = 'phone_number: "+14157774444"\n'


# -- RL301 weights-sum -------------------------------------------------------------


def test_rl301_points_at_the_list_key_with_the_gap() -> None:
    findings = lint_text(PHONE + agents("inbound_agents", "a|0.6", "b|0.3"))
    assert rows(findings) == [("RL301", 2, 1, "error", "inbound_agents")]
    assert findings[0].message == (
        "weights of inbound_agents add up to 0.9; they must add up to 1 — raise one weight by 0.1"
    )


def test_rl301_too_much() -> None:
    findings = lint_text(BASE + agents("outbound_agents", "a|0.7", "b|0.5"))
    assert rows(findings) == [("RL301", 5, 1, "error", "outbound_agents")]
    assert findings[0].message.endswith("add up to 1.2; they must add up to 1 — lower them by 0.2")


def test_rl301_single_agent_of_weight_half() -> None:
    findings = lint_text(BASE + agents("inbound_sms_agents", "a|0.5"))
    assert rows(findings) == [("RL301", 5, 1, "error", "inbound_sms_agents")]
    assert findings[0].message.endswith("a single agent takes weight 1")


def test_rl301_every_list_and_list_file_prefix() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            inbound_agents:
              - agent_id: a
                weight: 1
          - phone_number: "+14155551234"
            inbound_agents:
              - agent_id: a
                weight: 1
            outbound_sms_agents:
              - agent_id: a
                weight: 0.25
              - agent_id: b
                weight: 0.25
        """
    )
    assert rows(findings) == [("RL301", 10, 5, "error", "phone_numbers[1].outbound_sms_agents")]


def test_rl301_tolerance() -> None:
    within = lint_text(PHONE + agents("inbound_agents", "a|0.4999999", "b|0.5"))
    outside = lint_text(PHONE + agents("inbound_agents", "a|0.49999", "b|0.5"))
    assert rows(within) == []
    assert rows(outside) == [("RL301", 2, 1, "error", "inbound_agents")]


@pytest.mark.parametrize(
    "text",
    [
        PHONE + agents("inbound_agents", "a|0.1", "b|0.2", "c|0.7"),  # 0.1+0.2 != 0.3 in floats
        PHONE + agents("inbound_agents", "a|1"),  # integer weight
        PHONE + agents("inbound_agents", "a|1.0"),
        PHONE + agents("inbound_agents", "a|0.333333", "b|0.333333", "c|0.333334"),
        BASE + "outbound_agents: []\n",  # empty list: no agent, nothing to add up
        BASE + "outbound_agents: null\n",
    ],
)
def test_rl301_near_misses(text: str) -> None:
    assert rows(lint_text(text)) == []


def test_rl301_not_checked_with_an_unreadable_or_missing_weight() -> None:
    quoted = lint_text(PHONE + agents("inbound_agents", "a|0.5", 'b|"0.2"'))
    missing = lint_text(
        PHONE + "inbound_agents:\n  - agent_id: a\n    weight: 0.5\n  - agent_id: b\n"
    )
    assert [f.rule for f in quoted] == ["RL004"]
    assert [f.rule for f in missing] == ["RL005"]


def test_rl301_not_checked_with_an_infinite_weight() -> None:
    findings = lint_text(PHONE + agents("inbound_agents", "a|.inf"))
    assert rows(findings) == [("RL302", 4, 13, "error", "inbound_agents[0].weight")]


# -- RL302 weight-range ------------------------------------------------------------


def test_rl302_zero_weight_points_at_the_weight() -> None:
    findings = lint_text(PHONE + agents("inbound_agents", "a|1", "b|0"))
    assert rows(findings) == [("RL302", 6, 13, "error", "inbound_agents[1].weight")]
    assert findings[0].message.startswith("weight 0 is out of range")


def test_rl302_percentages_also_break_the_sum() -> None:
    findings = lint_text(PHONE + agents("inbound_agents", "a|70", "b|30"))
    assert rows(findings) == [
        ("RL301", 2, 1, "error", "inbound_agents"),
        ("RL302", 4, 13, "error", "inbound_agents[0].weight"),
        ("RL302", 6, 13, "error", "inbound_agents[1].weight"),
    ]


def test_rl302_negative_and_above_one() -> None:
    findings = lint_text(PHONE + agents("inbound_agents", "a|1.5", "b|-0.5"))
    assert rows(findings) == [
        ("RL302", 4, 13, "error", "inbound_agents[0].weight"),
        ("RL302", 6, 13, "error", "inbound_agents[1].weight"),
    ]


def test_rl302_in_a_list_file() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            inbound_agents:
              - agent_id: a
                weight: 1
              - agent_id: b
                weight: 0
        """
    )
    assert rows(findings) == [
        ("RL302", 7, 17, "error", "phone_numbers[0].inbound_agents[1].weight")
    ]


@pytest.mark.parametrize(
    "text",
    [
        PHONE + agents("inbound_agents", "a|1"),  # exactly 1
        PHONE + agents("inbound_agents", "a|0.0001", "b|0.9999"),
    ],
)
def test_rl302_near_misses(text: str) -> None:
    assert rows(lint_text(text)) == []


# -- RL303 duplicate-agent-entry ---------------------------------------------------


def test_rl303_same_agent_and_version_points_at_the_second_agent_id() -> None:
    findings = lint_text(PHONE + agents("inbound_agents", "a|0.5|3", "a|0.5|3"))
    assert rows(findings) == [("RL303", 6, 15, "warning", "inbound_agents[1].agent_id")]
    assert findings[0].message.startswith(
        "agent a version 3 is already in inbound_agents (entry 1)"
    )


def test_rl303_same_agent_without_versions() -> None:
    findings = lint_text(BASE + agents("inbound_sms_agents", "a|0.5", "b|0.25", "a|0.25"))
    assert rows(findings) == [("RL303", 10, 15, "warning", "inbound_sms_agents[2].agent_id")]
    assert "(entry 1)" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        PHONE + agents("inbound_agents", "a|0.5|3", "a|0.5|4"),  # A/B between versions
        PHONE + agents("inbound_agents", "a|0.5|3", "a|0.5"),  # pinned and latest
        PHONE + agents("inbound_agents", "a|0.5", "b|0.5"),
        # The same agent in two lists is two choices, not one split in two.
        PHONE + agents("inbound_agents", "a|1") + agents("outbound_agents", "a|1"),
    ],
)
def test_rl303_near_misses(text: str) -> None:
    assert rows(lint_text(text)) == []


# -- RL304 shadowed-agent-field ----------------------------------------------------


def test_rl304_legacy_fields_beside_a_non_empty_list() -> None:
    findings = lint_text(BASE + "inbound_agent_id: agent_reception\ninbound_agent_version: 2\n")
    assert rows(findings) == [
        ("RL009", 5, 1, "warning", "inbound_agent_id"),
        ("RL304", 5, 1, "warning", "inbound_agent_id"),
        ("RL009", 6, 1, "warning", "inbound_agent_version"),
        ("RL304", 6, 1, "warning", "inbound_agent_version"),
    ]
    assert findings[1].message == (
        "inbound_agent_id is ignored: inbound_agents is set and the API uses the list; "
        "remove inbound_agent_id"
    )


def test_rl304_sms_direction() -> None:
    findings = lint_text(
        BASE + agents("outbound_sms_agents", "a|1") + "outbound_sms_agent_id: b\n",
        rules={"RL009": "off"},
    )
    assert rows(findings) == [("RL304", 8, 1, "warning", "outbound_sms_agent_id")]


@pytest.mark.parametrize("value", ["[]", "null"])
def test_rl304_near_miss_legacy_field_beside_an_empty_list(value: str) -> None:
    findings = lint_text(BASE + f"outbound_agents: {value}\noutbound_agent_id: agent_sales\n")
    assert rows(findings) == [("RL009", 6, 1, "warning", "outbound_agent_id")]


def test_rl304_near_miss_list_of_another_direction() -> None:
    findings = lint_text(BASE + "inbound_sms_agent_id: agent_chat\n", rules={"RL009": "off"})
    assert rows(findings) == []


# -- RL305 version-without-agent ---------------------------------------------------


def test_rl305_version_without_its_agent() -> None:
    findings = lint_text(BASE + "outbound_agent_version: 2\n", rules={"RL009": "off"})
    assert rows(findings) == [("RL305", 5, 1, "error", "outbound_agent_version")]
    assert findings[0].message == (
        "outbound_agent_version is set without outbound_agent_id: a version needs its agent"
    )


def test_rl305_near_misses() -> None:
    both = BASE + "outbound_agent_id: agent_sales\noutbound_agent_version: 2\n"
    # An id of another direction does not count.
    other = BASE + "inbound_sms_agent_id: agent_chat\noutbound_sms_agent_version: 1\n"
    assert rows(lint_text(both, rules={"RL009": "off"})) == []
    assert rows(lint_text(other, rules={"RL009": "off"})) == [
        ("RL305", 6, 1, "error", "outbound_sms_agent_version")
    ]


# -- RL306 invalid-agent-version ---------------------------------------------------


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("-1", "agent_version -1 is negative"),
        ("Prod", "agent_version 'Prod' is not a tag: a tag starts with a lower-case letter"),
        ("v 3", "agent_version 'v 3' is not a tag: after its first letter"),
        ('"v3.1"', "agent_version 'v3.1' is not a tag: after its first letter"),
        ("a" * 21, f"agent_version '{'a' * 21}' is not a tag: a tag has at most 20"),
        # The spec's pattern (OpenAPI 2026-08-01): v and digits is reserved, a tag starts
        # with a lower-case letter, and a number in quotes is not a tag.
        ("v3", "agent_version 'v3' is not a tag: v and digits is reserved"),
        ('"3"', "agent_version '3' is a number written as a string"),
        ("2026-q4", "agent_version '2026-q4' is not a tag: a tag starts with a lower-case"),
        ("_beta", "agent_version '_beta' is not a tag: a tag starts with a lower-case"),
    ],
)
def test_rl306_invalid_versions(version: str, message: str) -> None:
    findings = lint_text(PHONE + agents("inbound_agents", f"a|1|{version}"))
    assert rows(findings) == [("RL306", 5, 20, "error", "inbound_agents[0].agent_version")]
    assert findings[0].message.startswith(message)


def test_rl306_legacy_version_field() -> None:
    findings = lint_text(
        PHONE + "inbound_agent_id: a\ninbound_agent_version: -2\n", rules={"RL009": "off"}
    )
    assert rows(findings, "RL306") == [("RL306", 3, 24, "error", "inbound_agent_version")]


@pytest.mark.parametrize(
    "version",
    ["latest", "latest_published", "0", "prod-2", "prod-eu_2", "3", "a" * 20, "null", "v", "vx2"],
)
def test_rl306_near_misses(version: str) -> None:
    assert rows(lint_text(PHONE + agents("inbound_agents", f"a|1|{version}"))) == []


def test_rl306_float_version_is_a_type_error() -> None:
    findings = lint_text(PHONE + agents("inbound_agents", "a|1|1.5"))
    assert [f.rule for f in findings] == ["RL004"]


# -- RL307 unpinned-agent-version --------------------------------------------------


def test_rl307_off_by_default() -> None:
    assert rows(lint_text(BASE)) == []


def test_rl307_points_at_each_unpinned_agent_id() -> None:
    findings = lint_text(
        PHONE + agents("inbound_agents", "a|0.5", "b|0.5|3") + agents("outbound_agents", "c|1"),
        rules_on=["RL307"],
    )
    assert rows(findings) == [
        ("RL307", 3, 15, "info", "inbound_agents[0].agent_id"),
        ("RL307", 9, 15, "info", "outbound_agents[0].agent_id"),
    ]
    assert findings[0].message.startswith("agent a has no agent_version")


@pytest.mark.parametrize("agent_id", ['""', '"  "'])
def test_rl307_not_for_an_empty_agent_id(agent_id: str) -> None:
    findings = lint_text(PHONE + agents("inbound_agents", f"{agent_id}|1"), rules_on=["RL307"])
    assert [f.rule for f in findings] == ["RL309"]


@pytest.mark.parametrize("version", ["latest", "0", "prod"])
def test_rl307_near_misses_pinned(version: str) -> None:
    findings = lint_text(PHONE + agents("inbound_agents", f"a|1|{version}"), rules_on=["RL307"])
    assert rows(findings) == []


# -- RL308 no-inbound-agent --------------------------------------------------------


def test_rl308_not_on_a_number_that_does_not_manage_inbound_agents() -> None:
    # A field the file does not write is left as the account has it.
    assert rows(lint_text(PHONE + agents("outbound_agents", "a|1"))) == []


def test_rl308_not_on_a_number_to_release() -> None:
    assert rows(lint_text(PHONE + "state: absent\ninbound_agents: []\n")) == []


@pytest.mark.parametrize("value", ["[]", "null", ""])
def test_rl308_empty_or_null_list_points_at_its_key(value: str) -> None:
    findings = lint_text(PHONE + "nickname: x\n" + f"inbound_agents: {value}\n")
    assert rows(findings) == [("RL308", 3, 1, "info", "inbound_agents")]


def test_rl308_legacy_inbound_agent_id_reads_as_a_one_entry_list() -> None:
    # Drift reads inbound_agent_id as the one-entry list it stands for; check does too:
    # RL009 says what to write instead, and the number does answer calls.
    findings = lint_text(PHONE + "inbound_agent_id: a\n")
    assert rows(findings) == [("RL009", 2, 1, "warning", "inbound_agent_id")]


def test_rl308_empty_legacy_inbound_agent_id_is_no_agent() -> None:
    findings = lint_text(PHONE + 'inbound_agent_id: ""\n')
    assert ("RL308", 2, 1, "info", "inbound_agent_id") in rows(findings)


def test_rl308_in_a_list_file() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            inbound_agents:
              - agent_id: a
                weight: 1
          - phone_number: "+14155551234"
            inbound_agents: []
            outbound_agents:
              - agent_id: a
                weight: 1
          - phone_number: "+14155551235"
            outbound_agents:
              - agent_id: a
                weight: 1
        """
    )
    assert rows(findings) == [("RL308", 7, 5, "info", "phone_numbers[1].inbound_agents")]


def test_rl308_near_miss() -> None:
    assert rows(lint_text(BASE)) == []


# -- RL309 empty-agent-id ----------------------------------------------------------


@pytest.mark.parametrize("agent_id", ['""', '"   "', "''"])
def test_rl309_empty_agent_id(agent_id: str) -> None:
    findings = lint_text(BASE + agents("outbound_agents", "a|0.5", f"{agent_id}|0.5"))
    assert rows(findings) == [("RL309", 8, 15, "error", "outbound_agents[1].agent_id")]
    assert findings[0].message == "agent_id is empty; name an agent"


def test_rl309_near_misses() -> None:
    assert rows(lint_text(PHONE + agents("inbound_agents", "a|1"))) == []
    # A null agent_id is a type error (RL004), not an empty id.
    findings = lint_text(PHONE + "inbound_agents:\n  - agent_id: null\n    weight: 1\n")
    assert [f.rule for f in findings] == ["RL004"]


# -- RL301 at its documented tolerance ---------------------------------------------


@pytest.mark.parametrize(
    "weights", [("0.333333",) * 3, ("0.142857",) * 7, ("0.1",) * 10, ("0.3333335",) * 3]
)
def test_rl301_sums_within_the_tolerance_pass(weights: tuple[str, ...]) -> None:
    spec = ",".join(f"a{i}|{w}" for i, w in enumerate(weights))
    assert rows(lint_text(PHONE + agents("inbound_agents", *spec.split(","))), "RL301") == []


@pytest.mark.parametrize("weights", [("0.33333",) * 3, ("0.3333339",) * 3])
def test_rl301_sums_past_the_tolerance_fail(weights: tuple[str, ...]) -> None:
    spec = ",".join(f"a{i}|{w}" for i, w in enumerate(weights))
    findings = lint_text(PHONE + agents("inbound_agents", *spec.split(",")))
    assert [f.rule for f in findings] == ["RL301"]
