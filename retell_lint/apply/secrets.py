"""Secret references: ``${NAME}`` or ``$NAME`` in a config, resolved at apply time only.

A plan never holds a secret, only where it comes from: ``{"from_env": "NAME"}``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from retell_lint.errors import FatalError

ENV_REFERENCE = re.compile(r"^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$")
# Request parameters that carry a secret (update and import names).
SECRET_PARAMS = frozenset({"auth_password", "sip_trunk_auth_password"})
MASK = "***"
FROM_ENV = "from_env"


def reference_name(value: object) -> str | None:
    """``NAME`` for ``${NAME}`` or ``$NAME``; None for anything else."""
    if not isinstance(value, str):
        return None
    match = ENV_REFERENCE.match(value.strip())
    if match is None:
        return None
    return match.group(1) or match.group(2)


def secret_ref(name: str) -> dict[str, str]:
    return {FROM_ENV: name}


def ref_name(value: object) -> str | None:
    """The variable of a ``{"from_env": NAME}`` marker, or None."""
    if isinstance(value, dict) and set(value) == {FROM_ENV}:
        name = value[FROM_ENV]
        return name if isinstance(name, str) else None
    return None


def refs_in(bodies: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every variable the bodies refer to, in first-seen order."""
    names: dict[str, None] = {}
    for body in bodies:
        for key in SECRET_PARAMS:
            name = ref_name(body.get(key))
            if name is not None:
                names.setdefault(name)
    return list(names)


# Variables a config may name without listing them (docs/apply.md).
ALLOWED_PREFIX = "RETELL_LINT_SECRET_"
# Never sent as a trunk password, even when listed: the tool's own credentials.
_OWN = re.compile(r"^RETELL_(?!LINT_SECRET_)")


def allowed_variable(name: str, allow_list: Collection[str]) -> bool:
    """Whether ``${name}`` may be expanded: its name starts with ``RETELL_LINT_SECRET_``
    or the configuration lists it (``apply.secret_env``); never ``RETELL_API_KEY`` or
    another of the tool's own ``RETELL_…`` variables."""
    if _OWN.match(name):
        return False
    return name.startswith(ALLOWED_PREFIX) or name in allow_list


def resolve_all(
    names: Iterable[str], environ: Mapping[str, str], allow_list: Collection[str] = ()
) -> dict[str, str]:
    """The values of the variables; a variable the user did not allow, and every
    missing or empty one, is named in one error (nothing is written)."""
    names = list(names)
    refused = [name for name in names if not allowed_variable(name, allow_list)]
    if refused:
        listed = ", ".join(f"${name}" for name in refused)
        raise FatalError(
            f"environment variable{'s' if len(refused) > 1 else ''} {listed} may not be sent as "
            f"a secret: name it {ALLOWED_PREFIX}… or list it under apply.secret_env in the "
            "configuration (RETELL_API_KEY and other RETELL_ variables never; nothing was written)"
        )
    values: dict[str, str] = {}
    missing: list[str] = []
    for name in names:
        value = environ.get(name, "")
        if value:
            values[name] = value
        else:
            missing.append(name)
    if missing:
        listed = ", ".join(f"${name}" for name in missing)
        raise FatalError(
            f"environment variable{'s' if len(missing) > 1 else ''} {listed} not set: the plan "
            "sends a secret from it; set it and run apply again (nothing was written)"
        )
    return values


def resolved(body: Mapping[str, Any], values: Mapping[str, str]) -> dict[str, Any]:
    """A copy of ``body`` with secret markers replaced by their values."""
    out = dict(body)
    for key in SECRET_PARAMS:
        name = ref_name(out.get(key))
        if name is not None:
            out[key] = values[name]
    return out


def masked(body: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``body`` safe to print or log: every secret parameter masked."""
    return {key: (MASK if key in SECRET_PARAMS else value) for key, value in body.items()}
