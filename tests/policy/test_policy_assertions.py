"""Each assertion of the policy language: what it accepts, what it refuses, what it
checks, and the operands and fields it refuses when a policy is loaded."""

from __future__ import annotations

import time
from typing import Any

import pytest

from retell_lint.model import AgentEntry
from retell_lint.policy.assertions import (
    MAX_MATCH_INPUT,
    Compiler,
    Outcome,
    PolicyError,
)
from retell_lint.policy.paths import MISSING, parse_path


def evaluate(path: str, assertions: dict[str, Any], value: Any) -> Outcome:
    parsed = parse_path(path)
    return Compiler(parsed.slot, parsed.text).mapping(assertions, "require")(value)


def holds(path: str, assertions: dict[str, Any], value: Any) -> bool | None:
    outcome = evaluate(path, assertions, value)
    return None if outcome is None else outcome == []


def details(path: str, assertions: dict[str, Any], value: Any) -> list[str]:
    outcome = evaluate(path, assertions, value)
    assert outcome is not None
    return [failure.detail for failure in outcome]


def refused(path: str, assertions: Any) -> PolicyError:
    parsed = parse_path(path)
    with pytest.raises(PolicyError) as caught:
        Compiler(parsed.slot, parsed.text).mapping(assertions, "require")
    return caught.value


# -- present and type -------------------------------------------------------------------


def test_present_true_needs_a_written_non_null_value():
    assert holds("nickname", {"present": True}, "Desk") is True
    assert details("nickname", {"present": True}, MISSING) == ["it is missing"]
    assert details("nickname", {"present": True}, None) == ["it is null"]


def test_present_false_accepts_missing_and_null_and_refuses_a_value():
    assert holds("inbound_sms_agents", {"present": False}, MISSING) is True
    assert holds("inbound_sms_agents", {"present": False}, None) is True
    agents = [AgentEntry(agent_id="a", weight=1.0)]
    assert details("inbound_sms_agents", {"present": False}, agents) == [
        "it is set ([{agent_id: 'a', weight: 1}]); remove it"
    ]


def test_other_assertions_do_not_apply_to_a_missing_or_null_value():
    for value in (MISSING, None):
        assert holds("nickname", {"pattern": "^x"}, value) is None
        assert holds("nickname", {"equals": "x"}, value) is None
        assert holds("area_code", {"min": 200}, value) is None
        assert holds("allowed_outbound_country_list", {"min_items": 1}, value) is None


def test_type_tells_integers_strings_and_null_apart():
    version = "inbound_agents[*].agent_version"
    assert holds(version, {"type": "integer"}, 3) is True
    assert details(version, {"type": "integer"}, "prod") == ["'prod' is a string, not an integer"]
    assert holds(version, {"type": "string"}, "prod") is True
    assert holds("nickname", {"type": "null"}, None) is True
    assert holds("nickname", {"type": "string"}, MISSING) is None
    # Weights are numbers; 1 and 1.0 are both integers, as in JSON Schema.
    assert holds("inbound_agents[*].weight", {"type": "integer"}, 1.0) is True
    assert holds("inbound_agents[*].weight", {"type": "integer"}, 0.5) is False
    assert holds("inbound_agents[*].weight", {"type": "number"}, 0.5) is True


def test_type_that_can_never_hold_is_refused():
    assert "can never hold" in refused("nickname", {"type": "integer"}).message
    assert "must be one of" in refused("nickname", {"type": "text"}).message


# -- values -----------------------------------------------------------------------------


def test_equals():
    assert holds("phone_number_type", {"equals": "custom"}, "custom") is True
    assert details("phone_number_type", {"equals": "custom"}, "retell-twilio") == [
        "'retell-twilio' is not 'custom'"
    ]
    # true is not 1 (Python's == would say it is).
    assert holds("toll_free", {"equals": True}, True) is True
    assert holds("inbound_agents[*].weight", {"equals": 1}, 1.0) is True


def test_equals_refuses_operands_the_field_cannot_hold():
    assert "can never be a value of nickname" in refused("nickname", {"equals": 3}).message
    assert "write present: false" in refused("nickname", {"equals": None}).message
    assert "applies to strings" in refused("sip_outbound_trunk_config", {"equals": "x"}).message


def test_one_of_and_not_one_of():
    kinds = ["retell-twilio", "retell-telnyx"]
    assert holds("phone_number_type", {"one_of": kinds}, "retell-telnyx") is True
    assert details("phone_number_type", {"one_of": kinds}, "custom") == [
        "'custom' is not one of 'retell-twilio', 'retell-telnyx'"
    ]
    assert holds("phone_number_type", {"not_one_of": ["custom"]}, "retell-telnyx") is True
    assert details("phone_number_type", {"not_one_of": ["custom"]}, "custom") == [
        "'custom' is not allowed here"
    ]
    assert "non-empty list" in refused("phone_number_type", {"one_of": []}).message
    assert "non-empty list" in refused("phone_number_type", {"one_of": "custom"}).message


def test_pattern_and_not_pattern_search_the_value():
    url = "inbound_webhook_url"
    assert holds(url, {"pattern": r"^https://hooks\.acme\.com/"}, "https://hooks.acme.com/a")
    assert details(url, {"pattern": "^https://hooks"}, "http://x") == [
        "'http://x' does not match '^https://hooks'"
    ]
    assert holds(url, {"not_pattern": "staging"}, "https://hooks.acme.com/a") is True
    assert details(url, {"not_pattern": "staging"}, "https://staging.acme.com") == [
        "'https://staging.acme.com' matches 'staging'"
    ]
    # Integer versions are matched as their digits.
    assert holds("inbound_agents[*].agent_version", {"pattern": r"^\d+$"}, 12) is True


def test_pattern_does_not_match_huge_values():
    text = "a" * (MAX_MATCH_INPUT + 1)
    assert details("nickname", {"pattern": "a"}, text) == [
        f"the value is longer than {MAX_MATCH_INPUT} characters"
    ]


def test_pattern_refuses_bad_regexes_and_non_strings():
    assert "not a valid regular expression" in refused("nickname", {"pattern": "(["}).message
    assert "applies to strings" in refused("area_code", {"pattern": "^4"}).message
    assert "applies to strings" in refused("inbound_agents", {"pattern": "x"}).message


def test_pattern_with_nested_repetition_runs_in_linear_time():
    # A backtracking engine takes minutes on these; RE2 answers at once, so they are
    # accepted rather than refused by a heuristic.
    started = time.monotonic()
    assert holds("nickname", {"pattern": "(a|aa)*$"}, "a" * 101 + "!") is True
    assert holds("nickname", {"pattern": "^(a+)+$"}, "a" * 4000 + "!") is False
    assert holds("nickname", {"not_pattern": r"^(\w+\s?)*$"}, "word " * 800 + "!") is True
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("a{4294967295}", "the largest repetition count is 1000"),
        ("x{2,99999999999999999999}", "the largest repetition count is 1000"),
        ("(?=x)y", "look-ahead is not supported"),
        ("(?<!x)y", "look-behind is not supported"),
        (r"(a)\1", "back-references are not supported"),
        (r"abc\Z", "write \\z for the end of the text"),
        ("a++", "not a valid regular expression"),
        ("a" * 1001, "longer than 1000 characters"),
    ],
)
def test_pattern_outside_re2_is_a_config_error(pattern: str, reason: str):
    assert reason in refused("nickname", {"pattern": pattern}).message


def test_pattern_counts_inside_classes_and_escapes_are_not_repetitions():
    assert holds("nickname", {"pattern": r"^[{5000}]+$"}, "{50}") is True
    assert holds("nickname", {"pattern": r"^\{5000}$"}, "{5000}") is True
    assert holds("nickname", {"pattern": "^a{2,1000}$"}, "aaa") is True


def test_min_and_max():
    assert holds("area_code", {"min": 200, "max": 999}, 415) is True
    assert details("area_code", {"min": 200}, 99) == ["99 is less than 200"]
    assert details("inbound_agents[*].weight", {"max": 0.5}, 0.7) == ["0.7 is more than 0.5"]
    # A version tag is not a number: min does not apply to it.
    assert holds("inbound_agents[*].agent_version", {"min": 3}, "prod") is None
    assert "applies to numbers" in refused("nickname", {"min": 1}).message
    assert "must be a number" in refused("area_code", {"min": "1"}).message
    assert "finite" in refused("area_code", {"max": float("nan")}).message
    assert "finite" in refused("area_code", {"min": float("-inf")}).message


# -- lists ------------------------------------------------------------------------------


def test_min_items_and_max_items():
    countries = "allowed_outbound_country_list"
    assert holds(countries, {"min_items": 1, "max_items": 2}, ["US"]) is True
    assert details(countries, {"min_items": 2}, ["US"]) == ["1 item; at least 2 needed"]
    outcome = evaluate(countries, {"max_items": 1}, ["US", "CA", "MX"])
    assert outcome is not None
    assert [(f.detail, f.item) for f in outcome] == [("3 items; at most 1 allowed", 1)]
    assert "applies to lists" in refused("nickname", {"min_items": 1}).message
    assert "whole number" in refused(countries, {"max_items": -1}).message


def test_subset_of_reports_each_item_outside_the_set():
    outcome = evaluate("allowed_outbound_country_list", {"subset_of": ["US", "CA"]}, ["US", "FR"])
    assert outcome is not None
    assert [(f.detail, f.item) for f in outcome] == [("'FR' is not one of 'US', 'CA'", 1)]
    assert holds("allowed_outbound_country_list", {"subset_of": ["US"]}, []) is True
    assert "lists of strings" in refused("inbound_agents", {"subset_of": ["a"]}).message
    error = refused("allowed_outbound_country_list", {"subset_of": ["US", 1]})
    assert "can never be an item" in error.message
    assert error.key == "require.subset_of[1]"


def test_contains():
    countries = "allowed_inbound_country_list"
    assert holds(countries, {"contains": "US"}, ["CA", "US"]) is True
    assert details(countries, {"contains": "US"}, ["CA"]) == ["'US' is not in the list"]
    assert "can never be an item" in refused(countries, {"contains": 1}).message


def test_unique_reports_each_repeat_at_its_item():
    outcome = evaluate("allowed_inbound_country_list", {"unique": True}, ["US", "CA", "US"])
    assert outcome is not None
    assert [(f.detail, f.item) for f in outcome] == [("'US' repeats item 1 of the list", 2)]
    agents = [AgentEntry(agent_id="a", weight=0.5), AgentEntry(agent_id="a", weight=0.5)]
    assert holds("inbound_agents", {"unique": True}, agents) is False
    assert "must be true" in refused("inbound_agents", {"unique": False}).message
    assert "applies to lists" in refused("nickname", {"unique": True}).message


# -- composition ------------------------------------------------------------------------


def test_a_mapping_needs_every_assertion():
    rules = {"pattern": "^https://", "not_pattern": "staging"}
    assert holds("inbound_webhook_url", rules, "https://a.example") is True
    assert holds("inbound_webhook_url", rules, "https://staging.example") is False


def test_any_holds_when_one_alternative_holds():
    rule = {"any": [{"type": "integer"}, {"one_of": ["prod"]}]}
    version = "inbound_agents[*].agent_version"
    assert holds(version, rule, 4) is True
    assert holds(version, rule, "prod") is True
    assert details(version, rule, "dev") == [
        "none of the alternatives holds: 'dev' is a string, not an integer; "
        "'dev' is not one of 'prod'"
    ]


def test_all_and_not():
    rule = {"all": [{"pattern": "^Sales"}, {"not": {"pattern": "test"}}]}
    assert holds("nickname", rule, "Sales NY") is True
    assert details("nickname", rule, "Sales test") == [
        "'Sales test' must not satisfy {pattern: test}"
    ]
    assert holds("nickname", rule, "Support") is False
    assert holds("nickname", {"not": {"pattern": "x"}}, MISSING) is None


def test_composition_refuses_bad_shapes():
    assert "non-empty list" in refused("nickname", {"any": []}).message
    assert "non-empty list" in refused("nickname", {"all": {"pattern": "x"}}).message
    assert "must be a mapping" in refused("nickname", {"not": "x"}).message
    assert "must be a mapping" in refused("nickname", {}).message


def test_composition_nests_at_most_16_levels():
    deep: dict[str, Any] = {"pattern": "x"}
    for _ in range(16):
        deep = {"not": deep}
    assert holds("nickname", deep, "x") is True
    assert "nest more than 16 levels" in refused("nickname", {"not": deep}).message


def test_unknown_assertion_suggests_the_closest():
    error = refused("nickname", {"patern": "x"})
    assert "unknown assertion 'patern'; did you mean 'pattern'?" in error.message
    assert error.key == "require.patern"


def test_errors_name_the_key_of_the_operand():
    error = refused("nickname", {"any": [{"pattern": "x"}, {"one_of": ["a", 3]}]})
    assert error.key == "require.any[1].one_of[1]"
