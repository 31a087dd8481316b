"""Fixes that rewrite one value where it is written, keeping its quoting style.

RL007 and RL013 quote a plain value with its own text; RL101 and RL403 write a
number in E.164 form; RL201 upper-cases a country code (unsafe: replaces a known
alias); RL505 upper-cases the SIP transport; RL301 gives a single agent weight 1
(unsafe: scales several weights so they add up to 1).
"""

from __future__ import annotations

import math
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from retell_lint.fields import COUNTRY_LISTS, LEGACY_COUNTRY_LISTS, SIP_TRANSPORTS
from retell_lint.fix.context import Context, field_name, in_list
from retell_lint.fix.edits import Edit, Fix, Skipped
from retell_lint.fix.locate import is_mapping, is_sequence, json_escape, plain_value
from retell_lint.phones import facts, in_region

if TYPE_CHECKING:
    from ruamel.yaml.nodes import Node

    from retell_lint.findings import Finding

Result = Fix | Skipped | None
PHONE_FIELDS = ("phone_number", "fallback_number")
ALL_COUNTRY_LISTS = (*COUNTRY_LISTS, *LEGACY_COUNTRY_LISTS)
# Codes people write for a country whose ISO 3166-1 alpha-2 code differs.
COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}
WEIGHT_PLACES = Decimal("0.000001")


def _target(context: Context, finding: Finding) -> Node | Skipped:
    steps = context.follow(finding)
    if isinstance(steps, Skipped):
        return steps
    if not steps:
        return Skipped("the finding names no value")
    return steps[-1].node


def quote(context: Context, finding: Finding) -> Result:
    """RL007, RL013: quote a plain value with the text as written (``+`` kept)."""
    node = _target(context, finding)
    if isinstance(node, Skipped):
        return node
    tree = context.tree
    raw = tree.raw(node)
    if isinstance(node.value, list) or not raw or raw[0] in "'\"&!*|>":
        return Skipped("the value is not a plain scalar")
    if "\n" in raw or "\r" in raw:
        return Skipped("the value is written over several lines")
    if finding.rule == "RL007":
        name = field_name(finding)
        if in_list(finding) and name in ALL_COUNTRY_LISTS:
            return Skipped(f"quoted, '{raw}' would still not be a country code; write the code")
        if name in PHONE_FIELDS and not in_list(finding):
            found = facts(raw)
            if not (found.canonical and found.valid):
                return Skipped(
                    f"quoted, '{raw}' would still not be a valid E.164 number; write it in full"
                )
    return Fix(f'quote {raw}: "{raw}"', [Edit(tree.start(node), tree.end(node), _quoted(raw))])


def _quoted(raw: str) -> str:
    return f'"{json_escape(raw)}"'


def _own_region(context: Context, finding: Finding) -> str | None:
    """The region of the number a finding belongs to (its phone_number's country)."""
    number = finding.phone_number
    if not number:
        return None
    found = facts(number)
    return found.region if found.valid else None


def e164(context: Context, finding: Finding) -> Result:
    """RL101, RL403: write the number in E.164 form when libphonenumber reads it
    unambiguously: with its country code, or (a fallback) in the number's own region."""
    node = _target(context, finding)
    if isinstance(node, Skipped):
        return node
    text = plain_value(node)
    if text is None:
        return None
    found = facts(text)
    target = None
    if found.e164 and found.valid and not found.assumed_us:
        target = found.e164
    elif field_name(finding) == "fallback_number":
        region = _own_region(context, finding)
        local = in_region(text, region) if region else None
        if local is not None and facts(local).valid:
            target = local
    if target is None:
        if found.canonical:
            return Skipped("the number is not valid; write the right one")
        return Skipped("libphonenumber cannot tell which number this is; write it in E.164 form")
    if target == text:
        return None
    edit = context.tree.replace_scalar(node, target)
    if isinstance(edit, Skipped):
        return edit
    return Fix(f"write {target}", [edit])


def _alpha2() -> frozenset[str]:
    from retell_lint.checks.countries import alpha2_codes

    return alpha2_codes()


@lru_cache(maxsize=4096)
def country_target(code: str) -> tuple[str, str] | None:
    """(code to write, applicability) for a country code that is not one."""
    upper = code.strip().upper()
    codes = _alpha2()
    if upper in codes:
        return upper, "safe"
    if upper in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[upper], "unsafe"
    if len(upper) == 3 and upper.isalpha():
        import pycountry

        country = pycountry.countries.get(alpha_3=upper)
        if country is not None and country.alpha_2 in codes:
            return str(country.alpha_2), "unsafe"
    return None


def country(context: Context, finding: Finding) -> Result:
    """RL201: upper-case a code that is valid upper-cased (safe); replace a known alias
    such as UK or an alpha-3 code such as USA (unsafe: it guesses what was meant). An
    entry whose code is already in the list is removed instead of repeated."""
    steps = context.follow(finding)
    if isinstance(steps, Skipped):
        return steps
    if not steps or steps[-1].key is not None:
        return None
    sequence, index, node = steps[-1].container, steps[-1].position, steps[-1].node
    code = plain_value(node)
    if code is None:
        return None
    found = country_target(code)
    if found is None:
        return Skipped(f"it is not clear which country '{code}' means")
    target, applicability = found
    first, last = _country_places(context, sequence)
    tree = context.tree
    if first.get(target, index) < index or last.get(target, -1) > index:
        edit = tree.remove_item(sequence, index)
        description = f"remove '{code}': {target} is already in the list"
    else:
        edit = tree.replace_scalar(node, target)
        description = f"write {target} for '{code}'"
    if isinstance(edit, Skipped):
        return edit
    return Fix(description, [edit], "unsafe" if applicability == "unsafe" else "safe")


def _country_places(context: Context, sequence: Node) -> tuple[dict[str, int], dict[str, int]]:
    """For a country list: where each code is first meant (an entry that is a code, or
    that a fix turns into it) and where each code is last written as it is."""
    key = ("countries", id(sequence))
    if key not in context.memo:
        codes = _alpha2()
        first: dict[str, int] = {}
        last: dict[str, int] = {}
        for position, item in enumerate(sequence.value):
            value = plain_value(item)
            if value is None:
                continue
            last[value] = position
            meant = (value, "safe") if value in codes else country_target(value)
            if meant is not None:
                first.setdefault(meant[0], position)
        context.memo[key] = (first, last)
    found: tuple[dict[str, int], dict[str, int]] = context.memo[key]
    return found


def transport(context: Context, finding: Finding) -> Result:
    """RL505: upper-case tls, tcp or udp."""
    node = _target(context, finding)
    if isinstance(node, Skipped):
        return node
    text = plain_value(node)
    if text is None or text.strip().upper() not in SIP_TRANSPORTS:
        return None
    target = text.strip().upper()
    edit = context.tree.replace_scalar(node, target)
    if isinstance(edit, Skipped):
        return edit
    return Fix(f"write {target}", [edit])


def _weight_nodes(context: Context, entries: Node) -> list[Node] | Skipped:
    nodes: list[Node] = []
    for entry in entries.value:
        if not is_mapping(entry) or context.tree.decorated(entry):
            return Skipped("an entry is not a plain mapping")
        weight = next(
            (
                value
                for key, value in entry.value
                if not isinstance(key.value, list) and str(key.value) == "weight"
            ),
            None,
        )
        if weight is None:
            return Skipped("an entry's weight comes from a merge key (<<) or is missing")
        raw = context.tree.raw(weight)
        if isinstance(weight.value, list) or not raw or raw[0] in "'\"&!*|>" or "\n" in raw:
            return Skipped("a weight is not written as a plain number")
        nodes.append(weight)
    return nodes


def weights(context: Context, finding: Finding) -> Result:
    """RL301: a single agent gets weight 1 (safe); several weights are scaled so they
    add up to 1 (unsafe: it changes how calls are shared)."""
    node = _target(context, finding)
    if isinstance(node, Skipped):
        return node
    if not is_sequence(node) or not node.value:
        return None
    nodes = _weight_nodes(context, node)
    if isinstance(nodes, Skipped):
        return nodes
    if len(nodes) == 1:
        return Fix("set the single agent's weight to 1", [_number_edit(context, nodes[0], "1")])
    values: list[Decimal] = []
    for weight in nodes:
        try:
            number = float(str(weight.value).replace("_", ""))
        except ValueError:
            return Skipped("a weight is not a number")
        if not math.isfinite(number) or number <= 0:
            return Skipped("a weight is not more than 0; correct it first")
        values.append(Decimal(repr(number)))
    total = sum(values, Decimal(0))
    scaled = [(value / total).quantize(WEIGHT_PLACES) for value in values]
    scaled[-1] = Decimal(1) - sum(scaled[:-1], Decimal(0))
    if any(value <= 0 or value > 1 for value in scaled):
        return Skipped("the weights cannot be scaled to add up to 1 with 6 decimals")
    texts = [_decimal_text(value) for value in scaled]
    edits = [_number_edit(context, weight, text) for weight, text in zip(nodes, texts, strict=True)]
    return Fix(f"scale the weights to {', '.join(texts)} (sum 1)", edits, "unsafe")


def _number_edit(context: Context, node: Node, text: str) -> Edit:
    return Edit(context.tree.start(node), context.tree.end(node), text)


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f")
