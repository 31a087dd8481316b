"""From the drift plan to write actions, and the plan object that owns their counts
and safety checks.

- **update** (a ``changed`` number): one PATCH whose body holds only the declared
  fields that differ, in the update's parameter names (the SIP trunk's fields flat,
  legacy single-agent fields as the lists they stand for, ``null`` to clear).
- **create** (a missing ``retell-*`` number) and **import** (a missing ``custom``
  number): one POST with the declared fields that request takes; declared fields it
  does not take (SMS agents, a fallback on import) follow in one PATCH. Gated by
  ``--allow-create``.
- **delete**: only a live number declared ``state: absent``; gated by
  ``--allow-delete``. Unmanaged numbers are listed and never touched.

Bodies carry the declared values as written (normalised forms are only for comparing).
What an update cannot do (a create-only field such as ``area_code``, unsetting the
trunk's URI, a trunk setting on a number Retell manages) is a :class:`Blocked`
difference, reported and never sent; so is every number whose body breaks the API's
contract (:mod:`retell_lint.apply.contract`) or whose file gives one setting two values.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from retell_lint.drift.plan import Plan
from retell_lint.errors import FatalError
from retell_lint.output import EXIT_CLEAN, EXIT_FINDINGS

ActionKind = Literal["update", "create", "import", "delete"]
ACTION_KINDS: tuple[ActionKind, ...] = ("create", "import", "update", "delete")
GATES = {"create": "--allow-create", "import": "--allow-create", "delete": "--allow-delete"}
RECREATE = "cannot be changed without re-creating the number"
# Update parameters of the SIP trunk that accept null (the SDK's Optional ones).
SIP_UPDATE_NULLABLE = frozenset({"transport"})
# Create-time parameters the API never returns: read from the config as written.
CREATE_PARAMETERS = ("number_provider", "country_code", "toll_free", "ignore_e164_validation")
MIN_MANAGED_FOR_PERCENT = 10


@dataclass(frozen=True)
class FieldChange:
    """One field an action writes: the config's name, the request's, both values."""

    field: str
    parameter: str | None
    live: Any
    declared: Any
    line: int | None = None


@dataclass
class Action:
    kind: ActionKind
    phone_number: str
    file: str | None
    line: int | None
    body: dict[str, Any]
    changes: list[FieldChange]
    # Fields the POST does not take, sent in one PATCH right after it.
    follow_up: dict[str, Any] = field(default_factory=dict)

    @property
    def gate(self) -> str | None:
        """The flag this action needs, if any."""
        return GATES.get(self.kind)

    @property
    def method(self) -> str:
        return {"update": "PATCH", "delete": "DELETE"}.get(self.kind, "POST")

    @property
    def path(self) -> str:
        if self.kind == "update":
            return f"/update-phone-number/{self.phone_number}"
        if self.kind == "delete":
            return f"/delete-phone-number/{self.phone_number}"
        return f"/{self.kind}-phone-number"

    def key(self) -> str:
        """What the action does, canonically: equal keys send equal requests."""
        return json.dumps([self.kind, self.phone_number, self.body, self.follow_up], sort_keys=True)


@dataclass(frozen=True)
class Blocked:
    """A difference apply cannot make, and why."""

    phone_number: str
    field: str
    live: Any
    declared: Any
    reason: str
    file: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Limits:
    max_changes: int = 10
    max_percent: float = 30.0


@dataclass
class ActionPlan:
    """Everything apply would do, what it cannot, and what it leaves alone."""

    actions: list[Action]
    blocked: list[Blocked]
    unmanaged: list[str]
    # Declared numbers that exist in the account and are not ignored.
    managed: int
    drift: Plan
    rotate_secrets: bool = False

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(ACTION_KINDS, 0)
        for action in self.actions:
            counts[action.kind] += 1
        counts["blocked"] = len(self.blocked)
        counts["unmanaged"] = len(self.unmanaged)
        return counts

    def allowed(self, allow_create: bool, allow_delete: bool) -> list[Action]:
        """The actions the given flags let run, in order."""
        flags = {"--allow-create": allow_create, "--allow-delete": allow_delete}
        return [a for a in self.actions if a.gate is None or flags[a.gate]]

    def exit_code(self) -> int:
        """0 nothing to do; 1 actions or differences apply cannot make."""
        return EXIT_FINDINGS if self.actions or self.blocked else EXIT_CLEAN

    def check_safety(self, actions: Sequence[Action], limits: Limits, force: bool) -> None:
        """Refuse (octoDNS's thresholds) a plan that touches too many numbers at once."""
        if force or not actions:
            return
        total = len(actions)
        if total > limits.max_changes:
            raise FatalError(
                f"refusing to apply: the plan changes {total} numbers, more than "
                f"apply.max_changes ({limits.max_changes}); review it and pass --force to "
                "apply it anyway (nothing was written)"
            )
        existing = sum(1 for a in actions if a.kind in ("update", "delete"))
        if self.managed >= MIN_MANAGED_FOR_PERCENT and existing:
            share = 100.0 * existing / self.managed
            if share > limits.max_percent:
                raise FatalError(
                    f"refusing to apply: the plan updates or deletes {existing} of the "
                    f"{self.managed} managed numbers ({share:.1f}%), more than "
                    f"apply.max_percent ({limits.max_percent:g}%); review it and pass "
                    "--force to apply it anyway (nothing was written)"
                )
