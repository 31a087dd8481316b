"""Inline suppressions: ``# retell-lint: ignore[RL301] reason`` and ``ignore-file[...]``.

At the end of a line a suppression covers that line; alone on a line it covers
the next line that is not a comment. ``ignore-file`` anywhere covers the file.
Rules are named by id (``RL301``) or by name (``weights-sum``).

Reported as RL010: suppressions that suppress nothing — unused ones, a bare
``# retell-lint: ignore`` without a rule list, and comments that start with
``retell-lint:`` but are not a suppression. Reported as RL011: unknown rule ids or
names (with the closest known ones). In a file with a syntax error (RL001) the
checks did not run, so no suppression there is reported as unused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from retell_lint.findings import Finding, Hit
from retell_lint.source import Source, Span

MARKER = "retell-lint:"
# A comment that starts with the marker is meant as a directive.
COMMENT = re.compile(r"#\s*retell-lint:(?P<body>.*)$")
# ``ignore[RL301, weights-sum] reason``; a bare ``ignore`` (no list) is reported.
DIRECTIVE = re.compile(r"^\s*(?P<kind>ignore-file|ignore)(?:\s*\[(?P<ids>[^\]]*)\].*|\s.*|)$")
KINDS = "ignore[RULE] or ignore-file[RULE]"


class Directive:
    """One suppression comment and which of its rules suppressed something.

    ``rules`` are the rules as written; ``ids`` what they name (None when unknown).
    ``problem`` is set for a comment that cannot suppress anything (bare or malformed).
    """

    __slots__ = (
        "column",
        "end_column",
        "file_wide",
        "ids",
        "line",
        "problem",
        "rules",
        "target",
        "used",
    )

    def __init__(
        self,
        line: int,
        column: int,
        end_column: int,
        file_wide: bool,
        target: int,
        rules: list[str],
        problem: str | None = None,
    ) -> None:
        self.line = line  # where the comment is
        self.column = column
        self.end_column = end_column
        self.file_wide = file_wide
        self.target = target  # the line covered (0 file-wide, -1 nothing)
        self.rules = rules
        self.ids: list[str | None] = list(rules)
        self.problem = problem
        self.used: set[str] = set()

    def __repr__(self) -> str:
        return f"Directive(line={self.line}, rules={self.rules}, target={self.target})"

    def resolve(self, names: Mapping[str, str]) -> None:
        """Turn the rules as written into ids (``names`` maps ids and names to ids)."""
        from retell_lint.catalogue import resolve

        self.ids = [resolve(rule, names) for rule in self.rules]


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


def _directive(number: int, text: str, start: int) -> Directive | None:
    """The directive in the comment at ``start``, or None when the comment is not one."""
    comment = COMMENT.search(text, start)
    if comment is None:
        return None
    body = comment.group("body")
    match = DIRECTIVE.match(body)
    column, end_column = comment.start() + 1, len(text.rstrip()) + 1
    if match is None:
        shown = body.strip()[:40]
        return Directive(
            number,
            column,
            end_column,
            False,
            -1,
            [],
            problem=f"'retell-lint: {shown}' is not a suppression; write {KINDS}",
        )
    kind = match.group("kind")
    file_wide = kind == "ignore-file"
    ids = match.group("ids")
    if ids is None:
        return Directive(
            number,
            column,
            end_column,
            file_wide,
            -1,
            [],
            problem=(
                f"a bare '{kind}' names no rule, so it suppresses nothing; "
                f"write {kind}[RULE] with the rule ids or names to silence"
            ),
        )
    rules = [token.strip() for token in ids.split(",") if token.strip()]
    return Directive(number, column, end_column, file_wide, 0 if file_wide else number, rules)


Extent = tuple[tuple[int, int], tuple[int, int]]


def _scalar_extents(text: str) -> list[Extent]:
    """Where each scalar starts and ends ((line, column), 0-based), from the YAML
    event stream; a file that does not parse gives what was read before the error."""
    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]

    extents: list[Extent] = []
    parser = CParser(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            if type(event).__name__ == "ScalarEvent":
                start, end = event.start_mark, event.end_mark
                extents.append(((start.line, start.column), (end.line, end.column)))
    except Exception:  # a broken file is reported by the reader
        pass
    finally:
        parser.dispose()
    return extents


def _inside(extents: list[Extent], at: tuple[int, int]) -> bool:
    return any(start <= at < end for start, end in extents)


def parse_directives(source: Source) -> list[Directive]:
    if MARKER not in source.text:
        return []
    directives: list[Directive] = []
    pending: list[Directive] = []
    scalars: list[tuple[tuple[int, int], tuple[int, int]]] | None = None
    for number, text in enumerate(source.lines, start=1):
        stripped = text.strip()
        start = _comment_start(text) if MARKER in text else None
        if start is not None:
            # Suppression-like text inside a block or quoted scalar is the value's text,
            # not a comment: it neither suppresses nor is reported.
            scalars = _scalar_extents(source.text) if scalars is None else scalars
            if _inside(scalars, (number - 1, start)):
                start = None
        directive = _directive(number, text, start) if start is not None else None
        comment_only = stripped.startswith("#")
        if stripped and not comment_only:
            # A line with content, with or without a suppression of its own, is the
            # line that stand-alone suppressions above it cover.
            for waiting in pending:
                waiting.target = number
            pending = []
        if directive is None:
            continue
        directives.append(directive)
        if directive.problem is None and not directive.file_wide and comment_only:
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
                if finding.rule in directive.ids and (
                    directive.file_wide or directive.target == finding.line
                ):
                    directive.used.add(finding.rule)
                    suppressed = True
        if not suppressed:
            kept.append(finding)
    return kept


def directive_hits(
    directives: list[Directive],
    names: Mapping[str, str],
    enabled: set[str],
    unsuppressible: set[str],
    *,
    report_unused: bool = True,
) -> list[Hit]:
    """RL010 for directives that suppress nothing; RL011 for unknown rules.

    ``names`` maps every accepted id and name to its id (the ids a directive was
    resolved with). ``report_unused`` is False in files the checks could not read.
    """
    from retell_lint.catalogue import did_you_mean

    hits: list[Hit] = []
    for directive in directives:
        span = Span(directive.line, directive.column, directive.line, directive.end_column)
        if directive.problem is not None:
            hits.append(Hit("RL010", directive.problem, span))
            continue
        kind = "ignore-file" if directive.file_wide else "ignore"
        if not directive.rules:
            hits.append(Hit("RL010", f"'{kind}[]' names no rule; remove it", span))
        for rule, rule_id in zip(directive.rules, directive.ids, strict=True):
            if rule_id is None:
                hint = did_you_mean(rule, names)
                hits.append(Hit("RL011", f"unknown rule '{rule}' in suppression; {hint}", span))
            elif rule_id in unsuppressible:
                hits.append(
                    Hit("RL010", f"{rule} cannot be suppressed; remove it from '{kind}[...]'", span)
                )
            elif report_unused and rule_id not in directive.used and rule_id in enabled:
                where = (
                    "in this file"
                    if directive.file_wide
                    else (
                        "on this line" if directive.target == directive.line else "on the next line"
                    )
                )
                hits.append(Hit("RL010", f"unused suppression: no {rule} finding {where}", span))
    return hits
