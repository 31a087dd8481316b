"""The command line: parse options, call one function per command, return an exit code.

Exit codes, the same for every command and format:
  0  clean (no finding at or above the fail level; no drift)
  1  findings at or above the fail level, or drift
  2  could not run: bad usage, invalid configuration, unreadable input,
     API failure, internal error
"""

from __future__ import annotations

import sys

import click

from retell_lint import __version__, envelope
from retell_lint.cli_account import apply_command, drift, export, plan, snapshot
from retell_lint.cli_check import check
from retell_lint.cli_options import (
    config_option,
    debug_option,
    json_format_option,
    plan_format_option,
)
from retell_lint.output import (
    EXIT_CLEAN,
    EXIT_CODES_HELP,
    EXIT_ERROR,
    echo_error,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, "--version", prog_name="retell-lint")
def cli() -> None:
    """Lint Retell AI phone-number configs and compare them with the live account."""


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
@json_format_option
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


for _command in (check, drift, plan, apply_command, snapshot, export):
    cli.add_command(_command)


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
