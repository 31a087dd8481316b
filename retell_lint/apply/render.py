"""The plan and the apply result as text, Markdown (pull-request comments) and JSON.

Values are shown normalised, as compared; a secret is only ever "(from $NAME)".
Control characters in anything that came from a file or the API are escaped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from retell_lint.redact import redact_live_data, shown

from .actions import Action, ActionPlan, Blocked, FieldChange
from .outcome import Outcome
from .run import ApplyResult
from .secrets import ref_name

MARKS = {"update": "~", "create": "+", "import": "+", "delete": "-"}
WHAT = {
    "create": "buys the number",
    "import": "binds the number to your SIP trunk",
    "delete": "releases the number (irreversible)",
}


# ``text`` with control and format characters escaped (no terminal or CI tricks).
# API keys and URL credentials redacted first (redact.shown).
safe = shown


def show(value: Any) -> str:
    name = ref_name(value)
    if name is not None:
        return f"(from ${name})"
    return safe(json.dumps(redact_live_data(value), ensure_ascii=False))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _where(file: str | None, line: int | None) -> str:
    return f"{safe(file)}:{line}" if file is not None else ""


def summary_line(plan: ActionPlan) -> str:
    counts = plan.counts()
    text = (
        f"Plan: {counts['update']} to update, {counts['create']} to create, "
        f"{counts['import']} to import, {counts['delete']} to delete"
    )
    if counts["blocked"]:
        text += f"; {_plural(counts['blocked'], 'difference')} apply cannot make"
    if counts["unmanaged"]:
        text += f"; {_plural(counts['unmanaged'], 'unmanaged number')} left alone"
    if plan.drift.partial:
        from retell_lint.drift.render import PARTIAL_NOTE

        return f"{text}. {PARTIAL_NOTE}"
    return text + "."


def _change_text(change: FieldChange) -> str:
    live = "(write-only)" if ref_name(change.declared) is not None else show(change.live)
    line = f"    {change.field}: {live} → {show(change.declared)}"
    if change.parameter is not None and change.parameter != change.field:
        line += f"  [sent as {change.parameter}]"
    return line


def _head(action: Action) -> str:
    head = f"{MARKS[action.kind]} {action.kind} {safe(action.phone_number)}"
    where = _where(action.file, action.line)
    if where:
        head += f" ({where})"
    notes = [WHAT[action.kind]] if action.kind in WHAT else []
    if action.gate:
        notes.append(f"needs {action.gate}")
    return head + (": " + "; ".join(notes) if notes else "")


def _blocked_text(item: Blocked) -> str:
    head = f"! {safe(item.phone_number)} {item.field}"
    if _no_op(item):
        # Nothing differs (null → null): only what apply needs is said.
        return f"{head}: {safe(item.reason)}"
    return f"{head}: {show(item.live)} → {show(item.declared)} — {safe(item.reason)}"


def _no_op(item: Blocked) -> bool:
    return bool(item.live == item.declared)


def render_text(plan: ActionPlan) -> str:
    lines: list[str] = []
    if plan.actions or plan.blocked:
        lines.append("Changes are shown as live → declared.")
    else:
        lines.append("No changes: the account matches the declared files.")
    for action in plan.actions:
        lines.append(_head(action))
        lines.extend(_change_text(change) for change in action.changes)
        if action.follow_up:
            lines.append(f"    then PATCH {', '.join(sorted(action.follow_up))}")
    lines.extend(_blocked_text(item) for item in plan.blocked)
    if plan.unmanaged:
        from retell_lint.drift.render import unmanaged_line

        lines.append(unmanaged_line([safe(n) for n in plan.unmanaged]) + "; left alone")
    lines.append(summary_line(plan))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return safe(text).replace("\\", "\\\\").replace("|", "\\|")


def _code(text: str) -> str:
    return "`" + _cell(text.replace("`", "'")) + "`"


def render_markdown(plan: ActionPlan) -> str:
    lines = ["### retell-lint plan", ""]
    total = len(plan.actions)
    if total:
        lines.append(f"**{_plural(total, 'change')}** to the Retell account.")
    elif plan.blocked:
        lines.append("**Differences apply cannot make.**")
    else:
        lines.append("**No changes**: the account matches the declared files.")
    lines += ["", summary_line(plan).removeprefix("Plan: "), ""]
    rows: list[str] = []
    for action in plan.actions:
        note = f" (needs {action.gate})" if action.gate else ""
        where = _code(_where(action.file, action.line)) if action.file else ""
        for index, change in enumerate(action.changes or [None]):
            first = index == 0
            cells = [
                MARKS[action.kind] if first else "",
                _code(action.phone_number) if first else "",
                f"{action.kind}{note}" if first else "",
            ]
            if change is None:
                cells += ["", "", ""]
            else:
                live = "(write-only)" if ref_name(change.declared) else show(change.live)
                cells += [_code(change.field), _code(live), _code(show(change.declared))]
            cells.append(where if first else "")
            rows.append("| " + " | ".join(cells) + " |")
    for item in plan.blocked:
        same = _no_op(item)
        cells = [
            "!",
            _code(item.phone_number),
            _cell(f"cannot apply: {item.reason}"),
            _code(item.field),
            "" if same else _code(show(item.live)),
            "" if same else _code(show(item.declared)),
            _code(_where(item.file, item.line)) if item.file else "",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    from retell_lint.drift.render import UNMANAGED_SHOWN

    for number in plan.unmanaged[:UNMANAGED_SHOWN]:
        rows.append(f"| ? | {_code(number)} | unmanaged: left alone |  |  |  |  |")
    more = len(plan.unmanaged) - UNMANAGED_SHOWN
    if more > 0:
        rows.append(f"| ? | and {more} more | unmanaged: left alone |  |  |  |  |")
    if rows:
        lines.append("|  | Number | Action | Field | Live | Declared | Where |")
        lines.append("|---|---|---|---|---|---|---|")
        # Cut by number to fit a pull-request comment.
        from retell_lint.ci.fit import fit_table

        return fit_table(lines, rows, "`retell-lint plan --format json` lists them all")
    return "\n".join(lines) + "\n"


# -- apply results -------------------------------------------------------------------


def _named(outcome: Outcome) -> str:
    return f"{outcome.action.kind} {safe(outcome.action.phone_number)}"


def progress_line(outcome: Outcome) -> str:
    if outcome.status == "applied":
        return f"  done: {_named(outcome)}"
    if outcome.status == "uncertain":
        return f"  UNKNOWN: {_named(outcome)}: {safe(outcome.detail or '')}"
    return f"  FAILED: {_named(outcome)}: {safe(outcome.detail or '')}"


def render_result_text(result: ApplyResult) -> str:
    applied = result.by_status("applied")
    attempted = sum(
        len(result.by_status(s)) for s in ("applied", "failed", "uncertain", "not_attempted")
    )
    lines = [f"Applied {len(applied)} of {_plural(attempted, 'change')}."]
    groups = (
        ("applied", "Applied"),
        ("failed", "Failed"),
        ("uncertain", "May have been applied"),
        ("not_attempted", "Not attempted"),
        ("skipped", "Skipped"),
    )
    for status, label in groups:
        outcomes = result.by_status(status)  # type: ignore[arg-type]
        if not outcomes:
            continue
        lines.append(f"{label} ({len(outcomes)}):")
        for outcome in outcomes:
            detail = f": {safe(outcome.detail)}" if outcome.detail else ""
            lines.append(f"  {_named(outcome)}{detail}")
    if result.mismatches:
        lines.append("Not in sync after applying:")
        lines.extend(f"  {safe(problem)}" for problem in result.mismatches)
    elif result.verified:
        lines.append("Verified: the account now matches the declared files in every field written.")
    if result.blocked:
        lines.append(f"{_plural(result.blocked, 'difference')} apply cannot make remain.")
    return "\n".join(lines) + "\n"


def result_json(result: ApplyResult) -> dict[str, Any]:
    def item(outcome: Outcome) -> dict[str, Any]:
        data: dict[str, Any] = {
            "action": outcome.action.kind,
            "phone_number": outcome.action.phone_number,
        }
        if outcome.detail:
            data["detail"] = outcome.detail
        return data

    return {
        "applied": [item(o) for o in result.by_status("applied")],
        "failed": [item(o) for o in result.by_status("failed")],
        "may_have_been_applied": [item(o) for o in result.by_status("uncertain")],
        "not_attempted": [item(o) for o in result.by_status("not_attempted")],
        "skipped": [item(o) for o in result.by_status("skipped")],
        "verified": result.verified and not result.mismatches,
        "mismatches": list(result.mismatches),
        "exit_code": result.exit_code(),
    }


def render_apply_json(plan: Mapping[str, Any], result: ApplyResult) -> str:
    """The apply report: the plan it applied and what happened (version 1)."""
    from retell_lint import envelope

    errors = [
        envelope.error(f"{o.action.phone_number}: {o.detail or 'failed'}")
        for o in result.by_status("failed")
    ]
    errors += [envelope.error(mismatch) for mismatch in result.mismatches]
    document = {"version": 1, "plan": dict(plan), "result": result_json(result)}
    environment = plan.get("environment")
    return envelope.dumps(envelope.wrap("apply", document, errors=errors, environment=environment))
