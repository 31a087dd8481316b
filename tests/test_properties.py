"""Property: whatever the input, `check` ends in findings or a clean run (exit 0
or 1), never a traceback or an exit code of 2."""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retell_lint.cli import main
from retell_lint.fields import AGENT_FIELDS, NUMBER_FIELDS, SIP_FIELDS

FIELD_NAMES = [*NUMBER_FIELDS, *AGENT_FIELDS, *SIP_FIELDS, "phone_numbers", "x-anchor"]


@contextmanager
def config_file(data: bytes) -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "n.yaml")
        with open(path, "wb") as handle:
            handle.write(data)
        yield path


def run_check(path: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["check", "--format", "json", path])
    return code, out.getvalue(), err.getvalue()


def assert_ran(path: str) -> None:
    code, out, err = run_check(path)
    assert code in (0, 1), err
    assert "Traceback" not in err
    report = json.loads(out)
    assert report["errors"] == []
    for finding in report["findings"]:
        assert finding["line"] >= 1 and finding["column"] >= 1


FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    with config_file(text.encode("utf-8", errors="surrogatepass")) as path:
        assert_ran(path)


@FAST
@given(st.binary())
def test_arbitrary_bytes(data: bytes) -> None:
    with config_file(data) as path:
        assert_ran(path)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["+14157774444", "+14155551234", "NO", "yes", "US", "UK", "${X}", "http://x"]),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=12))
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=6)
    ),
    max_leaves=25,
)


@FAST
@given(st.dictionaries(keys, values, max_size=10))
def test_arbitrary_mappings(mapping: dict[str, object]) -> None:
    # JSON is YAML: any mapping becomes a config through json.dumps.
    with config_file(json.dumps(mapping, allow_nan=True).encode()) as path:
        assert_ran(path)


@FAST
@given(st.lists(st.dictionaries(keys, values, max_size=8), max_size=4))
def test_arbitrary_number_lists(numbers: list[dict[str, object]]) -> None:
    with config_file(json.dumps({"phone_numbers": numbers}).encode()) as path:
        assert_ran(path)


yaml_tokens = st.sampled_from(
    [
        "phone_number:",
        " ",
        "\n",
        "  ",
        "- ",
        "&a ",
        "*a",
        "<<: ",
        "[",
        "]",
        "{",
        "}",
        ",",
        '"+14157774444"',
        "+14157774444",
        "inbound_agents:",
        "weight: ",
        "0.5",
        "agent_id: x",
        "!!python/object ",
        "---\n",
        "#",
        "'",
        '"',
        "\t",
        "? ",
        ": ",
        "|\n",
        ">\n",
        "~",
        "NO",
    ]
)


@FAST
@given(st.lists(yaml_tokens, max_size=40).map("".join))
def test_yaml_like_token_soup(text: str) -> None:
    with config_file(text.encode()) as path:
        assert_ran(path)
