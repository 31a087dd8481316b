"""The apply command: its exit code.

0 everything applied and verified (or nothing to do); 1 changes still pending (gated
actions skipped for want of their flag, differences apply cannot make); 2 refused
(nothing written), a write failed, or the account does not match after.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from retell_lint.errors import FatalError

from .commands import Prepared, _document, _note, _plan_against, _prepare

if TYPE_CHECKING:
    from retell_lint.config import Config

    from .actions import Action
    from .saved_plan import SavedPlan
    from .writer import RetellWriter


@dataclass
class RunOptions:
    """How apply runs its writes: the journal file (None: the default one in the
    cache folder) and the progress mode."""

    journal: str | None = None
    progress: str = "auto"
    # Set from the saved plan: what identifies it in the journal, and the numbers an
    # earlier run of it finished.
    plan_id: str | None = None
    done: dict[str, Action] = field(default_factory=dict)


@dataclass
class ApplyOptions:
    """Everything ``apply`` was asked to do (built once by the command line)."""

    paths: tuple[str, ...] = ()
    plan_file: str | None = None
    yes: bool = False
    allow_create: bool = False
    allow_delete: bool = False
    rotate_secrets: bool = False
    force: bool = False
    log: str | None = None
    output_format: str = "text"
    config_file: str | None = None
    isolated: bool = False
    env: str | None = None
    run: RunOptions = field(default_factory=RunOptions)


def _interactive() -> bool:
    return sys.stdin.isatty()


def _confirm(yes: bool, count: int, base_url: str, environment: str | None = None) -> None:
    if yes:
        return
    if not _interactive():
        raise FatalError(
            "apply needs --yes when not run on a terminal (or apply a reviewed plan with "
            "--plan FILE); nothing was written"
        )
    account = f"the '{environment}' Retell account" if environment else "the Retell account"
    question = f"Apply {count} change{'s' if count != 1 else ''} to {account} at {base_url}?"
    if not click.confirm(question, default=False, err=True):
        raise FatalError("apply cancelled; nothing was written")


def _check_saved(saved: SavedPlan, prepared: Prepared, done: Collection[str] = ()) -> None:
    """Refuse a plan made against anything other than what is there now (``done``:
    numbers an earlier run of this plan changed, by its journal)."""
    from .resume import key_parts
    from .saved_plan import live_fingerprint

    where = f"the plan {saved.path}"
    if prepared.files["sha256"] != saved.declared_sha256:
        before = {(f.get("file"), f.get("sha256")) for f in saved.declared_files}
        now = {(f["file"], f["sha256"]) for f in prepared.files["files"]}
        changed = sorted({str(name) for name, _ in before ^ now})
        what = ", ".join(changed[:5]) if changed else "the configuration file"
        raise FatalError(
            f"refusing {where}: the declared files changed since it was made ({what}); "
            "make a new plan (nothing was written)"
        )
    stale = [
        number
        for number, fingerprint in saved.numbers.items()
        if number not in done and live_fingerprint(prepared.live.get(number)) != fingerprint
    ]
    if stale:
        more = f" and {len(stale) - 3} more" if len(stale) > 3 else ""
        raise FatalError(
            f"refusing {where}: {', '.join(stale[:3])}{more} changed in the account since it "
            "was made; make a new plan (nothing was written)"
        )
    # Numbers that drifted after the plan was made are left for the next plan: apply
    # does exactly what was reviewed.
    prepared.plan.actions = [
        a
        for a in prepared.plan.actions
        if a.phone_number in saved.numbers and a.phone_number not in done
    ]
    remaining = [key for key in saved.action_keys if key_parts(key)[1] not in done]
    if [action.key() for action in prepared.plan.actions] != remaining:
        raise FatalError(
            f"refusing {where}: its actions are not what the declared files and the account "
            "call for (was it edited?); make a new plan (nothing was written)"
        )


def run_apply(options: ApplyOptions) -> int:
    from retell_lint import accounts, environments
    from retell_lint.settings import Overrides, load_settings

    from .saved_plan import load_plan, project_paths
    from .writer import RetellWriter

    paths, rotate_secrets, config_file = options.paths, options.rotate_secrets, options.config_file
    saved: SavedPlan | None = None
    if options.plan_file is not None:
        if paths:
            raise FatalError("give either --plan FILE or paths, not both")
        if rotate_secrets:
            raise FatalError("--rotate-secrets is chosen when the plan is made, not at apply")
        if options.isolated:
            raise FatalError("--isolated is chosen when the plan is made, not at apply")
        saved = load_plan(options.plan_file)
        # The configuration is the project's own (found from here, or --config), never
        # the plan's: its limits and drift.ignore bound what any plan may do. A plan made
        # with --isolated is applied without one only where the project has none.
        config = load_settings(config_file, Overrides(isolated=_isolated(saved, config_file)))
        paths = project_paths(saved, config)
        rotate_secrets = saved.rotate_secrets
    else:
        config = load_settings(config_file, Overrides(isolated=options.isolated))
    environment = environments.select(config, options.env, "apply")
    config = environments.scoped(config, environment)
    account = accounts.account_fingerprint(environment)
    if saved is not None:
        accounts.check_plan(saved, environment, account)
    writer = accounts.client(environment, RetellWriter)
    assert isinstance(writer, RetellWriter)
    try:
        if saved is not None and writer.base_url != saved.base_url.rstrip("/"):
            raise FatalError(
                f"refusing the plan {saved.path}: it was made against {saved.base_url}, not "
                f"{writer.base_url}; nothing was written"
            )
        run = options.run
        if saved is None:
            from .resume import wait_for_unsettled

            wait_for_unsettled(run, config.root, writer.timeout, note=_note)
        prepared = _prepare(paths, config, writer, rotate_secrets=rotate_secrets)
        if saved is not None:
            from .resume import read_earlier, resume_point, settle_in_flight

            earlier = read_earlier(saved, run, config.root)
            if settle_in_flight(writer, saved, earlier, prepared.state, note=_note):
                prepared = _plan_against(
                    prepared.declared,
                    prepared.files,
                    prepared.state,
                    paths,
                    config,
                    rotate_secrets=rotate_secrets,
                )
            resume_point(saved, prepared.live, prepared.plan.actions, run, earlier)
            _check_saved(saved, prepared, run.done)
        document = _document(prepared, writer.base_url, paths, config, account)
        return _apply(writer, prepared, config, document, options, saved=saved is not None)
    finally:
        writer.close()


def _isolated(saved: SavedPlan, config_file: str | None) -> bool:
    """Whether a plan made with --isolated may be applied without a configuration file:
    only where the project has none (its limits would otherwise be skipped)."""
    if not saved.isolated or config_file is not None:
        return False
    from pathlib import Path

    from retell_lint.config import find_config

    found = find_config(Path.cwd())
    if found is not None:
        raise FatalError(
            f"refusing the plan {saved.path}: it was made with --isolated, but this project's "
            f"configuration {found} sets the limits apply keeps; make the plan without "
            "--isolated (nothing was written)"
        )
    return True


def _apply(
    writer: RetellWriter,
    prepared: Prepared,
    config: Config,
    document: Mapping[str, Any],
    options: ApplyOptions,
    *,
    saved: bool,
) -> int:
    from retell_lint.drift.snapshot import fetch_live_state

    from . import render
    from .actions import Limits
    from .outcome import Outcome
    from .run import ApplyResult, verify
    from .secrets import refs_in, resolve_all
    from .stopping import run_writes
    from .writer import AuditLog

    plan = prepared.plan
    text = options.output_format == "text"
    if text:
        from retell_lint.environments import label

        click.echo(label(render.render_text(plan), "text", config.environment), nl=False)
    to_run = plan.allowed(options.allow_create, options.allow_delete)
    skipped = [a for a in plan.actions if a not in to_run]
    limits = Limits(config.apply_max_changes, config.apply_max_percent)
    plan.check_safety(to_run, limits, options.force)
    bodies = [a.body for a in to_run] + [a.follow_up for a in to_run]
    values = resolve_all(refs_in(bodies), os.environ, config.apply_secret_env)
    writer.secrets = tuple(values.values())
    if to_run and not saved:
        name = config.environment.name if config.environment is not None else None
        _confirm(options.yes, len(to_run), writer.base_url, name)
    audit = AuditLog(options.log) if options.log is not None and to_run else None
    writer.log = audit
    try:
        outcomes, journal_problem = run_writes(
            writer, to_run, skipped, values, config, options.run, text=text
        )
    finally:
        if audit is not None:
            audit.close()
        writer.log = None
    earlier = [
        Outcome(action, "applied", "applied by an earlier run of this plan (journal)")
        for action in options.run.done.values()
    ]
    outcomes = earlier + outcomes
    result = ApplyResult(outcomes, blocked=len(plan.blocked))
    applied = [o.action for o in result.by_status("applied")]
    if applied and not result.by_status("failed"):
        # A read of its own: the first read's RETELL_LINT_TIMEOUT is long spent.
        writer.restart_deadline()
        try:
            after = fetch_live_state(writer)
        except FatalError as exc:
            result.mismatches = [f"could not re-read the account to verify: {exc}"]
        else:
            result.mismatches = verify(prepared.declared, after, config.drift_ignore, applied)
            result.verified = True
    if text:
        if to_run or skipped:
            click.echo(render.render_result_text(result), nl=False)
    else:
        click.echo(render.render_apply_json(document, result), nl=False)
    code = result.exit_code()
    if audit is not None and audit.problem is not None:
        _note(f"warning: the log is incomplete: {audit.problem}")
    if journal_problem is not None:
        _note(f"warning: the journal is incomplete: {journal_problem}")
    if result.by_status("failed"):
        _note("error: apply stopped at the first failure; see what was and was not applied above")
    elif result.mismatches:
        _note("error: the account does not match the declared files after applying")
    return code
