"""The command line: parse options, call one function per command, return an exit code.

Exit codes, the same for every command and format:
  0  clean (no finding at or above the fail level; no drift)
  1  findings at or above the fail level, or drift
  2  could not run: bad usage, invalid configuration, unreadable input,
     API failure, internal error
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from retell_lint import __version__, envelope
from retell_lint.output import (
    EXIT_CLEAN,
    EXIT_CODES_HELP,
    EXIT_ERROR,
    echo_error,
)

CHECK_FORMATS = ("text", "json", "concise", "github", "sarif", "junit")
F = TypeVar("F", bound=Callable[..., Any])


# --format of the commands whose reports are for people and pull requests.
plan_format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json", "markdown")),
    default="text",
    help="Report format.",
)


def debug_option(function: F) -> F:
    return click.option(
        "--debug", is_flag=True, help="Show a traceback when the tool itself fails."
    )(function)


def env_option(function: F) -> F:
    return click.option(
        "--env",
        "env",
        default=None,
        metavar="NAME",
        help="The environment (from 'environments' in the configuration) to work on; "
        "required when there are two or more.",
    )(function)


def report_options(function: F) -> F:
    """--output and --config, shared by the commands that lint or compare files."""
    function = click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False),
        help="Configuration file (default: nearest .retell-lint.yaml or pyproject.toml).",
    )(function)
    return click.option(
        "--output", "-o", type=click.Path(dir_okay=False), help="Write the report here."
    )(function)


def rule_options(function: F) -> F:
    """--select, --extend-select, --ignore, --isolated and --show-settings (as in ruff)."""
    options = [
        click.option(
            "--select",
            multiple=True,
            metavar="RULES",
            help="Only these rules (ids, names or id prefixes such as RL3; comma-separated).",
        ),
        click.option(
            "--extend-select", multiple=True, metavar="RULES", help="These rules as well."
        ),
        click.option("--ignore", multiple=True, metavar="RULES", help="Not these rules."),
        click.option("--isolated", is_flag=True, help="Ignore configuration files."),
        click.option(
            "--show-settings",
            is_flag=True,
            help="Print the effective settings and where each came from, then exit.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def colour_option(function: F) -> F:
    return click.option(
        "--color",
        "colour",
        type=click.Choice(("auto", "always", "never")),
        default="auto",
        help="Colour the text report (auto: on a terminal, unless NO_COLOR is set).",
    )(function)


def isolated_option(function: F) -> F:
    return click.option("--isolated", is_flag=True, help="Ignore configuration files.")(function)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, "--version", prog_name="retell-lint")
def cli() -> None:
    """Lint Retell AI phone-number configs and compare them with the live account."""


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(CHECK_FORMATS),
    default=None,
    help="Report format (default: text; github when GITHUB_ACTIONS=true).",
)
@report_options
@click.option(
    "--fail-level",
    type=click.Choice(("error", "warning", "info")),
    default=None,
    help="Lowest severity that fails the run (default: error).",
)
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit 0 even with findings (2 still means the tool could not run).",
)
@click.option("--stdin-filename", default=None, help="Name to report for '-' (stdin).")
@click.option(
    "--color",
    "colour",
    type=click.Choice(("auto", "always", "never")),
    default="auto",
    help="Colour the text report.",
)
@click.option(
    "--online",
    is_flag=True,
    help="Also check agents against the live account (needs RETELL_API_KEY).",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply exclude globs to files named on the command line too (for pre-commit).",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="Hide the findings recorded in this baseline file.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False),
    help="Record today's findings in this file (replacing it) and hide them.",
)
@click.option(
    "--fix", is_flag=True, help="Apply the safe fixes in place, then report what remains."
)
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Print the fixes as a unified diff and change nothing (exit 1 when there are fixes).",
)
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="With --fix or --diff, also apply fixes that change what the config means.",
)
@click.option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    help="Lint every file again; neither read nor write the result cache.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="The result cache folder (default: $RETELL_LINT_CACHE_DIR, else "
    ".retell-lint-cache at the project root).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for runs on many files (default: the cores available).",
)
@rule_options
@click.option("--quiet", "-q", is_flag=True, help="Print the findings and errors, nothing else.")
@click.option(
    "--statistics", is_flag=True, help="Count the findings of each rule instead of listing them."
)
@env_option
@debug_option
def check(
    paths: tuple[str, ...],
    output_format: str | None,
    output: str | None,
    config_file: str | None,
    fail_level: str | None,
    exit_zero: bool,
    stdin_filename: str | None,
    colour: str,
    online: bool,
    force_exclude: bool,
    baseline: str | None,
    write_baseline: str | None,
    fix: bool,
    show_diff: bool,
    unsafe_fixes: bool,
    no_cache: bool,
    cache_dir: str | None,
    jobs: int | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    isolated: bool,
    show_settings: bool,
    quiet: bool,
    statistics: bool,
    env: str | None,
    debug: bool,
) -> int:
    """Lint phone-number configs (files, folders, or '-' for stdin).

    With --fix, safe fixes are applied first (for '-', the fixed text goes to stdout
    and the report to stderr); --diff shows them without changing anything.
    """
    from retell_lint.commands import run_check
    from retell_lint.options import CheckOptions

    if unsafe_fixes and not (fix or show_diff):
        raise click.UsageError(
            "--unsafe-fixes only changes what --fix or --diff do; add one of them "
            "(retell-lint check --fix --unsafe-fixes)"
        )
    from retell_lint.settings import Overrides, split_selectors

    overrides = Overrides(
        isolated=isolated,
        select=split_selectors(select) if select else None,
        extend_select=split_selectors(extend_select),
        ignore=split_selectors(ignore),
        fail_level=fail_level,
    )
    if show_settings:
        from retell_lint.settings import load_with_origins
        from retell_lint.settings import show_settings as describe

        click.echo(describe(*load_with_origins(config_file, overrides)), nl=False)
        return EXIT_CLEAN
    if statistics and output_format not in (None, "text", "json", "concise", "github"):
        raise click.UsageError(f"--statistics prints text or json, not {output_format}")
    # stdout is the report, unless it is the diff (--diff) or the fixed text (--fix -).
    fixed_stdin = fix and "-" in paths
    if output_format == "json" and output in (None, "-") and not (show_diff or fixed_stdin):
        envelope.expect_json("check")
    return run_check(
        CheckOptions(
            paths=paths,
            output_format=output_format,
            output=output,
            config_file=config_file,
            fail_level=fail_level,
            exit_zero=exit_zero,
            stdin_filename=stdin_filename,
            colour=colour,
            online=online,
            baseline=baseline,
            write_baseline=write_baseline,
            fix=fix,
            show_diff=show_diff,
            unsafe_fixes=unsafe_fixes,
            force_exclude=force_exclude,
            cache=not no_cache,
            cache_dir=cache_dir,
            jobs=jobs,
            quiet=quiet,
            statistics=statistics,
            overrides=overrides,
            env=env,
        )
    )


@cli.command()
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="The result cache folder (default as for check).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Configuration file (its folder is the project root).",
)
@debug_option
def clean(cache_dir: str | None, config_file: str | None, debug: bool) -> int:
    """Remove the result cache."""
    from retell_lint.commands import run_clean

    return run_clean(cache_dir, config_file)


def config_option(function: F) -> F:
    return click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False),
        help="Configuration file whose team policies to include (default: the nearest).",
    )(function)


@cli.command(name="rules")
@plan_format_option
@config_option
@debug_option
def rules_command(output_format: str, config_file: str | None, debug: bool) -> int:
    """List every rule: id, name, default severity, whether it is on by default;
    then the configuration's team policies."""
    from retell_lint.rule_commands import run_rules

    if output_format == "json":
        envelope.expect_json("rules")
    return run_rules(output_format, config_file)


@cli.command()
@click.argument("rule")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json")),
    default="text",
    help="Report format.",
)
@config_option
@debug_option
def explain(rule: str, output_format: str, config_file: str | None, debug: bool) -> int:
    """Explain a rule (by id such as RL301, or by name such as weights-sum) or a policy."""
    from retell_lint.rule_commands import run_explain

    if output_format == "json":
        envelope.expect_json("explain")
    return run_explain(rule, config_file, output_format)


@cli.command()
@debug_option
def server(debug: bool) -> int:
    """Run the language server on stdin/stdout, for editors (needs the server extra:
    pip install 'retell-lint[server]')."""
    from retell_lint.server import run_server

    return run_server(debug)


@cli.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the schema here.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("json",)),
    default="json",
    help="Output format (JSON only; accepted so every command takes --format).",
)
@click.option(
    "--policies", is_flag=True, help="The schema of team policy files instead of config files."
)
@debug_option
def schema(output: str | None, output_format: str, policies: bool, debug: bool) -> int:
    """Print the JSON Schema (draft 2020-12) of config files, for editors."""
    if policies:
        from retell_lint.policy.schema import run_schema as run_policy_schema

        return run_policy_schema(output)
    from retell_lint.schema import run_schema

    return run_schema(output)


@cli.command(epilog=EXIT_CODES_HELP)
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


def apply_options(function: F) -> F:
    """Options shared by plan and apply."""
    function = env_option(function)
    function = click.option(
        "--rotate-secrets",
        is_flag=True,
        help="Also send declared SIP passwords (from their environment variables).",
    )(function)
    return click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False),
        help="Configuration file (default: nearest .retell-lint.yaml or pyproject.toml).",
    )(function)


PLAN_EXIT_HELP = "Exit codes: 0 nothing to do; 1 changes pending; 2 could not plan."
APPLY_EXIT_HELP = (
    "Exit codes: 0 applied and verified, or nothing to do; 1 changes still pending "
    "(a missing --allow-* flag, or differences an update cannot make); 2 refused with "
    "nothing written, a write failed, or the account does not match afterwards."
)


@cli.command(epilog=PLAN_EXIT_HELP)
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


@cli.command(name="apply", epilog=APPLY_EXIT_HELP)
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
    from retell_lint.apply.commands import RunOptions, run_apply

    if output_format == "json":
        envelope.expect_json("apply")
    return run_apply(
        paths,
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


@cli.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the snapshot here.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("json",)),
    default="json",
    help="Output format (JSON only; accepted so every command takes --format).",
)
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


@cli.command()
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


def _add_epilogs() -> None:
    """Every command's help ends with its exit codes, an example and a docs link."""
    from retell_lint.help_text import epilog

    if "Docs: " not in (cli.epilog or ""):
        cli.epilog = epilog(None, cli.epilog)
    for name, command in cli.commands.items():
        if "Docs: " not in (command.epilog or ""):
            command.epilog = epilog(name, command.epilog)


@cli.command()
@click.option(
    "--source",
    default=None,
    metavar="URL",
    help="Git URL of your copy of retell-lint, for the hooks and the CI workflow.",
)
@click.option("--rev", default=None, help="Tag or commit of that copy (default: this version).")
@click.option("--dry-run", is_flag=True, help="Print what would be written; write nothing.")
@debug_option
def init(source: str | None, rev: str | None, dry_run: bool, debug: bool) -> int:
    """Write .retell-lint.yaml, the pre-commit hooks and a CI workflow for this repository.

    Existing files are never overwritten: init says what it kept, and prints the lines
    to add to a .pre-commit-config.yaml that does not run retell-lint yet.
    """
    from retell_lint.init import InitOptions, run_init

    options = InitOptions(dry_run=dry_run)
    if source is not None:
        options = InitOptions(source.rstrip("/").removesuffix(".git"), options.rev, dry_run)
    if rev is not None:
        options = InitOptions(options.source, rev, dry_run)
    return run_init(options)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; never lets an exception escape."""
    from retell_lint.guard import guarded, prepare_streams

    args = sys.argv[1:] if argv is None else argv
    prepare_streams()
    _add_epilogs()  # commands added after this module was imported get theirs too
    return guarded(args, lambda: _run_click(args))


def _run_click(args: list[str]) -> int:
    """The command's exit code; click's own outcomes (usage errors, --help, --version,
    a declined prompt) turned into exit codes here, everything else left to the guard."""
    try:
        code = cli.main(args=args, prog_name="retell-lint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.NoArgsIsHelpError as exc:
        # Bare `retell-lint`: the help, as `--help` prints it.
        click.echo(exc.ctx.get_help())
        return EXIT_CLEAN
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx is not None else "retell-lint"
        message = f"{exc.format_message()} (see '{command} --help')"
        echo_error(f"error: {message}")
        envelope.write_failure(message, command=envelope.wanted_from_args(args))
        return EXIT_ERROR
    except click.ClickException as exc:
        echo_error(f"error: {exc.format_message()}")
        envelope.write_failure(exc.format_message(), command=envelope.wanted_from_args(args))
        return EXIT_ERROR
    except click.exceptions.Abort:
        echo_error("aborted")
        return EXIT_ERROR
    return code if isinstance(code, int) else EXIT_CLEAN


_add_epilogs()
