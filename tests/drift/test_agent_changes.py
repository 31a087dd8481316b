"""Entry-level differences of weighted agent lists (drift/agent_changes.py)."""

from __future__ import annotations

from typing import Any

from retell_lint.drift.agent_changes import agent_list_changes, describe


def entry(agent: str, weight: float, version: Any = None) -> dict[str, Any]:
    item: dict[str, Any] = {"agent_id": agent, "weight": weight}
    if version is not None:
        item["agent_version"] = version
    return item


def kinds(declared: Any, live: Any) -> list[tuple[str, str]]:
    return [(c.kind, c.agent_id) for c in agent_list_changes(declared, live)]


def test_equal_lists_have_no_changes() -> None:
    same = [entry("agent_a", 0.5, 1), entry("agent_a", 0.5, 2)]
    assert kinds(same, list(reversed(same))) == []


def test_added_removed_reweighted_and_version() -> None:
    declared = [entry("a", 0.7, 3), entry("b", 0.1), entry("d", 0.2, 2)]
    live = [entry("a", 0.4, 3), entry("c", 0.3), entry("d", 0.3, 1)]
    assert kinds(declared, live) == [
        ("reweighted", "a"),
        ("added", "b"),
        ("removed", "c"),
        ("version", "d"),
    ]


def test_same_agent_twice_is_paired_by_version() -> None:
    # Two versions of one agent split the traffic: only the one re-weighted changed.
    declared = [entry("a", 0.8, 1), entry("a", 0.2, 2)]
    live = [entry("a", 0.5, 1), entry("a", 0.5, 2)]
    changes = agent_list_changes(declared, live)
    assert [(c.kind, c.declared, c.live) for c in changes] == [
        ("reweighted", entry("a", 0.8, 1), entry("a", 0.5, 1)),
        ("reweighted", entry("a", 0.2, 2), entry("a", 0.5, 2)),
    ]


def test_new_version_beside_an_old_one_is_added_not_repinned() -> None:
    declared = [entry("a", 0.5, 1), entry("a", 0.5, 2)]
    live = [entry("a", 1.0, 1)]
    assert kinds(declared, live) == [("added", "a"), ("reweighted", "a")]


def test_unset_list_removes_every_entry() -> None:
    assert kinds(None, [entry("a", 1.0)]) == [("removed", "a")]
    assert kinds([entry("a", 1.0)], None) == [("added", "a")]


def test_describe() -> None:
    assert describe(entry("a", 0.5, "prod")) == 'weight 0.5, version "prod"'
    assert describe(entry("a", 1)) == "weight 1"
    assert describe(None) == "—"
