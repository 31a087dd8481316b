"""The ``check`` command's options (registered on the command group by
:mod:`retell_lint.cli`): parsed into one :class:`~retell_lint.options.CheckOptions`
for :func:`retell_lint.commands.run_check`. The plain command line that needs none of
click (:mod:`retell_lint.entry`) builds the same options without it.
"""

from __future__ import annotations

import click

from retell_lint import envelope
from retell_lint.cli_options import (
    debug_option,
    env_option,
    report_options,
    rule_options,
)
from retell_lint.options import CHECK_FORMATS
from retell_lint.output import EXIT_CLEAN, EXIT_CODES_HELP


@click.command(epilog=EXIT_CODES_HELP)
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
