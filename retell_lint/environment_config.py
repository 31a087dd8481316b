"""The ``environments`` section of the configuration: a name for each Retell account
(staging, prod) with ``paths`` (globs of the files it owns), ``api_key_env`` (the
variable holding its key) and an optional ``base_url``; read with the configuration,
below the modules that use it (:mod:`retell_lint.environments`, ``ownership``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from retell_lint.errors import FatalError

if TYPE_CHECKING:
    from retell_lint.configfile import Located

ENV_KEYS = ("paths", "api_key_env", "base_url")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")


class Environment(NamedTuple):
    name: str
    paths: tuple[str, ...]
    api_key_env: str
    base_url: str | None

    def account(self) -> tuple[str, str]:
        """What says two environments are one account: the same URL and the same key."""
        from retell_lint.accounts import base_url

        return (base_url(self), self.api_key_env)


def parse(section: Any, located: Located) -> dict[str, Environment]:
    """The ``environments`` section, validated (errors name the file and line)."""
    if section is None:
        return {}
    if not isinstance(section, dict) or not section:
        raise located.fail(
            "environments", "'environments' must map names to {paths, api_key_env, base_url}"
        )
    found: dict[str, Environment] = {}
    for name, entry in section.items():
        where = f"environments.{name}"
        if not NAME.match(name):
            raise located.fail(
                where,
                f"environment name {name[:40]!r} must be letters, digits, '_', '.' or '-'",
            )
        if not isinstance(entry, dict):
            raise located.fail(where, f"environment '{name}' must be a mapping")
        for key in entry:
            if key not in ENV_KEYS:
                raise located.fail(
                    f"{where}.{key}",
                    f"unknown key '{where}.{key}' (known: {', '.join(ENV_KEYS)})",
                )
        paths = entry.get("paths")
        if isinstance(paths, str):
            paths = [paths]
        if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
            raise located.fail(
                f"{where}.paths" if "paths" in entry else where,
                f"environment '{name}' needs 'paths': a list of globs",
            )
        variable = entry.get("api_key_env")
        if not isinstance(variable, str) or not VARIABLE.match(variable):
            raise located.fail(
                f"{where}.api_key_env" if "api_key_env" in entry else where,
                f"environment '{name}' needs 'api_key_env': the name of the variable "
                "holding its API key (letters, digits and '_')",
            )
        base_url = entry.get("base_url")
        if base_url is not None:
            if not isinstance(base_url, str) or not base_url.strip():
                raise located.fail(
                    f"{where}.base_url", f"environment '{name}': 'base_url' must be a URL"
                )
            from retell_lint.api_base import _validate_base_url

            try:
                base_url = _validate_base_url(base_url)
            except FatalError as exc:
                raise located.fail(f"{where}.base_url", f"environment '{name}': {exc}") from None
        found[name] = Environment(name, tuple(paths), variable, base_url)
    return found
