"""The one diff engine: a declared number against its live object, field by field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from retell_lint.build import NumberDoc
from retell_lint.drift.normalise import declared_values, live_value

CREATE_ONLY_NOTE = "cannot be changed by update"


@dataclass(frozen=True)
class Change:
    """One field whose declared and live values differ (shown normalised)."""

    field: str
    declared: Any
    live: Any
    line: int
    note: str | None = None


def diff_number(doc: NumberDoc, live: Mapping[str, Any]) -> list[Change]:
    """Differences between a declared number and its live object (declared fields only)."""
    changes: list[Change] = []
    for value in declared_values(doc):
        live_key, live_show = live_value(value.field, live)
        if live_key == value.key:
            continue
        notes = [value.note] if value.note else []
        if value.field.kind == "create_only":
            notes.append(CREATE_ONLY_NOTE)
        changes.append(
            Change(
                field=value.field.name,
                declared=value.show,
                live=live_show,
                line=doc.value_span(value.path).line,
                note="; ".join(notes) or None,
            )
        )
    return changes
