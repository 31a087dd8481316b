"""Only the ASCII digits 0-9 make a phone number or a version number.

``\\d`` and ``str.isdigit`` also match other scripts' digits (Arabic-Indic ``١٢٣٤``,
fullwidth ``１２``), which phonenumbers then reads as 0-9: another number.
"""

from __future__ import annotations

from fake_retell import make_number
from lint_helpers import lint_text

from retell_lint.drift.diff import diff_number
from retell_lint.filestate import read_numbers
from retell_lint.online import phone_key
from retell_lint.phones import E164, facts
from retell_lint.source import Source

ARABIC = "+1415555\u0661\u0662\u0663\u0664"  # +1415555١٢٣٤


def test_e164_pattern_takes_only_ascii_digits() -> None:
    assert E164.match("+14155551234")
    assert not E164.match(ARABIC)
    assert not E164.match("+1415555\uff11\uff12\uff13\uff14")  # fullwidth
    # Nor a trailing line break, which $ would let through.
    assert not E164.match("+14155551234\n")
    assert not facts(ARABIC).canonical


def test_a_number_with_other_digits_matches_no_live_number() -> None:
    assert phone_key(ARABIC) == ARABIC
    assert phone_key(" +14155551234 ") == "+14155551234"


def test_check_reports_other_digits_as_an_error() -> None:
    findings = lint_text(f'phone_number: "{ARABIC}"\nfallback_number: "{ARABIC}"\n')
    by_rule = {f.rule: f for f in findings}
    assert by_rule["RL101"].severity == "error"
    assert "digits other than 0-9" in by_rule["RL101"].message
    assert by_rule["RL403"].severity == "error"
    assert "digits other than 0-9" in by_rule["RL403"].message


def test_a_version_in_other_digits_is_not_that_version() -> None:
    text = (
        'phone_number: "+14155551234"\ninbound_agents:\n'
        '  - {agent_id: a, weight: 1, agent_version: "\u0663"}\n'
    )
    (doc,) = read_numbers(Source("n.yaml", text)).numbers
    live = make_number(
        "+14155551234", inbound_agents=[{"agent_id": "a", "weight": 1, "agent_version": 3}]
    )
    assert [c.field for c in diff_number(doc, live)] == ["inbound_agents"]
    findings = lint_text(text)
    rl306 = [f for f in findings if f.rule == "RL306"]
    assert rl306 and "without quotes" not in rl306[0].message


def test_the_json_schema_takes_only_ascii_digits() -> None:
    # check-jsonschema evaluates patterns with Python's re, where \d is any digit.
    import re

    from retell_lint.schema import E164_PATTERN

    assert re.search(E164_PATTERN, "+14155551234")
    assert not re.search(E164_PATTERN, ARABIC)
