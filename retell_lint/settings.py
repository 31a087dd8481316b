"""Command-line settings on top of the configuration file, and where each value came from.

``--select``/``--extend-select``/``--ignore`` choose rules as ruff does (by id, name
or id prefix such as ``RL3``; ``ALL`` for every rule); ``--isolated`` ignores
configuration files; ``--show-settings`` prints the result with the origin of every
value (default, the file and line, or the option).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from retell_lint.errors import FatalError

if TYPE_CHECKING:
    from retell_lint.config import Config


class Overrides(NamedTuple):
    """What the command line says about the configuration (empty: the file decides)."""

    isolated: bool = False
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_level: str | None = None


def split_selectors(values: Iterable[str]) -> tuple[str, ...]:
    """``--select RL301,RL302 --select weights-sum`` → each selector once, in order."""
    found: list[str] = []
    for value in values:
        for part in value.split(","):
            if part.strip() and part.strip() not in found:
                found.append(part.strip())
    return tuple(found)


def load_settings(config_file: str | None, overrides: Overrides) -> Config:
    """The configuration of a run: the file (unless isolated), then the options."""
    return load_with_origins(config_file, overrides)[0]


def load_with_origins(
    config_file: str | None, overrides: Overrides
) -> tuple[Config, dict[str, str]]:
    """:func:`load_settings`, and which option set each value it changed."""
    from retell_lint.config import Config, load_config

    if overrides.isolated:
        if config_file is not None:
            raise FatalError("--isolated ignores configuration files; drop --config or --isolated")
        config = Config(root=Path.cwd())
        config.isolated = True
    else:
        config = load_config(config_file)
    return config, apply_overrides(config, overrides)


def _all_rules(config: Config) -> dict[str, bool]:
    """Every rule id (built-in, then policies) → whether it is on by default."""
    from retell_lint import catalogue

    rules = {rule.id: rule.enabled for rule in catalogue.load().values()}
    for policy in config.policies:
        rules[policy.id] = policy.enabled
    return rules


def expand(selector: str, config: Config, option: str) -> list[str]:
    """The rule ids a selector names: ``ALL``, an id, a name, or an id prefix."""
    from retell_lint import catalogue

    rules = _all_rules(config)
    if selector.upper() == "ALL":
        return list(rules)
    names: Mapping[str, str] = {**catalogue.aliases(), **config.policy_ids()}
    exact = catalogue.resolve(selector, names)
    if exact is not None:
        return [exact]
    prefix = selector.strip().upper()
    matched = [rule_id for rule_id in rules if rule_id.startswith(prefix)] if prefix else []
    if matched:
        return matched
    raise FatalError(
        f"{option}: unknown rule '{selector}'; {catalogue.did_you_mean(selector, names)}"
    )


def apply_overrides(config: Config, overrides: Overrides) -> dict[str, str]:
    """Switch rules on and off as the options say; which option set each rule id."""
    origins: dict[str, str] = {}
    rules = _all_rules(config)
    if overrides.select is not None:
        chosen = {r for s in overrides.select for r in expand(s, config, "--select")}
        for rule_id in rules:
            if rule_id in chosen:
                if config.rules.get(rule_id) in (None, "off"):
                    config.rules[rule_id] = "on"
            else:
                config.rules[rule_id] = "off"
            origins[rule_id] = "--select"
    for selector in overrides.extend_select:
        for rule_id in expand(selector, config, "--extend-select"):
            if config.rules.get(rule_id) in (None, "off"):
                config.rules[rule_id] = "on"
            origins[rule_id] = "--extend-select"
    for selector in overrides.ignore:
        for rule_id in expand(selector, config, "--ignore"):
            config.rules[rule_id] = "off"
            origins[rule_id] = "--ignore"
    if overrides.fail_level is not None:
        config.fail_level = overrides.fail_level  # type: ignore[assignment]
        origins["fail_level"] = "--fail-level"
    return origins


def show_settings(config: Config, origins: Mapping[str, str]) -> str:
    """The effective settings, one per line, each with where it came from."""
    from retell_lint import catalogue
    from retell_lint.config import DEFAULT_INCLUDE, effective_severity
    from retell_lint.output import safe_text

    where = _file_lines(config)

    def origin(key: str, default: bool) -> str:
        if key in origins:
            return origins[key]
        if key in where:
            return where[key]
        return "default" if default else "configuration"

    lines = [
        f"config file: {safe_text(str(config.path)) if config.path else '(none)'}",
        f"root: {safe_text(str(config.root))}",
        f"include: {', '.join(map(safe_text, config.include))}  "
        f"({origin('include', tuple(config.include) == DEFAULT_INCLUDE)})",
        f"exclude: {', '.join(map(safe_text, config.exclude)) or '(none)'}  "
        f"({origin('exclude', not config.exclude)})",
        f"fail_level: {config.fail_level}  ({origin('fail_level', True)})",
        f"apply.max_changes: {config.apply_max_changes}  ({origin('apply.max_changes', True)})",
        f"apply.max_percent: {config.apply_max_percent:g}  ({origin('apply.max_percent', True)})",
        f"apply.concurrency: {config.apply_concurrency}  ({origin('apply.concurrency', True)})",
        f"drift.ignore: {len(config.drift_ignore)} entries  ({origin('drift.ignore', True)})",
        "rules:",
    ]
    rules = [
        (rule.id, rule.name, rule.severity, rule.enabled) for rule in catalogue.load().values()
    ]
    rules += [(p.id, p.name, p.severity, p.enabled) for p in config.policies]
    for rule_id, name, default, enabled in rules:
        severity = effective_severity(config, rule_id, default, enabled) or "off"
        key = f"rules.{rule_id}"
        source = origins.get(rule_id) or where.get(key) or where.get(f"rules.{name}")
        lines.append(f"  {rule_id} {safe_text(name)}: {severity}  ({source or 'default'})")
    return "\n".join(lines) + "\n"


def _file_lines(config: Config) -> dict[str, str]:
    """``file:line`` of each top-level and rule key the configuration file sets."""
    if config.path is None:
        return {}
    from retell_lint.configfile import Located, read_config, read_pyproject, read_yaml

    try:
        text = read_config(config.path)
    except FatalError:
        return {}
    reader = read_pyproject if config.path.name == "pyproject.toml" else read_yaml
    data, located = reader(config.path, text)
    if not isinstance(data, dict):
        return {}
    assert isinstance(located, Located)
    found: dict[str, str] = {}
    for key, value in data.items():
        found[str(key)] = located.where(str(key))
        if isinstance(value, dict):
            for child in value:
                found[f"{key}.{child}"] = located.where(f"{key}.{child}")
    return found
