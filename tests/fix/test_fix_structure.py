"""Fixes that remove, rename or move entries: before/after texts in block and flow
style with comments around them, CRLF line ends, and the cases where the fix must be
skipped (merge keys, anchors, a field set both ways, a key that shares its line)."""

from __future__ import annotations

import pytest
from fix_cases import STRUCTURE_CASES, Case
from fix_helpers import fix, fixes_of

from retell_lint.fix.edits import Fix, Skipped


@pytest.mark.parametrize("case", STRUCTURE_CASES, ids=lambda case: case.id)
@pytest.mark.parametrize("line_end", ["lf", "crlf"])
def test_fix_gives_the_expected_text(case: Case, line_end: str) -> None:
    before, after = case.before, case.after
    if line_end == "crlf":
        before, after = before.replace("\n", "\r\n"), after.replace("\n", "\r\n")
    result = fix(before, unsafe=case.unsafe, dedent=False)
    assert result.error is None
    assert result.text == after
    assert case.rule not in [finding.rule for finding in result.remaining]
    again = fix(result.text, unsafe=case.unsafe, dedent=False)
    assert (again.text, again.fixed) == (result.text, 0)


def _reasons(text: str, rule: str) -> list[str]:
    return [f.reason for f in fixes_of(text, rule, dedent=False) if isinstance(f, Skipped)]


MERGED = """\
x-base: &base
  phone_number_pretty: x
  inbound_agent_id: agent_a
phone_number: "+14155550123"
<<: *base
"""


def test_fields_from_a_merge_key_are_not_touched() -> None:
    assert _reasons(MERGED, "RL006") == ["'phone_number_pretty' comes from a merge key (<<)"]
    assert _reasons(MERGED, "RL009") == ["'inbound_agent_id' comes from a merge key (<<)"]
    result = fix(MERGED, dedent=False)
    assert result.text == MERGED
    assert result.error is None


def test_a_merge_key_may_set_the_list_a_migration_would_write() -> None:
    text = (
        "x-agents: &agents\n  inbound_agents: [{agent_id: b, weight: 1}]\n"
        'phone_number: "+14155550123"\n<<: *agents\ninbound_agent_id: agent_a\n'
    )
    assert _reasons(text, "RL009") == ["a merge key (<<) may set inbound_agents"]


def test_a_migration_beside_an_empty_list_is_left_to_a_person() -> None:
    text = 'phone_number: "+14155550123"\ninbound_agents: []\ninbound_agent_id: agent_a\n'
    assert _reasons(text, "RL009") == ["inbound_agents is also set; move the agent into it by hand"]


def test_a_version_without_its_agent_is_not_migrated() -> None:
    text = 'phone_number: "+14155550123"\noutbound_agent_version: 3\n'
    assert _reasons(text, "RL009") == [
        "there is no outbound_agent_id; remove outbound_agent_version or add the agent"
    ]


def test_a_rename_onto_a_list_that_exists_is_skipped() -> None:
    text = (
        'phone_number: "+14155550123"\nallowed_inbound_country_list: [US]\n'
        "inbound_allowed_countries: [US, CA]\n"
    )
    assert _reasons(text, "RL009") == [
        "allowed_inbound_country_list is also set; merge the two lists by hand"
    ]


def test_a_field_sharing_its_line_with_a_list_dash_is_skipped() -> None:
    text = (
        "phone_numbers:\n"
        '  - phone_number_pretty: x\n    phone_number: "+14155550123"\n'
        "    inbound_agents: [{agent_id: a, weight: 1}]\n"
    )
    assert _reasons(text, "RL006") == ["it shares its line with other content"]


def test_a_comment_inside_a_flow_mapping_blocks_the_removal() -> None:
    text = (
        '{phone_number: "+14155550123",  # the number\n'
        " phone_number_pretty: x, inbound_agents: [{agent_id: a, weight: 1}]}\n"
    )
    assert _reasons(text, "RL006") == ["a comment sits between the entries of the flow collection"]


def test_a_multi_line_flat_value_is_not_moved() -> None:
    text = (
        'phone_number: "+14155550123"\nphone_number_type: custom\n'
        "inbound_agents: [{agent_id: a, weight: 1}]\ncodecs:\n  - PCMU\n  - PCMA\n"
    )
    assert _reasons(text, "RL012") == ["the value is not written on one line"]


def test_two_flat_parameters_build_one_container_over_two_passes() -> None:
    text = (
        'phone_number: "+14155550123"\nphone_number_type: custom\n'
        "inbound_agents: [{agent_id: a, weight: 1}]\n"
        "termination_uri: x.pstn.twilio.com\nsip_trunk_auth_username: bob\n"
        "sip_trunk_auth_password: ${TRUNK_PASSWORD}\n"
    )
    result = fix(text, dedent=False)
    assert result.error is None
    assert result.fixed == 3
    assert result.text.count("sip_outbound_trunk_config:") == 1
    assert result.text.endswith(
        "sip_outbound_trunk_config:\n"
        "  termination_uri: x.pstn.twilio.com\n"
        "  auth_username: bob\n"
        "  auth_password: ${TRUNK_PASSWORD}\n"
    )


def test_the_migration_follows_the_files_list_indentation() -> None:
    indented = (
        'phone_number: "+14155550123"\noutbound_agents:\n    - agent_id: b\n      weight: 1\n'
        "inbound_agent_id: agent_a\n"
    )
    assert fix(indented, dedent=False).text.endswith(
        "inbound_agents:\n    - agent_id: agent_a\n      weight: 1\n"
    )


def test_rl009_and_rl304_on_one_field_share_one_fix() -> None:
    text = (
        'phone_number: "+14155550123"\ninbound_agents: [{agent_id: a, weight: 1}]\n'
        "inbound_agent_id: agent_old\n"
    )
    legacy = fixes_of(text, "RL009", dedent=False)
    shadowed = fixes_of(text, "RL304", dedent=False)
    assert isinstance(legacy[0], Fix) and isinstance(shadowed[0], Fix)
    assert legacy[0].edits == shadowed[0].edits
    result = fix(text, dedent=False)
    assert result.fixed == 2  # both findings, one edit
    assert "inbound_agent_id" not in result.text


def test_an_unknown_rl010_message_is_not_fixed() -> None:
    text = (
        'phone_number: "+14155550123"  # retell-lint: ignore[] nothing\n'
        "inbound_agents: [{agent_id: a, weight: 1}]\n"
    )
    result = fix(text, dedent=False)
    # ignore[] names no rule: the comment is removed as a whole.
    assert result.text == (
        'phone_number: "+14155550123"\ninbound_agents: [{agent_id: a, weight: 1}]\n'
    )


def test_a_suppression_that_is_used_stays() -> None:
    text = (
        'phone_number: "+14155550123"\ninbound_agents: [{agent_id: a, weight: 1}]\n'
        "phone_number_pretty: x  # retell-lint: ignore[RL006] kept on purpose\n"
    )
    result = fix(text, dedent=False)
    assert (result.text, result.fixed) == (text, 0)


def test_positions_count_characters_and_every_yaml_line_break() -> None:
    # Astral characters, a line separator inside a quoted value, several documents.
    text = (
        'nickname: "café 😀 x\u2028y"\nphone_number: +14155550123\n'
        "inbound_agents: [{agent_id: a, weight: 1}]\n"
        "---\n"
        'phone_number: "+14155550124"\nphone_number_pretty: x\n'
        "inbound_agents: [{agent_id: a, weight: 1}]\n"
    )
    result = fix(text, dedent=False)
    assert result.text == (
        'nickname: "café 😀 x\u2028y"\nphone_number: "+14155550123"\n'
        "inbound_agents: [{agent_id: a, weight: 1}]\n"
        "---\n"
        'phone_number: "+14155550124"\n'
        "inbound_agents: [{agent_id: a, weight: 1}]\n"
    )


def test_next_line_characters_are_line_breaks_to_yaml() -> None:
    text = 'phone_number: "+14155550123"\x85phone_number_pretty: x\x85nickname: Front\n'
    assert fix(text, dedent=False).text == 'phone_number: "+14155550123"\x85nickname: Front\n'


def test_rl010_removes_a_rule_named_by_its_name() -> None:
    text = (
        'phone_number: "+14155550123"\ninbound_agents: [{agent_id: a, weight: 1}]\n'
        "phone_number_pretty: x  # retell-lint: ignore[weights-sum, read-only-field] pasted\n"
    )
    assert fix(text, dedent=False).text == (
        'phone_number: "+14155550123"\ninbound_agents: [{agent_id: a, weight: 1}]\n'
        "phone_number_pretty: x  # retell-lint: ignore[read-only-field] pasted\n"
    )


def test_rl010_leaves_a_bare_suppression_to_a_person() -> None:
    # A bare ignore names no rule: what it was meant to silence is not known.
    text = (
        'phone_number: "+14155550123"  # retell-lint: ignore\n'
        "inbound_agents: [{agent_id: a, weight: 1}]\n"
    )
    assert fixes_of(text, "RL010", dedent=False) == [None]
    assert fix(text, dedent=False).text == text


def test_fixes_never_empty_a_mapping() -> None:
    # Both fields are read-only: removing both would leave no number at all.
    text = "phone_number_pretty: x\nlast_modification_timestamp: 1\n"
    result = fix(text, dedent=False)
    assert result.error is None
    assert result.text == "last_modification_timestamp: 1\n"
    assert [f.message for f in result.remaining if f.rule == "RL006"] == [
        "last_modification_timestamp is computed by the API and ignored here; remove it"
    ]


def test_two_flat_names_of_one_setting_keep_the_first() -> None:
    text = (
        'phone_number: "+14155550123"\nphone_number_type: custom\n'
        "inbound_agents: [{agent_id: a, weight: 1}]\n"
        "sip_trunk_auth_username: first\nauth_username: first\n"
    )
    assert fix(text, dedent=False).text == (
        'phone_number: "+14155550123"\nphone_number_type: custom\n'
        "inbound_agents: [{agent_id: a, weight: 1}]\n"
        "sip_outbound_trunk_config:\n  auth_username: first\n"
    )
    # Two different values: which one is meant is not the fix's call.
    differing = text.replace("\nauth_username: first\n", "\nauth_username: second\n")
    result = fix(differing, dedent=False).text
    assert "first" in result and "second" in result


def test_a_field_written_twice_is_not_removed() -> None:
    text = (
        'phone_number: "+14155550123"\ninbound_agents: [{agent_id: a, weight: 1}]\n'
        "phone_number_pretty: x\nphone_number_pretty: [not, a, string]\n"
    )
    assert _reasons(text, "RL006") == ["the key is written twice (RL002); remove the repeat first"]
    assert fix(text, dedent=False).text == text


def test_a_field_a_merge_key_also_sets_is_not_removed() -> None:
    text = (
        'x-base: &base\n  phone_number_pretty: "+1 (415) 555-0123"\n'
        'phone_number: "+14155550123"\ninbound_agents: [{agent_id: a, weight: 1}]\n'
        "phone_number_pretty: x\n<<: *base\n"
    )
    assert _reasons(text, "RL006") == [
        "a merge key (<<) also sets phone_number_pretty, which would then be used"
    ]
