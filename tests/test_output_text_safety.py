"""Text from the API or from files on its way out: lone surrogates, secrets and
forged lines, in every report that echoes it (issue 16: C2, S2–S5, S7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bounded_run import run_cli
from drift_support import SECRET_KEY, fake  # noqa: F401  (fixture)
from fake_retell import FakeRetell
from hypothesis import given, settings
from hypothesis import strategies as st

DECLARED = 'phone_number: "+14157774444"\nnickname: Front desk\n'


def _env(server: FakeRetell) -> dict[str, str]:
    return {
        "RETELL_API_KEY": SECRET_KEY,
        "RETELL_BASE_URL": server.base_url,
        "RETELL_LINT_TIMEOUT": "10",
        "PYTHONIOENCODING": "utf-8",
    }


def _project(root: Path) -> None:
    (root / ".git").mkdir(exist_ok=True)
    (root / "retell").mkdir(exist_ok=True)
    (root / "retell" / "a.yaml").write_text(DECLARED, encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ["drift"],
        ["drift", "--format", "json"],
        ["drift", "--format", "markdown"],
        ["snapshot"],
        ["snapshot", "-o", "snap.json"],
        ["drift", "--format", "json", "-o", "drift.json"],
        ["plan"],
        ["plan", "--format", "json"],
    ],
)
def test_lone_surrogate_from_the_api_is_escaped_not_a_crash(
    fake: FakeRetell,  # noqa: F811
    tmp_path: Path,
    args: list[str],
) -> None:
    fake.add_number("+14157774444", nickname="desk \ud800 end")
    fake.add_number("+14157770001", nickname="other \udfff")
    _project(tmp_path)
    run = run_cli(args, tmp_path, env=_env(fake), timeout=30)
    assert run.code in (0, 1), run.err
    assert "Traceback" not in run.err and "UnicodeEncodeError" not in run.err
    written = [p for p in (tmp_path / "snap.json", tmp_path / "drift.json") if p.exists()]
    if written:
        run = run._replace(out=written[0].read_text(encoding="utf-8"))
    assert "\\ud800" in run.out
    if "json" in args or args[0] == "snapshot":
        import json

        # The escape is JSON's own: the report still parses, the value reads back.
        assert "desk \ud800 end" in json.dumps(json.loads(run.out), ensure_ascii=False)


# -- secrets written in files (S3, S5) ----------------------------------------------------

PASSWORD = "hunter2secretvalue"
FORMATS = ("text", "json", "concise", "github", "sarif", "junit")
# The password shares its line with a fixable finding (transport) and a policy quotes it.
FLOW = (
    'phone_number: "+14157774444"\nphone_number_type: custom\nnickname: Desk\n'
    "sip_outbound_trunk_config: {termination_uri: x.example.com, auth_username: retell, "
    f"auth_password: {PASSWORD}, transport: tls}}\n"
)
# Folded over two lines, and on a line far longer than a snippet.
FOLDED = (
    'phone_number: "+14157774444"\nphone_number_type: custom\nnickname: Desk\n'
    "sip_outbound_trunk_config:\n  termination_uri: x.example.com\n"
    "  auth_password: >-\n    hunter2\n    secretvalue\n  transport: tls\n"
)
LONG = (
    'phone_number: "+14157774444"\nphone_number_type: custom\nnickname: Desk\n'
    "sip_outbound_trunk_config: {termination_uri: x.example.com, auth_username: "
    + "u" * 280
    + f", auth_password: {PASSWORD}, transport: tls}}\n"
)
POLICY = """\
policies:
  - id: ACME001
    name: password-from-env
    message: the SIP password must come from the environment
    field: sip_outbound_trunk_config.auth_password
    require: {pattern: '^\\$'}
"""


@pytest.mark.parametrize("text", [FLOW, FOLDED, LONG], ids=["flow", "folded", "long-line"])
def test_sip_password_is_never_echoed(tmp_path: Path, text: str) -> None:
    (tmp_path / ".retell-lint.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "n.yaml").write_text(text, encoding="utf-8")
    runs = [run_cli(["check", "--format", f, "n.yaml"], tmp_path) for f in FORMATS]
    runs.append(run_cli(["check", "--diff", "--unsafe-fixes", "n.yaml"], tmp_path))
    for run in runs:
        assert run.code == 1, run.err
        for secret in ("hunter2", "secretvalue", PASSWORD[:10], PASSWORD[-10:]):
            assert secret not in run.out + run.err
    text_report, diff = runs[0].out, runs[-1].out
    assert "transport 'tls'" in text_report and "ACME001" in text_report
    assert "+" in diff and "transport: TLS" in diff


QUOTING = """\
policies:
  - id: ACME002
    name: no-hunter
    message: the SIP password is a guessable one
    field: sip_outbound_trunk_config.auth_password
    require: {not_pattern: hunter}
"""


def test_a_message_quoting_a_secret_is_masked_in_the_report_and_in_the_cache(
    tmp_path: Path,
) -> None:
    # The policy's message quotes the value; the cache keeps findings between runs, and
    # its folder is often uploaded as a CI cache: neither may hold the password.
    (tmp_path / ".retell-lint.yaml").write_text(QUOTING, encoding="utf-8")
    (tmp_path / "n.yaml").write_text(FLOW, encoding="utf-8")
    for _cold_then_warm in range(2):
        run = run_cli(["check", "--format", "json", "n.yaml"], tmp_path)
        assert run.code == 1, run.err
        assert "ACME002" in run.out and PASSWORD not in run.out + run.err
    cached = [path for path in (tmp_path / ".retell-lint-cache").rglob("*") if path.is_file()]
    assert cached
    for path in cached:
        assert PASSWORD.encode() not in path.read_bytes()


def test_secret_masking_keeps_references_and_other_values() -> None:
    from retell_lint.redact import file_secrets, mask_secrets

    text = (
        "sip_outbound_trunk_config:\n  auth_password: ${SIP_PASSWORD}\n"
        "  auth_username: hunter2secretvalue\nnickname: password\n"
    )
    assert file_secrets(text).values == ()
    assert mask_secrets(text) == text
    anchored = "a: &pw hunter2secretvalue\nsip_trunk_auth_password: *pw\n"
    assert "hunter2" not in mask_secrets(anchored)
    assert mask_secrets(anchored).count("\n") == 2


# -- file names in --diff and --stdin-filename (S2) ---------------------------------------

FIXABLE = (
    'phone_number: "+14157774444"\nnickname: Desk\nsip_outbound_trunk_config: {transport: tls}\n'
)
HOSTILE_NAME = "x\n+++ evil.yaml\n::error file=a.yaml::pwned\n.yaml"


def _assert_no_forged_lines(text: str, commands: bool = False) -> None:
    for line in text.splitlines():
        # The github format's own commands start lines; the name's never does.
        assert not line.startswith("::error file=a.yaml"), line
        assert commands or not line.startswith("::"), line
    assert sum(line.startswith("+++ ") for line in text.splitlines()) <= 1


def test_diff_file_name_cannot_forge_headers_or_workflow_commands(tmp_path: Path) -> None:
    (tmp_path / HOSTILE_NAME).write_text(FIXABLE, encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true"}
    run = run_cli(["check", "--diff", HOSTILE_NAME], tmp_path, env=env)
    assert run.code == 1, run.err
    assert "transport: TLS" in run.out
    _assert_no_forged_lines(run.out)
    _assert_no_forged_lines(run.err)
    assert "+++ b/x\\n+++ evil.yaml\\n::error" in run.out


def test_stdin_filename_cannot_forge_headers_or_workflow_commands(tmp_path: Path) -> None:
    env = {"GITHUB_ACTIONS": "true"}
    for args in (["--diff"], ["--format", "github"], []):
        run = run_cli(
            ["check", *args, "--stdin-filename", HOSTILE_NAME, "-"],
            tmp_path,
            env=env,
            stdin=FIXABLE.encode(),
        )
        assert run.code == 1, run.err
        # Under GitHub Actions the default format is github: its own commands start lines.
        _assert_no_forged_lines(run.out, commands="--diff" not in args)
        _assert_no_forged_lines(run.err)


# -- secrets in live data: drift, plan, snapshot (S4, S5, S7) ----------------------------

LIVE_SECRETS = ("hdrsecret", "x-auth-secret", "4321", "sippass", "zzzsecret", "t0ken")


def _seed_secret_live_data(server: FakeRetell) -> None:
    # The tool's own key, folded with a line break and spaces, and longer than any
    # snippet; a webhook with secret query parameters; header-like and SIP secrets.
    folded_key = SECRET_KEY[:12] + "\n  " + SECRET_KEY[12:30] + " " + SECRET_KEY[30:]
    server.add_number(
        "+14157774444",
        nickname="x" * 290 + folded_key,
        inbound_webhook_url="https://hooks.example.com/in?api_key=zzzsecret&token=t0ken&team=a",
        custom_headers={"X-Api-Key": "hdrsecret", "x-auth": "x-auth-secret"},
        header_list=[{"name": "X-Auth", "value": "x-auth-secret"}],
        voicemail_pin="4321",
        transfer_uri="sip:bob:sippass@pbx.example.com",
    )


@pytest.mark.parametrize(
    "args",
    [
        ["drift"],
        ["drift", "--format", "json"],
        ["drift", "--format", "markdown"],
        ["plan"],
        ["plan", "--format", "markdown"],
        ["snapshot"],
    ],
)
def test_secrets_in_live_values_are_redacted(
    fake: FakeRetell,  # noqa: F811
    tmp_path: Path,
    args: list[str],
) -> None:
    _seed_secret_live_data(fake)
    _project(tmp_path)
    (tmp_path / "retell" / "a.yaml").write_text(
        DECLARED + "inbound_webhook_url: https://hooks.example.com/in\n", encoding="utf-8"
    )
    run = run_cli(args, tmp_path, env=_env(fake), timeout=30)
    assert run.code in (0, 1), run.err
    out = run.out + run.err
    for piece in (SECRET_KEY[4:16], SECRET_KEY[12:30], SECRET_KEY[30:]):
        assert piece not in out
    for secret in LIVE_SECRETS:
        assert secret not in out, secret
    if args[0] != "snapshot":
        assert "***" in out and "team=a" in out  # what is not secret stays
    else:
        assert "pbx.example.com" in out and "sip:bob" in out


def test_baseline_file_messages_carry_no_secret(tmp_path: Path) -> None:
    (tmp_path / ".retell-lint.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "n.yaml").write_text(FOLDED, encoding="utf-8")
    run = run_cli(["check", "--write-baseline", "base.json", "n.yaml"], tmp_path)
    assert run.code in (0, 1), run.err
    written = (tmp_path / "base.json").read_text(encoding="utf-8")
    assert "ACME001" in written
    assert "hunter2" not in written and "secretvalue" not in written


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("pasPASsecrtkyoKinuhcdlCIN_- :\n\u212a\u017f\u0131\u0130é"),
        max_size=30,
    )
)
def test_the_quick_secret_test_agrees_with_the_pattern(text):
    # The substring test stands in for the case-insensitive pattern on ASCII text; it
    # must never miss what the pattern finds (a secret left unmasked) nor add to it.
    from retell_lint import redact

    expected = redact._MAYBE_SECRET.search(text) is not None
    assert redact._maybe_secret(text) is expected
    if redact.SECRET_NAME.search(text):
        assert redact._maybe_secret(text)
