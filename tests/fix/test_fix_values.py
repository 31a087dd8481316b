"""Fixes that rewrite one value: before/after texts, block and flow style, comments
around them, CRLF line ends, and the cases where the fix must be skipped."""

from __future__ import annotations

import pytest
from fix_cases import VALUE_CASES, Case
from fix_helpers import fix, fixes_of

from retell_lint.fix.edits import Fix, Skipped


def _crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


@pytest.mark.parametrize("case", VALUE_CASES, ids=lambda case: case.id)
@pytest.mark.parametrize("line_end", ["lf", "crlf"])
def test_fix_gives_the_expected_text(case: Case, line_end: str) -> None:
    before, after = case.before, case.after
    if line_end == "crlf":
        before, after = _crlf(before), _crlf(after)
    result = fix(before, unsafe=case.unsafe, dedent=False)
    assert result.error is None
    assert result.text == after
    assert case.rule not in [finding.rule for finding in result.remaining]
    assert result.fixed >= 1
    # A second run finds nothing left to fix.
    again = fix(result.text, unsafe=case.unsafe, dedent=False)
    assert (again.text, again.fixed) == (result.text, 0)


@pytest.mark.parametrize(
    "case", [case for case in VALUE_CASES if case.unsafe], ids=lambda case: case.id
)
def test_unsafe_fixes_wait_for_unsafe_fixes(case: Case) -> None:
    result = fix(case.before, dedent=False)
    assert case.rule in [finding.rule for finding in result.remaining]
    kinds = {f.applicability for f in fixes_of(case.before, case.rule, dedent=False) if f}
    assert "unsafe" in kinds


def _only(results: list[Fix | Skipped | None]) -> Fix | Skipped | None:
    assert len(results) == 1, results
    return results[0]


def test_rl007_keeps_the_source_text_not_the_parsed_integer() -> None:
    found = _only(fixes_of("phone_number: +1_415_555_0123\ninbound_agents: []\n", "RL007"))
    # An underscore-separated integer is not a phone number once quoted: skipped.
    assert isinstance(found, Skipped)
    assert "would still not be a valid E.164 number" in found.reason


def test_rl007_skips_a_number_without_plus_and_an_invalid_number() -> None:
    for value in ("14155550123", "+15550000000"):
        text = f"phone_number: {value}\ninbound_agents: [{{agent_id: a, weight: 1}}]\n"
        found = _only(fixes_of(text, "RL007"))
        assert isinstance(found, Skipped), value
        assert fix(text).text == text


def test_rl007_skips_a_number_in_a_country_list() -> None:
    text = 'phone_number: "+14155550123"\nallowed_inbound_country_list: [US, 1]\n'
    found = _only(fixes_of(text, "RL007"))
    assert isinstance(found, Skipped) and "country code" in found.reason


def test_rl101_skips_a_number_without_country_code() -> None:
    text = 'phone_number: "(415) 555-0123"\ninbound_agents: [{agent_id: a, weight: 1}]\n'
    found = _only(fixes_of(text, "RL101"))
    assert isinstance(found, Skipped) and "cannot tell which number" in found.reason
    assert fix(text).text == text


def test_rl403_skips_an_invalid_number() -> None:
    text = (
        'phone_number: "+14155550123"\ninbound_agents: [{agent_id: a, weight: 1}]\n'
        'fallback_number: "+1555"\n'
    )
    assert isinstance(_only(fixes_of(text, "RL403")), Skipped)


def test_rl201_skips_a_name_it_cannot_read() -> None:
    text = 'phone_number: "+14155550123"\nallowed_inbound_country_list: [US, Narnia]\n'
    found = _only(fixes_of(text, "RL201"))
    assert isinstance(found, Skipped) and "Narnia" in found.reason


def test_rl201_upper_case_is_safe_and_alias_is_unsafe() -> None:
    text = 'phone_number: "+14155550123"\nallowed_inbound_country_list: [gb, UK, DEU]\n'
    found = fixes_of(text, "RL201")
    assert [f.applicability for f in found if isinstance(f, Fix)] == ["safe", "unsafe", "unsafe"]
    # UK is GB, which the first entry becomes: the alias is removed instead of repeated.
    assert fix(text, unsafe=True).text == (
        'phone_number: "+14155550123"\nallowed_inbound_country_list: [GB, DE]\n'
    )


def test_rl201_two_spellings_of_one_country_leave_one_entry() -> None:
    text = 'phone_number: "+14155550123"\nallowed_inbound_country_list: [us, us, CA]\n'
    result = fix(text)
    assert result.text == 'phone_number: "+14155550123"\nallowed_inbound_country_list: [US, CA]\n'


def test_rl301_unsafe_fix_shows_the_new_weights() -> None:
    text = (
        'phone_number: "+14155550123"\ninbound_agents:\n'
        "  - {agent_id: a, weight: 0.2}\n  - {agent_id: b, weight: 0.6}\n"
    )
    found = _only(fixes_of(text, "RL301"))
    assert isinstance(found, Fix)
    assert found.applicability == "unsafe"
    assert found.description == "scale the weights to 0.25, 0.75 (sum 1)"


def test_rl301_skips_a_weight_from_an_anchor() -> None:
    text = (
        'phone_number: "+14155550123"\ninbound_agents:\n'
        "  - {agent_id: a, weight: &w 0.5}\n  - {agent_id: b, weight: *w}\n"
        "  - {agent_id: c, weight: 0.5}\n"
    )
    assert isinstance(_only(fixes_of(text, "RL301")), Skipped)
    assert fix(text, unsafe=True).text == text


def test_rl505_leaves_an_unknown_transport() -> None:
    text = (
        'phone_number: "+14155550123"\nphone_number_type: custom\n'
        "sip_outbound_trunk_config: {transport: SCTP}\n"
    )
    assert _only(fixes_of(text, "RL505")) is None


def test_a_value_through_an_alias_is_not_fixed() -> None:
    text = (
        "x-transport: &t tls\n"
        'phone_number: "+14155550123"\nphone_number_type: custom\n'
        "sip_outbound_trunk_config: {transport: *t}\n"
    )
    found = _only(fixes_of(text, "RL505"))
    assert isinstance(found, Skipped) and "anchor" in found.reason
    assert fix(text).text == text
