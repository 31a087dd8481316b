"""Parsing JSON from outside (files, API answers) without letting its depth crash us."""

from __future__ import annotations

import json
from typing import Any


def parse_json(data: bytes | str) -> Any:
    """``json.loads``, with nesting too deep for the parser reported as a ValueError.

    json recurses once per level of nesting; a hostile file or server can nest deeper
    than Python's stack allows. Every caller already handles ValueError (invalid JSON),
    so that is what too deep becomes.
    """
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("JSON nested too deep") from None
