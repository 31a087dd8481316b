"""The text report's source snippet: clipped around the finding, secrets masked."""

from __future__ import annotations

from pathlib import Path

from bounded_run import assert_ran, run_cli

SIP = """\
phone_number: "+14157774444"
phone_number_type: custom
inbound_agents:
  - agent_id: agent_frontdesk
    weight: 1
sip_outbound_trunk_config:
  termination_uri: example.pstn.twilio.com
  auth_username: retell
  auth_password: hunter2-Sup3rS3cret
  transport: TLS
"""


def test_plaintext_password_is_masked_in_the_snippet(tmp_path: Path) -> None:
    (tmp_path / "n.yaml").write_text(SIP)
    run = run_cli(["check", "n.yaml"], tmp_path)
    assert_ran(run, 1)
    assert "RL506" in run.out
    assert "hunter2" not in run.out and "S3cret" not in run.out
    lines = run.out.splitlines()
    at = lines.index("  9 |   auth_password: ********")
    assert lines[at + 1] == "    |                  ^^^^^^^^"


def test_other_rules_on_the_same_value_are_not_masked(tmp_path: Path) -> None:
    (tmp_path / "n.yaml").write_text(SIP.replace("hunter2-Sup3rS3cret", "${SIP_PASSWORD}"))
    run = run_cli(["check", "n.yaml"], tmp_path)
    assert_ran(run, 0, 1)
    assert "RL506" not in run.out


def test_long_lines_are_clipped_around_the_column(tmp_path: Path) -> None:
    codes = ", ".join(f"X{chr(65 + i % 26)}{i}" for i in range(3000))
    text = 'phone_number: "+14157774444"\nallowed_inbound_country_list: [' + codes + "]\n"
    (tmp_path / "n.yaml").write_text(text)
    run = run_cli(["check", "n.yaml"], tmp_path, timeout=60)
    assert_ran(run, 1)
    findings = run.out.count("RL201")
    assert findings == 3000
    # Each snippet line is clipped: the report grows with the findings, not with
    # findings times the line's length (20 KB here).
    assert len(run.out) < 3000 * 500
    snippet_lines = [line for line in run.out.splitlines() if line.startswith("  2 | ")]
    assert snippet_lines and all(len(line) <= 140 for line in snippet_lines)
    last = run.out.splitlines()
    code = f"X{chr(65 + 2999 % 26)}2999"
    at = next(i for i, line in enumerate(last) if f"'{code}'" in line)
    code_line, caret_line = last[at + 1], last[at + 2]
    column = caret_line.index("^")
    assert code_line[column : column + len(code)] == code
    assert code_line.startswith("  2 | …")
