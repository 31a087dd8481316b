"""What the online checks and the drift commands know of the live Retell account.

:func:`client_from_env` builds the read-only API client from ``RETELL_API_KEY``
(and ``RETELL_BASE_URL``); optional environment variables tune it:

- ``RETELL_LINT_TIMEOUT``: seconds for the whole account read, every request and
  retry included (default 60; a single request also times out after 10);
- ``RETELL_LINT_MAX_RETRIES``: retries of a failed request (default 4);
- ``RETELL_LINT_RETRY_BUDGET``: seconds after which no retry is started (default 30);
- ``RETELL_LINT_MAX_RETRY_DELAY``: longest single back-off, in seconds (default 8).

:func:`fetch_account` reads the account for ``check --online``: its phone numbers and
its agents, one list request per 1,000 items. Agent versions are fetched later, and
only for the agents a config references with a numeric ``agent_version``
(:meth:`Account.ensure_versions`), with bounded concurrency.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from retell_lint.errors import FatalError

if TYPE_CHECKING:
    from retell_lint.retell_api import RetellClient

# Only ASCII digits: \d would also match other scripts' digits (+1415555١٢٣٤).
E164 = re.compile(r"^\+[1-9][0-9]{1,14}\Z")
DEFAULT_DEADLINE = 60.0
DEFAULT_REQUEST_TIMEOUT = 10.0
# Longest accepted RETELL_LINT_* value, in seconds (a day).
MAX_SECONDS = 86_400.0

# Environment variable -> (client keyword, converter).
_TUNING: dict[str, tuple[str, Callable[[str], float | int]]] = {
    "RETELL_LINT_TIMEOUT": ("timeout", float),
    "RETELL_LINT_MAX_RETRIES": ("max_retries", int),
    "RETELL_LINT_RETRY_BUDGET": ("retry_budget", float),
    "RETELL_LINT_MAX_RETRY_DELAY": ("max_retry_delay", float),
}

VersionFetcher = Callable[[list[str]], dict[str, list[dict[str, Any]]]]


def client_options(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Client tuning from ``RETELL_LINT_*`` environment variables (see module doc)."""
    env = os.environ if environ is None else environ
    options: dict[str, Any] = {}
    for name, (keyword, convert) in _TUNING.items():
        raw = env.get(name, "").strip()
        if not raw:
            continue
        try:
            value = convert(raw)
        except ValueError:
            raise FatalError(f"{name} must be a number, not {raw[:40]!r}") from None
        if value < 0 or value != value:
            raise FatalError(f"{name} must not be negative")
        if value > MAX_SECONDS:  # also inf: a socket timeout cannot be infinite
            raise FatalError(f"{name} must be at most {MAX_SECONDS:g}, not {raw[:40]!r}")
        options[keyword] = value
    # RETELL_LINT_TIMEOUT bounds the whole account read, not only each request.
    options["deadline"] = options.get("timeout", DEFAULT_DEADLINE)
    options["timeout"] = min(options.get("timeout", DEFAULT_REQUEST_TIMEOUT), options["deadline"])
    return options


def client_from_env() -> RetellClient:
    """The API client, from RETELL_API_KEY / RETELL_BASE_URL and the tuning variables."""
    from retell_lint.retell_api import RetellClient

    return RetellClient.from_env(**client_options())


def phone_key(text: str) -> str:
    """The form numbers are matched by: E.164 as written when it already is E.164,
    otherwise what phonenumbers makes of it (kept as written when it cannot)."""
    stripped = text.strip()
    if E164.match(stripped):
        return stripped
    if any(char.isdigit() and not char.isascii() for char in stripped):
        # Digits of another script: phonenumbers would read them as 0-9 and match
        # another number; such a value matches nothing (check reports it).
        return stripped
    from retell_lint.phones import facts

    found = facts(stripped)
    if found.e164 and (not found.assumed_us or found.valid):
        return found.e164
    return stripped


def referenced_agents(numbers: Iterable[Mapping[str, Any]]) -> list[str]:
    """Agent ids that live phone-number objects point at, in first-seen order."""
    from retell_lint.fields import AGENT_LISTS, LEGACY_AGENT_DIRECTIONS

    seen: dict[str, None] = {}
    for number in numbers:
        for name in AGENT_LISTS:
            entries = number.get(name)
            if isinstance(entries, list):
                for entry in entries:
                    agent_id = entry.get("agent_id") if isinstance(entry, dict) else None
                    if isinstance(agent_id, str) and agent_id:
                        seen.setdefault(agent_id)
        for _list, id_field, _version in LEGACY_AGENT_DIRECTIONS:
            agent_id = number.get(id_field)
            if isinstance(agent_id, str) and agent_id:
                seen.setdefault(agent_id)
    return list(seen)


def _version_numbers(items: Iterable[Any]) -> set[int]:
    found: set[int] = set()
    for item in items:
        version = item.get("version") if isinstance(item, dict) else None
        if isinstance(version, int) and not isinstance(version, bool):
            found.add(version)
    return found


@dataclass
class Account:
    """Facts about the live account, for ``check --online`` (``RuleContext.account``).

    ``agents`` maps agent id to the ``/v2/list-agents`` item; ``numbers`` maps the
    E.164 form of each live number to its raw object; ``versions`` maps agent id
    to its version numbers, for the agents fetched so far.
    """

    agents: dict[str, dict[str, Any]] = field(default_factory=dict)
    numbers: dict[str, dict[str, Any]] = field(default_factory=dict)
    versions: dict[str, set[int]] = field(default_factory=dict)
    fetch_versions: VersionFetcher | None = field(default=None, repr=False)

    @classmethod
    def build(
        cls,
        numbers: Iterable[Mapping[str, Any]],
        agents: Iterable[Mapping[str, Any]],
        versions: Mapping[str, Iterable[Any]] | None = None,
        fetch_versions: VersionFetcher | None = None,
    ) -> Account:
        account = cls(fetch_versions=fetch_versions)
        for agent in agents:
            agent_id = agent.get("agent_id")
            if isinstance(agent_id, str) and agent_id:
                account.agents[agent_id] = dict(agent)
        for number in numbers:
            phone = number.get("phone_number")
            if isinstance(phone, str) and phone:
                account.numbers[phone_key(phone)] = dict(number)
        for agent_id, items in (versions or {}).items():
            account.versions[agent_id] = _version_numbers(items)
        return account

    def agent(self, agent_id: str) -> dict[str, Any] | None:
        return self.agents.get(agent_id)

    def ensure_versions(self, agent_ids: Iterable[str]) -> None:
        """Fetch the versions of the given agents (known to the account, not yet fetched)."""
        wanted = [
            a for a in dict.fromkeys(agent_ids) if a in self.agents and a not in self.versions
        ]
        if not wanted or self.fetch_versions is None:
            return
        for agent_id, items in self.fetch_versions(wanted).items():
            self.versions[agent_id] = _version_numbers(items)

    def versions_of(self, agent_id: str) -> set[int] | None:
        """The agent's version numbers; None when they are not known."""
        return self.versions.get(agent_id)

    def tags_of(self, agent_id: str) -> set[str]:
        agent = self.agents.get(agent_id) or {}
        tags = agent.get("tags")
        return {str(name) for name in tags} if isinstance(tags, dict) else set()


def _fetch_versions_from_api(agent_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    with client_from_env() as client:
        return client.list_agent_versions_many(agent_ids)


def fetch_account(connect: Callable[[], RetellClient] | None = None) -> Account:
    """Read the live account for ``check --online`` (exit 2 without RETELL_API_KEY);
    ``connect``: a client for another account (an environment's), else the one
    RETELL_API_KEY and RETELL_BASE_URL name."""
    if connect is None:
        with client_from_env() as client:
            numbers = client.list_phone_numbers()
            agents = client.list_agents()
        return Account.build(numbers, agents, fetch_versions=_fetch_versions_from_api)

    def versions(agent_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        with connect() as reader:
            found: dict[str, list[dict[str, Any]]] = reader.list_agent_versions_many(agent_ids)
            return found

    with connect() as client:
        numbers = client.list_phone_numbers()
        agents = client.list_agents()
    return Account.build(numbers, agents, fetch_versions=versions)
