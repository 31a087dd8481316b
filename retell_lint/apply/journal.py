"""apply's journal: each write, before it is sent and with its outcome.

One JSON line per event, appended (``--journal FILE``, by default
``apply-journal.jsonl`` in the cache folder: ``$RETELL_LINT_CACHE_DIR``, else
``.retell-lint-cache`` at the project root). Every line names the plan
it belongs to (a hash of the plan's actions and of the account it was planned
against), the action (a hash of its key), the number and the kind; an outcome line
adds the status and the fingerprint of the number as the account answered the write
(``null`` once deleted). Applying the same saved plan again reads the journal back:
a number whose live object is exactly what an earlier run of that plan left is
recognised as that run's own change (see :func:`own_changes`), not as drift.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from retell_lint.errors import FatalError

if TYPE_CHECKING:
    from .actions import Action
    from .outcome import Outcome

JOURNAL_NAME = "apply-journal.jsonl"
# A journal larger than this is not read back (it is only appended to).
MAX_JOURNAL_BYTES = 64 * 1024 * 1024
# A run that finds the journal larger than TRIM_BYTES first keeps only its newest
# KEEP_BYTES of whole lines: resuming needs the latest runs, and a journal appended to
# by every apply would otherwise grow past what is read back.
TRIM_BYTES = 16 * 1024 * 1024
KEEP_BYTES = 4 * 1024 * 1024
TOO_LARGE = (
    f"the journal is larger than {MAX_JOURNAL_BYTES // (1024 * 1024)} MB; "
    "remove it or give another with --journal"
)


def default_path(root: Path, *, create: bool) -> str:
    """The journal in the project's cache folder (as check's result cache finds it:
    RETELL_LINT_CACHE_DIR, else ``.retell-lint-cache`` at the root). ``create``: make
    the folder, tagged as a cache, if it is not there."""
    from retell_lint.cache import folder_for
    from retell_lint.cache_folder import CacheError, prepare

    folder = folder_for(str(root), None)
    if create:
        try:
            prepare(folder)
        except CacheError as exc:
            raise FatalError(
                f"cannot keep the journal in the cache folder: {exc}; nothing was written "
                "(give another file with --journal)"
            ) from None
    return os.path.join(folder, JOURNAL_NAME)


def trim(path: str) -> None:
    """Keep the newest KEEP_BYTES of whole lines of a journal over TRIM_BYTES
    (replaced atomically; never through a link)."""
    from retell_lint.safe_io import check_target, read_bytes, write_bytes

    existing = check_target(path, what="the journal")
    if existing is None or existing.st_size <= TRIM_BYTES:
        return
    data = read_bytes(path, what="the journal", limit=MAX_JOURNAL_BYTES, too_large=TOO_LARGE)
    kept = data[-KEEP_BYTES:]
    if len(kept) < len(data):
        # From the first whole line on.
        start = kept.find(b"\n") + 1
        kept = kept[start:] if start else b""
    write_bytes(path, kept, what="the journal")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def plan_id(action_keys: list[str], numbers: Mapping[str, Any]) -> str:
    """What identifies one plan: its actions and what they were planned against."""
    return digest(json.dumps([action_keys, dict(numbers)], sort_keys=True, ensure_ascii=True))


class Journal:
    """The open journal: append-only, never through a symbolic link, thread-safe."""

    def __init__(self, path: str, plan: str) -> None:
        from retell_lint.safe_io import open_append

        trim(path)
        # Never through a link; a FIFO is refused instead of blocking the run.
        self._handle: IO[str] = open_append(path, what="the journal")
        self._lock = threading.Lock()
        self.path = path
        self.plan = plan
        self.problem: str | None = None

    def _record(self, action: Action, event: str, extra: Mapping[str, Any]) -> None:
        entry = {
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            "plan": self.plan,
            "event": event,
            "action": digest(action.key()),
            "kind": action.kind,
            "phone_number": action.phone_number,
            **extra,
        }
        line = json.dumps(entry, ensure_ascii=True) + "\n"
        with self._lock:
            try:
                self._handle.write(line)
                # Flushed at once: a run killed next still leaves this line behind.
                self._handle.flush()
            except (OSError, ValueError) as exc:
                self.problem = self.problem or f"cannot write to {self.path}: {exc}"

    def sending(self, action: Action) -> None:
        self._record(action, "sending", {})

    def outcome(self, outcome: Outcome) -> None:
        from .saved_plan import live_fingerprint

        live = live_fingerprint(outcome.live) if outcome.status == "applied" else None
        self._record(outcome.action, "outcome", {"status": outcome.status, "live": live})

    def close(self) -> None:
        with self._lock:
            try:
                self._handle.close()
            except OSError as exc:
                self.problem = self.problem or f"cannot write to {self.path}: {exc}"


@dataclass
class Earlier:
    """What earlier runs of one plan recorded for one action."""

    phone_number: str
    kind: str
    status: str | None  # None: sent, no outcome recorded (the run was killed)
    live: Any = None
    # When the line was written (POSIX seconds; None: unreadable).
    at: float | None = None


def _seconds(text: Any) -> float | None:
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.timestamp()


def read_journal(path: str, plan: str | None) -> dict[str, Earlier]:
    """The last record of each action of ``plan`` (by action hash; ``None``: of every
    plan); {} without a journal. Lines that do not read as the journal's own are
    passed over."""
    from retell_lint.safe_io import check_target, read_bytes

    # What apply will append to: a link, a FIFO or a read-only file is refused now,
    # before anything is written.
    if check_target(path, what="the journal") is None:
        return {}
    data = read_bytes(
        path,
        what="the journal",
        limit=MAX_JOURNAL_BYTES,
        too_large=TOO_LARGE,
    )
    found: dict[str, Earlier] = {}
    for raw in data.splitlines():
        try:
            entry = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        if not isinstance(entry, dict) or (plan is not None and entry.get("plan") != plan):
            continue
        action, number, kind = entry.get("action"), entry.get("phone_number"), entry.get("kind")
        if not (isinstance(action, str) and isinstance(number, str) and isinstance(kind, str)):
            continue
        at = _seconds(entry.get("time"))
        if entry.get("event") == "sending":
            found[action] = Earlier(number, kind, None, at=at)
        elif entry.get("event") == "outcome" and isinstance(entry.get("status"), str):
            found[action] = Earlier(number, kind, entry["status"], entry.get("live"), at)
    return found
