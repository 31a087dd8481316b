"""Resuming a saved plan that an earlier run applied in part (it was killed, or
stopped at a failure): which numbers that run already brought where the plan
wanted them, according to the journal and the account."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .actions import Action, ActionKind
from .journal import CACHE_DIR, JOURNAL_NAME, Earlier, digest

if TYPE_CHECKING:
    from .commands import RunOptions
    from .saved_plan import SavedPlan


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
    """``--journal FILE``, or the default one in the project's cache folder."""
    if run.journal is not None:
        return run.journal
    from .journal import JOURNAL_NAME, ensure_cache_dir

    return str(ensure_cache_dir(root) / JOURNAL_NAME)


def resume_point(
    saved: SavedPlan,
    live: Mapping[str, Mapping[str, Any]],
    actions: Sequence[Action],
    run: RunOptions,
    root: Path,
) -> None:
    """Sets ``run.plan_id`` and ``run.done`` for applying ``saved`` (``actions``: what
    the account calls for now)."""
    from .journal import plan_id, read_journal

    run.plan_id = plan_id(saved.action_keys, saved.numbers)
    path = run.journal if run.journal is not None else str(root / CACHE_DIR / JOURNAL_NAME)
    earlier = read_journal(path, run.plan_id)
    if earlier:
        pending = {action.phone_number for action in actions}
        run.done = own_changes(saved, live, pending, earlier)
