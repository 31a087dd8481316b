"""From declared numbers and live objects to write actions (no server involved)."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
from fake_retell import make_number

from retell_lint.apply.actions import RECREATE, Action, ActionPlan, Limits
from retell_lint.apply.building import build_actions
from retell_lint.config import DriftIgnore
from retell_lint.drift.plan import build_plan
from retell_lint.drift.snapshot import LiveState
from retell_lint.errors import FatalError
from retell_lint.filestate import read_numbers
from retell_lint.source import Source


def plan_for(
    text: str,
    *live: dict[str, Any],
    rotate: bool = False,
    ignores: tuple[DriftIgnore, ...] = (),
) -> ActionPlan:
    state = read_numbers(Source("n.yaml", textwrap.dedent(text).lstrip("\n")))
    assert not [h for h in state.hits if h.rule.startswith("RL00")], state.hits
    live_state = LiveState(list(live), "file", "", "test")
    drift = build_plan(state.numbers, live_state, ignores)
    return build_actions(state.numbers, drift, live_state.by_number(), rotate_secrets=rotate)


def only(plan: ActionPlan) -> Action:
    (action,) = plan.actions
    return action


def test_update_holds_only_the_declared_fields_that_differ() -> None:
    live = make_number(
        "+14157774444",
        nickname="Old",
        inbound_webhook_url="https://a.example.com",
        allowed_outbound_country_list=["US"],
    )
    plan = plan_for(
        """
        phone_number: "+14157774444"
        nickname: New
        inbound_webhook_url: https://a.example.com
        """,
        live,
    )
    action = only(plan)
    assert (action.kind, action.method, action.path) == (
        "update",
        "PATCH",
        "/update-phone-number/+14157774444",
    )
    assert action.body == {"nickname": "New"}
    assert action.gate is None
    assert [(c.field, c.parameter, c.live, c.declared) for c in action.changes] == [
        ("nickname", "nickname", "Old", "New")
    ]


def test_sip_fields_are_sent_flat_and_nulls_clear_where_the_api_allows() -> None:
    live = make_number(
        "+14157774444",
        phone_number_type="custom",
        sip_outbound_trunk_config={
            "termination_uri": "a.pstn.twilio.com",
            "auth_username": "user",
            "transport": "UDP",
            "codecs": ["PCMU"],
        },
        nickname="x",
    )
    plan = plan_for(
        """
        phone_number: "+14157774444"
        nickname: null
        sip_outbound_trunk_config:
          termination_uri: null
          auth_username: user2
          transport: null
          codecs: null
        """,
        live,
    )
    assert only(plan).body == {
        "nickname": None,
        "auth_username": "user2",
        "transport": None,
        "codecs": [],
    }
    (blocked,) = plan.blocked
    assert blocked.field == "sip_outbound_trunk_config.termination_uri"
    assert "cannot unset termination_uri" in blocked.reason
    assert plan.exit_code() == 1


def test_legacy_single_agent_fields_are_sent_as_lists() -> None:
    live = make_number("+14157774444", inbound_agents=[{"agent_id": "a", "weight": 1.0}])
    plan = plan_for(
        """
        phone_number: "+14157774444"
        inbound_agent_id: b
        inbound_agent_version: 2
        inbound_allowed_countries: [US]
        """,
        live,
    )
    assert only(plan).body == {
        "inbound_agents": [{"agent_id": "b", "weight": 1.0, "agent_version": 2}],
        "allowed_inbound_country_list": ["US"],
    }


def test_create_only_and_ignored_differences_are_never_sent() -> None:
    live = make_number("+14157774444", nickname="Old", phone_number_type="retell-telnyx")
    plan = plan_for(
        """
        phone_number: "+14157774444"
        phone_number_type: retell-twilio
        nickname: New
        """,
        live,
        ignores=(DriftIgnore("+14157774444", "nickname", "edited in the dashboard"),),
    )
    assert plan.actions == []
    (blocked,) = plan.blocked
    assert (blocked.field, blocked.live, blocked.declared, blocked.reason) == (
        "phone_number_type",
        "retell-telnyx",
        "retell-twilio",
        RECREATE,
    )
    assert blocked.line == 2


def test_in_sync_unmanaged_and_ignored_numbers_have_no_actions() -> None:
    plan = plan_for(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            nickname: Same
          - phone_number: "+14157770001"
            nickname: Differs
        """,
        make_number("+14157774444", nickname="Same"),
        make_number("+14157770001", nickname="Live"),
        make_number("+14157770002"),
        ignores=(DriftIgnore("+14157770001", None, "moved by hand"),),
    )
    assert plan.actions == [] and plan.blocked == []
    assert plan.unmanaged == ["+14157770002"]
    assert plan.managed == 1
    assert plan.exit_code() == 0


def test_passwords_are_references_and_sent_only_when_rotating() -> None:
    text = """
        phone_number: "+14157774444"
        phone_number_type: custom
        sip_outbound_trunk_config:
          auth_password: ${TRUNK_PASSWORD}
        """
    live = make_number("+14157774444", phone_number_type="custom")
    assert plan_for(text, live).actions == []
    action = only(plan_for(text, live, rotate=True))
    assert action.body == {"auth_password": {"from_env": "TRUNK_PASSWORD"}}
    plain = text.replace("${TRUNK_PASSWORD}", "hunter2")
    assert plan_for(plain, live).actions == []
    with pytest.raises(FatalError) as caught:
        plan_for(plain, live, rotate=True)
    assert str(caught.value).startswith("n.yaml:4:18: auth_password is not an environment")
    assert "hunter2" not in str(caught.value)


def test_create_and_import_bodies() -> None:
    plan = plan_for(
        """
        phone_numbers:
          - phone_number: "+14157770100"
            phone_number_type: retell-twilio
            toll_free: false
            country_code: US
            fallback_number: "+14155550123"
            inbound_sms_webhook_url: https://sms.example.com
            nickname: null
          - phone_number: "+14157770101"
            phone_number_type: custom
            ignore_e164_validation: false
            sip_outbound_trunk_config:
              termination_uri: t.pstn.twilio.com
              codecs: [opus]
              auth_password: $PW
        """,
    )
    create, imported = plan.actions
    assert (create.kind, create.path, create.gate) == (
        "create",
        "/create-phone-number",
        "--allow-create",
    )
    assert create.body == {
        "phone_number": "+14157770100",
        "fallback_number": "+14155550123",
        "toll_free": False,
        "country_code": "US",
        "number_provider": "twilio",
    }
    assert create.follow_up == {"inbound_sms_webhook_url": "https://sms.example.com"}
    assert imported.kind == "import"
    assert imported.body == {
        "phone_number": "+14157770101",
        "termination_uri": "t.pstn.twilio.com",
        "codecs": ["opus"],
        "ignore_e164_validation": False,
        "sip_trunk_auth_password": {"from_env": "PW"},
    }
    assert imported.follow_up == {}


def test_import_without_a_trunk_uri_and_create_without_a_type_are_blocked() -> None:
    plan = plan_for(
        """
        phone_numbers:
          - phone_number: "+14157770100"
            nickname: x
          - phone_number: "+14157770101"
            phone_number_type: custom
        """,
    )
    assert plan.actions == []
    assert [b.field for b in plan.blocked] == [
        "phone_number_type",
        "sip_outbound_trunk_config.termination_uri",
    ]


def test_delete_only_for_a_live_number_declared_absent() -> None:
    plan = plan_for(
        """
        phone_numbers:
          - phone_number: "+14157770100"
            state: absent
          - phone_number: "+14157770101"
            state: absent
        """,
        make_number("+14157770100"),
        make_number("+14157770102"),
    )
    action = only(plan)
    assert (action.kind, action.phone_number, action.method, action.gate) == (
        "delete",
        "+14157770100",
        "DELETE",
        "--allow-delete",
    )
    assert plan.unmanaged == ["+14157770102"]
    assert plan.allowed(allow_create=True, allow_delete=False) == []
    assert plan.allowed(allow_create=False, allow_delete=True) == [action]


def _updates(count: int, managed: int) -> tuple[ActionPlan, list[Action]]:
    numbers = [f"+1415555{i:04d}" for i in range(managed)]
    lines = ["phone_numbers:"]
    for index, number in enumerate(numbers):
        lines += [
            f'  - phone_number: "{number}"',
            f"    nickname: {'new' if index < count else 'x'}",
        ]
    plan = plan_for("\n".join(lines) + "\n", *(make_number(n, nickname="x") for n in numbers))
    return plan, plan.actions


def test_blast_radius_boundaries() -> None:
    plan, actions = _updates(10, managed=100)
    plan.check_safety(actions, Limits(), force=False)  # 10 is allowed
    plan, actions = _updates(11, managed=100)
    with pytest.raises(FatalError, match=r"changes 11 numbers, more than apply.max_changes \(10\)"):
        plan.check_safety(actions, Limits(), force=False)
    plan.check_safety(actions, Limits(), force=True)
    plan, actions = _updates(3, managed=10)
    plan.check_safety(actions, Limits(), force=False)  # exactly 30 %
    plan, actions = _updates(4, managed=10)
    with pytest.raises(FatalError, match=r"4 of the 10 managed numbers \(40.0%\)"):
        plan.check_safety(actions, Limits(), force=False)
    plan.check_safety(actions, Limits(max_percent=40), force=False)
    plan, actions = _updates(5, managed=9)  # fewer than 10 managed: no share limit
    plan.check_safety(actions, Limits(), force=False)
    plan.check_safety([], Limits(max_changes=0), force=False)
