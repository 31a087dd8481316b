"""RL501-RL507: webhook URLs and the SIP trunk."""

from __future__ import annotations

import pytest
from lint_helpers import BASE, lint_text, rows

HOOK = "inbound_webhook_url"
SMS_HOOK = "inbound_sms_webhook_url"


def webhook(url: str, name: str = HOOK) -> str:
    """BASE with the webhook on line 5; the URL starts at column len(name) + 3."""
    return BASE + f"{name}: {url}\n"


def trunk(*fields: str, kind: str = "custom") -> str:
    """BASE, phone_number_type on line 5, the trunk key on line 6, its fields from line 7."""
    text = BASE + f"phone_number_type: {kind}\nsip_outbound_trunk_config:\n"
    return text + "".join(f"  {field}\n" for field in fields)


SECURE = ("termination_uri: example.pstn.twilio.com", "auth_password: ${SIP_TRUNK_PASSWORD}")

# -- RL501 invalid-webhook-url -----------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "hooks.example.com/retell",  # no scheme
        "ftp://hooks.example.com/retell",
        "https://",  # no host
        "/retell/inbound",
        '"https://hooks.example.com:99999/retell"',  # port out of range
        '" https://hooks.example.com/retell"',  # leading space
        '"https://hooks.example.com/re tell"',
    ],
)
def test_rl501_not_an_absolute_http_url(url: str) -> None:
    findings = lint_text(webhook(url))
    assert rows(findings) == [("RL501", 5, 22, "error", HOOK)]
    assert "is not an absolute http(s) URL with a host" in findings[0].message


def test_rl501_sms_webhook_in_a_list_file() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            inbound_agents:
              - agent_id: a
                weight: 1
            inbound_sms_webhook_url: example.com
        """
    )
    assert rows(findings) == [("RL501", 6, 30, "error", f"phone_numbers[0].{SMS_HOOK}")]


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com/retell",
        "HTTPS://hooks.example.com/retell",
        "https://hooks.example.com:8443/retell?source=retell",
        "https://8.8.8.8/retell",
    ],
)
def test_rl501_near_misses(url: str) -> None:
    assert rows(lint_text(webhook(url))) == []


# -- RL502 insecure-webhook-url ----------------------------------------------------


@pytest.mark.parametrize(
    ("url", "name"),
    [("http://hooks.example.com/retell", HOOK), ("HTTP://hooks.example.com/sms", SMS_HOOK)],
)
def test_rl502_plain_http(url: str, name: str) -> None:
    findings = lint_text(webhook(url, name))
    assert rows(findings) == [("RL502", 5, len(name) + 3, "warning", name)]
    assert (
        findings[0].message == f"{name} uses http://: call details travel unencrypted; use https://"
    )


def test_rl502_near_misses() -> None:
    assert rows(lint_text(webhook("https://hooks.example.com/retell"))) == []
    # Not a URL at all: RL501's, not also "insecure".
    assert [f.rule for f in lint_text(webhook("http:/hooks.example.com"))] == ["RL501"]


# -- RL503 unreachable-webhook-url -------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://localhost:8080/retell", "localhost is a local name"),
        ("https://LOCALHOST/retell", "localhost is a local name"),
        ("https://printer.local/retell", "printer.local is a local name"),
        ("https://api.internal/retell", "api.internal is a local name"),
        ("https://127.0.0.1/retell", "127.0.0.1 is a loopback address"),
        ("https://[::1]/retell", "::1 is a loopback address"),
        ("https://10.1.2.3/retell", "10.1.2.3 is a private address"),
        ("https://192.168.1.20/retell", "192.168.1.20 is a private address"),
        ("https://172.16.0.5/retell", "172.16.0.5 is a private address"),
        ("https://[fc00::1]/retell", "fc00::1 is a private address"),
        ("https://169.254.10.1/retell", "169.254.10.1 is a link-local address"),
        ("https://[fe80::1]/retell", "fe80::1 is a link-local address"),
        ("https://0.0.0.0/retell", "0.0.0.0 is an unspecified address"),
    ],
)
def test_rl503_unreachable_host(url: str, reason: str) -> None:
    findings = lint_text(webhook(url))
    assert rows(findings) == [("RL503", 5, 22, "error", HOOK)]
    assert findings[0].message == (
        f"{HOOK} cannot be reached from Retell's servers: {reason}; use a public host"
    )


def test_rl503_with_http_is_also_rl502() -> None:
    findings = lint_text(webhook("http://127.0.0.1:3000/retell", SMS_HOOK))
    assert rows(findings) == [
        ("RL502", 5, 26, "warning", SMS_HOOK),
        ("RL503", 5, 26, "error", SMS_HOOK),
    ]


@pytest.mark.parametrize(
    "url",
    [
        "https://8.8.8.8/retell",  # a public address
        "https://local.example.com/retell",  # 'local' as a label, not the .local suffix
        "https://localhost.example.com/retell",
        "https://internal-hooks.example.com/retell",
        "https://[2001:4860:4860::8888]/retell",
    ],
)
def test_rl503_near_misses(url: str) -> None:
    assert rows(lint_text(webhook(url))) == []


# -- RL504 sip-config-on-managed-number --------------------------------------------


@pytest.mark.parametrize("kind", ["retell-twilio", "retell-telnyx"])
def test_rl504_trunk_on_a_managed_number_points_at_the_trunk_key(kind: str) -> None:
    findings = lint_text(trunk(*SECURE, "transport: TLS", kind=kind))
    assert rows(findings) == [("RL504", 6, 1, "warning", "sip_outbound_trunk_config")]
    assert findings[0].message.startswith(f"a SIP trunk is set on a {kind} number")


def test_rl504_empty_trunk_mapping_counts() -> None:
    text = BASE + "phone_number_type: retell-twilio\nsip_outbound_trunk_config: {}\n"
    assert rows(lint_text(text)) == [("RL504", 6, 1, "warning", "sip_outbound_trunk_config")]


@pytest.mark.parametrize(
    "text",
    [
        trunk(*SECURE, "transport: TLS", kind="custom"),
        # Type not given: nothing says the number is managed.
        BASE + "sip_outbound_trunk_config:\n  termination_uri: x.example.com\n  transport: TLS\n",
        BASE + "phone_number_type: retell-twilio\nsip_outbound_trunk_config: null\n",
        BASE + "phone_number_type: retell-twilio\n",
    ],
)
def test_rl504_near_misses(text: str) -> None:
    assert rows(lint_text(text)) == []


# -- RL505 invalid-sip-transport ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "hint"),
    [("SCTP", None), ("WSS", None), ("tls", "TLS"), ("Udp", "UDP"), ('" TCP"', "TCP")],
)
def test_rl505_unknown_transport(value: str, hint: str | None) -> None:
    findings = lint_text(trunk(*SECURE, f"transport: {value}"))
    assert rows(findings, "RL505") == [
        ("RL505", 9, 14, "error", "sip_outbound_trunk_config.transport")
    ]
    message = findings[0].message
    assert message.startswith("transport '")
    if hint is None:
        assert "write" not in message
    else:
        assert message.endswith(f"write '{hint}'")


@pytest.mark.parametrize("value", ["TLS", "null"])
def test_rl505_near_misses(value: str) -> None:
    assert rows(lint_text(trunk(*SECURE, f"transport: {value}"))) == []


# -- RL506 plaintext-secret --------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["hunter2", "$SIP TRUNK", '"${SIP_PASSWORD}x"', "${NOT VALID}", '"$1abc"']
)
def test_rl506_password_in_the_file(password: str) -> None:
    findings = lint_text(
        trunk("termination_uri: x.example.com", f"auth_password: {password}", "transport: TLS")
    )
    assert rows(findings) == [("RL506", 8, 18, "error", "sip_outbound_trunk_config.auth_password")]
    assert password.strip('"') not in findings[0].message  # the secret is never echoed


def test_rl506_in_a_list_file() -> None:
    findings = lint_text(
        """
        phone_numbers:
          - phone_number: "+14157774444"
            phone_number_type: custom
            inbound_agents:
              - agent_id: a
                weight: 1
            sip_outbound_trunk_config:
              auth_password: s3cret
              transport: TLS
        """
    )
    assert rows(findings) == [
        ("RL506", 8, 22, "error", "phone_numbers[0].sip_outbound_trunk_config.auth_password")
    ]


# $NAME is an environment reference just as ${NAME} is.
@pytest.mark.parametrize(
    "password", ["${SIP_TRUNK_PASSWORD}", "${_pw2}", "$SIP_TRUNK_PASSWORD", '""', "null", ""]
)
def test_rl506_near_misses(password: str) -> None:
    text = trunk("termination_uri: x.example.com", f"auth_password: {password}", "transport: TLS")
    assert rows(lint_text(text)) == []


# -- RL507 unencrypted-sip-transport -----------------------------------------------


@pytest.mark.parametrize("value", ["TCP", "UDP"])
def test_rl507_tcp_or_udp_is_info(value: str) -> None:
    findings = lint_text(trunk(*SECURE, f"transport: {value}"))
    assert rows(findings) == [("RL507", 9, 14, "info", "sip_outbound_trunk_config.transport")]
    assert findings[0].message.startswith(f"transport {value} sends SIP signalling unencrypted")


def test_rl507_near_misses() -> None:
    assert rows(lint_text(trunk(*SECURE, "transport: TLS"))) == []
    # A misspelt transport is RL505's, not also "unencrypted".
    assert [f.rule for f in lint_text(trunk(*SECURE, "transport: tcp"))] == ["RL505"]


# -- RL503: every spelling of a loopback, private or link-local address --------------


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.1", "127.0.0.1"),  # inet_aton: the last part fills the remaining bytes
        ("2130706433", "127.0.0.1"),  # one 32-bit number
        ("0x7f000001", "127.0.0.1"),  # hexadecimal
        ("0177.0.0.1", "127.0.0.1"),  # octal
        ("0x7f.1", "127.0.0.1"),
        ("[::ffff:127.0.0.1]", "127.0.0.1"),  # IPv4-mapped IPv6
        ("[::ffff:a9fe:a9fe]", "169.254.169.254"),  # the cloud metadata address, mapped
        ("10.0.258", "10.0.1.2"),
        ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254"),
    ],
)
def test_rl503_addresses_written_as_inet_aton_reads_them(host: str, address: str) -> None:
    findings = lint_text(webhook(f"https://{host}/retell"))
    assert rows(findings) == [("RL503", 5, 22, "error", HOOK)]
    assert "address" in findings[0].message


@pytest.mark.parametrize("host", ["localhost.", "anything.localhost", "a.b.localhost."])
def test_rl503_localhost_names(host: str) -> None:
    findings = lint_text(webhook(f"https://{host}/retell"))
    assert rows(findings) == [("RL503", 5, 22, "error", HOOK)]
    assert "is a local name" in findings[0].message


@pytest.mark.parametrize(
    "host",
    [
        "8.8.8.8",
        "134744072",  # 8.8.8.8 as one number: public
        "0x08080808",
        "1.2.3.4.5",  # five parts: a name, not an address
        "256.1.1.1",  # out of range: a name to resolve, not an address we can judge
        "08.1.1.1",  # not octal: a name
        "hooks.example.com",
    ],
)
def test_rl503_near_misses_in_other_spellings(host: str) -> None:
    assert rows(lint_text(webhook(f"https://{host}/retell")), "RL503") == []


# -- RL508 webhook-credentials -----------------------------------------------------


@pytest.mark.parametrize(
    ("url", "what"),
    [
        ("https://admin:s3cret@hooks.example.com/", "a user name and password"),
        ("https://bot:hunter2@hooks.example.org/retell", "a user name and password"),
        ("https://token@hooks.example.com/", "a user name"),
        ("https://:pw@hooks.example.com/", "a user name and password"),
    ],
)
def test_rl508_credentials_in_the_url(url: str, what: str) -> None:
    findings = lint_text(webhook(url, SMS_HOOK))
    assert rows(findings) == [("RL508", 5, 26, "error", SMS_HOOK)]
    assert what in findings[0].message
    assert "s3cret" not in findings[0].message and "hunter2" not in findings[0].message


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com/retell?user=a",
        "https://hooks.example.com/@retell",  # an @ in the path is not user information
        "https://hooks.example.com/retell#a:b@c",
    ],
)
def test_rl508_near_misses(url: str) -> None:
    assert rows(lint_text(webhook(url)), "RL508") == []


# -- The SIP trunk written with the API's flat request parameters (RL012) ------------


def flat(*lines: str, kind: str = "custom") -> str:
    """BASE, phone_number_type on line 5, flat parameters from line 6."""
    return BASE + f"phone_number_type: {kind}\n" + "".join(line + "\n" for line in lines)


def test_rl012_each_flat_parameter_is_known_and_says_where_it_belongs() -> None:
    findings = lint_text(
        flat(
            "termination_uri: trunk.pstn.twilio.com",
            "sip_trunk_auth_username: frontdesk",
            "sip_trunk_auth_password: ${SIP_TRUNK_PASSWORD}",
            "transport: TLS",
            "codecs: [PCMU]",
        )
    )
    assert rows(findings) == [
        ("RL012", 6, 1, "info", "termination_uri"),
        ("RL012", 7, 1, "info", "sip_trunk_auth_username"),
        ("RL012", 8, 1, "info", "sip_trunk_auth_password"),
        ("RL012", 9, 1, "info", "transport"),
        ("RL012", 10, 1, "info", "codecs"),
    ]
    assert "sip_outbound_trunk_config.auth_username" in findings[1].message


def test_flat_parameters_are_read_into_the_trunk() -> None:
    from lint_helpers import make_config, yaml_text

    from retell_lint import engine
    from retell_lint.source import Source

    text = flat("termination_uri: t.example.com", "auth_username: u", "codecs: [PCMU]")
    text += "sip_outbound_trunk_config:\n  transport: TLS\n"
    result = engine.lint_sources([Source("n.yaml", yaml_text(text))], make_config())
    trunk_config = result.numbers[0].config.sip_outbound_trunk_config
    assert trunk_config is not None
    assert (trunk_config.termination_uri, trunk_config.auth_username) == ("t.example.com", "u")
    assert (trunk_config.transport, trunk_config.codecs) == ("TLS", ["PCMU"])


@pytest.mark.parametrize(
    ("line", "rule", "column", "path"),
    [
        # Every value rule checks the flat position too, at the value as written.
        ("transport: tls", "RL505", 12, "transport"),
        ("auth_password: hunter2", "RL506", 16, "auth_password"),
        ("sip_trunk_auth_password: hunter2", "RL506", 26, "sip_trunk_auth_password"),
        ("transport: UDP", "RL507", 12, "transport"),
    ],
)
def test_value_rules_check_flat_parameters(line: str, rule: str, column: int, path: str) -> None:
    findings = lint_text(flat(line))
    assert (rule, 6, column, path) in [(f.rule, f.line, f.column, f.path) for f in findings]
    assert "hunter2" not in " ".join(f.message for f in findings)


def test_rl504_flat_parameters_on_a_bought_number_point_at_each_key() -> None:
    findings = lint_text(flat("codecs: [PCMU]", "transport: TLS", kind="retell-twilio"))
    # transport is a parameter of every write, for managed numbers too.
    assert rows(findings, "RL504") == [("RL504", 6, 1, "warning", "codecs")]


@pytest.mark.parametrize("kind", ["retell-twilio", "retell-telnyx"])
def test_rl504_transport_alone_is_fine_on_a_managed_number(kind: str) -> None:
    nested = BASE + f"phone_number_type: {kind}\nsip_outbound_trunk_config:\n  transport: TLS\n"
    assert rows(lint_text(nested), "RL504") == []
    assert rows(lint_text(flat("transport: TLS", kind=kind)), "RL504") == []


def test_rl012_the_same_setting_written_both_ways() -> None:
    findings = lint_text(
        flat(
            "auth_username: flat",
            "sip_trunk_auth_username: flat2",
            "sip_outbound_trunk_config:",
            "  auth_username: nested",
        )
    )
    # Different values: which one is meant cannot be known, so it is an error.
    assert rows(findings) == [
        ("RL012", 6, 1, "error", "auth_username"),
        ("RL012", 7, 1, "error", "sip_trunk_auth_username"),
    ]
    assert all("also set, to another value" in f.message for f in findings)


def test_rl012_the_same_value_written_both_ways_is_info() -> None:
    findings = lint_text(
        flat(
            "auth_username: same",
            "codecs: [PCMU, opus]",
            "sip_outbound_trunk_config:",
            "  auth_username: same",
            "  codecs: [PCMU, opus]",
        )
    )
    assert rows(findings) == [
        ("RL012", 6, 1, "info", "auth_username"),
        ("RL012", 7, 1, "info", "codecs"),
    ]
    assert all("(that value is used)" in f.message for f in findings)


def test_flat_parameter_of_the_wrong_type_is_rl004_at_its_value() -> None:
    findings = lint_text(flat("codecs: PCMU"))
    assert ("RL004", 6, 9, "error", "codecs") in rows(findings)
