"""RL301–RL309: weighted agent lists, agent versions and legacy agent fields."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from retell_lint.build import NumberDoc
from retell_lint.checks import RuleContext, number_check
from retell_lint.fields import AGENT_LISTS, AGENT_VERSION_PATTERN, LEGACY_AGENT_DIRECTIONS
from retell_lint.findings import Hit

VERSION_TAG = re.compile(AGENT_VERSION_PATTERN)
# Added to the tolerance so that a sum exactly at it (0.333333 x 3) passes despite the
# rounding of binary floating point.
ROUNDING_SLACK = 1e-12


def agent_lists(number: NumberDoc) -> Iterator[tuple[str, list[Any]]]:
    for name in AGENT_LISTS:
        value = getattr(number.config, name, None)
        if isinstance(value, list):
            yield name, value


def _format(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


@number_check("weights-sum")
def weights_sum(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    tolerance = float(ctx.params.get("tolerance", 1e-6))
    for name, entries in agent_lists(number):
        # An empty list means "no agent"; an unreadable weight was reported already.
        if not entries or name in number.unreadable_weights:
            continue
        weights = [entry.weight for entry in entries]
        if not all(isinstance(w, float) and math.isfinite(w) for w in weights):
            continue
        total = math.fsum(weights)
        if abs(total - 1.0) <= tolerance + ROUNDING_SLACK:
            continue
        gap = 1.0 - total
        advice = (
            f"raise one weight by {_format(gap)}" if gap > 0 else f"lower them by {_format(-gap)}"
        )
        if len(entries) == 1:
            advice = "a single agent takes weight 1"
        yield ctx.at_key(
            number,
            name,
            f"weights of {name} add up to {_format(total)}; they must add up to 1 — {advice}",
        )


@number_check("weight-range")
def weight_range(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    for name, entries in agent_lists(number):
        for index, entry in enumerate(entries):
            weight = entry.weight
            if isinstance(weight, float) and not (0 < weight <= 1):
                yield ctx.at_value(
                    number,
                    f"{name}[{index}].weight",
                    f"weight {_format(weight) if math.isfinite(weight) else weight} is out of "
                    "range: a weight must be more than 0 and at most 1",
                )


@number_check("duplicate-agent-entry")
def duplicate_agent_entry(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    for name, entries in agent_lists(number):
        seen: dict[tuple[str, str], int] = {}
        for index, entry in enumerate(entries):
            if not isinstance(entry.agent_id, str) or not entry.agent_id:
                continue
            version = entry.agent_version
            key = (entry.agent_id, repr(version))
            if key in seen:
                what = f"agent {entry.agent_id}" + (
                    f" version {version}" if version is not None else ""
                )
                yield ctx.at_value(
                    number,
                    f"{name}[{index}].agent_id",
                    f"{what} is already in {name} (entry {seen[key] + 1}); merge the two "
                    "entries and add up their weights",
                )
            else:
                seen[key] = index


@number_check("shadowed-agent-field")
def shadowed_agent_field(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    declared = number.declared
    for list_name, id_field, version_field in LEGACY_AGENT_DIRECTIONS:
        entries = getattr(number.config, list_name, None)
        if not entries:
            continue
        for legacy in (id_field, version_field):
            if legacy in declared:
                yield ctx.at_key(
                    number,
                    legacy,
                    f"{legacy} is ignored: {list_name} is set and the API uses the list; "
                    f"remove {legacy}",
                )


@number_check("version-without-agent")
def version_without_agent(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    declared = number.declared
    for _list_name, id_field, version_field in LEGACY_AGENT_DIRECTIONS:
        if version_field in declared and id_field not in declared:
            yield ctx.at_key(
                number,
                version_field,
                f"{version_field} is set without {id_field}: a version needs its agent",
            )


def _invalid_version(version: object) -> str | None:
    if isinstance(version, bool) or version is None:
        return None
    if isinstance(version, int):
        return None if version >= 0 else f"agent_version {version} is negative"
    if isinstance(version, str) and not VERSION_TAG.match(version):
        return f"agent_version '{version}' is {_version_problem(version)}"
    return None


def _version_problem(version: str) -> str:
    """Why a string agent_version is not a tag, in the terms of the spec's pattern."""
    if version.isascii() and version.isdigit():
        return f"a number written as a string; write {version} without quotes"
    if re.fullmatch(r"v[0-9]+", version):
        return f"not a tag: v and digits is reserved; write the version number {version[1:]}"
    if not version[:1].isalpha() or not version[:1].islower():
        what = "an upper-case letter" if version[:1].isupper() else repr(version[:1])
        return f"not a tag: a tag starts with a lower-case letter, not {what}" + (
            f"; write '{version.lower()}'" if version.lower() != version else ""
        )
    if len(version) > 20:
        return f"not a tag: a tag has at most 20 characters, not {len(version)}"
    return (
        "not a tag: after its first letter a tag has only lower-case letters, digits, _ and -"
        + (f"; write '{version.lower()}'" if VERSION_TAG.match(version.lower()) else "")
    )


@number_check("invalid-agent-version")
def invalid_agent_version(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    for name, entries in agent_lists(number):
        for index, entry in enumerate(entries):
            problem = _invalid_version(entry.agent_version)
            if problem:
                yield ctx.at_value(number, f"{name}[{index}].agent_version", problem)
    for _list_name, _id_field, version_field in LEGACY_AGENT_DIRECTIONS:
        problem = _invalid_version(getattr(number.config, version_field, None))
        if problem:
            yield ctx.at_value(number, version_field, problem)


@number_check("unpinned-agent-version")
def unpinned_agent_version(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    for name, entries in agent_lists(number):
        for index, entry in enumerate(entries):
            # An empty agent_id is RL309's.
            if "agent_version" in entry.fields_set or not (entry.agent_id or "").strip():
                continue
            yield ctx.at_value(
                number,
                f"{name}[{index}].agent_id",
                f"agent {entry.agent_id} has no agent_version: the number follows the latest "
                "version, so an agent edit goes live at once; pin a version or a tag",
            )


@number_check("no-inbound-agent")
def no_inbound_agent(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    # Only a number that manages its inbound agents (declares the list, or the legacy
    # inbound_agent_id it stands for) and is to exist: a field the file does not write is
    # left as the account has it. A list of the wrong type was reported (RL004).
    config = number.config
    if config.state == "absent" or config.inbound_agents or "inbound_agents" in number.invalid:
        return
    if "inbound_agents" in number.declared:
        path = "inbound_agents"
    elif "inbound_agent_id" in number.declared and not (config.inbound_agent_id or "").strip():
        path = "inbound_agent_id"
    else:
        return
    yield ctx.at_key(
        number,
        path,
        "no inbound agent: the number rejects inbound calls; add inbound_agents if it "
        "should answer",
    )


@number_check("empty-agent-id")
def empty_agent_id(number: NumberDoc, ctx: RuleContext) -> Iterator[Hit]:
    for name, entries in agent_lists(number):
        for index, entry in enumerate(entries):
            if isinstance(entry.agent_id, str) and not entry.agent_id.strip():
                yield ctx.at_value(
                    number, f"{name}[{index}].agent_id", "agent_id is empty; name an agent"
                )
