"""Shared pytest wiring: the fake Retell API fixtures, for every test module."""

from collections.abc import Iterator

import pytest
from fake_retell import FakeRetell

pytest_plugins = ["drift_support"]


@pytest.fixture
def fake_retell() -> Iterator[FakeRetell]:
    """A started :class:`FakeRetell`, shut down after the test."""
    fake = FakeRetell()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
