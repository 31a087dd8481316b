"""Values as assertions show and compare them: messages, types, equality, slots."""

from __future__ import annotations

import re
from typing import Any

from retell_lint.policy.paths import MISSING, Slot

SHOWN = 60


def show(value: Any) -> str:
    """A value for a message: short, quoted when a string, control characters escaped."""
    if isinstance(value, str):
        text = value if len(value) <= SHOWN else value[: SHOWN - 1] + "…"
        # Quoted as written: only characters that cannot be shown are escaped.
        return "'" + "".join(c if c.isprintable() else repr(c)[1:-1] for c in text) + "'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        inner = ", ".join(show(item) for item in value[:5])
        return f"[{inner}{', …' if len(value) > 5 else ''}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in list(value.items())[:4]) + "}"
    return str(value)


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "mapping"


_TYPES: dict[str, type] = {"string": str, "integer": int, "number": float, "boolean": bool}
A_TYPE = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "list": "a list",
    "mapping": "a mapping",
    "null": "null",
}


def is_type(value: Any, name: str) -> bool:
    if type(value) is _TYPES.get(name):  # the common case: exactly that type
        return True
    actual = type_name(value)
    if name == "number":
        return actual in ("integer", "number")
    if name == "integer":
        return actual == "integer" or (actual == "number" and float(value).is_integer())
    return actual == name


def same(left: Any, right: Any) -> bool:
    """Equality that does not take true for 1 (as Python's == does)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right, strict=True))
    return bool(left == right)


def key_of(value: Any) -> Any:
    """A hashable stand-in for a value: equal exactly when :func:`same` says so."""
    if type(value) is str:  # the common case first
        return ("s", value)
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float):
        return ("n", float(value))
    if isinstance(value, str):
        return ("s", value)
    if isinstance(value, list):
        return ("l", tuple(key_of(item) for item in value))
    if isinstance(value, dict):
        return ("m", tuple(sorted((str(k), key_of(v)) for k, v in value.items())))
    return ("o", repr(value))


def absent(value: Any) -> bool:
    return value is MISSING or value is None


def fits(literal: Any, slot: Slot) -> bool:
    """Whether ``literal`` could be a value at ``slot``."""
    if isinstance(literal, list):
        return slot.items is not None and all(fits(item, slot.items) for item in literal)
    if isinstance(literal, dict) or literal is None or slot.fields is not None:
        return False
    kind = type_name(literal)
    if kind == "integer":
        return bool(slot.types & {"integer", "number"})
    if kind == "number":
        return "number" in slot.types
    return kind in slot.types


def list_text(values: list[Any]) -> str:
    return ", ".join(show(v) for v in values[:10]) + (", …" if len(values) > 10 else "")


def render_data(data: Any) -> str:
    """Assertion data in YAML flow style, for messages and ``explain``."""
    if isinstance(data, dict):
        return "{" + ", ".join(f"{k}: {render_data(v)}" for k, v in data.items()) + "}"
    if isinstance(data, list):
        return "[" + ", ".join(render_data(v) for v in data) + "]"
    if isinstance(data, str):
        import json

        return json.dumps(data, ensure_ascii=False) if _needs_quotes(data) else data
    return show(data)


def _needs_quotes(text: str) -> bool:
    return not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.+/@\[\]*-]*", text) or text.lower() in (
        "true",
        "false",
        "null",
        "yes",
        "no",
        "on",
        "off",
    )
