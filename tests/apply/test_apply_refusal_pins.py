"""Where and why apply refuses to send (apply/guards.py through the body builder), pinned
for the mutation run: the number, field, values and reason of each blocked difference,
and what is still sent beside it."""

from __future__ import annotations

import textwrap
from typing import Any

from fake_retell import make_number

from retell_lint.apply.actions import RECREATE, Action, ActionPlan
from retell_lint.apply.building import build_actions
from retell_lint.drift.plan import build_plan
from retell_lint.drift.snapshot import LiveState
from retell_lint.filestate import read_numbers
from retell_lint.source import Source

NUMBER = "+14157774444"
MANAGED_TRUNK = {"termination_uri": "a.pstn.twilio.com", "transport": "UDP"}


def plan_for(text: str, *live: dict[str, Any], rotate: bool = False) -> ActionPlan:
    state = read_numbers(Source("n.yaml", textwrap.dedent(text).lstrip("\n")))
    live_state = LiveState(list(live), "file", "", "test")
    drift = build_plan(state.numbers, live_state, ())
    return build_actions(state.numbers, drift, live_state.by_number(), rotate_secrets=rotate)


def only(plan: ActionPlan) -> Action:
    (action,) = plan.actions
    return action


def blocked(plan: ActionPlan) -> list[tuple[str, Any, Any, str, int | None]]:
    """Each blocked difference; all of them are of ``NUMBER`` in n.yaml."""
    assert {(b.phone_number, b.file) for b in plan.blocked} <= {(NUMBER, "n.yaml")}
    return [(b.field, b.live, b.declared, b.reason, b.line) for b in plan.blocked]


def managed(sub: str, kind: str = "retell-twilio") -> str:
    return (
        f"a {kind} number's trunk is managed by Retell; {sub} is only for custom (imported) "
        "numbers, so apply never sends it"
    )


def test_update_of_a_managed_number_refuses_trunk_settings_but_sends_transport() -> None:
    live = make_number(NUMBER, nickname="Old", sip_outbound_trunk_config=MANAGED_TRUNK)
    plan = plan_for(
        f"""
        phone_number: "{NUMBER}"
        nickname: New
        sip_outbound_trunk_config:
          termination_uri: b.pstn.twilio.com
          transport: TLS
        """,
        live,
    )
    assert only(plan).body == {"nickname": "New", "transport": "TLS"}
    assert blocked(plan) == [
        (
            "sip_outbound_trunk_config.termination_uri",
            "a.pstn.twilio.com",
            "b.pstn.twilio.com",
            managed("termination_uri"),
            4,
        )
    ]


def test_without_a_live_type_the_files_type_decides() -> None:
    live = make_number(NUMBER, nickname="Old")
    del live["phone_number_type"]
    plan = plan_for(
        f"""
        phone_number: "{NUMBER}"
        phone_number_type: retell-telnyx
        sip_outbound_trunk_config:
          termination_uri: b.pstn.twilio.com
        """,
        live,
    )
    assert plan.actions == []
    assert [(field, reason) for field, _, _, reason, _ in blocked(plan)] == [
        ("phone_number_type", RECREATE),
        ("sip_outbound_trunk_config.termination_uri", managed("termination_uri", "retell-telnyx")),
    ]


def test_create_of_a_managed_number_refuses_trunk_settings_but_buys_it() -> None:
    plan = plan_for(
        f"""
        phone_number: "{NUMBER}"
        phone_number_type: retell-twilio
        sip_outbound_trunk_config:
          termination_uri: b.pstn.twilio.com
          auth_username: user
          transport: TLS
        """
    )
    assert only(plan).body == {
        "phone_number": NUMBER,
        "transport": "TLS",
        "number_provider": "twilio",
    }
    assert blocked(plan) == [
        (
            "sip_outbound_trunk_config.termination_uri",
            None,
            "b.pstn.twilio.com",
            managed("termination_uri"),
            4,
        ),
        ("sip_outbound_trunk_config.auth_username", None, "user", managed("auth_username"), 5),
    ]


def test_a_password_for_a_managed_number_is_refused_with_the_whole_number() -> None:
    plan = plan_for(
        f"""
        phone_number: "{NUMBER}"
        phone_number_type: retell-twilio
        sip_outbound_trunk_config:
          auth_password: ${{PW}}
        """
    )
    assert plan.actions == []
    assert [(field, reason) for field, _, _, reason, _ in blocked(plan)] == [
        (
            "sip_outbound_trunk_config.auth_password",
            "the API does not accept it: a retell-twilio number's trunk is managed by Retell; "
            "auth_password is only for custom (imported) numbers; nothing is sent for this "
            "number",
        )
    ]


def test_conflicting_trunk_values_refuse_an_update_and_a_create() -> None:
    text = f"""
        phone_number: "{NUMBER}"
        phone_number_type: custom
        nickname: New
        termination_uri: a.pstn.twilio.com
        sip_outbound_trunk_config:
          termination_uri: b.pstn.twilio.com
        """
    reason = (
        "termination_uri and sip_outbound_trunk_config.termination_uri are both set, to "
        "different values; keep one"
    )
    for plan in (
        plan_for(text),
        plan_for(text, make_number(NUMBER, phone_number_type="custom", nickname="Old")),
    ):
        assert plan.actions == []
        assert [(field, declared, why) for field, _, declared, why, _ in blocked(plan)] == [
            ("sip_outbound_trunk_config.termination_uri", None, reason)
        ]


def test_a_create_that_would_not_read_back_is_refused_with_the_declared_value() -> None:
    plan = plan_for(
        f"""
        phone_number: "{NUMBER}"
        phone_number_type: retell-twilio
        area_code: 628
        """
    )
    assert plan.actions == []
    assert [(field, declared) for field, _, declared, _, _ in blocked(plan)] == [("area_code", 628)]


def test_an_entry_without_a_weight_is_refused_as_written() -> None:
    # The refusal shows the entry as the file has it: no weight, not a weight of null.
    plan = plan_for(
        f"""
        phone_number: "{NUMBER}"
        inbound_agents:
          - agent_id: a
        """,
        make_number(NUMBER, inbound_agents=[{"agent_id": "b", "weight": 1.0}]),
    )
    assert plan.actions == []
    assert [(field, declared, reason) for field, _, declared, reason, _ in blocked(plan)] == [
        (
            "inbound_agents",
            [{"agent_id": "a"}],
            "the API does not accept it: entry 1 needs a numeric weight; nothing is sent for "
            "this number",
        )
    ]


def test_a_refused_update_shows_the_live_value_beside_the_declared_one() -> None:
    live = make_number(NUMBER, allowed_inbound_country_list=["CA"])
    plan = plan_for(f'phone_number: "{NUMBER}"\nallowed_inbound_country_list: [us]\n', live)
    assert plan.actions == []
    assert [(field, current, declared) for field, current, declared, _, _ in blocked(plan)] == [
        ("allowed_inbound_country_list", ["CA"], ["us"])
    ]


def test_a_refused_trunk_setting_shows_the_value_as_written() -> None:
    live = make_number(NUMBER, sip_outbound_trunk_config={**MANAGED_TRUNK, "codecs": ["PCMU"]})
    plan = plan_for(
        f"""
        phone_number: "{NUMBER}"
        sip_outbound_trunk_config:
          codecs: [" opus"]
        """,
        live,
    )
    assert [(field, current, declared) for field, current, declared, _, _ in blocked(plan)] == [
        ("sip_outbound_trunk_config.codecs", ["PCMU"], [" opus"])
    ]


def test_rotating_a_password_of_a_managed_number_is_refused() -> None:
    text = f"""
        phone_number: "{NUMBER}"
        sip_outbound_trunk_config:
          auth_password: ${{PW}}
        """
    plan = plan_for(text, make_number(NUMBER), rotate=True)
    assert plan.actions == []
    assert [field for field, *_ in blocked(plan)] == ["sip_outbound_trunk_config.auth_password"]


def test_a_canadian_number_names_its_country_in_the_body_and_the_changes() -> None:
    plan = plan_for(
        """
        phone_number: "+16135550123"
        phone_number_type: retell-twilio
        """
    )
    action = only(plan)
    assert action.body["country_code"] == "CA"
    assert [(c.field, c.parameter, c.live, c.declared, c.line) for c in action.changes] == [
        ("country_code", "country_code", None, "CA", 1)
    ]
