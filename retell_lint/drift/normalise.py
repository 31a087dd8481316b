"""Comparable forms of declared and live values, so there is no phantom drift.

Each value becomes a pair ``(key, show)``: ``key`` is hashable and equal exactly
when the two sides mean the same thing; ``show`` is a JSON-ready form for reports.

- phone numbers: E.164 form;
- lists: ``null``, absent and ``[]`` alike;
- weighted agent lists: multisets of (agent_id, weight as a number, agent_version),
  so order does not matter and 1 equals 1.0; a version written as digits equals
  that number;
- country lists: sets, upper case;
- a legacy single-agent field (``inbound_agent_id`` with ``inbound_agent_version``)
  equals a one-entry list with weight 1 when the list is empty; a legacy country
  list (``inbound_allowed_countries``) equals its new name when that one is empty;
- ``sip_outbound_trunk_config``: field by field (transport and codecs without regard
  to case; a null transport is the API's default, TCP, which is what it reads back);
  ``auth_password`` is secret and never compared nor shown;
- create and import parameters the API never returns (``number_provider``,
  ``toll_free``, ...) are never compared.

Normalising is for comparing only: what apply sends is the declared value as written
(:attr:`DeclaredValue.raw`).

Which fields are compared, and how, comes from :mod:`retell_lint.fields`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from retell_lint.build import NumberDoc
from retell_lint.fields import (
    LEGACY_AGENT_DIRECTIONS,
    LEGACY_COUNTRY_LISTS,
    NUMBER_FIELDS,
    SIP_FIELDS,
    Kind,
    Shape,
)
from retell_lint.model import AgentEntry
from retell_lint.online import phone_key

Norm = tuple[Hashable, Any]
SIP = "sip_outbound_trunk_config"
# list field -> (legacy id field, legacy version field)
LEGACY_AGENTS = {lst: (ident, version) for lst, ident, version in LEGACY_AGENT_DIRECTIONS}
# new country list -> legacy name
LEGACY_COUNTRIES = {new: old for old, new in LEGACY_COUNTRY_LISTS.items()}
# SIP fields compared case-insensitively.
SIP_UPPER = frozenset({"transport", "codecs"})
# What the API reads back for a SIP field sent as null or never sent.
SIP_DEFAULTS = {"transport": "TCP"}
ASCII_DIGITS = frozenset("0123456789")


@dataclass(frozen=True)
class Comparable:
    """One field as the diff sees it: its name, kind and shape."""

    name: str
    kind: Kind
    shape: Shape
    # For "sip_outbound_trunk_config.transport": the sub-field name.
    sub: str | None = None


def comparables() -> list[Comparable]:
    """Every field the diff can compare, in the table's order."""
    result: list[Comparable] = []
    for name, spec in NUMBER_FIELDS.items():
        if spec.kind not in ("managed", "create_only") or name == "phone_number":
            continue
        if not spec.in_response:
            continue  # a create or import parameter: the API never returns it
        if spec.shape == "sip":
            for sub, sub_spec in SIP_FIELDS.items():
                if sub_spec.kind in ("managed", "create_only"):
                    result.append(Comparable(f"{name}.{sub}", sub_spec.kind, sub_spec.shape, sub))
            continue
        result.append(Comparable(name, spec.kind, spec.shape))
    return result


COMPARABLES = comparables()
FIELD_NAMES = frozenset(c.name for c in COMPARABLES) | {SIP}


# -- value normalisers ---------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _weight(value: Any) -> Any:
    return round(float(value), 9) if _is_number(value) else value


def ascii_digits(text: str) -> bool:
    """Only the digits 0-9 (str.isdigit also takes other scripts' digits)."""
    return bool(text) and all(char in ASCII_DIGITS for char in text)


def _version(value: Any) -> Any:
    if isinstance(value, str) and ascii_digits(value.strip()):
        return int(value.strip())
    return value


def norm_agents(entries: Iterable[tuple[Any, Any, Any]] | None) -> Norm:
    items = [
        (agent_id, _weight(weight), _version(version))
        for agent_id, weight, version in entries or ()
    ]
    if not items:
        return None, None
    items.sort(key=repr)
    show = []
    for agent_id, weight, version in items:
        entry: dict[str, Any] = {"agent_id": agent_id, "weight": weight}
        if version is not None:
            entry["agent_version"] = version
        show.append(entry)
    return tuple(items), show


def norm_countries(values: Any) -> Norm:
    if not isinstance(values, list) or not values:
        return None, None
    codes = frozenset(str(v).strip().upper() for v in values)
    return codes, sorted(codes)


def norm_str_list(values: Any, upper: bool) -> Norm:
    if not isinstance(values, list) or not values:
        return None, None
    items = tuple(str(v).strip() for v in values)
    key = tuple(v.upper() for v in items) if upper else items
    return key, list(items)


def norm_phone(value: Any) -> Norm:
    if not isinstance(value, str) or not value.strip():
        return None, None
    key = phone_key(value)
    return key, key


def norm_scalar(value: Any, upper: bool = False) -> Norm:
    if upper and isinstance(value, str):
        return value.strip().upper(), value
    if isinstance(value, float) and value.is_integer():
        return int(value), value
    return value, value


def normalise(field: Comparable, value: Any) -> Norm:
    """Normalise one raw value (list fields take (agent_id, weight, version) tuples)."""
    if field.shape == "agents":
        return norm_agents(value)
    if field.shape == "str_list":
        if field.sub is not None:
            return norm_str_list(value, field.sub in SIP_UPPER)
        return norm_countries(value)
    if field.shape == "phone":
        return norm_phone(value)
    if value is None and field.sub in SIP_DEFAULTS:
        value = SIP_DEFAULTS[field.sub]
    return norm_scalar(value, upper=field.sub in SIP_UPPER)


# -- declared side -------------------------------------------------------------------


@dataclass(frozen=True)
class DeclaredValue:
    field: Comparable
    key: Hashable
    show: Any
    # YAML path of the declaration inside the number (for its line).
    path: str
    note: str | None = None
    # The value as declared, in the API's JSON form: what apply sends.
    raw: Any = None


def _entry_json(agent_id: Any, weight: Any, version: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"agent_id": agent_id, "weight": weight}
    if version is not None:
        entry["agent_version"] = version
    return entry


def _agents_json(entries: list[AgentEntry] | None) -> list[dict[str, Any]] | None:
    """Declared entries as written: order, weights and versions unchanged."""
    if entries is None:
        return None
    result = []
    for entry in entries:
        item: dict[str, Any] = {}
        for name in ("agent_id", "weight", "agent_version"):
            value = getattr(entry, name)
            if name in entry.fields_set and not (name == "agent_version" and value is None):
                item[name] = value
        result.append(item)
    return result


def _raw_json(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _entry_tuples(entries: list[AgentEntry] | None) -> list[tuple[Any, Any, Any]]:
    return [(e.agent_id, e.weight, e.agent_version) for e in entries or ()]


def declared_values(doc: NumberDoc) -> list[DeclaredValue]:
    """The fields a number declares (PATCH semantics), normalised; in table order."""
    config = doc.config
    declared = config.fields_set
    found: list[DeclaredValue] = []
    for field in COMPARABLES:
        name = field.name
        note: str | None = None
        if field.sub is not None:
            if SIP not in declared:
                continue
            sip = config.sip_outbound_trunk_config
            if sip is not None and field.sub not in sip.fields_set:
                continue
            # An explicit null trunk means every part of it must be unset.
            raw = getattr(sip, field.sub) if sip is not None else None
            path = name if sip is not None else SIP
            sent: Any = _raw_json(raw)
        elif field.shape == "agents":
            id_field, version_field = LEGACY_AGENTS[name]
            if name not in declared and id_field not in declared:
                continue
            entries = getattr(config, name) if name in declared else None
            raw = _entry_tuples(entries)
            sent = _agents_json(entries)
            path = name
            legacy_id = getattr(config, id_field)
            if not raw and isinstance(legacy_id, str) and legacy_id:
                raw = [(legacy_id, 1.0, getattr(config, version_field))]
                sent = [_entry_json(*raw[0])]
                path, note = id_field, f"declared as {id_field} (legacy)"
            elif name not in declared:
                path = id_field
        elif name in LEGACY_COUNTRIES:
            old = LEGACY_COUNTRIES[name]
            if name not in declared and old not in declared:
                continue
            raw = getattr(config, name) if name in declared else None
            path = name
            legacy = getattr(config, old)
            if not raw and legacy:
                raw, path, note = legacy, old, f"declared as {old} (legacy)"
            elif name not in declared:
                path = old
            sent = _raw_json(raw)
        else:
            if name not in declared:
                continue
            raw, path = getattr(config, name), name
            sent = _raw_json(raw)
        key, show = normalise(field, raw)
        found.append(DeclaredValue(field, key, show, path, note, sent))
    return found


# -- live side -----------------------------------------------------------------------


def _live_entries(value: Any) -> list[tuple[Any, Any, Any]]:
    if not isinstance(value, list):
        return []
    return [
        (e.get("agent_id"), e.get("weight"), e.get("agent_version"))
        for e in value
        if isinstance(e, dict)
    ]


def live_value(field: Comparable, live: Mapping[str, Any]) -> Norm:
    """The live value of one field, normalised (legacy live fields read as the new ones)."""
    name = field.name
    if field.sub is not None:
        sip = live.get(SIP)
        return normalise(field, sip.get(field.sub) if isinstance(sip, dict) else None)
    if field.shape == "agents":
        entries = _live_entries(live.get(name))
        if not entries:
            id_field, version_field = LEGACY_AGENTS[name]
            legacy_id = live.get(id_field)
            if isinstance(legacy_id, str) and legacy_id:
                entries = [(legacy_id, 1.0, live.get(version_field))]
        return norm_agents(entries)
    if name in LEGACY_COUNTRIES:
        value = live.get(name)
        if not value:
            value = live.get(LEGACY_COUNTRIES[name])
        return normalise(field, value)
    return normalise(field, live.get(name))
