"""Plausible but extreme values: each is a finding at its place, never an internal error."""

from __future__ import annotations

import json
import random
import string
from pathlib import Path

import pytest
from bounded_run import assert_ran, run_cli
from lint_helpers import BASE, lint_text

AGENT = 'phone_number: "+14157774444"\ninbound_agents:\n  - agent_id: agent_a\n'


def rows(text: str, rule: str) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.message) for f in lint_text(text) if f.rule == rule]


def test_explicit_float_tag_on_a_non_number_is_rl004() -> None:
    found = rows(AGENT + '    weight: !!float "abc"\n', "RL004")
    assert found == [(4, 13, "'weight' is tagged !!float but 'abc' is not a number")]


def test_explicit_int_tag_on_a_non_number_is_rl004() -> None:
    text = AGENT + '    weight: 1\n    agent_version: !!int "xyz"\n'
    found = rows(text, "RL004")
    assert found == [(5, 20, "'agent_version' is tagged !!int but 'xyz' is not an integer")]


@pytest.mark.parametrize(
    "value", ["!!float 0.5", '!!float "0.5"', "!!int 1", '!!int "1"', "!!float .5e0"]
)
def test_explicit_tags_that_fit_their_type_are_read(value: str) -> None:
    findings = lint_text(AGENT + f"    weight: {value}\n")
    assert [f.rule for f in findings if f.rule in ("RL004", "RL301")] in ([], ["RL301"])
    assert not any(f.rule == "RL004" for f in findings)


def test_collection_tags_on_the_wrong_kind_of_node_are_rl004() -> None:
    text = (
        BASE.replace("inbound_agents:", "outbound_agents:")
        + 'inbound_agents: !!seq "x"\n'
        + "allowed_inbound_country_list: !!seq {a: b}\n"
        + 'sip_outbound_trunk_config: !!map "x"\n'
    )
    found = rows(text, "RL004")
    assert [message.split(", not ")[-1] for _line, _col, message in found] == [
        "a value tagged !!seq on a scalar",
        "a value tagged !!seq on a mapping",
        "a value tagged !!map on a scalar",
    ]
    assert rows("phone_numbers: !!seq {a: b}\n", "RL004") == [
        (1, 16, "phone_numbers must be a list of numbers, not a value tagged !!seq on a mapping")
    ]


def test_weight_with_400_zeros_is_rl004() -> None:
    found = rows(AGENT + "    weight: 1" + "0" * 400 + "\n", "RL004")
    assert found == [(4, 13, "'weight' is a number too large to be a real value")]


def test_agent_version_of_5000_hex_digits_is_rl004() -> None:
    text = AGENT + "    weight: 1\n    agent_version: 0x" + "f" * 5000 + "\n"
    found = rows(text, "RL004")
    assert found == [(5, 20, "'agent_version' is a number too large to be a real value")]


def test_largest_plausible_version_is_fine() -> None:
    text = AGENT + "    weight: 1\n    agent_version: 9223372036854775807\n"
    assert rows(text, "RL004") == []
    assert rows(text.replace("807", "808"), "RL004") != []


def test_merge_chain_1500_deep_is_a_finding() -> None:
    text = "x-0: &m0 {nickname: front}\n"
    text += "".join(f"x-{i}: &m{i} {{<<: *m{i - 1}}}\n" for i in range(1, 1500))
    text += 'phone_number: "+14157774444"\n<<: *m1499\n'
    found = rows(text, "RL004")
    assert len(found) == 1 and "merge keys (<<) chained more than 100 deep" in found[0][2]


def test_short_merge_chains_still_merge() -> None:
    text = "x-0: &m0 {nickname: front}\n"
    text += "".join(f"x-{i}: &m{i} {{<<: *m{i - 1}}}\n" for i in range(1, 50))
    text += BASE + "<<: *m49\n"
    findings = lint_text(text)
    assert not any(f.rule in ("RL004", "RL001") for f in findings)


EXTREME = {
    "merge-chain": "x-0: &m0 {nickname: front}\n"
    + "".join(f"x-{i}: &m{i} {{<<: *m{i - 1}}}\n" for i in range(1, 1500))
    + 'phone_number: "+14157774444"\n<<: *m1499\n',
    "weight-zeros": AGENT + "    weight: 1" + "0" * 400 + "\n",
    "hex-version": AGENT + "    weight: 1\n    agent_version: 0x" + "f" * 5000 + "\n",
    "tagged": AGENT + '    weight: !!float "abc"\n    agent_version: !!int "xyz"\n',
}


@pytest.mark.parametrize("name", sorted(EXTREME))
@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_extreme_values_are_findings_in_every_format(tmp_path: Path, name: str, fmt: str) -> None:
    (tmp_path / "n.yaml").write_text(EXTREME[name])
    (tmp_path / "ok.yaml").write_text(BASE.replace("7774444", "5551234"))
    run = run_cli(["check", "--format", fmt, "n.yaml", "ok.yaml"], tmp_path)
    assert_ran(run, 1)
    assert "RL004" in run.out


@pytest.mark.parametrize("name", sorted(EXTREME))
def test_extreme_values_stop_drift_with_one_line(tmp_path: Path, name: str) -> None:
    (tmp_path / "n.yaml").write_text(EXTREME[name])
    (tmp_path / "live.json").write_text(json.dumps({"version": 1, "phone_numbers": []}))
    run = run_cli(["drift", "--live-state", "live.json", "n.yaml"], tmp_path)
    assert_ran(run, 2)
    assert run.err.count("\n") == 1 and "declared files do not parse" in run.err


def _bad_codes(count: int) -> list[str]:
    rng = random.Random(7)
    codes: set[str] = set()
    while len(codes) < count:
        codes.add("".join(rng.choice(string.ascii_uppercase) for _ in range(3)))
    return sorted(codes)


def test_ten_thousand_bad_country_codes_on_one_line(tmp_path: Path) -> None:
    line = "allowed_inbound_country_list: [" + ", ".join(_bad_codes(10_000)) + "]\n"
    (tmp_path / "n.yaml").write_text(BASE + line)
    run = run_cli(["check", "--format", "concise", "n.yaml"], tmp_path, timeout=30)
    assert_ran(run, 1)
    assert run.out.count("RL201") == 10_000
    assert run.seconds < 15
    # The first ones still get a suggestion; past the cap, none is searched for.
    assert "did you mean" in run.out


def test_aliases_do_not_multiply_findings_or_searches(tmp_path: Path) -> None:
    codes = "[Germny, Frnce, Itly, Spn, Brazl, Cnada, Mexco, Jpan, Chna, Indya]"
    text = f"x-c: &c {codes}\nphone_numbers:\n" + "".join(
        f'  - {{phone_number: "+1415777{i:04d}", allowed_inbound_country_list: *c}}\n'
        for i in range(300)
    )
    (tmp_path / "n.yaml").write_text(text)
    run = run_cli(["check", "--format", "concise", "n.yaml"], tmp_path, timeout=30)
    assert_ran(run, 1)
    assert run.seconds < 10
    first = [line for line in run.out.splitlines() if line.startswith("n.yaml:1:10:")]
    # One place, one finding: the 300 numbers that use the anchor share it.
    assert len(first) == 1
    assert run.out.count("RL201") == 10
