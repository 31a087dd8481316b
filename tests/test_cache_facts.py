"""Project rules read only the facts of a number the cache keeps.

A cached number carries only the fields of ``fact_fields``; a project rule that read
another would see None there, and a cached report would differ from an uncached one.
Each built-in project rule runs here on numbers whose every other field raises.
"""

from __future__ import annotations

from typing import Any

import pytest

from retell_lint import catalogue
from retell_lint.checks import RuleContext, load_all
from retell_lint.checks.project import PROJECT_FIELDS, fact_fields
from retell_lint.facts import decode_number, encode_number
from retell_lint.filestate import read_numbers
from retell_lint.model import PhoneNumber
from retell_lint.source import Source

FILES = {
    "a.yaml": 'phone_number: "+14157774444"\nnickname: Desk\nfallback_number: "+14157774445"\n',
    "b.yaml": 'phone_number: "+14157774445"\nnickname: desk\nfallback_number: "+14157774444"\n',
    "c.yaml": (
        'phone_number: "+10000000001"\nphone_number_type: custom\nfallback_number: "+10000000002"\n'
    ),
    "d.yaml": (
        'phone_number: "+10000000002"\nphone_number_type: custom\n'
        "ignore_e164_validation: false\nfallback_number: (415) 777-4444\n"
    ),
    "e.yaml": 'phone_number: "+14157774444"\nfallback_number: "+1 415 777 4446"\n',
}


class Guarded(PhoneNumber):
    """A config whose fields outside the cache's facts cannot be read."""

    __slots__ = ()

    def __getattribute__(self, name: str) -> Any:
        slots = PhoneNumber.__slots__
        if name in slots and name not in PROJECT_FIELDS:
            raise AssertionError(f"a project rule read {name}, which the cache does not keep")
        return super().__getattribute__(name)


def guarded_numbers() -> list[Any]:
    numbers = []
    for name, text in FILES.items():
        for number in read_numbers(Source(name, text)).numbers:
            cached = decode_number(encode_number(number, PROJECT_FIELDS), name)
            config = Guarded(set(cached.config.fields_set))
            for field in PROJECT_FIELDS:
                object.__setattr__(config, field, getattr(cached.config, field))
            cached.config = config
            numbers.append(cached)
    return numbers


PROJECT_RULES = [
    rule
    for rule in catalogue.load().values()
    if not rule.online
    and (impl := load_all(online=False).get(rule.check)) is not None
    and impl.scope == "project"
]


def test_there_are_project_rules_to_guard():
    assert {rule.id for rule in PROJECT_RULES} >= {"RL103", "RL601", "RL402"}


@pytest.mark.parametrize("rule", PROJECT_RULES, ids=lambda rule: rule.id)
def test_a_project_rule_reads_only_the_cached_facts(rule):
    impl = load_all(online=False)[rule.check]
    ctx = RuleContext(rule, dict(rule.params))
    list(impl.function(guarded_numbers(), ctx))  # raises on any other field


def test_the_guard_catches_a_rule_that_reads_another_field():
    (number, *_rest) = guarded_numbers()
    with pytest.raises(AssertionError, match="area_code"):
        _ = number.config.area_code


def test_policies_add_the_fields_they_select_or_test():
    from types import SimpleNamespace

    def path(field: str) -> Any:
        return SimpleNamespace(steps=(SimpleNamespace(field=field),))

    unique = SimpleNamespace(
        scope="project", where=((path("state"), None),), targets=((path("area_code"), None),)
    )
    per_number = SimpleNamespace(scope="number", where=(), targets=((path("toll_free"), None),))
    assert fact_fields([unique, per_number]) == PROJECT_FIELDS | {"state", "area_code"}
