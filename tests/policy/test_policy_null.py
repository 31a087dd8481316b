"""An explicit null is a value policies test (`present`, `type: null`), not a gap."""

from __future__ import annotations

from pathlib import Path

import pytest
from policy_helpers import NUMBER, lint, policy


def rows(root: Path, body: str, number: str) -> list[tuple[str, int, int, str]]:
    found = lint(root, policy(body), {"retell/n.yaml": number})
    return [(f.rule, f.line, f.column, f.message) for f in found]


NULL_NICKNAME = NUMBER.replace("nickname: Front desk", "nickname: null")


def test_present_true_fails_on_an_explicit_null(tmp_path: Path) -> None:
    found = rows(tmp_path, "field: nickname\nrequire: {present: true}", NULL_NICKNAME)
    assert found == [("ACME001", 3, 11, "team rule (nickname: it is null)")]


def test_present_true_passes_on_a_value(tmp_path: Path) -> None:
    assert rows(tmp_path, "field: nickname\nrequire: {present: true}", NUMBER) == []


@pytest.mark.parametrize(
    ("require", "number", "flagged"),
    [
        ("{type: 'null'}", NULL_NICKNAME, False),
        ("{type: 'null'}", NUMBER, True),
        ("{not: {type: 'null'}}", NULL_NICKNAME, True),
        ("{not: {type: 'null'}}", NUMBER, False),
        ("{present: false}", NULL_NICKNAME, False),
        # A pattern says nothing about null (add present: true to require a value).
        ("{pattern: '^[A-Z]'}", NULL_NICKNAME, False),
    ],
)
def test_null_is_tested_like_any_value(
    tmp_path: Path, require: str, number: str, flagged: bool
) -> None:
    found = rows(tmp_path, f"field: nickname\nrequire: {require}", number)
    assert bool(found) is flagged, found
    assert all(line == 3 for _, line, _, _ in found)


def test_where_null_selects_the_number(tmp_path: Path) -> None:
    body = "where:\n  nickname: {type: 'null'}\nfield: phone_number_type\nrequire: {present: false}"
    assert [r[0] for r in rows(tmp_path, body, NULL_NICKNAME)] == ["ACME001"]
    assert rows(tmp_path, body, NUMBER) == []


def test_a_null_the_field_does_not_allow_is_reported_once(tmp_path: Path) -> None:
    # phone_number_type: null is a wrong type (RL004); the policy does not repeat it.
    number = NUMBER.replace("phone_number_type: retell-twilio", "phone_number_type: null")
    found = rows(tmp_path, "field: phone_number_type\nrequire: {present: true}", number)
    assert [(rule, line) for rule, line, _, _ in found] == [("RL004", 2)]
