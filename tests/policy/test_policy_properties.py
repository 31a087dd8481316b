"""Property: whatever a config holds, team policies report findings with positions and
never fail (the 20 benchmark policies and the example policies, on random numbers)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from retell_lint import engine
from retell_lint.config import load_config
from retell_lint.fields import AGENT_FIELDS, NUMBER_FIELDS, SIP_FIELDS
from retell_lint.source import Source

ROOT = Path(__file__).resolve().parents[2]


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["US", "CA", "FR", "TLS", "custom", "retell-twilio", "https://x.example/"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from([*AGENT_FIELDS, *SIP_FIELDS]), inner, max_size=4),
    ),
    max_leaves=12,
)
NUMBERS = st.dictionaries(st.sampled_from(list(NUMBER_FIELDS)), VALUES, max_size=8)


def test_policies_on_random_numbers(tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("bench")
    (folder / "policies.yaml").write_text(
        (ROOT / "benchmarks" / "policies.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / ".retell-lint.yaml").write_text("policy_files: [policies.yaml]\n")
    examples = load_config(str(ROOT / "examples" / ".retell-lint.yaml"))
    config = load_config(str(folder / ".retell-lint.yaml"))
    config.policies = [*config.policies, *examples.policies]
    assert len(config.policies) == 25
    reported: set[str] = set()

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(NUMBERS, min_size=1, max_size=3))
    @example(
        [
            {
                "phone_number": "+14157774444",
                "nickname": "x",
                "allowed_inbound_country_list": ["FR", "FR"],
                "inbound_webhook_url": "http://localhost/",
                "inbound_agents": [{"agent_id": "a", "weight": 2, "agent_version": "dev"}],
            }
        ]
    )
    def lint(numbers: list[dict[str, object]]) -> None:
        text = json.dumps({"phone_numbers": numbers}, indent=1)
        result = engine.lint_sources([Source("n.yaml", text)], config)
        assert result.errors == []
        lines = text.count("\n") + 1
        for finding in result.findings:
            assert 1 <= finding.line <= lines and finding.column >= 1
            assert "\n" not in finding.message
            reported.add(finding.rule)

    lint()
    # The random numbers do break policies: the property is not vacuous.
    assert len({rule for rule in reported if not rule.startswith("RL")}) >= 8
