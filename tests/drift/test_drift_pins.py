"""The drift comparison pinned field by field (drift/normalise.py, drift/diff.py).

Each test compares one declared number with one live object through ``diff_number``
(no server): what counts as a difference, what does not (phantom drift is a bug), and
the line and note each difference carries.
"""

from __future__ import annotations

from typing import Any

import pytest

from retell_lint.drift.diff import Change, diff_number
from retell_lint.drift.normalise import comparables
from retell_lint.filestate import read_numbers
from retell_lint.source import Source

PHONE = "+14157774444"
HEAD = f'phone_number: "{PHONE}"\n'
SIP = "sip_outbound_trunk_config"
LIVE_TRUNK = {
    "termination_uri": "sip.example.com",
    "auth_username": "trunk-user",
    "transport": "TLS",
    "codecs": ["PCMU", "PCMA"],
}


def diff(text: str, live: dict[str, Any]) -> list[Change]:
    (doc,) = read_numbers(Source("n.yaml", HEAD + text)).numbers
    return diff_number(doc, {"phone_number": PHONE, **live})


def fields(text: str, live: dict[str, Any]) -> list[str]:
    return [change.field for change in diff(text, live)]


def agents_yaml(*entries: tuple[str, str]) -> str:
    return "inbound_agents:\n" + "".join(
        f"  - agent_id: {agent}\n    weight: {weight}\n" for agent, weight in entries
    )


def live_agents(*entries: tuple[str, float]) -> dict[str, Any]:
    return {"inbound_agents": [{"agent_id": a, "weight": w} for a, w in entries]}


# -- what the file does not declare is not compared (PATCH semantics) ------------------


def test_undeclared_fields_are_not_compared() -> None:
    live = {"nickname": "Front desk", "inbound_webhook_url": "https://example.com/hook"}
    assert diff("", live) == []


def test_sip_sub_fields_the_file_does_not_declare_are_not_compared() -> None:
    # Only termination_uri is declared: the live username, transport and codecs are
    # not drift (and so never something apply would clear).
    text = f"{SIP}:\n  termination_uri: sip.example.com\n"
    assert diff(text, {SIP: LIVE_TRUNK}) == []


@pytest.mark.parametrize(
    "text",
    [
        # The API's flat request names are read into the trunk: still only what is written.
        "termination_uri: sip.example.com\n",
        "sip_trunk_auth_username: trunk-user\n",
        "transport: tls\ncodecs: [pcmu, pcma]\n",
        f"{SIP}: {{}}\n",
    ],
)
def test_flat_or_empty_trunk_declarations_compare_only_what_they_write(text: str) -> None:
    assert (
        diff("phone_number_type: custom\n" + text, {"phone_number_type": "custom", SIP: LIVE_TRUNK})
        == []
    )


def test_one_declared_sip_sub_field_is_the_only_one_compared() -> None:
    text = f"{SIP}:\n  transport: UDP\n"
    assert [(c.field, c.declared, c.live, c.line) for c in diff(text, {SIP: LIVE_TRUNK})] == [
        (f"{SIP}.transport", "UDP", "TLS", 3)
    ]


def test_a_sip_sub_field_change_is_on_its_own_line() -> None:
    text = f"{SIP}:\n  termination_uri: sip.example.com\n  transport: UDP\n"
    assert [(c.field, c.line) for c in diff(text, {SIP: LIVE_TRUNK})] == [(f"{SIP}.transport", 4)]


def test_a_null_trunk_compares_every_part_of_it_at_the_trunks_line() -> None:
    changes = diff(f"{SIP}: null\n", {SIP: LIVE_TRUNK})
    assert [(c.field, c.line) for c in changes] == [
        (f"{SIP}.termination_uri", 2),
        (f"{SIP}.auth_username", 2),
        (f"{SIP}.transport", 2),
        (f"{SIP}.codecs", 2),
    ]
    assert changes[0].declared is None and changes[0].live == "sip.example.com"


def test_the_trunk_password_is_never_compared() -> None:
    text = f"{SIP}:\n  auth_password: ${{SIP_PASSWORD}}\n"
    assert diff(text, {SIP: {**LIVE_TRUNK, "auth_password": "other"}}) == []


def test_a_live_trunk_that_is_not_an_object_reads_as_unset() -> None:
    text = f"{SIP}:\n  termination_uri: sip.example.com\n"
    assert [(c.declared, c.live) for c in diff(text, {SIP: "sip.example.com"})] == [
        ("sip.example.com", None)
    ]


def test_create_parameters_and_the_number_itself_are_never_compared() -> None:
    text = "phone_number_type: retell-twilio\nnumber_provider: twilio\ntoll_free: false\n"
    live = {
        "phone_number_type": "retell-twilio",
        "number_provider": "telnyx",
        "toll_free": True,
        "phone_number": "+1 415 777 4444",
    }
    assert fields(text, live) == []


# -- codecs and transport: compared without regard to case -----------------------------


@pytest.mark.parametrize(
    ("declared", "live"),
    [
        ("codecs: [pcmu, pcma]", ["PCMU", "PCMA"]),
        ("codecs: [PCMU, pcma]", ["pcmu", "PCMA"]),
        ("codecs: [' PCMU', PCMA]", ["PCMU", "PCMA"]),
    ],
)
def test_codecs_compare_without_regard_to_case(declared: str, live: list[str]) -> None:
    assert diff(f"{SIP}:\n  {declared}\n", {SIP: {**LIVE_TRUNK, "codecs": live}}) == []


def test_codec_order_is_a_preference_and_counts() -> None:
    changes = diff(f"{SIP}:\n  codecs: [pcma, pcmu]\n", {SIP: LIVE_TRUNK})
    # Shown as written on each side.
    assert [(c.field, c.declared, c.live) for c in changes] == [
        (f"{SIP}.codecs", ["pcma", "pcmu"], ["PCMU", "PCMA"])
    ]


@pytest.mark.parametrize("transport", ["tls", "TLS", "Tls", " tls "])
def test_transport_compares_without_regard_to_case(transport: str) -> None:
    assert diff(f"{SIP}:\n  transport: '{transport}'\n", {SIP: LIVE_TRUNK}) == []


def test_termination_uri_is_compared_as_written() -> None:
    # Host names are not upper-cased: only transport and codecs ignore case.
    changes = diff(f"{SIP}:\n  termination_uri: SIP.example.com\n", {SIP: LIVE_TRUNK})
    assert [(c.declared, c.live) for c in changes] == [("SIP.example.com", "sip.example.com")]


def test_an_empty_codec_list_equals_none_live() -> None:
    assert diff(f"{SIP}:\n  codecs: []\n", {SIP: {**LIVE_TRUNK, "codecs": None}}) == []


# -- weighted agent lists ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "live"),
    [
        # Floating-point noise on the live side.
        ((("a", "0.3"), ("b", "0.7")), (("b", 0.7000000000000001), ("a", 0.30000000000000004))),
        (
            (("a", "0.3333333333333333"), ("b", "0.6666666666666667")),
            (("a", 0.333333333), ("b", 0.666666667)),
        ),
        # 1 is 1.0; order does not matter.
        ((("a", "1"),), (("a", 1.0),)),
        ((("a", "0.5"), ("b", "0.5")), (("b", 0.5), ("a", 0.5))),
    ],
)
def test_agent_lists_equal_despite_float_noise_and_order(
    declared: tuple[tuple[str, str], ...], live: tuple[tuple[str, float], ...]
) -> None:
    assert diff(agents_yaml(*declared), live_agents(*live)) == []


def test_a_real_weight_change_is_drift() -> None:
    changes = diff(agents_yaml(("a", "0.3"), ("b", "0.7")), live_agents(("a", 0.31), ("b", 0.69)))
    assert [(c.field, c.declared, c.live) for c in changes] == [
        (
            "inbound_agents",
            [{"agent_id": "a", "weight": 0.3}, {"agent_id": "b", "weight": 0.7}],
            [{"agent_id": "a", "weight": 0.31}, {"agent_id": "b", "weight": 0.69}],
        )
    ]


def test_a_weight_change_past_the_ninth_decimal_is_drift() -> None:
    assert fields(agents_yaml(("a", "1")), live_agents(("a", 0.999999))) == ["inbound_agents"]


def test_versions_compare_as_numbers_when_written_as_digits() -> None:
    text = 'inbound_agents:\n  - agent_id: a\n    weight: 1\n    agent_version: "3"\n'
    live = {"inbound_agents": [{"agent_id": "a", "weight": 1.0, "agent_version": 3}]}
    assert diff(text, live) == []
    live["inbound_agents"][0]["agent_version"] = 4
    changes = diff(text, live)
    assert [c.declared for c in changes] == [[{"agent_id": "a", "weight": 1.0, "agent_version": 3}]]


def test_agent_list_change_is_on_the_line_of_the_declared_list() -> None:
    # Block style: the list's value starts on its first entry (line 4); flow style: on
    # the key's line.
    block = "nickname: Front desk\n" + agents_yaml(("a", "0.5"), ("b", "0.5"))
    flow = "nickname: Front desk\ninbound_agents: [{agent_id: a, weight: 1}]\n"
    live = {"nickname": "Front desk", **live_agents(("c", 1.0))}
    assert [(c.field, c.line) for c in diff(block, live)] == [("inbound_agents", 4)]
    assert [(c.field, c.line) for c in diff(flow, live)] == [("inbound_agents", 3)]


def test_legacy_agent_fields_compare_as_a_one_entry_list_with_a_note() -> None:
    text = "nickname: x\ninbound_agent_id: a\ninbound_agent_version: 3\n"
    live = {"nickname": "x", "inbound_agents": [{"agent_id": "a", "weight": 1, "agent_version": 2}]}
    (change,) = diff(text, live)
    assert (change.field, change.line, change.note) == (
        "inbound_agents",
        3,
        "declared as inbound_agent_id (legacy)",
    )
    assert change.declared == [{"agent_id": "a", "weight": 1.0, "agent_version": 3}]


def test_live_legacy_agent_id_reads_as_the_list() -> None:
    live = {"inbound_agents": [], "inbound_agent_id": "a", "inbound_agent_version": 3}
    text = "inbound_agents:\n  - agent_id: a\n    weight: 1\n    agent_version: 3\n"
    assert diff(text, live) == []
    assert fields(agents_yaml(("a", "1")), live) == ["inbound_agents"]


def test_an_empty_live_legacy_agent_id_is_no_agent() -> None:
    live = {"inbound_agents": [], "inbound_agent_id": ""}
    assert diff("inbound_agents: []\n", live) == []


def test_a_non_empty_list_wins_over_a_legacy_agent_id_in_the_file() -> None:
    # RL304 reports the legacy field as ignored; drift compares the list.
    text = agents_yaml(("b", "1")) + "inbound_agent_id: a\n"
    assert diff(text, live_agents(("b", 1.0))) == []


def test_an_empty_legacy_agent_id_is_compared_at_its_own_line() -> None:
    (change,) = diff(
        "nickname: x\ninbound_agent_id: null\n", {"nickname": "x", **live_agents(("a", 1.0))}
    )
    assert (change.field, change.declared, change.line, change.note) == (
        "inbound_agents",
        None,
        3,
        None,
    )


def test_the_same_agent_with_and_without_a_version_in_any_order() -> None:
    text = agents_yaml(("a", "0.5"), ("a", "0.5")) + "    agent_version: 3\n"
    live = {
        "inbound_agents": [
            {"agent_id": "a", "weight": 0.5, "agent_version": 3},
            {"agent_id": "a", "weight": 0.5},
        ]
    }
    assert diff(text, live) == []


@pytest.mark.parametrize("weight", ["1", None])
def test_a_live_weight_that_is_not_a_number_is_drift(weight: str | None) -> None:
    live = {"inbound_agents": [{"agent_id": "a", "weight": weight}]}
    (change,) = diff(agents_yaml(("a", "1")), live)
    assert change.live == [{"agent_id": "a", "weight": weight}]


def test_an_empty_list_equals_no_list_live() -> None:
    assert diff("inbound_agents: []\n", {"inbound_agents": None}) == []
    assert diff("inbound_agents: null\n", {"inbound_agents": []}) == []
    assert fields("inbound_agents: []\n", live_agents(("a", 1.0))) == ["inbound_agents"]


def test_live_entries_that_are_not_objects_are_left_out() -> None:
    live = {"inbound_agents": ["a", {"agent_id": "a", "weight": 1.0}, None]}
    assert diff(agents_yaml(("a", "1")), live) == []


# -- country lists, phone numbers, scalars ---------------------------------------------


def test_country_lists_compare_as_sets_of_upper_case_codes() -> None:
    live = {"allowed_inbound_country_list": ["CA", "US"]}
    assert diff("allowed_inbound_country_list: [us, CA, US]\n", live) == []
    changes = diff("allowed_inbound_country_list: [US]\n", live)
    assert [(c.field, c.declared, c.live, c.line) for c in changes] == [
        ("allowed_inbound_country_list", ["US"], ["CA", "US"], 2)
    ]


@pytest.mark.parametrize("live", [None, []])
def test_an_empty_country_list_equals_none_live(live: list[str] | None) -> None:
    assert diff("allowed_inbound_country_list: []\n", {"allowed_inbound_country_list": live}) == []


def test_an_empty_legacy_country_list_is_compared_at_its_own_line() -> None:
    (change,) = diff(
        "nickname: x\ninbound_allowed_countries: []\n",
        {"nickname": "x", "allowed_inbound_country_list": ["US"]},
    )
    assert (change.field, change.declared, change.live, change.line, change.note) == (
        "allowed_inbound_country_list",
        None,
        ["US"],
        3,
        None,
    )


def test_legacy_country_list_on_either_side() -> None:
    text = "inbound_allowed_countries: [US]\n"
    (change,) = diff(text, {"allowed_inbound_country_list": ["CA"]})
    assert (change.line, change.note) == (2, "declared as inbound_allowed_countries (legacy)")
    # The live side may still carry the old name while the new one is empty.
    live = {"allowed_inbound_country_list": [], "inbound_allowed_countries": ["US"]}
    assert diff("allowed_inbound_country_list: [US]\n", live) == []


def test_new_country_list_wins_over_a_legacy_one_in_the_same_file() -> None:
    text = "allowed_inbound_country_list: [CA]\ninbound_allowed_countries: [US]\n"
    (change,) = diff(text, {"allowed_inbound_country_list": ["US"]})
    assert (change.declared, change.line, change.note) == (["CA"], 2, None)


def test_fallback_numbers_compare_in_e164() -> None:
    assert diff('fallback_number: "+1 415 555 1234"\n', {"fallback_number": "+14155551234"}) == []
    changes = diff('fallback_number: "+14155551234"\n', {"fallback_number": "+14155550000"})
    assert [(c.declared, c.live) for c in changes] == [("+14155551234", "+14155550000")]


def test_an_empty_or_null_fallback_is_no_fallback() -> None:
    assert diff('fallback_number: ""\n', {"fallback_number": None}) == []
    (change,) = diff("fallback_number: null\n", {"fallback_number": "+14155551234"})
    assert (change.declared, change.live) == (None, "+14155551234")


def test_create_only_difference_carries_its_note() -> None:
    (change,) = diff("nickname: x\narea_code: 415\n", {"nickname": "x", "area_code": 416})
    assert (change.field, change.declared, change.live, change.line, change.note) == (
        "area_code",
        415,
        416,
        3,
        "cannot be changed by update",
    )


def test_json_floats_equal_integers() -> None:
    assert diff("area_code: 415\n", {"area_code": 415.0}) == []


def test_explicit_null_is_compared_and_shown_as_null() -> None:
    (change,) = diff("nickname: null\n", {"nickname": "Front desk"})
    assert (change.field, change.declared, change.live, change.note) == (
        "nickname",
        None,
        "Front desk",
        None,
    )


# -- which fields are compared ------------------------------------------------------------


def test_the_fields_drift_compares() -> None:
    # The number itself is the key; create parameters the API never returns, computed
    # and legacy fields, and the trunk password are never compared.
    assert [(c.name, c.kind, c.shape, c.sub) for c in comparables()] == [
        ("phone_number_type", "create_only", "str", None),
        ("nickname", "managed", "str", None),
        ("area_code", "create_only", "int", None),
        ("inbound_agents", "managed", "agents", None),
        ("outbound_agents", "managed", "agents", None),
        ("inbound_sms_agents", "managed", "agents", None),
        ("outbound_sms_agents", "managed", "agents", None),
        ("allowed_inbound_country_list", "managed", "str_list", None),
        ("allowed_outbound_country_list", "managed", "str_list", None),
        ("inbound_webhook_url", "managed", "str", None),
        ("inbound_sms_webhook_url", "managed", "str", None),
        ("fallback_number", "managed", "phone", None),
        (f"{SIP}.termination_uri", "managed", "str", "termination_uri"),
        (f"{SIP}.auth_username", "managed", "str", "auth_username"),
        (f"{SIP}.transport", "managed", "str", "transport"),
        (f"{SIP}.codecs", "managed", "str_list", "codecs"),
    ]


# -- defaults the API reads back ----------------------------------------------------------


@pytest.mark.parametrize(("declared", "live"), [("null", "TCP"), ("TCP", None), ("tcp", None)])
def test_transport_unset_is_the_apis_default_tcp(declared: str, live: str | None) -> None:
    text = f"phone_number_type: custom\n{SIP}:\n  transport: {declared}\n"
    live_trunk = {**LIVE_TRUNK, "transport": live}
    assert diff(text, {"phone_number_type": "custom", SIP: live_trunk}) == []
