"""Fuzzing the reader and the config loader with YAML-shaped hostile input.

Every example writes a project (a ``.retell-lint.yaml`` and config files whose
names and content come from YAML-aware strategies: every nesting construct,
anchors and aliases, merge keys, tags, control characters in keys and names)
and runs ``retell-lint check`` in a child forked from a small warmed-up server
(tests/fork_runner.py), so each run's own time and peak memory are measured. The run
must end with exit 0, 1 or 2, no signal, no internal error, within 5 seconds and
500 MB, and print no raw control characters.

CI runs a few hundred examples. For a long run::

    RETELL_LINT_FUZZ_EXAMPLES=20000 python -m pytest -q tests/test_fuzz_reader.py -s

which prints the number of examples, the slowest run and the largest peak memory.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from typing import Any

import pytest
from fork_runner import ForkRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("RETELL_LINT_FUZZ_EXAMPLES", "150"))
MAX_SECONDS = 5.0
MAX_RSS_KB = 500 * 1024
FIGURES: dict[str, Any] = {"examples": 0, "max_seconds": 0.0, "max_rss_kb": 0}

CONTROL = "".join(map(chr, range(0x20))) + "\x7f\x85\x9b\u2028\u2029\u202e"
NAME_CHARS = st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",))
KEY_TEXT = st.text(alphabet=st.sampled_from(CONTROL) | NAME_CHARS, min_size=1, max_size=12)
FIELDS = [
    "phone_number",
    "nickname",
    "inbound_agents",
    "outbound_agents",
    "agent_id",
    "weight",
    "agent_version",
    "allowed_inbound_country_list",
    "inbound_webhook_url",
    "fallback_number",
    "sip_outbound_trunk_config",
    "auth_password",
    "phone_numbers",
    "<<",
    "x-anchor",
    "include",
    "exclude",
    "fail_level",
    "rules",
    "drift",
    "ignore",
    "RL301",
    "weights-sum",
    "apply",
    "policies",
    "policy_files",
    "id",
    "require",
    "severity",
    "message",
]
SCALARS = [
    '"+14157774444"',
    "+14157774444",
    "14157774444",
    "1",
    "0.5",
    "1" + "0" * 400,
    "0x" + "f" * 300,
    ".inf",
    "-.inf",
    ".nan",
    "null",
    "~",
    "yes",
    "NO",
    "on",
    "off",
    "US",
    "UK",
    "XX",
    "''",
    '""',
    "agent_a",
    "prod",
    "https://hooks.example.com/x",
    "http://127.0.0.1/x",
    "${SECRET}",
    "hunter2",
    "error",
    "warning",
    "'**'",
    "'" + "*a" * 20 + "*b'",
    '"\\e]0;t\\a\\e[2J"',
    '"a\\nb"',
    '"\\u202e"',
    "2026-01-01",
    "1:30",
    "0777",
]
TAGS = [
    "",
    "!!str ",
    "!!int ",
    "!!float ",
    "!!bool ",
    "!!null ",
    "!!binary ",
    "!!timestamp ",
    "!!seq ",
    "!!map ",
    "!custom ",
    "!<tag:yaml.org,2002:int> ",
    "!!set ",
    "!!omap ",
]


def _quote(text: str) -> str:
    escaped = "".join(
        c if c.isprintable() and c not in '"\\' else f"\\x{ord(c):02x}" if ord(c) < 256 else c
        for c in text
    )
    return '"' + escaped + '"'


@st.composite
def keys(draw: Any) -> str:
    if draw(st.booleans()):
        return draw(st.sampled_from(FIELDS))
    text = draw(KEY_TEXT)
    return _quote(text) if draw(st.booleans()) else text.replace("\n", " ").strip() or "k"


@st.composite
def scalars(draw: Any) -> str:
    tag = draw(st.sampled_from(TAGS)) if draw(st.integers(0, 4)) == 0 else ""
    value = draw(st.sampled_from(SCALARS) | keys())
    return tag + value


def flow(draw: Any, depth: int, anchors: list[str]) -> str:
    """A flow-style node: scalars, [..], {..}, explicit keys, anchors, aliases, merges."""
    choice = draw(st.integers(0, 9 if depth < 4 else 3))
    if choice <= 2:
        node = draw(scalars())
    elif choice == 3 and anchors:
        return "*" + draw(st.sampled_from(anchors))
    elif choice <= 6:
        items = [flow(draw, depth + 1, anchors) for _ in range(draw(st.integers(0, 4)))]
        node = "[" + ", ".join(items) + "]"
    else:
        pairs = []
        for _ in range(draw(st.integers(0, 4))):
            key = draw(keys())
            value = flow(draw, depth + 1, anchors)
            if draw(st.integers(0, 5)) == 0:
                pairs.append(f"? {key} : {value}")
            elif anchors and draw(st.integers(0, 5)) == 0:
                pairs.append(f"<<: *{draw(st.sampled_from(anchors))}")
            else:
                pairs.append(f"{key}: {value}")
        node = "{" + ", ".join(pairs) + "}"
    if draw(st.integers(0, 5)) == 0:
        name = f"a{len(anchors)}"
        anchors.append(name)
        return f"&{name} {node}"
    return node


def block(draw: Any, depth: int, indent: int, anchors: list[str]) -> str:
    """A block mapping of fields, with nested block sequences and flow values."""
    lines = []
    pad = " " * indent
    for _ in range(draw(st.integers(1, 5))):
        key = draw(keys())
        kind = draw(st.integers(0, 6 if depth < 4 else 2))
        if kind <= 2:
            lines.append(f"{pad}{key}: {flow(draw, depth, anchors)}")
        elif kind <= 4:
            lines.append(f"{pad}{key}:")
            for _ in range(draw(st.integers(1, 3))):
                item = block(draw, depth + 1, indent + 4, anchors).lstrip(" ")
                lines.append(f"{pad}  - {item}")
        elif kind == 5:
            lines.append(f"{pad}? {key}")
            lines.append(f"{pad}: {flow(draw, depth, anchors)}")
        else:
            anchor = f"b{len(anchors)}"
            lines.append(f"{pad}{key}: &{anchor}")
            lines.append(block(draw, depth + 1, indent + 2, anchors))
            anchors.append(anchor)
    return "\n".join(lines)


@st.composite
def nesting(draw: Any) -> str:
    """Deep nesting of one construct, around the reader's limit and far past it."""
    construct = draw(st.sampled_from(["? ", "- ", "[", "{a: ", "- ? ", "[{", "? - "]))
    depth = draw(st.sampled_from([1, 50, 199, 200, 201, 202, 1000, 20_000]))
    comment = draw(st.sampled_from(["", " # ]]]}}}", "\n# " + "[" * 50 + "\n"]))
    return construct * depth + "x" + comment + "\n"


@st.composite
def documents(draw: Any) -> str:
    anchors: list[str] = []
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(nesting())
    if kind == 1:
        return draw(
            st.text(alphabet=st.sampled_from(CONTROL + "-?:[]{}&*!|>'\"# \n\tab"), max_size=300)
        )
    if kind == 2:
        return "---\n".join(flow(draw, 0, anchors) for _ in range(draw(st.integers(1, 4)))) + "\n"
    text = block(draw, 0, 0, anchors) + "\n"
    if draw(st.integers(0, 4)) == 0:
        text = draw(nesting()) + text  # a deep prefix before an ordinary document
    return text


@st.composite
def projects(draw: Any) -> dict[str, Any]:
    names = draw(
        st.lists(
            st.text(alphabet=st.sampled_from(CONTROL[1:]) | NAME_CHARS, min_size=1, max_size=10),
            min_size=1,
            max_size=2,
            unique=True,
        )
    )
    config = None
    if draw(st.booleans()):
        config = draw(documents()) if draw(st.booleans()) else block(draw, 0, 0, [])
    return {
        "files": {name + ".yaml": draw(documents()) for name in names if name not in (".", "..")},
        "config": config,
        "format": draw(st.sampled_from(["text", "json", "concise", "github", "sarif", "junit"])),
        "github_actions": draw(st.booleans()),
    }


@pytest.fixture(scope="module")
def runner() -> Any:
    started = ForkRunner()
    yield started
    started.close()
    print(
        f"\nfuzz: {FIGURES['examples']} examples, slowest {FIGURES['max_seconds']:.2f}s, "
        f"largest peak RSS {FIGURES['max_rss_kb'] / 1024:.0f} MB"
    )


@pytest.mark.skipif(not hasattr(os, "fork"), reason="runs each example in a forked child")
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(project=projects())
def test_reader_and_config_loader_survive_hostile_projects(
    runner: ForkRunner, project: dict[str, Any]
) -> None:
    root = tempfile.mkdtemp(prefix="retell-lint-fuzz-")
    try:
        os.mkdir(os.path.join(root, ".git"))
        os.mkdir(os.path.join(root, "retell"))
        if project["config"] is not None:
            with open(os.path.join(root, ".retell-lint.yaml"), "w", encoding="utf-8") as handle:
                handle.write(project["config"])
        for name, text in project["files"].items():
            path = os.path.join(root, "retell", name)
            with contextlib.suppress(OSError), open(path, "w", encoding="utf-8") as handle:
                handle.write(text)  # (a name the file system refuses is left out)
        args = ["check", "--format", project["format"], "--color", "never"]
        github = project["github_actions"]
        env = {"GITHUB_ACTIONS": "true"} if github else {}
        code, seconds, rss, output = runner.run(
            root, args, env, [] if github else ["GITHUB_ACTIONS"]
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    FIGURES["examples"] += 1
    FIGURES["max_seconds"] = max(FIGURES["max_seconds"], seconds)
    FIGURES["max_rss_kb"] = max(FIGURES["max_rss_kb"], rss)
    assert code in (0, 1, 2), f"exit {code}: {output[-2000:]}"
    assert "internal error" not in output, output[-2000:]
    assert seconds < MAX_SECONDS, f"{seconds:.1f}s"
    assert rss < MAX_RSS_KB, f"{rss} KB"
    assert "\x1b" not in output and "\x07" not in output, output[-2000:]
    for line in output.splitlines():
        if line.startswith("::"):
            assert line.startswith(("::error file=", "::warning file=", "::notice file=")), line


def test_report_figures() -> None:
    """Prints the figures of the run above (with -s): examples, slowest run, peak memory."""
    print(
        f"\nfuzz: {FIGURES['examples']} examples, slowest {FIGURES['max_seconds']:.2f}s, "
        f"largest peak RSS {FIGURES['max_rss_kb'] / 1024:.0f} MB"
    )
    assert FIGURES["examples"] > 0
