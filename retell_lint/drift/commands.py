"""The drift, snapshot and export commands: each returns its exit code.

Exit codes: 0 complete and in sync; 1 drift; 2 could not complete (no API key,
authentication failure, an API error after retries, declared files that do not
parse, a bad live-state file). A failed read never exits 0 or 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from retell_lint.errors import FatalError

if TYPE_CHECKING:
    from retell_lint.build import NumberDoc
    from retell_lint.config import Config
    from retell_lint.drift.snapshot import LiveState
    from retell_lint.environment_config import Environment
    from retell_lint.retell_api import RetellClient

# Reader rules that mean a declared file could not be read as intended.
PARSE_RULES = frozenset({"RL001", "RL002", "RL003", "RL004", "RL005"})


def _note(message: str) -> None:
    from retell_lint.output import echo_error

    echo_error(message)


def read_declared(
    paths: tuple[str, ...], config: Config, *, note_empty: bool = True
) -> list[NumberDoc]:
    """The declared numbers, read with the lint reader; exit 2 when a file does not parse."""
    from retell_lint.discover import discover
    from retell_lint.filestate import read_numbers
    from retell_lint.loading import load_sources

    names = discover(paths, config)
    if config.environments:
        from retell_lint.environments import check_owned

        check_owned(names, config)
    if note_empty and not paths and not names:
        _note(f"no files match {', '.join(config.include)} under {config.root}")
    sources, hits, errors = load_sources(names, None)
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise FatalError(f"cannot read declared files: {first}{more}")
    problems = [hit for hit in hits if hit.rule in PARSE_RULES]
    numbers: list[NumberDoc] = []
    for source in sources:
        state = read_numbers(source)
        problems.extend(hit for hit in state.hits if hit.rule in PARSE_RULES)
        numbers.extend(state.numbers)
    if problems:
        problems.sort(key=lambda h: (h.file, h.span.line, h.span.column))
        first_hit = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise FatalError(
            f"declared files do not parse: {first_hit.file}:{first_hit.span.line}:"
            f"{first_hit.span.column}: {first_hit.rule} {first_hit.message}{more}; "
            "run 'retell-lint check' for details"
        )
    return numbers


def _client(environment: Environment | None = None) -> RetellClient:
    from retell_lint.accounts import client

    result: RetellClient = client(environment)
    return result


def _live_state(
    live_state: str | None, *, with_agents: bool = False, environment: Environment | None = None
) -> LiveState:
    from retell_lint.drift.snapshot import fetch_live_state, load_live_state

    if live_state is not None:
        return _same_environment(load_live_state(live_state), environment)
    with _client(environment) as client:
        return fetch_live_state(client, with_agents=with_agents)


def _same_environment(state: LiveState, environment: Environment | None) -> LiveState:
    """Refuse a snapshot saved for another environment than the one chosen."""
    if environment is not None and state.environment not in (None, environment.name):
        from retell_lint.output import safe_text

        raise FatalError(
            f"--live-state {safe_text(state.origin)} was saved for environment "
            f"'{safe_text(state.environment or '')[:64]}', not '{environment.name}'"
        )
    return state


def _write(text: str, output: str | None, *, colour: bool = False) -> None:
    """Write a report, snapshot or plan; to a file atomically, never through a link."""
    if output is None or output == "-":
        # click drops escape sequences off a terminal unless told to keep them.
        click.echo(text, nl=False, color=colour or None)
        return
    from retell_lint.safe_io import write_text

    write_text(output, text, what="the output file", errors="backslashreplace")


def run_drift(
    paths: tuple[str, ...],
    *,
    output_format: str,
    output: str | None,
    config_file: str | None,
    live_state: str | None,
    fail_on_unmanaged: bool,
    colour: str = "auto",
    isolated: bool = False,
    env: str | None = None,
) -> int:
    from retell_lint import environments
    from retell_lint.drift.plan import build_plan
    from retell_lint.drift.render import render
    from retell_lint.drift.snapshot import fetch_live_state, load_live_state
    from retell_lint.output import use_colour
    from retell_lint.settings import Overrides, load_settings

    config = load_settings(config_file, Overrides(isolated=isolated))
    environment = environments.select(config, env, "drift")
    config = environments.scoped(config, environment)
    if live_state is not None:
        declared = read_declared(paths, config)
        state = _same_environment(load_live_state(live_state), environment)
    else:
        # Fail fast on a missing key or a bad base URL, before reading any file.
        with _client(environment) as client:
            declared = read_declared(paths, config)
            from retell_lint.apply.progress import read_progress

            client.on_page = read_progress()
            state = fetch_live_state(client)
    location = str(config.path) if config.path is not None else None
    plan = build_plan(
        declared, state, config.drift_ignore, config_location=location, partial=bool(paths)
    )
    for rule in plan.unused_ignores:
        what = f" field {rule.field}" if rule.field else ""
        _note(
            f"warning: drift.ignore entry for {rule.phone_number}{what} matches no declared "
            "or live number"
        )
    report = environments.label(render(plan, output_format), output_format, environment)
    coloured = output_format == "text" and use_colour(colour, output)
    if coloured:
        from retell_lint.render.colour import colourise

        report = colourise(report)
    _write(report, output, colour=coloured)
    code = plan.exit_code(fail_on_unmanaged)
    if not plan.complete:
        _note(f"error: {plan.origin} was not read completely; nothing is reported as in sync")
    return code


def run_snapshot(
    output: str | None, *, env: str | None = None, config_file: str | None = None
) -> int:
    from retell_lint import environments
    from retell_lint.config import load_config
    from retell_lint.drift.snapshot import dump_snapshot

    environment = environments.select(load_config(config_file), env, "snapshot")
    state = _live_state(None, with_agents=True, environment=environment)
    text = environments.label(dump_snapshot(state), "json", environment)
    _write(text, output)
    if output not in (None, "-"):
        _note(
            f"saved {len(state.numbers)} numbers and {len(state.agents or [])} agents to {output}"
        )
    return 0


def declared_numbers(config: Config) -> dict[str, str]:
    """Every number the configured tree declares → ``file:line`` of its declaration."""
    from retell_lint.online import phone_key

    found: dict[str, str] = {}
    for doc in read_declared((), config, note_empty=False):
        if doc.phone_number is not None:
            where = f"{doc.file}:{doc.value_span('phone_number').line}"
            found.setdefault(phone_key(doc.phone_number), where)
    return found


SKIPPED_SHOWN = 10


def run_export(
    out_dir: str | None,
    *,
    live_state: str | None,
    force: bool,
    config_file: str | None = None,
    output_format: str = "text",
    env: str | None = None,
) -> int:
    from retell_lint import environments
    from retell_lint.config import load_config
    from retell_lint.drift.export import export_files, one_line
    from retell_lint.drift.export_plan import plan_export, prepare_folder, write_file

    config = load_config(config_file)
    environment = environments.select(config, env, "export")
    config = environments.scoped(config, environment)
    out_dir = environments.export_folder(config, environment, out_dir)
    # Numbers declared anywhere in the configured tree are not exported again.
    declared = declared_numbers(config)
    folder = Path(out_dir)
    if folder.is_symlink():
        raise FatalError(f"refusing to export into {out_dir}: it is a symbolic link")
    if folder.exists() and not folder.is_dir():
        raise FatalError(f"{out_dir} exists and is not a folder")
    state = _live_state(live_state, environment=environment)
    plan = plan_export(export_files(state), declared, folder, force=force)
    if plan.existing:
        more = f" and {len(plan.existing) - 1} more" if len(plan.existing) > 1 else ""
        raise FatalError(
            f"refusing to overwrite {plan.existing[0]}{more}; use --force to overwrite"
        )
    inside = str(config.root)
    prepare_folder(folder, inside)
    written: list[str] = []
    try:
        for name, text in plan.write:
            write_file(folder, name, text, replace=force, inside=inside, written=written)
    except KeyboardInterrupt:
        raise FatalError(
            f"interrupted: {len(written)} of {len(plan.write)} files were written to {out_dir}"
        ) from None
    if output_format == "json":
        from retell_lint import envelope

        report = {
            "version": 1,
            "folder": out_dir,
            "written": [str(folder / name) for name, _text in plan.write],
            "skipped": [{"phone_number": n, "declared_at": p} for n, p in plan.skipped],
        }
        origin: dict[str, str] = {"source": state.source, "origin": state.origin}
        if environment is not None:
            origin["name"] = environment.name
        document = envelope.wrap("export", report, environment=origin)
        click.echo(envelope.dumps(document), nl=False)
        return 0
    where = "the Retell API" if state.source == "api" else one_line(state.origin)
    count = len(plan.write)
    click.echo(environments.label("", "text", environment), nl=False)
    click.echo(f"Wrote {count} file{'' if count == 1 else 's'} to {out_dir} (from {where}).")
    if plan.skipped:
        shown = ", ".join(
            f"{one_line(number)} ({one_line(place)})"
            for number, place in plan.skipped[:SKIPPED_SHOWN]
        )
        extra = len(plan.skipped) - SKIPPED_SHOWN
        if extra > 0:
            shown += f" and {extra} more"
        numbers = "number" if len(plan.skipped) == 1 else "numbers"
        click.echo(
            f"Skipped {len(plan.skipped)} {numbers} already declared in the configured tree: "
            f"{shown}" + ("" if force else "; --force rewrites a number's own file")
        )
    return 0
