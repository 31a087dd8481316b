"""The plan command, and the preparation plan and apply share: the declared files
linted and read, the account read, the actions worked out (apply: ``applying``).

plan: 0 nothing to do; 1 changes pending; 2 could not plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from retell_lint.errors import FatalError

if TYPE_CHECKING:
    from retell_lint.build import NumberDoc
    from retell_lint.config import Config
    from retell_lint.drift.snapshot import LiveState
    from retell_lint.retell_api import RetellClient

    from .actions import ActionPlan


def _note(message: str) -> None:
    from retell_lint.output import echo_error

    echo_error(message)  # one line, control characters escaped


@dataclass
class Prepared:
    declared: list[NumberDoc]
    files: dict[str, Any]
    state: LiveState
    live: dict[str, dict[str, Any]]
    plan: ActionPlan


def _lint_first(paths: Sequence[str], config: Config) -> tuple[list[NumberDoc], dict[str, Any]]:
    """The declared numbers, after check finds no errors in their files; and the files'
    fingerprint."""
    from retell_lint.discover import discover
    from retell_lint.drift.commands import PARSE_RULES
    from retell_lint.engine import lint_sources
    from retell_lint.filestate import read_numbers
    from retell_lint.loading import load_sources

    from .saved_plan import files_fingerprint

    names = discover(tuple(paths), config)
    if config.environments:
        from retell_lint.environments import check_owned

        check_owned(names, config)
    if not paths and not names:
        _note(f"no files match {', '.join(config.include)} under {config.root}")
    sources, decode_hits, read_errors = load_sources(names, None)
    if read_errors:
        first = read_errors[0]
        where = f"{first.file}: " if first.file else ""
        raise FatalError(f"cannot read the declared files: {where}{first.message}")
    # A value the reader could not read is left out of the model, where it would look
    # like null ("unset it"): whatever the configuration says, such files are refused.
    unreadable = [hit for hit in decode_hits if hit.rule in PARSE_RULES]
    for source in sources:
        unreadable.extend(h for h in read_numbers(source).hits if h.rule in PARSE_RULES)
    if unreadable:
        hit = min(unreadable, key=lambda h: (h.file, h.span.line, h.span.column))
        raise FatalError(
            f"refusing: the declared files do not read cleanly: {hit.file}:{hit.span.line}:"
            f"{hit.span.column}: {hit.rule} {hit.message}; fix them first (nothing was written)"
        )
    result = lint_sources(sources, config, extra_hits=decode_hits)
    errors = [f for f in result.findings if f.severity == "error"]
    if errors:
        first_error = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise FatalError(
            f"refusing: check finds {len(errors)} error{'s' if len(errors) > 1 else ''} in the "
            f"declared files: {first_error.file}:{first_error.line}:{first_error.column}: "
            f"{first_error.rule} {first_error.message}{more}; fix them first (nothing was "
            "written)"
        )
    files = [(name, source.text) for name, source in result.sources.items()]
    config_text: tuple[str, str] | None = None
    if config.path is not None:
        from retell_lint.config import read_config

        config_text = (str(config.path), read_config(config.path))
    return result.numbers, files_fingerprint(files, config_text)


def _prepare(
    paths: Sequence[str], config: Config, client: RetellClient, *, rotate_secrets: bool
) -> Prepared:
    from retell_lint.drift.snapshot import fetch_live_state

    declared, files = _lint_first(paths, config)
    state = fetch_live_state(client)
    return _plan_against(declared, files, state, paths, config, rotate_secrets=rotate_secrets)


def _plan_against(
    declared: list[NumberDoc],
    files: dict[str, Any],
    state: LiveState,
    paths: Sequence[str],
    config: Config,
    *,
    rotate_secrets: bool,
) -> Prepared:
    from retell_lint.drift.plan import build_plan

    from .building import build_actions

    location = str(config.path) if config.path is not None else None
    drift = build_plan(
        declared, state, config.drift_ignore, config_location=location, partial=bool(paths)
    )
    live = state.by_number()
    plan = build_actions(declared, drift, live, rotate_secrets=rotate_secrets)
    return Prepared(declared, files, state, live, plan)


def _document(
    prepared: Prepared,
    base_url: str,
    paths: Sequence[str],
    config: Config,
    account: str | None = None,
) -> dict[str, Any]:
    from retell_lint.drift.snapshot import now_iso

    from .saved_plan import plan_document

    return plan_document(
        prepared.plan,
        live=prepared.live,
        base_url=base_url,
        paths=paths,
        config_file=str(config.path) if config.path is not None else None,
        declared=prepared.files,
        created_at=now_iso(),
        isolated=config.isolated,
        environment=config.environment.name if config.environment is not None else None,
        account=account,
    )


def _render(plan: ActionPlan, document: Mapping[str, Any], output_format: str) -> str:
    from . import render
    from .saved_plan import dump_plan

    if output_format == "json":
        return dump_plan(document)
    if output_format == "markdown":
        return render.render_markdown(plan)
    return render.render_text(plan)


def run_plan(
    paths: tuple[str, ...],
    *,
    output_format: str,
    save: str | None,
    config_file: str | None,
    rotate_secrets: bool,
    colour: str = "auto",
    isolated: bool = False,
    env: str | None = None,
) -> int:
    from retell_lint import accounts, environments
    from retell_lint.drift.commands import _write
    from retell_lint.output import use_colour
    from retell_lint.settings import Overrides, load_settings

    from .saved_plan import dump_plan

    config = load_settings(config_file, Overrides(isolated=isolated))
    environment = environments.select(config, env, "plan")
    config = environments.scoped(config, environment)
    account = accounts.account_fingerprint(environment)
    with accounts.client(environment) as client:
        prepared = _prepare(paths, config, client, rotate_secrets=rotate_secrets)
        document = _document(prepared, client.base_url, paths, config, account)
    if save is not None:
        _write(dump_plan(document), save)
    report = _render(prepared.plan, document, output_format)
    if output_format != "json":  # the JSON document names its environment itself
        report = environments.label(report, output_format, environment)
    coloured = output_format == "text" and use_colour(colour, None)
    if coloured:
        from retell_lint.render.colour import colourise

        report = colourise(report)
    click.echo(report, nl=False, color=coloured or None)
    if save is not None:
        _note(f"saved the plan to {save}; apply it with: retell-lint apply --plan {save}")
    return prepared.plan.exit_code()
