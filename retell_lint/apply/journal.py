"""apply's journal: each write, before it is sent and with its outcome.

One JSON line per event, appended (``--journal FILE``, by default
``.retell-lint-cache/apply-journal.jsonl`` in the project). Every line names the plan
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
import stat
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from retell_lint.errors import FatalError

if TYPE_CHECKING:
    from .actions import Action
    from .run import Outcome

CACHE_DIR = ".retell-lint-cache"
JOURNAL_NAME = "apply-journal.jsonl"
# A journal larger than this is not read back (it is only appended to).
MAX_JOURNAL_BYTES = 64 * 1024 * 1024
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by retell-lint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def ensure_cache_dir(root: Path) -> Path:
    """The project's cache folder, made if missing (tagged, and ignored by git)."""
    folder = root / CACHE_DIR
    try:
        if not folder.is_symlink() and not folder.exists():
            folder.mkdir(mode=0o700)
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode):
            raise FatalError(f"{folder} is not a folder (a link or a file); nothing was written")
        for name, text in (("CACHEDIR.TAG", _CACHEDIR_TAG), (".gitignore", "*\n")):
            target = folder / name
            if not os.path.lexists(target):
                _write_new(target, text)
    except OSError as exc:
        raise FatalError(
            f"cannot make the cache folder: {exc.strerror or exc}", location=str(folder)
        ) from None
    return folder


def _write_new(path: Path, text: str) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags, 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def plan_id(action_keys: list[str], numbers: Mapping[str, Any]) -> str:
    """What identifies one plan: its actions and what they were planned against."""
    return digest(json.dumps([action_keys, dict(numbers)], sort_keys=True, ensure_ascii=True))


class Journal:
    """The open journal: append-only, never through a symbolic link, thread-safe."""

    def __init__(self, path: str, plan: str) -> None:
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        try:
            descriptor = os.open(path, flags, 0o600)
        except OSError as exc:
            raise FatalError(
                f"cannot open the journal: {exc.strerror or exc}", location=path
            ) from None
        self._handle: IO[str] = os.fdopen(descriptor, "a", encoding="utf-8")
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


def read_journal(path: str, plan: str) -> dict[str, Earlier]:
    """The last record of each action of ``plan`` (by action hash); {} without a
    journal. Lines that do not read as the journal's own are passed over."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise FatalError(f"cannot read the journal: {exc.strerror or exc}", location=path) from None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise FatalError("the journal is not a regular file", location=path)
        data = handle.read(MAX_JOURNAL_BYTES + 1)
    if len(data) > MAX_JOURNAL_BYTES:
        raise FatalError(
            f"the journal is larger than {MAX_JOURNAL_BYTES // (1024 * 1024)} MB; "
            "remove it or give another with --journal",
            location=path,
        )
    found: dict[str, Earlier] = {}
    for raw in data.splitlines():
        try:
            entry = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(entry, dict) or entry.get("plan") != plan:
            continue
        action, number, kind = entry.get("action"), entry.get("phone_number"), entry.get("kind")
        if not (isinstance(action, str) and isinstance(number, str) and isinstance(kind, str)):
            continue
        if entry.get("event") == "sending":
            found[action] = Earlier(number, kind, None)
        elif entry.get("event") == "outcome" and isinstance(entry.get("status"), str):
            found[action] = Earlier(number, kind, entry["status"], entry.get("live"))
    return found
