"""The rule reference, docs/rules.md, generated from the rule catalogue.

Regenerate it after changing a rule::

    python -m retell_lint.docs            # writes docs/rules.md of this checkout
    python -m retell_lint.docs PATH       # writes PATH ('-' for stdout)
    python -m retell_lint.docs --check    # exit 1 when docs/rules.md is stale

Each rule has a section headed ``RL301 weights-sum``, whose GitHub anchor
(``#rl301-weights-sum``) is the one :func:`retell_lint.findings.rule_url` links to.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from retell_lint import catalogue
from retell_lint.catalogue import Rule

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
REGENERATE = "python -m retell_lint.docs"


def anchor(rule: Rule) -> str:
    """The GitHub anchor of a rule's section (what ``rule_url`` links to)."""
    return github_slug(heading(rule))


def heading(rule: Rule) -> str:
    return f"{rule.id} {rule.name}"


def github_slug(text: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'."""
    slug = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return slug.replace(" ", "-")


CODE_SPAN = re.compile(r"(`[^`]*`)")
# Field names and placeholders in the catalogue's prose: inbound_agents, *_agent_id,
# ${SIP_PASSWORD}. Shown as code, which also keeps '*' and '_' from turning into emphasis.
IDENTIFIER = re.compile(
    r"(?<![\w`$/.*-])(\$\{[A-Za-z0-9_]+\}|\*?_?[a-z][a-z0-9]*(?:_[a-z0-9]+)+\*?)(?![\w`/(-])"
)
# API requests named in the prose: POST /v2/list-agents, GET /list-agent-versions/{agent_id}.
REQUEST = re.compile(r"\b((?:GET|POST|PATCH|PUT|DELETE) /[^\s,;)]*[^\s,;).])")


def _prose(text: str) -> str:
    """Catalogue prose as Markdown: identifiers as code, other markup characters escaped."""
    parts = CODE_SPAN.split(REQUEST.sub(lambda m: f"`{m.group(1)}`", text))
    for index in range(0, len(parts), 2):
        part = IDENTIFIER.sub(lambda m: f"`{m.group(1)}`", parts[index])
        pieces = CODE_SPAN.split(part)
        for inner in range(0, len(pieces), 2):
            pieces[inner] = (
                pieces[inner].replace("*", "\\*").replace("<", "&lt;").replace("_", "\\_")
            )
        parts[index] = "".join(pieces)
    return "".join(parts)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _fence(text: str, language: str) -> str:
    """A fenced code block longer than any backtick run inside ``text``."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text.rstrip()}\n{fence}"


def _config_example(rules: list[Rule]) -> str:
    """A ``rules:`` block using real rule ids: one turned on, one raised, one turned off."""
    lines = ["rules:"]
    off = next((r for r in rules if not r.enabled and not r.online), None)
    if off is not None:
        lines.append(f"  {off.id}: on      # turn on a rule that is off by default")
    warning = next((r for r in rules if r.enabled and r.severity == "warning"), None)
    if warning is not None:
        lines.append(f"  {warning.id}: error   # change a severity")
    info = next((r for r in rules if r.enabled and r.severity == "info"), None)
    if info is not None:
        lines.append(f"  {info.id}: off     # turn a rule off")
    return "\n".join(lines)


def _defaults(rule: Rule) -> str:
    parts = [
        f"**Severity:** {rule.severity}",
        f"**On by default:** {'yes' if rule.enabled else 'no'}",
    ]
    if rule.online:
        parts.append("**Needs:** `check --online` (reads the live account)")
    if not rule.suppressible:
        parts.append("**Suppressible:** no")
    if rule.fix_applicability:
        parts.append(f"**Automatic fix:** {fix_cell(rule)}")
    return " · ".join(parts)


def fix_cell(rule: Rule) -> str:
    """Which fixes a rule has: safe (``check --fix``), unsafe (``--unsafe-fixes``)."""
    return ", ".join(rule.fix_applicability)


def _section(rule: Rule) -> list[str]:
    lines = [
        f"## {heading(rule)}",
        "",
        _prose(rule.summary),
        "",
        _defaults(rule),
        "",
        "### Why",
        "",
        _prose(rule.rationale),
        "",
        "### How to fix",
        "",
        _prose(rule.fix),
        "",
        *(
            [
                f"Automatic fix ({fix_cell(rule)}): " + _prose(rule.fix_description),
                "",
            ]
            if rule.fix_applicability
            else []
        ),
        "### Example",
        "",
        "Flagged:",
        "",
        _fence(rule.bad, "yaml"),
        "",
        "Fixed:",
        "",
        _fence(rule.good, "yaml"),
        "",
    ]
    if rule.enabled:
        setting = f"Turn it off with `{rule.id}: off` under `rules:` in the configuration"
    else:
        setting = f"Turn it on with `{rule.id}: on` under `rules:` in the configuration"
    if rule.suppressible:
        setting += f"; silence one finding with `# retell-lint: ignore[{rule.id}]`."
    else:
        setting += "; an inline suppression comment cannot silence it."
    lines += [setting, ""]
    lines += ["[Back to the list](#rules)", ""]
    return lines


def render_rules_markdown() -> str:
    """The whole of docs/rules.md, from the built-in catalogue."""
    rules = list(catalogue.load().values())
    lines = [
        "# retell-lint rules",
        "",
        f"<!-- Generated from rules/*.yaml by `{REGENERATE}`; do not edit by hand. -->",
        "",
        f"retell-lint has {len(rules)} rules. Each finding names its rule by id and name "
        "and links to its section below; `retell-lint explain RL301` prints the same text "
        "in the terminal.",
        "",
        "Severities and on/off can be changed per rule in `.retell-lint.yaml` (or "
        "`[tool.retell-lint]` in pyproject.toml):",
        "",
        _fence(_config_example(rules), "yaml"),
        "",
        "The Fix column names the automatic fixes of a rule: `safe` ones are applied by "
        "`retell-lint check --fix`, `unsafe` ones (they change what the config means) only "
        "with `--fix --unsafe-fixes`; `--diff` shows them without changing anything.",
        "",
        "## Rules",
        "",
        "| Rule | Name | Severity | On by default | Fix | Summary |",
        "|---|---|---|---|---|---|",
    ]
    for rule in rules:
        enabled = "yes" if rule.enabled else "no"
        lines.append(
            f"| [{rule.id}](#{anchor(rule)}) | {rule.name} | {rule.severity} | {enabled} | "
            f"{fix_cell(rule)} | {_cell(_prose(rule.summary))} |"
        )
    lines.append("")
    for rule in rules:
        lines += _section(rule)
    return "\n".join(lines).rstrip("\n") + "\n"


def write(path: Path | str = DEFAULT_PATH) -> Path:
    from retell_lint.safe_io import make_folder, write_text

    target = Path(path)
    make_folder(str(target.parent), what="the docs folder")
    write_text(str(target), render_rules_markdown(), what="the rules reference")
    return target


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    rest = [arg for arg in args if arg != "--check"]
    if len(rest) > 1 or any(arg.startswith("-") and arg != "-" for arg in rest):
        print(f"usage: {REGENERATE} [--check] [PATH|-]", file=sys.stderr)
        return 2
    target = Path(rest[0]) if rest and rest[0] != "-" else DEFAULT_PATH
    if rest and rest[0] == "-":
        sys.stdout.write(render_rules_markdown())
        return 0
    if check:
        from retell_lint.errors import FatalError
        from retell_lint.safe_io import MB, read_text

        try:
            current: str | None = read_text(str(target), what="the rules reference", limit=MB)
        except FatalError:
            current = None
        if current != render_rules_markdown():
            print(f"{target} is out of date; run: {REGENERATE}", file=sys.stderr)
            return 1
        return 0
    print(f"wrote {write(target)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
