"""docs/rules.md, and the commands that print the catalogue: rules and explain."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urldefrag

import pytest

from retell_lint import catalogue
from retell_lint.cli import main
from retell_lint.docs import DEFAULT_PATH, REGENERATE, render_rules_markdown
from retell_lint.docs import main as docs_main
from retell_lint.findings import DOCS_BASE_URL, rule_url

RULES = list(catalogue.load().values())
RULE_IDS = [rule.id for rule in RULES]
ROOT = Path(__file__).resolve().parents[1]


def github_anchors(markdown: str) -> list[str]:
    """The anchors GitHub gives the headings of a Markdown file, in order.

    Written independently of retell_lint.docs: lower case; characters other than
    letters, digits, '_', '-' and spaces dropped; spaces become '-'; a repeated
    slug gets '-1', '-2', ... Headings inside fenced code blocks are not headings.
    """
    anchors: list[str] = []
    seen: dict[str, int] = {}
    fence: str | None = None
    for line in markdown.splitlines():
        opening = re.match(r"^(`{3,}|~{3,})", line)
        if opening:
            if fence is None:
                fence = opening.group(1)
            elif line.strip() == fence[0] * len(line.strip()) and len(line.strip()) >= len(fence):
                fence = None
            continue
        if fence is not None:
            continue
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not match:
            continue
        slug = re.sub(r"[^\w\- ]", "", match.group(1).lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.append(slug if count == 0 else f"{slug}-{count}")
    return anchors


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- docs/rules.md -----------------------------------------------------------------------


def test_rules_md_is_current() -> None:
    assert DEFAULT_PATH == ROOT / "docs" / "rules.md"
    assert DEFAULT_PATH.is_file(), f"docs/rules.md is missing; run: {REGENERATE}"
    current = DEFAULT_PATH.read_text(encoding="utf-8")
    assert current == render_rules_markdown(), (
        f"docs/rules.md is out of date with the rule catalogue; run: {REGENERATE}"
    )


def test_render_is_deterministic() -> None:
    assert render_rules_markdown() == render_rules_markdown()


def test_every_rule_url_points_at_a_heading() -> None:
    anchors = set(github_anchors(render_rules_markdown()))
    for rule in RULES:
        url, fragment = urldefrag(rule_url(rule.id, rule.name))
        assert url == DOCS_BASE_URL
        assert DOCS_BASE_URL.endswith("/docs/rules.md")
        assert fragment == f"{rule.id.lower()}-{rule.name}"
        assert fragment in anchors, f"{rule.id}: no heading with anchor #{fragment}"


def test_rule_headings_are_unique_and_in_order() -> None:
    headings = re.findall(r"^## (RL\d{3}) (\S+)$", render_rules_markdown(), re.M)
    assert headings == [(rule.id, rule.name) for rule in RULES]


def test_table_lists_every_rule_with_a_link() -> None:
    markdown = render_rules_markdown()
    anchors = set(github_anchors(markdown))
    rows = re.findall(
        r"^\| \[(RL\d{3})\]\(#([^)]+)\) \| ([^|]+) \| (\w+) \| (yes|no) \|", markdown, re.M
    )
    assert [row[0] for row in rows] == RULE_IDS
    for (rule_id, link, name, severity, enabled), rule in zip(rows, RULES, strict=True):
        assert rule_id == rule.id
        assert link in anchors
        assert name == rule.name
        assert severity == rule.severity
        assert enabled == ("yes" if rule.enabled else "no")


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_section_has_everything(rule: catalogue.Rule) -> None:
    markdown = render_rules_markdown()
    start = markdown.index(f"\n## {rule.id} {rule.name}\n")
    end = markdown.find("\n## ", start + 1)
    section = markdown[start : end if end != -1 else len(markdown)]
    for part in ("### Why", "### How to fix", f"**Severity:** {rule.severity}"):
        assert part in section
    blocks = re.findall(r"^(`{3,})yaml\n(.*?)\n\1$", section, re.M | re.S)
    assert [body for _fence, body in blocks] == [rule.bad.rstrip(), rule.good.rstrip()]


def test_docs_module_writes_a_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "rules.md"
    assert docs_main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render_rules_markdown()
    assert docs_main(["--check", str(target)]) == 0
    target.write_text("stale\n", encoding="utf-8")
    assert docs_main(["--check", str(target)]) == 1
    assert REGENERATE in capsys.readouterr().err
    assert docs_main(["-"]) == 0
    assert capsys.readouterr().out == render_rules_markdown()


# -- rules and explain ---------------------------------------------------------------------


def test_rules_json_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "rules", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["version"] == 1
    listed = {row["id"]: row for row in data["rules"]}
    assert list(listed) == RULE_IDS
    for rule in RULES:
        row = listed[rule.id]
        assert (row["name"], row["severity"], row["enabled"], row["summary"]) == (
            rule.name,
            rule.severity,
            rule.enabled,
            rule.summary,
        )


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_explain_every_rule(rule: catalogue.Rule, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "explain", rule.id)
    assert code == 0
    assert rule.id in out
    assert rule.name in out
    assert rule.summary in out
    for example in (rule.bad, rule.good):
        for line in example.splitlines():
            if line.strip():
                assert line in out
    by_name = run(capsys, "explain", rule.name)
    assert by_name == (0, out, "")
    assert run(capsys, "explain", rule.id.lower())[1] == out


@pytest.mark.parametrize("key", ["RL999", "no-such-rule", "RL30"])
def test_explain_unknown_rule(key: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", key)
    assert code == 2
    assert out == ""
    assert key in err
    assert "retell-lint rules" in err


def test_configuration_advice_is_valid(tmp_path: Path) -> None:
    from retell_lint.config import load_config

    markdown = render_rules_markdown()
    example = re.search(r"^```yaml\n(rules:\n.*?)\n```$", markdown, re.M | re.S)
    assert example is not None
    settings = re.findall(r"`(RL\d{3}): (on|off)` under `rules:`", markdown)
    assert len(settings) == len(RULES)
    for text in (example.group(1), "rules:\n" + "".join(f"  {r}: {s}\n" for r, s in settings)):
        path = tmp_path / ".retell-lint.yaml"
        path.write_text(text + "\n", encoding="utf-8")
        config = load_config(str(path))
        assert config.rules


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("weight-sum", "did you mean weights-sum (RL301)?"),
        ("unused-supression", "did you mean unused-suppression (RL010)?"),
        ("RL031", "RL301 (weights-sum)"),
    ],
)
def test_explain_suggests_the_closest_rule(
    key: str, hint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "explain", key)
    assert (code, out) == (2, "")
    assert hint in err


def test_rules_text_columns_line_up(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "rules")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "SEVERITY", "DEFAULT", "ONLINE", "FIX", "SUMMARY"]
    assert len(lines) == len(RULES) + 1
    # Every column starts at the same place on every row, whatever the rule's flags.
    starts = [lines[0].index(title) for title in ("NAME", "SEVERITY", "DEFAULT", "SUMMARY")]
    for line, rule in zip(lines[1:], RULES, strict=True):
        assert line[: starts[0]].strip() == rule.id
        assert line[starts[0] : starts[1]].strip() == rule.name
        assert line[starts[1] : starts[2]].strip() == rule.severity
        assert line[starts[2] :].split()[0] == ("on" if rule.enabled else "off")
        assert line[starts[3] :] == rule.summary
        fix = lines[0].index("FIX")
        assert line[fix:].split()[0] == ("+".join(rule.fix_applicability) or "-")
