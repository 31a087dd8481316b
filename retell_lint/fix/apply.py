"""Applying fixes: passes until nothing changes, and a check that nothing new appeared
(writing the result: :mod:`retell_lint.fix.write`).

Each pass takes the applicable fixes of the file's findings in order of position;
a fix whose edits overlap an edit already taken (or that shares an isolation key
with a fix taken) waits for the next pass, and a fix whose edits equal one already
taken counts as applied. After each pass the file is linted again. When no pass
changes anything (or after :data:`MAX_PASSES`), the findings of the fixed text are
compared with those of the original: a finding that was not there before means a
fix is wrong, and the file is left as it was. One exception: a check that waits for
another problem of the same field to be solved (RL203 while a country code is not
one, RL101 while the number is read as an integer) may report once the fix has solved
it; that finding is new but true, so it is reported, not treated as a bug (a finding
of the reader, such as a syntax error or a duplicate key, always is a bug).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from retell_lint.fields import FLAT_SIP_PARAMETERS, LEGACY_AGENT_DIRECTIONS, LEGACY_COUNTRY_LISTS
from retell_lint.findings import Finding, ToolError
from retell_lint.fix.edits import Edit, Fix, Taken, apply_edits
from retell_lint.fix.registry import file_fixes
from retell_lint.source import Source

if TYPE_CHECKING:
    from retell_lint.config import Config
    from retell_lint.engine import LintResult

MAX_PASSES = 8
NUMBER_PREFIX = re.compile(r"^(phone_numbers\[\d+\])(?:\.|$)")
# Where a value that a fix moves is checked after the move (the coarse keys below).
MOVED_TO: dict[str, str] = {
    **{flat: "sip_outbound_trunk_config" for flat in FLAT_SIP_PARAMETERS},
    **LEGACY_COUNTRY_LISTS,
    **{id_field: name for name, id_field, _version in LEGACY_AGENT_DIRECTIONS},
    **{version: name for name, _id, version in LEGACY_AGENT_DIRECTIONS},
}


# Findings of the reader: a fix that brings one in broke the file's structure or types.
READER_RULES = frozenset(("RL001", "RL002", "RL003", "RL004", "RL005", "RL007", "RL008", "RL013"))


class FileFix:
    """What fixing one file did."""

    __slots__ = ("also", "error", "fixed", "name", "original", "text")

    def __init__(self, name: str, original: str) -> None:
        self.name = name
        self.original = original
        self.text = original
        # Findings of the original text that were fixed (what "fixable" counted) ...
        self.fixed = 0
        # ... and, by rule, findings a fix brought out and a later pass fixed too.
        self.also: Counter[str] = Counter()
        self.error: str | None = None

    @property
    def changed(self) -> bool:
        return self.error is None and self.text != self.original


def applicable(fix: object, unsafe: bool) -> bool:
    return isinstance(fix, Fix) and (fix.applicability == "safe" or unsafe)


def coarse_key(finding: Finding) -> tuple[str, int, str, str]:
    """A finding's key for telling new findings from old ones across edits: its rule,
    document, number and top-level field (list indexes and lines shift when entries are
    removed; a moved value is checked where it moves to)."""
    path = finding.path
    number = ""
    match = NUMBER_PREFIX.match(path)
    if match is not None:
        number = match.group(1)
        path = path[match.end() :]
    field = re.split(r"[.\[]", path, maxsplit=1)[0] if path else ""
    return (finding.rule, finding.document, number, MOVED_TO.get(field, field))


def one_pass(
    text: str, findings: Sequence[Finding], unsafe: bool
) -> tuple[list[Edit], int, list[Finding]]:
    """The edits of one pass, how many findings they fix, and which findings."""
    fixes = file_fixes(text, findings)
    candidates = [
        (fix, finding)
        for finding, fix in zip(findings, fixes, strict=True)
        if isinstance(fix, Fix) and applicable(fix, unsafe) and fix.edits
    ]
    candidates.sort(key=lambda item: (item[0].start, item[1].line, item[1].column))
    taken = Taken()
    taken_sets: set[tuple[Edit, ...]] = set()
    isolations: set[str] = set()
    removed: Counter[str] = Counter()
    fixed: list[Finding] = []
    for fix, finding in candidates:
        if fix.edits in taken_sets:
            fixed.append(finding)
            continue
        if fix.isolation is not None and fix.isolation in isolations:
            continue
        if any(taken.clashes(edit) for edit in fix.edits):
            continue
        removals = Counter(edit.removes for edit in fix.edits if edit.removes)
        if any(removed[key] + n >= int(key.split("/")[1]) for key, n in removals.items()):
            continue  # it would empty a mapping or a list: the next pass says why
        removed.update(removals)
        for edit in fix.edits:
            taken.add(edit)
        taken_sets.add(fix.edits)
        if fix.isolation is not None:
            isolations.add(fix.isolation)
        fixed.append(finding)
    return taken.edits, len(fixed), fixed


def lint_text(name: str, text: str, config: Config) -> list[Finding]:
    from retell_lint.engine import lint_sources

    return lint_sources([Source(name, text)], config).findings


def fix_text(
    name: str, text: str, findings: Sequence[Finding], config: Config, unsafe: bool
) -> FileFix:
    """Fix one file's text in passes; ``findings`` are the original text's."""
    outcome = FileFix(name, text)
    if any(finding.rule == "RL001" for finding in findings):
        return outcome
    current = list(findings)
    rules: set[str] = set()
    touched: set[tuple[int, str, str]] = set()
    unfixed = Counter(coarse_key(finding) for finding in findings)
    for _pass in range(MAX_PASSES):
        edits, _count, fixed = one_pass(outcome.text, current, unsafe)
        if not edits:
            break
        outcome.text = apply_edits(outcome.text, edits)
        for finding in fixed:
            key = coarse_key(finding)
            if unfixed[key] > 0:
                unfixed[key] -= 1
                outcome.fixed += 1
            else:
                outcome.also[finding.rule] += 1
        rules.update(finding.rule for finding in fixed)
        touched.update(coarse_key(finding)[1:] for finding in fixed)
        current = lint_text(name, outcome.text, config)
    if outcome.text == text:
        return outcome
    before = Counter(coarse_key(finding) for finding in findings)
    after = Counter(coarse_key(finding) for finding in current)
    new = {
        key
        for key in after - before
        if key[0] in READER_RULES or (key[1], key[2], key[3]) not in touched
    }
    if new:
        introduced = next(f for f in current if coarse_key(f) in new)
        where = f" at {introduced.path}" if introduced.path else ""
        outcome.error = (
            f"fixing ({', '.join(sorted(rules))}) introduced {introduced.rule}{where}: "
            f"{introduced.message}; this is a bug of the fix, the file was left unchanged"
        )
        outcome.text = text
        outcome.fixed = 0
        outcome.also.clear()
    return outcome


class FixRun:
    """What ``check --fix`` or ``--diff`` did to a run's files."""

    def __init__(self) -> None:
        self.files: list[FileFix] = []
        self.errors: list[ToolError] = []

    @property
    def changed(self) -> list[FileFix]:
        return [item for item in self.files if item.changed]

    @property
    def fixed(self) -> int:
        return sum(item.fixed for item in self.changed)

    @property
    def also(self) -> Counter[str]:
        """By rule, findings the fixes brought out and fixed as well (not in ``fixed``)."""
        total: Counter[str] = Counter()
        for item in self.changed:
            total.update(item.also)
        return total


def fix_result(result: LintResult, config: Config, *, unsafe: bool) -> FixRun:
    """Work out the fixed text of every file of ``result`` (nothing is written)."""
    from retell_lint.fix.registry import FIXERS, findings_by_source

    run = FixRun()
    for name, source, findings in findings_by_source(result):
        if not any(finding.rule in FIXERS for finding in findings):
            continue
        outcome = fix_text(name, source.text, findings, config, unsafe)
        run.files.append(outcome)
        if outcome.error is not None:
            run.errors.append(ToolError(outcome.error, name))
    return run


def relint(result: LintResult, run: FixRun, config: Config, account: Any) -> LintResult:
    """The run's findings after fixing: every file linted again together."""
    from retell_lint.engine import lint_sources

    texts = {item.name: item.text for item in run.changed}
    if not texts:
        return result
    sources: list[Source] = []
    kept: list[Finding] = []
    for name, source in result.sources.items():
        if source.undecodable:
            sources.append(source)
            kept.extend(f for f in result.findings if f.file == name)
            continue
        fresh = Source(name, texts.get(name, source.text))
        fresh.bom = source.bom
        sources.append(fresh)
    fixed = lint_sources([s for s in sources if not s.undecodable], config, account=account)
    fixed.findings = sorted([*fixed.findings, *kept], key=Finding.sort_key)
    fixed.sources = {source.name: source for source in sources}
    fixed.errors = list(result.errors)
    fixed.files = result.files
    return fixed
