"""``rules`` and ``explain``: the rule catalogue and the team policies, shown."""

from __future__ import annotations

from typing import Any

from retell_lint import catalogue
from retell_lint.errors import FatalError
from retell_lint.output import EXIT_CLEAN, echo


def rule_rows(policies: list[catalogue.Rule] | None = None) -> list[dict[str, Any]]:
    """Built-in rules, then the configuration's team policies (with their source)."""
    rows: list[dict[str, Any]] = [
        {
            "id": rule.id,
            "name": rule.name,
            "severity": rule.severity,
            "enabled": rule.enabled,
            "online": rule.online,
            "fix": list(rule.fix_applicability),
            "summary": rule.summary,
        }
        for rule in catalogue.load().values()
    ]
    for rule in policies or ():
        rows.append(
            {
                "id": rule.id,
                "name": rule.name,
                "severity": rule.severity,
                "enabled": rule.enabled,
                "online": False,
                "fix": [],
                "summary": rule.summary,
                "source": rule.source,
            }
        )
    return rows


def _policies(config_file: str | None) -> list[Any]:
    """The team policies of the configuration (none without one)."""
    from retell_lint.config import load_config

    return load_config(config_file).policies


def run_rules(output_format: str, config_file: str | None = None) -> int:
    rows = rule_rows([policy.rule for policy in _policies(config_file)])
    if output_format == "json":
        from retell_lint import envelope

        echo(envelope.dumps(envelope.wrap("rules", {"version": 1, "rules": rows})), nl=False)
    elif output_format == "markdown":
        echo("| id | name | severity | on by default | fix | summary |")
        echo("|---|---|---|---|---|---|")
        for row in rows:
            enabled = "yes" if row["enabled"] else "no"
            echo(
                f"| {row['id']} | {row['name']} | {row['severity']} | {enabled} | "
                f"{', '.join(row['fix'])} | {row['summary']} |"
            )
    else:
        echo(rules_table(rows), nl=False)
    return EXIT_CLEAN


def rules_table(rows: list[dict[str, Any]]) -> str:
    """The text form of ``rules``: one aligned row per rule under a header."""
    table = [("ID", "NAME", "SEVERITY", "DEFAULT", "ONLINE", "FIX", "SUMMARY")]
    for row in rows:
        table.append(
            (
                row["id"],
                row["name"],
                row["severity"],
                "on" if row["enabled"] else "off",
                "yes" if row["online"] else "no",
                "+".join(row.get("fix", ())) or "-",
                row["summary"] + (f"  [policy: {row['source']}]" if "source" in row else ""),
            )
        )
    widths = [max(len(cells[column]) for cells in table) for column in range(6)]
    lines = []
    for cells in table:
        padded = [cell.ljust(width) for cell, width in zip(cells, widths, strict=False)]
        lines.append("  ".join([*padded, cells[6]]).rstrip())
    return "\n".join(lines) + "\n"


def find_rule(key: str) -> catalogue.Rule:
    rule_id = catalogue.resolve(key)
    if rule_id is None:
        raise FatalError(f"unknown rule '{key}'; {catalogue.did_you_mean(key)}")
    return catalogue.load()[rule_id]


def find_policy(key: str, policies: list[Any]) -> Any:
    for policy in policies:
        if key.upper() == policy.id or key.lower() == policy.name:
            return policy
    return None


def run_explain(key: str, config_file: str | None = None, output_format: str = "text") -> int:
    if output_format == "json":
        return _explain_json(key, config_file)
    try:
        rule = find_rule(key)
    except FatalError:
        policies = _policies(config_file)
        policy = find_policy(key, policies)
        if policy is None:
            if not policies:
                raise
            names = {**catalogue.aliases()}
            for item in policies:
                names[item.id] = names[item.name] = item.id
            raise FatalError(
                f"unknown rule '{key}'; {catalogue.did_you_mean(key, names)}"
            ) from None
        from retell_lint.policy.explain import explain

        echo(explain(policy))
        return EXIT_CLEAN
    enabled = "on by default" if rule.enabled else "off by default"
    lines = [
        f"{rule.id} {rule.name} [{rule.severity}, {enabled}]",
        "",
        rule.summary,
        "",
        "Why:",
        _indent(rule.rationale),
        "",
        "How to fix:",
        _indent(rule.fix),
        "",
    ]
    if rule.fix_applicability:
        lines += [
            f"Automatic fix ({fix_kinds(rule)}):",
            _indent(_wrap(rule.fix_description)),
            "",
        ]
    lines += [
        "Bad:",
        _indent(rule.bad.rstrip()),
        "",
        "Good:",
        _indent(rule.good.rstrip()),
    ]
    echo("\n".join(lines))
    return EXIT_CLEAN


def _explain_json(key: str, config_file: str | None) -> int:
    """``explain --format json``: the rule's row of ``rules``, with its explanation."""
    from retell_lint import envelope

    try:
        rule = find_rule(key)
    except FatalError:
        policy = find_policy(key, _policies(config_file))
        if policy is None:
            raise
        row = rule_rows([policy.rule])[-1]
    else:
        row = next(r for r in rule_rows() if r["id"] == rule.id)
        row.update(
            rationale=rule.rationale,
            how_to_fix=rule.fix,
            bad=rule.bad,
            good=rule.good,
        )
    echo(envelope.dumps(envelope.wrap("explain", {"version": 1, "rule": row})), nl=False)
    return EXIT_CLEAN


def fix_kinds(rule: catalogue.Rule) -> str:
    """``safe, with check --fix`` / ``unsafe, with --unsafe-fixes`` / both."""
    kinds = []
    if "safe" in rule.fix_applicability:
        kinds.append("safe: check --fix")
    if "unsafe" in rule.fix_applicability:
        kinds.append("unsafe: check --fix --unsafe-fixes")
    return "; ".join(kinds)


def _wrap(text: str) -> str:
    import textwrap

    return textwrap.fill(text, 84)


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.splitlines())
