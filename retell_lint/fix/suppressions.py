"""RL010's fix: remove the rules that suppress nothing from a suppression comment, or
the comment (its line, when it stands alone) when none is left."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retell_lint.fix.context import Context
from retell_lint.fix.edits import Edit, Fix, Skipped

if TYPE_CHECKING:
    from retell_lint.findings import Finding

Result = Fix | Skipped | None
DIRECTIVE = re.compile(
    r"#\s*retell-lint:\s*(?:ignore-file|ignore)\s*\[(?P<ids>[^\]]*)\]", re.IGNORECASE
)
UNUSED = (
    re.compile(r"^unused suppression: no (?P<rule>\S+) finding"),
    re.compile(r"^(?P<rule>\S+) cannot be suppressed; remove it"),
)
EMPTY_DIRECTIVE = re.compile(r"^'(?:ignore|ignore-file)\[\]' names no rule")


def _unused_rule(message: str) -> str | None:
    for pattern in UNUSED:
        match = pattern.match(message)
        if match is not None:
            return match.group("rule")
    return None


def unused_suppression(context: Context, finding: Finding) -> Result:
    """RL010: remove the rules that suppress nothing from the comment, or the whole
    comment when none is left. Every RL010 finding of one comment gets the same fix."""
    whole = bool(EMPTY_DIRECTIVE.match(finding.message))
    if not whole and _unused_rule(finding.message) is None:
        return None
    tree = context.tree
    lines = tree.lines
    at = lines.offset(finding.line, finding.column)
    end_of_line = lines.content_end(at)
    comment = tree.text[at:end_of_line]
    match = DIRECTIVE.match(comment)
    if match is None:
        return Skipped("the suppression comment was not found where it was reported")
    if "RL010" not in context.memo:
        groups: dict[tuple[int, int], list[Finding]] = {}
        for other in context.findings:
            if other.rule == "RL010":
                groups.setdefault((other.line, other.column), []).append(other)
        context.memo["RL010"] = groups
    unused: set[str] = set()
    for other in context.memo["RL010"][(finding.line, finding.column)]:
        if EMPTY_DIRECTIVE.match(other.message):
            whole = True
        rule = _unused_rule(other.message)
        if rule is not None:
            unused.add(rule)
    tokens = [token.strip() for token in match.group("ids").split(",")]
    remaining = [token for token in tokens if token and token not in unused]
    if whole or not remaining:
        line_start = lines.line_start(at)
        if not tree.text[line_start:at].strip():
            next_start = lines.next_line_start(at)
            return Fix("remove the unused suppression", [Edit(line_start, next_start, "")])
        before = tree.text[line_start:at]
        start = line_start + len(before.rstrip())
        return Fix("remove the unused suppression", [Edit(start, end_of_line, "")])
    ids_start = at + match.start("ids")
    ids_end = at + match.end("ids")
    removed = ", ".join(sorted(unused))
    return Fix(
        f"remove {removed} from the suppression", [Edit(ids_start, ids_end, ", ".join(remaining))]
    )
