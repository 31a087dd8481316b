"""Before/after texts of every fix, shared by the value and structure fix tests.

Each case: (id, rule fixed, text before, text after, with --unsafe-fixes). The
tests run each case as written (LF), with CRLF line ends, and as a file with a
byte-order mark through the command line.
"""

from __future__ import annotations

from typing import NamedTuple

AGENT = "inbound_agents:\n  - agent_id: agent_a\n    weight: 1\n"
CUSTOM = 'phone_number: "+14155550123"\nphone_number_type: custom\n' + AGENT


class Case(NamedTuple):
    id: str
    rule: str
    before: str
    after: str
    unsafe: bool = False


VALUE_CASES = [
    Case(
        "rl007-block-keeps-plus-and-comment",
        "RL007",
        "phone_number: +14155550123  # main line\n" + AGENT,
        'phone_number: "+14155550123"  # main line\n' + AGENT,
    ),
    Case(
        "rl007-flow-agent-id",
        "RL007",
        '{phone_number: "+14155550123", inbound_agents: [{agent_id: 12345, weight: 1}]}\n',
        '{phone_number: "+14155550123", inbound_agents: [{agent_id: "12345", weight: 1}]}\n',
    ),
    Case(
        "rl007-fallback",
        "RL007",
        'phone_number: "+14155550123"\n' + AGENT + "fallback_number: +14155550199\n",
        'phone_number: "+14155550123"\n' + AGENT + 'fallback_number: "+14155550199"\n',
    ),
    Case(
        "rl013-norway-and-version-tag",
        "RL013",
        'phone_number: "+4721234567"\n'
        "inbound_agents:\n  - agent_id: agent_a\n    weight: 1\n    agent_version: on\n"
        "allowed_inbound_country_list: [NO, US]   # Norway first\n",
        'phone_number: "+4721234567"\n'
        'inbound_agents:\n  - agent_id: agent_a\n    weight: 1\n    agent_version: "on"\n'
        'allowed_inbound_country_list: ["NO", US]   # Norway first\n',
    ),
    Case(
        "rl101-pretty-number",
        "RL101",
        'phone_number: "+1 (415) 555-0123"   # as the dashboard shows it\n' + AGENT,
        'phone_number: "+14155550123"   # as the dashboard shows it\n' + AGENT,
    ),
    Case(
        "rl101-single-quoted-international",
        "RL101",
        "phone_number: '+44 20 7946 0958'\n" + AGENT,
        "phone_number: '+442079460958'\n" + AGENT,
    ),
    Case(
        "rl403-national-fallback-in-own-region",
        "RL403",
        'phone_number: "+14155550123"\n' + AGENT + "fallback_number: (415) 555-0199\n",
        'phone_number: "+14155550123"\n' + AGENT + 'fallback_number: "+14155550199"\n',
    ),
    Case(
        "rl201-lower-case-block",
        "RL201",
        'phone_number: "+14155550123"\n' + AGENT + "allowed_inbound_country_list:\n"
        "  - us\n"
        '  - "ca"  # Canada\n',
        'phone_number: "+14155550123"\n' + AGENT + "allowed_inbound_country_list:\n"
        "  - US\n"
        '  - "CA"  # Canada\n',
    ),
    Case(
        "rl201-lower-case-already-listed-is-removed",
        "RL201",
        'phone_number: "+14155550123"\n' + AGENT + "allowed_outbound_country_list: [US, us]\n",
        'phone_number: "+14155550123"\n' + AGENT + "allowed_outbound_country_list: [US]\n",
    ),
    Case(
        "rl201-aliases-unsafe",
        "RL201",
        'phone_number: "+14155550123"\n' + AGENT + "allowed_inbound_country_list: [USA, UK, no]\n",
        'phone_number: "+14155550123"\n' + AGENT + 'allowed_inbound_country_list: [US, GB, "NO"]\n',
        True,
    ),
    Case(
        "rl505-flow-quoted",
        "RL505",
        CUSTOM + "sip_outbound_trunk_config: "
        '{termination_uri: x.pstn.twilio.com, transport: "tls"}\n',
        CUSTOM + "sip_outbound_trunk_config: "
        '{termination_uri: x.pstn.twilio.com, transport: "TLS"}\n',
    ),
    Case(
        "rl505-block",
        "RL505",
        CUSTOM + "sip_outbound_trunk_config:\n"
        "  termination_uri: x.pstn.twilio.com\n  transport: tls # encrypted\n",
        CUSTOM + "sip_outbound_trunk_config:\n"
        "  termination_uri: x.pstn.twilio.com\n  transport: TLS # encrypted\n",
    ),
    Case(
        "rl301-single-agent",
        "RL301",
        'phone_number: "+14155550123"\ninbound_agents:\n  - agent_id: agent_a\n'
        "    weight: 0.5   # was half\n",
        'phone_number: "+14155550123"\ninbound_agents:\n  - agent_id: agent_a\n'
        "    weight: 1   # was half\n",
    ),
    Case(
        "rl301-scaled-unsafe-flow",
        "RL301",
        'phone_number: "+14155550123"\n'
        "inbound_agents: [{agent_id: agent_a, weight: 0.5}, {agent_id: agent_b, weight: 0.3}]\n",
        'phone_number: "+14155550123"\n'
        "inbound_agents: [{agent_id: agent_a, weight: 0.625}, "
        "{agent_id: agent_b, weight: 0.375}]\n",
        True,
    ),
    Case(
        "rl301-thirds-unsafe",
        "RL301",
        'phone_number: "+14155550123"\ninbound_agents:\n'
        "  - {agent_id: agent_a, weight: 1}\n  - {agent_id: agent_b, weight: 1}\n"
        "  - {agent_id: agent_c, weight: 1}\n",
        'phone_number: "+14155550123"\ninbound_agents:\n'
        "  - {agent_id: agent_a, weight: 0.333333}\n  - {agent_id: agent_b, weight: 0.333333}\n"
        "  - {agent_id: agent_c, weight: 0.333334}\n",
        True,
    ),
]

STRUCTURE_CASES = [
    Case(
        "rl006-block-keeps-comments-around",
        "RL006",
        "# the front desk\n"
        'phone_number: "+14155550123"\n'
        "# pasted from the API:\n"
        'phone_number_pretty: "+1 (415) 555-0123"   # read-only\n'
        "last_modification_timestamp: 1703413636133\n"
        "\n" + AGENT,
        '# the front desk\nphone_number: "+14155550123"\n# pasted from the API:\n\n' + AGENT,
    ),
    Case(
        "rl006-flow",
        "RL006",
        '{phone_number: "+14155550123", phone_number_pretty: x, inbound_agents: [{agent_id: a, '
        "weight: 1}]}\n",
        '{phone_number: "+14155550123", inbound_agents: [{agent_id: a, weight: 1}]}\n',
    ),
    Case(
        "rl006-flow-first-entry",
        "RL006",
        '{phone_number_pretty: x, phone_number: "+14155550123", inbound_agents: [{agent_id: a, '
        "weight: 1}]}\n",
        '{phone_number: "+14155550123", inbound_agents: [{agent_id: a, weight: 1}]}\n',
    ),
    Case(
        "rl202-flow",
        "RL202",
        'phone_number: "+14155550123"\n' + AGENT + "allowed_inbound_country_list: [US, CA, US]\n",
        'phone_number: "+14155550123"\n' + AGENT + "allowed_inbound_country_list: [US, CA]\n",
    ),
    Case(
        "rl202-block",
        "RL202",
        'phone_number: "+14155550123"\n' + AGENT + "allowed_inbound_country_list:\n"
        "  - US\n  # neighbours\n  - CA\n  - US  # again\n",
        'phone_number: "+14155550123"\n' + AGENT + "allowed_inbound_country_list:\n"
        "  - US\n  # neighbours\n  - CA\n",
    ),
    Case(
        "rl304-shadowed-id-and-version",
        "RL304",
        'phone_number: "+14155550123"\n'
        + AGENT
        + "inbound_agent_id: agent_old   # before the list\n"
        + "inbound_agent_version: 2\n"
        + "nickname: Front desk\n",
        'phone_number: "+14155550123"\n' + AGENT + "nickname: Front desk\n",
    ),
    Case(
        "rl009-migrate-block",
        "RL009",
        "# reception\n"
        'phone_number: "+14155550123"\n'
        "inbound_agent_version: 3\n"
        "inbound_agent_id: agent_a  # front desk\n"
        'outbound_agent_id: "agent_b"\n'
        "nickname: Front desk\n",
        "# reception\n"
        'phone_number: "+14155550123"\n'
        "inbound_agents:\n"
        "  - agent_id: agent_a\n"
        "    weight: 1\n"
        "    agent_version: 3  # front desk\n"
        "outbound_agents:\n"
        '  - agent_id: "agent_b"\n'
        "    weight: 1\n"
        "nickname: Front desk\n",
    ),
    Case(
        "rl009-migrate-in-a-number-list-indentless",
        "RL009",
        "phone_numbers:\n"
        '- phone_number: "+14155550123"\n'
        "  inbound_sms_agent_id: agent_sms\n"
        "  inbound_agents:\n"
        "  - agent_id: agent_a\n"
        "    weight: 1\n",
        "phone_numbers:\n"
        '- phone_number: "+14155550123"\n'
        "  inbound_sms_agents:\n"
        "  - agent_id: agent_sms\n"
        "    weight: 1\n"
        "  inbound_agents:\n"
        "  - agent_id: agent_a\n"
        "    weight: 1\n",
    ),
    Case(
        "rl009-migrate-flow",
        "RL009",
        '{phone_number: "+14155550123", inbound_agent_id: agent_a, inbound_agent_version: 3}\n',
        '{phone_number: "+14155550123", inbound_agents: [{agent_id: agent_a, weight: 1, '
        "agent_version: 3}]}\n",
    ),
    Case(
        "rl009-rename-country-lists",
        "RL009",
        'phone_number: "+14155550123"\n'
        + AGENT
        + "inbound_allowed_countries: [US, CA]  # North America\n"
        + "outbound_allowed_countries:\n  - US\n",
        'phone_number: "+14155550123"\n'
        + AGENT
        + "allowed_inbound_country_list: [US, CA]  # North America\n"
        + "allowed_outbound_country_list:\n  - US\n",
    ),
    Case(
        "rl012-new-container",
        "RL012",
        'phone_number: "+14155550123"\nphone_number_type: custom\n'
        + AGENT
        + "transport: TLS  # encrypted\n"
        + "termination_uri: x.pstn.twilio.com\n",
        'phone_number: "+14155550123"\nphone_number_type: custom\n'
        + AGENT
        + "sip_outbound_trunk_config:\n"
        + "  transport: TLS  # encrypted\n"
        + "  termination_uri: x.pstn.twilio.com\n",
    ),
    Case(
        "rl012-existing-block-container",
        "RL012",
        'phone_number: "+14155550123"\nphone_number_type: custom\n'
        + AGENT
        + "sip_outbound_trunk_config:\n"
        + "    termination_uri: x.pstn.twilio.com\n"
        + "    # credentials below\n"
        + "sip_trunk_auth_username: bob   # the trunk user\n",
        'phone_number: "+14155550123"\nphone_number_type: custom\n'
        + AGENT
        + "sip_outbound_trunk_config:\n"
        + "    termination_uri: x.pstn.twilio.com\n"
        + "    auth_username: bob   # the trunk user\n"
        + "    # credentials below\n",
    ),
    Case(
        "rl012-flow",
        "RL012",
        '{phone_number: "+14155550123", phone_number_type: custom, inbound_agents: [{agent_id: a, '
        "weight: 1}], sip_outbound_trunk_config: {termination_uri: x.pstn.twilio.com}, "
        "codecs: [PCMU]}\n",
        '{phone_number: "+14155550123", phone_number_type: custom, inbound_agents: [{agent_id: a, '
        "weight: 1}], sip_outbound_trunk_config: {termination_uri: x.pstn.twilio.com, "
        "codecs: [PCMU]}}\n",
    ),
    Case(
        "rl012-duplicate-flat-removed",
        "RL012",
        'phone_number: "+14155550123"\nphone_number_type: custom\n'
        + AGENT
        + "sip_outbound_trunk_config:\n  transport: TLS\n"
        + "transport: TLS\n",
        'phone_number: "+14155550123"\nphone_number_type: custom\n'
        + AGENT
        + "sip_outbound_trunk_config:\n  transport: TLS\n",
    ),
    Case(
        "rl010-whole-comment-and-one-id",
        "RL010",
        'phone_number: "+14155550123"  # retell-lint: ignore[RL006, RL301] pasted\n'
        + AGENT
        + "# retell-lint: ignore[RL009]\n"
        + "nickname: Front desk\n"
        + "phone_number_pretty: x  # retell-lint: ignore[RL006, RL201] read-only, kept\n",
        'phone_number: "+14155550123"\n'
        + AGENT
        + "nickname: Front desk\n"
        + "phone_number_pretty: x  # retell-lint: ignore[RL006] read-only, kept\n",
    ),
]
