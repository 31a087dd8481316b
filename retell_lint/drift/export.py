"""Live numbers as config files: one YAML file per number, in the config format.

Keys follow :mod:`retell_lint.fields` (a stable order); computed fields are left out,
and so are fields the account leaves unset (they stay unmanaged); phone numbers are
quoted, and any string a YAML 1.1 or 1.2 parser could read as something else is
quoted too. Legacy single-agent fields in old live objects are written in the list
form. ``auth_password`` is write-only and never exported. Running ``drift`` on the
files right after reports every number in sync.
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
from retell_lint.fields import AGENT_FIELDS, NUMBER_FIELDS, SIP_FIELDS
from retell_lint.online import phone_key

# Plain only when no YAML 1.1 or 1.2 parser reads it as anything else: a leading
# letter (YAML 1.1 reads "_" and "__" as integers).
PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*\Z")
# Plain words YAML 1.1 or 1.2 reads as booleans or null.
RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"})


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
        return repr(value)
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


def number_yaml(live: Mapping[str, Any], header: list[str]) -> str:
    """One live number as a config file."""
    lines = [f"# {line}" for line in header]
    if lines:
        lines.append("")
    for name, spec in NUMBER_FIELDS.items():
        if spec.kind not in ("managed", "create_only"):
            continue
        if spec.shape == "agents":
            entries = _agent_entries(live, name)
            if not entries:
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
                if isinstance(sub_value, list):
                    sub_lines.append(f"  {sub}: {_flow_list(sub_value)}")
                else:
                    sub_lines.append(f"  {sub}: {yaml_scalar(sub_value)}")
            if sub_lines:
                lines.append(f"{SIP}:")
                lines.extend(sub_lines)
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
