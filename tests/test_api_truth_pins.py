"""Whole messages of the findings that follow the API (ASCII digits only, non-geographic
numbers, pseudo-number fallbacks from the live account), pinned for the mutation run."""

from __future__ import annotations

import pytest
from lint_helpers import BASE, lint_text, make_config

from retell_lint import engine
from retell_lint.online import Account
from retell_lint.source import Source

A = "+14157774444"
ARABIC = "+1415555\u0661\u0662\u0663\u0664"  # +1415555١٢٣٤


def found(text: str) -> list[tuple[str, int, str, str]]:
    return [(f.rule, f.line, f.path, f.message) for f in lint_text(text)]


def test_rl403_names_the_other_digits() -> None:
    assert found(BASE + f'fallback_number: "{ARABIC}"\n') == [
        (
            "RL403",
            5,
            "fallback_number",
            f"fallback_number '{ARABIC}' is not in E.164 form (it has digits other than 0-9); "
            'write "+14155551234"',
        )
    ]


def test_rl101_names_the_other_digits() -> None:
    assert found(BASE.replace(A, ARABIC)) == [
        (
            "RL101",
            1,
            "phone_number",
            f"'{ARABIC}' is not in E.164 form (+, country code and digits, nothing else); it "
            'has digits other than 0-9, which make it another number; write "+14155551234"',
        )
    ]


def test_rl203_non_geographic_number_on_both_lists() -> None:
    text = (
        BASE.replace(A, "+80012345678")
        + "allowed_inbound_country_list: [US]\nallowed_outbound_country_list: [FR]\n"
    )

    def message(name: str, direction: str) -> str:
        return (
            "+80012345678 is a non-geographic number (+800), which belongs to no country: "
            f"{name} allows calls {direction} the countries it lists only, so list every "
            "country the number must serve, or write null to allow every country"
        )

    assert found(text) == [
        (
            "RL203",
            5,
            "allowed_inbound_country_list",
            message("allowed_inbound_country_list", "from"),
        ),
        (
            "RL203",
            6,
            "allowed_outbound_country_list",
            message("allowed_outbound_country_list", "to"),
        ),
    ]


@pytest.mark.parametrize(("kind", "rules"), [("custom", []), ("retell-twilio", ["RL403"])])
def test_online_only_the_accounts_custom_numbers_are_pseudo_numbers(
    kind: str, rules: list[str]
) -> None:
    # +10000000001 is no valid number: as a fallback it is fine only when it is the
    # pseudo number of a custom number in the account.
    account = Account.build(
        numbers=[{"phone_number": "+10000000001", "phone_number_type": kind}], agents=[]
    )
    result = engine.lint_sources(
        [Source("n.yaml", BASE + 'fallback_number: "+10000000001"\n')],
        make_config(),
        account=account,
    )
    assert [f.rule for f in result.findings if f.rule == "RL403"] == rules
