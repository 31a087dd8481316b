"""JSON from outside: too deep a nesting is invalid JSON, not a crash."""

from __future__ import annotations

import pytest

from retell_lint.api_base import _error_message_from_body
from retell_lint.jsontext import parse_json

DEEP = b"[" * 200_000 + b"]" * 200_000


def test_deep_json_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="nested too deep"):
        parse_json(DEEP)


def test_ordinary_json_parses() -> None:
    assert parse_json(b'{"a": [1, 2]}') == {"a": [1, 2]}


def test_an_error_body_nested_too_deep_has_no_message() -> None:
    # A server's error body is read for its message; a hostile one gives none.
    assert _error_message_from_body(DEEP) is None
    assert _error_message_from_body(b'{"message": "rate limited"}') == "rate limited"
