"""An exported file always checks and drifts clean: values are written as the field's
type, or left out with a comment saying why."""

from __future__ import annotations

import json
from typing import Any

import pytest
from drift_support import Cli
from fake_retell import FakeRetell

from retell_lint.drift.export import number_yaml, yaml_scalar
from retell_lint.filestate import read_numbers
from retell_lint.source import Source

ODD_VALUES: list[tuple[str, dict[str, Any], str]] = [
    ("nickname-number", {"nickname": 5}, "# nickname is left out: the account holds a number"),
    (
        "huge-version",
        {"inbound_agents": [{"agent_id": "a", "weight": 1, "agent_version": 2**70}]},
        "# inbound_agents is left out: the account holds an agent_version that is an "
        "integer beyond 64 bits",
    ),
    (
        "entry-without-id",
        {"outbound_agents": [{"weight": 1}]},
        "# outbound_agents is left out: the account holds an entry without an agent_id",
    ),
    ("area-code-text", {"area_code": "415"}, "# area_code is left out"),
    (
        "country-number",
        {"allowed_inbound_country_list": ["US", 1]},
        "# allowed_inbound_country_list is left out: the account holds a list with entries",
    ),
    (
        "codec-number",
        {
            "phone_number_type": "custom",
            "sip_outbound_trunk_config": {"termination_uri": "t.example.com", "codecs": [7]},
        },
        "  # codecs is left out",
    ),
]


@pytest.mark.parametrize(
    ("live", "comment"), [c[1:] for c in ODD_VALUES], ids=[c[0] for c in ODD_VALUES]
)
def test_odd_live_values_export_clean(
    fake: FakeRetell, cli: Cli, live: dict[str, Any], comment: str
) -> None:
    fake.add_number("+14157774444", **live)
    assert cli("export", "--out", "retell").code == 0
    text = (cli.root / "retell" / "14157774444.yaml").read_text()
    assert comment in text
    check = cli("check", "--format", "json", "retell")
    errors = [f for f in json.loads(check.out)["findings"] if f["severity"] == "error"]
    assert errors == [], text
    drift = cli("drift")
    assert drift.code == 0, text + drift.out


def test_managed_numbers_trunk_is_left_out_and_lints_clean(fake: FakeRetell, cli: Cli) -> None:
    # The API's own example of a bought number carries a trunk configuration.
    fake.add_number(
        "+14157774444",
        phone_number_type="retell-twilio",
        inbound_agents=[{"agent_id": "a", "weight": 1}],
        sip_outbound_trunk_config={"termination_uri": "x.pstn.twilio.com", "transport": "TCP"},
    )
    assert cli("export", "--out", "retell").code == 0
    text = (cli.root / "retell" / "14157774444.yaml").read_text()
    assert "sip_outbound_trunk_config is left out: Retell manages the trunk" in text
    assert "termination_uri" not in text
    check = cli("check", "retell")
    assert check.code == 0 and "RL504" not in check.out, check.out
    assert cli("drift").code == 0
    assert cli("plan").code == 0


def test_trunk_of_only_bad_values_is_not_written_as_null() -> None:
    text = number_yaml(
        {
            "phone_number": "+14157774444",
            "phone_number_type": "custom",
            "sip_outbound_trunk_config": {"codecs": [1]},
        },
        [],
    )
    assert "sip_outbound_trunk_config:" not in text
    (doc,) = read_numbers(Source("n.yaml", text)).numbers
    assert "sip_outbound_trunk_config" not in doc.config.fields_set


@pytest.mark.parametrize("value", [1e-10, 1e20, 2.5e-7, -1e-5])
def test_floats_in_exponent_form_keep_a_dot(value: float) -> None:
    # YAML 1.1 (PyYAML, yamllint) reads 1e-10 as text; 1.0e-10 as a float everywhere.
    text = yaml_scalar(value)
    assert "." in text.partition("e")[0]
    assert float(text) == value


# -- any live object: the exported file reads cleanly and drift finds nothing ------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from retell_lint.drift.diff import diff_number  # noqa: E402

READER_RULES = {"RL001", "RL002", "RL003", "RL004", "RL005", "RL007", "RL008", "RL013"}
anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)
versions = st.one_of(st.none(), st.integers(min_value=-5, max_value=2**70), st.text(max_size=8))
entries = st.fixed_dictionaries(
    {
        "agent_id": st.one_of(st.text(min_size=1, max_size=8), anything),
        "weight": st.one_of(st.floats(min_value=0, max_value=1), anything),
    },
    optional={"agent_version": versions},
)
live_numbers = st.fixed_dictionaries(
    {"phone_number": st.just("+14157774444")},
    optional={
        "phone_number_type": st.one_of(st.sampled_from(["custom", "retell-twilio"]), anything),
        "nickname": anything,
        "area_code": anything,
        "inbound_agents": st.one_of(st.lists(entries, max_size=3), anything),
        "allowed_inbound_country_list": st.one_of(st.lists(anything, max_size=3), anything),
        "fallback_number": anything,
        "inbound_webhook_url": anything,
        "sip_outbound_trunk_config": st.one_of(
            anything,
            st.fixed_dictionaries(
                {},
                optional={
                    "termination_uri": anything,
                    "transport": anything,
                    "codecs": st.one_of(st.lists(anything, max_size=2), anything),
                },
            ),
        ),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(live_numbers)
def test_any_live_number_exports_to_a_file_that_reads_and_drifts_clean(
    live: dict[str, Any],
) -> None:
    text = number_yaml(live, ["header"])
    state = read_numbers(Source("n.yaml", text))
    assert [h for h in state.hits if h.rule in READER_RULES] == [], text
    (doc,) = state.numbers
    assert diff_number(doc, live) == [], text
