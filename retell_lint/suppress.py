"""Inline suppressions: ``# retell-lint: ignore[RL301] reason`` and ``ignore-file[...]``.

At the end of a line a suppression covers that line; alone on a line it covers
the next line that is not a comment. ``ignore-file`` anywhere covers the file.
Unused suppressions raise RL010, unknown rule ids RL011.
"""

from __future__ import annotations

import re

from retell_lint.findings import Finding, Hit
from retell_lint.source import Source, Span

MARKER = "retell-lint:"
DIRECTIVE = re.compile(
    r"#\s*retell-lint:\s*(?P<kind>ignore-file|ignore)\s*\[(?P<ids>[^\]]*)\](?P<reason>.*)$"
)
RULE_TOKEN = re.compile(r"^[A-Za-z]+\d+$")


class Directive:
    """One suppression comment and which of its rules suppressed something."""

    __slots__ = ("column", "end_column", "file_wide", "line", "rules", "target", "used")

    def __init__(
        self,
        line: int,
        column: int,
        end_column: int,
        file_wide: bool,
        target: int,
        rules: list[str],
    ) -> None:
        self.line = line  # where the comment is
        self.column = column
        self.end_column = end_column
        self.file_wide = file_wide
        self.target = target  # the line covered (0 file-wide, -1 nothing)
        self.rules = rules
        self.used: set[str] = set()

    def __repr__(self) -> str:
        return f"Directive(line={self.line}, rules={self.rules}, target={self.target})"


def _comment_start(line: str) -> int | None:
    """Index of the '#' starting a retell-lint comment, outside quotes; None if none."""
    quote: str | None = None
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            if MARKER in line[index:]:
                return index
            return None
    return None


def parse_directives(source: Source) -> list[Directive]:
    if MARKER not in source.text:
        return []
    directives: list[Directive] = []
    pending: list[Directive] = []
    lines = source.lines
    for number, text in enumerate(lines, start=1):
        stripped = text.strip()
        start = _comment_start(text) if MARKER in text else None
        match = DIRECTIVE.search(text, start) if start is not None else None
        comment_only = stripped.startswith("#")
        if match is None:
            if stripped and not comment_only:
                for directive in pending:
                    directive.target = number
                pending = []
            continue
        rules = [token.strip() for token in match.group("ids").split(",") if token.strip()]
        directive = Directive(
            line=number,
            column=match.start() + 1,
            end_column=len(text.rstrip()) + 1,
            file_wide=match.group("kind") == "ignore-file",
            target=0 if match.group("kind") == "ignore-file" else number,
            rules=rules,
        )
        directives.append(directive)
        if not directive.file_wide and comment_only:
            pending.append(directive)
    for directive in pending:  # a trailing stand-alone comment covers nothing
        directive.target = -1
    return directives


def apply(
    findings: list[Finding],
    directives: list[Directive],
    unsuppressible: set[str],
) -> list[Finding]:
    """Drop suppressed findings and record which directive rules were used."""
    if not directives:
        return findings
    kept: list[Finding] = []
    for finding in findings:
        suppressed = False
        if finding.rule not in unsuppressible:
            for directive in directives:
                if finding.rule in directive.rules and (
                    directive.file_wide or directive.target == finding.line
                ):
                    directive.used.add(finding.rule)
                    suppressed = True
        if not suppressed:
            kept.append(finding)
    return kept


def directive_hits(
    directives: list[Directive],
    known: set[str],
    enabled: set[str],
    unsuppressible: set[str],
) -> list[Hit]:
    """RL010 for rules a directive names but never suppressed; RL011 for unknown ids."""
    hits: list[Hit] = []
    for directive in directives:
        span = Span(directive.line, directive.column, directive.line, directive.end_column)
        kind = "ignore-file" if directive.file_wide else "ignore"
        if not directive.rules:
            hits.append(Hit("RL010", f"'{kind}[]' names no rule; remove it", span))
        for rule in directive.rules:
            if rule not in known:
                why = "" if RULE_TOKEN.match(rule) else " (write rule ids such as RL301)"
                hits.append(Hit("RL011", f"unknown rule '{rule}' in suppression{why}", span))
            elif rule in unsuppressible:
                hits.append(
                    Hit("RL010", f"{rule} cannot be suppressed; remove it from '{kind}[...]'", span)
                )
            elif rule not in directive.used and rule in enabled:
                where = (
                    "in this file"
                    if directive.file_wide
                    else (
                        "on this line" if directive.target == directive.line else "on the next line"
                    )
                )
                hits.append(Hit("RL010", f"unused suppression: no {rule} finding {where}", span))
    return hits
