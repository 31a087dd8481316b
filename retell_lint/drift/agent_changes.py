"""What changed in a weighted agent list: entries added, removed, re-weighted or re-pinned.

The diff compares agent lists as multisets; a report that shows the two whole lists
leaves the reader to find the difference. This pairs the entries up instead:

1. entries equal on both sides (agent, weight, version) are unchanged;
2. the same agent and version with another weight is ``reweighted``;
3. the same agent, once on each side, with another version is ``version``;
4. what is left is ``added`` (declared, not live) or ``removed`` (live, not declared).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["added", "removed", "reweighted", "version"]
Entry = Mapping[str, Any]


@dataclass(frozen=True)
class AgentChange:
    kind: Kind
    agent_id: str
    declared: Entry | None
    live: Entry | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "change": self.kind,
            "agent_id": self.agent_id,
            "declared": dict(self.declared) if self.declared is not None else None,
            "live": dict(self.live) if self.live is not None else None,
        }


def _entries(value: Any) -> list[Entry]:
    if not isinstance(value, list):
        return []
    return [entry for entry in value if isinstance(entry, Mapping)]


def _key(entry: Entry) -> tuple[str, str, str]:
    return (str(entry.get("agent_id")), repr(entry.get("weight")), repr(entry.get("agent_version")))


_ANY = object()


def _take(pool: list[Entry], agent: Any, version: Any = _ANY, key: Any = _ANY) -> Entry | None:
    """Remove and return the first entry of ``pool`` for ``agent`` (with that version or
    that exact key, when given)."""
    for index, entry in enumerate(pool):
        if entry.get("agent_id") != agent:
            continue
        if version is not _ANY and entry.get("agent_version") != version:
            continue
        if key is not _ANY and _key(entry) != key:
            continue
        return pool.pop(index)
    return None


def agent_list_changes(declared: Any, live: Any) -> list[AgentChange]:
    """The entry-level differences between two normalised agent lists (the diff's
    ``show`` form: lists of ``{agent_id, weight, agent_version?}``, or None)."""
    wanted = _entries(declared)
    have = _entries(live)
    # 1. Unchanged entries.
    left = [e for e in wanted if _take(have, e.get("agent_id"), key=_key(e)) is None]
    changes: list[AgentChange] = []
    rest: list[Entry] = []
    # 2. Same agent and version, another weight.
    for entry in left:
        agent = entry.get("agent_id")
        other = _take(have, agent, version=entry.get("agent_version"))
        if other is None:
            rest.append(entry)
        else:
            changes.append(AgentChange("reweighted", str(agent), entry, other))
    # 3. The same agent once on each side, another version.
    unpaired: list[Entry] = []
    for entry in rest:
        agent = entry.get("agent_id")
        once = sum(1 for e in rest if e.get("agent_id") == agent) == 1
        if once and sum(1 for o in have if o.get("agent_id") == agent) == 1:
            changes.append(AgentChange("version", str(agent), entry, _take(have, agent)))
        else:
            unpaired.append(entry)
    # 4. The rest.
    changes.extend(AgentChange("added", str(e.get("agent_id")), e, None) for e in unpaired)
    changes.extend(AgentChange("removed", str(e.get("agent_id")), None, e) for e in have)
    order = {"removed": 0, "added": 1, "reweighted": 2, "version": 3}
    changes.sort(key=lambda c: (c.agent_id, order[c.kind]))
    return changes


def describe(entry: Entry | None) -> str:
    """``weight 0.7, version 3`` (JSON forms of the values)."""
    import json

    if entry is None:
        return "—"
    text = f"weight {json.dumps(entry.get('weight'))}"
    if entry.get("agent_version") is not None:
        text += f", version {json.dumps(entry.get('agent_version'), ensure_ascii=False)}"
    return text
