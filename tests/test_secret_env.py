"""``${NAME}`` in a config is expanded only for variables the user allowed, and never
for the tool's own credentials (S6)."""

from __future__ import annotations

from drift_support import SECRET_KEY, Cli, cli, fake  # noqa: F401  (fixtures)
from fake_retell import FakeRetell

TRUNK = (
    'phone_number: "+14157770001"\nphone_number_type: custom\n'
    "sip_outbound_trunk_config:\n  termination_uri: evil.example.com\n"
    "  auth_password: ${NAME}\n"
)


def test_api_key_reference_is_refused_and_nothing_is_sent(fake: FakeRetell, cli: Cli) -> None:  # noqa: F811
    fake.add_number("+14157770001", phone_number_type="custom")
    cli.write("retell/a.yaml", TRUNK.replace("NAME", "RETELL_API_KEY"))
    # Even listed, the tool's own key is never a trunk password.
    cli.write(".retell-lint.yaml", "apply:\n  secret_env: [RETELL_API_KEY]\n")
    result = cli("apply", "--yes", "--rotate-secrets")
    assert result.code == 2
    assert "$RETELL_API_KEY may not be sent as a secret" in result.err
    assert fake.writes() == []
    assert SECRET_KEY not in str(fake.passwords)


def test_unlisted_variable_is_refused_listed_and_prefixed_ones_are_sent(
    fake: FakeRetell,  # noqa: F811
    cli: Cli,  # noqa: F811
) -> None:
    fake.add_number("+14157770001", phone_number_type="custom")
    cli.monkeypatch.setenv("HOME_SECRET", "home-CANARY")
    cli.monkeypatch.setenv("RETELL_LINT_SECRET_TRUNK", "trunk-pw-1")
    cli.write("retell/a.yaml", TRUNK.replace("NAME", "HOME_SECRET"))
    refused = cli("apply", "--yes", "--rotate-secrets")
    assert refused.code == 2 and "$HOME_SECRET may not be sent" in refused.err
    assert fake.writes() == []
    cli.write("retell/a.yaml", TRUNK.replace("NAME", "RETELL_LINT_SECRET_TRUNK"))
    assert cli("apply", "--yes", "--rotate-secrets").code == 0
    assert fake.passwords == {"+14157770001": "trunk-pw-1"}
    cli.write("retell/a.yaml", TRUNK.replace("NAME", "HOME_SECRET"))
    cli.write(".retell-lint.yaml", "apply:\n  secret_env: [HOME_SECRET]\n")
    assert cli("apply", "--yes", "--rotate-secrets").code == 0
    assert fake.passwords == {"+14157770001": "home-CANARY"}
