"""The commands that read or write the live account: drift, plan, apply, snapshot and
export (registered on the command group by :mod:`retell_lint.cli`)."""

from __future__ import annotations

import click

from retell_lint import envelope
from retell_lint.cli_options import (
    apply_options,
    colour_option,
    debug_option,
    env_option,
    isolated_option,
    json_format_option,
    plan_format_option,
    report_options,
)
from retell_lint.output import (
    EXIT_CODES_HELP,
)


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path())
@plan_format_option
@report_options
@click.option(
    "--live-state",
    type=click.Path(dir_okay=False),
    help="Compare with a saved account state (from 'snapshot') instead of the API.",
)
@click.option(
    "--fail-on-unmanaged",
    is_flag=True,
    help="Exit 1 when the account has numbers no config declares.",
)
@colour_option
@isolated_option
@env_option
@debug_option
def drift(
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    config_file: str | None,
    live_state: str | None,
    fail_on_unmanaged: bool,
    colour: str,
    isolated: bool,
    env: str | None,
    debug: bool,
) -> int:
    """Compare declared numbers with the live Retell account (read-only)."""
    from retell_lint.drift.commands import run_drift

    if output_format == "json" and output in (None, "-"):
        envelope.expect_json("drift")
    return run_drift(
        paths,
        output_format=output_format,
        output=output,
        config_file=config_file,
        live_state=live_state,
        fail_on_unmanaged=fail_on_unmanaged,
        colour=colour,
        isolated=isolated,
        env=env,
    )


PLAN_EXIT_HELP = "Exit codes: 0 nothing to do; 1 changes pending; 2 could not plan."
APPLY_EXIT_HELP = (
    "Exit codes: 0 applied and verified, or nothing to do; 1 changes still pending "
    "(a missing --allow-* flag, or differences an update cannot make); 2 refused with "
    "nothing written, a write failed, or the account does not match afterwards."
)


@click.command(epilog=PLAN_EXIT_HELP)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--output",
    "-o",
    "save",
    type=click.Path(dir_okay=False),
    help="Save the plan (JSON) for 'apply --plan'.",
)
@click.option("--out", "save", type=click.Path(dir_okay=False), hidden=True)
@plan_format_option
@apply_options
@colour_option
@isolated_option
@debug_option
def plan(
    paths: tuple[str, ...],
    save: str | None,
    output_format: str,
    config_file: str | None,
    rotate_secrets: bool,
    colour: str,
    isolated: bool,
    env: str | None,
    debug: bool,
) -> int:
    """Show what apply would change in the live account (0 nothing, 1 changes, 2 error)."""
    from retell_lint.apply.commands import run_plan

    if output_format == "json":
        envelope.expect_json("plan")
    return run_plan(
        paths,
        output_format=output_format,
        save=save,
        config_file=config_file,
        rotate_secrets=rotate_secrets,
        colour=colour,
        isolated=isolated,
        env=env,
    )


@click.command(name="apply", epilog=APPLY_EXIT_HELP)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(dir_okay=False),
    help="Apply exactly this saved plan (no question asked).",
)
@click.option("--yes", "-y", is_flag=True, help="Do not ask (needed off a terminal).")
@click.option("--allow-create", is_flag=True, help="Buy and import missing numbers.")
@click.option("--allow-delete", is_flag=True, help="Release numbers declared 'state: absent'.")
@click.option("--force", is_flag=True, help="Override apply.max_changes and max_percent.")
@click.option(
    "--log",
    type=click.Path(dir_okay=False),
    help="Append one JSON line per request to this file (secrets masked).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json")),
    default="text",
    help="Report format.",
)
@click.option(
    "--journal",
    type=click.Path(dir_okay=False),
    help="Record each write here (default apply-journal.jsonl in the cache folder: "
    "$RETELL_LINT_CACHE_DIR, else .retell-lint-cache at the project root); applying "
    "the same --plan again resumes from it.",
)
@click.option(
    "--progress",
    type=click.Choice(("auto", "json", "off")),
    default="auto",
    help="Progress on stderr: a bar on a terminal (auto), one JSON line per write, or none.",
)
@apply_options
@isolated_option
@debug_option
def apply_command(
    paths: tuple[str, ...],
    plan_file: str | None,
    yes: bool,
    allow_create: bool,
    allow_delete: bool,
    force: bool,
    log: str | None,
    output_format: str,
    config_file: str | None,
    rotate_secrets: bool,
    isolated: bool,
    env: str | None,
    debug: bool,
    journal: str | None = None,
    progress: str = "auto",
) -> int:
    """Make the live account match the declared files (or a saved plan)."""
    from retell_lint.apply.applying import ApplyOptions, RunOptions, run_apply

    if output_format == "json":
        envelope.expect_json("apply")
    options = ApplyOptions(
        paths=paths,
        plan_file=plan_file,
        yes=yes,
        allow_create=allow_create,
        allow_delete=allow_delete,
        rotate_secrets=rotate_secrets,
        force=force,
        log=log,
        output_format=output_format,
        config_file=config_file,
        isolated=isolated,
        run=RunOptions(journal=journal, progress=progress),
        env=env,
    )
    return run_apply(options)


@click.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the snapshot here.")
@json_format_option
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Configuration file (its environments say which account; default: the nearest).",
)
@env_option
@debug_option
def snapshot(
    output: str | None, output_format: str, config_file: str | None, env: str | None, debug: bool
) -> int:
    """Save the live account state as JSON (what 'drift --live-state' reads)."""
    from retell_lint.drift.commands import run_snapshot

    if output in (None, "-"):
        envelope.expect_json("snapshot")
    return run_snapshot(output, env=env, config_file=config_file)


@click.command()
@click.option(
    "--output",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder to write one YAML file per number into (default: retell, or the "
    "environment's folder).",
)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), hidden=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json")),
    default="text",
    help="Report format (what was written and skipped).",
)
@click.option(
    "--live-state",
    type=click.Path(dir_okay=False),
    help="Export from a saved account state instead of the API.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite existing files, and rewrite the files that declare a number.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Configuration file (its include globs say which numbers are declared).",
)
@env_option
@debug_option
def export(
    out_dir: str | None,
    output_format: str,
    live_state: str | None,
    force: bool,
    config_file: str | None,
    env: str | None,
    debug: bool,
) -> int:
    """Write the live numbers no config declares yet as config files (one per number)."""
    from retell_lint.drift.commands import run_export

    if output_format == "json":
        envelope.expect_json("export")
    return run_export(
        out_dir,
        live_state=live_state,
        force=force,
        config_file=config_file,
        output_format=output_format,
        env=env,
    )
