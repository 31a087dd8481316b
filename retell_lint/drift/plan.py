"""The drift plan: a status per number, the counts, what was ignored, and whether the
live account was read completely. Renderers only read it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from retell_lint.build import NumberDoc
from retell_lint.config import DriftIgnore
from retell_lint.drift.diff import Change, diff_number
from retell_lint.drift.normalise import FIELD_NAMES, LEGACY_AGENTS, LEGACY_COUNTRIES
from retell_lint.drift.snapshot import LiveState, Source
from retell_lint.errors import FatalError
from retell_lint.online import phone_key
from retell_lint.output import EXIT_CLEAN, EXIT_ERROR
from retell_lint.output import EXIT_FINDINGS as EXIT_DRIFT

Status = Literal["in_sync", "changed", "missing", "unmanaged", "ignored", "unknown"]
STATUSES: tuple[Status, ...] = ("in_sync", "changed", "missing", "unmanaged", "ignored", "unknown")

# Names an ignore rule may use for a field besides the compared ones.
_FIELD_ALIASES = {ident: lst for lst, (ident, _v) in LEGACY_AGENTS.items()} | {
    old: new for new, old in LEGACY_COUNTRIES.items()
}


@dataclass(frozen=True)
class IgnoredField:
    field: str
    reason: str


@dataclass
class Entry:
    """One number's outcome."""

    phone_number: str
    status: Status
    file: str | None = None
    line: int | None = None
    changes: list[Change] = field(default_factory=list)
    # Why the whole number is ignored.
    reason: str | None = None
    # Differences dropped by field-level ignore rules.
    ignored_fields: list[IgnoredField] = field(default_factory=list)


@dataclass
class Plan:
    entries: list[Entry]
    complete: bool
    source: Source
    origin: str
    unused_ignores: list[DriftIgnore] = field(default_factory=list)
    # Only the numbers declared in the named paths were compared (like terraform
    # -target): the rest of the account is not reported, not even as unmanaged.
    partial: bool = False

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
        for entry in self.entries:
            counts[entry.status] += 1
        return counts

    @property
    def ignored_fields(self) -> int:
        return sum(len(entry.ignored_fields) for entry in self.entries)

    def exit_code(self, fail_on_unmanaged: bool = False) -> int:
        """0 complete and in sync; 1 drift; 2 the account was not read completely."""
        if not self.complete:
            return EXIT_ERROR
        counts = self.counts()
        if counts["changed"] or counts["missing"]:
            return EXIT_DRIFT
        if fail_on_unmanaged and counts["unmanaged"]:
            return EXIT_DRIFT
        return EXIT_CLEAN


@dataclass(frozen=True)
class _Rules:
    numbers: dict[str, DriftIgnore]
    fields: dict[str, list[DriftIgnore]]


def _field_rule_name(name: str, where: str | None) -> str:
    name = name.strip()
    canonical = _FIELD_ALIASES.get(name, name)
    if canonical not in FIELD_NAMES:
        known = ", ".join(sorted(FIELD_NAMES))
        raise FatalError(
            f"invalid configuration: drift.ignore field '{name}' is not a compared field "
            f"(known: {known})",
            location=where,
        )
    return canonical


def _index_rules(ignores: Sequence[DriftIgnore], where: str | None) -> _Rules:
    numbers: dict[str, DriftIgnore] = {}
    fields: dict[str, list[DriftIgnore]] = {}
    for rule in ignores:
        key = phone_key(rule.phone_number)
        if rule.field is None:
            numbers.setdefault(key, rule)
        else:
            canonical = _field_rule_name(rule.field, where)
            fields.setdefault(key, []).append(
                DriftIgnore(rule.phone_number, canonical, rule.reason)
            )
    return _Rules(numbers, fields)


def _field_matches(rule_field: str, change_field: str) -> bool:
    return change_field == rule_field or change_field.startswith(rule_field + ".")


ABSENT_NOTE = "declared absent: released only by apply --allow-delete"


def absent_change(doc: NumberDoc) -> Change:
    """The one difference of a live number declared ``state: absent``."""
    return Change("state", "absent", "present", doc.value_span("state").line, ABSENT_NOTE)


def _where(doc: NumberDoc) -> str:
    return f"{doc.file}:{doc.value_span('phone_number').line}"


def build_plan(
    declared: Sequence[NumberDoc],
    live: LiveState,
    ignores: Sequence[DriftIgnore] = (),
    *,
    config_location: str | None = None,
    partial: bool = False,
) -> Plan:
    """Compare declared numbers with the live state and classify every number
    (``partial``: only the declared ones)."""
    rules = _index_rules(ignores, config_location)
    live_by_key = live.by_number()
    docs: dict[str, NumberDoc] = {}
    for doc in declared:
        text = doc.phone_number
        if text is None:
            continue
        key = phone_key(text)
        if key in docs:
            raise FatalError(
                f"{key} is declared twice ({_where(docs[key])} and {_where(doc)}); "
                "declare each number once"
            )
        docs[key] = doc

    entries: list[Entry] = []
    for key, doc in docs.items():
        entry = Entry(key, "in_sync", doc.file, doc.value_span("phone_number").line)
        live_obj = live_by_key.get(key)
        if key in rules.numbers:
            entry.status, entry.reason = "ignored", rules.numbers[key].reason
        elif doc.config.state == "absent":
            # Declared absent: in sync when the account does not have it.
            if live_obj is not None:
                entry.status = "changed"
                entry.changes = [absent_change(doc)]
            elif not live.complete:
                entry.status = "unknown"
        elif live_obj is None:
            entry.status = "missing" if live.complete else "unknown"
        else:
            changes = diff_number(doc, live_obj)
            kept: list[Change] = []
            for change in changes:
                rule = next(
                    (
                        r
                        for r in rules.fields.get(key, ())
                        if r.field is not None and _field_matches(r.field, change.field)
                    ),
                    None,
                )
                if rule is None:
                    kept.append(change)
                else:
                    entry.ignored_fields.append(IgnoredField(change.field, rule.reason))
            entry.changes = kept
            if kept:
                entry.status = "changed"
            elif not live.complete:
                entry.status = "unknown"
        entries.append(entry)
    for key in live_by_key:
        if key in docs or partial:
            continue
        if key in rules.numbers:
            entries.append(Entry(key, "ignored", reason=rules.numbers[key].reason))
        else:
            entries.append(Entry(key, "unmanaged"))
    entries.sort(key=lambda e: e.phone_number)

    seen = set(docs) | set(live_by_key)
    unused = [rule for rule in ignores if phone_key(rule.phone_number) not in seen]
    return Plan(entries, live.complete, live.source, live.origin, unused, partial)
