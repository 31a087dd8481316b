"""``retell-lint export``: live numbers as config files; ``drift`` right after is empty."""

from __future__ import annotations

import json

import pytest
from drift_support import Cli
from fake_retell import FakeRetell
from hypothesis import example, given, settings
from hypothesis import strategies as st

from retell_lint.drift.export import number_yaml, yaml_scalar
from retell_lint.filestate import read_numbers
from retell_lint.source import Source


def seed_every_field(fake: FakeRetell) -> None:
    """Numbers with every field of the API's phone-number object set, in awkward forms."""
    fake.add_number(
        "+14157774444",
        phone_number_type="custom",
        nickname="Front desk: main line # 1",
        area_code=415,
        inbound_agents=[
            {"agent_id": "agent_frontdesk", "weight": 0.7, "agent_version": 3},
            {"agent_id": "agent_frontdesk", "weight": 0.2, "agent_version": "prod"},
            {"agent_id": "agent_overflow", "weight": 0.1},
        ],
        outbound_agents=[{"agent_id": "agent_out", "weight": 1.0, "agent_version": 0}],
        inbound_sms_agents=[
            {"agent_id": "agent_chat", "weight": 1, "agent_version": "latest_published"}
        ],
        outbound_sms_agents=[
            {"agent_id": "agent_chat", "weight": 0.5, "agent_version": 0},
            {"agent_id": "agent_chat", "weight": 0.5, "agent_version": 1},
        ],
        inbound_webhook_url="https://hooks.example.com/retell/in?team=a&x=1#frag",
        inbound_sms_webhook_url="https://hooks.example.com/retell/sms",
        allowed_inbound_country_list=["US", "CA", "NO"],
        allowed_outbound_country_list=["US"],
        fallback_number="+14155550123",
        sip_outbound_trunk_config={
            "termination_uri": "sip:trunk@sip.example.com;transport=tls",
            "auth_username": "trunk-user",
            "auth_password": "live-password-do-not-export",
            "transport": "TLS",
            "codecs": ["PCMU", "opus"],
        },
    )
    fake.add_number(
        "+442071234567",
        phone_number_type="retell-telnyx",
        nickname='yes "quoted" \\ back\tslash é ☎ 𝄞',
        inbound_agents=[{"agent_id": "no", "weight": 1.0, "agent_version": "123"}],
        allowed_inbound_country_list=["GB"],
    )
    fake.add_number("+14155550123", nickname="null")
    # An old saved state may still hold the legacy single-agent fields.
    fake.add_number("+14155550124", inbound_agent_id="agent_legacy", inbound_agent_version=2)


def test_export_then_drift_is_empty(fake: FakeRetell, cli: Cli) -> None:
    seed_every_field(fake)
    result = cli("export", "--out", "retell")
    assert result.code == 0, result.err
    assert result.out == "Wrote 4 files to retell (from the Retell API).\n"
    names = sorted(p.name for p in (cli.root / "retell").iterdir())
    assert names == [
        "14155550123.yaml",
        "14155550124.yaml",
        "14157774444.yaml",
        "442071234567.yaml",
    ]
    drift = cli("drift", "--format", "json", "--fail-on-unmanaged")
    assert drift.code == 0, drift.out + drift.err
    data = drift.json()
    assert data["summary"] == {
        "in_sync": 4,
        "changed": 0,
        "missing": 0,
        "unmanaged": 0,
        "ignored": 0,
        "unknown": 0,
        "ignored_fields": 0,
    }
    assert all(n["changes"] == [] for n in data["numbers"])
    text = cli("drift")
    assert text.out == (
        "Summary: 0 changed, 0 missing, 0 unmanaged, 4 in sync, 0 ignored; "
        "4 numbers compared with the Retell API.\n"
    )


def test_exported_file_shape(fake: FakeRetell, cli: Cli) -> None:
    seed_every_field(fake)
    assert cli("export", "--out", "out").code == 0
    text = (cli.root / "out" / "14157774444.yaml").read_text()
    header, body = text.split("\n\n", 1)
    assert header.startswith("# Exported by retell-lint ")
    assert "from the Retell API at 20" in header
    assert all(line.startswith("#") for line in header.splitlines())
    assert body == (
        'phone_number: "+14157774444"\n'
        "phone_number_type: custom\n"
        'nickname: "Front desk: main line # 1"\n'
        "area_code: 415\n"
        "inbound_agents:\n"
        "  - agent_id: agent_frontdesk\n"
        "    weight: 0.7\n"
        "    agent_version: 3\n"
        "  - agent_id: agent_frontdesk\n"
        "    weight: 0.2\n"
        "    agent_version: prod\n"
        "  - agent_id: agent_overflow\n"
        "    weight: 0.1\n"
        "outbound_agents:\n"
        "  - agent_id: agent_out\n"
        "    weight: 1.0\n"
        "    agent_version: 0\n"
        "inbound_sms_agents:\n"
        "  - agent_id: agent_chat\n"
        "    weight: 1\n"
        "    agent_version: latest_published\n"
        "outbound_sms_agents:\n"
        "  - agent_id: agent_chat\n"
        "    weight: 0.5\n"
        "    agent_version: 0\n"
        "  - agent_id: agent_chat\n"
        "    weight: 0.5\n"
        "    agent_version: 1\n"
        'allowed_inbound_country_list: [US, CA, "NO"]\n'
        "allowed_outbound_country_list: [US]\n"
        'inbound_webhook_url: "https://hooks.example.com/retell/in?team=a&x=1#frag"\n'
        'inbound_sms_webhook_url: "https://hooks.example.com/retell/sms"\n'
        'fallback_number: "+14155550123"\n'
        "sip_outbound_trunk_config:\n"
        '  termination_uri: "sip:trunk@sip.example.com;transport=tls"\n'
        "  auth_username: trunk-user\n"
        "  transport: TLS\n"
        "  codecs: [PCMU, opus]\n"
    )
    # Computed fields and secrets are left out.
    everything = "".join(p.read_text() for p in (cli.root / "out").iterdir())
    for absent in ("last_modification_timestamp", "phone_number_pretty", "do-not-export"):
        assert absent not in everything
    legacy = (cli.root / "out" / "14155550124.yaml").read_text()
    assert "inbound_agents:\n  - agent_id: agent_legacy\n    weight: 1\n" in legacy
    assert "inbound_agent_id" not in legacy.split("\n\n", 1)[1]


def test_exported_files_read_without_reader_problems(fake: FakeRetell, cli: Cli) -> None:
    seed_every_field(fake)
    assert cli("export", "--out", "retell").code == 0
    result = cli("check", "--format", "json", "retell")
    reader_rules = {"RL001", "RL002", "RL003", "RL004", "RL005", "RL007", "RL008"}
    findings = json.loads(result.out)["findings"]
    assert [f for f in findings if f["rule"] in reader_rules] == []


def test_export_into_the_tree_skips_numbers_it_declares(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="Front desk")
    fake.add_number("+14157770001", nickname="Sales")
    fake.add_number("+14157770002", nickname="Support")
    cli.write("retell/front.yaml", 'phone_number: "+14157774444"\nnickname: Front desk\n')
    for args, wrote in (((), 2), (("--force",), 2)):
        result = cli("export", *args)
        assert result.code == 0, result.err
        assert result.out.splitlines()[0] == f"Wrote {wrote} files to retell (from the Retell API)."
        assert "Skipped 1 number already declared in the configured tree: " in result.out
        assert "+14157774444 (retell/front.yaml:1)" in result.out
        # Declared in another file: never written again, not even with --force.
        assert not (cli.root / "retell" / "14157774444.yaml").exists()
    # The tree holds each number once and lints with nothing above info.
    check = cli("check", "--format", "json")
    findings = check.json()["findings"]
    assert [f for f in findings if f["severity"] != "info"] == [], findings
    drift = cli("drift", "--format", "json", "--fail-on-unmanaged")
    assert drift.code == 0 and drift.json()["summary"]["in_sync"] == 3


def test_export_again_skips_or_refreshes_its_own_files(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="First")
    assert cli("export").code == 0  # default folder: retell, inside the configured tree
    fake.add_number("+14157774444", nickname="Second")
    fake.add_number("+14157770001")
    result = cli("export")
    assert result.code == 0, result.err
    assert result.out.startswith("Wrote 1 file to retell")
    assert "+14157774444 (retell/14157774444.yaml:6)" in result.out
    assert "First" in (cli.root / "retell" / "14157774444.yaml").read_text()
    assert (cli.root / "retell" / "14157770001.yaml").exists()
    # --force rewrites the file that declares the number from the live state.
    result = cli("export", "--force")
    assert result.code == 0, result.err
    assert result.out.startswith("Wrote 2 files to retell")
    assert "Second" in (cli.root / "retell" / "14157774444.yaml").read_text()


def test_export_refuses_to_overwrite_without_force(fake: FakeRetell, cli: Cli) -> None:
    # "out" is outside the configured tree: its files declare nothing, so only the
    # existing files stop the export.
    fake.add_number("+14157774444", nickname="First")
    assert cli("export", "--out", "out").code == 0
    fake.add_number("+14157774444", nickname="Second")
    fake.add_number("+14157770001")
    result = cli("export", "--out", "out")
    assert result.code == 2
    assert "refusing to overwrite out/14157774444.yaml; use --force" in result.err
    assert not (cli.root / "out" / "14157770001.yaml").exists()
    assert "First" in (cli.root / "out" / "14157774444.yaml").read_text()
    result = cli("export", "--out", "out", "--force")
    assert result.code == 0
    assert "Second" in (cli.root / "out" / "14157774444.yaml").read_text()
    assert (cli.root / "out" / "14157770001.yaml").exists()


def test_export_never_writes_through_a_link(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="Front desk")
    (cli.root / "out").mkdir()
    (cli.root / "victim").mkdir()
    link = cli.root / "out" / "14157774444.yaml"
    link.symlink_to("../victim/x")  # dangling: writing through it would create victim/x
    for args in ((), ("--force",)):
        result = cli("export", "--out", "out", *args)
        assert result.code == 2
        assert "symbolic link" in result.err
        assert not (cli.root / "victim" / "x").exists()
        assert link.is_symlink()
    # A link to an existing file is not overwritten through either.
    (cli.root / "victim" / "x").write_text("keep\n")
    assert cli("export", "--out", "out", "--force").code == 2
    assert (cli.root / "victim" / "x").read_text() == "keep\n"
    # Nor is a linked output folder written into.
    (cli.root / "linked").symlink_to("victim")
    result = cli("export", "--out", "linked")
    assert result.code == 2 and "symbolic link" in result.err
    assert sorted(p.name for p in (cli.root / "victim").iterdir()) == ["x"]


def test_export_leaves_no_temporary_files(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444", nickname="Front desk")
    fake.add_number("+14157770001", nickname="Sales")
    assert cli("export", "--out", "out").code == 0
    assert cli("export", "--out", "out", "--force").code == 0
    names = sorted(p.name for p in (cli.root / "out").iterdir())
    assert names == ["14157770001.yaml", "14157774444.yaml"]


def test_export_header_is_one_line_whatever_the_snapshot_says(
    fake: FakeRetell, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.add_number("+14157774444", nickname="Front desk")
    assert cli("snapshot", "-o", "state.json").code == 0
    data = json.loads((cli.root / "state.json").read_text())
    data["taken_at"] = "2026-11-26\nnickname: injected\rarea_code: 999\u2028x: 1\x1b]0;t\x07"
    hostile = "state\ninbound_webhook_url: evil\n.json"
    (cli.root / hostile).write_text(json.dumps(data))
    monkeypatch.delenv("RETELL_API_KEY")
    result = cli("export", "--out", "out", "--live-state", hostile)
    assert result.code == 0, result.err
    text = (cli.root / "out" / "14157774444.yaml").read_text()
    header = text.split("\n\n", 1)[0]
    assert all(line.startswith("# ") for line in header.splitlines())
    assert "nickname: injected" in header.splitlines()[0]
    assert "\x1b" not in text and "\r" not in text and "\u2028" not in text
    doc = read_numbers(Source("x.yaml", text))
    assert doc.hits == []
    config = doc.numbers[0].config
    assert config.nickname == "Front desk"
    assert config.area_code == 415 and config.inbound_webhook_url is None


def test_export_from_live_state_needs_no_key(
    fake: FakeRetell, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_every_field(fake)
    assert cli("snapshot", "-o", "state.json").code == 0
    monkeypatch.delenv("RETELL_API_KEY")
    fake.numbers.clear()
    result = cli("export", "--out", "retell", "--live-state", "state.json")
    assert result.code == 0, result.err
    assert "(from state.json)" in result.out
    text = (cli.root / "retell" / "14157774444.yaml").read_text()
    assert "from the live state in state.json (taken at 20" in text
    drift = cli("drift", "--live-state", "state.json", "--format", "json")
    assert drift.code == 0 and drift.json()["summary"]["in_sync"] == 4


def test_export_fails_cleanly_on_api_error(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444")
    fake.fail_next(500, count=20)
    result = cli("export", "--out", "retell")
    assert result.code == 2 and result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert not (cli.root / "retell").exists()


def test_export_out_must_be_a_folder(fake: FakeRetell, cli: Cli) -> None:
    fake.add_number("+14157774444")
    (cli.root / "afile").write_text("x")
    result = cli("export", "--out", "afile")
    assert result.code == 2


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "yes",
        "No",
        "null",
        "~",
        "123",
        "1e3",
        "0x1F",
        "-",
        "a: b",
        "#x",
        " pad ",
        "",
        "_",
        "__",
        "_1",
    ],
)
def test_scalars_that_would_be_misread_are_quoted(value: str) -> None:
    text = f'phone_number: "+14157774444"\nnickname: {yaml_scalar(value)}\n'
    doc = read_numbers(Source("x.yaml", text))
    assert doc.hits == []
    assert doc.numbers[0].config.nickname == value
    if value == "plain":
        assert yaml_scalar(value) == "plain"


def test_unset_values_are_not_exported() -> None:
    live: dict[str, object] = {
        "phone_number": "+14157774444",
        "nickname": "",
        "inbound_agents": [],
        "area_code": None,
    }
    assert number_yaml(live, []) == 'phone_number: "+14157774444"\n'


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
@example("A\n")  # `$` matches before a final line break: the plain form would drop it
def test_any_string_survives_the_round_trip(value: str) -> None:
    text = f"phone_number: {yaml_scalar('+14157774444')}\nnickname: {yaml_scalar(value)}\n"
    doc = read_numbers(Source("x.yaml", text))
    assert [h for h in doc.hits if h.rule in ("RL001", "RL004", "RL007")] == []
    assert doc.numbers[0].config.nickname == value
