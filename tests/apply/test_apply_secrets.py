"""Secret references: parsed, resolved from the environment, masked."""

from __future__ import annotations

import pytest

from retell_lint.apply.secrets import (
    masked,
    reference_name,
    refs_in,
    resolve_all,
    resolved,
    secret_ref,
)
from retell_lint.errors import FatalError


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("${TRUNK_PASSWORD}", "TRUNK_PASSWORD"),
        ("$TRUNK_PASSWORD", "TRUNK_PASSWORD"),
        (" ${_x1} ", "_x1"),
        ("hunter2", None),
        ("${1ABC}", None),
        ("$", None),
        ("${A}B", None),
        ("${A-default}", None),
        (None, None),
    ],
)
def test_reference_name(text: str | None, name: str | None) -> None:
    assert reference_name(text) == name


def test_resolve_names_every_missing_variable_and_never_a_value() -> None:
    bodies = [
        {"auth_password": secret_ref("A"), "nickname": {"from_env": "NOT_A_SECRET_FIELD"}},
        {"sip_trunk_auth_password": secret_ref("B")},
        {"auth_password": secret_ref("A")},
    ]
    assert refs_in(bodies) == ["A", "B"]
    with pytest.raises(FatalError) as caught:
        resolve_all(["A", "B", "C"], {"A": "value-a", "C": ""}, ["A", "B", "C"])
    assert str(caught.value).startswith("environment variables $B, $C not set")
    assert "value-a" not in str(caught.value)
    values = resolve_all(["A"], {"A": "value-a"}, ["A"])
    body = resolved(bodies[0], values)
    assert body["auth_password"] == "value-a"
    assert body["nickname"] == {"from_env": "NOT_A_SECRET_FIELD"}
    assert masked(body) == {"auth_password": "***", "nickname": {"from_env": "NOT_A_SECRET_FIELD"}}


def test_only_allowed_variables_are_expanded_and_never_the_api_key() -> None:
    environ = {
        "RETELL_API_KEY": "key_own",
        "HOME_TOKEN": "tok-CANARY-1",
        "RETELL_LINT_SECRET_TRUNK": "pw",
        "LISTED": "pw2",
    }
    assert resolve_all(["RETELL_LINT_SECRET_TRUNK", "LISTED"], environ, ["LISTED"]) == {
        "RETELL_LINT_SECRET_TRUNK": "pw",
        "LISTED": "pw2",
    }
    for name, allow in (("HOME_TOKEN", []), ("RETELL_API_KEY", ["RETELL_API_KEY"])):
        with pytest.raises(FatalError) as caught:
            resolve_all([name], environ, allow)
        assert f"${name} may not be sent as a secret" in str(caught.value)
        assert environ[name] not in str(caught.value)
