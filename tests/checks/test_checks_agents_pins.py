"""RL301-RL309 pinned exactly: whole messages, the tolerance at its edge, and every list
and entry looked at after one that is skipped."""

from __future__ import annotations

from typing import Any

import pytest
from lint_helpers import agents, lint_text

from retell_lint import catalogue
from retell_lint.checks import RuleContext
from retell_lint.checks.agents import weights_sum
from retell_lint.filestate import read_numbers
from retell_lint.source import Source

PHONE = 'phone_number: "+14157774444"\n'


def found(text: str, **options: Any) -> list[tuple[str, int, str, str]]:
    return [(f.rule, f.line, f.path, f.message) for f in lint_text(text, **options)]


# -- RL301: the tolerance, from the rule's params ---------------------------------------


def sum_messages(text: str, params: dict[str, Any]) -> list[str]:
    (number,) = read_numbers(Source("n.yaml", text)).numbers
    rule = catalogue.load()["RL301"]
    return [hit.message for hit in weights_sum(number, RuleContext(rule, params))]


QUARTERS = PHONE + agents("inbound_agents", "a|0.5", "b|0.25")  # adds up to 0.75


def test_rl301_tolerance_comes_from_the_rules_params() -> None:
    assert sum_messages(QUARTERS, {"tolerance": 0.3}) == []
    assert len(sum_messages(QUARTERS, {"tolerance": 0.2})) == 1


def test_rl301_sum_exactly_at_the_tolerance_passes() -> None:
    # The check adds 1e-12 of slack to the tolerance: 0.25 - 1e-12 + 1e-12 is 0.25,
    # exactly the gap of 0.75.
    assert sum_messages(QUARTERS, {"tolerance": 0.25 - 1e-12}) == []


def test_rl301_default_tolerance_is_one_in_a_million() -> None:
    # An entry without params (a custom catalogue) gets the documented 1e-6.
    near = PHONE + agents("inbound_agents", "a|0.4999995", "b|0.5")
    far = PHONE + agents("inbound_agents", "a|0.499998", "b|0.5")
    assert sum_messages(near, {}) == []
    assert sum_messages(far, {}) == [
        "weights of inbound_agents add up to 0.999998; they must add up to 1 — raise one "
        "weight by 0.000002"
    ]


def test_rl301_single_agent_whole_message() -> None:
    assert found(PHONE + agents("inbound_agents", "a|0.5")) == [
        (
            "RL301",
            2,
            "inbound_agents",
            "weights of inbound_agents add up to 0.5; they must add up to 1 — a single agent "
            "takes weight 1",
        )
    ]


@pytest.mark.parametrize(
    "first",
    [
        "inbound_agents: []\n",
        agents("inbound_agents", "a|.inf"),  # not a finite weight: RL302's
        agents("inbound_agents", 'a|"0.5"'),  # unreadable weight: RL004's
    ],
)
def test_rl301_next_list_is_checked_after_a_skipped_one(first: str) -> None:
    text = PHONE + first + agents("outbound_agents", "c|0.6", "d|0.3")
    assert [(rule, path) for rule, _, path, _ in found(text) if rule == "RL301"] == [
        ("RL301", "outbound_agents")
    ]


# -- RL303 -------------------------------------------------------------------------------

TAIL = "merge the two entries and add up their weights"


@pytest.mark.parametrize(
    ("version", "what"), [(None, "agent a"), ("3", "agent a version 3"), ("0", "agent a version 0")]
)
def test_rl303_whole_message(version: str | None, what: str) -> None:
    entry = "a|0.5" if version is None else f"a|0.5|{version}"
    text = PHONE + agents("inbound_agents", entry, entry)
    assert [(rule, message) for rule, _, _, message in found(text)] == [
        ("RL303", f"{what} is already in inbound_agents (entry 1); {TAIL}")
    ]


def test_rl303_empty_agent_ids_are_not_repeats() -> None:
    # Two empty agent_ids are RL309 twice, not a repeated agent.
    text = PHONE + agents("inbound_agents", "''|0.5", "''|0.5")
    assert [rule for rule, *_ in found(text)] == ["RL309", "RL309"]


def test_rl303_repeat_after_an_empty_agent_id_is_still_found() -> None:
    text = PHONE + agents("inbound_agents", "''|0.2", "a|0.4", "a|0.4")
    assert [(rule, path) for rule, _, path, _ in found(text)] == [
        ("RL309", "inbound_agents[0].agent_id"),
        ("RL303", "inbound_agents[2].agent_id"),
    ]


# -- RL306: the message for each way a tag goes wrong -----------------------------------

NOT_A_TAG = "is not a tag:"
AFTER = "after its first letter a tag has only lower-case letters, digits, _ and -"


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("v12", f"'v12' {NOT_A_TAG} v and digits is reserved; write the version number 12"),
        (
            "Prod",
            f"'Prod' {NOT_A_TAG} a tag starts with a lower-case letter, not an upper-case "
            "letter; write 'prod'",
        ),
        ("_beta", f"'_beta' {NOT_A_TAG} a tag starts with a lower-case letter, not '_'"),
        ("2026-q4", f"'2026-q4' {NOT_A_TAG} a tag starts with a lower-case letter, not '2'"),
        # Starts well, then an upper-case letter: lower-casing it makes a tag.
        ("aBc", f"'aBc' {NOT_A_TAG} {AFTER}; write 'abc'"),
        # Lower-casing does not help: no suggestion.
        ("v 3", f"'v 3' {NOT_A_TAG} {AFTER}"),
        ("a.B", f"'a.B' {NOT_A_TAG} {AFTER}"),
        # 20 characters is the limit, not past it: the bad character is the problem.
        ("a" * 19 + ".", f"'{'a' * 19}.' {NOT_A_TAG} {AFTER}"),
        ("a" * 21, f"'{'a' * 21}' {NOT_A_TAG} a tag has at most 20 characters, not 21"),
    ],
)
def test_rl306_whole_message(version: str, message: str) -> None:
    text = PHONE + agents("inbound_agents", f'a|1|"{version}"')
    assert [(rule, m) for rule, _, _, m in found(text)] == [("RL306", f"agent_version {message}")]


def test_rl306_legacy_version_field_whole_message() -> None:
    text = PHONE + "inbound_agent_id: a\ninbound_agent_version: -2\n"
    assert found(text, rules={"RL009": "off"}) == [
        ("RL306", 3, "inbound_agent_version", "agent_version -2 is negative")
    ]


@pytest.mark.parametrize("version", ["true", "false", "null"])
def test_rl306_not_for_booleans_or_null(version: str) -> None:
    # A boolean is a type error found while reading (RL004/RL007), never a version.
    text = PHONE + agents("inbound_agents", f"a|1|{version}")
    assert "RL306" not in [rule for rule, *_ in found(text)]


# -- RL307 -------------------------------------------------------------------------------


def test_rl307_unpinned_entry_after_a_pinned_one_whole_message() -> None:
    text = PHONE + agents("inbound_agents", "a|0.5|1", "b|0.5")
    assert found(text, rules_on=["RL307"]) == [
        (
            "RL307",
            6,
            "inbound_agents[1].agent_id",
            "agent b has no agent_version: the number follows the latest version, so an agent "
            "edit goes live at once; pin a version or a tag",
        )
    ]


# -- RL308 -------------------------------------------------------------------------------

NO_INBOUND = (
    "no inbound agent: the number rejects inbound calls; add inbound_agents if it should answer"
)


def test_rl308_whole_message() -> None:
    assert found(PHONE + "inbound_agents: []\n") == [("RL308", 2, "inbound_agents", NO_INBOUND)]


def test_rl308_empty_legacy_agent_id_is_reported_at_it() -> None:
    text = PHONE + 'inbound_agent_id: ""\n'
    assert [(r, line, path) for r, line, path, _ in found(text) if r == "RL308"] == [
        ("RL308", 2, "inbound_agent_id")
    ]


def test_rl308_not_for_a_list_of_the_wrong_type() -> None:
    # RL004 reports the list; "no inbound agent" would be a second finding for one mistake.
    assert [rule for rule, *_ in found(PHONE + "inbound_agents: 5\n")] == ["RL004"]


def test_rl308_an_empty_list_wins_over_a_legacy_agent_id() -> None:
    # The API reads the list (inbound_agent_id was removed from it): no inbound agent.
    text = PHONE + "inbound_agents: []\ninbound_agent_id: a\n"
    assert [(rule, path) for rule, _, path, _ in found(text)] == [
        ("RL308", "inbound_agents"),
        ("RL009", "inbound_agent_id"),
    ]
