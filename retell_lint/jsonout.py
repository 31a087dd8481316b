"""JSON reports, written fast: ``json.dumps(value, indent=2, ensure_ascii=False)``.

With ``indent``, the standard library encodes in Python, character by character of
structure; a report of thousands of findings then costs as much as linting them.
This writes the same text, byte for byte, with each string and number encoded by the
library's C functions.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

INDENT = "  "


def dumps(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``."""
    parts: list[str] = []
    _write(value, 0, parts)
    return "".join(parts)


def _write(value: Any, level: int, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(encode_basestring(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif type(value) is int:
        parts.append(int.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        if not all(isinstance(key, str) for key in value):
            # Keys json turns into strings (numbers, booleans, None): its own way.
            text = json.dumps(value, indent=2, ensure_ascii=False)
            parts.append(text.replace("\n", "\n" + INDENT * level))
            return
        inner = "\n" + INDENT * (level + 1)
        opening = "{"
        for key, item in value.items():
            parts.append(opening + inner + encode_basestring(key) + ": ")
            opening = ","
            _write(item, level + 1, parts)
        parts.append("\n" + INDENT * level + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            parts.append("[]")
            return
        inner = "\n" + INDENT * (level + 1)
        for index, item in enumerate(value):
            parts.append(("[" if index == 0 else ",") + inner)
            _write(item, level + 1, parts)
        parts.append("\n" + INDENT * level + "]")
    else:
        # Floats (NaN and infinities as json writes them) and anything else json knows.
        parts.append(json.dumps(value, ensure_ascii=False))
