"""The account an environment points at: its key and URL, the API client built from
them, and the fingerprint a saved plan records (never the key itself)."""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from retell_lint.errors import FatalError

if TYPE_CHECKING:
    from retell_lint.environment_config import Environment
    from retell_lint.retell_api import RetellClient

# The fixed label the account fingerprint is keyed with: the key itself is never
# stored, and its HMAC under a public label identifies the key without revealing it.
FINGERPRINT_LABEL = b"retell-lint account fingerprint v1"


def base_url(environment: Environment | None, environ: Mapping[str, str] | None = None) -> str:
    from retell_lint.api_base import DEFAULT_BASE_URL, _validate_base_url

    env = os.environ if environ is None else environ
    if environment is not None and environment.base_url is not None:
        return environment.base_url
    return _validate_base_url(env.get("RETELL_BASE_URL", "").strip() or DEFAULT_BASE_URL)


def credentials(environment: Environment | None) -> tuple[str, str]:
    """The API key and base URL a run uses: the environment's, or RETELL_API_KEY's."""
    variable = environment.api_key_env if environment is not None else "RETELL_API_KEY"
    key = os.environ.get(variable, "").strip()
    if not key:
        if environment is None:
            raise FatalError(
                "RETELL_API_KEY is not set; export your Retell API key as RETELL_API_KEY "
                "to use commands that talk to the Retell API"
            )
        raise FatalError(
            f"environment '{environment.name}' reads its API key from {variable}, which is not set"
        )
    return key, base_url(environment)


def client(
    environment: Environment | None, cls: type[RetellClient] | None = None, **options: Any
) -> Any:
    """A read client (or ``cls``, e.g. the writer) for the environment's account;
    ``options`` add to or override the RETELL_LINT_* tuning."""
    from retell_lint.online import client_options

    if cls is None:
        from retell_lint.retell_api import RetellClient

        cls = RetellClient
    key, url = credentials(environment)
    return cls(key, url, **{**client_options(), **options})


def fingerprint(api_key: str, base_url: str) -> str:
    """The account a plan was made against: its URL and a keyed hash of its key."""
    keyed = hmac.new(api_key.encode("utf-8"), FINGERPRINT_LABEL, hashlib.sha256).hexdigest()
    return hashlib.sha256(f"{base_url.rstrip('/')}\n{keyed}".encode()).hexdigest()


def account_fingerprint(environment: Environment | None) -> str:
    """The fingerprint of the account a run talks to (exit 2 when its key is not set)."""
    key, url = credentials(environment)
    return fingerprint(key, url)


def check_plan(saved: Any, environment: Environment | None, account: str) -> None:
    """Refuse a saved plan made for another environment or against another account."""
    planned = saved.environment
    here = environment.name if environment is not None else None
    if planned != here:
        made = f"environment '{planned}'" if planned else "no environment"
        now = f"environment '{here}'" if here else "no environment"
        raise FatalError(
            f"refusing the plan {saved.path}: it was made for {made}, not {now}; "
            "nothing was written"
        )
    if saved.account is not None and saved.account != account:
        variable = environment.api_key_env if environment is not None else "RETELL_API_KEY"
        raise FatalError(
            f"refusing the plan {saved.path}: it was made against another account than "
            f"the one {variable} and the base URL point at now; nothing was written"
        )
