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

:class:`Builder` reads a document's numbers (one number, or a ``phone_numbers``
list) on the layers in ``retell_lint.builder``, each class adding one kind of reading
to the one below: ``nodes`` (YAML tags, limits, scalar text), ``numberdoc``
(:class:`NumberDoc`, the result), ``base`` (the node budget, hits, a mapping's keys
with merges and duplicates), ``values`` (scalars and lists of strings) and ``nested``
(agent lists and the SIP trunk, also from flat request parameters).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from retell_lint.builder.base import BudgetExceeded
from retell_lint.builder.nested import NestedReader
from retell_lint.builder.nodes import (
    EXTENSION_PREFIX,
    LIST_KEY,
    MAP,
    NULL,
    SEQ,
    join,
    scalar_text,
    type_name,
    value_span,
)
from retell_lint.builder.numberdoc import Located, NumberDoc
from retell_lint.fields import NUMBER_FIELDS
from retell_lint.model import PhoneNumber, SipTrunk
from retell_lint.source import Span
from retell_lint.yamlread import span_of, tag_of

if TYPE_CHECKING:
    from ruamel.yaml.nodes import Node

__all__ = ["Builder", "Located", "NumberDoc"]


class Builder(NestedReader):
    """Builds the numbers of one file, appending problems to ``hits``."""

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
                f"the document is {type_name(root)}, not a phone number (a mapping with "
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
                    f"phone_numbers must be a list of numbers, not {type_name(list_node)}",
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
                    f"phone_number, not {type_name(item)}",
                    span_of(item),
                    prefix,
                )
                continue
            number = self._number(item, self._pairs(item, prefix), prefix=prefix)
            if number is not None:
                numbers.append(number)
        return numbers

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
                phone_text = scalar_text(value) if value.value not in ("", None) else None
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
            number.places[name] = Located(span_of(key), value_span(key, value))
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
                join(prefix, "phone_number"),
            )
        number.config = PhoneNumber(**values, fields_set=set(values))
        return number
