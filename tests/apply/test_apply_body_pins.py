"""The apply body builder pinned: what a body holds, what it never holds, and where and
why a difference it cannot make is reported (no server involved)."""

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
TRUNK = {
    "termination_uri": "a.pstn.twilio.com",
    "auth_username": "user",
    "transport": "UDP",
    "codecs": ["PCMU", "PCMA"],
}


def plan_for(text: str, *live: dict[str, Any], rotate: bool = False) -> ActionPlan:
    state = read_numbers(Source("n.yaml", textwrap.dedent(text).lstrip("\n")))
    live_state = LiveState(list(live), "file", "", "test")
    drift = build_plan(state.numbers, live_state, ())
    return build_actions(state.numbers, drift, live_state.by_number(), rotate_secrets=rotate)


def only(plan: ActionPlan) -> Action:
    (action,) = plan.actions
    return action


def custom(**fields: Any) -> dict[str, Any]:
    return make_number(NUMBER, phone_number_type="custom", **fields)


def blocked(plan: ActionPlan) -> list[tuple[str, Any, Any, str, int | None]]:
    """Each blocked difference; all of them are of ``NUMBER`` in n.yaml unless said."""
    return [
        (b.field, b.live, b.declared, b.reason, b.line)
        for b in plan.blocked
        if (b.phone_number, b.file) == (NUMBER, "n.yaml")
    ]


# -- what the file leaves out is never sent, nor cleared ------------------------------


def test_undeclared_trunk_settings_are_neither_sent_nor_cleared() -> None:
    plan = plan_for(
        f"""
        phone_number: "{NUMBER}"
        phone_number_type: custom
        sip_outbound_trunk_config:
          termination_uri: b.pstn.twilio.com
        """,
        custom(sip_outbound_trunk_config=TRUNK),
    )
    action = only(plan)
    assert action.body == {"termination_uri": "b.pstn.twilio.com"}
    assert [(c.field, c.parameter, c.live, c.declared, c.line) for c in action.changes] == [
        (
            "sip_outbound_trunk_config.termination_uri",
            "termination_uri",
            "a.pstn.twilio.com",
            "b.pstn.twilio.com",
            4,
        )
    ]
    assert plan.blocked == []


def test_codecs_in_another_case_send_nothing() -> None:
    plan = plan_for(
        f"""
        phone_number: "{NUMBER}"
        phone_number_type: custom
        sip_outbound_trunk_config:
          transport: udp
          codecs: [pcmu, pcma]
        """,
        custom(sip_outbound_trunk_config=TRUNK),
    )
    assert plan.actions == [] and plan.blocked == []


def test_float_noise_in_live_weights_sends_nothing() -> None:
    live = make_number(
        NUMBER,
        inbound_agents=[
            {"agent_id": "b", "weight": 0.666666667},
            {"agent_id": "a", "weight": 0.333333333},
        ],
    )
    plan = plan_for(
        f"""
        phone_number: "{NUMBER}"
        inbound_agents:
          - agent_id: a
            weight: 0.3333333333333333
          - agent_id: b
            weight: 0.6666666666666667
        """,
        live,
    )
    assert plan.actions == [] and plan.blocked == []


# -- what an update cannot do: where and why ---------------------------------------------


def test_a_create_only_difference_is_blocked_at_its_line_and_the_rest_is_sent() -> None:
    plan = plan_for(
        f"""
        phone_number: "{NUMBER}"
        nickname: New
        area_code: 628
        """,
        make_number(NUMBER, nickname="Old"),
    )
    action = only(plan)
    assert (action.body, action.line, action.file) == ({"nickname": "New"}, 1, "n.yaml")
    assert [(c.field, c.line) for c in action.changes] == [("nickname", 2)]
    assert blocked(plan) == [("area_code", 415, 628, RECREATE, 3)]


def test_every_difference_after_a_create_only_one_is_still_sent() -> None:
    plan = plan_for(
        f"""
        phone_number: "{NUMBER}"
        phone_number_type: retell-telnyx
        nickname: New
        """,
        make_number(NUMBER, nickname="Old"),
    )
    assert only(plan).body == {"nickname": "New"}
    assert blocked(plan) == [("phone_number_type", "retell-twilio", "retell-telnyx", RECREATE, 2)]


def test_unsetting_the_trunk_uri_is_blocked_with_the_reason() -> None:
    plan = plan_for(
        f"""
        phone_number: "{NUMBER}"
        phone_number_type: custom
        sip_outbound_trunk_config:
          auth_username: user
          termination_uri: null
        """,
        custom(sip_outbound_trunk_config=TRUNK),
    )
    assert plan.actions == []
    assert blocked(plan) == [
        (
            "sip_outbound_trunk_config.termination_uri",
            "a.pstn.twilio.com",
            None,
            "the API cannot unset termination_uri; re-import the number to drop it",
            5,
        )
    ]


def test_cleared_codecs_are_sent_as_an_empty_list() -> None:
    plan = plan_for(
        f"""
        phone_number: "{NUMBER}"
        phone_number_type: custom
        sip_outbound_trunk_config:
          codecs: null
        """,
        custom(sip_outbound_trunk_config=TRUNK),
    )
    action = only(plan)
    assert action.body == {"codecs": []}
    assert [(c.parameter, c.live, c.declared) for c in action.changes] == [
        ("codecs", ["PCMU", "PCMA"], [])
    ]


def test_a_password_is_sent_on_rotation_only_with_another_change_or_alone() -> None:
    text = f"""
        phone_number: "{NUMBER}"
        phone_number_type: custom
        nickname: New
        sip_outbound_trunk_config:
          auth_password: ${{PW}}
        """
    live = custom(nickname="Old")
    assert only(plan_for(text, live)).body == {"nickname": "New"}
    action = only(plan_for(text, live, rotate=True))
    assert action.body == {"nickname": "New", "auth_password": {"from_env": "PW"}}
    assert [(c.field, c.parameter, c.live, c.declared, c.line) for c in action.changes] == [
        ("nickname", "nickname", "Old", "New", 3),
        ("sip_outbound_trunk_config.auth_password", "auth_password", None, {"from_env": "PW"}, 5),
    ]


def test_rotation_without_a_declared_password_sends_nothing() -> None:
    text = f"""
        phone_number: "{NUMBER}"
        phone_number_type: custom
        """
    assert plan_for(text, custom(), rotate=True).actions == []


# -- creates and imports -----------------------------------------------------------------


def test_a_create_without_a_known_type_is_blocked_where_the_type_is() -> None:
    plan = plan_for(
        f"""
        phone_numbers:
          - phone_number: "{NUMBER}"
          - nickname: Lab
            phone_number_type: sip
            phone_number: "+14157770101"
        """
    )
    reason = (
        "declare phone_number_type (retell-twilio or retell-telnyx to buy the number, custom "
        "to import it) so apply knows how to create it"
    )
    assert plan.actions == []
    assert [(b.phone_number, b.declared, b.reason, b.line) for b in plan.blocked] == [
        ("+14157770101", "sip", reason, 4),
        (NUMBER, None, reason, 2),
    ]


def test_an_import_needs_the_trunk_uri_and_says_so_at_the_number() -> None:
    # The number's line, where its phone_number is (not where its entry starts).
    plan = plan_for(
        f"""
        phone_numbers:
          - nickname: Lab
            phone_number_type: custom
            phone_number: "{NUMBER}"
        """
    )
    assert plan.actions == []
    assert blocked(plan) == [
        (
            "sip_outbound_trunk_config.termination_uri",
            None,
            None,
            "importing a custom number needs sip_outbound_trunk_config.termination_uri",
            4,
        )
    ]


def test_an_import_blocks_what_no_request_takes_and_sends_the_rest() -> None:
    # area_code is a create parameter: an import cannot send it, nor can an update.
    plan = plan_for(
        f"""
        phone_number: "{NUMBER}"
        phone_number_type: custom
        area_code: 415
        inbound_agents:
          - agent_id: a
            weight: 1
        sip_outbound_trunk_config:
          termination_uri: t.pstn.twilio.com
        """
    )
    assert blocked(plan) == [("area_code", None, 415, "import does not take it", 3)]
    assert only(plan).body == {
        "phone_number": NUMBER,
        "inbound_agents": [{"agent_id": "a", "weight": 1.0}],
        "termination_uri": "t.pstn.twilio.com",
    }


def test_an_import_body_and_its_follow_up() -> None:
    plan = plan_for(
        f"""
        phone_number: "{NUMBER}"
        phone_number_type: custom
        nickname: Lab
        fallback_number: "+14155550123"
        inbound_sms_agents:
          - agent_id: sms
            weight: 1
        sip_outbound_trunk_config:
          termination_uri: t.pstn.twilio.com
          auth_username: lab
          transport: TLS
          auth_password: ${{PW}}
        """
    )
    action = only(plan)
    assert (action.kind, action.method, action.path, action.gate) == (
        "import",
        "POST",
        "/import-phone-number",
        "--allow-create",
    )
    assert (action.phone_number, action.file, action.line) == (NUMBER, "n.yaml", 1)
    assert action.body == {
        "phone_number": NUMBER,
        "nickname": "Lab",
        "termination_uri": "t.pstn.twilio.com",
        "sip_trunk_auth_username": "lab",
        "transport": "TLS",
        "sip_trunk_auth_password": {"from_env": "PW"},
    }
    # Fields the import does not take follow in one PATCH.
    assert action.follow_up == {
        "fallback_number": "+14155550123",
        "inbound_sms_agents": [{"agent_id": "sms", "weight": 1.0}],
    }
    assert [(c.field, c.parameter, c.live, c.declared, c.line) for c in action.changes] == [
        ("nickname", "nickname", None, "Lab", 3),
        ("inbound_sms_agents", "inbound_sms_agents", None, [{"agent_id": "sms", "weight": 1.0}], 6),
        ("fallback_number", "fallback_number", None, "+14155550123", 4),
        (
            "sip_outbound_trunk_config.termination_uri",
            "termination_uri",
            None,
            "t.pstn.twilio.com",
            9,
        ),
        ("sip_outbound_trunk_config.auth_username", "sip_trunk_auth_username", None, "lab", 10),
        ("sip_outbound_trunk_config.transport", "transport", None, "TLS", 11),
        (
            "sip_outbound_trunk_config.auth_password",
            "sip_trunk_auth_password",
            None,
            {"from_env": "PW"},
            12,
        ),
    ]


def test_a_create_leaves_out_what_it_does_not_declare_and_names_the_provider() -> None:
    plan = plan_for(
        """
        phone_number: "+14157770100"
        phone_number_type: retell-telnyx
        nickname: null
        inbound_agents: []
        """
    )
    action = only(plan)
    assert action.body == {"phone_number": "+14157770100", "number_provider": "telnyx"}
    assert action.follow_up == {}
    assert action.changes == []


def test_a_declared_provider_is_kept() -> None:
    plan = plan_for(
        """
        phone_number: "+14157770100"
        phone_number_type: retell-twilio
        number_provider: twilio
        toll_free: false
        """
    )
    action = only(plan)
    assert action.body == {
        "phone_number": "+14157770100",
        "number_provider": "twilio",
        "toll_free": False,
    }
    assert [(c.field, c.parameter, c.live, c.declared, c.line) for c in action.changes] == [
        ("number_provider", "number_provider", None, "twilio", 3),
        ("toll_free", "toll_free", None, False, 4),
    ]
    assert (action.kind, action.phone_number, action.file, action.line) == (
        "create",
        "+14157770100",
        "n.yaml",
        1,
    )


def test_a_declared_provider_is_never_replaced_by_the_types() -> None:
    # A provider that disagrees with the type is the author's to settle: apply does not
    # quietly buy from the provider the type names.
    plan = plan_for(
        """
        phone_number: "+14157770100"
        phone_number_type: retell-twilio
        number_provider: telnyx
        """
    )
    assert [a.body["number_provider"] for a in plan.actions] in ([], ["telnyx"])


def test_create_parameters_the_request_does_not_take_are_not_sent() -> None:
    # ignore_e164_validation is an import parameter; toll_free a create one.
    plan = plan_for(
        """
        phone_number: "+14157770101"
        phone_number_type: custom
        toll_free: false
        ignore_e164_validation: true
        sip_outbound_trunk_config:
          termination_uri: t.pstn.twilio.com
        """
    )
    assert only(plan).body == {
        "phone_number": "+14157770101",
        "termination_uri": "t.pstn.twilio.com",
        "ignore_e164_validation": True,
    }


def test_an_agent_version_written_as_null_is_left_out_of_the_entry() -> None:
    plan = plan_for(
        f"""
        phone_number: "{NUMBER}"
        inbound_agents:
          - agent_id: a
            weight: 1
            agent_version: null
        """,
        make_number(NUMBER, inbound_agents=[{"agent_id": "b", "weight": 1.0}]),
    )
    assert only(plan).body == {"inbound_agents": [{"agent_id": "a", "weight": 1}]}
