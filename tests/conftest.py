"""Shared pytest wiring: the fake Retell API fixtures, for every test module."""

from collections.abc import Iterator

import pytest
from fake_retell import FakeRetell

pytest_plugins = ["drift_support"]


@pytest.fixture(autouse=True)
def _cache_outside_the_test_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """check's result cache goes to a fresh folder of each test's own: not into the
    folders tests look at, and never shared by tests that swap a check for another
    (the cache's own tests say where it goes)."""
    monkeypatch.setenv("RETELL_LINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def fake_retell() -> Iterator[FakeRetell]:
    """A started :class:`FakeRetell`, shut down after the test."""
    fake = FakeRetell()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
