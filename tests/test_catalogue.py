"""The rule catalogue against the checks: bindings, and every entry's own examples."""

from __future__ import annotations

import pytest
from lint_helpers import lint_text

from retell_lint import catalogue
from retell_lint.checks import READER_CHECKS, known_check_names, load_all
from retell_lint.errors import FatalError

RULES = catalogue.load()
OFFLINE = [rule for rule in RULES.values() if not rule.online]


def test_catalogue_has_the_rules_the_checks_implement() -> None:
    expected = {
        *(f"RL{n:03d}" for n in range(1, 14)),
        *(f"RL{n}" for n in range(101, 108)),
        *(f"RL{n}" for n in range(201, 205)),
        *(f"RL{n}" for n in range(301, 310)),
        *(f"RL{n}" for n in range(401, 404)),
        *(f"RL{n}" for n in range(501, 509)),
        "RL601",
    }
    assert expected <= set(RULES)
    assert {rule.id for rule in OFFLINE} == expected


@pytest.mark.parametrize("rule", RULES.values(), ids=lambda rule: rule.id)
def test_every_entry_binds_a_known_check(rule: catalogue.Rule) -> None:
    assert rule.check in known_check_names()


def test_every_registered_check_is_bound_by_some_entry() -> None:
    bound = {rule.check for rule in RULES.values()}
    assert set(load_all()) - bound == set()
    assert set(READER_CHECKS) - bound == set()


def test_no_two_entries_bind_the_same_check() -> None:
    checks = [rule.check for rule in RULES.values()]
    assert len(checks) == len(set(checks))


@pytest.mark.parametrize("rule", OFFLINE, ids=lambda rule: rule.id)
def test_bad_example_raises_exactly_its_rule(rule: catalogue.Rule) -> None:
    findings = lint_text(rule.bad, "example.yaml", rules_on=[rule.id])
    assert {f.rule for f in findings} == {rule.id}
    # Reported at the rule's default severity (RL007 and RL104 warn only in special cases).
    assert {f.severity for f in findings} == {rule.severity}


@pytest.mark.parametrize("rule", OFFLINE, ids=lambda rule: rule.id)
def test_good_example_raises_nothing(rule: catalogue.Rule) -> None:
    assert lint_text(rule.good, "example.yaml", rules_on=[rule.id]) == []


# -- automatic fixes ----------------------------------------------------------------------

# Bad examples that show a mistake no fix can correct: an invalid number, an unknown
# transport.
NOT_FIXABLE_EXAMPLES = {"RL403", "RL505"}


def test_fixable_rules_are_exactly_those_with_a_fixer() -> None:
    from retell_lint.fix.registry import FIXERS

    assert catalogue.fixable_rules() == frozenset(FIXERS)
    for rule in catalogue.load().values():
        assert bool(rule.fix_applicability) == bool(rule.fix_description), rule.id


@pytest.mark.parametrize(
    "rule",
    [r for r in catalogue.load().values() if r.fix_applicability],
    ids=lambda rule: rule.id,
)
def test_fixing_the_bad_example_gives_the_good_one(rule: catalogue.Rule) -> None:
    from fix_helpers import fix

    result = fix(rule.bad, unsafe=True, dedent=False)
    assert result.error is None
    if rule.id in NOT_FIXABLE_EXAMPLES:
        assert result.text == rule.bad
    else:
        assert result.text == rule.good


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("maybe", "fix_applicability must list safe and/or unsafe"),
        ([], "fix_applicability must list safe and/or unsafe"),
        (["safe", "safe"], "fix_applicability must list safe and/or unsafe"),
        (["safe"], "fix_applicability needs a fix_description"),
    ],
)
def test_fix_applicability_is_validated(value: object, problem: str) -> None:
    entry = {
        "id": "RL999",
        "name": "x",
        "severity": "error",
        "check": "x",
        "summary": "s",
        "rationale": "r",
        "fix": "f",
        "examples": {"bad": "", "good": ""},
        "fix_applicability": value,
    }
    with pytest.raises(FatalError, match=problem):
        catalogue.parse_entry(entry, "RL999.yaml")
