"""Live numbers as config files: one YAML file per number, in the config format.

Keys follow :mod:`retell_lint.fields` (a stable order); computed fields are left out,
and so are fields the account leaves unset (they stay unmanaged); phone numbers are
quoted, and any string a YAML 1.1 or 1.2 parser could read as something else is
quoted too. Legacy single-agent fields in old live objects are written in the list
form. ``auth_password`` is write-only and never exported. A value the field's type
cannot hold (a number where text belongs, an integer beyond 64 bits, an agent entry
without an id) is left out with a comment saying why, and so is the trunk of a number
Retell manages (the API returns it read-only). Running ``check`` and ``drift`` on the
files right after reports nothing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from retell_lint import __version__
from retell_lint.drift.normalise import LEGACY_AGENTS, LEGACY_COUNTRIES, SIP
from retell_lint.drift.snapshot import LiveState
from retell_lint.errors import FatalError
from retell_lint.fields import AGENT_FIELDS, NUMBER_FIELDS, RETELL_TYPES, SIP_FIELDS, Shape
from retell_lint.online import phone_key

# Plain only when no YAML 1.1 or 1.2 parser reads it as anything else: a leading
# letter (YAML 1.1 reads "_" and "__" as integers).
PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*\Z")
# Plain words YAML 1.1 or 1.2 reads as booleans or null.
RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"})
# The largest integer the reader takes (the API's integers are 64-bit).
MAX_INT = 2**63 - 1


def yaml_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        mantissa, e, exponent = text.partition("e")
        if e and "." not in mantissa:
            # YAML 1.1 parsers read 1e-10 as text: a float needs its dot there.
            text = f"{mantissa}.0e{exponent}"
        return text
    text = str(value)
    if PLAIN.match(text) and text.lower() not in RESERVED:
        return text
    return _double_quoted(text)


def _double_quoted(text: str) -> str:
    out = []
    for char in json.dumps(text, ensure_ascii=False):
        if char.isprintable() or char in '"\\':
            out.append(char)
        elif ord(char) > 0xFFFF:
            out.append(f"\\U{ord(char):08x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    return "".join(out)


def _phone(value: Any) -> str:
    return _double_quoted(str(value))


def _flow_list(values: list[Any]) -> str:
    return "[" + ", ".join(yaml_scalar(v) for v in values) + "]"


def _agent_entries(live: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    entries = live.get(name)
    if isinstance(entries, list) and entries:
        return [e for e in entries if isinstance(e, dict)]
    id_field, version_field = LEGACY_AGENTS[name]
    legacy_id = live.get(id_field)
    if isinstance(legacy_id, str) and legacy_id:
        entry: dict[str, Any] = {"agent_id": legacy_id, "weight": 1}
        if live.get(version_field) is not None:
            entry["agent_version"] = live.get(version_field)
        return [entry]
    return []


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping" if isinstance(value, dict) else "a value of another type"


def _int_problem(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{_kind_of(value)}, not an integer"
    return None if abs(value) <= MAX_INT else "an integer beyond 64 bits"


def _scalar_problem(shape: Shape, value: Any) -> str | None:
    """Why the reader would not take ``value`` for a field of ``shape``, or None."""
    if shape in ("str", "phone"):
        return None if isinstance(value, str) else f"{_kind_of(value)}, not text"
    if shape == "int":
        return _int_problem(value)
    if shape == "str_list":
        if not isinstance(value, list):
            return f"{_kind_of(value)}, not a list of text"
        ok = all(isinstance(v, str) for v in value)
        return None if ok else "a list with entries that are not text"
    return None


def _entry_problem(entry: Mapping[str, Any]) -> str | None:
    agent_id, weight = entry.get("agent_id"), entry.get("weight")
    if not isinstance(agent_id, str) or not agent_id:
        return "an entry without an agent_id"
    if isinstance(weight, bool) or not isinstance(weight, (int, float)):
        return f"a weight that is {_kind_of(weight)}"
    if not math.isfinite(weight) or abs(weight) > MAX_INT:
        return "a weight that is not a finite number"
    version = entry.get("agent_version")
    if version is None or isinstance(version, str):
        return None
    problem = _int_problem(version)
    return f"an agent_version that is {problem}" if problem else None


def _left_out(name: str, why: str) -> str:
    return f"# {name} is left out: {why}."


def number_yaml(live: Mapping[str, Any], header: list[str]) -> str:
    """One live number as a config file."""
    lines = [f"# {line}" for line in header]
    if lines:
        lines.append("")
    kind = live.get("phone_number_type")
    for name, spec in NUMBER_FIELDS.items():
        if spec.kind not in ("managed", "create_only"):
            continue
        if spec.shape == "agents":
            entries = _agent_entries(live, name)
            if not entries:
                continue
            problem = next(filter(None, map(_entry_problem, entries)), None)
            if problem is not None:
                lines.append(_left_out(name, f"the account holds {problem}"))
                continue
            lines.append(f"{name}:")
            for entry in entries:
                first = True
                for key in AGENT_FIELDS:
                    if key not in entry or (key == "agent_version" and entry[key] is None):
                        continue
                    lines.append(f"  {'- ' if first else '  '}{key}: {yaml_scalar(entry[key])}")
                    first = False
            continue
        value = live.get(name)
        if name in LEGACY_COUNTRIES and not value:
            value = live.get(LEGACY_COUNTRIES[name])
        if value is None or value == [] or value == "":
            continue
        problem = _scalar_problem(spec.shape, value)
        if problem is not None:
            lines.append(_left_out(name, f"the account holds {problem}"))
            continue
        if spec.shape == "sip" and kind in RETELL_TYPES and isinstance(value, dict):
            lines.append(
                _left_out(
                    name,
                    f"Retell manages the trunk of a {one_line(str(kind), 40)} number; the API "
                    "returns it read-only",
                )
            )
            continue
        if spec.shape == "phone":
            lines.append(f"{name}: {_phone(value)}")
        elif spec.shape == "str_list":
            if isinstance(value, list):
                lines.append(f"{name}: {_flow_list(value)}")
        elif spec.shape == "sip":
            if not isinstance(value, dict):
                continue
            sub_lines = []
            for sub, sub_spec in SIP_FIELDS.items():
                if sub_spec.kind not in ("managed", "create_only"):
                    continue  # auth_password: write-only
                sub_value = value.get(sub)
                if sub_value is None or sub_value == []:
                    continue
                problem = _scalar_problem(sub_spec.shape, sub_value)
                if problem is not None:
                    sub_lines.append("  " + _left_out(sub, f"the account holds {problem}"))
                    continue
                if isinstance(sub_value, list):
                    sub_lines.append(f"  {sub}: {_flow_list(sub_value)}")
                else:
                    sub_lines.append(f"  {sub}: {yaml_scalar(sub_value)}")
            if any(not line.lstrip().startswith("#") for line in sub_lines):
                lines.append(f"{SIP}:")
                lines.extend(sub_lines)
            else:  # only comments: an empty mapping would read as null
                lines.extend(line.lstrip() for line in sub_lines)
        elif not isinstance(value, (dict, list)):
            lines.append(f"{name}: {yaml_scalar(value)}")
    return "\n".join(lines) + "\n"


def file_name(phone_number: str) -> str:
    key = phone_key(phone_number)
    stem = re.sub(r"[^0-9A-Za-z_-]", "", key) or "number"
    return f"{stem}.yaml"


def one_line(text: str, limit: int = 200) -> str:
    """Text from outside (a path, a timestamp) safe inside a ``#`` comment: one line,
    no control or line-break characters (escaped), at most ``limit`` characters."""
    out = []
    for char in text:
        if char.isprintable():
            out.append(char)
        elif ord(char) <= 0xFF:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
    cleaned = "".join(out)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 3] + "..."


def header_for(state: LiveState) -> list[str]:
    taken_at = one_line(state.taken_at, 64)
    if state.source == "api":
        where = f"the Retell API at {taken_at}" if taken_at else "the Retell API"
    else:
        taken = f" (taken at {taken_at})" if taken_at else ""
        where = f"the live state in {one_line(state.origin)}{taken}"
    return [
        f"Exported by retell-lint {__version__} from {where}.",
        "Fields the account leaves unset are not written, so they are not managed; add",
        "them with null to require them to stay unset. auth_password is write-only: add",
        "auth_password: ${ENV_VAR} under sip_outbound_trunk_config to manage it.",
    ]


def export_files(state: LiveState) -> list[tuple[str, str, str]]:
    """``(phone key, file name, YAML text)`` for every live number, ordered by number."""
    header = header_for(state)
    files: dict[str, tuple[str, str, str]] = {}
    for live in sorted(state.numbers, key=lambda n: phone_key(str(n["phone_number"]))):
        key = phone_key(str(live["phone_number"]))
        name = file_name(key)
        if name in files:
            raise FatalError(f"two live numbers would both be written to {name}")
        files[name] = (key, name, number_yaml(live, header))
    return list(files.values())
