"""Applying one action (a create never repeated), the exact account of what
happened, and the verification read afterwards; apply/scheduler.py runs them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from retell_lint.build import NumberDoc
from retell_lint.config import DriftIgnore
from retell_lint.drift.plan import build_plan
from retell_lint.drift.snapshot import LiveState
from retell_lint.output import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS

from .actions import Action
from .outcome import Outcome, Status
from .secrets import resolved
from .writer import RetellWriter, WriteError

if TYPE_CHECKING:
    from .scheduler import Controls

PAST = {"update": "updated", "create": "created", "import": "imported", "delete": "deleted"}


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
        """2 a write failed or may have been applied, or the account does not match
        afterwards; 1 changes still pending (skipped for want of a flag, or not
        makeable); 0 done."""
        unfinished: tuple[Status, ...] = ("failed", "uncertain", "not_attempted")
        if any(self.by_status(s) for s in unfinished) or self.mismatches:
            return EXIT_ERROR
        if self.by_status("skipped") or self.blocked:
            return EXIT_FINDINGS
        return EXIT_CLEAN


def _send(writer: RetellWriter, action: Action, body: Mapping[str, Any]) -> Any:
    number = action.phone_number
    if action.kind == "update":
        return writer.update_phone_number(number, body).data
    if action.kind == "create":
        return writer.create_phone_number(body).data
    if action.kind == "import":
        return writer.import_phone_number(body).data
    writer.delete_phone_number(number)
    return None


def _confirm(
    writer: RetellWriter, action: Action, error: WriteError
) -> Outcome | dict[str, Any] | None:
    """After a create/import/delete whose answer never came: read the number back.
    Made as asked: its object (None once deleted); not made: failed; unreadable:
    unknown."""
    try:
        found = writer.read_back(action.phone_number)
    except WriteError as exc:
        return Outcome(
            action,
            "uncertain",
            f"{error}; reading it back failed too ({exc}): check the account (retell-lint "
            "drift) before applying again",
        )
    deleting = action.kind == "delete"
    if (found is None) != deleting:
        where = "still in" if deleting else "not in"
        return Outcome(
            action,
            "failed",
            f"{error}; read back: {action.phone_number} is {where} the account, so it was not "
            f"{PAST[action.kind]}: apply again to {action.kind} it",
        )
    return found


def perform(writer: RetellWriter, action: Action, values: Mapping[str, str]) -> Outcome:
    """One action: its request (a create, import or delete is never sent twice: an
    answer that never came is settled by reading the number back), then its
    follow-up."""
    confirmed = ""
    try:
        data = _send(writer, action, resolved(action.body, values))
    except WriteError as exc:
        unanswered = exc.sent and exc.status is None
        if not (unanswered and action.kind in ("create", "import", "delete")):
            return Outcome(action, "uncertain" if unanswered else "failed", str(exc))
        found = _confirm(writer, action, exc)
        if isinstance(found, Outcome):
            return found
        data = found
        confirmed = " (its answer was lost; confirmed by reading it back)"
    if action.follow_up:
        try:
            data = writer.update_phone_number(
                action.phone_number, resolved(action.follow_up, values)
            ).data
        except WriteError as exc:
            return Outcome(
                action,
                "failed",
                f"{PAST[action.kind]} the number{confirmed}, but the update of the fields "
                f"{action.kind} does not take failed: {exc}",
            )
    live = data if isinstance(data, dict) and action.kind != "delete" else None
    return Outcome(action, "applied", confirmed.strip(" ()") or None, live)


def execute(
    writer: RetellWriter,
    actions: Sequence[Action],
    skipped: Sequence[Action],
    values: Mapping[str, str],
    progress: Callable[[Outcome], None] = lambda outcome: None,
    controls: Controls | None = None,
) -> list[Outcome]:
    """Run ``actions`` in dependency order, ``controls.concurrency`` at a time; the
    first failure (or a stop request) stops new ones from starting."""
    from .scheduler import Controls, run_actions

    controls = controls or Controls()
    controls.on_outcome = progress
    outcomes = run_actions(writer, actions, values, controls, perform)
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
