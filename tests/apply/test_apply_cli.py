"""``retell-lint plan`` and ``apply`` end to end, through the CLI, against the fake
Retell API (which is strict about request bodies, as the real one is)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from drift_support import SECRET_KEY, Cli, assert_no_key
from fake_retell import FakeRetell, RecordedRequest

try:
    from sdk_params import request_name, validate_params
except (ImportError, pytest.skip.Exception):  # retell-sdk not installed
    validate_params = None  # type: ignore[assignment]

AGENT_A = [{"agent_id": "agent_a", "weight": 1.0, "agent_version": 3}]
PASSWORD = "pw-CANARY-7d1e9b3f"
# ${TRUNK_PASSWORD} may be sent only because the configuration allows it.
ALLOW_TRUNK = "apply:\n  secret_env: [TRUNK_PASSWORD]\n"
TRUNK = {
    "termination_uri": "old.pstn.twilio.com",
    "auth_username": "trunk-user",
    "transport": "TCP",
    "codecs": ["PCMU"],
}


def unordered(writes: list[tuple[str, str, Any]]) -> list[tuple[str, str, Any]]:
    """Writes to different numbers run concurrently: their order is not defined."""
    return sorted(writes, key=lambda write: json.dumps(write, sort_keys=True))


def bodies(fake: FakeRetell) -> list[tuple[str, str, Any]]:
    """(method, path, body) of every write the fake received, checked against the SDK."""
    found = []
    for request in fake.writes():
        body = request.json()
        name = request_name(request.method, request.path) if validate_params else None
        if name is not None and validate_params is not None:
            validate_params(name, body)
        found.append((request.method, request.path, body))
    return found


def seed_changes(fake: FakeRetell, cli: Cli) -> None:
    """Three live numbers that differ from their declarations in many ways."""
    fake.add_number(
        "+14157774444", nickname="Old", inbound_agents=AGENT_A, fallback_number="+14155550123"
    )
    fake.add_number(
        "+14157770001",
        phone_number_type="custom",
        sip_outbound_trunk_config=dict(TRUNK),
        allowed_inbound_country_list=["US"],
    )
    fake.add_number("+14157770002", nickname="Same", outbound_agents=AGENT_A)
    fake.add_number("+14157770009", nickname="Nobody declares me")
    cli.write(
        "retell/numbers.yaml",
        """
        phone_numbers:
          - phone_number: "+14157774444"
            nickname: New
            inbound_agents:
              - agent_id: agent_b
                weight: 0.5
              - agent_id: agent_c
                weight: 0.5
                agent_version: prod
            fallback_number: null
          - phone_number: "+14157770001"
            phone_number_type: custom
            allowed_inbound_country_list: [US, CA]
            sip_outbound_trunk_config:
              termination_uri: new.pstn.twilio.com
              auth_username: trunk-user
              auth_password: ${TRUNK_PASSWORD}
              transport: TLS
              codecs: [PCMU, opus]
          - phone_number: "+14157770002"
            nickname: Same
            outbound_agent_id: agent_b
        """,
    )


EXPECTED_PATCHES = [
    (
        "PATCH",
        "/update-phone-number/+14157770001",
        {
            # As declared: apply sends the list in the file's order.
            "allowed_inbound_country_list": ["US", "CA"],
            "termination_uri": "new.pstn.twilio.com",
            "transport": "TLS",
            "codecs": ["PCMU", "opus"],
        },
    ),
    (
        "PATCH",
        "/update-phone-number/+14157770002",
        {"outbound_agents": [{"agent_id": "agent_b", "weight": 1.0}]},
    ),
    (
        "PATCH",
        "/update-phone-number/+14157774444",
        {
            "nickname": "New",
            "inbound_agents": [
                {"agent_id": "agent_b", "weight": 0.5},
                {"agent_id": "agent_c", "weight": 0.5, "agent_version": "prod"},
            ],
            "fallback_number": None,
        },
    ),
]


# -- plan -----------------------------------------------------------------------------


def test_plan_exit_codes(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="Front desk")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: Front desk\n')
    result = cli("plan")
    assert result.code == 0, result.err
    assert "No changes: the account matches the declared files." in result.out
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: Reception\n')
    result = cli("plan")
    assert result.code == 1
    assert "~ update +14157774444 (retell/a.yaml:1)" in result.out
    assert '    nickname: "Front desk" → "Reception"' in result.out
    assert result.out.splitlines()[-1] == (
        "Plan: 1 to update, 0 to create, 0 to import, 0 to delete."
    )
    # Could not plan: no key, an API failure, declared files with errors.
    cli.monkeypatch.delenv("RETELL_API_KEY")
    assert cli("plan").code == 2
    cli.monkeypatch.setenv("RETELL_API_KEY", fake.api_key)
    fake.fail_next(500, count=5)
    assert cli("plan").code == 2
    fake.clear_faults()
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: [Reception]\n')
    result = cli("plan")
    assert result.code == 2
    assert "the declared files do not read cleanly: retell/a.yaml:2:11: RL004" in result.err
    # ... even with the rule switched off: the value would read as "unset".
    cli.write(".retell-lint.yaml", "rules:\n  RL004: off\n")
    assert "do not read cleanly" in cli("apply", "--yes").err
    (cli.root / ".retell-lint.yaml").unlink()
    cli.write(
        "retell/a.yaml",
        'phone_number: "+14157774444"\ninbound_agents:\n  - agent_id: a\n    weight: 0.5\n',
    )
    result = cli("apply", "--yes")
    assert result.code == 2
    assert "refusing: check finds 1 error in the declared files: retell/a.yaml:2:1: RL301" in (
        result.err
    )
    assert fake.writes() == []


def test_plan_formats_and_saved_file(fake: FakeRetell, cli: Cli) -> None:
    seed_changes(fake, cli)
    result = cli("plan", "-o", "plan.json", "--format", "markdown")
    assert result.code == 1, result.err
    assert "### retell-lint plan" in result.out
    assert '| ~ | `+14157774444` | update | `nickname` | `"Old"` | `"New"` |' in result.out
    assert "| ? | `+14157770009` | unmanaged: left alone |" in result.out
    assert "apply it with: retell-lint apply --plan plan.json" in result.err
    saved = json.loads((cli.root / "plan.json").read_text())
    assert saved["format"] == "retell-lint-plan" and saved["version"] == 1
    assert saved["base_url"] == fake.base_url
    assert saved["tool"]["name"] == "retell-lint"
    assert [a["action"] for a in saved["actions"]] == ["update"] * 3
    assert [(a["method"], a["path"], a["body"]) for a in saved["actions"]] == [
        *EXPECTED_PATCHES[:2],
        EXPECTED_PATCHES[2],
    ]
    assert saved["unmanaged"] == ["+14157770009"]
    by_number = {n["phone_number"]: n["live"] for n in saved["numbers"]}
    assert by_number["+14157774444"]["last_modification_timestamp"] == 1_760_000_000_000
    assert len(by_number["+14157774444"]["sha256"]) == 64
    assert [f["file"] for f in saved["declared"]["files"]] == ["retell/numbers.yaml"]
    # JSON on stdout is the same document.
    printed = cli("plan", "--format", "json").json()
    assert printed["actions"] == saved["actions"]


# -- apply a saved plan ------------------------------------------------------------------


def test_saved_plan_sends_exactly_the_expected_patches_then_nothing(
    fake: FakeRetell, cli: Cli
) -> None:
    seed_changes(fake, cli)
    assert cli("plan", "-o", "plan.json").code == 1
    result = cli("apply", "--plan", "plan.json")
    assert result.code == 0, result.err
    assert unordered(bodies(fake)) == unordered(EXPECTED_PATCHES)
    assert "Applied 3 of 3 changes." in result.out
    assert "Verified: the account now matches the declared files" in result.out
    # Unmanaged numbers are never touched; the password was not sent (no rotation).
    assert fake.numbers["+14157770009"]["nickname"] == "Nobody declares me"
    assert fake.passwords == {}
    # Apply then drift: empty. A second apply sends nothing.
    assert cli("drift").code == 0
    before = len(fake.writes())
    again = cli("apply", "--yes")
    assert again.code == 0, again.err
    assert "No changes" in again.out
    assert len(fake.writes()) == before
    assert cli("plan").code == 0


def test_stale_plan_is_refused_and_nothing_is_written(fake: FakeRetell, cli: Cli) -> None:
    seed_changes(fake, cli)
    assert cli("plan", "-o", "plan.json").code == 1
    # Someone edits a planned number in the dashboard.
    fake.numbers["+14157770002"]["nickname"] = "Edited"
    fake.numbers["+14157770002"]["last_modification_timestamp"] += 1
    result = cli("apply", "--plan", "plan.json")
    assert result.code == 2
    assert "+14157770002 changed in the account since it was made" in result.err
    assert fake.writes() == []


def test_saved_plan_leaves_numbers_that_drifted_later_alone(fake: FakeRetell, cli: Cli) -> None:
    seed_changes(fake, cli)
    fake.add_number("+14157770003", nickname="Declared")
    path = cli.root / "retell/numbers.yaml"
    path.write_text(path.read_text() + '  - phone_number: "+14157770003"\n    nickname: Declared\n')
    assert cli("plan", "-o", "plan.json").code == 1
    fake.numbers["+14157770003"]["nickname"] = "Edited after the review"
    result = cli("apply", "--plan", "plan.json")
    assert result.code == 0, result.err
    assert unordered(bodies(fake)) == unordered(EXPECTED_PATCHES)
    assert cli("plan").code == 1


def test_plan_refused_when_files_or_base_url_changed(fake: FakeRetell, cli: Cli) -> None:
    seed_changes(fake, cli)
    assert cli("plan", "-o", "plan.json").code == 1
    path = cli.root / "retell/numbers.yaml"
    original = path.read_text()
    path.write_text(original.replace("nickname: New", "nickname: Newer"))
    result = cli("apply", "--plan", "plan.json")
    assert result.code == 2
    assert "the declared files changed since it was made (retell/numbers.yaml)" in result.err
    path.write_text(original)
    cli.write(".retell-lint.yaml", "apply:\n  max_changes: 5\n")
    assert "declared files changed" in cli("apply", "--plan", "plan.json").err
    (cli.root / ".retell-lint.yaml").unlink()
    cli.monkeypatch.setenv("RETELL_BASE_URL", fake.base_url.replace("127.0.0.1", "localhost"))
    result = cli("apply", "--plan", "plan.json")
    assert result.code == 2
    assert "it was made against" in result.err
    assert fake.writes() == []


def test_edited_plan_is_refused(fake: FakeRetell, cli: Cli) -> None:
    seed_changes(fake, cli)
    cli("plan", "-o", "plan.json")
    saved = json.loads((cli.root / "plan.json").read_text())
    saved["actions"][0]["body"]["nickname"] = "Injected"
    (cli.root / "plan.json").write_text(json.dumps(saved))
    result = cli("apply", "--plan", "plan.json")
    assert result.code == 2
    assert "its actions are not what the declared files and the account call for" in result.err
    (cli.root / "plan.json").write_text("{not json")
    assert "not a usable plan file" in cli("apply", "--plan", "plan.json").err
    assert fake.writes() == []


# -- apply from files ------------------------------------------------------------------------


def test_apply_off_a_terminal_needs_yes(fake: FakeRetell, cli: Cli) -> None:
    seed_changes(fake, cli)
    result = cli("apply")
    assert result.code == 2
    assert "apply needs --yes when not run on a terminal" in result.err
    # The plan was shown first.
    assert "~ update +14157774444" in result.out
    assert fake.writes() == []
    assert cli("apply", "--yes").code == 0
    assert unordered(bodies(fake)) == unordered(EXPECTED_PATCHES)


def test_apply_asks_on_a_terminal(
    fake: FakeRetell, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retell_lint.apply import applying

    seed_changes(fake, cli)
    monkeypatch.setattr(applying, "_interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    result = cli("apply")
    assert result.code == 2 and "apply cancelled; nothing was written" in result.err
    assert "Apply 3 changes to the Retell account at" in result.err
    assert fake.writes() == []
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    assert cli("apply").code == 0
    assert len(fake.writes()) == 3


def test_create_only_differences_are_reported_not_sent(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="Old")
    cli.write(
        "retell/a.yaml",
        'phone_number: "+14157774444"\nphone_number_type: retell-telnyx\nnickname: New\n'
        "number_provider: telnyx\n",
    )
    result = cli("plan")
    assert result.code == 1, result.err
    assert (
        '! +14157774444 phone_number_type: "retell-twilio" → "retell-telnyx" — cannot be '
        "changed without re-creating the number" in result.out
    )
    result = cli("apply", "--yes")
    # The nickname was applied; the type cannot be: still pending.
    assert result.code == 1, result.err
    assert bodies(fake) == [("PATCH", "/update-phone-number/+14157774444", {"nickname": "New"})]
    assert "1 difference apply cannot make remain." in result.out


# -- blast radius --------------------------------------------------------------------------


def _many(fake: FakeRetell, cli: Cli, count: int, changed: int) -> None:
    lines = ["phone_numbers:"]
    for index in range(count):
        number = f"+1415555{index:04d}"
        fake.add_number(number, nickname="same")
        nickname = "new" if index < changed else "same"
        lines += [f'  - phone_number: "{number}"', f"    nickname: {nickname}"]
    cli.write("retell/many.yaml", "\n".join(lines) + "\n")


def test_blast_radius_max_changes(fake: FakeRetell, cli: Cli) -> None:
    _many(fake, cli, count=40, changed=11)
    result = cli("apply", "--yes")
    assert result.code == 2
    assert (
        "refusing to apply: the plan changes 11 numbers, more than apply.max_changes (10)"
        in result.err
    )
    assert fake.writes() == []
    cli.write(".retell-lint.yaml", "apply:\n  max_changes: 11\n")
    assert cli("apply", "--yes").code == 0
    assert len(fake.writes()) == 11


def test_blast_radius_max_percent_and_force(fake: FakeRetell, cli: Cli) -> None:
    _many(fake, cli, count=12, changed=4)
    result = cli("apply", "--yes")
    assert result.code == 2
    assert (
        "the plan updates or deletes 4 of the 12 managed numbers (33.3%), more than "
        "apply.max_percent (30%)" in result.err
    )
    assert fake.writes() == []
    assert cli("apply", "--yes", "--force").code == 0
    assert len(fake.writes()) == 4


def test_blast_radius_percent_needs_ten_managed_numbers(fake: FakeRetell, cli: Cli) -> None:
    _many(fake, cli, count=9, changed=5)
    assert cli("apply", "--yes").code == 0
    assert len(fake.writes()) == 5


# -- create, import, delete -----------------------------------------------------------------

NEW_NUMBERS = """
phone_numbers:
  - phone_number: "+14157770100"
    phone_number_type: retell-telnyx
    nickname: Bought
    area_code: 415
    inbound_agents:
      - agent_id: agent_a
        weight: 1
    inbound_sms_agents:
      - agent_id: agent_chat
        weight: 1
  - phone_number: "+442071838750"
    phone_number_type: custom
    nickname: Imported
    fallback_number: "+14155550123"
    sip_outbound_trunk_config:
      termination_uri: trunk.pstn.twilio.com
      auth_username: trunk-user
      auth_password: $TRUNK_PASSWORD
      transport: TLS
"""


def test_create_and_import_only_with_allow_create(fake: FakeRetell, cli: Cli) -> None:
    cli.write("retell/new.yaml", NEW_NUMBERS)
    cli.write(".retell-lint.yaml", ALLOW_TRUNK)
    cli.monkeypatch.setenv("TRUNK_PASSWORD", PASSWORD)
    plan = cli("plan")
    assert plan.code == 1
    assert "+ create +14157770100 (retell/new.yaml:2): buys the number; needs --allow-create" in (
        plan.out
    )
    assert "+ import +442071838750" in plan.out and "(from $TRUNK_PASSWORD)" in plan.out
    skipped = cli("apply", "--yes")
    assert skipped.code == 1, skipped.err
    assert "Skipped (2):" in skipped.out and "needs --allow-create" in skipped.out
    assert fake.writes() == []

    result = cli("apply", "--yes", "--allow-create", "--log", "audit.jsonl")
    assert result.code == 0, result.err + result.out
    writes = bodies(fake)
    # A create's follow-up PATCH comes after its POST.
    for number in ("+14157770100", "+442071838750"):
        posts = [
            n for n, w in enumerate(writes) if w[0] == "POST" and w[2]["phone_number"] == number
        ]
        patches = [n for n, w in enumerate(writes) if w[1].endswith(number)]
        assert posts[0] < patches[0]
    assert unordered(writes) == unordered(
        [
            (
                "POST",
                "/create-phone-number",
                {
                    "phone_number": "+14157770100",
                    "nickname": "Bought",
                    "area_code": 415,
                    "inbound_agents": [{"agent_id": "agent_a", "weight": 1.0}],
                    "number_provider": "telnyx",
                },
            ),
            (
                "PATCH",
                "/update-phone-number/+14157770100",
                {"inbound_sms_agents": [{"agent_id": "agent_chat", "weight": 1.0}]},
            ),
            (
                "POST",
                "/import-phone-number",
                {
                    "phone_number": "+442071838750",
                    "nickname": "Imported",
                    "termination_uri": "trunk.pstn.twilio.com",
                    "sip_trunk_auth_username": "trunk-user",
                    "transport": "TLS",
                    "sip_trunk_auth_password": PASSWORD,
                },
            ),
            (
                "PATCH",
                "/update-phone-number/+442071838750",
                {"fallback_number": "+14155550123"},
            ),
        ]
    )
    assert fake.numbers["+14157770100"]["phone_number_type"] == "retell-telnyx"
    assert fake.passwords == {"+442071838750": PASSWORD}
    assert cli("drift").code == 0
    lines = [json.loads(line) for line in (cli.root / "audit.jsonl").read_text().splitlines()]
    # Each request is logged before it is sent, then with its answer.
    for method, path, _body in writes:
        events = [e["event"] for e in lines if (e["method"], e["path"]) == (method, path)]
        assert events[:2] == ["sending", "outcome"]
    log = [e for e in lines if e["event"] == "outcome"]
    assert sorted((e["method"], e["path"], e["status"]) for e in log) == sorted(
        (m, p, 201 if m == "POST" else 200) for m, p, _b in writes
    )
    imported = [e for e in log if e["path"] == "/import-phone-number"]
    assert imported[0]["body"]["sip_trunk_auth_password"] == "***"
    assert {"time", "method", "path", "body", "status"} <= set(log[0])
    assert cli("apply", "--yes", "--allow-create").code == 0
    assert len(fake.writes()) == 4


def test_create_is_never_retried_after_it_was_sent(fake: FakeRetell, cli: Cli) -> None:
    cli.write(
        "retell/new.yaml",
        'phone_number: "+14157770100"\nphone_number_type: retell-twilio\nnickname: x\n',
    )
    fake.fail_next(500, count=3, path_prefix="/create-phone-number")
    result = cli("apply", "--yes", "--allow-create", "--format", "json")
    assert result.code == 2
    assert len(fake.requests_to("/create-phone-number")) == 1
    outcome = result.json()["result"]
    assert outcome["applied"] == [] and outcome["not_attempted"] == []
    assert outcome["failed"][0]["detail"] == (
        "POST /create-phone-number failed: HTTP 500: An unexpected server error occurred."
    )


def test_missing_number_without_a_type_is_not_created(fake: FakeRetell, cli: Cli) -> None:
    cli.write("retell/new.yaml", 'phone_number: "+14157770100"\nnickname: x\n')
    result = cli("apply", "--yes", "--allow-create")
    assert result.code == 1
    assert "declare phone_number_type" in result.out
    assert fake.writes() == []


def test_delete_needs_state_absent_and_allow_delete(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157770200", nickname="Retired")
    fake.add_number("+14157770201", nickname="Unmanaged")
    cli.write("retell/old.yaml", 'phone_number: "+14157770200"\nstate: absent\n')
    plan = cli("plan")
    assert plan.code == 1
    assert (
        "- delete +14157770200 (retell/old.yaml:1): releases the number (irreversible); "
        "needs --allow-delete" in plan.out
    )
    assert (
        "? 1 unmanaged number (in the account, not declared): +14157770201; left alone" in plan.out
    )
    result = cli("apply", "--yes")
    assert result.code == 1 and fake.writes() == []
    # The flag alone deletes nothing that is not declared absent.
    cli.write("retell/old.yaml", 'phone_number: "+14157770200"\nnickname: Retired\n')
    assert cli("apply", "--yes", "--allow-delete").code == 0
    assert fake.writes() == []
    cli.write("retell/old.yaml", 'phone_number: "+14157770200"\nstate: absent\n')
    result = cli("apply", "--yes", "--allow-delete")
    assert result.code == 0, result.err
    assert bodies(fake) == [("DELETE", "/delete-phone-number/+14157770200", None)]
    assert set(fake.numbers) == {"+14157770201"}
    assert cli("drift").code == 0
    assert cli("apply", "--yes", "--allow-delete").code == 0
    assert len(fake.writes()) == 1


# -- failures ------------------------------------------------------------------------------


def test_a_500_in_the_middle_stops_with_an_exact_account(fake: FakeRetell, cli: Cli) -> None:
    seed_changes(fake, cli)
    # One write at a time, so that which writes follow the failure is known.
    cli.write(".retell-lint.yaml", "apply:\n  concurrency: 1\n")
    fake.fail_next(500, count=10, path_prefix="/update-phone-number/+14157770002")
    result = cli("apply", "--yes", "--format", "json")
    assert result.code == 2
    outcome = result.json()["result"]
    assert outcome["applied"] == [{"action": "update", "phone_number": "+14157770001"}]
    assert outcome["failed"] == [
        {
            "action": "update",
            "phone_number": "+14157770002",
            "detail": "PATCH /update-phone-number/+14157770002 failed: HTTP 500: An unexpected "
            "server error occurred. (gave up after 3 attempts)",
        }
    ]
    assert outcome["not_attempted"] == [{"action": "update", "phone_number": "+14157774444"}]
    assert outcome["verified"] is False
    # PATCH is retried (3 attempts), the third number never sent.
    assert len(fake.requests_to("/update-phone-number/+14157770002")) == 3
    assert fake.requests_to("/update-phone-number/+14157774444") == []
    assert "apply stopped at the first failure" in result.err
    # The same in text.
    fake.fail_next(500, count=10, path_prefix="/update-phone-number/+14157770002")
    text = cli("apply", "--yes")
    assert text.code == 2
    assert "Applied 0 of 2 changes." in text.out
    assert "Failed (1):\n  update +14157770002: PATCH" in text.out
    assert "Not attempted (1):\n  update +14157774444" in text.out


def test_patch_retried_on_429_honouring_retry_after(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="Old")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: New\n')
    fake.fail_next(429, headers={"Retry-After": "0"}, path_prefix="/update-phone-number/")
    result = cli("apply", "--yes", "--log", "audit.jsonl")
    assert result.code == 0, result.err
    log = [json.loads(line) for line in (cli.root / "audit.jsonl").read_text().splitlines()]
    assert [(e["status"], e["attempt"]) for e in log if e["event"] == "outcome"] == [
        (429, 1),
        (200, 2),
    ]
    assert fake.numbers["+14157774444"]["nickname"] == "New"


def test_api_normalising_a_value_fails_verification(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="Old")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: New desk\n')

    def truncate(obj: dict[str, Any]) -> None:
        obj["nickname"] = obj["nickname"][:3]

    fake.write_hook = truncate
    result = cli("apply", "--yes")
    assert result.code == 2
    assert (
        '+14157774444: nickname is "New" in the account after update, declared "New desk"'
        in result.out
    )
    assert "does not match the declared files after applying" in result.err


# -- secrets ---------------------------------------------------------------------------------


def test_rotate_secrets_and_missing_variable(fake: FakeRetell, cli: Cli) -> None:
    seed_changes(fake, cli)
    cli.write(".retell-lint.yaml", ALLOW_TRUNK)
    cli.monkeypatch.delenv("TRUNK_PASSWORD", raising=False)
    assert cli("plan", "--rotate-secrets", "-o", "plan.json").code == 1
    result = cli("apply", "--plan", "plan.json")
    assert result.code == 2
    assert "environment variable $TRUNK_PASSWORD not set" in result.err
    assert fake.writes() == []
    cli.monkeypatch.setenv("TRUNK_PASSWORD", PASSWORD)
    result = cli("apply", "--plan", "plan.json", "--log", "audit.jsonl")
    assert result.code == 0, result.err
    patch = fake.requests_to("/update-phone-number/+14157770001")[0].json()
    assert patch["auth_password"] == PASSWORD
    assert fake.passwords == {"+14157770001": PASSWORD}
    # Without --rotate-secrets a password is never sent: the account is in sync.
    assert cli("apply", "--yes").code == 0
    assert len(fake.writes()) == 3
    # With it, every declared password is sent again.
    assert cli("apply", "--yes", "--rotate-secrets").code == 0
    assert len(fake.writes()) == 4
    everything = [
        (cli.root / "plan.json").read_text(),
        (cli.root / "audit.jsonl").read_text(),
    ]
    for text in everything:
        assert PASSWORD not in text
        assert_no_key(text)
    assert "from_env" in everything[0] and '"***"' in everything[1]


def test_key_and_secrets_never_in_output_plan_or_log(fake: FakeRetell, cli: Cli) -> None:
    seed_changes(fake, cli)
    cli.write(".retell-lint.yaml", ALLOW_TRUNK)
    cli.monkeypatch.setenv("TRUNK_PASSWORD", PASSWORD)
    # A server that echoes the request back in its error message.
    fake.fail_next(
        400,
        body={"status": "error", "message": f"bad password {PASSWORD} for key {SECRET_KEY}"},
        path_prefix="/update-phone-number/+14157770001",
    )
    outputs = [
        cli("plan", "--rotate-secrets", "-o", "plan.json", "--format", "json"),
        cli("apply", "--plan", "plan.json", "--log", "audit.jsonl", "--format", "json"),
        cli("apply", "--plan", "plan.json", "--log", "audit.jsonl"),
    ]
    assert outputs[1].code == 2
    assert "bad password *** for key ***" in outputs[1].out
    files = [(cli.root / name).read_text() for name in ("plan.json", "audit.jsonl")]
    for text in [*(o.out + o.err for o in outputs), *files]:
        assert PASSWORD not in text
        assert_no_key(text)


def test_plaintext_password_is_never_planned(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157770001", phone_number_type="custom")
    cli.write(".retell-lint.yaml", "rules:\n  RL506: off\n")
    cli.write(
        "retell/a.yaml",
        'phone_number: "+14157770001"\nsip_outbound_trunk_config:\n  auth_password: hunter2\n',
    )
    result = cli("plan", "--rotate-secrets", "-o", "plan.json")
    assert result.code == 2
    assert "retell/a.yaml:3:18: auth_password is not an environment reference" in result.err
    assert "hunter2" not in result.out + result.err
    assert not (cli.root / "plan.json").exists()


def test_log_is_never_written_through_a_symlink(fake: FakeRetell, cli: Cli, tmp_path: Path) -> None:
    fake.add_number("+14157774444", nickname="Old")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: New\n')
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep\n")
    (cli.root / "audit.jsonl").symlink_to(target)
    result = cli("apply", "--yes", "--log", "audit.jsonl")
    assert result.code == 2 and "cannot open the log" in result.err
    assert target.read_text() == "keep\n"
    assert fake.writes() == []


def test_usage_errors(fake: FakeRetell, cli: Cli) -> None:
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\n')
    assert "either --plan FILE or paths" in cli("apply", "--plan", "p.json", "retell").err
    assert cli("apply", "--plan", "missing.json").code == 2


def test_hostile_live_values_are_escaped_in_every_format(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="a|b\n::error::x\x1b[31m\u202e")
    fake.add_number("+14157770009\n::warning::y")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: New\n')
    text = cli("plan").out
    assert '    nickname: "a|b\\n::error::x\\u001b[31m\\u202e" → "New"' in text
    assert "not declared): +14157770009\\n::warning::y; left alone" in text
    markdown = cli("plan", "--format", "markdown").out
    assert '`"a\\|b\\\\n::error::x\\\\u001b[31m\\\\u202e"`' in markdown
    for out in (text, markdown):
        assert "\x1b" not in out and "\u202e" not in out
        assert not any(line.startswith("::") for line in out.splitlines())


def test_a_failed_verification_read_still_gives_the_account(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="Old")
    cli.write("retell/a.yaml", 'phone_number: "+14157774444"\nnickname: New\n')
    # The write succeeds; every read after it fails.
    original = fake._route

    def route(request: RecordedRequest) -> tuple[int, Any]:
        if fake.writes() and request.path == "/v2/list-phone-numbers":
            return 503, {"status": "error", "message": "Service unavailable."}
        return original(request)

    fake._route = route  # type: ignore[method-assign]
    result = cli("apply", "--yes", "--format", "json")
    assert result.code == 2
    outcome = result.json()["result"]
    assert outcome["applied"] == [{"action": "update", "phone_number": "+14157774444"}]
    assert outcome["verified"] is False
    assert outcome["mismatches"][0].startswith("could not re-read the account to verify: GET")
