"""Options several commands share, as decorators (one definition, one wording)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


# --format of the commands whose reports are for people and pull requests.
plan_format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json", "markdown")),
    default="text",
    help="Report format.",
)

# --format of the commands that write JSON only (accepted so every command takes it).
json_format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(("json",)),
    default="json",
    help="Output format (JSON only; accepted so every command takes --format).",
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


def config_option(function: F) -> F:
    return click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False),
        help="Configuration file whose team policies to include (default: the nearest).",
    )(function)


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
