"""JSON reports, written fast: ``json.dumps(value, indent=2, ensure_ascii=False)``.

With ``indent``, the standard library encodes in Python, character by character of
structure; a report of thousands of findings then costs as much as linting them.
This writes the same text, byte for byte, with each string and number encoded by the
library's C functions, each key's indented prefix worked out once per level, and
each object joined at once.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

INDENT = "  "


def dumps(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``."""
    parts: list[str] = []
    _write(value, 0, parts, {})
    return "".join(parts)


def _scalar(value: Any) -> str | None:
    """The text of a string, integer, boolean or null; ``None`` for anything else."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return encode_basestring(value)
    return None


def _write(value: Any, level: int, parts: list[str], prefixes: dict[int, dict[str, str]]) -> None:
    text = _scalar(value)
    if text is not None:
        parts.append(text)
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        # "\n" + indent + "key": , worked out once per key and level (only string keys
        # are remembered: a key found there is a string).
        keyed = prefixes.get(level)
        if keyed is None:
            keyed = prefixes[level] = {}
        items: list[str] = []
        for key, item in value.items():
            prefix = keyed.get(key)
            if prefix is None:
                if not isinstance(key, str):
                    # Keys json turns into strings (numbers, booleans, None): its own way.
                    text = json.dumps(value, indent=2, ensure_ascii=False)
                    parts.append(text.replace("\n", "\n" + INDENT * level))
                    return
                prefix = keyed[key] = f"\n{INDENT * (level + 1)}{encode_basestring(key)}: "
            kind = type(item)
            if kind is str:
                items.append(prefix + encode_basestring(item))
            elif kind is int:
                items.append(prefix + int.__repr__(item))
            elif item is None:
                items.append(prefix + "null")
            else:
                text = _scalar(item)
                if text is None:
                    inner: list[str] = []
                    _write(item, level + 1, inner, prefixes)
                    text = "".join(inner)
                items.append(prefix + text)
        parts.append("{" + ",".join(items) + "\n" + INDENT * level + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            parts.append("[]")
            return
        inner_indent = "\n" + INDENT * (level + 1)
        opening = "[" + inner_indent
        between = "," + inner_indent
        for index, item in enumerate(value):
            parts.append(between if index else opening)
            _write(item, level + 1, parts, prefixes)
        parts.append("\n" + INDENT * level + "]")
    else:
        # Floats (NaN and infinities as json writes them) and anything else json knows.
        parts.append(json.dumps(value, ensure_ascii=False))
