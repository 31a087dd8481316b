"""Findings of files linted together, from their facts (``engine.lint_sources`` made of
pieces: the per-file part comes from :mod:`retell_lint.server.facts`, so only the
project-wide checks and the suppressions run again when one file changes)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from retell_lint import catalogue
from retell_lint.assemble import bounded as _bounded
from retell_lint.assemble import directive_findings as _directive_findings
from retell_lint.assemble import to_findings as _to_findings
from retell_lint.filestate import FileState
from retell_lint.findings import Finding, Hit
from retell_lint.suppress import apply, parse_directives

if TYPE_CHECKING:
    from retell_lint.config import Config
    from retell_lint.engine import ActiveRule
    from retell_lint.server.facts import FileFacts


def project_hits(files: Sequence[FileFacts], rules: dict[str, ActiveRule]) -> dict[str, list[Hit]]:
    """The hits of the project-wide checks over every number of ``files``, by file."""
    from retell_lint.checks import RuleContext

    numbers = [number for facts in files for number in facts.numbers]
    by_file: dict[str, list[Hit]] = {}
    for active in rules.values():
        impl = active.impl
        if impl is None or impl.scope != "project":
            continue
        context = RuleContext(active.rule, dict(active.rule.params), None)
        for hit in impl.function(numbers, context):
            by_file.setdefault(hit.file, []).append(hit)
    return by_file


def file_findings(
    facts: FileFacts,
    extra: Iterable[Hit],
    rules: dict[str, ActiveRule],
    config: Config,
) -> list[Finding]:
    """One file's findings: its own hits and the project hits in it, suppressions
    applied, sorted as reports sort them."""
    state = FileState(facts.source)
    state.hits = [*facts.hits, *extra]
    state.numbers = facts.numbers
    findings = _to_findings(_bounded(state.hits), rules)
    directives = parse_directives(facts.source)
    if directives:
        names = catalogue.aliases()
        if config.policies:
            names = {**names, **config.policy_ids()}
        unsuppressible = {r.id for r in catalogue.load().values() if not r.suppressible}
        for directive in directives:
            directive.resolve(names)
        findings = apply(findings, directives, unsuppressible)
        findings.extend(_directive_findings(state, directives, rules, names, unsuppressible))
    findings.sort(key=Finding.sort_key)
    return findings
