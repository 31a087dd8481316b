"""Loading policies: from ``policies:`` in the configuration and from ``policy_files``.

Every entry is validated when loaded; a policy that cannot be used (an unknown key or
assertion, a bad regex or path, an id used twice, an assertion that cannot apply to
the field) stops the run with one line naming the file and line of the offending key,
as the rest of the configuration does.
"""

from __future__ import annotations

import os
import re
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

from retell_lint.errors import FatalError
from retell_lint.findings import SEVERITIES
from retell_lint.policy.assertions import Compiler, Evaluate, Failure, PolicyError
from retell_lint.policy.compile import Policy
from retell_lint.policy.paths import Path, PathError, parse_path

if TYPE_CHECKING:
    from retell_lint.configfile import Located

POLICY_ID = re.compile(r"^[A-Z][A-Z0-9]*[0-9]{3}$")
POLICY_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
REQUIRED = ("id", "name", "message", "field", "require")
OPTIONAL = ("severity", "description", "url", "enabled", "scope", "where")
KEYS = (*REQUIRED, *OPTIONAL)
SCOPES = ("number", "project")
MAX_MESSAGE = 500
MAX_POLICY_FILE = 1024 * 1024
MAX_POLICIES = 1000


class Locator:
    """The file and line of a key of the data a policy came from."""

    def __init__(self, located: Located, prefix: str) -> None:
        self.located = located
        self.prefix = prefix
        self.shown = _display(located.path)

    def where(self, key: str) -> str:
        if not key or not self.prefix:
            full = key or self.prefix
        else:
            full = f"{self.prefix}{key}" if key.startswith("[") else f"{self.prefix}.{key}"
        probe = full
        while probe:
            line = self.located.lines.get(probe)
            if line is not None:
                return f"{self.shown}:{line}"
            shorter = re.sub(r"(?:\.[^.\[]*|\[[^\]]*\])$", "", probe)
            if shorter == probe:
                break
            probe = shorter
        found = self.located.where(full)
        return f"{self.shown}:{found.rsplit(':', 1)[-1]}"

    def fail(self, key: str, message: str) -> FatalError:
        return FatalError(f"invalid policy: {message}", location=self.where(key))


def toml_lines(text: str) -> dict[str, int]:
    """Lines of ``[tool.retell-lint]`` keys and policy entries in a pyproject.toml.

    Array-of-tables entries (``[[tool.retell-lint.policies]]``) are numbered in order;
    keys inside inline tables are found through their parent key.
    """
    lines: dict[str, int] = {}
    current: str | None = None
    index = -1
    table = "tool.retell-lint"
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("[["):
            header = stripped.strip("[] \t")
            current = None
            if header == f"{table}.policies":
                index += 1
                current = f"policies[{index}]"
                lines.setdefault(current, number)
            continue
        if stripped.startswith("["):
            header = stripped.strip("[] \t")
            current = None
            if header == table:
                current = ""
            elif header.startswith(f"{table}.policies.") and index >= 0:
                current = f"policies[{index}].{header[len(table) + 10 :]}"
                lines.setdefault(current, number)
            elif header.startswith(f"{table}."):
                current = header[len(table) + 1 :]
            continue
        match = re.match(r"\s*[\"']?([A-Za-z0-9_-]+)[\"']?\s*=", line)
        if match and current is not None:
            key = f"{current}.{match.group(1)}" if current else match.group(1)
            lines.setdefault(key, number)
    return lines


def load_policies(data: dict[str, Any], located: Located, root: FilePath) -> list[Policy]:
    """Every policy of a configuration: ``policies`` first, then ``policy_files`` in order."""
    from retell_lint import catalogue

    if located.path.name == "pyproject.toml":
        for key, line in toml_lines(located.text).items():
            located.lines.setdefault(key, line)
    config_locator = Locator(located, "")
    batches: list[tuple[Any, Locator]] = []
    if "policies" in data:
        batches.append((data["policies"], Locator(located, "policies")))
    for path in _policy_files(data.get("policy_files"), config_locator, root):
        entries, file_located = _read_policy_file(path, root)
        batches.append((entries, Locator(file_located, "")))
    builtin_names = {rule.name: rule.id for rule in catalogue.load().values()}
    policies: list[Policy] = []
    ids: dict[str, str] = {}
    names: dict[str, str] = {}
    for entries, locator in batches:
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise locator.fail("", "policies must be a list of policy entries")
        for index, entry in enumerate(entries):
            policy = _parse_entry(entry, f"[{index}]", locator)
            where = locator.where(f"[{index}].id")
            if policy.id in ids:
                raise locator.fail(
                    f"[{index}].id", f"policy id {policy.id} is already used at {ids[policy.id]}"
                )
            if policy.name in builtin_names:
                raise locator.fail(
                    f"[{index}].name",
                    f"name '{policy.name}' is the built-in rule {builtin_names[policy.name]}'s",
                )
            if policy.name in names:
                raise locator.fail(
                    f"[{index}].name",
                    f"policy name '{policy.name}' is already used at {names[policy.name]}",
                )
            ids[policy.id] = where
            names[policy.name] = locator.where(f"[{index}].name")
            policies.append(policy)
            if len(policies) > MAX_POLICIES:
                raise locator.fail(f"[{index}]", f"more than {MAX_POLICIES} policies")
    return policies


def policy_file_paths(data: dict[str, Any], located: Located, root: FilePath) -> list[FilePath]:
    """The files ``policy_files`` names (the configuration's own, not files to lint)."""
    return _policy_files(data.get("policy_files"), Locator(located, ""), root)


def _policy_files(patterns: Any, locator: Locator, root: FilePath) -> list[FilePath]:
    if patterns is None:
        return []
    if isinstance(patterns, str):
        patterns = [patterns]
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise locator.fail("policy_files", "'policy_files' must be a list of glob patterns")
    from retell_lint.policy.files import PatternError, find

    found: list[FilePath] = []
    seen: set[FilePath] = set()
    for index, pattern in enumerate(patterns):
        key = f"policy_files[{index}]"
        if os.path.isabs(pattern):
            raise locator.fail(key, f"'{pattern}' must be relative to the configuration file")
        try:
            files = find(pattern, root)
        except PatternError as exc:
            raise locator.fail(key, str(exc)) from None
        if not files:
            raise locator.fail(key, f"policy_files pattern '{pattern}' matches no file")
        for path in files:
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                found.append(path)
    return found


def _read_policy_file(path: FilePath, root: FilePath) -> tuple[Any, Located]:
    from retell_lint.configfile import read_yaml

    shown = _display(path)
    from retell_lint.policy.files import repository
    from retell_lint.safe_io import read_bytes

    raw = read_bytes(
        str(path),
        what="the policy file",
        limit=MAX_POLICY_FILE,
        inside=str(repository(root)),
        too_large="policy file larger than 1 MB",
    )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise FatalError("policy file is not UTF-8 text", location=shown) from None
    data, located = read_yaml(FilePath(shown), text.removeprefix("\ufeff"))
    if isinstance(data, dict) and not data:
        data = None
    if data is not None and not isinstance(data, list):
        raise FatalError(
            "invalid policy: a policy file holds a list of policies", location=f"{shown}:1"
        )
    return data, located


def _display(path: FilePath) -> str:
    """A file's name as reports show it: relative to the working directory when under it."""
    try:
        return path.resolve().relative_to(FilePath.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def _text(entry: dict[str, Any], key: str, prefix: str, locator: Locator) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise locator.fail(f"{prefix}.{key}", f"'{key}' must be a non-empty string")
    return value.strip()


def _parse_entry(entry: Any, prefix: str, locator: Locator) -> Policy:
    if not isinstance(entry, dict):
        raise locator.fail(prefix, "each policy must be a mapping with id, name, field ...")
    for key in entry:
        if key not in KEYS:
            from difflib import get_close_matches

            guess = get_close_matches(str(key), KEYS, n=1, cutoff=0.6)
            hint = f"; did you mean '{guess[0]}'?" if guess else f" (known: {', '.join(KEYS)})"
            raise locator.fail(f"{prefix}.{key}", f"unknown key '{key}' in a policy{hint}")
    missing = [key for key in REQUIRED if key not in entry]
    if missing:
        raise locator.fail(prefix, f"the policy lacks {', '.join(missing)}")
    policy_id = entry["id"]
    if not isinstance(policy_id, str) or not POLICY_ID.match(policy_id):
        raise locator.fail(
            f"{prefix}.id",
            f"policy id {policy_id!r} must be capital letters and digits ending in three "
            "digits, such as ACME001",
        )
    if policy_id.startswith("RL"):
        raise locator.fail(f"{prefix}.id", f"policy id {policy_id}: RL ids are the built-in rules'")
    name = entry["name"]
    if not isinstance(name, str) or not POLICY_NAME.match(name):
        raise locator.fail(
            f"{prefix}.name", f"policy name {name!r} must be kebab-case, such as webhooks-on-domain"
        )
    severity = entry.get("severity", "error")
    if severity not in SEVERITIES:
        raise locator.fail(f"{prefix}.severity", f"severity must be one of {', '.join(SEVERITIES)}")
    message = _text(entry, "message", prefix, locator)
    if not message.isprintable() or len(message) > MAX_MESSAGE:
        raise locator.fail(
            f"{prefix}.message",
            f"'message' must be one line of at most {MAX_MESSAGE} printable characters",
        )
    description = _text(entry, "description", prefix, locator) if "description" in entry else ""
    if not description.replace("\n", " ").replace("\t", " ").isprintable():
        raise locator.fail(f"{prefix}.description", "'description' holds control characters")
    url = _text(entry, "url", prefix, locator) if "url" in entry else None
    if url is not None and not re.match(r"^https?://[^\s]+$", url):
        raise locator.fail(f"{prefix}.url", "'url' must be an http:// or https:// address")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise locator.fail(f"{prefix}.enabled", "'enabled' must be true or false")
    scope = entry.get("scope", "number")
    if scope not in SCOPES:
        raise locator.fail(f"{prefix}.scope", f"scope must be one of {', '.join(SCOPES)}")
    try:
        where = _where(entry.get("where"), prefix, locator)
        targets = _targets(entry, scope, prefix, locator)
    except PolicyError as exc:
        raise locator.fail(exc.key, exc.message) from None
    return Policy(
        id=policy_id,
        name=name,
        severity=severity,
        enabled=enabled,
        message=message,
        description=description,
        url=url,
        scope=scope,
        where=where,
        targets=targets,
        data=entry,
        source=locator.where(f"{prefix}.id"),
    )


def _path(text: Any, key: str) -> Path:
    try:
        return parse_path(text)
    except PathError as exc:
        raise PolicyError(str(exc), key) from None


def _where(data: Any, prefix: str, locator: Locator) -> tuple[tuple[Path, Evaluate], ...]:
    if data is None:
        return ()
    if not isinstance(data, dict) or not data:
        raise PolicyError(
            "'where' must map paths to assertions, such as {nickname: {pattern: '^prod'}}",
            f"{prefix}.where",
        )
    conditions = []
    for text, assertions in data.items():
        key = f"{prefix}.where.{text}"
        path = _path(text, key)
        conditions.append((path, Compiler(path.slot, path.text).mapping(assertions, key)))
    return tuple(conditions)


def _targets(
    entry: dict[str, Any], scope: str, prefix: str, locator: Locator
) -> tuple[tuple[Path, Evaluate], ...]:
    fields = entry["field"]
    keys: list[tuple[Any, str]]
    if isinstance(fields, list):
        if not fields:
            raise PolicyError("'field' must name at least one path", f"{prefix}.field")
        keys = [(item, f"{prefix}.field[{index}]") for index, item in enumerate(fields)]
    else:
        keys = [(fields, f"{prefix}.field")]
    require = entry["require"]
    if scope == "project" and require != {"unique": True}:
        raise PolicyError(
            "with scope: project, 'require' must be {unique: true} (the values must differ "
            "across numbers)",
            f"{prefix}.require",
        )
    targets: list[tuple[Path, Evaluate]] = []
    for text, key in keys:
        path = _path(text, key)
        if scope == "project":
            targets.append((path, _no_check))
        else:
            compiler = Compiler(path.slot, path.text)
            targets.append((path, compiler.mapping(require, f"{prefix}.require")))
    return tuple(targets)


def _no_check(value: Any) -> list[Failure] | None:
    return None
