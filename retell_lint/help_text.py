"""What every command's --help ends with: its exit codes, an example and a docs link."""

from __future__ import annotations

DOCS = "https://github.com/retell-lint/retell-lint"
# Command → (example command lines, where its documentation is).
HELP: dict[str, tuple[tuple[str, ...], str]] = {
    "check": (
        (
            "retell-lint check                    # the configured tree",
            "retell-lint check --fix retell/      # apply the safe fixes",
            "retell-lint check --format json -o report.json",
        ),
        "#retell-lint-check",
    ),
    "rules": (("retell-lint rules --format markdown",), "/blob/main/docs/rules.md"),
    "explain": (
        ("retell-lint explain RL301", "retell-lint explain weights-sum"),
        "/blob/main/docs/rules.md",
    ),
    "schema": (("retell-lint schema -o retell-lint.schema.json",), "#editor-support"),
    "drift": (
        ("retell-lint drift", "retell-lint drift --format markdown retell/sales.yaml"),
        "#drift-detection",
    ),
    "plan": (("retell-lint plan -o plan.json",), "#plan-and-apply"),
    "apply": (("retell-lint apply --plan plan.json",), "#plan-and-apply"),
    "snapshot": (
        ("retell-lint snapshot -o live.json", "retell-lint drift --live-state live.json"),
        "#drift-detection",
    ),
    "export": (("retell-lint export -o retell/",), "#drift-detection"),
    "init": (("retell-lint init", "retell-lint init --dry-run"), "#quick-start"),
    "server": (("retell-lint server",), "#editor-support"),
}
GROUP_EXAMPLES: tuple[str, ...] = ("retell-lint check", "retell-lint drift", "retell-lint init")


def epilog(command: str | None, before: str | None = None) -> str:
    """``before`` (the exit codes), then examples and the docs link; ``\\b`` keeps click
    from re-flowing the example lines."""
    if command is None:
        examples, anchor = GROUP_EXAMPLES, "#readme"
    else:
        examples, anchor = HELP.get(command, ((f"retell-lint {command} --help",), "#readme"))
    parts = [before] if before else []
    parts.append("\b\nExamples:\n" + "\n".join(f"  {line}" for line in examples))
    parts.append(f"Docs: {DOCS}{anchor}")
    return "\n\n".join(parts)
