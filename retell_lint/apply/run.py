"""Applying actions one at a time, the exact account of what happened, and the
verification read afterwards."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from retell_lint.build import NumberDoc
from retell_lint.config import DriftIgnore
from retell_lint.drift.plan import build_plan
from retell_lint.drift.snapshot import LiveState
from retell_lint.output import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS

from .actions import Action
from .secrets import resolved
from .writer import RetellWriter, WriteError

Status = Literal["applied", "failed", "not_attempted", "skipped"]
STATUSES: tuple[Status, ...] = ("applied", "failed", "not_attempted", "skipped")
PAST = {"update": "updated", "create": "created", "import": "imported", "delete": "deleted"}


@dataclass
class Outcome:
    action: Action
    status: Status
    detail: str | None = None


@dataclass
class ApplyResult:
    outcomes: list[Outcome]
    # Differences left after applying, in the fields apply wrote.
    mismatches: list[str] = field(default_factory=list)
    verified: bool = False
    # Differences apply cannot make (they stay pending).
    blocked: int = 0

    def by_status(self, status: Status) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    def exit_code(self) -> int:
        """2 a write failed or the account does not match afterwards; 1 changes still
        pending (skipped for want of a flag, or not makeable); 0 done."""
        if self.by_status("failed") or self.by_status("not_attempted") or self.mismatches:
            return EXIT_ERROR
        if self.by_status("skipped") or self.blocked:
            return EXIT_FINDINGS
        return EXIT_CLEAN


def _run_one(writer: RetellWriter, action: Action, values: Mapping[str, str]) -> None:
    body = resolved(action.body, values)
    number = action.phone_number
    if action.kind == "update":
        writer.update_phone_number(number, body)
    elif action.kind == "create":
        writer.create_phone_number(body)
    elif action.kind == "import":
        writer.import_phone_number(body)
    else:
        writer.delete_phone_number(number)
    if action.follow_up:
        try:
            writer.update_phone_number(number, resolved(action.follow_up, values))
        except WriteError as exc:
            raise WriteError(
                f"{PAST[action.kind]} the number, but the update of the fields "
                f"{action.kind} does not take failed: {exc}",
                status=exc.status,
                sent=exc.sent,
            ) from None


def execute(
    writer: RetellWriter,
    actions: Sequence[Action],
    skipped: Sequence[Action],
    values: Mapping[str, str],
    progress: Callable[[Outcome], None] = lambda outcome: None,
) -> list[Outcome]:
    """Run ``actions`` in order, one at a time; the first failure stops the run."""
    outcomes: list[Outcome] = []
    failed = False
    for action in actions:
        if failed:
            outcome = Outcome(action, "not_attempted")
        else:
            try:
                _run_one(writer, action, values)
                outcome = Outcome(action, "applied")
            except WriteError as exc:
                failed = True
                outcome = Outcome(action, "failed", str(exc))
            progress(outcome)
        outcomes.append(outcome)
    outcomes.extend(Outcome(a, "skipped", f"needs {a.gate}") for a in skipped)
    return outcomes


def verify(
    declared: Sequence[NumberDoc],
    live: LiveState,
    ignores: Sequence[DriftIgnore],
    applied: Sequence[Action],
) -> list[str]:
    """Differences that remain, after applying, in the fields the actions wrote."""
    drift = build_plan(declared, live, ignores)
    entries = {entry.phone_number: entry for entry in drift.entries}
    present = live.by_number()
    problems: list[str] = []
    for action in applied:
        number = action.phone_number
        if action.kind == "delete":
            if number in present:
                problems.append(f"{number}: still in the account after delete")
            continue
        entry = entries.get(number)
        if entry is None or number not in present:
            problems.append(f"{number}: not in the account after {action.kind}")
            continue
        written = {change.field for change in action.changes}
        for change in entry.changes:
            if change.field in written:
                problems.append(
                    f"{number}: {change.field} is {_show(change.live)} in the account after "
                    f"{action.kind}, declared {_show(change.declared)}"
                )
    return problems


def _show(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=True)
