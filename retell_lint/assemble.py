"""From a file's hits to its findings: bounded repeats, configured severities, and the
findings of its suppression comments."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from retell_lint.findings import Finding, Hit
from retell_lint.source import Span
from retell_lint.suppress import Directive, apply, directive_hits

if TYPE_CHECKING:
    from retell_lint.engine import ActiveRule
    from retell_lint.filestate import FileState

# Findings of one rule at one place of a file (a node reached through many aliases).
MAX_PER_SPOT = 20


def bounded(hits: list[Hit]) -> list[Hit]:
    """One hit per rule, place and message; at most MAX_PER_SPOT different messages of
    one rule at one place, then one that counts the rest.

    An aliased node is checked once per number that uses it: an anchor or merge key
    used twice is one place, reported once (by the first number that uses it).
    """
    counts: dict[tuple[str, Span], int] = {}
    seen: set[tuple[str, Span, str]] = set()
    kept: list[Hit] = []
    for hit in hits:
        same = (hit.rule, hit.span, hit.message)
        if same in seen:
            continue
        seen.add(same)
        spot = (hit.rule, hit.span)
        counts[spot] = counts.get(spot, 0) + 1
        if counts[spot] <= MAX_PER_SPOT:
            kept.append(hit)
    for hit in list(kept):
        extra = counts.get((hit.rule, hit.span), 0) - MAX_PER_SPOT
        if extra > 0:
            counts[(hit.rule, hit.span)] = 0
            kept.append(
                Hit(
                    hit.rule,
                    f"and {extra} more {hit.rule} findings here (the node is used through aliases)",
                    hit.span,
                    path=hit.path,
                    document=hit.document,
                    severity=hit.severity,
                    file=hit.file,
                )
            )
    return kept


def directive_findings(
    state: FileState,
    directives: list[Directive],
    rules: dict[str, ActiveRule],
    names: dict[str, str],
    unsuppressible: set[str],
) -> list[Finding]:
    # A syntax error stops the checks: suppressions below it cannot have been used.
    readable = not any(hit.rule == "RL001" for hit in state.hits)
    hits = directive_hits(directives, names, set(rules), unsuppressible, report_unused=readable)
    for hit in hits:
        hit.file = state.source.name
    # Suppressions may silence RL010/RL011 too (ignore-file[RL010]).
    return apply(to_findings(hits, rules), directives, unsuppressible)


def to_findings(hits: Iterable[Hit], rules: dict[str, ActiveRule]) -> list[Finding]:
    findings: list[Finding] = []
    for hit in hits:
        active = rules.get(hit.rule)
        if active is None:
            continue
        severity = active.severity if active.forced or hit.severity is None else hit.severity
        span = hit.span
        findings.append(
            Finding(
                rule=hit.rule,
                name=active.rule.name,
                severity=severity,
                message=hit.message,
                file=hit.file,
                line=span.line,
                column=span.column,
                end_line=span.end_line,
                end_column=span.end_column,
                path=hit.path,
                phone_number=hit.phone_number,
                document=hit.document,
                url=active.rule.url if active.rule.policy else "",
            )
        )
    return findings
