"""What became of one planned action (shared by the run, the scheduler, the journal,
progress and the reports)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .actions import Action

Status = Literal["applied", "failed", "uncertain", "not_attempted", "skipped"]
STATUSES: tuple[Status, ...] = ("applied", "failed", "uncertain", "not_attempted", "skipped")


@dataclass
class Outcome:
    action: Action
    status: Status
    detail: str | None = None
    # The number as the account answered the last write (None: deleted or unknown).
    live: dict[str, Any] | None = None
