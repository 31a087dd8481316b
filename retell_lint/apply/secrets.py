"""Secret references: ``${NAME}`` or ``$NAME`` in a config, resolved at apply time only.

A plan never holds a secret, only where it comes from: ``{"from_env": "NAME"}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
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


def resolve_all(names: Iterable[str], environ: Mapping[str, str]) -> dict[str, str]:
    """The values of the variables; every missing or empty one is named in one error."""
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
