"""Reading scalars and lists of strings by a field's shape (RL004, RL007, RL013)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from retell_lint.builder.base import BuilderBase
from retell_lint.builder.nodes import (
    BOOL,
    FLOAT,
    INT,
    NULL,
    SEQ,
    STR,
    is_plain,
    numeric_problem,
    scalar_text,
    shape_name,
    to_float,
    to_int,
    type_name,
    yaml11_ambiguous,
    yaml11_kind,
)
from retell_lint.builder.numberdoc import Located, NumberDoc
from retell_lint.fields import FieldSpec, Shape
from retell_lint.yamlread import span_of, tag_of

if TYPE_CHECKING:
    from ruamel.yaml.nodes import Node


class ValueReader(BuilderBase):
    """Reads one value of a number by its field's shape, reporting the wrong ones."""

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
                f"'{spec.name}' must be {shape_name(spec.shape)}, not {type_name(node)}",
                node,
                phone,
            )
        text = scalar_text(node)
        shape: Shape = spec.shape
        if shape in ("str", "phone"):
            if tag == STR:
                if is_plain(node) and yaml11_ambiguous(text):
                    self._hit(
                        "RL013",
                        f"'{text}' is a string in YAML 1.2 but a "
                        f'{yaml11_kind(text)} to YAML 1.1 parsers; quote it: "{text}"',
                        span_of(node),
                        full,
                        phone,
                    )
                return text
            if is_plain(node) and tag in (INT, FLOAT, BOOL):
                advice = f'quote it: "{text}"'
                if shape == "phone" and not text.startswith("+"):
                    advice = "write it quoted, in E.164 form (+, country code, number)"
                self._hit(
                    "RL007",
                    f"unquoted {text} is read as {type_name(node)}, not a string; {advice}",
                    span_of(node),
                    full,
                    phone,
                )
                number.implicit.add(path)
                return text
            return self._wrong_type(
                number,
                path,
                f"'{spec.name}' must be a string, not {type_name(node)}",
                node,
                phone,
            )
        if tag in (INT, FLOAT):
            problem = numeric_problem(tag, text, shape)
            if problem is not None:
                return self._wrong_type(number, path, f"'{spec.name}' {problem}", node, phone)
        if shape == "int":
            if tag == INT:
                return to_int(text)
            return self._wrong_type(
                number,
                path,
                f"'{spec.name}' must be an integer, not {type_name(node)}"
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
                f"'{spec.name}' must be a boolean (true or false), not {type_name(node)}"
                + (f" ('{text}'); remove the quotes" if tag == STR else ""),
                node,
                phone,
            )
        if shape == "number":
            if tag == INT:
                value = to_int(text)
                return float(value) if value is not None else None
            if tag == FLOAT:
                return to_float(text)
            return self._wrong_type(
                number,
                path,
                f"'{spec.name}' must be a number, not {type_name(node)}"
                + (f" ('{text}'); remove the quotes" if tag == STR else ""),
                node,
                phone,
            )
        # version: an integer or a tag string
        if tag == INT:
            return to_int(text)
        if tag == STR:
            if is_plain(node) and yaml11_ambiguous(text):
                self._hit(
                    "RL013",
                    f"'{text}' is a tag name in YAML 1.2 but a {yaml11_kind(text)} to YAML 1.1 "
                    f'parsers; quote it: "{text}"',
                    span_of(node),
                    full,
                    phone,
                )
            return text
        return self._wrong_type(
            number,
            path,
            f"'{spec.name}' must be an integer or a tag name, not {type_name(node)}",
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
                f"'{spec.name}' must be a list of strings, not {type_name(node)}",
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
