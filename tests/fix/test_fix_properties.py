"""Property tests of --fix: generated clean configs (the benchmark's generator) with
fixable defects injected. After fixing, every injected finding is gone, no other
finding appears, the parsed model equals the clean one, every comment survives, and
a second --fix changes nothing. The same holds with CRLF line ends."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_clean_corpus import load_generator

from retell_lint.config import Config
from retell_lint.engine import lint_sources
from retell_lint.fix.apply import fix_text
from retell_lint.source import Source

GENERATOR = load_generator()
CONFIG = Config(root=Path.cwd())
SINGLE = r"  - agent_id: (\S+)\n    weight: 1\.0\n    agent_version: (\S+)\n(?!  - )"


def _sub(pattern: str, replacement: str | Callable[[re.Match[str]], str]) -> Injection:
    def inject(text: str) -> str | None:
        new, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
        return new if count else None

    return inject


Injection = Callable[[str], "str | None"]


def _dup_last_country(text: str) -> str | None:
    match = re.search(r"^allowed_inbound_country_list: \[(.*)\]$", text, re.MULTILINE)
    if match is None:
        return None
    codes = match.group(1).split(", ")
    return text[: match.end(1)] + f", {codes[-1]}" + text[match.end(1) :]


def _flat_termination(text: str) -> str | None:
    match = re.search(r"^  termination_uri: (\S+)\n", text, re.MULTILINE)
    if match is None:
        return None
    return text[: match.start()] + text[match.end() :] + f"termination_uri: {match.group(1)}\n"


def _read_only(text: str) -> str | None:
    match = re.search(r'^phone_number: "\+1(\d{3})(\d{3})(\d{4})"\n', text, re.MULTILINE)
    if match is None:
        return None
    pretty = f'phone_number_pretty: "+1 ({match.group(1)}) {match.group(2)}-{match.group(3)}"\n'
    return text[: match.end()] + pretty + text[match.end() :] + "last_modification_timestamp: 1\n"


# name -> (injection, rules it must raise). Applied in this order.
INJECTIONS: dict[str, tuple[Injection, set[str]]] = {
    "dup-country": (_dup_last_country, {"RL202"}),
    "lower-country": (_sub(r"^(allowed_inbound_country_list: \[)US", r"\1us"), {"RL201"}),
    "read-only": (_read_only, {"RL006"}),
    "rename-country-list": (
        _sub(r"^allowed_outbound_country_list:", "outbound_allowed_countries:"),
        {"RL009"},
    ),
    "migrate-agent": (
        _sub(r"^inbound_agents:\n" + SINGLE, r"inbound_agent_id: \1\ninbound_agent_version: \2\n"),
        {"RL009"},
    ),
    "single-weight": (
        _sub(
            r"^(outbound_agents:\n  - agent_id: \S+\n    weight: )1\.0\n"
            r"(?=    agent_version: \S+\n(?!  - ))",
            r"\g<1>0.5\n",
        ),
        {"RL301"},
    ),
    "lower-transport": (_sub(r"^  transport: TLS$", "  transport: tls"), {"RL505"}),
    "flat-sip": (_flat_termination, {"RL012"}),
    "unused-suppression": (
        _sub(r"^(nickname: .*)$", r"\1  # retell-lint: ignore[RL006]"),
        {"RL010"},
    ),
    "fallback-pretty": (
        _sub(r'^fallback_number: "\+1(\d{3})(\d{3})(\d{4})"$', r'fallback_number: "+1 (\1) \2-\3"'),
        {"RL403"},
    ),
}
PHONE_DEFECTS: dict[str, tuple[Injection, set[str]]] = {
    "unquote-phone": (_sub(r'^phone_number: "(\+\d+)"$', r"phone_number: \1"), {"RL007"}),
    "pretty-phone": (
        _sub(r'^phone_number: "\+1(\d{3})(\d{3})(\d{4})"$', r'phone_number: "+1 \1-\2-\3"'),
        {"RL101"},
    ),
}
SHADOWED: tuple[Injection, set[str]] = (
    _sub(r"^inbound_agents:$", "inbound_agent_id: agent_shadow  # old\ninbound_agents:"),
    {"RL304", "RL009"},
)


def _with_comments(text: str) -> str:
    """The clean config with comments beside and between the fields."""
    text = re.sub(r"^(phone_number_type: .*)$", r"\1   # how it was bought", text, flags=re.M)
    return re.sub(r"^inbound_agents:$", "# who answers\ninbound_agents:", text, flags=re.M)


def _lint(text: str) -> tuple[list[object], object]:
    result = lint_sources([Source("retell/n.yaml", text)], CONFIG)
    assert len(result.numbers) == 1
    return result.findings, result.numbers[0].config


def _comments(text: str) -> list[str]:
    return [line[line.index("#") :] for line in text.splitlines() if "#" in line]


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    seed=st.integers(min_value=0, max_value=10_000),
    chosen=st.sets(st.sampled_from(sorted(INJECTIONS)), min_size=1),
    phone=st.sampled_from(["", *sorted(PHONE_DEFECTS)]),
    shadowed=st.booleans(),
    crlf=st.booleans(),
)
def test_fix_removes_injected_defects_and_nothing_else(
    seed: int, chosen: set[str], phone: str, shadowed: bool, crlf: bool
) -> None:
    ((_name, generated),) = GENERATOR.generate_configs(1, seed=seed)
    clean = _with_comments(generated)
    clean_findings, clean_model = _lint(clean)
    assert clean_findings == []
    dirty = clean
    expected: set[str] = set()
    steps = [INJECTIONS[name] for name in sorted(INJECTIONS) if name in chosen]
    if phone:
        steps.append(PHONE_DEFECTS[phone])
    if shadowed and "migrate-agent" not in chosen:
        steps.append(SHADOWED)
    for inject, rules in steps:
        changed = inject(dirty)
        if changed is not None:
            dirty = changed
            expected |= rules
    assume(dirty != clean)
    if crlf:
        clean, dirty = clean.replace("\n", "\r\n"), dirty.replace("\n", "\r\n")
    dirty_findings, _model = _lint(dirty)
    found = {finding.rule for finding in dirty_findings}  # type: ignore[attr-defined]
    # Each injection raises its rules (a repeat of a code that is lower-cased is not yet
    # a repeat: RL202 compares real codes only), and nothing else.
    assert found and found <= expected, (expected, found, dirty)
    assert expected - {"RL202"} <= found, (expected, found, dirty)

    outcome = fix_text("retell/n.yaml", dirty, dirty_findings, CONFIG, unsafe=False)  # type: ignore[arg-type]
    assert outcome.error is None, dirty
    fixed_findings, fixed_model = _lint(outcome.text)
    assert fixed_findings == [], (dirty, outcome.text)
    assert fixed_model == clean_model, (dirty, outcome.text)
    for comment in _comments(clean):
        assert comment in outcome.text, (comment, outcome.text)
    if crlf:
        assert "\n" not in outcome.text.replace("\r\n", "")

    again = fix_text("retell/n.yaml", outcome.text, [], CONFIG, unsafe=False)
    assert again.text == outcome.text
    second = fix_text("retell/n.yaml", outcome.text, fixed_findings, CONFIG, unsafe=True)  # type: ignore[arg-type]
    assert (second.text, second.fixed) == (outcome.text, 0)


FIX_TOKENS = st.sampled_from(
    [
        'phone_number: "+14155550123"\n',
        "phone_number: +14155550123\n",
        "phone_number_pretty: x\n",
        "last_modification_timestamp: 1\n",
        "inbound_agent_id: agent_a\n",
        "inbound_agent_version: 2\n",
        "inbound_agents:\n",
        "inbound_agents: [{agent_id: b, weight: 0.5}, {agent_id: c, weight: 0.3}]\n",
        "  - agent_id: a\n    weight: 0.5\n",
        "allowed_inbound_country_list: [us, US, UK, USA]\n",
        "inbound_allowed_countries: [us, NO]\n",
        "fallback_number: (415) 555-0199\n",
        "sip_outbound_trunk_config:\n  transport: tls\n",
        "sip_outbound_trunk_config: {codecs: [PCMU]}\n",
        "termination_uri: x.example.com\n",
        "transport: udp\n",
        "sip_trunk_auth_username: bob\n",
        "nickname: NO  # retell-lint: ignore[RL006, RL301]\n",
        "# retell-lint: ignore[RL009]\n",
        "x-base: &base\n  phone_number_pretty: y\n",
        "<<: *base\n",
        "phone_numbers:\n- ",
        "  ",
        "- ",
        "{",
        "}",
        ", ",
        "\r\n",
        "# note\n",
        "---\n",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FIX_TOKENS, max_size=14).map("".join), st.booleans())
def test_fix_on_arbitrary_configs_never_breaks_them(text: str, unsafe: bool) -> None:
    # Whatever the input: no fix is reported as a bug, nothing new appears, the
    # result keeps every comment, and fixing again changes nothing.
    findings = lint_sources([Source("n.yaml", text)], CONFIG).findings
    outcome = fix_text("n.yaml", text, findings, CONFIG, unsafe=unsafe)
    assert outcome.error is None, text
    after = lint_sources([Source("n.yaml", outcome.text)], CONFIG).findings
    assert not [f for f in after if f.rule == "RL001"] or outcome.text == text
    for comment in _comments(text):
        if "retell-lint:" not in comment:
            assert comment in outcome.text or comment.rstrip() in outcome.text, (text, comment)
    again = fix_text("n.yaml", outcome.text, after, CONFIG, unsafe=unsafe)
    assert again.error is None
    assert again.text == outcome.text, (text, outcome.text, again.text)
