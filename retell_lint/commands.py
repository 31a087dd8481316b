"""One function per command: do the work, write the output, return the exit code."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from retell_lint import catalogue
from retell_lint.errors import FatalError
from retell_lint.output import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    echo,
    echo_error,
    set_stderr_style,
    use_colour,
    write_output,
)

if TYPE_CHECKING:
    from retell_lint.options import CheckOptions


def render_check(
    result: Any, output_format: str, colour: bool, *, quiet: bool = False, statistics: bool = False
) -> str:
    if output_format == "json":
        from retell_lint.render import json as json_render

        return json_render.render(result, statistics=statistics)
    if statistics or output_format == "text":
        if statistics:
            from retell_lint.render import statistics as statistics_render

            rendered_text: str = statistics_render.render(result)
        else:
            from retell_lint.render import text

            rendered_text = text.render(result, colour=colour, quiet=quiet)
        if result.environment is not None and output_format == "text" and not quiet:
            # check --env: the report's first line says which (--quiet: findings only).
            rendered_text = f"Environment: {result.environment}\n{rendered_text}"
        return rendered_text
    import importlib

    try:
        module = importlib.import_module(f"retell_lint.render.{output_format}")
    except ModuleNotFoundError:
        raise FatalError(f"the {output_format} format is not available") from None
    rendered: str = module.render(result)
    return rendered


LAST_RESULT: list[Any] = [None]


def run_check(options: CheckOptions) -> int:
    from retell_lint.discover import STDIN
    from retell_lint.engine import lint
    from retell_lint.settings import Overrides, load_settings

    paths, output, output_format = options.paths, options.output, options.output_format
    fix, unsafe_fixes = options.fix, options.unsafe_fixes
    stdin_filename = options.stdin_filename
    quiet, statistics = options.quiet, options.statistics
    if stdin_filename is not None and STDIN not in paths:
        # Without '-' nothing is read from stdin: linting the tree instead would
        # pass a pre-commit or editor run that never saw the text it sent.
        import click

        raise click.UsageError(
            "--stdin-filename names the text read from stdin; pass '-' as the path "
            f"(retell-lint check --stdin-filename {stdin_filename} -)"
        )
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if output_format == "github":
        set_stderr_style("github")
    config = load_settings(options.config_file, options.overrides or Overrides())
    environment = None
    if options.env is not None:
        from retell_lint import environments

        environment = environments.select(config, options.env, "check")
        config = environments.scoped(config, environment)
    if options.fail_level is not None:
        config.fail_level = options.fail_level  # type: ignore[assignment]
    account = None
    if options.online:
        from retell_lint.online import fetch_account

        if config.environments and environment is None:
            # The account the agents are looked up in: one environment's, never a guess.
            from retell_lint import environments

            environment = environments.select(config, None, "check --online")
            config = environments.scoped(config, environment)
        if environment is None:
            account = fetch_account()
        else:
            from retell_lint.accounts import client

            chosen = environment
            account = fetch_account(lambda: client(chosen))
    result = lint(paths, config, options=options, account=account)
    # Kept past the return: the console script may end the process without freeing a
    # large run's objects one by one (retell_lint.entry.run).
    LAST_RESULT[0] = result
    stdin_name = (stdin_filename or "-") if "-" in paths else None
    if environment is not None:
        result.environment = environment.name
    if options.show_diff:
        return _run_diff(result, config, output, unsafe_fixes)
    stdin_text = None
    if fix and not _has_fixable(result):
        # Nothing any rule can fix: no fix module is needed (a clean run costs a check).
        result.fix_summary = {
            "mode": "fix",
            "fixed": 0,
            "fixed_files": 0,
            "fixable": 0,
            "unsafe_fixable": 0,
            "unsafe_enabled": unsafe_fixes,
        }
    elif fix:
        from retell_lint.fix.command import run_fix

        result, _run, stdin_text = run_fix(
            result, config, unsafe=unsafe_fixes, stdin_name=stdin_name, account=account
        )
    elif output_format in ("text", "json", "sarif") and _has_fixable(result):
        _mark_fixable(result, output_format, unsafe_fixes)
    if options.write_baseline is not None or options.baseline is not None:
        from retell_lint.baseline import apply_baseline

        apply_baseline(result, baseline=options.baseline, write=options.write_baseline)
    if result.files == 0 and result.excluded:
        echo_error(
            "every file named is excluded by the configuration or is one of its own files; "
            "nothing to lint"
        )
    elif result.files == 0 and not result.errors:
        from retell_lint.findings import ToolError

        result.errors.append(ToolError(_nothing_to_lint(paths, config)))
    coloured = use_colour(options.colour, output)
    if result.files == 0 and output_format in ("text", "concise", "github"):
        # Nothing was read: no report (it could only claim success); stderr says why.
        for error in result.errors:
            echo_error(f"error: {error}")
        return EXIT_ERROR if result.errors else EXIT_CLEAN
    if fix and stdin_name is not None:
        # The fixed text is the output; the report goes to stderr (or --output).
        _write_stdin_fixed(result, stdin_name, stdin_text)
        if output is None:
            echo(render_check(result, output_format, False), nl=False, err=True)
        else:
            write_output(render_check(result, output_format, False), output)
    else:
        report = render_check(result, output_format, coloured, quiet=quiet, statistics=statistics)
        write_output(report, output, coloured)
    if (
        fix
        and not quiet
        and (output is not None or (output_format != "text" and stdin_name is None))
    ):
        # The report goes to a file or has no room for it: say what --fix did on stderr.
        from retell_lint.render.text import fix_lines

        for line in fix_lines(result):
            echo(line, err=True)
    # Whatever the format and wherever the report goes, stderr says why a run failed.
    for error in result.errors:
        echo_error(f"error: {error}")
    if result.errors:
        return EXIT_ERROR
    if result.failed and not options.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _mark_fixable(result: Any, output_format: str, unsafe: bool) -> None:
    """Mark the fixable findings and count them. Only SARIF carries a fix's edits, so
    only SARIF works them out; text and JSON know what is fixable from the rule and
    the finding (:mod:`retell_lint.fixable`)."""
    if output_format == "sarif":
        from retell_lint.fix.registry import annotate

        annotate(result)
    else:
        from retell_lint.fixable import mark

        mark(result)
    fixable = unsafe_only = 0
    for finding in result.findings:
        if finding.fix is None:
            continue
        if finding.fix.applicability == "safe" or unsafe:
            fixable += 1
        else:
            unsafe_only += 1
    result.fix_summary = {
        "mode": None,
        "fixed": 0,
        "fixed_files": 0,
        "fixable": fixable,
        "unsafe_fixable": unsafe_only,
        "unsafe_enabled": unsafe,
    }


def run_clean(cache_dir: str | None, config_file: str | None) -> int:
    from retell_lint.cache import folder_for
    from retell_lint.cache_folder import CacheError, clear
    from retell_lint.config import load_config

    folder = folder_for(str(load_config(config_file).root), cache_dir)
    try:
        removed = clear(folder)
    except CacheError as exc:
        raise FatalError(str(exc)) from None
    echo(f"Removed {folder}" if removed else f"No cache at {folder}")
    return EXIT_CLEAN


def _nothing_to_lint(paths: tuple[str, ...], config: Any) -> str:
    """The error of a run that found no config file, with what it looked for."""
    globs = ", ".join(config.include)
    if paths:
        return f"no config files to lint in {', '.join(paths)} (looked for {globs})"
    return (
        f"no config files matched {globs} under {config.root}; "
        "name files or folders, or set include in .retell-lint.yaml"
    )


def _write_stdin_fixed(result: Any, stdin_name: str, fixed: str | None) -> None:
    """Standard input's text, fixed, to standard output (byte-order mark kept)."""
    import sys

    source = result.sources.get(stdin_name)
    if source is None or source.undecodable:
        return
    text = fixed if fixed is not None else source.text
    data = (b"\xef\xbb\xbf" if source.bom else b"") + text.encode("utf-8")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _has_fixable(result: Any) -> bool:
    """Whether a finding's rule can fix (cheap: no fix module is imported to tell)."""
    if not result.findings:
        return False
    fixable = catalogue.fixable_rules()
    return any(finding.rule in fixable for finding in result.findings)


def _run_diff(result: Any, config: Any, output: str | None, unsafe: bool) -> int:
    from retell_lint.fix.command import diff_summary, run_diff

    diff, run = run_diff(result, config, unsafe=unsafe)
    if diff or output not in (None, "-"):
        write_output(diff, output)
    echo(diff_summary(run, result), err=True)
    for error in [*result.errors, *run.errors]:
        echo(f"retell-lint: error: {error}", err=True)
    if result.errors or run.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if run.changed else EXIT_CLEAN
