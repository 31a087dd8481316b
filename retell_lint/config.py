"""Project configuration: ``.retell-lint.yaml`` or ``[tool.retell-lint]`` in pyproject.toml.

Found by walking up from the working directory. Validated strictly: an unknown
key, a bad value or an unknown rule id stops the run (exit 2) with a message
naming the file and line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from retell_lint.configfile import Located, read_pyproject, read_yaml
from retell_lint.configfile import read_config as read_config  # apply reads the file too
from retell_lint.errors import FatalError
from retell_lint.findings import SEVERITIES, Severity

CONFIG_NAMES = (".retell-lint.yaml", ".retell-lint.yml")
DEFAULT_INCLUDE = ("retell/**/*.yaml", "retell/**/*.yml")
RULE_SETTINGS = ("on", "off", *SEVERITIES)
TOP_KEYS = (
    "include",
    "exclude",
    "fail_level",
    "rules",
    "drift",
    "apply",
    "policies",
    "policy_files",
    "environments",
)
DRIFT_KEYS = ("ignore",)
APPLY_KEYS = ("max_changes", "max_percent", "secret_env", "concurrency")
DEFAULT_MAX_CHANGES = 10
# apply.concurrency: most writes in flight at once (the API's rate limit lowers it).
DEFAULT_CONCURRENCY = 8
MAX_CONCURRENCY = 64
DEFAULT_MAX_PERCENT = 30.0
IGNORE_KEYS = ("phone_number", "field", "reason")

if TYPE_CHECKING:
    from retell_lint.environment_config import Environment
    from retell_lint.policy.compile import Policy


class DriftIgnore(NamedTuple):
    phone_number: str
    field: str | None
    reason: str


class Config:
    """Settings of one run: where the project is, which files, which rules."""

    def __init__(
        self,
        root: Path,
        path: Path | None = None,
        include: list[str] | None = None,
        exclude: list[str] | None = None,
        fail_level: Severity = "error",
        rules: dict[str, str] | None = None,
        drift_ignore: list[DriftIgnore] | None = None,
    ) -> None:
        self.root = root
        self.path = path
        self.include: list[str] = list(DEFAULT_INCLUDE) if include is None else include
        self.exclude: list[str] = [] if exclude is None else exclude
        self.fail_level: Severity = fail_level
        self.rules: dict[str, str] = {} if rules is None else rules
        self.drift_ignore: list[DriftIgnore] = [] if drift_ignore is None else drift_ignore
        # apply's blast radius: most numbers changed at once, and most per cent of
        # the managed numbers updated or deleted at once.
        self.apply_max_changes: int = DEFAULT_MAX_CHANGES
        self.apply_max_percent: float = DEFAULT_MAX_PERCENT
        self.apply_concurrency: int = DEFAULT_CONCURRENCY
        # Environment variables ${NAME} may name besides RETELL_LINT_SECRET_* (apply).
        self.apply_secret_env: list[str] = []
        # Team policies (retell_lint.policy), loaded only when the config has some.
        self.policies: list[Policy] = []
        # --isolated: no configuration file was read, whatever exists.
        self.isolated = False
        # The tool's own files (this configuration, its policy files): never linted.
        self.tool_files: list[Path] = [] if path is None else [path]
        # Named accounts and the files each owns (retell_lint.environments); the one a
        # run works on, when a command was narrowed to it.
        self.environments: dict[str, Environment] = {}
        self.environment: Environment | None = None

    def policy_ids(self) -> dict[str, str]:
        """Every policy id and name → its id."""
        names: dict[str, str] = {}
        for policy in self.policies:
            names[policy.id] = policy.id
            names[policy.name] = policy.id
        return names


def find_config(start: Path) -> Path | None:
    """The nearest .retell-lint.yaml, or pyproject.toml with [tool.retell-lint].

    The walk up stops at the repository root (the first folder holding ``.git``):
    a config file above the repository, in a shared /tmp or a home folder, is not
    the project's and must not change what the project's run checks.
    """
    from retell_lint.safe_io import regular_or_absent

    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            # A config that is not a regular file (a link to /dev/null, a FIFO) is an
            # error, not an empty configuration nor a reason to look further up.
            if regular_or_absent(str(candidate), "the configuration"):
                return candidate
        pyproject = folder / "pyproject.toml"
        if regular_or_absent(str(pyproject), "pyproject.toml"):
            try:
                text = read_config(pyproject)
            except FatalError:
                continue
            if re.search(r"^\[\[?\s*tool\.retell-lint\s*[\].]", text, re.M):
                return pyproject
        if (folder / ".git").exists():
            break
    return None


def load_config(explicit: str | None = None, cwd: Path | None = None) -> Config:
    cwd = cwd or Path.cwd()
    if explicit is not None:
        from retell_lint.safe_io import regular_or_absent

        path = Path(explicit)
        if not regular_or_absent(explicit, "the configuration"):
            raise FatalError(
                f"configuration file not found: {explicit} (drop --config to use the nearest "
                ".retell-lint.yaml, or write one with 'retell-lint init')"
            )
    else:
        found = find_config(cwd)
        if found is None:
            return Config(root=cwd)
        path = found
    text = read_config(path)
    if path.name == "pyproject.toml":
        data, located = read_pyproject(path, text)
    else:
        data, located = read_yaml(path, text)
    config = Config(root=path.parent.resolve(), path=path)
    _apply(config, data, located)
    return config


def _apply(config: Config, data: Any, located: Located) -> None:
    from retell_lint import catalogue

    if data is None:
        return
    if not isinstance(data, dict):
        raise located.fail("", "the configuration must be a mapping")
    for key in data:
        if key not in TOP_KEYS:
            raise located.fail(key, f"unknown key '{key}' (known: {', '.join(TOP_KEYS)})")
    for key in ("include", "exclude"):
        if key in data:
            value = data[key]
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise located.fail(key, f"'{key}' must be a list of glob patterns")
            from retell_lint.globs import problem

            for pattern in value:
                refused = problem(pattern.rstrip("/"))
                if refused:
                    raise located.fail(key, f"{key} pattern {pattern[:60]!r} {refused}")
            setattr(config, key, list(value))
    if "fail_level" in data:
        level = data["fail_level"]
        if level not in SEVERITIES:
            raise located.fail(
                "fail_level", f"fail_level must be one of {', '.join(SEVERITIES)}, not {level!r}"
            )
        config.fail_level = level
    if "policies" in data or "policy_files" in data:
        from retell_lint.policy.load import load_policies, policy_file_paths

        config.policies = load_policies(data, located, config.root)
        config.tool_files += policy_file_paths(data, located, config.root)
    # Rules are named by id or name; so are the team policies.
    names = {**catalogue.aliases(), **config.policy_ids()} if config.policies else None
    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        raise located.fail("rules", "'rules' must map rule ids or names to on, off or a severity")
    written: dict[str, str] = {}
    for key, setting in rules.items():
        # A rule is named by its id (RL301) or its name (weights-sum).
        rule_id = catalogue.resolve(str(key), names)
        if rule_id is None:
            raise located.fail(
                f"rules.{key}",
                f"unknown rule '{key}' (RL011 unknown-rule); "
                f"{catalogue.did_you_mean(str(key), names)}",
            )
        if rule_id in written:
            raise located.fail(
                f"rules.{key}", f"'{key}' and '{written[rule_id]}' both set rule {rule_id}"
            )
        written[rule_id] = str(key)
        if isinstance(setting, bool):
            setting = "on" if setting else "off"
        if setting not in RULE_SETTINGS:
            raise located.fail(
                f"rules.{key}",
                f"rule {key}: setting must be one of {', '.join(RULE_SETTINGS)}, not {setting!r}",
            )
        config.rules[rule_id] = setting
    _apply_drift(config, data.get("drift"), located)
    _apply_limits(config, data.get("apply"), located)
    if data.get("environments") is not None:
        from retell_lint.environment_config import parse

        config.environments = parse(data["environments"], located)
        if "include" not in data:  # the configured tree is every environment's files
            config.include = [p for env in config.environments.values() for p in env.paths]


def _apply_limits(config: Config, section: Any, located: Located) -> None:
    if section is None:
        return
    if not isinstance(section, dict):
        raise located.fail("apply", "'apply' must be a mapping")
    for key in section:
        if key not in APPLY_KEYS:
            raise located.fail(
                f"apply.{key}", f"unknown key 'apply.{key}' (known: {', '.join(APPLY_KEYS)})"
            )
    if "secret_env" in section:
        value = section["secret_env"]
        if not isinstance(value, list) or not all(
            isinstance(v, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", v) for v in value
        ):
            raise located.fail(
                "apply.secret_env", "apply.secret_env must be a list of environment variable names"
            )
        config.apply_secret_env = list(value)
    if "max_changes" in section:
        value = section["max_changes"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise located.fail(
                "apply.max_changes", f"apply.max_changes must be a whole number >= 0, not {value!r}"
            )
        config.apply_max_changes = value
    if "max_percent" in section:
        value = section["max_percent"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            raise located.fail(
                "apply.max_percent",
                f"apply.max_percent must be a number from 0 to 100, not {value!r}",
            )
        config.apply_max_percent = float(value)
    if "concurrency" in section:
        value = section["concurrency"]
        whole = isinstance(value, int) and not isinstance(value, bool)
        if not whole or not 1 <= value <= MAX_CONCURRENCY:
            raise located.fail(
                "apply.concurrency",
                f"apply.concurrency must be a whole number from 1 to {MAX_CONCURRENCY}, "
                f"not {value!r}",
            )
        config.apply_concurrency = value


def _apply_drift(config: Config, drift: Any, located: Located) -> None:
    if drift is None:
        return
    if not isinstance(drift, dict):
        raise located.fail("drift", "'drift' must be a mapping")
    for key in drift:
        if key not in DRIFT_KEYS:
            raise located.fail(f"drift.{key}", f"unknown key 'drift.{key}'")
    entries = drift.get("ignore") or []
    if not isinstance(entries, list):
        raise located.fail("drift.ignore", "'drift.ignore' must be a list")
    for index, entry in enumerate(entries):
        where = f"drift.ignore[{index}]"
        if not isinstance(entry, dict):
            raise located.fail(where, "each drift.ignore entry must be a mapping")
        for key in entry:
            if key not in IGNORE_KEYS:
                raise located.fail(f"{where}.{key}", f"unknown key '{key}' in drift.ignore")
        number, field_name, reason = (
            entry.get("phone_number"),
            entry.get("field"),
            entry.get("reason"),
        )
        if not isinstance(number, str) or not number:
            raise located.fail(where, "drift.ignore entries need a phone_number (a string)")
        if not isinstance(reason, str) or not reason.strip():
            raise located.fail(where, "drift.ignore entries need a reason")
        if field_name is not None and not isinstance(field_name, str):
            raise located.fail(f"{where}.field", "'field' must be a field name")
        config.drift_ignore.append(DriftIgnore(number, field_name, reason.strip()))


def effective_severity(
    config: Config, rule_id: str, default: Severity, enabled: bool
) -> Severity | None:
    """The severity a rule reports at under ``config``, or None when it is off."""
    setting = config.rules.get(rule_id)
    if setting is None:
        return default if enabled else None
    if setting == "off":
        return None
    if setting == "on":
        return default
    return setting  # type: ignore[return-value]
