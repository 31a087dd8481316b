"""Reading a number's nested parts: agent lists and the SIP trunk.

The API's flat request parameters for the trunk (``transport``, ...) are read into
``sip_outbound_trunk_config``, each reported (RL012), a conflicting pair as an error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from retell_lint.builder.nodes import (
    EXTENSION_PREFIX,
    MAP,
    NULL,
    SEQ,
    plain_value,
    type_name,
    value_span,
)
from retell_lint.builder.numberdoc import Located, NumberDoc
from retell_lint.builder.values import ValueReader
from retell_lint.fields import AGENT_FIELDS, FLAT_SIP_PARAMETERS, SIP_CONFLICT, SIP_FIELDS
from retell_lint.model import AgentEntry, SipTrunk
from retell_lint.yamlread import span_of, tag_of

if TYPE_CHECKING:
    from ruamel.yaml.nodes import Node


class NestedReader(ValueReader):
    """Reads agent lists and the SIP trunk of a number."""

    def _agents(
        self, number: NumberDoc, path: str, node: Node, phone: str | None
    ) -> list[Any] | None:
        if tag_of(node) == NULL:
            return None
        if tag_of(node) != SEQ:
            self._wrong_type(
                number,
                path,
                f"'{path}' must be a list of {{agent_id, weight}} entries, not {type_name(node)}",
                node,
                phone,
            )
            return None
        entries: list[Any] = []
        for index, item in enumerate(node.value):
            self._spend()
            entry_path = f"{path}[{index}]"
            number.places[entry_path] = Located(None, span_of(item))
            if tag_of(item) != MAP:
                self._hit(
                    "RL004",
                    f"each entry of '{path}' must be a mapping with agent_id and "
                    f"weight, not {type_name(item)}",
                    span_of(item),
                    number.full_path(entry_path),
                    phone,
                )
                number.unreadable_weights.add(path)
                entries.append(AgentEntry())
                continue
            values: dict[str, Any] = {}
            for name, key, value in self._pairs(item, number.full_path(entry_path)):
                if name.startswith(EXTENSION_PREFIX):
                    continue
                spec = AGENT_FIELDS.get(name)
                field_path = f"{entry_path}.{name}"
                if spec is None:
                    self._unknown(name, key, AGENT_FIELDS, number.full_path(entry_path), phone)
                    continue
                number.places[field_path] = Located(span_of(key), value_span(key, value))
                values[name] = self._scalar(number, field_path, spec, value, phone)
            for required in ("agent_id", "weight"):
                if required not in values:
                    self._hit(
                        "RL005",
                        f"agent entry without '{required}'",
                        span_of(item),
                        number.full_path(entry_path),
                        phone,
                    )
            if not isinstance(values.get("weight"), float):
                number.unreadable_weights.add(path)
            entry = AgentEntry(**values, fields_set=set(values))
            entries.append(entry)
        return entries

    def _sip(
        self, number: NumberDoc, path: str, node: Node, phone: str | None
    ) -> dict[str, Any] | None:
        full = number.full_path(path)
        if tag_of(node) == NULL:
            return None
        if tag_of(node) != MAP:
            self._wrong_type(
                number, path, f"'{path}' must be a mapping, not {type_name(node)}", node, phone
            )
            return None
        values: dict[str, Any] = {}
        for name, key, value in self._pairs(node, full):
            if name.startswith(EXTENSION_PREFIX):
                continue
            spec = SIP_FIELDS.get(name)
            field_path = f"{path}.{name}"
            if spec is None:
                self._unknown(name, key, SIP_FIELDS, full, phone)
                continue
            number.places[field_path] = Located(span_of(key), value_span(key, value))
            if spec.shape == "str_list":
                values[name] = self._str_list(number, field_path, spec, value, phone)
            else:
                values[name] = self._scalar(number, field_path, spec, value, phone)
        return values

    def _flat_sip(
        self,
        number: NumberDoc,
        flat: list[tuple[str, Node, Node]],
        values: dict[str, Any],
        phone: str | None,
    ) -> None:
        """Read flat SIP request parameters into sip_outbound_trunk_config (RL012 each)."""
        container = "sip_outbound_trunk_config"
        trunk = values.get(container)
        nested = set(trunk.fields_set) if isinstance(trunk, SipTrunk) else set()
        taken: dict[str, str] = {}
        read: dict[str, Any] = {}
        for name, key, value in flat:
            field = FLAT_SIP_PARAMETERS[name]
            canonical = f"{container}.{field}"
            if field in nested or field in taken:
                other = f"{container}.{field}" if field in nested else taken[field]
                kept = getattr(trunk, field) if field in nested else read.get(field)
                if plain_value(value) != kept:
                    # Two values for one setting: which one is meant cannot be known.
                    number.conflicts[canonical] = name
                    self._hit(
                        "RL012",
                        f"{name} is the API's request parameter for {canonical}, and {other} "
                        f"{SIP_CONFLICT}; keep one of them (apply refuses the number until "
                        "then)",
                        span_of(key),
                        number.full_path(name),
                        phone,
                        severity="error",
                    )
                    continue
                self._hit(
                    "RL012",
                    f"{name} is the API's request parameter for {canonical}, and {other} is "
                    "also set (that value is used); remove this one",
                    span_of(key),
                    number.full_path(name),
                    phone,
                )
                continue
            taken[field] = name
            number.written[canonical] = name
            number.places[canonical] = Located(span_of(key), value_span(key, value))
            spec = SIP_FIELDS[field]
            if spec.shape == "str_list":
                read[field] = self._str_list(number, canonical, spec, value, phone)
            else:
                read[field] = self._scalar(number, canonical, spec, value, phone)
            self._hit(
                "RL012",
                f"{name} is the API's request parameter for {canonical}; in a config, "
                f"write it as {field} under {container}",
                span_of(key),
                number.full_path(name),
                phone,
            )
        if not read:
            return
        if isinstance(trunk, SipTrunk):
            for field, item in read.items():
                setattr(trunk, field, item)
                trunk.fields_set.add(field)
        else:
            values[container] = SipTrunk(**read, fields_set=set(read))
