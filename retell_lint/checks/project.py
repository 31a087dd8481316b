"""RL103 and RL601: numbers and nicknames declared twice across everything linted."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from retell_lint.build import NumberDoc
from retell_lint.checks import RuleContext, project_check
from retell_lint.findings import Hit
from retell_lint.phones import normalise


def _where(number: NumberDoc, path: str) -> str:
    return f"{number.file}:{number.value_span(path).line}"


@project_check("duplicate-phone-number")
def duplicate_phone_number(numbers: Sequence[NumberDoc], ctx: RuleContext) -> Iterator[Hit]:
    first: dict[str, NumberDoc] = {}
    for number in numbers:
        text = number.phone_number
        if not text:
            continue
        key = normalise(text)
        if key in first:
            yield ctx.at_value(
                number,
                "phone_number",
                f"{text} is declared again; first declared at {_where(first[key], 'phone_number')}",
            )
        else:
            first[key] = number


@project_check("duplicate-nickname")
def duplicate_nickname(numbers: Sequence[NumberDoc], ctx: RuleContext) -> Iterator[Hit]:
    first: dict[str, NumberDoc] = {}
    for number in numbers:
        nickname = number.config.nickname
        if not isinstance(nickname, str) or not nickname.strip():
            continue
        key = nickname.strip().casefold()
        if key in first:
            yield ctx.at_value(
                number,
                "nickname",
                f"nickname '{nickname}' is also used by {first[key].phone_number} "
                f"({_where(first[key], 'nickname')}); give each number its own",
            )
        else:
            first[key] = number


# The fields of a number the built-in project rules read (the cache keeps these; a
# test fails when a project rule reads another): duplicate numbers and nicknames,
# fallbacks (RL402, RL403 — which accepts a custom number's pseudo number, whose
# type and ignore_e164_validation say so).
PROJECT_FIELDS = frozenset(
    {
        "phone_number",
        "nickname",
        "fallback_number",
        "phone_number_type",
        "ignore_e164_validation",
    }
)


def fact_fields(policies: Sequence[Any] = ()) -> frozenset[str]:
    """The fields project-wide rules read: the built-in ones, and every field a
    project-scope policy selects or tests in ``where``."""
    fields = set(PROJECT_FIELDS)
    for policy in policies:
        if policy.scope != "project":
            continue
        for path, _evaluate in (*policy.where, *policy.targets):
            if path.steps and path.steps[0].field:
                fields.add(path.steps[0].field)
    return frozenset(fields)
