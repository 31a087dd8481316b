"""Linting: files → nodes → numbers → checks → findings, with config and suppressions."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from retell_lint import catalogue
from retell_lint.build import Builder, NumberDoc
from retell_lint.checks import READER_CHECKS, CheckImpl, RuleContext, load_all
from retell_lint.config import TOP_KEYS, Config, effective_severity
from retell_lint.discover import STDIN, find_files
from retell_lint.errors import FatalError
from retell_lint.findings import SEVERITY_RANK, Finding, Hit, Severity, ToolError
from retell_lint.output import display_name
from retell_lint.source import MAX_FILE_BYTES, DecodeProblem, Source, Span, decode
from retell_lint.suppress import Directive, apply, directive_hits, parse_directives
from retell_lint.yamlread import MAP_TAG, SEQ_TAG, parse, tag_of

# Alias expansion budget: nodes visited per character of input, plus a floor.
NODES_PER_CHAR = 4
NODE_FLOOR = 100_000
CONFIG_KEYS = frozenset(TOP_KEYS)
# Findings of one rule at one place of a file (a node reached through many aliases).
MAX_PER_SPOT = 20


class FileState:
    """One file while it is linted: its source, reader hits and numbers."""

    __slots__ = ("hits", "numbers", "source")

    def __init__(self, source: Source) -> None:
        self.source = source
        self.hits: list[Hit] = []
        self.numbers: list[NumberDoc] = []


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


def read_source(name: str, stdin_name: str | None = None) -> Source | bytes:
    """Read a file's bytes; stdin when ``name`` is '-'. Returns bytes to decode."""
    if name == STDIN:
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise FatalError(
                f"stdin is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; not a config file",
                location=stdin_name or STDIN,
            )
        return data
    try:
        with open(name, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        raise FatalError("is a folder, not a file", location=name) from None
    except OSError as exc:
        raise FatalError(f"cannot read: {exc.strerror or exc}", location=name) from None
    if len(data) > MAX_FILE_BYTES:
        raise FatalError(
            f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; not a config file", location=name
        )
    return data


def load_sources(
    names: Iterable[str], stdin_name: str | None
) -> tuple[list[Source], list[Hit], list[ToolError]]:
    """Read and decode files; undecodable ones become RL001 hits, unreadable ones errors."""
    sources: list[Source] = []
    hits: list[Hit] = []
    errors: list[ToolError] = []
    for name in names:
        display = (stdin_name or "-") if name == STDIN else display_name(name)
        try:
            data = read_source(name, display)
        except FatalError as exc:
            errors.append(ToolError(exc.message, display))
            continue
        assert isinstance(data, bytes)
        try:
            text = decode(data)
        except DecodeProblem as problem:
            sources.append(Source(display, "", undecodable=True))
            span = Span(problem.line, problem.column, problem.line, problem.column + 1)
            hits.append(Hit("RL001", problem.message, span, file=display))
            continue
        source = Source(display, text)
        source.bom = data.startswith(b"\xef\xbb\xbf")
        sources.append(source)
    return sources, hits, errors


def read_numbers(source: Source) -> FileState:
    """Parse one file and build its numbers (reader findings in ``hits``)."""
    state = FileState(source)
    if source.undecodable:
        return state
    if not source.text.strip():
        state.hits.append(
            Hit("RL008", "empty file: no phone number here", Span(1, 1, 1, 1), file=source.name)
        )
        return state
    parsed = parse(source.text)
    if own_file(parsed):
        return state
    builder = Builder(
        source.name, state.hits, budget=NODE_FLOOR + NODES_PER_CHAR * len(source.text)
    )
    for index, document in enumerate(parsed.documents):
        state.numbers.extend(builder.build_document(document, index))
    if parsed.problem is not None:
        problem = parsed.problem
        span = Span(problem.line, problem.column, problem.line, problem.column + 1)
        state.hits.append(
            Hit("RL001", problem.message, span, file=source.name, document=len(parsed.documents))
        )
    elif not parsed.documents:
        state.hits.append(
            Hit(
                "RL008",
                "no YAML document: no phone number here",
                Span(1, 1, 1, 1),
                file=source.name,
            )
        )
    return state


def own_file(parsed: Any) -> bool:
    """Whether a parsed file is retell-lint's own: a configuration (only configuration
    keys) or a policy file (a list of policies), found in a linted folder. Neither can
    be a phone-number config, so neither is reported as one."""
    documents = parsed.documents
    if len(documents) != 1 or parsed.problem is not None:
        return False
    root = documents[0]
    kind = tag_of(root)
    if kind == MAP_TAG:
        # A phone number's first key (phone_number, nickname...) settles it at once.
        for key, _value in root.value:
            name = key.value
            if not isinstance(name, str) or name not in CONFIG_KEYS:
                return False
        return bool(root.value)
    if kind != SEQ_TAG or not root.value:
        return False
    for item in root.value:
        if tag_of(item) != MAP_TAG:
            return False
        if not {"id", "require"} <= {str(key.value) for key, _value in item.value}:
            return False
    return True


def lint(
    paths: tuple[str, ...],
    config: Config,
    *,
    stdin_name: str | None = None,
    account: Any = None,
    force_exclude: bool = False,
) -> LintResult:
    """Lint the given paths (or the configured tree) and return every finding."""
    found = find_files(paths, config, force_exclude=force_exclude)
    names = found.names
    sources, decode_hits, errors = load_sources(names, stdin_name)
    result = lint_sources(sources, config, account=account, extra_hits=decode_hits)
    result.errors.extend(found.errors)
    result.errors.extend(errors)
    result.files = len(names)
    result.excluded = found.excluded
    return result


def lint_sources(
    sources: Sequence[Source],
    config: Config,
    *,
    account: Any = None,
    extra_hits: Sequence[Hit] = (),
) -> LintResult:
    rules = active_rules(config, online=account is not None)
    states = [read_numbers(source) for source in sources]
    by_file = {state.source.name: state for state in states}
    for hit in extra_hits:
        by_file[hit.file].hits.append(hit)
    numbers = [number for state in states for number in state.numbers]
    contexts = {
        rule_id: RuleContext(active.rule, dict(active.rule.params), account)
        for rule_id, active in rules.items()
    }
    number_checks = [
        (a, contexts[i]) for i, a in rules.items() if a.impl and a.impl.scope == "number"
    ]
    for state in states:
        for number in state.numbers:
            for active, ctx in number_checks:
                assert active.impl is not None
                state.hits.extend(active.impl.function(number, ctx))
    for rule_id, active in rules.items():
        if active.impl is not None and active.impl.scope == "project":
            for hit in active.impl.function(numbers, contexts[rule_id]):
                by_file[hit.file].hits.append(hit)
    findings: list[Finding] = []
    names = catalogue.aliases()
    if config.policies:  # suppressions name policies by id or name too
        names = {**names, **config.policy_ids()}
    unsuppressible = {r.id for r in catalogue.load().values() if not r.suppressible}
    for state in states:
        file_findings = _to_findings(_bounded(state.hits), rules)
        directives = parse_directives(state.source)
        if directives:
            for directive in directives:
                directive.resolve(names)
            file_findings = apply(file_findings, directives, unsuppressible)
            file_findings.extend(
                _directive_findings(state, directives, rules, names, unsuppressible)
            )
        findings.extend(file_findings)
    findings.sort(key=Finding.sort_key)
    return LintResult(
        findings=findings,
        errors=[],
        files=len(sources),
        numbers=numbers,
        fail_level=config.fail_level,
        sources={source.name: source for source in sources},
        policy_rules=[policy.rule for policy in config.policies],
    )


def _bounded(hits: list[Hit]) -> list[Hit]:
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


def _directive_findings(
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
    return apply(_to_findings(hits, rules), directives, unsuppressible)


def _to_findings(hits: Iterable[Hit], rules: dict[str, ActiveRule]) -> list[Finding]:
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
