"""Apply's bodies carry the declared values as written, and only what the API accepts.

Normalised forms (rounded weights, sorted and upper-cased country lists, "3" read as
3) are for comparing; a body is the file's values, checked against the API's contract
whatever the rule configuration says. Built from declared text and live objects, no
server involved (the end-to-end cases are in test_apply_truth_cli.py).
"""

from __future__ import annotations

import textwrap
from typing import Any

from fake_retell import make_number

from retell_lint.apply.actions import ActionPlan
from retell_lint.apply.building import build_actions
from retell_lint.drift.plan import build_plan
from retell_lint.drift.snapshot import LiveState
from retell_lint.filestate import read_numbers
from retell_lint.source import Source

THIRD = 0.3333333333333333


def plan_for(text: str, *live: dict[str, Any]) -> ActionPlan:
    state = read_numbers(Source("n.yaml", textwrap.dedent(text).lstrip("\n")))
    live_state = LiveState(list(live), "file", "", "test")
    drift = build_plan(state.numbers, live_state, ())
    return build_actions(state.numbers, drift, live_state.by_number())


def body_of(plan: ActionPlan) -> dict[str, Any]:
    (action,) = plan.actions
    assert plan.blocked == []
    return action.body


def blocked(plan: ActionPlan) -> list[tuple[str, str]]:
    return [(b.field, b.reason) for b in plan.blocked]


# -- values as declared ---------------------------------------------------------------


def test_weights_are_sent_as_parsed_not_rounded() -> None:
    body = body_of(
        plan_for(
            f"""
            phone_number: "+14157774444"
            inbound_agents:
              - {{agent_id: a, weight: {THIRD!r}}}
              - {{agent_id: b, weight: {THIRD!r}}}
              - {{agent_id: c, weight: {THIRD!r}}}
            """,
            make_number("+14157774444"),
        )
    )
    assert [e["weight"] for e in body["inbound_agents"]] == [THIRD] * 3


def test_a_tiny_weight_is_not_sent_as_zero() -> None:
    body = body_of(
        plan_for(
            """
            phone_number: "+14157774444"
            inbound_agents:
              - {agent_id: a, weight: 1e-10}
              - {agent_id: b, weight: 0.9999999999}
            """,
            make_number("+14157774444"),
        )
    )
    assert body["inbound_agents"] == [
        {"agent_id": "a", "weight": 1e-10},
        {"agent_id": "b", "weight": 0.9999999999},
    ]


def test_agent_entry_is_sent_as_declared() -> None:
    body = body_of(
        plan_for(
            """
            phone_number: "+14157774444"
            outbound_agents:
              - {agent_id: zed, weight: 1, agent_version: 4}
            """,
            make_number("+14157774444"),
        )
    )
    assert body["outbound_agents"] == [{"agent_id": "zed", "weight": 1, "agent_version": 4}]


def test_country_lists_keep_order_and_repeats() -> None:
    body = body_of(
        plan_for(
            """
            phone_number: "+14157774444"
            allowed_outbound_country_list: [US, CA, US]
            """,
            make_number("+14157774444", allowed_outbound_country_list=["GB"]),
        )
    )
    assert body == {"allowed_outbound_country_list": ["US", "CA", "US"]}


def test_an_empty_list_is_sent_as_declared() -> None:
    body = body_of(
        plan_for(
            """
            phone_number: "+14157774444"
            allowed_inbound_country_list: []
            """,
            make_number("+14157774444", allowed_inbound_country_list=["US"]),
        )
    )
    assert body == {"allowed_inbound_country_list": []}


# -- the contract, whatever the rules say ---------------------------------------------


def test_lower_case_country_is_refused_not_upper_cased() -> None:
    plan = plan_for(
        """
        phone_number: "+14157774444"
        allowed_inbound_country_list: [us]
        """,
        make_number("+14157774444", allowed_inbound_country_list=["GB"]),
    )
    assert plan.actions == []
    assert blocked(plan) == [
        (
            "allowed_inbound_country_list",
            "the API does not accept it: 'us' is not an upper-case ISO 3166-1 alpha-2 "
            "country code; nothing is sent for this number",
        )
    ]


def test_quoted_digits_version_is_refused_not_turned_into_a_number() -> None:
    plan = plan_for(
        """
        phone_number: "+14157774444"
        inbound_agents:
          - {agent_id: a, weight: 1, agent_version: "3"}
        """,
        make_number("+14157774444"),
    )
    assert plan.actions == []
    ((name, reason),) = blocked(plan)
    assert name == "inbound_agents"
    assert "agent_version '3' is not a version number" in reason
    assert "write 3 unquoted" in reason


def test_v3_tag_is_refused() -> None:
    plan = plan_for(
        """
        phone_number: "+14157774444"
        inbound_agents:
          - {agent_id: a, weight: 1, agent_version: v3}
        """,
        make_number("+14157774444"),
    )
    assert plan.actions == []
    assert "agent_version 'v3'" in blocked(plan)[0][1]


def test_a_value_of_the_wrong_type_refuses_the_number_not_only_the_value() -> None:
    # The reader leaves an agent_version too large for the API out of the model (RL004);
    # a body without it would make the entry follow the agent's latest version.
    plan = plan_for(
        """
        phone_number: "+14157774444"
        inbound_agents:
          - {agent_id: a, weight: 1, agent_version: 9223372036854775808}
        nickname: front desk
        """,
        make_number("+14157774444"),
    )
    assert plan.actions == []
    ((name, reason),) = blocked(plan)
    assert name == "inbound_agents[0].agent_version"
    assert "RL004" in reason


def test_a_wrong_type_in_a_computed_field_does_not_refuse_the_number() -> None:
    body = body_of(
        plan_for(
            """
            phone_number: "+14157774444"
            phone_number_pretty: [not, text]
            nickname: front desk
            """,
            make_number("+14157774444"),
        )
    )
    assert body == {"nickname": "front desk"}


def test_a_refused_number_does_not_hold_back_the_others() -> None:
    plan = plan_for(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            nickname: fine
          - phone_number: "+14157770001"
            inbound_agents:
              - {agent_id: a, weight: 0.5}
        """,
        make_number("+14157774444"),
        make_number("+14157770001"),
    )
    assert [a.phone_number for a in plan.actions] == ["+14157774444"]
    assert [(b.phone_number, b.field) for b in plan.blocked] == [("+14157770001", "inbound_agents")]
    assert "the weights add up to 0.5, not 1" in plan.blocked[0].reason


def test_unicode_digits_in_a_number_are_never_bought() -> None:
    plan = plan_for(
        """
        phone_number: "+1415555\u0661\u0662\u0663\u0664"
        phone_number_type: retell-twilio
        """,
        make_number("+14155551234"),
    )
    assert plan.actions == []
    ((name, reason),) = blocked(plan)
    assert name == "phone_number" and "only the digits 0-9" in reason
    # The real number is not matched with it either.
    assert plan.unmanaged == ["+14155551234"]


def test_a_non_e164_fallback_is_refused_not_rewritten() -> None:
    plan = plan_for(
        """
        phone_number: "+14157774444"
        fallback_number: "+1 415 555 0123"
        """,
        make_number("+14157774444"),
    )
    assert plan.actions == []
    assert blocked(plan)[0][0] == "fallback_number"


# -- SIP settings and Retell-managed numbers --------------------------------------------


def test_trunk_settings_never_go_to_a_managed_number() -> None:
    plan = plan_for(
        """
        phone_number: "+14157774444"
        nickname: New
        sip_outbound_trunk_config:
          termination_uri: x.pstn.twilio.com
          auth_username: user
          codecs: [PCMU]
          transport: TLS
        """,
        make_number("+14157774444", phone_number_type="retell-telnyx"),
    )
    (action,) = plan.actions
    # transport is a parameter of create and update for every number; the rest is not.
    assert action.body == {"nickname": "New", "transport": "TLS"}
    assert [(b.field, b.declared) for b in plan.blocked] == [
        ("sip_outbound_trunk_config.termination_uri", "x.pstn.twilio.com"),
        ("sip_outbound_trunk_config.auth_username", "user"),
        ("sip_outbound_trunk_config.codecs", ["PCMU"]),
    ]
    assert all("managed by Retell" in b.reason for b in plan.blocked)


def test_trunk_settings_are_not_sent_after_buying_a_number() -> None:
    plan = plan_for(
        """
        phone_number: "+14157774444"
        phone_number_type: retell-twilio
        sip_outbound_trunk_config:
          termination_uri: x.pstn.twilio.com
        """
    )
    (action,) = plan.actions
    assert action.kind == "create" and action.follow_up == {}
    assert "termination_uri" not in action.body
    assert [b.field for b in plan.blocked] == ["sip_outbound_trunk_config.termination_uri"]


def test_the_live_type_decides_for_an_update() -> None:
    # Declared custom, but Retell bought it: the account's type is what the API goes by.
    plan = plan_for(
        """
        phone_number: "+14157774444"
        sip_outbound_trunk_config:
          termination_uri: new.example.com
        """,
        make_number(
            "+14157774444",
            phone_number_type="custom",
            sip_outbound_trunk_config={"termination_uri": "old.example.com"},
        ),
    )
    assert body_of(plan) == {"termination_uri": "new.example.com"}


def test_conflicting_flat_and_nested_values_are_refused() -> None:
    plan = plan_for(
        """
        phone_number: "+14157774444"
        phone_number_type: custom
        termination_uri: a.example.com
        sip_outbound_trunk_config:
          termination_uri: b.example.com
        """,
        make_number("+14157774444", phone_number_type="custom"),
    )
    assert plan.actions == []
    assert blocked(plan) == [
        (
            "sip_outbound_trunk_config.termination_uri",
            "termination_uri and sip_outbound_trunk_config.termination_uri are both set, "
            "to different values; keep one",
        )
    ]


def test_same_flat_and_nested_value_is_applied() -> None:
    plan = plan_for(
        """
        phone_number: "+14157774444"
        phone_number_type: custom
        termination_uri: b.example.com
        sip_outbound_trunk_config:
          termination_uri: b.example.com
        """,
        make_number("+14157774444", phone_number_type="custom"),
    )
    assert body_of(plan) == {"termination_uri": "b.example.com"}


# -- buying: the country, the provider, the area code ----------------------------------


def test_a_canadian_number_is_bought_in_canada() -> None:
    plan = plan_for(
        """
        phone_number: "+16045550100"
        phone_number_type: retell-twilio
        """
    )
    assert body_of(plan) == {
        "phone_number": "+16045550100",
        "number_provider": "twilio",
        "country_code": "CA",
    }
    # The plan shows it, though the file does not say it.
    assert [(c.field, c.declared) for c in plan.actions[0].changes] == [("country_code", "CA")]


def test_a_us_number_needs_no_country_code() -> None:
    body = body_of(plan_for('phone_number: "+14157770100"\nphone_number_type: retell-twilio\n'))
    assert "country_code" not in body


def test_a_number_outside_us_and_ca_cannot_be_bought() -> None:
    plan = plan_for('phone_number: "+442071838750"\nphone_number_type: retell-twilio\n')
    assert plan.actions == []
    assert blocked(plan) == [
        ("phone_number", "+442071838750 is a GB number; Retell sells numbers in US and CA only")
    ]


def test_a_declared_country_code_must_be_the_numbers() -> None:
    plan = plan_for(
        """
        phone_number: "+16045550100"
        phone_number_type: retell-twilio
        country_code: US
        """
    )
    assert plan.actions == []
    assert blocked(plan) == [
        ("country_code", "+16045550100 is a CA number, not a US one; write country_code: CA")
    ]


def test_provider_and_type_must_agree() -> None:
    plan = plan_for(
        """
        phone_number: "+14157770100"
        phone_number_type: retell-twilio
        number_provider: telnyx
        """
    )
    assert plan.actions == []
    assert blocked(plan)[0][0] == "number_provider"


def test_an_area_code_other_than_the_numbers_is_refused() -> None:
    plan = plan_for(
        """
        phone_number: "+14157770100"
        phone_number_type: retell-twilio
        area_code: 650
        """
    )
    assert plan.actions == []
    assert blocked(plan) == [
        ("area_code", "+14157770100 is in area code 415, not 650; the account would read back 415")
    ]


def test_conflicting_values_have_no_automatic_fix() -> None:
    from fix_helpers import fixes_of

    from retell_lint.fix.edits import Skipped

    text = (
        'phone_number: "+14157774444"\nphone_number_type: custom\n'
        "termination_uri: a.example.com\n"
        "sip_outbound_trunk_config:\n  termination_uri: b.example.com\n"
    )
    (result,) = fixes_of(text, "RL012")
    assert isinstance(result, Skipped) and "by hand" in result.reason


def test_a_refusal_shows_hostile_values_escaped() -> None:
    from retell_lint.apply.render import render_text

    plan = plan_for(
        """
        phone_number: "+14157774444"
        allowed_inbound_country_list: ["U\\u202eS\\e[31m"]
        """,
        make_number("+14157774444"),
    )
    text = render_text(plan)
    assert "\u202e" not in text and "\x1b" not in text
    assert "the API does not accept it" in text


# -- any declared list: sent exactly as parsed, or refused --------------------------------

from hypothesis import event, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

weights = st.floats(min_value=0, max_value=1.5, allow_nan=False)
tags = st.one_of(
    st.integers(min_value=-2, max_value=2**64),
    st.sampled_from(["latest", "latest_published", "prod", "prod-eu_2", "v3", "3", "Prod"]),
    st.from_regex(r"[a-zA-Z0-9_v-]{1,22}", fullmatch=True),
)
codes = st.one_of(
    st.sampled_from(["US", "CA", "GB", "XK", "NO"]),
    st.from_regex(r"[A-Za-z]{2}", fullmatch=True),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(weights, st.one_of(st.none(), tags)), min_size=1, max_size=4),
    st.lists(codes, min_size=1, max_size=4),
    st.booleans(),
)
def test_any_declared_list_is_sent_as_parsed_or_refused(
    agents: list[tuple[float, Any]], countries: list[str], add_up: bool
) -> None:
    total = sum(w for w, _v in agents)
    if add_up and total > 0:  # often a list the API takes: weights adding up to 1
        agents = [(w / total, v) for w, v in agents]
    lines = ['phone_number: "+14157774444"', "inbound_agents:"]
    for index, (weight, version) in enumerate(agents):
        lines.append(f"  - agent_id: a{index}")
        lines.append(f"    weight: {weight!r}")
        if version is not None:
            shown = version if isinstance(version, int) else f'"{version}"'
            lines.append(f"    agent_version: {shown}")
    lines.append("allowed_inbound_country_list: [" + ", ".join(f'"{c}"' for c in countries) + "]")
    plan = plan_for("\n".join(lines) + "\n", make_number("+14157774444"))
    event("refused" if not plan.actions else "sent")
    if not plan.actions:
        assert plan.blocked and all("does not accept" in b.reason for b in plan.blocked)
        return
    (action,) = plan.actions
    expected = []
    for index, (weight, version) in enumerate(agents):
        entry: dict[str, Any] = {"agent_id": f"a{index}", "weight": weight}
        if version is not None:
            entry["agent_version"] = version
        expected.append(entry)
    assert action.body == {"inbound_agents": expected, "allowed_inbound_country_list": countries}
    try:
        from sdk_params import validate_params
    except Exception:  # retell-sdk not installed
        return
    validate_params("update", action.body)


def test_a_hostile_provider_is_shown_escaped() -> None:
    plan = plan_for(
        'phone_number: "+14157770100"\nphone_number_type: retell-twilio\n'
        'number_provider: "tel\\e[2Jnyx"\n'
    )
    (item,) = plan.blocked
    assert item.field == "number_provider" and "\x1b" not in item.reason
    assert "write twilio" in item.reason
