"""RL010's fix: remove the rules that suppress nothing from a suppression comment, or
the comment (its line, when it stands alone) when none is left."""

from __future__ import annotations

import bisect
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


def _inside_scalar(context: Context, offset: int) -> bool:
    """Whether ``offset`` lies inside a scalar (a value or key), from the YAML event
    stream: a '#' outside every scalar is a comment, one inside is text."""
    spans = context.memo.get("scalar spans")
    if spans is None:
        spans = _scalar_spans(context.tree.text)
        context.memo["scalar spans"] = spans
    index = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]


def _scalar_spans(text: str) -> list[tuple[int, int]]:
    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]

    spans: list[tuple[int, int]] = []
    parser = CParser(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            if type(event).__name__ == "ScalarEvent":
                spans.append((event.start_mark.index, event.end_mark.index))
    except Exception:  # a file that does not parse is never fixed; keep what was read
        pass
    finally:
        parser.dispose()
    return sorted(spans)


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
    if _inside_scalar(context, at):
        # Text of a block or quoted scalar that looks like a suppression is a value.
        return Skipped("the suppression-like text is part of a value, not a comment")
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
