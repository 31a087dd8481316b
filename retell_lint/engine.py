"""Linting: files → nodes → numbers → checks → findings, with config and suppressions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from retell_lint import catalogue
from retell_lint.assemble import bounded, directive_findings, to_findings
from retell_lint.build import NumberDoc
from retell_lint.checks import READER_CHECKS, CheckImpl, RuleContext, load_all
from retell_lint.config import Config, effective_severity
from retell_lint.discover import STDIN, find_files
from retell_lint.errors import FatalError
from retell_lint.filestate import FileState, read_numbers
from retell_lint.findings import SEVERITY_RANK, Finding, Hit, Severity, ToolError
from retell_lint.loading import load_sources
from retell_lint.output import display_name
from retell_lint.redact import redact_hits
from retell_lint.source import Source
from retell_lint.suppress import apply, parse_directives

if TYPE_CHECKING:
    from retell_lint.options import CheckOptions


class LintResult:
    """What a lint run found: findings, tool errors, and what was read."""

    def __init__(
        self,
        findings: list[Finding],
        errors: list[ToolError],
        files: int,
        numbers: list[NumberDoc],
        fail_level: Severity = "error",
        sources: dict[str, Source] | None = None,
        policy_rules: list[catalogue.Rule] | None = None,
    ) -> None:
        self.findings = findings
        self.errors = errors
        self.files = files
        self.numbers = numbers
        # How many numbers the files declare: len(numbers), unless a cached run
        # reused its project findings and left the numbers undecoded (then numbers
        # holds those that were decoded).
        self.number_count = len(numbers)
        # The findings of project rules (before suppressions), kept by the cache.
        self.project_hits: list[Hit] = []
        self.fail_level: Severity = fail_level
        self.sources: dict[str, Source] = {} if sources is None else sources
        # What a baseline did to this run (``baseline.apply_baseline``), None without one.
        self.baseline: dict[str, Any] | None = None
        # The team policies of the run, as rules (for SARIF rule descriptors).
        self.policy_rules: list[catalogue.Rule] = [] if policy_rules is None else policy_rules
        # Fix counts (``fix.command.summarise``), None when fixes were not looked at.
        self.fix_summary: dict[str, Any] | None = None
        # Files named on the command line and left out by --force-exclude.
        self.excluded = 0
        # Numbers of the tree's other files that project rules saw (not reported on).
        self.context: list[NumberDoc] = []
        # The environment the run was narrowed to (check --env), None for all.
        self.environment: str | None = None

    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    @property
    def files_with_findings(self) -> int:
        return len({finding.file for finding in self.findings})

    @property
    def failed(self) -> bool:
        threshold = SEVERITY_RANK[self.fail_level]
        return any(SEVERITY_RANK[f.severity] >= threshold for f in self.findings)


class ActiveRule(NamedTuple):
    rule: catalogue.Rule
    severity: Severity
    # Severity set explicitly in the config: it wins over a finding's own.
    forced: bool
    impl: CheckImpl | None


def active_rules(config: Config, *, online: bool = False) -> dict[str, ActiveRule]:
    registry = load_all(online=online)
    active: dict[str, ActiveRule] = {}
    for rule in catalogue.load().values():
        if rule.online and not online:
            continue
        severity = effective_severity(config, rule.id, rule.severity, rule.enabled)
        if severity is None:
            continue
        impl = registry.get(rule.check)
        if impl is None and rule.check not in READER_CHECKS:
            raise FatalError(f"rule {rule.id} is bound to unknown check '{rule.check}'")
        forced = config.rules.get(rule.id) not in (None, "on")
        active[rule.id] = ActiveRule(rule, severity, forced, impl)
    for policy in config.policies:
        severity = effective_severity(config, policy.id, policy.severity, policy.enabled)
        if severity is not None:
            forced = config.rules.get(policy.id) not in (None, "on")
            active[policy.id] = ActiveRule(policy.rule, severity, forced, policy.impl)
    return active


def lint(
    paths: tuple[str, ...],
    config: Config,
    *,
    stdin_name: str | None = None,
    account: Any = None,
    force_exclude: bool = False,
    options: CheckOptions | None = None,
) -> LintResult:
    """Lint the given paths (or the configured tree) and return every finding.

    With ``options`` (a ``check`` run), the result cache and worker processes are
    used as they say, and project-wide rules also see the rest of the configured
    tree when the files named belong to it (:mod:`retell_lint.lintrun`).
    """
    if options is not None:
        from retell_lint.lintrun import lint_run

        return lint_run(paths, config, options, account)
    found = find_files(paths, config, force_exclude=force_exclude)
    names = found.names
    if stdin_name is not None and STDIN in names:
        check_stdin_name(stdin_name, names)
    if config.environments:
        from retell_lint.environments import check_owned

        check_owned(names, config)
    sources, decode_hits, errors = load_sources(names, stdin_name)
    result = lint_sources(sources, config, account=account, extra_hits=decode_hits)
    result.errors.extend(found.errors)
    result.errors.extend(errors)
    result.files = len(names)
    result.excluded = found.excluded
    return result


def check_stdin_name(stdin_name: str, names: list[str]) -> None:
    """stdin is its own input whatever name it borrows: a file of that name linted in
    the same run would share its findings and fixes (its text given back as stdin's)."""
    import os

    wanted = os.path.normpath(stdin_name)
    if any(name != STDIN and os.path.normpath(name) == wanted for name in names):
        raise FatalError(
            f"--stdin-filename {display_name(stdin_name)} names a file this run also lints; "
            "lint stdin and that file in separate runs"
        )


class Checks(NamedTuple):
    """The active rules of a run, bound to their checks."""

    rules: dict[str, ActiveRule]
    contexts: dict[str, RuleContext]
    number_checks: list[tuple[ActiveRule, RuleContext]]


def prepare(config: Config, account: Any = None) -> Checks:
    rules = active_rules(config, online=account is not None)
    contexts = {
        rule_id: RuleContext(active.rule, dict(active.rule.params), account)
        for rule_id, active in rules.items()
    }
    number_checks = [
        (a, contexts[i]) for i, a in rules.items() if a.impl and a.impl.scope == "number"
    ]
    return Checks(rules, contexts, number_checks)


def lint_file(source: Source, checks: Checks) -> FileState:
    """One file read, built and checked number by number (before project rules)."""
    state = read_numbers(source)
    for number in state.numbers:
        for active, ctx in checks.number_checks:
            assert active.impl is not None
            state.hits.extend(active.impl.function(number, ctx))
    if state.hits and not source.undecodable:
        redact_hits(state.hits, source.text)
    return state


def lint_sources(
    sources: Sequence[Source],
    config: Config,
    *,
    account: Any = None,
    extra_hits: Sequence[Hit] = (),
    context: Sequence[NumberDoc] = (),
) -> LintResult:
    """Lint texts already read (``context``: numbers of other files, for project rules)."""
    checks = prepare(config, account)
    states = [lint_file(source, checks) for source in sources]
    return finish(states, checks, config, extra_hits=extra_hits, context=context)


def finish(
    states: Sequence[FileState],
    checks: Checks,
    config: Config,
    *,
    extra_hits: Sequence[Hit] = (),
    context: Sequence[NumberDoc] = (),
    project_hits: Sequence[Hit] | None = None,
) -> LintResult:
    """Project rules over every number (``context``: numbers of files not reported on,
    seen first), then suppressions: the findings of ``states``.

    ``project_hits``: what the project rules found in a run over the same inputs (the
    cache's); they are not run again."""
    rules, contexts = checks.rules, checks.contexts
    by_file = {state.source.name: state for state in states}
    for hit in extra_hits:
        by_file[hit.file].hits.append(hit)
    numbers = [number for state in states for number in state.numbers]
    if project_hits is None:
        project_hits = []
        everything = [*context, *numbers] if context else numbers
        # Project rules see one account at a time (one group without environments):
        # the same number in staging's and prod's files is no duplicate.
        accounts = None
        if config.environments:
            from retell_lint.ownership import Accounts

            accounts = Accounts(everything, config)
        groups = accounts.groups if accounts is not None else [everything]
        for rule_id, active in rules.items():
            if active.impl is not None and active.impl.scope == "project":
                for index, group in enumerate(groups):
                    for hit in active.impl.function(group, contexts[rule_id]):
                        if hit.file not in by_file:
                            continue
                        if accounts is not None:
                            accounts.name_environments(hit, index)
                        project_hits.append(hit)
        of_file: dict[str, list[Hit]] = {}
        for hit in project_hits:
            of_file.setdefault(hit.file, []).append(hit)
        for name, hits in of_file.items():
            redact_hits(hits, by_file[name].source.text)
    for hit in project_hits:
        by_file[hit.file].hits.append(hit)
    findings: list[Finding] = []
    names = catalogue.aliases()
    if config.policies:  # suppressions name policies by id or name too
        names = {**names, **config.policy_ids()}
    unsuppressible = {r.id for r in catalogue.load().values() if not r.suppressible}
    for state in states:
        file_findings = to_findings(bounded(state.hits), rules)
        directives = parse_directives(state.source)
        if directives:
            for directive in directives:
                directive.resolve(names)
            file_findings = apply(file_findings, directives, unsuppressible)
            file_findings.extend(
                directive_findings(state, directives, rules, names, unsuppressible)
            )
        findings.extend(file_findings)
    findings.sort(key=Finding.sort_key)
    result = LintResult(
        findings=findings,
        errors=[],
        files=len(states),
        numbers=numbers,
        fail_level=config.fail_level,
        sources={state.source.name: state.source for state in states},
        policy_rules=[policy.rule for policy in config.policies],
    )
    result.context = list(context)
    result.project_hits = list(project_hits)
    return result
