"""RL006 and RL009: fields the API computes, and fields it removed."""

from __future__ import annotations

from collections.abc import Iterator

from retell_lint.build import NumberDoc
from retell_lint.checks import RuleContext, number_check
from retell_lint.fields import NUMBER_FIELDS
from retell_lint.findings import Hit


@number_check("read-only-field")
def read_only_field(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    for name in sorted(number.declared, key=lambda n: number.key_span(n).line):
        if NUMBER_FIELDS[name].kind == "computed":
            yield ctx.at_key(
                number, name, f"{name} is computed by the API and ignored here; remove it"
            )


@number_check("legacy-agent-field")
def legacy_agent_field(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    for name in sorted(number.declared, key=lambda n: number.key_span(n).line):
        spec = NUMBER_FIELDS[name]
        if spec.kind == "legacy":
            yield ctx.at_key(
                number,
                name,
                f"{name} was removed from the Retell API in 2026; write {spec.replacement} instead",
            )
