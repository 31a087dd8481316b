"""Building the phone-number model from YAML nodes, reporting shape problems.

The builder walks only the structure a config can have (document → number →
agent list → agent entry → scalar), so alias expansion is bounded by a node
budget and a self-referencing alias can never loop. Every value's type is
checked here, where its position is known; values of the wrong type are
reported and left out of the model so later checks do not report them twice.

Rules reported here: RL002 duplicate-key, RL003 unknown-field, RL004
invalid-type, RL005 missing-required-field, RL007 implicit-type, RL008
not-a-phone-number-config, RL012 api-parameter-name, RL013 yaml11-ambiguous-value
(and RL001 when the alias budget is exceeded).

The API's flat request parameters for the SIP trunk (``transport``,
``sip_trunk_auth_username``, ...) are read into ``sip_outbound_trunk_config``, their
canonical place, so every check and the drift diff see one model; the number
remembers where each was written (:attr:`NumberDoc.written`), and findings name the
key as written.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from retell_lint.fields import (
    AGENT_FIELDS,
    FLAT_SIP_PARAMETERS,
    NUMBER_FIELDS,
    SIP_CONFLICT,
    SIP_FIELDS,
    FieldSpec,
    Shape,
)
from retell_lint.findings import Hit
from retell_lint.model import AgentEntry, PhoneNumber, SipTrunk
from retell_lint.source import Span
from retell_lint.yamlread import span_of, tag_of

if TYPE_CHECKING:
    from ruamel.yaml.nodes import Node

TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (TAG + t for t in ("str", "int", "float", "bool", "null"))
SEQ, MAP, MERGE = TAG + "seq", TAG + "map", TAG + "merge"
TYPE_NAMES = {
    STR: "a string",
    INT: "an integer",
    FLOAT: "a number",
    BOOL: "a boolean",
    NULL: "null",
    SEQ: "a list",
    MAP: "a mapping",
    TAG + "timestamp": "a date",
    TAG + "binary": "binary data",
    TAG + "set": "a set",
    TAG + "omap": "an ordered mapping",
}
# Plain scalars that YAML 1.2 reads as strings but YAML 1.1 parsers (PyYAML, many
# others) read as booleans, octal or base-60 numbers: the Norway problem.
YAML11_AMBIGUOUS = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF"
    r"|[-+]?0[0-7_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$"
)
LIST_KEY = "phone_numbers"
# A merge (<<) of a merge of ...: real configs chain a few; the builder recurses per link.
MAX_MERGE_DEPTH = 100
# Versions and counts past this are not real values (and print as 19+ digits).
MAX_INT = 2**63 - 1
MAX_INT_CHARS = 40
EXTENSION_PREFIX = "x-"


class Located(NamedTuple):
    key: Span | None
    value: Span


class NumberDoc:
    """One phone number as declared: the model plus where each part of it is."""

    __slots__ = (
        "config",
        "conflicts",
        "document",
        "file",
        "implicit",
        "invalid",
        "places",
        "prefix",
        "span",
        "unreadable_weights",
        "written",
    )

    def __init__(
        self, file: str, document: int, prefix: str, config: PhoneNumber, span: Span
    ) -> None:
        self.file = file
        self.document = document
        # "" for a single-number document, "phone_numbers[2]" in a list.
        self.prefix = prefix
        self.config = config
        self.span = span
        # YAML path inside the number ("inbound_agents[1].weight") -> position.
        self.places: dict[str, Located] = {}
        # Agent lists with an entry whose weight could not be read as a number.
        self.unreadable_weights: set[str] = set()
        # Paths whose unquoted value was already reported as read with the wrong type.
        self.implicit: set[str] = set()
        # Paths whose value was reported as being of the wrong type (left out or "").
        self.invalid: set[str] = set()
        # Canonical path -> the path as written, for values read from a flat API
        # parameter ("sip_outbound_trunk_config.transport" -> "transport").
        self.written: dict[str, str] = {}
        # Canonical path -> the flat parameter written beside it with another value.
        self.conflicts: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"NumberDoc({self.phone_number!r}, {self.file}:{self.span.line})"

    @property
    def declared(self) -> set[str]:
        return self.config.fields_set

    def full_path(self, path: str) -> str:
        """The YAML path of ``path`` as the file writes it, from the document's root."""
        for canonical, written in self.written.items():
            if path == canonical or path.startswith((canonical + "[", canonical + ".")):
                path = written + path[len(canonical) :]
                break
        if not self.prefix:
            return path
        return f"{self.prefix}.{path}" if path else self.prefix

    def key_span(self, path: str) -> Span:
        place = self.places.get(path)
        if place is None:
            return self.span
        return place.key or place.value

    def value_span(self, path: str) -> Span:
        place = self.places.get(path)
        return place.value if place is not None else self.span

    @property
    def phone_number(self) -> str | None:
        value = self.config.phone_number
        return value if isinstance(value, str) else None


class BudgetExceeded(Exception):
    pass


def _type_name(node: Node) -> str:
    tag = str(tag_of(node))
    return TYPE_NAMES.get(tag, f"a value tagged {tag}")


def _is_plain(node: Node) -> bool:
    return getattr(node, "style", None) in (None, "")


def _scalar_text(node: Node) -> str:
    return str(node.value)


def _plain_value(node: Node) -> Any:
    """A flat SIP parameter's value, to compare with the one read under the trunk:
    text, null, or a list of texts (anything else is never equal to a read value)."""
    if isinstance(node.value, list):
        if not all(isinstance(getattr(item, "value", None), str) for item in node.value):
            return node
        return [_plain_value(item) for item in node.value]
    if tag_of(node) == NULL:
        return None
    return _scalar_text(node) if isinstance(node.value, str) else node


def _to_int(text: str) -> int | None:
    cleaned = text.replace("_", "")
    for base in (0, 10):
        try:
            return int(cleaned, base)
        except ValueError:
            continue
    return None


def _to_float(text: str) -> float | None:
    lowered = text.lower().replace("_", "")
    if lowered.lstrip("+-") in (".inf", "inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    if lowered in (".nan", "nan"):
        return float("nan")
    try:
        return float(lowered)
    except ValueError:
        return None


class Builder:
    """Builds the numbers of one file, appending problems to ``hits``."""

    def __init__(self, file: str, hits: list[Hit], budget: int) -> None:
        self.file = file
        self.hits = hits
        # Nodes left to visit: bounds alias expansion.
        self.budget = budget
        self.document = 0

    # -- bookkeeping -----------------------------------------------------------------
    def _spend(self, count: int = 1) -> None:
        self.budget -= count
        if self.budget < 0:
            raise BudgetExceeded

    def _hit(
        self,
        rule: str,
        message: str,
        span: Span,
        path: str = "",
        number: str | None = None,
        severity: Any = None,
    ) -> None:
        self.hits.append(
            Hit(
                rule,
                message,
                span,
                path=path,
                phone_number=number,
                document=self.document,
                severity=severity,
                file=self.file,
            )
        )

    # -- documents ------------------------------------------------------------------
    def build_document(self, root: Node | None, index: int) -> list[NumberDoc]:
        self.document = index
        try:
            return self._document(root)
        except BudgetExceeded:
            span = span_of(root) if root is not None else Span(1, 1, 1, 1)
            self._hit(
                "RL001",
                "the document expands to too many nodes through aliases; refusing to read it",
                span,
            )
            return []

    def _document(self, root: Node | None) -> list[NumberDoc]:
        if root is None or (tag_of(root) == NULL and not isinstance(root.value, list)):
            span = span_of(root) if root is not None else Span(1, 1, 1, 1)
            self._hit("RL008", "empty document: no phone number here", span)
            return []
        if tag_of(root) != MAP:
            self._hit(
                "RL008",
                f"the document is {_type_name(root)}, not a phone number (a mapping with "
                f"phone_number) nor a mapping with a phone_numbers list",
                span_of(root),
            )
            return []
        pairs = self._pairs(root, "")
        keys = {name for name, _k, _v in pairs}
        if "phone_number" not in keys and LIST_KEY in keys:
            return self._number_list(root, pairs)
        known = keys & NUMBER_FIELDS.keys()
        if "phone_number" not in keys and not known:
            self._hit(
                "RL008",
                "no phone_number and no phone_numbers list: this is not a phone-number config",
                span_of(root),
            )
            return []
        number = self._number(root, pairs, prefix="")
        return [number] if number is not None else []

    def _number_list(self, root: Node, pairs: list[tuple[str, Node, Node]]) -> list[NumberDoc]:
        numbers: list[NumberDoc] = []
        for name, key, _value in pairs:
            if name != LIST_KEY and not name.startswith(EXTENSION_PREFIX):
                self._unknown(name, key, ("phone_numbers",), "")
        _name, list_key, list_node = next(p for p in pairs if p[0] == LIST_KEY)
        if tag_of(list_node) != SEQ:
            if tag_of(list_node) == NULL:
                self._hit(
                    "RL008", "phone_numbers is empty: no phone number here", span_of(list_key)
                )
            else:
                self._hit(
                    "RL004",
                    f"phone_numbers must be a list of numbers, not {_type_name(list_node)}",
                    span_of(list_node),
                    LIST_KEY,
                )
            return numbers
        if not list_node.value:
            self._hit(
                "RL008", "phone_numbers is an empty list: no phone number here", span_of(list_key)
            )
        for index, item in enumerate(list_node.value):
            self._spend()
            prefix = f"{LIST_KEY}[{index}]"
            if tag_of(item) != MAP:
                self._hit(
                    "RL004",
                    f"each entry of phone_numbers must be a mapping with "
                    f"phone_number, not {_type_name(item)}",
                    span_of(item),
                    prefix,
                )
                continue
            number = self._number(item, self._pairs(item, prefix), prefix=prefix)
            if number is not None:
                numbers.append(number)
        return numbers

    # -- mappings -------------------------------------------------------------------
    def _pairs(self, mapping: Node, path: str) -> list[tuple[str, Node, Node]]:
        """Keys of a mapping with merges applied and duplicates reported (first wins)."""
        explicit: list[tuple[str, Node, Node]] = []
        merged: list[tuple[str, Node, Node]] = []
        seen: dict[str, Node] = {}
        for key, value in mapping.value:
            self._spend()
            if tag_of(key) == MERGE:
                merged.extend(self._merge_pairs(value, path, {id(mapping)}))
                continue
            if isinstance(key.value, list):
                self._hit(
                    "RL004",
                    f"a key must be a plain string, not {_type_name(key)}",
                    span_of(key),
                    path,
                )
                continue
            name = _scalar_text(key)
            if name in seen:
                first = seen[name].start_mark.line + 1
                self._hit(
                    "RL002",
                    f"duplicate key '{name}' (first defined on line {first}); "
                    "the first value is used",
                    span_of(key),
                    _join(path, name),
                )
                continue
            seen[name] = key
            explicit.append((name, key, value))
        for name, key, value in merged:
            if name not in seen:
                seen[name] = key
                explicit.append((name, key, value))
        return explicit

    def _merge_pairs(
        self, value: Node, path: str, active: set[int]
    ) -> list[tuple[str, Node, Node]]:
        sources = value.value if tag_of(value) == SEQ else [value]
        pairs: list[tuple[str, Node, Node]] = []
        for source in sources:
            self._spend()
            if tag_of(source) != MAP:
                self._hit(
                    "RL004",
                    f"a merge key (<<) needs a mapping, not {_type_name(source)}",
                    span_of(source),
                    path,
                )
                continue
            if id(source) in active:
                continue
            if len(active) > MAX_MERGE_DEPTH:
                self._hit(
                    "RL004",
                    f"merge keys (<<) chained more than {MAX_MERGE_DEPTH} deep; flatten the chain",
                    span_of(source),
                    path,
                )
                continue
            for key, item in source.value:
                self._spend()
                if tag_of(key) == MERGE:
                    pairs.extend(self._merge_pairs(item, path, active | {id(source)}))
                elif not isinstance(key.value, list):
                    pairs.append((_scalar_text(key), key, item))
        return pairs

    def _unknown(
        self, name: str, key: Node, known: Any, path: str, phone: str | None = None
    ) -> None:
        from difflib import get_close_matches

        message = f"unknown field '{name}'"
        guess = get_close_matches(name, list(known), n=1, cutoff=0.6)
        if guess:
            message += f"; did you mean '{guess[0]}'?"
        self._hit("RL003", message, span_of(key), _join(path, name), phone)

    # -- a number -------------------------------------------------------------------
    def _number(
        self, mapping: Node, pairs: list[tuple[str, Node, Node]], prefix: str
    ) -> NumberDoc | None:
        number = NumberDoc(
            file=self.file,
            document=self.document,
            prefix=prefix,
            config=PhoneNumber(),
            span=span_of(mapping),
        )
        values: dict[str, Any] = {}
        phone_text = None
        phone_null = False
        for name, _key, value in pairs:
            if name == "phone_number" and tag_of(value) != MAP and tag_of(value) != SEQ:
                phone_text = _scalar_text(value) if value.value not in ("", None) else None
                phone_null = tag_of(value) == NULL
        flat: list[tuple[str, Node, Node]] = []
        for name, key, value in pairs:
            if name.startswith(EXTENSION_PREFIX):
                continue
            spec = NUMBER_FIELDS.get(name)
            if spec is None:
                modern = [n for n, s in NUMBER_FIELDS.items() if s.kind != "legacy"]
                self._unknown(name, key, modern, prefix, phone_text)
                continue
            if spec.kind == "api_alias":
                flat.append((name, key, value))
                continue
            number.places[name] = Located(span_of(key), _value_span(key, value))
            if spec.shape == "agents":
                values[name] = self._agents(number, name, value, phone_text)
            elif spec.shape == "sip":
                sip = self._sip(number, name, value, phone_text)
                values[name] = SipTrunk(**sip, fields_set=set(sip)) if sip is not None else None
            elif spec.shape == "str_list":
                values[name] = self._str_list(number, name, spec, value, phone_text)
            else:
                values[name] = self._scalar(number, name, spec, value, phone_text)
                if spec.kind == "directive":
                    values[name] = self._choice(number, name, spec, values[name], phone_text)
        if flat:
            self._flat_sip(number, flat, values, phone_text)
        if "phone_number" not in values:
            self._hit(
                "RL005", "missing required field 'phone_number'", number.span, prefix, phone_text
            )
        elif values["phone_number"] is None and phone_null:
            # A value of the wrong type was reported (RL004) where it was read.
            self._hit(
                "RL005",
                "'phone_number' has no value",
                number.key_span("phone_number"),
                _join(prefix, "phone_number"),
            )
        number.config = PhoneNumber(**values, fields_set=set(values))
        return number

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
                if _plain_value(value) != kept:
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
            number.places[canonical] = Located(span_of(key), _value_span(key, value))
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

    # -- values ---------------------------------------------------------------------
    def _scalar(
        self, number: NumberDoc, path: str, spec: FieldSpec, node: Node, phone: str | None
    ) -> Any:
        """Read a scalar of ``spec.shape``; report and return None when it is not one."""
        tag = tag_of(node)
        full = number.full_path(path)
        if tag == NULL:
            if spec.nullable:
                # An explicit null is a value (unset it): policies see it as null.
                return None
            if spec.shape != "phone":
                self._hit(
                    "RL004",
                    f"'{spec.name}' must not be null",
                    span_of(node) if node.value else number.key_span(path),
                    full,
                    phone,
                )
            number.invalid.add(path)
            return None
        if isinstance(node.value, list):
            return self._wrong_type(
                number,
                path,
                f"'{spec.name}' must be {_shape_name(spec.shape)}, not {_type_name(node)}",
                node,
                phone,
            )
        text = _scalar_text(node)
        shape: Shape = spec.shape
        if shape in ("str", "phone"):
            if tag == STR:
                if _is_plain(node) and YAML11_AMBIGUOUS.match(text):
                    self._hit(
                        "RL013",
                        f"'{text}' is a string in YAML 1.2 but a "
                        f'{_yaml11_kind(text)} to YAML 1.1 parsers; quote it: "{text}"',
                        span_of(node),
                        full,
                        phone,
                    )
                return text
            if _is_plain(node) and tag in (INT, FLOAT, BOOL):
                advice = f'quote it: "{text}"'
                if shape == "phone" and not text.startswith("+"):
                    advice = "write it quoted, in E.164 form (+, country code, number)"
                self._hit(
                    "RL007",
                    f"unquoted {text} is read as {_type_name(node)}, not a string; {advice}",
                    span_of(node),
                    full,
                    phone,
                )
                number.implicit.add(path)
                return text
            return self._wrong_type(
                number,
                path,
                f"'{spec.name}' must be a string, not {_type_name(node)}",
                node,
                phone,
            )
        if tag in (INT, FLOAT):
            problem = _numeric_problem(tag, text, shape)
            if problem is not None:
                return self._wrong_type(number, path, f"'{spec.name}' {problem}", node, phone)
        if shape == "int":
            if tag == INT:
                return _to_int(text)
            return self._wrong_type(
                number,
                path,
                f"'{spec.name}' must be an integer, not {_type_name(node)}"
                + (f" ('{text}')" if tag == STR else ""),
                node,
                phone,
            )
        if shape == "bool":
            if tag == BOOL:
                return text.lower() == "true"
            return self._wrong_type(
                number,
                path,
                f"'{spec.name}' must be a boolean (true or false), not {_type_name(node)}"
                + (f" ('{text}'); remove the quotes" if tag == STR else ""),
                node,
                phone,
            )
        if shape == "number":
            if tag == INT:
                value = _to_int(text)
                return float(value) if value is not None else None
            if tag == FLOAT:
                return _to_float(text)
            return self._wrong_type(
                number,
                path,
                f"'{spec.name}' must be a number, not {_type_name(node)}"
                + (f" ('{text}'); remove the quotes" if tag == STR else ""),
                node,
                phone,
            )
        # version: an integer or a tag string
        if tag == INT:
            return _to_int(text)
        if tag == STR:
            if _is_plain(node) and YAML11_AMBIGUOUS.match(text):
                self._hit(
                    "RL013",
                    f"'{text}' is a tag name in YAML 1.2 but a {_yaml11_kind(text)} to YAML 1.1 "
                    f'parsers; quote it: "{text}"',
                    span_of(node),
                    full,
                    phone,
                )
            return text
        return self._wrong_type(
            number,
            path,
            f"'{spec.name}' must be an integer or a tag name, not {_type_name(node)}",
            node,
            phone,
        )

    def _choice(
        self, number: NumberDoc, path: str, spec: FieldSpec, value: Any, phone: str | None
    ) -> Any:
        """A directive's value, when it is one of its choices; reported (RL004) otherwise."""
        choices = spec.choices or ()
        if not isinstance(value, str) or value in choices:
            return value
        self._hit(
            "RL004",
            f"'{spec.name}' must be {' or '.join(choices)}, not '{value}'",
            number.value_span(path),
            number.full_path(path),
            phone,
        )
        number.invalid.add(path)
        return None

    def _wrong_type(
        self, number: NumberDoc, path: str, message: str, node: Node, phone: str | None
    ) -> None:
        """Report a value of the wrong type (RL004) and keep it out of the checks."""
        self._hit("RL004", message, span_of(node), number.full_path(path), phone)
        number.invalid.add(path)

    def _str_list(
        self, number: NumberDoc, path: str, spec: FieldSpec, node: Node, phone: str | None
    ) -> list[str] | None:
        if tag_of(node) == NULL:
            return None
        if tag_of(node) != SEQ:
            self._wrong_type(
                number,
                path,
                f"'{spec.name}' must be a list of strings, not {_type_name(node)}",
                node,
                phone,
            )
            return None
        items: list[str] = []
        for index, item in enumerate(node.value):
            self._spend()
            item_path = f"{path}[{index}]"
            item_spec = FieldSpec(f"{spec.name}[{index}]", "str", spec.kind, "", nullable=False)
            number.places[item_path] = Located(None, span_of(item))
            if tag_of(item) == NULL:
                self._hit(
                    "RL004",
                    f"'{spec.name}' entries must be strings, not null",
                    span_of(item) if item.value else number.key_span(path),
                    number.full_path(item_path),
                    phone,
                )
                number.invalid.add(item_path)
                items.append("")
                continue
            value = self._scalar(number, item_path, item_spec, item, phone)
            # Keep indexes aligned with positions; invalid entries are already reported.
            items.append(value if isinstance(value, str) else "")
        return items

    def _agents(
        self, number: NumberDoc, path: str, node: Node, phone: str | None
    ) -> list[Any] | None:
        if tag_of(node) == NULL:
            return None
        if tag_of(node) != SEQ:
            self._wrong_type(
                number,
                path,
                f"'{path}' must be a list of {{agent_id, weight}} entries, not {_type_name(node)}",
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
                    f"weight, not {_type_name(item)}",
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
                number.places[field_path] = Located(span_of(key), _value_span(key, value))
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
                number, path, f"'{path}' must be a mapping, not {_type_name(node)}", node, phone
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
            number.places[field_path] = Located(span_of(key), _value_span(key, value))
            if spec.shape == "str_list":
                values[name] = self._str_list(number, field_path, spec, value, phone)
            else:
                values[name] = self._scalar(number, field_path, spec, value, phone)
        return values


def _numeric_problem(tag: str, text: str, shape: Shape) -> str | None:
    """Why a scalar tagged !!int or !!float cannot be read as one, or None.

    Plain scalars resolve to these tags only when they are numbers; an explicit
    tag (``!!float "abc"``) can claim anything, and a number can be too large.
    """
    if shape in ("str", "phone"):
        return None
    if tag == INT:
        if len(text.replace("_", "").lstrip("+-")) > MAX_INT_CHARS:
            return "is a number too large to be a real value"
        value = _to_int(text)
        if value is None:
            return f"is tagged !!int but '{text[:40]}' is not an integer"
        if abs(value) > MAX_INT:
            return "is a number too large to be a real value"
        return None
    value_f = _to_float(text)
    if value_f is None:
        return f"is tagged !!float but '{text[:40]}' is not a number"
    return None


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _value_span(key: Node, value: Node) -> Span:
    # An empty value ("key:") has no extent of its own; point at the key instead.
    if tag_of(value) == NULL and value.value == "":
        return span_of(key)
    return span_of(value)


def _shape_name(shape: Shape) -> str:
    return {
        "str": "a string",
        "phone": "a quoted E.164 phone number",
        "int": "an integer",
        "number": "a number",
        "version": "an integer or a tag name",
        "bool": "a boolean (true or false)",
    }.get(shape, "a value")


def _yaml11_kind(text: str) -> str:
    if text[:1].isalpha():
        return "boolean"
    return "base-60 number" if ":" in text else "octal number"
