"""Findings that agree with the API: what the API accepts is not reported as wrong, and
what a finding tells the user to write is something the API takes."""

from __future__ import annotations

import phonenumbers
import pytest
from drift_support import Cli
from fake_retell import FakeRetell
from lint_helpers import lint_files, lint_text

from retell_lint.apply.contract import countries_problem
from retell_lint.catalogue import load
from retell_lint.checks.countries import PHONE_ONLY_REGIONS, accepted_regions, alpha2_codes

AGENT = "inbound_agents:\n  - agent_id: a\n    weight: 1\n"


def rules_of(text: str) -> list[str]:
    return [f.rule for f in lint_text(text)]


# -- RL201/RL203: the regions libphonenumber uses ---------------------------------------


def test_every_region_libphonenumber_uses_is_accepted() -> None:
    regions = set(phonenumbers.SUPPORTED_REGIONS) - {"001"}
    assert regions - alpha2_codes() == set(PHONE_ONLY_REGIONS)
    assert regions <= accepted_regions()


@pytest.mark.parametrize(
    ("number", "region"), [("+38344123456", "XK"), ("+24762889", "AC"), ("+2908123", "TA")]
)
def test_numbers_of_phone_only_regions_lint_clean(number: str, region: str) -> None:
    text = f'phone_number: "{number}"\n{AGENT}allowed_inbound_country_list: [{region}]\n'
    assert rules_of(text) == []
    # Without its region the list is RL203's, which names the region to add.
    text = f'phone_number: "{number}"\n{AGENT}allowed_inbound_country_list: [US]\n'
    (finding,) = lint_text(text)
    assert finding.rule == "RL203" and f"add {region} if" in finding.message
    assert countries_problem([region]) is None


def test_unknown_codes_are_still_rl201() -> None:
    text = f'phone_number: "+14155551234"\n{AGENT}allowed_inbound_country_list: [US, XX]\n'
    assert rules_of(text) == ["RL201"]
    assert countries_problem(["XX"]) == "'XX' is not a country code"


@pytest.mark.parametrize(
    "number", ["+80012345678", "+80812345678", "+870773111632", "+881612345678", "+979123456789"]
)
def test_non_geographic_numbers_are_not_told_to_add_001(number: str) -> None:
    text = f'phone_number: "{number}"\n{AGENT}allowed_inbound_country_list: [US]\n'
    findings = lint_text(text)
    rl203 = [f for f in findings if f.rule == "RL203"]
    assert len(rl203) == 1, findings
    message = rl203[0].message
    assert "add 001" not in message and "'001'" not in message
    assert "non-geographic number" in message
    assert "list every country the number must serve, or write null" in message
    # With no list there is nothing to say.
    assert "RL203" not in rules_of(f'phone_number: "{number}"\n{AGENT}')


# -- RL403: a custom pseudo number that RL102 accepts --------------------------------------

PSEUDO = "+15550000001"  # E.164-shaped, in no numbering plan


def test_fallback_to_a_declared_pseudo_number_is_accepted() -> None:
    files = {
        "pseudo.yaml": f'phone_number: "{PSEUDO}"\nphone_number_type: custom\n{AGENT}'
        "sip_outbound_trunk_config:\n  termination_uri: t.example.com\n",
        "front.yaml": f'phone_number: "+14155551234"\n{AGENT}fallback_number: "{PSEUDO}"\n',
    }
    findings = lint_files(files)
    assert [(f.file, f.rule) for f in findings if f.rule in ("RL102", "RL403")] == [
        ("pseudo.yaml", "RL102")
    ]
    assert all(f.severity == "info" for f in findings if f.rule == "RL102")


def test_fallback_to_an_undeclared_invalid_number_is_still_an_error() -> None:
    findings = lint_text(f'phone_number: "+14155551234"\n{AGENT}fallback_number: "{PSEUDO}"\n')
    assert [(f.rule, f.severity) for f in findings] == [("RL403", "error")]


def test_a_validated_import_makes_no_pseudo_number() -> None:
    # ignore_e164_validation: false: RL102 does not accept it, so neither does RL403.
    files = {
        "pseudo.yaml": f'phone_number: "{PSEUDO}"\nphone_number_type: custom\n'
        f"ignore_e164_validation: false\n{AGENT}",
        "front.yaml": f'phone_number: "+14155551234"\n{AGENT}fallback_number: "{PSEUDO}"\n',
    }
    rules = [(f.file, f.rule, f.severity) for f in lint_files(files)]
    assert ("front.yaml", "RL403", "error") in rules
    assert ("pseudo.yaml", "RL102", "error") in rules


# -- RL301: the documented tolerance --------------------------------------------------------


def test_rl301_documents_its_tolerance() -> None:
    rule = load()["RL301"]
    assert "1e-6" in rule.rationale or "0.000001" in rule.rationale
    inside = (
        "inbound_agents:\n  - {agent_id: a, weight: 0.5}\n  - {agent_id: b, weight: 0.5000009}\n"
    )
    outside = (
        "inbound_agents:\n  - {agent_id: a, weight: 0.5}\n  - {agent_id: b, weight: 0.500002}\n"
    )
    assert "RL301" not in rules_of('phone_number: "+14155551234"\n' + inside)
    assert "RL301" in rules_of('phone_number: "+14155551234"\n' + outside)


def test_online_a_fallback_to_a_custom_number_of_the_account_is_accepted(
    fake: FakeRetell, cli: Cli
) -> None:
    fake.add_number(PSEUDO, phone_number_type="custom")
    cli.write(
        "retell/front.yaml", f'phone_number: "+14155551234"\n{AGENT}fallback_number: "{PSEUDO}"\n'
    )
    assert "RL403" in cli("check", "retell").out
    online = cli("check", "--online", "retell")
    assert "RL403" not in online.out, online.out
