"""Inline suppressions: line, next-line and file scope; RL010 and RL011."""

from __future__ import annotations

import textwrap
from pathlib import Path

from retell_lint.config import Config
from retell_lint.engine import lint_sources
from retell_lint.findings import Finding
from retell_lint.source import Source

HALF_WEIGHT = """\
phone_number: "+14157774444"
inbound_agents:{comment}
  - agent_id: agent_frontdesk
    weight: 0.5
"""


def lint(text: str, **rules: str) -> list[Finding]:
    config = Config(root=Path.cwd(), rules=dict(rules))
    return lint_sources([Source("n.yaml", textwrap.dedent(text))], config).findings


def found(findings: list[Finding]) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.column) for f in findings]


def test_unsuppressed_finding_is_reported():
    assert found(lint(HALF_WEIGHT.format(comment=""))) == [("RL301", 2, 1)]


def test_end_of_line_suppression_covers_its_line():
    text = HALF_WEIGHT.format(comment="  # retell-lint: ignore[RL301] second agent next sprint")
    assert lint(text) == []


def test_suppression_of_another_rule_does_not_hide_and_is_unused():
    text = HALF_WEIGHT.format(comment="  # retell-lint: ignore[RL302]")
    assert found(lint(text)) == [("RL301", 2, 1), ("RL010", 2, 18)]


def test_standalone_comment_covers_the_next_line():
    text = """\
    phone_number: "+14157774444"
    # retell-lint: ignore[RL301] being migrated
    inbound_agents:
      - agent_id: agent_frontdesk
        weight: 0.5
    """
    assert lint(text) == []


def test_stacked_standalone_comments_cover_the_next_code_line():
    text = """\
    phone_number: "+14157774444"
    # retell-lint: ignore[RL301]
    # retell-lint: ignore[RL006]
    phone_number_pretty: "+1 (415) 777-4444"
    inbound_agents:
      - agent_id: agent_frontdesk
        weight: 0.5
    """
    # RL006 on line 4 is suppressed; RL301 (line 5) is not, so that comment is unused.
    assert found(lint(text)) == [("RL010", 2, 1), ("RL301", 5, 1)]


def test_file_wide_suppression_anywhere():
    text = HALF_WEIGHT.format(comment="") + "# retell-lint: ignore-file[RL301]\n"
    assert lint(text) == []


def test_unknown_rule_in_suppression_is_rl011_not_rl010():
    text = HALF_WEIGHT.format(comment="  # retell-lint: ignore[RL301,RL999]")
    assert found(lint(text)) == [("RL011", 2, 18)]
    assert "RL999" in lint(text)[0].message


def test_syntax_errors_cannot_be_suppressed():
    text = 'phone_number: "+14157774444"\nbad: [  # retell-lint: ignore[RL001]\n'
    rules = [f.rule for f in lint(text)]
    assert "RL001" in rules
    assert "RL010" in rules  # the ignore[RL001] is reported: it cannot work


def test_suppression_marker_inside_a_quoted_string_is_not_a_comment():
    text = HALF_WEIGHT.format(comment="") + 'nickname: "# retell-lint: ignore-file[RL301]"\n'
    assert found(lint(text)) == [("RL301", 2, 1)]


def test_disabled_rule_in_suppression_is_not_reported_unused():
    text = HALF_WEIGHT.format(comment="  # retell-lint: ignore[RL301]")
    assert lint(text, RL301="off") == []


def test_unused_suppression_can_itself_be_silenced_file_wide():
    text = (
        HALF_WEIGHT.format(comment="  # retell-lint: ignore[RL302]")
        + "# retell-lint: ignore-file[RL010]\n"
    )
    assert found(lint(text)) == [("RL301", 2, 1)]


def test_empty_rule_list_is_reported():
    text = HALF_WEIGHT.format(comment="  # retell-lint: ignore[]")
    assert [f.rule for f in lint(text)] == ["RL301", "RL010"]


# --- rule names, bare and malformed directives, files that do not parse ----------


def test_rule_name_works_where_an_id_does():
    text = HALF_WEIGHT.format(comment="  # retell-lint: ignore[weights-sum] next sprint")
    assert lint(text) == []
    file_wide = HALF_WEIGHT.format(comment="") + "# retell-lint: ignore-file[weights-sum]\n"
    assert lint(file_wide) == []


def test_unused_suppression_by_name_is_reported():
    text = HALF_WEIGHT.format(comment="  # retell-lint: ignore[weight-range]")
    findings = lint(text)
    assert found(findings) == [("RL301", 2, 1), ("RL010", 2, 18)]
    assert "no weight-range finding" in findings[1].message


def test_misspelt_rule_name_gets_a_did_you_mean():
    text = HALF_WEIGHT.format(comment="  # retell-lint: ignore[weight-sum]")
    findings = lint(text)
    assert found(findings) == [("RL301", 2, 1), ("RL011", 2, 18)]
    assert "did you mean weights-sum (RL301)?" in findings[1].message


def test_mistyped_rule_id_gets_a_did_you_mean():
    text = HALF_WEIGHT.format(comment="  # retell-lint: ignore[RL031]")
    (_, unknown) = lint(text)
    assert unknown.rule == "RL011"
    assert "RL301 (weights-sum)" in unknown.message


def test_bare_ignore_is_reported_and_suppresses_nothing():
    text = HALF_WEIGHT.format(comment="  # retell-lint: ignore second agent next sprint")
    findings = lint(text)
    assert found(findings) == [("RL301", 2, 1), ("RL010", 2, 18)]
    assert "bare 'ignore' names no rule" in findings[1].message


def test_bare_ignore_file_is_reported():
    text = HALF_WEIGHT.format(comment="") + "# retell-lint: ignore-file\n"
    assert found(lint(text)) == [("RL301", 2, 1), ("RL010", 5, 1)]


def test_comment_that_is_not_a_directive_is_reported():
    text = HALF_WEIGHT.format(comment="  # retell-lint: disable[RL301]")
    findings = lint(text)
    assert found(findings) == [("RL301", 2, 1), ("RL010", 2, 18)]
    assert "'retell-lint: disable[RL301]' is not a suppression" in findings[1].message


def test_ordinary_comments_are_not_directives():
    text = HALF_WEIGHT.format(comment="  # checked by retell-lint weekly") + "# ignore me\n"
    assert found(lint(text)) == [("RL301", 2, 1)]


def test_suppressions_in_a_file_that_does_not_parse_are_not_reported_unused():
    text = (
        'phone_number: "+14157774444"\n'
        "nickname: Front desk  # retell-lint: ignore[RL006]\n"
        "# retell-lint: ignore-file[RL204]\n"
        "bad: [\n"
    )
    assert [f.rule for f in lint(text)] == ["RL001"]


def test_unknown_rules_are_still_reported_in_a_file_that_does_not_parse():
    text = 'phone_number: "+14157774444"  # retell-lint: ignore[RL999]\nbad: [\n'
    assert sorted(f.rule for f in lint(text)) == ["RL001", "RL011"]


def test_a_standalone_suppression_covers_a_next_line_with_its_own_suppression():
    # The line below the stand-alone comment is content with a trailing suppression: it
    # is the line covered (removing its trailing comment must not move the coverage).
    from retell_lint.source import Source
    from retell_lint.suppress import parse_directives

    text = (
        "# retell-lint: ignore[RL009]\n"
        "nickname: x  # retell-lint: ignore[RL006]\n"
        "inbound_agent_id: agent_a\n"
    )
    first, second = parse_directives(Source("n.yaml", text))
    assert (first.line, first.target) == (1, 2)
    assert (second.line, second.target) == (2, 2)
