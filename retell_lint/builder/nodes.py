"""YAML nodes as the builder reads them: tags, limits, scalar text and type names."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from retell_lint.fields import Shape
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
LIST_KEY = "phone_numbers"
# A merge (<<) of a merge of ...: real configs chain a few; the builder recurses per link.
MAX_MERGE_DEPTH = 100
# Versions and counts past this are not real values (and print as 19+ digits).
MAX_INT = 2**63 - 1
MAX_INT_CHARS = 40
EXTENSION_PREFIX = "x-"


def type_name(node: Node) -> str:
    tag = str(tag_of(node))
    return TYPE_NAMES.get(tag, f"a value tagged {tag}")


def is_plain(node: Node) -> bool:
    return getattr(node, "style", None) in (None, "")


def scalar_text(node: Node) -> str:
    return str(node.value)


def plain_value(node: Node) -> Any:
    """A flat SIP parameter's value, to compare with the one read under the trunk:
    text, null, or a list of texts (anything else is never equal to a read value)."""
    if isinstance(node.value, list):
        if not all(isinstance(getattr(item, "value", None), str) for item in node.value):
            return node
        return [plain_value(item) for item in node.value]
    if tag_of(node) == NULL:
        return None
    return scalar_text(node) if isinstance(node.value, str) else node


def to_int(text: str) -> int | None:
    cleaned = text.replace("_", "")
    for base in (0, 10):
        try:
            return int(cleaned, base)
        except ValueError:
            continue
    return None


def to_float(text: str) -> float | None:
    lowered = text.lower().replace("_", "")
    if lowered.lstrip("+-") in (".inf", "inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    if lowered in (".nan", "nan"):
        return float("nan")
    try:
        return float(lowered)
    except ValueError:
        return None


def numeric_problem(tag: str, text: str, shape: Shape) -> str | None:
    """Why a scalar tagged !!int or !!float cannot be read as one, or None.

    Plain scalars resolve to these tags only when they are numbers; an explicit
    tag (``!!float "abc"``) can claim anything, and a number can be too large.
    """
    if shape in ("str", "phone"):
        return None
    if tag == INT:
        if len(text.replace("_", "").lstrip("+-")) > MAX_INT_CHARS:
            return "is a number too large to be a real value"
        value = to_int(text)
        if value is None:
            return f"is tagged !!int but '{text[:40]}' is not an integer"
        if abs(value) > MAX_INT:
            return "is a number too large to be a real value"
        return None
    value_f = to_float(text)
    if value_f is None:
        return f"is tagged !!float but '{text[:40]}' is not a number"
    return None


def join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def value_span(key: Node, value: Node) -> Span:
    # An empty value ("key:") has no extent of its own; point at the key instead.
    if tag_of(value) == NULL and value.value == "":
        return span_of(key)
    return span_of(value)


def shape_name(shape: Shape) -> str:
    return {
        "str": "a string",
        "phone": "a quoted E.164 phone number",
        "int": "an integer",
        "number": "a number",
        "version": "an integer or a tag name",
        "bool": "a boolean (true or false)",
    }.get(shape, "a value")


def yaml11_kind(text: str) -> str:
    if text[:1].isalpha():
        return "boolean"
    return "base-60 number" if ":" in text else "octal number"


@cache
def _yaml11_pattern() -> re.Pattern[str]:
    # Plain scalars that YAML 1.2 reads as strings but YAML 1.1 parsers (PyYAML, many
    # others) read as booleans, octal or base-60 numbers: the Norway problem. Compiled
    # on first use: a check whose files all come from the cache builds nothing.
    return re.compile(
        r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF"
        r"|[-+]?0[0-7_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$"
    )


def yaml11_ambiguous(text: str) -> bool:
    """Whether a plain scalar YAML 1.2 reads as a string is something else to YAML 1.1."""
    return _yaml11_pattern().match(text) is not None
