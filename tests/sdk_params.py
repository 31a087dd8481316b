"""The SDK's request params types as ground truth for request bodies (no tests here).

retell-sdk's ``phone_number_{update,create,import}_params`` TypedDicts name every
parameter of each write; :func:`validate_params` checks a body against them.
"""

from __future__ import annotations

from typing import Any

import pytest
from fake_retell import (
    CREATE_PARAMS,
    IMPORT_PARAMS,
    NULLABLE_PARAMS,
    UPDATE_NULLABLE,
    UPDATE_PARAMS,
)

pytest.importorskip("retell")

from retell.types import (
    phone_number_create_params,
    phone_number_import_params,
    phone_number_update_params,
)

# request -> (SDK TypedDict, parameters the fake accepts, those it accepts null for)
SDK_PARAMS: dict[str, tuple[Any, frozenset[str], frozenset[str]]] = {
    "update": (phone_number_update_params.PhoneNumberUpdateParams, UPDATE_PARAMS, UPDATE_NULLABLE),
    "create": (phone_number_create_params.PhoneNumberCreateParams, CREATE_PARAMS, NULLABLE_PARAMS),
    "import": (phone_number_import_params.PhoneNumberImportParams, IMPORT_PARAMS, NULLABLE_PARAMS),
}
REQUEST_OF_PATH = {
    "/create-phone-number": "create",
    "/import-phone-number": "import",
}


def validate_params(request_name: str, body: dict[str, Any]) -> None:
    """``body`` is a valid value of the SDK's params TypedDict for that request."""
    from pydantic import TypeAdapter

    typed_dict = SDK_PARAMS[request_name][0]
    unknown = set(body) - set(typed_dict.__annotations__)
    assert not unknown, f"{request_name}: not parameters of the request: {sorted(unknown)}"
    validated = TypeAdapter(typed_dict).validate_python(body, strict=False)
    for value in validated.values():
        if value is not None and not isinstance(value, (str, bool, int, float)):
            list(value)  # agent lists are validated lazily, when iterated


def request_name(method: str, path: str) -> str | None:
    """Which params type a recorded write request's body must match (None: no body)."""
    if method == "PATCH":
        return "update"
    return REQUEST_OF_PATH.get(path) if method == "POST" else None
