"""Environments: one Retell account each (staging, prod), with the files it owns.

``environments:`` in the configuration maps a name to ``paths`` (globs of the files it
owns), ``api_key_env`` (the variable holding its key) and an optional ``base_url``.
The account commands (drift, plan, apply, snapshot, export) work on one environment
at a time and need ``--env NAME`` as soon as there are two: there is no remembered
current environment that a run could silently fall back to. ``check`` lints every
environment, and its project rules (duplicate numbers, fallback chains) look at one
account at a time.
"""

from __future__ import annotations

import copy
import os
from typing import TYPE_CHECKING

from retell_lint.errors import FatalError

if TYPE_CHECKING:
    from retell_lint.config import Config
    from retell_lint.environment_config import Environment


def names(config: Config) -> str:
    return ", ".join(sorted(config.environments))


def select(config: Config, name: str | None, command: str) -> Environment | None:
    """The environment a command works on: ``--env NAME``, or the only one there is.

    Without ``environments:`` there is none (everything works as without them).
    With two or more, ``--env`` is required: the error lists the names.
    """
    if not config.environments:
        if name is not None:
            raise FatalError(
                f"--env {name}: the configuration defines no environments "
                "(add an 'environments' section)"
            )
        return None
    if name is None:
        if len(config.environments) == 1:
            return next(iter(config.environments.values()))
        raise FatalError(
            f"{command} needs --env NAME: the configuration defines "
            f"{len(config.environments)} environments ({names(config)})"
        )
    if name not in config.environments:
        raise FatalError(f"unknown environment '{name[:64]}' (known: {names(config)})")
    return config.environments[name]


def scoped(config: Config, environment: Environment | None) -> Config:
    """A copy of ``config`` whose configured tree is the environment's files only."""
    if environment is None:
        return config
    narrowed = copy.copy(config)
    narrowed.include = list(environment.paths)
    narrowed.environment = environment
    return narrowed


def check_owned(names_: list[str], config: Config) -> None:
    """Refuse files owned by two environments, and (for one environment) files it does
    not own: a run for staging never reads prod's files."""
    from retell_lint.ownership import Owners

    target = getattr(config, "environment", None)
    owners_of = Owners(config)
    for name in names_:
        owners = owners_of.of(name)
        if len(owners) > 1:
            both = " and ".join(f"'{env.name}'" for env in owners[:2])
            raise FatalError(
                f"invalid configuration: {_shown(name)} is owned by two environments, "
                f"{both}; make their paths not overlap"
            )
        if target is not None and name != "-" and (not owners or owners[0] != target):
            other = f" (it belongs to '{owners[0].name}')" if owners else ""
            raise FatalError(
                f"{_shown(name)} is not one of environment '{target.name}''s files{other}"
            )


def _shown(name: str) -> str:
    from retell_lint.output import display_name

    return display_name(name)


def label(text: str, output_format: str, environment: Environment | None) -> str:
    """A human report with the environment's name: a first line (text) or in the title
    (Markdown). Without environments the report is as it was."""
    if environment is None:
        return text
    from retell_lint.output import safe_text

    name = safe_text(environment.name)
    if output_format == "markdown":
        first, newline, rest = text.partition("\n")
        if first.startswith("#"):
            return f"{first} ({name}){newline}{rest}"
        return f"### {name}\n\n{text}"
    if output_format == "text":
        return f"Environment: {name}\n{text}"
    if output_format == "json":
        import json

        document = json.loads(text)
        if isinstance(document, dict):
            # The envelope's ``environment`` object says where the data comes from.
            known = document.get("environment")
            document["environment"] = {**(known if isinstance(known, dict) else {}), "name": name}
            return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return text


def _folder_of(pattern: str) -> str:
    """The folder part of a glob before its first wildcard ('retell/prod/**' → 'retell/prod')."""
    parts = pattern.strip("/").split("/")
    literal: list[str] = []
    for part in parts[:-1] if "." in parts[-1] or "*" in parts[-1] else parts:
        if any(mark in part for mark in "*?["):
            break
        literal.append(part)
    return "/".join(literal)


def export_folder(config: Config, environment: Environment | None, out_dir: str | None) -> str:
    """Where export writes: ``--out``, or the environment's folder; a folder whose files
    the environment would not own is refused (they would belong to no one, or to another)."""
    if environment is None:
        return "retell" if out_dir is None else out_dir
    if out_dir is None:
        folders = [_folder_of(pattern) for pattern in environment.paths]
        out_dir = next((folder for folder in folders if folder), None)
        if out_dir is None:
            raise FatalError(
                f"environment '{environment.name}' has no plain folder in its paths; "
                "give one with --out"
            )
        out_dir = str(config.root / out_dir) if not os.path.isabs(out_dir) else out_dir
        out_dir = os.path.relpath(out_dir)
    from retell_lint.ownership import owner_of

    sample = os.path.join(out_dir, "number.yaml")
    owners = owner_of(sample, config)
    if [env.name for env in owners] != [environment.name]:
        raise FatalError(
            f"refusing to export into {_shown(out_dir)}: files there are not environment "
            f"'{environment.name}''s (its paths: {', '.join(environment.paths)})"
        )
    return out_dir
