"""Which environment owns each file, and the numbers of one account together.

Project rules (duplicate numbers, fallback chains) compare the numbers of one account
at a time: :class:`Accounts` groups a run's numbers by the account of the environment
that owns each one's file, looked up once per file with :class:`Owners`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from retell_lint.config import Config
    from retell_lint.environment_config import Environment


class Owners:
    """Which environments own a file, for many files: the project root and each folder
    resolved once, and a ``folder/**`` path (the usual kind) matched as a plain prefix."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.root = os.path.realpath(config.root)
        self._resolved: dict[str, str] = {}
        self._tests = [
            (env, [_prefix_test(pattern) for pattern in env.paths])
            for env in config.environments.values()
        ]

    def of(self, name: str, *, first: bool = False) -> list[Environment]:
        """The environments whose paths match a file (display name); ``first``: stop at
        the first (grouping needs one; only refusing an overlap needs them all)."""
        from retell_lint.discover import _relative
        from retell_lint.pathmatch import matches

        if not self._tests or name == "-":
            return []
        relative = _relative(name, self.root, self._resolved)
        found: list[Environment] = []
        for env, tests in self._tests:
            for prefix, pattern in tests:
                if (
                    relative.startswith(prefix)
                    if prefix is not None
                    else matches(relative, [pattern])
                ):
                    found.append(env)
                    break
            if found and first:
                break
        return found


def _prefix_test(pattern: str) -> tuple[str | None, str]:
    """``(prefix, pattern)``: for ``X/**`` with no wildcard in ``X``, the prefix
    ``X/`` that a path under it starts with (what the glob matches, exactly); else
    ``None``, and the glob is matched."""
    folder = pattern[:-3]
    if pattern.endswith("/**") and folder and "*" not in folder and "?" not in folder:
        return folder + "/", pattern
    return None, pattern


def owner_of(name: str, config: Config) -> list[Environment]:
    """The environments whose paths match a file (display name)."""
    if not config.environments:
        return []
    return Owners(config).of(name)


class Accounts:
    """Numbers grouped by the account their file's environment points at.

    Project rules see one group at a time: the same number in staging's and prod's
    files is no duplicate unless both environments are one account. Each file's
    environment is looked up once, however many numbers and findings it has.
    """

    def __init__(self, numbers: list[Any], config: Config) -> None:
        keys = account_keys(config)
        owners = Owners(config)
        # file → the name of the environment that owns it (None: no environment).
        self.owner: dict[str, str | None] = {}
        by_account: dict[Any, list[Any]] = {}
        for number in numbers:
            if number.file not in self.owner:
                found = owners.of(number.file, first=True)
                self.owner[number.file] = found[0].name if found else None
            name = self.owner[number.file]
            by_account.setdefault(None if name is None else keys[name], []).append(number)
        self.groups = list(by_account.values())
        self._by_phone: dict[int, dict[str, set[str]]] = {}

    def name_environments(self, hit: Any, index: int) -> None:
        """A duplicate number declared by two environments of one account says so."""
        if hit.rule != "RL103" or not hit.phone_number:
            return
        from retell_lint.phones import normalise

        table = self._by_phone.get(index)
        if table is None:  # built once per group, at its first duplicate
            table = self._by_phone[index] = {}
            for number in self.groups[index]:
                name = self.owner.get(number.file)
                if number.phone_number and name is not None:
                    table.setdefault(normalise(number.phone_number), set()).add(name)
        owners = sorted(table.get(normalise(hit.phone_number), ()))
        if len(owners) > 1:
            listed = " and ".join(f"'{name}'" for name in owners)
            hit.message += (
                f" (by environments {listed}, which are one account: "
                "the same base_url and api_key_env)"
            )


def account_keys(config: Config) -> dict[str, Any]:
    """Each environment's name → what says which account it is.

    Environments without a ``base_url`` all use the run's URL: their key variable
    alone tells them apart, and a lint run need not load the API client to say so.
    """
    if all(env.base_url is None for env in config.environments.values()):
        return {name: env.api_key_env for name, env in config.environments.items()}
    return {name: env.account() for name, env in config.environments.items()}


def grouping(config: Config) -> list[Any]:
    """What decides which files' numbers project rules compare: each environment's
    paths and account (the cache keeps their findings under it)."""
    keys = account_keys(config)
    return [[env.name, list(env.paths), keys[env.name]] for env in config.environments.values()]
