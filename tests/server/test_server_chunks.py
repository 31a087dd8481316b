"""A ``phone_numbers`` list file read entry by entry (retell_lint.server.chunks) gives
exactly the findings of ``check`` reading it whole: same rules, messages, paths, lines,
columns and ends, edit after edit with the entry cache in use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retell_lint.config import Config
from retell_lint.engine import active_rules, lint_sources
from retell_lint.server.chunks import EntryCache, split
from retell_lint.server.facts import compute_facts, text_bytes
from retell_lint.server.lintrun import file_findings, project_hits
from retell_lint.source import Source

NAME = "retell/list.yaml"
CONFIG = Config(Path("."))
RULES = active_rules(CONFIG)

# Entries as written at indentation 0 (the dash at column 0); shifted as drawn.
ENTRIES = [
    '- phone_number: "+1415555{n:04d}"\n  nickname: Desk {n}\n'
    "  inbound_agents:\n    - agent_id: agent_a\n      weight: 1\n",
    '- phone_number: "+1415555{n:04d}"  # main line\n  inbound_agents:\n'
    "    - agent_id: agent_a\n      weight: 0.5\n",
    "- phone_number: +1415555{n:04d}\n  inbound_agents: [{{agent_id: a, weight: 1}}]\n",
    '- {{phone_number: "+1415555{n:04d}", nickname: Flow {n}}}\n',
    '- phone_number: "+14155550000"\n  nickname: Same\n',  # duplicates across entries
    '- phone_number: "+1415555{n:04d}"\n  phone_number_pretty: x\n  nickname: x\n  nickname: y\n',
    '- phone_number: "+1415555{n:04d}"\n  inbound_agent_id: agent_a\n  unknown_field: 1\n',
    '- phone_number: "+1415555{n:04d}"\n  fallback_number: "+14155550000"\n',
    '- phone_number: "(415) 555-{n:04d}"\n  allowed_inbound_country_list: [us, US, XX]\n',
    '- phone_number: "+1415555{n:04d}"\n  nickname: |\n    Two lines\n    - not an entry\n',
    '- phone_number: "+1415555{n:04d}"\n  transport: udp\n  phone_number_type: custom\n',
    "# a comment between entries\n"
    '- phone_number: "+1415555{n:04d}"  # retell-lint: ignore[RL308] none yet\n',
    '-\n  phone_number: "+1415555{n:04d}"\n',
    '- phone_number: "+1415555{n:04d}"\n  nickname: on\n  inbound_webhook_url: http://x\n',
]
# Entries that send the whole file to the ordinary reader (drawn less often).
WHOLE_FILE = [
    '- phone_number: "+1415555{n:04d}"\n  inbound_agents: [unclosed\n',  # syntax error
    "- just a string\n",  # not a mapping
    '- phone_number: "+1415555{n:04d}"\n  nickname: a &anchor-like text\n',
    '- phone_number: "+1415555{n:04d}"\n  x-deep: ' + "[" * 60 + "]" * 60 + "\n",
]


@st.composite
def list_files(draw: Any) -> str:
    indent = " " * draw(st.sampled_from([0, 2, 4]))
    picks = draw(st.lists(st.integers(0, len(ENTRIES) - 1), min_size=8, max_size=20))
    entries = [ENTRIES[pick] for pick in picks]
    if draw(st.integers(0, 3)) == 0:
        entries[draw(st.integers(0, len(entries) - 1))] = draw(st.sampled_from(WHOLE_FILE))
    parts = []
    if draw(st.booleans()):
        parts.append("# numbers of the front desk\n\n")
    parts.append("phone_numbers:  # all of them\n" if draw(st.booleans()) else "phone_numbers:\n")
    for n, template in enumerate(entries):
        entry = template.format(n=n)
        parts.append("".join(indent + line if line else line for line in entry.splitlines(True)))
        if draw(st.integers(0, 5)) == 0:
            parts.append("\n")
    if draw(st.integers(0, 6)) == 0:
        parts.append("x-owner: team\n")  # a key after the list: read whole
    text = "".join(parts)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text


def whole(text: str) -> list[dict[str, Any]]:
    return [f.to_dict() for f in lint_sources([Source(NAME, text)], CONFIG).findings]


def by_entries(text: str, cache: EntryCache) -> list[dict[str, Any]]:
    facts = compute_facts(NAME, text_bytes(text), RULES, cache)
    extra = project_hits([facts], RULES).get(NAME, [])
    return [f.to_dict() for f in file_findings(facts, extra, RULES, CONFIG)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=list_files(), edits=st.lists(st.tuples(st.integers(0, 19), st.integers(0, 17)), max_size=4)
)
def test_entry_by_entry_reading_gives_the_findings_of_the_whole_file(
    text: str, edits: list[tuple[int, int]]
) -> None:
    cache = EntryCache()
    assert by_entries(text, cache) == whole(text)
    for which, replacement in edits:
        # Replace one entry's text as a keystroke would, and read again with the cache.
        entries = split(text)
        if entries is None:
            return
        entry = entries[which % len(entries)]
        lines = text.split("\n")
        start = entry.line - 1
        count = entry.text.count("\n")
        newline = "\r\n" if "\r\n" in entry.text else "\n"
        indent = entry.text[: len(entry.text) - len(entry.text.lstrip(" "))]
        new = [*ENTRIES, *WHOLE_FILE][replacement % (len(ENTRIES) + len(WHOLE_FILE))].format(
            n=900 + which
        )
        new = "".join(indent + line if line else line for line in new.splitlines(True))
        new = new.replace("\n", newline)
        text = (
            "\n".join(lines[:start])
            + ("\n" if start else "")
            + new
            + "\n".join(lines[start + count :])
        )
        assert by_entries(text, cache) == whole(text)


def test_a_plain_list_file_is_read_entry_by_entry_and_odd_ones_whole() -> None:
    entry = (
        '  - phone_number: "+1415555{n:04d}"\n    inbound_agents: [{{agent_id: a, weight: 1}}]\n'
    )
    text = "phone_numbers:\n" + "".join(entry.format(n=n) for n in range(10))
    entries = split(text)
    assert entries is not None and [e.line for e in entries] == list(range(2, 22, 2))
    assert split(text + "x-owner: team\n") is None  # a key after the list
    assert split("---\n" + text) is None  # a document marker
    assert split(text.replace('"+14155550003"', "*alias")) is None
    assert split(text.replace("  - ", "\t- ", 1)) is None
    assert split("phone_numbers:\n" + entry.format(n=1)) is None  # too short to bother


def test_a_stopped_reading_keeps_the_entries_read_so_far() -> None:
    import threading

    import pytest

    from retell_lint.server.chunks import Cancelled

    entry = (
        '  - phone_number: "+1415555{n:04d}"\n    inbound_agents: [{{agent_id: a, weight: 1}}]\n'
    )
    text = "phone_numbers:\n" + "".join(entry.format(n=n) for n in range(20))
    cache = EntryCache()
    stop = threading.Event()
    calls = 0
    real_is_set = stop.is_set

    def stop_after_five() -> bool:
        nonlocal calls
        calls += 1
        return calls > 5 or real_is_set()

    stop.is_set = stop_after_five  # type: ignore[method-assign]
    with pytest.raises(Cancelled):
        compute_facts(NAME, text_bytes(text), RULES, cache, stop)
    assert len(cache.files[NAME]) == 5
    # The next reading (not stopped) reads the other 15 and gives the whole file's findings.
    assert by_entries(text, cache) == whole(text)
    assert len(cache.files[NAME]) == 20


def test_a_stopped_workspace_run_raises_cancelled(tmp_path: Path) -> None:
    import threading

    import pytest

    from retell_lint.server.chunks import Cancelled
    from retell_lint.server.workspace import Snapshot, Workspace

    (tmp_path / "retell").mkdir()
    (tmp_path / "retell" / "a.yaml").write_text('phone_number: "+14155550100"\n', encoding="utf-8")
    workspace = Workspace(tmp_path)
    stop = threading.Event()
    stop.set()
    path = str(tmp_path / "retell" / "b.yaml")
    with pytest.raises(Cancelled):
        workspace.lint([path], {path: Snapshot("phone_number: x\n", 1)}, stop=stop)
    stop.clear()
    assert [
        f.rule
        for f in workspace.lint([path], {path: Snapshot("phone_number: x\n", 1)}, stop=stop)[path]
    ]
