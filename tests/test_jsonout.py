"""The fast JSON writer writes what json.dumps(indent=2, ensure_ascii=False) writes."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from retell_lint.jsonout import dumps

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # NaN and the infinities included: json writes NaN, Infinity
    st.text(),  # control characters, quotes, surrogates, non-ASCII
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(), inner, max_size=4),
        st.dictionaries(st.one_of(st.integers(), st.booleans(), st.none()), inner, max_size=3),
        st.tuples(inner, inner),
    ),
    max_leaves=20,
)


@settings(max_examples=600, deadline=None)
@given(values)
def test_the_same_text_as_json_dumps(value):
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_a_report_shaped_value():
    report = {
        "version": 1,
        "findings": [{"rule": "RL101", "line": 3, "fix": None, "ratio": 0.5}],
        "errors": [],
        "summary": {"files": 1, "nan": math.inf, "nested": {"a": [], "b": {}}},
    }
    assert dumps(report) == json.dumps(report, indent=2, ensure_ascii=False)


def test_subclasses_of_str_and_int_as_json_writes_them():
    import enum

    class Colour(str, enum.Enum):
        RED = "red"

    class Level(enum.IntEnum):
        HIGH = 3

    value = {"colour": Colour.RED, "level": Level.HIGH, "items": [Colour.RED, Level.HIGH]}
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)
