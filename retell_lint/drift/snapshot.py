"""The observed side: the live account's raw objects, from the API or a snapshot file.

Snapshot format (what ``retell-lint snapshot`` writes and ``--live-state`` reads),
version 1::

    {
      "version": 1,
      "source": "api",
      "taken_at": "2026-11-26T12:00:00Z",
      "complete": true,
      "phone_numbers": [ ...raw PhoneNumberResponse objects, by phone_number... ],
      "agents": [ ...raw /v2/list-agents items, by agent_id... ],
      "agent_versions": { "<agent_id>": [ ...raw /list-agent-versions items... ] }
    }

``phone_numbers`` is required; ``agents`` and ``agent_versions`` are optional
(``agent_versions`` holds only the agents the numbers reference). ``complete``
is optional and true by default; a snapshot that says ``false`` is compared, but
nothing in it is reported as in sync and drift exits 2. Objects are kept as the
API returned them, except that every secret-looking key (``auth_password``,
anything naming a password, token, secret, API key or credential) is removed at
any depth, in numbers, agents and agent versions alike, and credentials in URLs
(``user:pass@``) are dropped: secrets are never stored or printed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal

from retell_lint.errors import FatalError
from retell_lint.online import phone_key, referenced_agents
from retell_lint.redact import is_secret_name, redact_live_data, strip_userinfo

if TYPE_CHECKING:
    from retell_lint.retell_api import RetellClient

SNAPSHOT_VERSION = 1
SECRET_KEYS = frozenset({"auth_password", "sip_trunk_auth_password"})
# Header-like entries ({"name": "X-Api-Key", "value": ...}): the value goes when the
# name is secret-like.
_NAME_FIELDS = ("name", "key", "header")
_VALUE_FIELDS = ("value", "values")
MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024
Source = Literal["api", "file"]


@dataclass
class LiveState:
    """What the account holds (raw objects), and where and when it was read."""

    numbers: list[dict[str, Any]]
    source: Source
    taken_at: str
    origin: str
    agents: list[dict[str, Any]] | None = None
    agent_versions: dict[str, list[dict[str, Any]]] | None = None
    complete: bool = True
    # The environment a snapshot file was saved for (``snapshot --env``), if any.
    environment: str | None = None

    def by_number(self) -> dict[str, dict[str, Any]]:
        """Live objects by the E.164 form of their number (duplicates are an error)."""
        found: dict[str, dict[str, Any]] = {}
        for number in self.numbers:
            key = phone_key(str(number["phone_number"]))
            if key in found:
                raise FatalError(f"{self.origin} lists {key} twice; it cannot be compared")
            found[key] = number
        return found


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def is_secret_key(key: object) -> bool:
    """Any key that names a secret, at any depth of any object (numbers, agents,
    versions): passwords, tokens, API keys, credentials, PINs, auth headers."""
    return isinstance(key, str) and (key in SECRET_KEYS or is_secret_name(key))


def _secret_entry(value: dict[Any, Any]) -> bool:
    return any(is_secret_name(value.get(field)) for field in _NAME_FIELDS)


def scrub(obj: Any) -> Any:
    """A copy of an API object without secret-looking keys (at any depth) and without
    credentials in URLs. Iterative: a deeply nested response cannot overflow the stack."""
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(obj, root, 0)]
    while stack:
        value, parent, slot = stack.pop()
        if isinstance(value, dict):
            copy: Any = {}
            entry = _secret_entry(value)
            for key, item in value.items():
                if not is_secret_key(key) and not (entry and key in _VALUE_FIELDS):
                    copy[key] = None
                    stack.append((item, copy, key))
        elif isinstance(value, list):
            copy = [None] * len(value)
            stack.extend((item, copy, index) for index, item in enumerate(value))
        elif isinstance(value, str) and "@" in value:
            copy = strip_userinfo(value)
        else:
            copy = value
        parent[slot] = copy
    return root[0]


def _scrub_numbers(numbers: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [scrub(number) for number in numbers]


def fetch_live_state(client: RetellClient, *, with_agents: bool = False) -> LiveState:
    """Read the account: its numbers, and with ``with_agents`` its agents and the
    versions of the agents the numbers reference."""
    taken_at = now_iso()
    numbers = _scrub_numbers(client.list_phone_numbers())
    state = LiveState(numbers, "api", taken_at, "the Retell API")
    _check_numbers(state.numbers, state.origin)
    if with_agents:
        agents = client.list_agents()
        known = {a.get("agent_id") for a in agents}
        wanted = [a for a in referenced_agents(numbers) if a in known]
        state.agents = [scrub(agent) for agent in agents]
        versions = client.list_agent_versions_many(wanted)
        state.agent_versions = {key: scrub(items) for key, items in versions.items()}
    return state


def _check_numbers(numbers: Any, origin: str) -> None:
    if not isinstance(numbers, list):
        raise FatalError(f"{origin}: phone_numbers must be a list")
    for index, number in enumerate(numbers):
        if not isinstance(number, dict):
            raise FatalError(f"{origin}: phone_numbers[{index}] is not an object")
        phone = number.get("phone_number")
        if not isinstance(phone, str) or not phone.strip():
            raise FatalError(f"{origin}: phone_numbers[{index}] has no phone_number")


def dump_snapshot(state: LiveState) -> str:
    """The snapshot JSON of a live state (numbers sorted, secrets never included)."""
    numbers = sorted(state.numbers, key=lambda n: phone_key(str(n["phone_number"])))
    from retell_lint import envelope

    document: dict[str, Any] = {
        "tool": envelope.tool("snapshot"),
        "errors": [] if state.complete else [envelope.error("the account was not read completely")],
        "version": SNAPSHOT_VERSION,
        "source": "api",
        "taken_at": state.taken_at,
        "complete": state.complete,
        "phone_numbers": _scrub_numbers(numbers),
        "agents": sorted(
            (scrub(agent) for agent in state.agents or []), key=lambda a: str(a.get("agent_id"))
        ),
        "agent_versions": {
            key: scrub(items) for key, items in sorted((state.agent_versions or {}).items())
        },
    }
    # A snapshot is shared (CI artifacts): API keys in values and secret-named query
    # parameters go too, not only secret-named fields.
    return json.dumps(redact_live_data(document), indent=2, ensure_ascii=False) + "\n"


def _not_a_snapshot(path: str, what: str) -> FatalError:
    return FatalError(
        f"--live-state: not a snapshot from 'retell-lint snapshot': {what}; "
        "save one with 'retell-lint snapshot -o FILE'",
        location=path,
    )


def load_live_state(path: str) -> LiveState:
    """Read a snapshot file (the format :func:`dump_snapshot` writes)."""
    from retell_lint.safe_io import read_bytes

    # A regular file only: a FIFO named as --live-state never blocks the run.
    raw = read_bytes(path, what="live state", limit=MAX_SNAPSHOT_BYTES)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _not_a_snapshot(path, f"not valid JSON ({exc})") from None
    except RecursionError:
        raise _not_a_snapshot(path, "JSON nested too deep") from None
    if not isinstance(data, dict):
        kinds = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
        kind = kinds.get(type(data), "a number")
        raise _not_a_snapshot(path, f"the JSON is {kind}, not an object")
    if "version" not in data and "phone_numbers" not in data:
        raise _not_a_snapshot(path, "a JSON object without 'version' and 'phone_numbers'")
    version = data.get("version")
    if type(version) is not int or version != SNAPSHOT_VERSION:
        raise FatalError(
            f"unsupported live state version {version!r} (this retell-lint reads version "
            f"{SNAPSHOT_VERSION})",
            location=path,
        )
    if "phone_numbers" not in data:
        raise FatalError("live state has no phone_numbers", location=path)
    _check_numbers(data["phone_numbers"], path)
    agents = data.get("agents")
    if agents is not None and (
        not isinstance(agents, list) or not all(isinstance(a, dict) for a in agents)
    ):
        raise FatalError("live state: agents must be a list of objects", location=path)
    versions = data.get("agent_versions")
    if versions is not None and (
        not isinstance(versions, dict) or not all(isinstance(v, list) for v in versions.values())
    ):
        raise FatalError("live state: agent_versions must map agent ids to lists", location=path)
    complete = data.get("complete", True)
    if not isinstance(complete, bool):
        raise FatalError("live state: complete must be true or false", location=path)
    taken_at = data.get("taken_at")
    environment = data.get("environment")
    environment = environment.get("name") if isinstance(environment, dict) else None
    return LiveState(
        numbers=_scrub_numbers(data["phone_numbers"]),
        source="file",
        taken_at=taken_at if isinstance(taken_at, str) else "",
        origin=path,
        agents=[scrub(agent) for agent in agents] if agents is not None else None,
        agent_versions=(
            {key: scrub(items) for key, items in versions.items()} if versions is not None else None
        ),
        complete=complete,
        environment=environment if isinstance(environment, str) else None,
    )
