"""Validating JSON output against the schemas shipped in retell_lint/schemas/.

Test modules import this as ``from json_schemas import assert_valid`` (tests/ is on
sys.path). The validator checks formats too and refuses unknown keys where the
schema does, so a report that grows a key without its schema fails here.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema

from retell_lint import schemas


@functools.cache
def validator(command: str) -> jsonschema.Draft202012Validator:
    schema = schemas.load(command)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def assert_valid(command: str, text_or_data: str | Any) -> Any:
    """The parsed document, after failing the test unless it fits ``command``'s schema."""
    data = json.loads(text_or_data) if isinstance(text_or_data, str) else text_or_data
    errors = sorted(validator(command).iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    return data
