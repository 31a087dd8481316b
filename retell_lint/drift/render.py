"""Drift reports: text, JSON (version 1) and Markdown (for pull-request comments).

Values are shown normalised (as compared); secrets are never part of a plan.
"""

from __future__ import annotations

import json
from typing import Any

from retell_lint.drift.diff import Change
from retell_lint.drift.plan import Entry, Plan

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


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _against(plan: Plan) -> str:
    return "the Retell API" if plan.source == "api" else f"the live state in {plan.origin}"


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
    return text


def _location(entry: Entry) -> str:
    return f"{entry.file}:{entry.line}" if entry.file is not None else ""


def _change_text(change: Change) -> str:
    line = f"    {change.field}: {_value(change.live)} → {_value(change.declared)}"
    if change.note:
        line += f"  ({change.note})"
    return line


def render_text(plan: Plan) -> str:
    lines: list[str] = []
    if any(entry.changes for entry in plan.entries):
        lines.append("Changed fields are shown as live → declared.")
    for entry in plan.entries:
        if entry.status == "in_sync" and not entry.ignored_fields:
            continue
        mark, where = MARKS[entry.status], _location(entry)
        head = f"{mark} {entry.phone_number}"
        if where:
            head += f" ({where})"
        if entry.status == "missing":
            head += ": declared, not in the account"
        elif entry.status == "unmanaged":
            head += ": in the account, not declared"
        elif entry.status == "ignored":
            head += f": ignored ({entry.reason})"
        elif entry.status == "unknown":
            head += ": unknown (the account was not read completely)"
        elif entry.status == "in_sync":
            head += ": in sync"
        lines.append(head)
        lines.extend(_change_text(change) for change in entry.changes)
        for ignored in entry.ignored_fields:
            lines.append(f"    # {ignored.field}: difference ignored ({ignored.reason})")
    lines.append(summary_line(plan))
    return "\n".join(lines) + "\n"


def _change_json(change: Change) -> dict[str, Any]:
    data: dict[str, Any] = {
        "field": change.field,
        "declared": change.declared,
        "live": change.live,
        "line": change.line,
    }
    if change.note:
        data["note"] = change.note
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
        "source": plan.source,
        "numbers": numbers,
        "summary": summary,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return "`" + _cell(text.replace("`", "'")) + "`"


def _code_value(value: Any) -> str:
    return _code(_value(value))


def render_markdown(plan: Plan) -> str:
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
    rows: list[str] = []
    for entry in plan.entries:
        if entry.status == "in_sync" and not entry.ignored_fields:
            continue
        where = _code(_location(entry)) if entry.file is not None else ""
        number = _code(entry.phone_number)
        status = LABELS[entry.status]
        if entry.changes:
            for index, change in enumerate(entry.changes):
                note = f" ({_cell(change.note)})" if change.note else ""
                first = index == 0
                rows.append(
                    f"| {MARKS[entry.status] if first else ''} | {number if first else ''} "
                    f"| {status if first else ''} | {_code(change.field)}{note} "
                    f"| {_code_value(change.declared)} | {_code_value(change.live)} "
                    f"| {where if first else ''} |"
                )
        else:
            detail = {
                "missing": "declared, not in the account",
                "unmanaged": "in the account, not declared",
                "ignored": f"ignored: {entry.reason}",
                "unknown": "not read completely",
            }.get(entry.status, "")
            rows.append(
                f"| {MARKS[entry.status]} | {number} | {status} | {_cell(detail)} |  |  | {where} |"
            )
        for ignored in entry.ignored_fields:
            rows.append(
                f"|  |  |  | {_code(ignored.field)} (ignored: {_cell(ignored.reason)}) |  |  |  |"
            )
    if rows:
        lines.append("|  | Number | Status | Field | Declared | Live | Where |")
        lines.append("|---|---|---|---|---|---|---|")
        lines.extend(rows)
        lines.append("")
    return "\n".join(lines) + "\n"


def render(plan: Plan, output_format: str) -> str:
    if output_format == "json":
        return render_json(plan)
    if output_format == "markdown":
        return render_markdown(plan)
    return render_text(plan)
