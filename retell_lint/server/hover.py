"""Hover: a finding's rule explained (what ``retell-lint explain`` says), and a field's
API description from the field table (:mod:`retell_lint.fields`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from retell_lint.findings import rule_url

if TYPE_CHECKING:
    from retell_lint.catalogue import Rule
    from retell_lint.fields import FieldSpec

# A block mapping key at the start of a line, after any list dashes.
KEY_LINE = re.compile(
    r"^(?P<lead>[ \t]*(?:-[ \t]+)*)(?P<q>[\"']?)(?P<key>[A-Za-z_][\w-]*)(?P=q)[ \t]*:"
)
MAX_LOOKBACK = 2000


def rule_markdown(rule: Rule, message: str) -> str:
    """The explanation of a finding's rule, in Markdown."""
    parts = [f"**{rule.id} {rule.name}**: {message}", "", rule.summary]
    if rule.rationale:
        parts += ["", rule.rationale]
    if rule.fix:
        parts += ["", f"**Fix:** {rule.fix}"]
    url = rule.url if rule.policy else rule_url(rule.id, rule.name)
    if url:
        parts += ["", f"[{rule.id} documentation]({url})"]
    return "\n".join(parts)


def key_at(lines: Sequence[str], line: int, character: int) -> tuple[str, list[str]] | None:
    """The key under the cursor (0-based line and character) and its parent keys,
    innermost first, from the block structure's indentation."""
    if not 0 <= line < len(lines):
        return None
    match = KEY_LINE.match(lines[line])
    if match is None or not match.start("key") <= character <= match.end("key"):
        return None
    parents: list[str] = []
    column = match.start("key")
    for index in range(line - 1, max(-1, line - MAX_LOOKBACK), -1):
        above = KEY_LINE.match(lines[index])
        if above is None:
            continue
        if above.start("key") < column:
            parents.append(above.group("key"))
            column = above.start("key")
            if column == 0:
                break
    return match.group("key"), parents


def field_spec(key: str, parents: Sequence[str]) -> FieldSpec | None:
    from retell_lint.fields import AGENT_FIELDS, AGENT_LISTS, NUMBER_FIELDS, SIP_FIELDS

    parent = parents[0] if parents else None
    if parent in AGENT_LISTS:
        return AGENT_FIELDS.get(key)
    if parent == "sip_outbound_trunk_config":
        return SIP_FIELDS.get(key)
    if parent in (None, "phone_numbers"):
        return NUMBER_FIELDS.get(key)
    return None


def field_markdown(spec: FieldSpec) -> str:
    parts = [f"**{spec.name}** ({spec.kind.replace('_', ' ')}): {spec.description}"]
    if spec.replacement:
        parts.append(f"Write `{spec.replacement}` instead.")
    if spec.choices:
        parts.append("One of: " + ", ".join(f"`{choice}`" for choice in spec.choices) + ".")
    if spec.requests:
        parts.append("Sent in: " + ", ".join(spec.requests) + " requests.")
    return "\n\n".join(parts)
