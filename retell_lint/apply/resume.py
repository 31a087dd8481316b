"""Resuming a saved plan that an earlier run applied in part (it was killed, or
stopped at a failure): which numbers that run already brought where the plan
wanted them, according to the journal and the account. A plain apply after such a
run first waits out the writes it left in flight (:func:`wait_for_unsettled`).

A write that was in flight when the earlier run stopped (sent, no outcome recorded)
may still reach the account after this run has read it: such a number, still shown
as the plan found it, is read back until it changes or the write's own time (the
per-request timeout since it was sent) has passed; only then is it taken as never
made, and made now. Each write of the plan is so made once."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from retell_lint.errors import FatalError

from .actions import Action, ActionKind
from .journal import Earlier, digest

if TYPE_CHECKING:
    from retell_lint.drift.snapshot import LiveState

    from .applying import RunOptions
    from .saved_plan import SavedPlan
    from .writer import RetellWriter

# How often a number whose write may still be landing is read back.
POLL_SECONDS = 0.1


def key_parts(key: str) -> tuple[str, str, dict[str, Any], dict[str, Any]]:
    kind, number, body, follow_up = json.loads(key)
    return str(kind), str(number), dict(body or {}), dict(follow_up or {})


def own_changes(
    saved: SavedPlan,
    live: Mapping[str, Mapping[str, Any]],
    pending: set[str],
    earlier: Mapping[str, Earlier],
) -> dict[str, Action]:
    """The planned actions (by number) an earlier run of this plan has done.

    A number counts as done when the journal holds a write of this plan for it, its
    live object has changed since the plan was made, and either it is exactly what
    that write left (the fingerprint recorded with the outcome), or the account now
    asks for no action on it (``pending``: the numbers that still need one); a write
    that was in flight when the run was killed is settled this way too."""
    from .saved_plan import live_fingerprint

    done: dict[str, Action] = {}
    for key in saved.action_keys:
        record = earlier.get(digest(key))
        if record is None:
            continue
        kind, number, body, follow_up = key_parts(key)
        now = live_fingerprint(live.get(number))
        if now == saved.numbers.get(number):
            continue  # untouched: the write never landed, it is made now
        left_as_recorded = record.status == "applied" and record.live == now
        if left_as_recorded or number not in pending:
            done[number] = Action(cast(ActionKind, kind), number, None, None, body, [], follow_up)
    return done


def journal_path(run: RunOptions, root: Path) -> str:
    """``--journal FILE``, or the default one in the project's cache folder (made if
    missing)."""
    if run.journal is not None:
        return run.journal
    from .journal import default_path

    return default_path(root, create=True)


def read_earlier(saved: SavedPlan, run: RunOptions, root: Path) -> dict[str, Earlier]:
    """Sets ``run.plan_id``; what earlier runs of ``saved`` recorded, by action hash."""
    from .journal import plan_id, read_journal

    run.plan_id = plan_id(saved.action_keys, saved.numbers)
    return read_journal(_journal_to_read(run, root), run.plan_id)


def _journal_to_read(run: RunOptions, root: Path) -> str:
    """``--journal FILE``, or the default one (not made when missing: nothing to read)."""
    from .journal import default_path

    return run.journal if run.journal is not None else default_path(root, create=False)


def wait_for_unsettled(
    run: RunOptions,
    root: Path,
    window: float,
    *,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    note: Callable[[str], None] = lambda message: None,
) -> None:
    """A plain apply (no saved plan) after a run that stopped with writes in flight:
    the account is read only once each such write (of any plan, by the journal) has
    landed or its time (``window`` seconds from when it was recorded) has passed, so
    a write still landing is never planned and sent a second time."""
    from .journal import read_journal

    now = clock()
    records = read_journal(_journal_to_read(run, root), None).values()
    until = [end for r in records if (end := _may_land_until(r, window, now)) is not None]
    if not until:
        return
    last = max(until)
    note(
        f"apply: {len(until)} write{'s' if len(until) != 1 else ''} of an earlier run had "
        f"no outcome; waiting {last - now:.1f}s for them to land before reading the account"
    )
    while (left := last - clock()) > 0:
        sleep(min(left, POLL_SECONDS * 5))


def _may_land_until(record: Earlier, window: float, now: float) -> float | None:
    """Until when a write with no certain outcome (sent, then the run stopped; or
    recorded as may have been applied) may still land: ``window`` seconds after it was
    recorded, and never later than ``window`` from ``now`` (a line dated in the future,
    by a skewed clock or by hand, cannot stall a run). None: it is settled."""
    if record.status not in (None, "uncertain") or record.at is None:
        return None
    until = min(record.at, now) + window
    return until if now < until else None


def landing(
    saved: SavedPlan,
    earlier: Mapping[str, Earlier],
    live: Mapping[str, Mapping[str, Any]],
    window: float,
    now: float,
) -> dict[str, float]:
    """Numbers whose write of this plan had no certain outcome (sent, then the run
    stopped; or recorded as may have been applied) less than ``window`` seconds ago,
    and that the account still shows as the plan found them: by number, until when
    their write may still land."""
    from .saved_plan import live_fingerprint

    found: dict[str, float] = {}
    for key in saved.action_keys:
        record = earlier.get(digest(key))
        until = None if record is None else _may_land_until(record, window, now)
        if until is None:
            continue
        number = key_parts(key)[1]
        if live_fingerprint(live.get(number)) == saved.numbers.get(number):
            found[number] = until
    return found


def settle_in_flight(
    writer: RetellWriter,
    saved: SavedPlan,
    earlier: Mapping[str, Earlier],
    state: LiveState,
    *,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    note: Callable[[str], None] = lambda message: None,
) -> bool:
    """Reads back the numbers whose write may still be landing (see the module's
    notes) and puts what it finds into ``state``. True: any of them changed."""
    from retell_lint.online import phone_key

    from .saved_plan import live_fingerprint
    from .writer import WriteError

    waiting = landing(saved, earlier, state.by_number(), writer.timeout, clock())
    if not waiting:
        return False
    note(
        f"apply: {len(waiting)} write{'s' if len(waiting) != 1 else ''} of an earlier run of "
        "this plan had no outcome; reading the numbers back until they land (at most "
        f"{max(waiting.values()) - clock():.1f}s)"
    )
    changed: dict[str, dict[str, Any] | None] = {}
    while waiting:
        for number in sorted(waiting):
            try:
                found = writer.read_back(number)
            except WriteError as exc:
                raise FatalError(
                    f"cannot read back {number}, whose write an earlier run of the plan "
                    f"{saved.path} left without an outcome: {exc}; nothing was written"
                ) from None
            if live_fingerprint(found) != saved.numbers.get(number):
                changed[number] = found
                del waiting[number]
        now = clock()
        waiting = {number: until for number, until in waiting.items() if now < until}
        if waiting:
            sleep(POLL_SECONDS)
    if not changed:
        return False
    kept = [obj for obj in state.numbers if phone_key(str(obj.get("phone_number"))) not in changed]
    state.numbers = kept + [obj for obj in changed.values() if obj is not None]
    return True


def resume_point(
    saved: SavedPlan,
    live: Mapping[str, Mapping[str, Any]],
    actions: Sequence[Action],
    run: RunOptions,
    earlier: Mapping[str, Earlier],
) -> None:
    """Sets ``run.done`` for applying ``saved`` (``actions``: what the account calls
    for now; ``earlier``: :func:`read_earlier`)."""
    if earlier:
        pending = {action.phone_number for action in actions}
        run.done = own_changes(saved, live, pending, earlier)
