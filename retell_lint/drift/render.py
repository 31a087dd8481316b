"""Drift reports: text, JSON (version 1) and Markdown (for pull-request comments).

Text and Markdown lead with drift: changed numbers (field by field), then missing,
unknown and ignored ones; in-sync numbers are counted, not listed; unmanaged numbers
come last, on one compact line (the JSON report lists every number). A changed agent
list is shown entry by entry: added, removed, re-weighted or re-pinned.

Values are shown normalised (as compared); secrets are never part of a plan.
"""

from __future__ import annotations

import json
from typing import Any

from retell_lint import envelope
from retell_lint.drift.agent_changes import AgentChange, agent_list_changes, describe
from retell_lint.drift.diff import Change
from retell_lint.drift.plan import Entry, Plan
from retell_lint.fields import NUMBER_FIELDS
from retell_lint.redact import redact_live_data, shown

JSON_VERSION = 1
MARKS = {
    "changed": "~",
    "missing": "+",
    "unmanaged": "?",
    "ignored": "#",
    "unknown": "!",
    "in_sync": "=",
}
LABELS = {
    "in_sync": "in sync",
    "changed": "changed",
    "missing": "missing",
    "unmanaged": "unmanaged",
    "ignored": "ignored",
    "unknown": "unknown",
}
# Order of the sections: drift first, unmanaged last.
ORDER = ("changed", "missing", "unknown", "ignored", "in_sync")
PARTIAL_NOTE = (
    "Partial: only the numbers declared in the named paths; other numbers of the account "
    "were not looked at."
)
# Unmanaged numbers shown by number before "and N more" (drift and plan alike).
UNMANAGED_SHOWN = 20
AGENT_MARKS = {"added": "+", "removed": "-", "reweighted": "~", "version": "~"}
# Data the tool did not write (file names, reasons) on one line, without escapes.
# API keys and URL credentials in them are redacted first (redact.shown).
_safe = shown


def _value(value: Any) -> str:
    # Redacted before JSON folds line breaks into escapes; JSON escapes C0 controls,
    # _safe also catches C1, format and line-separator characters.
    return _safe(json.dumps(redact_live_data(value), ensure_ascii=False))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _against(plan: Plan) -> str:
    return "the Retell API" if plan.source == "api" else f"the live state in {_safe(plan.origin)}"


def summary_line(plan: Plan) -> str:
    counts = plan.counts()
    parts = [
        f"{counts['changed']} changed",
        f"{counts['missing']} missing",
        f"{counts['unmanaged']} unmanaged",
        f"{counts['in_sync']} in sync",
        f"{counts['ignored']} ignored",
    ]
    if counts["unknown"]:
        parts.append(f"{counts['unknown']} unknown")
    text = ", ".join(parts)
    if plan.ignored_fields:
        text += f" ({_plural(plan.ignored_fields, 'field difference')} ignored)"
    total = _plural(len(plan.entries), "number")
    text = f"Summary: {text}; {total} compared with {_against(plan)}."
    if not plan.complete:
        text += " The account was not read completely: nothing is reported as in sync."
    if plan.partial:
        text += f" {PARTIAL_NOTE}"
    return text


def _location(entry: Entry) -> str:
    return _safe(f"{entry.file}:{entry.line}") if entry.file is not None else ""


def _listed(plan: Plan) -> list[Entry]:
    """The numbers a text or Markdown report lists, drift first (unmanaged apart)."""
    rank = {status: index for index, status in enumerate(ORDER)}
    shown = [
        entry
        for entry in plan.entries
        if entry.status in rank and (entry.status != "in_sync" or entry.ignored_fields)
    ]
    return sorted(shown, key=lambda e: (rank[e.status], e.phone_number))


def _unmanaged(plan: Plan) -> list[str]:
    return [_safe(e.phone_number) for e in plan.entries if e.status == "unmanaged"]


def is_agent_list(change: Change) -> bool:
    spec = NUMBER_FIELDS.get(change.field)
    return spec is not None and spec.shape == "agents"


def agent_changes(change: Change) -> list[AgentChange]:
    return agent_list_changes(change.declared, change.live) if is_agent_list(change) else []


# -- text ------------------------------------------------------------------------------


def _agent_text(item: AgentChange) -> str:
    mark, agent = AGENT_MARKS[item.kind], _safe(item.agent_id)
    if item.kind == "added":
        return f"      {mark} {agent} ({describe(item.declared)}): declared, not live"
    if item.kind == "removed":
        return f"      {mark} {agent} ({describe(item.live)}): live, not declared"
    assert item.declared is not None and item.live is not None
    if item.kind == "reweighted":
        before, after = _value(item.live.get("weight")), _value(item.declared.get("weight"))
        return f"      {mark} {agent}: weight {before} → {after}"
    before = describe(item.live)
    return f"      {mark} {agent}: {before} → {describe(item.declared)}"


def _change_text(change: Change) -> list[str]:
    note = f"  ({_safe(change.note)})" if change.note else ""
    items = agent_changes(change)
    if items:
        return [f"    {change.field}:{note}", *(_agent_text(item) for item in items)]
    return [f"    {change.field}: {_value(change.live)} → {_value(change.declared)}{note}"]


def unmanaged_line(numbers: list[str]) -> str:
    """The one line of unmanaged numbers (drift and plan): the first UNMANAGED_SHOWN,
    then "and N more"; ``numbers`` are already safe to print."""
    shown = ", ".join(numbers[:UNMANAGED_SHOWN])
    more = len(numbers) - UNMANAGED_SHOWN
    if more > 0:
        shown += f" and {more} more (--format json lists them all)"
    count = _plural(len(numbers), "unmanaged number")
    return f"? {count} (in the account, not declared): {shown}"


def render_text(plan: Plan) -> str:
    lines: list[str] = []
    if any(entry.changes for entry in plan.entries):
        lines.append("Changed fields are shown as live → declared.")
    for entry in _listed(plan):
        mark, where = MARKS[entry.status], _location(entry)
        head = f"{mark} {_safe(entry.phone_number)}"
        if where:
            head += f" ({where})"
        if entry.status == "missing":
            head += ": declared, not in the account"
        elif entry.status == "ignored":
            head += f": ignored ({_safe(entry.reason or '')})"
        elif entry.status == "unknown":
            head += ": unknown (the account was not read completely)"
        elif entry.status == "in_sync":
            head += ": in sync"
        lines.append(head)
        for change in entry.changes:
            lines.extend(_change_text(change))
        for ignored in entry.ignored_fields:
            lines.append(f"    # {ignored.field}: difference ignored ({_safe(ignored.reason)})")
    unmanaged = _unmanaged(plan)
    if unmanaged:
        lines.append(unmanaged_line(unmanaged))
    lines.append(summary_line(plan))
    return "\n".join(lines) + "\n"


# -- JSON ------------------------------------------------------------------------------


def _change_json(change: Change) -> dict[str, Any]:
    data: dict[str, Any] = {
        "field": change.field,
        "declared": change.declared,
        "live": change.live,
        "line": change.line,
    }
    if change.note:
        data["note"] = change.note
    if is_agent_list(change):
        data["agents"] = [item.to_dict() for item in agent_changes(change)]
    return data


def render_json(plan: Plan) -> str:
    numbers: list[dict[str, Any]] = []
    for entry in plan.entries:
        item: dict[str, Any] = {
            "phone_number": entry.phone_number,
            "status": entry.status,
            "file": entry.file,
            "line": entry.line,
            "changes": [_change_json(change) for change in entry.changes],
        }
        if entry.reason is not None:
            item["reason"] = entry.reason
        if entry.ignored_fields:
            item["ignored_fields"] = [
                {"field": i.field, "reason": i.reason} for i in entry.ignored_fields
            ]
        numbers.append(item)
    counts = plan.counts()
    summary = {
        "in_sync": counts["in_sync"],
        "changed": counts["changed"],
        "missing": counts["missing"],
        "unmanaged": counts["unmanaged"],
        "ignored": counts["ignored"],
        "unknown": counts["unknown"],
        "ignored_fields": plan.ignored_fields,
    }
    document = {
        "version": JSON_VERSION,
        "complete": plan.complete,
        "partial": plan.partial,
        "source": plan.source,
        "numbers": numbers,
        "summary": summary,
    }
    errors = [] if plan.complete else [envelope.error(f"{plan.origin} was not read completely")]
    environment = {"source": plan.source, "origin": plan.origin}
    return envelope.dumps(
        envelope.wrap("drift", redact_live_data(document), errors=errors, environment=environment)
    )


# -- Markdown --------------------------------------------------------------------------


def _cell(text: str) -> str:
    return _safe(text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " "))


def _code(text: str) -> str:
    return "`" + _cell(text.replace("`", "'")) + "`"


def _code_value(value: Any) -> str:
    return _code(_value(value))


def _agent_cell(entry: Any) -> str:
    return "—" if entry is None else _cell(describe(entry))


def _change_rows(change: Change) -> list[tuple[str, str, str]]:
    """(Field, Declared, Live) cells of one change; an agent list gives one row per entry."""
    items = agent_changes(change)
    if not items:
        return [(_code(change.field), _code_value(change.declared), _code_value(change.live))]
    return [
        (
            f"{_code(change.field)} {_code(item.agent_id)}",
            _agent_cell(item.declared),
            _agent_cell(item.live),
        )
        for item in items
    ]


def _changed_markdown(entry: Entry) -> list[str]:
    where = f" ({_code(_location(entry))})" if entry.file is not None else ""
    lines = [f"**{MARKS['changed']} {_code(entry.phone_number)}**{where}", ""]
    notes = any(change.note for change in entry.changes)
    lines.append("| Field | Declared | Live |" + (" Note |" if notes else ""))
    lines.append("|---|---|---|" + ("---|" if notes else ""))
    for change in entry.changes:
        note = _cell(change.note or "")
        for index, (field, declared, live) in enumerate(_change_rows(change)):
            row = f"| {field} | {declared} | {live} |"
            if notes:
                row += f" {note if index == 0 else ''} |"
            lines.append(row)
    lines.append("")
    return lines


def _bullet(entry: Entry, detail: str = "") -> str:
    where = f" ({_code(_location(entry))})" if entry.file is not None else ""
    return f"- {_code(entry.phone_number)}{where}{detail}"


def render_markdown(plan: Plan) -> str:
    """The report for a pull-request comment, cut by section to fit one (ci/fit.py)."""
    from retell_lint.ci.fit import Item, Section, fit

    counts = plan.counts()
    lines = ["### retell-lint drift", ""]
    drift = counts["changed"] + counts["missing"]
    if not plan.complete:
        lines.append("**The account was not read completely: nothing is reported as in sync.**")
    elif drift:
        lines.append(f"**Drift in {_plural(drift, 'number')}** against {_against(plan)}.")
    else:
        lines.append(f"**No drift** against {_against(plan)}.")
    lines += ["", summary_line(plan).removeprefix("Summary: "), ""]
    listed = _listed(plan)
    sections: list[Section] = []
    changed = [e for e in listed if e.status == "changed"]
    if changed:
        blocks = [Item("\n".join(_changed_markdown(e)), e.phone_number) for e in changed]
        sections.append(Section(["#### Changed", ""], blocks))
    titles = (
        ("missing", "Missing (declared, not in the account)"),
        ("unknown", "Unknown (the account was not read completely)"),
    )
    for status, title in titles:
        entries = [e for e in listed if e.status == status]
        if entries:
            bullets = [Item(_bullet(e), e.phone_number) for e in entries]
            sections.append(Section([f"#### {title}", ""], bullets, [""]))
    ignored = [
        Item(_bullet(e, f": {_cell(e.reason or '')}"), e.phone_number)
        for e in listed
        if e.status == "ignored"
    ] + [
        Item(
            _bullet(e, f": {_code(i.field)} difference ignored ({_cell(i.reason)})"),
            e.phone_number,
        )
        for e in listed
        for i in e.ignored_fields
    ]
    if ignored:
        sections.append(Section(["#### Ignored", ""], ignored, [""]))
    tail: list[str] = []
    unmanaged = _unmanaged(plan)
    if unmanaged:
        shown = ", ".join(_code(n) for n in unmanaged[:UNMANAGED_SHOWN])
        more = len(unmanaged) - UNMANAGED_SHOWN
        if more > 0:
            shown += f" and {more} more (the JSON report lists them all)"
        tail += ["#### Unmanaged (in the account, not declared)", "", shown, ""]
    return fit(lines, sections, tail, "`retell-lint drift --format json` lists them all")


def render(plan: Plan, output_format: str) -> str:
    if output_format == "json":
        return render_json(plan)
    if output_format == "markdown":
        return render_markdown(plan)
    return render_text(plan)
