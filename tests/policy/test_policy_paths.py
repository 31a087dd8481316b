"""The path language of policies: parsing against the field table, and selecting values."""

from __future__ import annotations

import pytest

from retell_lint.model import AgentEntry, PhoneNumber, SipTrunk
from retell_lint.policy.paths import MISSING, PathError, parse_path, select


def error(text: str) -> str:
    with pytest.raises(PathError) as caught:
        parse_path(text)
    return str(caught.value)


def test_fields_nested_fields_and_items():
    assert parse_path("nickname").slot.types == {"string"}
    weight = parse_path("inbound_agents[*].weight")
    assert weight.wildcard and weight.slot.types == {"number"}
    assert parse_path("inbound_agents[0].agent_id").wildcard is False
    assert parse_path("inbound_agents").slot.items is not None
    assert parse_path("allowed_outbound_country_list[*]").slot.types == {"string"}
    assert parse_path("sip_outbound_trunk_config.codecs[*]").slot.types == {"string"}
    assert parse_path("inbound_agents[*].agent_version").slot.types == {"integer", "string"}


def test_unknown_fields_get_a_suggestion():
    assert error("nickame") == "a phone number has no field 'nickame'; did you mean 'nickname'?"
    assert "did you mean 'weight'" in error("inbound_agents[*].wieght")
    assert "did you mean 'transport'" in error("sip_outbound_trunk_config.transprt")
    assert error("colour") == "a phone number has no field 'colour'"


def test_list_fields_need_an_index_or_star():
    assert error("inbound_agents.agent_id") == (
        "inbound_agents is a list; write inbound_agents[*].agent_id for every item, "
        "or inbound_agents[0].agent_id for the first"
    )
    assert "not a list" in error("nickname[*]")
    assert "has no field 'x'" in error("nickname.x")


def test_flat_api_parameters_point_at_their_canonical_path():
    assert "write the path sip_outbound_trunk_config.transport" in error("transport")


@pytest.mark.parametrize("text", ["", "a..b", "inbound_agents[x]", "a b", 3, "nickname[*"])
def test_malformed_paths(text):
    with pytest.raises(PathError):
        parse_path(text)


def number(**values):
    return PhoneNumber(**values)


def test_select_a_field_missing_null_and_set():
    path = parse_path("nickname")
    assert [(n.path, n.value) for n in select(number(), path, set())] == [("nickname", MISSING)]
    assert [n.value for n in select(number(nickname=None), path, set())] == [None]
    assert [n.value for n in select(number(nickname="x"), path, set())] == ["x"]
    # A value already reported as being of the wrong type is not selected again.
    assert select(number(nickname=None), path, {"nickname"}) == []


def test_select_every_item_and_its_missing_fields():
    agents = [AgentEntry(agent_id="a", weight=0.5, agent_version=3), AgentEntry(agent_id="b")]
    config = number(inbound_agents=agents)
    nodes = select(config, parse_path("inbound_agents[*].agent_version"), set())
    assert [(n.path, n.value, n.anchor) for n in nodes] == [
        ("inbound_agents[0].agent_version", 3, "inbound_agents[0].agent_version"),
        ("inbound_agents[1].agent_version", MISSING, "inbound_agents[1]"),
    ]
    # [*] over a list that is not written selects nothing.
    assert select(number(), parse_path("inbound_agents[*].weight"), set()) == []
    # One item past the end is missing, anchored at the list.
    nodes = select(config, parse_path("inbound_agents[5].agent_id"), set())
    assert [(n.path, n.value, n.anchor) for n in nodes] == [
        ("inbound_agents[5]", MISSING, "inbound_agents")
    ]


def test_select_inside_a_mapping():
    trunk = SipTrunk(transport="TLS", fields_set={"transport"})
    config = number(sip_outbound_trunk_config=trunk)
    assert [
        n.value for n in select(config, parse_path("sip_outbound_trunk_config.transport"), set())
    ] == ["TLS"]
    nodes = select(config, parse_path("sip_outbound_trunk_config.codecs[*]"), set())
    assert nodes == []
    nodes = select(number(), parse_path("sip_outbound_trunk_config.transport"), set())
    assert [(n.path, n.anchor) for n in nodes] == [("sip_outbound_trunk_config", "")]
